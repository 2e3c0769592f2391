// tfjs_reference.js: run an original TF.js graph model, CenterNet or NanoDet, on the inputs check_models
// dumped and compare its outputs with OpenCV's run of our converted centernet.onnx or nanodet.onnx. Pure-JS
// TF.js (core, converter, backend-cpu 4.22.0) runs offline, slowly (seconds per image).
//
// Run it with (scripts/models/check_against_tfjs.sh does all of this):
//   NODE_PATH=TFJS/node_modules node scripts/models/tfjs_reference.js MODELS/objects/centernet.json DUMP_DIR
//   NODE_PATH=TFJS/node_modules node scripts/models/tfjs_reference.js MODELS/nanodet/nanodet.json DUMP_DIR
// The model is told by the file's name. DUMP_DIR holds, per photo,
// - CenterNet: NAME.input.f32 (NHWC [1,512,512,3]) and NAME.keypoints.f32 / NAME.wh.f32 (NCHW, from OpenCV);
// - NanoDet: NAME.nanodet_input.f32 (NCHW [1,3,416,416]: what both take) and NAME.nanodet_cls_32.f32,
//   _cls_16, _cls_8 (scores [1,cells,80]), _reg_32, _reg_16, _reg_8 (box sides [1,cells,44]), from OpenCV, in
//   TF.js's layout.
// Prints the errors per photo and output and the largest per output; exits 1 when a relative error (max
// |tfjs - opencv| over max |tfjs|) passes --tolerance (1e-4).
'use strict';

const fs = require('fs');
const path = require('path');

function usage() {
  console.error('usage: tfjs_reference.js MODEL_JSON DUMP_DIR [--tolerance T]');
  process.exit(2);
}

const args = process.argv.slice(2);
let tolerance = 1e-4;
const ti = args.indexOf('--tolerance');
if (ti >= 0) { tolerance = Number(args[ti + 1]); args.splice(ti, 2); }
if (args.length !== 2) usage();
const [modelJsonPath, dumpDir] = args;

// Per model: the dumped input (file suffix, TF.js shape), the outputs (file suffix, TF.js node), and whether
// OpenCV's outputs are NCHW against TF.js's NHWC (else both have the same layout).
const MODELS = {
  'centernet.json': {
    name: 'CenterNet',
    input: ['input', [1, 512, 512, 3]],
    outputs: [['keypoints', 'tower_0/keypoints'], ['wh', 'tower_0/wh']],
    nchw: true,
  },
  'nanodet.json': {
    name: 'NanoDet',
    input: ['nanodet_input', [1, 3, 416, 416]],
    outputs: [
      ['nanodet_cls_32', 'Identity_2:0'], ['nanodet_cls_16', 'Identity_1:0'], ['nanodet_cls_8', 'Identity:0'],
      ['nanodet_reg_32', 'Identity_5:0'], ['nanodet_reg_16', 'Identity_4:0'], ['nanodet_reg_8', 'Identity_3:0'],
    ],
    nchw: false,
  },
};
const spec = MODELS[path.basename(modelJsonPath)];
if (!spec) {
  console.error(`tfjs_reference: unknown model '${modelJsonPath}' (knows ${Object.keys(MODELS).join(', ')})`);
  process.exit(2);
}

const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfconv = require('@tensorflow/tfjs-converter');

function readF32(file) {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

// An IOHandler that reads model.json and its shards from disk (no fetch, no file:// support needed).
function fileHandler(jsonPath) {
  return {
    load: async () => {
      const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
      const dir = path.dirname(jsonPath);
      const specs = [];
      const shards = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) shards.push(fs.readFileSync(path.join(dir, p)));
      }
      const all = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

// Compare TF.js's values `tfjs` (shape `shape`) with OpenCV's `opencv`: with nchw, TF.js NHWC [1,H,W,C]
// against OpenCV NCHW [1,C,H,W]; else the same layout, element by element.
function compare(name, tfjs, shape, opencv, nchw) {
  if (opencv.length !== tfjs.length) {
    throw new Error(`${name}: OpenCV gave ${opencv.length} values, TF.js ${tfjs.length}`);
  }
  let maxAbs = 0;
  let maxRef = 0;
  let maxElemRel = 0;
  const add = (ref, got) => {
    const d = Math.abs(ref - got);
    maxAbs = Math.max(maxAbs, d);
    maxRef = Math.max(maxRef, Math.abs(ref));
    if (Math.abs(ref) > 1e-2) maxElemRel = Math.max(maxElemRel, d / Math.abs(ref));
  };
  if (nchw) {
    const [, h, w, c] = shape;
    for (let y = 0; y < h; ++y) {
      for (let x = 0; x < w; ++x) {
        for (let k = 0; k < c; ++k) add(tfjs[(y * w + x) * c + k], opencv[(k * h + y) * w + x]);
      }
    }
  } else {
    for (let i = 0; i < tfjs.length; ++i) add(tfjs[i], opencv[i]);
  }
  return { maxAbs, rel: maxRef > 0 ? maxAbs / maxRef : maxAbs, maxElemRel, maxRef };
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  let t0 = Date.now();
  const model = await tfconv.loadGraphModel(fileHandler(modelJsonPath));
  console.log(`tfjs ${tf.version_core}, backend ${tf.getBackend()}: loaded ${modelJsonPath} in ${Date.now() - t0} ms`);
  const [inputSuffix, inputShape] = spec.input;
  const ending = `.${inputSuffix}.f32`;
  const inputs = fs.readdirSync(dumpDir).filter((f) => f.endsWith(ending)).sort();  // .nanodet_input: not .input
  if (inputs.length === 0) throw new Error(`no *${ending} in '${dumpDir}'`);
  const worstPerOutput = new Map(spec.outputs.map(([name]) => [name, 0]));
  for (const file of inputs) {
    const stem = file.slice(0, -ending.length);
    const input = tf.tensor(readF32(path.join(dumpDir, file)), inputShape);
    t0 = Date.now();
    const outputs = model.execute(input, spec.outputs.map(([, node]) => node));
    const values = [];
    for (const t of outputs) values.push(await t.data());
    const ms = Date.now() - t0;
    spec.outputs.forEach(([name], i) => {
      const t = outputs[i];
      const r = compare(name, values[i], t.shape, readF32(path.join(dumpDir, `${stem}.${name}.f32`)), spec.nchw);
      worstPerOutput.set(name, Math.max(worstPerOutput.get(name), r.rel));
      console.log(`${stem} ${name} [${t.shape}]: max |tfjs - opencv| ${r.maxAbs.toExponential(2)}, ` +
                  `relative to max |tfjs| (${r.maxRef.toFixed(3)}) ${r.rel.toExponential(2)}, ` +
                  `worst element with |tfjs| > 0.01 ${r.maxElemRel.toExponential(2)}`);
    });
    console.log(`${stem}: TF.js forward ${ms} ms`);
    tf.dispose([input, ...outputs]);
  }
  const worst = Math.max(...worstPerOutput.values());
  const perOutput = [...worstPerOutput].map(([name, rel]) => `${name} ${rel.toExponential(2)}`).join(', ');
  console.log(`${spec.name}: ${inputs.length} photos, max relative error ${worst.toExponential(2)} ` +
              `(tolerance ${tolerance}); per output: ${perOutput}`);
  process.exit(worst <= tolerance ? 0 : 1);
}

main().catch((e) => {
  console.error(`tfjs_reference: ${e.message}`);
  process.exit(1);
});
