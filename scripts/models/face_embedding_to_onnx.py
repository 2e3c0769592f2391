#!/usr/bin/python3
"""Build an ONNX model of dlib's ResNet face embedding from face-api's TF.js weights, for OpenCV 4.6 DNN.

Purpose: the face-identity network ships in @vladmandic/face-api@1.7.15 as weights only
(face_recognition_model.bin + its weights manifest, uint8-quantised); the architecture is code, in
the package's src/faceRecognitionNet/*.ts. This script writes that code down as an ONNX graph.
Run it with (scripts/fetch-models.sh does):
    /usr/bin/python3 scripts/models/face_embedding_to_onnx.py \\
        DEST/identity/face_recognition_model-weights_manifest.json DEST/identity/face_embedding.onnx

The model (see docs/models-groundwork.md and /work/shared/docs/MODELS.md):
- input `image`: [1,3,150,150] float, RGB, 0..255, NCHW, i.e. a 150x150 face chip as
  cv::dnn::blobFromImage(chip_bgr, 1.0, {150, 150}, cv::Scalar(), /*swapRB=*/true). The graph itself
  subtracts face-api's mean [122.782, 117.001, 104.298] and divides by 255, as FaceRecognitionNet does.
- output `embedding`: [1,128] float, the face descriptor (not normalised; compare by Euclidean distance).
The graph, following FaceRecognitionNet.ts / convLayer.ts / residualLayer.ts exactly:
- every conv layer is conv + bias, then a per-channel scale (x * weights + biases): the scale is
  folded into the conv's weights and bias (in double precision);
- conv 7x7 stride 2 VALID (32) + ReLU, max-pool 3x3 stride 2 VALID;
- residual block: conv 3x3 SAME + ReLU, conv 3x3 SAME, + input, ReLU;
- down block: conv 3x3 stride 2 VALID + ReLU, conv 3x3 SAME; the shortcut is a 2x2 stride-2 average
  pool of the input, its extra channels zero-padded (Pad on the channel axis) when the block widens;
  when the conv branch is one row and column smaller than the shortcut it is zero-padded at the bottom
  and right (the TF.js code concatenates zeros there); sum, ReLU;
- stages 32 x3, down 64 + x3, down 128 + x2, down 256 + x2, down 256 (150 -> 72 -> 35 -> 17 -> 8 -> 3+1
  -> 1+1 pixels), global average pool, fully connected 256 -> 128 without bias.
Opset 11 with only ops whose OpenCV 4.6 importer paths were checked (Conv, Relu, MaxPool, AveragePool,
Pad with constant pads, Add, Sub, Div, GlobalAveragePool, Flatten, MatMul with a constant matrix).
The output is deterministic: the same weights give the same bytes.

Needs Debian's python3-onnx and python3-numpy only; reuses tfjs_to_onnx.py's weight loader.
"""

import argparse
import json
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

sys.dont_write_bytecode = True  # importing the sibling module must not leave __pycache__ in the source tree
from tfjs_to_onnx import OPSET, ConversionError, check, load_weights, save  # noqa: E402

INPUT_SIZE = 150
MEAN_RGB = [122.782, 117.001, 104.298]  # FaceRecognitionNet.forwardInput
DESCRIPTOR_SIZE = 128


