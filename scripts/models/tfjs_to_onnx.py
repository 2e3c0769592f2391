#!/usr/bin/python3
"""Convert a TF.js graph model (model.json + weight shards) to ONNX that OpenCV 4.6 DNN loads.

Purpose: the object detector (CenterNet in @vladmandic/human) ships only as a TF.js graph model and
no TF.js-to-ONNX converter exists in Debian or on npm, so we convert it once at install time.
Run it with:
    /usr/bin/python3 scripts/models/tfjs_to_onnx.py DEST/objects/centernet.json DEST/objects/centernet.onnx \
        --outputs tower_0/keypoints,tower_0/wh

What it does (see docs/models-groundwork.md and /work/shared/docs/MODELS.md):
- reads the weights manifest, concatenates the shards and dequantises float16/uint8/uint16 weights;
- keeps only the nodes the requested outputs depend on (CenterNet's TopK/Gather decode is dropped:
  OpenCV 4.6 cannot run it and the C++ side decodes the heatmap itself);
- turns NHWC tensors into NCHW: conv kernels HWIO -> OIHW, depthwise kernels [H,W,C,M] -> [C*M,1,H,W]
  with group = C, per-channel constants -> [1,C,1,1], concat axes remapped; input and outputs are NCHW;
- writes TensorFlow's SAME padding as explicit (possibly asymmetric) pads, since OpenCV and ONNX
  disagree on auto_pad.
OpenCV 4.6 quirks honoured, both checked: its importer accepts Clip only with min/max as attributes (the
opset-10 form; the opset-11 form with inputs fails its one-input check), and it rejects Resize without
coordinate_transformation_mode (an opset-10 Resize fails with "interpolation is linear"). So the model is
opset 11 with an attribute-form Clip, which the ONNX 11 schema does not know: onnx.checker is run with
that one exception.

Needs Debian's python3-onnx and python3-numpy only; no TensorFlow.
"""

import argparse
import base64
import hashlib
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class ConversionError(Exception):
    pass


# --- reading the TF.js model -------------------------------------------------------------------

_DTYPES = {"float32": np.float32, "int32": np.int32, "bool": np.bool_}


def load_weights(model_json, model_dir):
    """Return {name: ndarray} for every weight in the manifest, dequantised to its original dtype."""
    weights = {}
    for group in model_json["weightsManifest"]:
        blob = b""
        for path in group["paths"]:
            shard = os.path.join(model_dir, path)
            try:
                with open(shard, "rb") as f:
                    blob += f.read()
            except OSError as e:
                raise ConversionError(f"cannot read weight shard '{shard}': {e.strerror}")
        offset = 0
        for w in group["weights"]:
            shape = [int(d) for d in w["shape"]]
            count = int(np.prod(shape)) if shape else 1
            dtype = w["dtype"]
            if dtype not in _DTYPES:
                raise ConversionError(f"weight '{w['name']}': unsupported dtype {dtype}")
            q = w.get("quantization")
            if q is None:
                stored = np.dtype(_DTYPES[dtype])
            else:
                stored = np.dtype({"float16": np.float16, "uint8": np.uint8, "uint16": np.uint16}[q["dtype"]])
            nbytes = count * stored.itemsize
            if offset + nbytes > len(blob):
                raise ConversionError(
                    f"weight '{w['name']}' needs bytes {offset}..{offset + nbytes} but the shards hold {len(blob)}")
            raw = np.frombuffer(blob, dtype=stored, count=count, offset=offset)
            offset += nbytes
            if q is None:
                value = raw.copy()
            elif q["dtype"] == "float16":
                value = raw.astype(np.float32)
            else:  # affine quantisation: q * scale + min, in double precision like TF.js's decodeWeights
                value = raw.astype(np.float64) * float(q["scale"]) + float(q["min"])
                value = value.astype(_DTYPES[dtype])
            weights[w["name"]] = value.reshape(shape)
        if offset != len(blob):
            raise ConversionError(f"weight shards hold {len(blob)} bytes but the manifest describes {offset}")
    return weights


def attr_s(node, key, default=None):
    a = node.get("attr", {}).get(key)
    return base64.b64decode(a["s"]).decode() if a and "s" in a else default


