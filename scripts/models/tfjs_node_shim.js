// tfjs_node_shim.js: stands in for @tensorflow/tfjs-node so that face-api's own node bundle
// (@vladmandic/face-api/dist/face-api.node.js, which re-exports require('@tensorflow/tfjs-node') as its `tf`)
// runs on the pure-JS @tensorflow/tfjs-core 4.22.0 with the cpu backend: no native binding, no download.
// check_against_tfjs.sh copies it to MODELS/tfjs-reference/node_modules/@tensorflow/tfjs-node/index.js.
//
// tfjs-core's node build leaves out the chained tensor methods (x.div(255), x.as3D(h, w, c), ...) that the
// union package @tensorflow/tfjs registers and face-api calls. They are registered here the way
// tfjs-core/src/public/chained_ops does it: each method is the op of the same name applied to `this`, and the
// dozen that are not ops by that name (as1D..as5D, asScalar, asType, flatten, reshapeAs, toBool/Float/Int)
// are written out as in those sources.
'use strict';

require('@tensorflow/tfjs-backend-cpu');
const tf = require('@tensorflow/tfjs-core');

const proto = tf.Tensor.prototype;
const special = {
  as1D() { return tf.reshape(this, [this.size]); },
  as2D(rows, columns) { return tf.reshape(this, [rows, columns]); },
  as3D(rows, columns, depth) { return tf.reshape(this, [rows, columns, depth]); },
  as4D(rows, columns, depth, depth2) { return tf.reshape(this, [rows, columns, depth, depth2]); },
  as5D(rows, columns, depth, depth2, depth3) { return tf.reshape(this, [rows, columns, depth, depth2, depth3]); },
  asScalar() { return tf.reshape(this, []); },
  asType(dtype) { return tf.cast(this, dtype); },
  flatten() { return tf.reshape(this, [this.size]); },
  reshapeAs(x) { return tf.reshape(this, x.shape); },
  toBool() { return tf.cast(this, 'bool'); },
  toFloat() { return tf.cast(this, 'float32'); },
  toInt() { return tf.cast(this, 'int32'); },
};
for (const [name, fn] of Object.entries(special)) {
  if (!(name in proto)) proto[name] = function chained(...args) { this.throwIfDisposed(); return fn.apply(this, args); };
}
for (const [name, op] of Object.entries(tf)) {
  if (typeof op !== 'function' || name in proto || /^[A-Z]/.test(name)) continue;
  proto[name] = function chained(...args) { this.throwIfDisposed(); return op(this, ...args); };
}

module.exports = tf;