class Builder:
    """Emits ONNX nodes and tracks each tensor's (channels, height, width)."""

    def __init__(self, weights):
        self.weights = weights
        self.used = set()
        self.nodes = []
        self.initializers = []

    def weight(self, name, rank):
        if name not in self.weights:
            raise ConversionError(f"the weights manifest has no '{name}'")
        w = self.weights[name]
        if w.ndim != rank:
            raise ConversionError(f"weight '{name}' has shape {list(w.shape)}, expected rank {rank}")
        self.used.add(name)
        return w

    def init(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op, inputs, output, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    # convLayer.ts: conv2d(x, filters, strides, padding) + bias, then scale: * weights + biases, then ReLU.
    def conv_layer(self, x, shape, prefix, stride, relu, padding):
        filters = self.weight(f"{prefix}/conv/filters", 4)  # HWIO
        bias = self.weight(f"{prefix}/conv/bias", 1)
        mul = self.weight(f"{prefix}/scale/weights", 1)
        add = self.weight(f"{prefix}/scale/biases", 1)
        kh, kw, cin, cout = filters.shape
        c, h, w = shape
        if cin != c or kh != kw or not (bias.size == mul.size == add.size == cout):
            raise ConversionError(f"'{prefix}': filters {list(filters.shape)}, bias {bias.size}, scale "
                                  f"{mul.size}/{add.size} do not fit an input of {c} channels")
        # (conv(x, W) + b) * s + t == conv(x, W * s) + (b * s + t), per output channel.
        s = mul.astype(np.float64)
        kernel = (filters.astype(np.float64).transpose(3, 2, 0, 1) * s[:, None, None, None]).astype(np.float32)
        b = (bias.astype(np.float64) * s + add.astype(np.float64)).astype(np.float32)
        if padding == "valid":
            pads = [0, 0, 0, 0]
            oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
        elif padding == "same" and stride == 1 and kh % 2 == 1:
            p = kh // 2
            pads = [p, p, p, p]
            oh, ow = h, w
        else:
            raise ConversionError(f"'{prefix}': {padding} padding at stride {stride} is not needed by this model")
        out = self.node("Conv", [x, self.init(f"{prefix}/W", kernel), self.init(f"{prefix}/B", b)],
                        prefix if not relu else f"{prefix}/conv",
                        kernel_shape=[kh, kw], strides=[stride, stride], pads=pads, dilations=[1, 1], group=1)
        if relu:
            out = self.node("Relu", [out], prefix)
        return out, (cout, oh, ow)

    def pad(self, x, shape, name, channels=0, bottom=0, right=0):
        """Zero-pad at the end of the channel, height and width axes."""
        c, h, w = shape
        pads = np.array([0, 0, 0, 0, 0, channels, bottom, right], np.int64)  # begins N C H W, then ends
        out = self.node("Pad", [x, self.init(f"{name}/pads", pads)], name, mode="constant")
        return out, (c + channels, h + bottom, w + right)

    # residualLayer.ts: residual()
    def residual(self, x, shape, prefix):
        out, s1 = self.conv_layer(x, shape, f"{prefix}/conv1", 1, True, "same")
        out, s2 = self.conv_layer(out, s1, f"{prefix}/conv2", 1, False, "same")
        if s2 != shape:
            raise ConversionError(f"'{prefix}': a residual block must keep the shape, {shape} -> {s2}")
        out = self.node("Add", [out, x], f"{prefix}/add")
        return self.node("Relu", [out], prefix), shape

    # residualLayer.ts: residualDown()
    def residual_down(self, x, shape, prefix):
        out, s1 = self.conv_layer(x, shape, f"{prefix}/conv1", 2, True, "valid")
        out, s2 = self.conv_layer(out, s1, f"{prefix}/conv2", 1, False, "same")
        c, h, w = shape
        pooled = self.node("AveragePool", [x], f"{prefix}/shortcut", kernel_shape=[2, 2], strides=[2, 2],
                           pads=[0, 0, 0, 0])
        ps = (c, h // 2, w // 2)
        if ps[1:] != s2[1:]:
            # face-api concatenates one row of zeros at the bottom and one column at the right.
            if ps[1] - s2[1] != 1 or ps[2] - s2[2] != 1:
                raise ConversionError(f"'{prefix}': conv branch {s2[1:]} vs shortcut {ps[1:]} is not off by one")
            out, s2 = self.pad(out, s2, f"{prefix}/pad", bottom=1, right=1)
        if ps[0] != s2[0]:
            # face-api concatenates zeros of the pooled shape on the channel axis: it doubles the channels.
            if s2[0] != 2 * ps[0]:
                raise ConversionError(f"'{prefix}': {ps[0]} shortcut channels cannot be padded to {s2[0]}")
            pooled, ps = self.pad(pooled, ps, f"{prefix}/shortcut_pad", channels=ps[0])
        out = self.node("Add", [pooled, out], f"{prefix}/add")
        return self.node("Relu", [out], prefix), s2


def build(weights):
    b = Builder(weights)
    x = "image"
    graph_input = helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, 3, INPUT_SIZE, INPUT_SIZE])
    # normalize(batch, meanRgb).div(255)
    mean = np.array(MEAN_RGB, np.float32).reshape(1, 3, 1, 1)
    x = b.node("Sub", [x, b.init("mean_rgb", mean)], "centred")
    x = b.node("Div", [x, b.init("scale_255", np.array([255], np.float32))], "normalised")
    shape = (3, INPUT_SIZE, INPUT_SIZE)

    x, shape = b.conv_layer(x, shape, "conv32_down", 2, True, "valid")
    x = b.node("MaxPool", [x], "max_pool", kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 0, 0])
    shape = (shape[0], (shape[1] - 3) // 2 + 1, (shape[2] - 3) // 2 + 1)
    for prefix, down in [("conv32_1", False), ("conv32_2", False), ("conv32_3", False),
                         ("conv64_down", True), ("conv64_1", False), ("conv64_2", False), ("conv64_3", False),
                         ("conv128_down", True), ("conv128_1", False), ("conv128_2", False),
                         ("conv256_down", True), ("conv256_1", False), ("conv256_2", False),
                         ("conv256_down_out", True)]:
        x, shape = (b.residual_down if down else b.residual)(x, shape, prefix)

    # out.mean([1, 2]), then matMul(globalAvg, fc) with fc [256, 128].
    x = b.node("GlobalAveragePool", [x], "global_avg")
    x = b.node("Flatten", [x], "flat", axis=1)
    fc = b.weight("fc", 2)
    if fc.shape != (shape[0], DESCRIPTOR_SIZE):
        raise ConversionError(f"'fc' has shape {list(fc.shape)}, expected [{shape[0]}, {DESCRIPTOR_SIZE}]")
    b.node("MatMul", [x, b.init("fc", fc.astype(np.float32))], "embedding")
    unused = sorted(set(weights) - b.used)
    if unused:
        raise ConversionError(f"the manifest holds weights this architecture does not use: {unused[:5]}")

    graph_output = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, DESCRIPTOR_SIZE])
    graph = helper.make_graph(b.nodes, "dlib_resnet_face_embedding", [graph_input], [graph_output],
                              b.initializers)
    model = helper.make_model(graph, producer_name="lightbox face_embedding_to_onnx.py",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 6
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("manifest", help="face_recognition_model-weights_manifest.json; its .bin lies beside it")
    ap.add_argument("output", help="ONNX file to write; OUTPUT.sha256 is written beside it")
    args = ap.parse_args()
    try:
        with open(args.manifest) as f:
            manifest = json.load(f)
        if not isinstance(manifest, list):
            raise ConversionError("expected a TF.js weights manifest (a JSON list of weight groups)")
        weights = load_weights({"weightsManifest": manifest}, os.path.dirname(os.path.abspath(args.manifest)))
        model = build(weights)
        check(model)
    except (OSError, ValueError, KeyError, ConversionError) as e:
        print(f"face_embedding_to_onnx: cannot convert '{args.manifest}': {e}", file=sys.stderr)
        return 1
    digest = save(model, args.output)
    print(f"face_embedding_to_onnx: wrote {args.output} ({len(model.graph.node)} nodes, opset {OPSET}, "
          f"sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