def attr_ints(node, key, default=None):
    a = node.get("attr", {}).get(key)
    return [int(v) for v in a["list"].get("i", [])] if a and "list" in a else default


def attr_b(node, key, default=False):
    a = node.get("attr", {}).get(key)
    return bool(a.get("b", False)) if a else default


def attr_strs(node, key):
    a = node.get("attr", {}).get(key)
    return [base64.b64decode(s).decode() for s in a["list"].get("s", [])] if a and "list" in a else []


def split_input(name):
    """'node:1' -> ('node', 1); control inputs ('^node') are dropped by the caller."""
    if ":" in name:
        base, idx = name.rsplit(":", 1)
        if idx.isdigit():
            return base, int(idx)
    return name, 0


# --- the converter ------------------------------------------------------------------------------

NHWC_TO_NCHW_AXIS = {0: 0, 1: 2, 2: 3, 3: 1}
OPSET = 11


class Converter:
    def __init__(self, model_json, weights):
        self.nodes = {n["name"]: n for n in model_json["modelTopology"]["node"]}
        self.weights = weights
        self.opset = OPSET
        self.onnx_nodes = []
        self.initializers = []
        self.inputs = []
        self.values = {}  # TF name -> ("const", ndarray) | ("tensor", onnx name, NHWC shape)
        self.unique = 0

    # helpers
    def const_name(self, hint):
        self.unique += 1
        return f"{hint}__c{self.unique}"

    def add_init(self, hint, array):
        name = self.const_name(hint)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def emit(self, op, inputs, outputs, name, **attrs):
        self.onnx_nodes.append(helper.make_node(op, inputs, outputs, name=name, **attrs))

    def const_of(self, tf_name):
        v = self.value(tf_name)
        if v[0] != "const":
            raise ConversionError(f"'{tf_name}' must be a constant here")
        return v[1]

    def value(self, tf_input):
        base, idx = split_input(tf_input)
        if idx != 0:
            raise ConversionError(f"'{tf_input}': only the first output of a node is supported")
        if base not in self.values:
            raise ConversionError(f"'{base}' is used before it is defined")
        return self.values[base]

    def tensor(self, tf_input):
        v = self.value(tf_input)
        if v[0] != "tensor":
            raise ConversionError(f"'{tf_input}' must be computed, not a constant")
        return v[1], v[2]

    def data_inputs(self, node):
        return [i for i in node.get("input", []) if not i.startswith("^")]

    # graph walk
    def order(self, outputs):
        order, state = [], {}
        for out in outputs:
            stack = [(split_input(out)[0], False)]
            while stack:
                name, done = stack.pop()
                if done:
                    if state.get(name) != 2:
                        state[name] = 2
                        order.append(name)
                    continue
                if state.get(name):
                    continue
                if name not in self.nodes:
                    raise ConversionError(f"graph refers to a missing node '{name}'")
                state[name] = 1
                stack.append((name, True))
                for i in reversed(self.data_inputs(self.nodes[name])):
                    stack.append((split_input(i)[0], False))
        return order

    def convert(self, outputs):
        for name in self.order(outputs):
            node = self.nodes[name]
            handler = getattr(self, "op_" + node["op"].lstrip("_"), None)
            if handler is None:
                raise ConversionError(f"node '{name}': unsupported op {node['op']}")
            handler(node)
        graph_outputs = []
        for out in outputs:
            onnx_name, shape = self.tensor(out)
            # The graph output keeps the TF name; an Identity renames the last tensor if needed.
            if onnx_name != out:
                self.emit("Identity", [onnx_name], [out], out + "/output")
            n, h, w, c = shape
            graph_outputs.append(helper.make_tensor_value_info(out, TensorProto.FLOAT, [n, c, h, w]))
        graph = helper.make_graph(self.onnx_nodes, "tfjs_graph", self.inputs, graph_outputs, self.initializers)
        model = helper.make_model(graph, producer_name="lightbox tfjs_to_onnx.py",
                                  opset_imports=[helper.make_opsetid("", self.opset)])
        model.ir_version = 6
        return model

    # ops: leaves
    def op_Const(self, node):
        if node["name"] not in self.weights:
            raise ConversionError(f"constant '{node['name']}' has no weight in the manifest")
        self.values[node["name"]] = ("const", self.weights[node["name"]])

    def op_Placeholder(self, node):
        dims = [int(d.get("size", -1)) for d in node["attr"]["shape"]["shape"].get("dim", [])]
        if len(dims) != 4 or any(d <= 0 for d in dims):
            raise ConversionError(f"input '{node['name']}' must have a fixed NHWC shape, has {dims}")
        n, h, w, c = dims
        self.inputs.append(helper.make_tensor_value_info(node["name"], TensorProto.FLOAT, [n, c, h, w]))
        self.values[node["name"]] = ("tensor", node["name"], (n, h, w, c))

    def op_Identity(self, node):
        self.values[node["name"]] = self.value(self.data_inputs(node)[0])

    # ops: convolutions and pooling
    @staticmethod
    def same_pads(size, k, s):
        out = math.ceil(size / s)
        total = max((out - 1) * s + k - size, 0)
        return total // 2, total - total // 2, out

    def spatial(self, node, shape, kh, kw, strides):
        padding = attr_s(node, "padding")
        _, h, w, _ = shape
        sh, sw = strides
        if padding == "SAME":
            pt, pb, oh = self.same_pads(h, kh, sh)
            pl, pr, ow = self.same_pads(w, kw, sw)
        elif padding == "VALID":
            pt = pb = pl = pr = 0
            oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        else:
            raise ConversionError(f"node '{node['name']}': unsupported padding {padding}")
        return [pt, pl, pb, pr], oh, ow

    def conv(self, node, depthwise):
        name = node["name"]
        if attr_s(node, "data_format", "NHWC") != "NHWC":
            raise ConversionError(f"node '{name}': only NHWC is supported")
        if any(d != 1 for d in attr_ints(node, "dilations", [1, 1, 1, 1])):
            raise ConversionError(f"node '{name}': dilated convolutions are not supported")
        ins = self.data_inputs(node)
        x, shape = self.tensor(ins[0])
        kernel = self.const_of(ins[1]).astype(np.float32)
        kh, kw, cin, cout = kernel.shape  # depthwise: cout is the channel multiplier
        if cin != shape[3]:
            raise ConversionError(f"node '{name}': kernel expects {cin} channels, input has {shape[3]}")
        strides = attr_ints(node, "strides", [1, 1, 1, 1])
        pads, oh, ow = self.spatial(node, shape, kh, kw, strides[1:3])
        if depthwise:
            w = kernel.transpose(2, 3, 0, 1).reshape(cin * cout, 1, kh, kw)
            group, channels = cin, cin * cout
        else:
            w = kernel.transpose(3, 2, 0, 1)
            group, channels = 1, cout
        conv_inputs = [x, self.add_init(name + "/W", w)]
        fused = attr_strs(node, "fused_ops")
        extra = ins[2:]
        if fused and fused[0] == "BiasAdd":
            bias = self.const_of(extra[0]).astype(np.float32).reshape(-1)
            conv_inputs.append(self.add_init(name + "/B", bias))
            fused = fused[1:]
        elif fused:
            raise ConversionError(f"node '{name}': unsupported fused ops {fused}")
        out = name if not fused else name + "/conv"
        self.emit("Conv", conv_inputs, [out], name, kernel_shape=[kh, kw], strides=strides[1:3],
                  pads=pads, group=group, dilations=[1, 1])
        if len(fused) > 1:
            raise ConversionError(f"node '{name}': unsupported fused ops {fused}")
        if fused:
            self.activation(fused[0], out, name, name + "/" + fused[0])
        self.values[name] = ("tensor", name, (shape[0], oh, ow, channels))

    def activation(self, kind, x, out, node_name):
        if kind == "Relu":
            self.emit("Relu", [x], [out], node_name)
        elif kind == "Relu6":
            # OpenCV 4.6 reads Clip's bounds from attributes only (see the module comment).
            self.emit("Clip", [x], [out], node_name, min=0.0, max=6.0)
        elif kind == "Sigmoid":
            self.emit("Sigmoid", [x], [out], node_name)
        else:
            raise ConversionError(f"node '{node_name}': unsupported activation {kind}")

    def op_FusedConv2D(self, node):
        self.conv(node, depthwise=False)

    def op_Conv2D(self, node):
        self.conv(node, depthwise=False)

    def op_FusedDepthwiseConv2dNative(self, node):
        self.conv(node, depthwise=True)

    def op_DepthwiseConv2dNative(self, node):
        self.conv(node, depthwise=True)

    def pool(self, node, onnx_op):
        name = node["name"]
        x, shape = self.tensor(self.data_inputs(node)[0])
        ksize, strides = attr_ints(node, "ksize"), attr_ints(node, "strides")
        if ksize[0] != 1 or ksize[3] != 1:
            raise ConversionError(f"node '{name}': pooling across batch or channels is not supported")
        pads, oh, ow = self.spatial(node, shape, ksize[1], ksize[2], strides[1:3])
        attrs = dict(kernel_shape=ksize[1:3], strides=strides[1:3], pads=pads)
        if onnx_op == "AveragePool":
            attrs["count_include_pad"] = 0  # TF averages over the valid cells only
        self.emit(onnx_op, [x], [name], name, **attrs)
        self.values[name] = ("tensor", name, (shape[0], oh, ow, shape[3]))

    def op_MaxPool(self, node):
        self.pool(node, "MaxPool")

    def op_AvgPool(self, node):
        self.pool(node, "AveragePool")

    def op_Mean(self, node):
        name = node["name"]
        ins = self.data_inputs(node)
        x, shape = self.tensor(ins[0])
        axes = sorted(int(a) % 4 for a in np.atleast_1d(self.const_of(ins[1])))
        keep = attr_b(node, "keep_dims")
        if axes == [1, 2] and keep:
            self.emit("GlobalAveragePool", [x], [name], name)
            self.values[name] = ("tensor", name, (shape[0], 1, 1, shape[3]))
            return
        raise ConversionError(f"node '{name}': Mean over axes {axes} (keep_dims={keep}) is not supported")

    # ops: element-wise
    def channel_const(self, array, channels, hint):
        a = np.asarray(array, dtype=np.float32)
        if a.size == 1:
            return self.add_init(hint, a.reshape(1))
        if a.size == channels and (a.ndim == 1 or a.shape[:-1] == (1,) * (a.ndim - 1)):
            return self.add_init(hint, a.reshape(1, channels, 1, 1))
        raise ConversionError(f"'{hint}': constant of shape {a.shape} cannot broadcast as NCHW")

    def binary(self, node, onnx_op, commutative):
        name = node["name"]
        a, b = self.data_inputs(node)
        va, vb = self.value(a), self.value(b)
        if va[0] == "const" and vb[0] == "const":
            raise ConversionError(f"node '{name}': constant folding is not supported")
        if va[0] == "const":
            if not commutative:
                raise ConversionError(f"node '{name}': {node['op']} with a constant first operand")
            va, vb = vb, va
        x, shape = va[1], va[2]
        if vb[0] == "const":
            y = self.channel_const(vb[1], shape[3], name + "/y")
            out_shape = shape
        else:
            y, yshape = vb[1], vb[2]
            out_shape = tuple(max(p, q) for p, q in zip(shape, yshape))
        self.emit(onnx_op, [x, y], [name], name)
        self.values[name] = ("tensor", name, out_shape)

    def op_Add(self, node):
        self.binary(node, "Add", True)

    def op_AddV2(self, node):
        self.binary(node, "Add", True)

    def op_Mul(self, node):
        self.binary(node, "Mul", True)

    def op_Sub(self, node):
        self.binary(node, "Sub", False)

    def op_RealDiv(self, node):
        self.binary(node, "Div", False)

    def unary(self, node, kind):
        name = node["name"]
        x, shape = self.tensor(self.data_inputs(node)[0])
        self.activation(kind, x, name, name)
        self.values[name] = ("tensor", name, shape)

    def op_Relu(self, node):
        self.unary(node, "Relu")

    def op_Relu6(self, node):
        self.unary(node, "Relu6")

    def op_Sigmoid(self, node):
        self.unary(node, "Sigmoid")

    # ops: shape
    def op_ConcatV2(self, node):
        name = node["name"]
        ins = self.data_inputs(node)
        axis = int(self.const_of(ins[-1])) % 4
        parts = [self.tensor(i) for i in ins[:-1]]
        shape = list(parts[0][1])
        shape[axis] = sum(p[1][axis] for p in parts)
        self.emit("Concat", [p[0] for p in parts], [name], name, axis=NHWC_TO_NCHW_AXIS[axis])
        self.values[name] = ("tensor", name, tuple(shape))

    def op_Pad(self, node):
        name = node["name"]
        ins = self.data_inputs(node)
        x, shape = self.tensor(ins[0])
        p = np.asarray(self.const_of(ins[1])).reshape(4, 2)
        order = [0, 3, 1, 2]
        pads = [int(p[i, 0]) for i in order] + [int(p[i, 1]) for i in order]
        self.emit("Pad", [x, self.add_init(name + "/pads", np.array(pads, np.int64))], [name], name)
        self.values[name] = ("tensor", name, tuple(int(shape[i] + p[i, 0] + p[i, 1]) for i in range(4)))

    def resize(self, node, mode):
        name = node["name"]
        ins = self.data_inputs(node)
        x, shape = self.tensor(ins[0])
        oh, ow = [int(v) for v in np.asarray(self.const_of(ins[1])).reshape(2)]
        scales = np.array([1, 1, oh / shape[1], ow / shape[2]], np.float32)
        align, half = attr_b(node, "align_corners"), attr_b(node, "half_pixel_centers")
        ctm = "align_corners" if align else ("half_pixel" if half else "asymmetric")
        attrs = dict(mode=mode, coordinate_transformation_mode=ctm)
        if mode == "nearest":
            attrs["nearest_mode"] = "round_prefer_ceil" if half else "floor"
        roi = self.add_init(name + "/roi", np.zeros(0, np.float32))
        self.emit("Resize", [x, roi, self.add_init(name + "/scales", scales)], [name], name, **attrs)
        self.values[name] = ("tensor", name, (shape[0], oh, ow, shape[3]))

    def op_ResizeBilinear(self, node):
        self.resize(node, "linear")

    def op_ResizeNearestNeighbor(self, node):
        self.resize(node, "nearest")


