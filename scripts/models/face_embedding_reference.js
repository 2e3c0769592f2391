// face_embedding_reference.js: run face-api's own FaceRecognitionNet (@vladmandic/face-api 1.7.15, its node
// bundle, on pure-JS tfjs-core/-backend-cpu 4.22.0 through tfjs_node_shim.js) on the 150x150 chips that
// check_models dumped, and compare its descriptors with OpenCV's run of our face_embedding.onnx.
//
// Run it with (scripts/models/check_against_tfjs.sh does all of this):
//   NODE_PATH=TFJS/node_modules node scripts/models/face_embedding_reference.js MODELS/identity DUMP_DIR
// DUMP_DIR holds, per chip, NAME.chip.f32 (HWC [150,150,3], RGB 0..255: what face-api's computeFaceDescriptor
// gets as a tensor3d) and NAME.embedding.f32 (OpenCV's [1,128]). Prints the errors per chip; exits 1 when
// the relative error (max |tfjs - opencv| over max |tfjs|) passes --tolerance (1e-4).
'use strict';

const fs = require('fs');
const path = require('path');

function usage() {
  console.error('usage: face_embedding_reference.js IDENTITY_DIR DUMP_DIR [--tolerance T]');
  process.exit(2);
}

const args = process.argv.slice(2);
let tolerance = 1e-4;
const ti = args.indexOf('--tolerance');
if (ti >= 0) { tolerance = Number(args[ti + 1]); args.splice(ti, 2); }
if (args.length !== 2) usage();
const [identityDir, dumpDir] = args;

const faceapi = require('@vladmandic/face-api');  // requires @tensorflow/tfjs-node: the shim
const { tf } = faceapi;

function readF32(file) {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  let t0 = Date.now();
  const net = faceapi.nets.faceRecognitionNet;
  await net.loadFromDisk(identityDir);
  console.log(`face-api ${faceapi.version}, tfjs ${tf.version_core}, backend ${tf.getBackend()}: ` +
              `loaded ${identityDir} in ${Date.now() - t0} ms`);
  const chips = fs.readdirSync(dumpDir).filter((f) => f.endsWith('.chip.f32')).sort();
  if (chips.length === 0) throw new Error(`no *.chip.f32 in '${dumpDir}'`);
  let worst = 0;
  let worstAbs = 0;
  let worstDistance = 0;
  for (const file of chips) {
    const stem = file.slice(0, -'.chip.f32'.length);
    const chip = tf.tensor3d(readF32(path.join(dumpDir, file)), [150, 150, 3]);
    t0 = Date.now();
    const ref = await net.computeFaceDescriptor(chip);
    const ms = Date.now() - t0;
    const got = readF32(path.join(dumpDir, `${stem}.embedding.f32`));
    if (got.length !== ref.length) throw new Error(`${stem}: OpenCV gave ${got.length} values, face-api ${ref.length}`);
    let maxAbs = 0;
    let maxRef = 0;
    let sq = 0;
    for (let i = 0; i < ref.length; ++i) {
      const d = Math.abs(ref[i] - got[i]);
      maxAbs = Math.max(maxAbs, d);
      maxRef = Math.max(maxRef, Math.abs(ref[i]));
      sq += d * d;
    }
    const rel = maxRef > 0 ? maxAbs / maxRef : maxAbs;
    worst = Math.max(worst, rel);
    worstAbs = Math.max(worstAbs, maxAbs);
    worstDistance = Math.max(worstDistance, Math.sqrt(sq));
    console.log(`${stem}: max |face-api - opencv| ${maxAbs.toExponential(2)}, relative to max |face-api| ` +
                `(${maxRef.toFixed(3)}) ${rel.toExponential(2)}, Euclidean distance ${Math.sqrt(sq).toExponential(2)}; ` +
                `face-api forward ${ms} ms`);
    chip.dispose();
  }
  console.log(`face embedding: ${chips.length} chips, max abs error ${worstAbs.toExponential(2)}, ` +
              `max relative error ${worst.toExponential(2)} (tolerance ${tolerance}), ` +
              `max distance ${worstDistance.toExponential(2)}`);
  process.exit(worst <= tolerance ? 0 : 1);
}

main().catch((e) => {
  console.error(`face_embedding_reference: ${e.message}`);
  process.exit(1);
});
