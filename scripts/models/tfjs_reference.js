// tfjs_reference.js: run the original TF.js CenterNet on the inputs check_models dumped and compare its
// outputs with OpenCV's run of our converted centernet.onnx. Pure-JS TF.js (core, converter, backend-cpu
// 4.22.0) runs offline, slowly (seconds per image).
//
// Run it with (scripts/models/check_against_tfjs.sh does all of this):
//   NODE_PATH=TFJS/node_modules node scripts/models/tfjs_reference.js MODELS/objects/centernet.json DUMP_DIR
// DUMP_DIR holds, per photo, NAME.input.f32 (NHWC [1,512,512,3]) and NAME.keypoints.f32 / NAME.wh.f32 (NCHW,
// from OpenCV). Prints the errors per output; exits 1 when the relative error passes --tolerance (1e-4).
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

// Compare TF.js NHWC [1,H,W,C] with OpenCV NCHW [1,C,H,W].
function compare(name, nhwc, shape, nchw) {
  const [, h, w, c] = shape;
  if (nchw.length !== nhwc.length) throw new Error(`${name}: OpenCV gave ${nchw.length} values, TF.js ${nhwc.length}`);
  let maxAbs = 0;
  let maxRef = 0;
  let maxElemRel = 0;
  for (let y = 0; y < h; ++y) {
    for (let x = 0; x < w; ++x) {
      for (let k = 0; k < c; ++k) {
        const ref = nhwc[(y * w + x) * c + k];
        const got = nchw[(k * h + y) * w + x];
        const d = Math.abs(ref - got);
        maxAbs = Math.max(maxAbs, d);
        maxRef = Math.max(maxRef, Math.abs(ref));
        if (Math.abs(ref) > 1e-2) maxElemRel = Math.max(maxElemRel, d / Math.abs(ref));
      }
    }
  }
  return { maxAbs, rel: maxRef > 0 ? maxAbs / maxRef : maxAbs, maxElemRel, maxRef };
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  let t0 = Date.now();
  const model = await tfconv.loadGraphModel(fileHandler(modelJsonPath));
  console.log(`tfjs ${tf.version_core}, backend ${tf.getBackend()}: loaded ${modelJsonPath} in ${Date.now() - t0} ms`);
  const inputs = fs.readdirSync(dumpDir).filter((f) => f.endsWith('.input.f32')).sort();
  if (inputs.length === 0) throw new Error(`no *.input.f32 in '${dumpDir}'`);
  let worst = 0;
  for (const file of inputs) {
    const stem = file.slice(0, -'.input.f32'.length);
    const input = tf.tensor4d(readF32(path.join(dumpDir, file)), [1, 512, 512, 3]);
    t0 = Date.now();
    const [keypoints, wh] = model.execute(input, ['tower_0/keypoints', 'tower_0/wh']);
    const kp = await keypoints.data();
    const whv = await wh.data();
    const ms = Date.now() - t0;
    for (const [name, data, t] of [['keypoints', kp, keypoints], ['wh', whv, wh]]) {
      const r = compare(name, data, t.shape, readF32(path.join(dumpDir, `${stem}.${name}.f32`)));
      worst = Math.max(worst, r.rel);
      console.log(`${stem} ${name} [${t.shape}]: max |tfjs - opencv| ${r.maxAbs.toExponential(2)}, ` +
                  `relative to max |tfjs| (${r.maxRef.toFixed(3)}) ${r.rel.toExponential(2)}, ` +
                  `worst element with |tfjs| > 0.01 ${r.maxElemRel.toExponential(2)}`);
    }
    console.log(`${stem}: TF.js forward ${ms} ms`);
    tf.dispose([input, keypoints, wh]);
  }
  console.log(`max relative error ${worst.toExponential(2)} (tolerance ${tolerance})`);
  process.exit(worst <= tolerance ? 0 : 1);
}

main().catch((e) => {
  console.error(`tfjs_reference: ${e.message}`);
  process.exit(1);
});