def check(model):
    """Run onnx.checker; the attribute-form Clip that OpenCV 4.6 needs is the one allowed exception."""
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for n in probe.graph.node:
        if n.op_type == "Clip":
            del n.attribute[:]
    onnx.checker.check_model(probe)


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save(model, output):
    """Write the model (atomically) and OUTPUT.sha256 beside it in sha256sum's format; return the digest."""
    tmp = output + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, output)
    digest = sha256_of(output)
    with open(output + ".sha256", "w") as f:
        f.write(f"{digest}  {os.path.basename(output)}\n")
    return digest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_json", help="TF.js graph model.json; its weight shards lie beside it")
    ap.add_argument("output", help="ONNX file to write; OUTPUT.sha256 is written beside it")
    ap.add_argument("--outputs", help="comma-separated TF output names (default: the model's signature)")
    args = ap.parse_args()
    try:
        with open(args.model_json) as f:
            model_json = json.load(f)
        if model_json.get("format") != "graph-model":
            raise ConversionError(f"'{args.model_json}' is not a TF.js graph model (format {model_json.get('format')})")
        weights = load_weights(model_json, os.path.dirname(os.path.abspath(args.model_json)))
        outputs = (args.outputs.split(",") if args.outputs
                   else list(model_json.get("signature", {}).get("outputs", {}).keys()))
        if not outputs:
            raise ConversionError("no outputs named and the model has no signature")
        model = Converter(model_json, weights).convert(outputs)
        check(model)
    except (OSError, ValueError, KeyError) as e:
        print(f"tfjs_to_onnx: cannot convert '{args.model_json}': {e}", file=sys.stderr)
        return 1
    except ConversionError as e:
        print(f"tfjs_to_onnx: cannot convert '{args.model_json}': {e}", file=sys.stderr)
        return 1
    digest = save(model, args.output)
    n_ops = len(model.graph.node)
    print(f"tfjs_to_onnx: wrote {args.output} ({n_ops} nodes, opset {OPSET}, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
