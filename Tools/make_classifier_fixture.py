"""Builds testdata/classifier_opset9.onnx: a small opset-9 CNN classifier mixing the light models' op families with
random weights (the light models' ConstantOfShape weights make their outputs constant; this one has real numerics)."""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper

from make_yolo_fixture import ROOT, GraphBuilder, write

OPSET = 9
IR_VERSION = 3  # IR < 4: every initializer is listed as a graph input too, as in the light models
IMGSZ = 32
NUM_CLASSES = 10
GROUPS = 2  # ShuffleNet groups (grouped 1x1 convs and the channel shuffle)


class ClassifierBuilder(GraphBuilder):
    """GraphBuilder with Caffe2-style weight names (<scope>_w_0, <scope>_b_0) and the blocks of the light models."""

    def weight(self, shape: tuple[int, ...], fan_in: int, gain: float = np.sqrt(2.0)) -> np.ndarray:
        """He-scaled random weights (keep post-ReLU activations at a steady scale)."""
        return (gain * self.rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)

    def conv(self, x: str, c1: int, c2: int, k: int, s: int, scope: str, bias: bool = True, group: int = 1,
             gain: float = np.sqrt(2.0)) -> str:
        """Conv k×k, stride s, "same" pads, optional bias, grouped when group > 1."""
        inputs = [x, self.const(f"{scope}_w_0", self.weight((c2, c1 // group, k, k), c1 // group * k * k, gain))]
        if bias:
            inputs.append(self.const(f"{scope}_b_0", (0.1 * self.rng.standard_normal(c2)).astype(np.float32)))
        p = k // 2
        attrs = {"group": group} if group > 1 else {}
        return self.op1("Conv", scope, inputs, kernel_shape=[k, k], pads=[p, p, p, p], strides=[s, s], **attrs)

    def conv_relu(self, x: str, c1: int, c2: int, k: int, scope: str) -> str:
        """Inception/SqueezeNet unit: Conv (with bias) + Relu."""
        return self.op1("Relu", scope, [self.conv(x, c1, c2, k, 1, scope)])

    def batch_norm(self, x: str, c: int, scope: str) -> str:
        """Opset-9 BatchNormalization (inference form, one output) with realistic running statistics."""
        scale = self.rng.uniform(0.5, 1.5, c).astype(np.float32)
        bias = (0.1 * self.rng.standard_normal(c)).astype(np.float32)
        mean = (0.2 * self.rng.standard_normal(c)).astype(np.float32)
        var = self.rng.uniform(0.5, 2.0, c).astype(np.float32)
        inputs = [x] + [self.const(f"{scope}_{n}_0", v) for n, v in
                        (("s", scale), ("b", bias), ("rm", mean), ("riv", var))]
        return self.op1("BatchNormalization", scope, inputs, epsilon=1e-5, momentum=0.9)

    def bn_scale_relu(self, x: str, c: int, scope: str) -> str:
        """DenseNet-121 unit: BatchNormalization, Mul and Add by Unsqueeze'd [C] constants ([C,1,1]), Relu."""
        y = self.batch_norm(x, c, f"{scope}/bn")
        w = self.const(f"{scope}/bn_w_0", self.rng.uniform(0.5, 1.5, c).astype(np.float32))
        b = self.const(f"{scope}/bn_bias_0", (0.1 * self.rng.standard_normal(c)).astype(np.float32))
        y = self.op1("Mul", scope, [y, self.op1("Unsqueeze", scope, [w], axes=[1, 2])])
        y = self.op1("Add", scope, [y, self.op1("Unsqueeze", scope, [b], axes=[1, 2])])
        return self.op1("Relu", scope, [y])

    def channel_shuffle(self, x: str, c: int, hw: int, scope: str) -> str:
        """ShuffleNet channel shuffle: Reshape [1,g,c/g,h,w], Transpose [0,2,1,3,4], Reshape [1,c,h,w]."""
        split = self.const(f"{scope}/shape_0", np.array([1, GROUPS, c // GROUPS, hw, hw], np.int64))
        y = self.op1("Reshape", scope, [x, split])
        y = self.op1("Transpose", scope, [y], perm=[0, 2, 1, 3, 4])
        return self.op1("Reshape", scope, [y, self.const(f"{scope}/shape_1", np.array([1, c, hw, hw], np.int64))])


def build_features(g: ClassifierBuilder, x: str) -> tuple[str, str]:
    """Stem, inception block, dense layer + transition, shuffle unit; returns (inception output, last features)."""
    # AlexNet/GoogLeNet stem: Conv, Relu, LRN, MaxPool k3 s2 p1: [1,16,16,16]. LRN alpha is large enough to matter
    # and bias is not the default 1, but a whole number (k=2 of the AlexNet paper): OpenVINO's CPU plugin keeps the
    # bias in an int and truncates 1.5 to 1 (src/plugins/intel_cpu/src/nodes/lrn.h), whatever the IR says.
    x = g.conv_relu(x, 3, 16, 3, "conv1")
    x = g.op1("LRN", "conv1/norm", [x], size=5, alpha=1.0, beta=0.75, bias=2.0)
    x = g.op1("MaxPool", "pool1", [x], kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2])

    # Inception block: 1x1, 1x1→3x3, 1x1→5x5, MaxPool k3 s1 p1→1x1, Concat: [1,32,16,16]
    s = "inception_3a"
    b1 = g.conv_relu(x, 16, 8, 1, f"{s}/1x1")
    b2 = g.conv_relu(g.conv_relu(x, 16, 8, 1, f"{s}/3x3_reduce"), 8, 12, 3, f"{s}/3x3")
    b3 = g.conv_relu(g.conv_relu(x, 16, 4, 1, f"{s}/5x5_reduce"), 4, 6, 5, f"{s}/5x5")
    pool = g.op1("MaxPool", f"{s}/pool", [x], kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1])
    b4 = g.conv_relu(pool, 16, 6, 1, f"{s}/pool_proj")
    inception = g.op1("Concat", s, [b1, b2, b3, b4], axis=1)

    # DenseNet layer (BN-scale-Relu, bias-free 1x1 then 3x3, Concat with its input): [1,40,16,16]
    s = "conv2_1"
    y = g.conv(g.bn_scale_relu(inception, 32, f"{s}/x1"), 32, 16, 1, 1, f"{s}/x1", bias=False)
    y = g.conv(g.bn_scale_relu(y, 16, f"{s}/x2"), 16, 8, 3, 1, f"{s}/x2", bias=False)
    x = g.op1("Concat", "concat_2_1", [inception, y], axis=1)

    # DenseNet transition with AveragePool k3 s1 p1 (count_include_pad default: border means over fewer cells)
    y = g.conv(g.bn_scale_relu(x, 40, "conv2_blk"), 40, 24, 1, 1, "conv2_blk", bias=False)
    x = g.op1("AveragePool", "pool2", [y], kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1])

    # ShuffleNet unit, g=2: grouped 1x1, BN, Relu, shuffle, depthwise 3x3, BN, grouped 1x1, BN; then
    # Sum(shortcut, unit, 1x1 projection with bias) and Relu: [1,24,16,16]
    s = "gpu_0/gconv"
    y = g.op1("Relu", f"{s}1_0", [g.batch_norm(g.conv(x, 24, 12, 1, 1, f"{s}1_0", bias=False, group=GROUPS), 12,
                                                f"{s}1_0_bn")])
    y = g.channel_shuffle(y, 12, IMGSZ // 2, f"{s}_shuffle_0")
    y = g.batch_norm(g.conv(y, 12, 12, 3, 1, f"{s}3_0", bias=False, group=12, gain=1.0), 12, f"{s}3_0_bn")
    y = g.batch_norm(g.conv(y, 12, 24, 1, 1, f"{s}1_1", bias=False, group=GROUPS, gain=1.0), 24, f"{s}1_1_bn")
    proj = g.conv(x, 24, 24, 1, 1, "gpu_0/proj_0", gain=0.5)
    x = g.op1("Relu", "gpu_0/res_0", [g.op1("Sum", "gpu_0/res_0", [x, y, proj])])
    return inception, x


def build_head(g: ClassifierBuilder, inception: str, features: str) -> str:
    """Two-scale pooled head: GAP+Flatten and GAP+Reshape, Concat, Gemm, Relu, Dropout, Gemm, Softmax."""
    f1 = g.op1("Flatten", "pool5", [g.op1("GlobalAveragePool", "pool5", [features])], axis=1)  # [1,24]
    gap = g.op1("GlobalAveragePool", "pool3", [inception])
    f2 = g.op1("Reshape", "pool3", [gap, g.const("pool3/shape_0", np.array([1, 32], np.int64))])  # [1,32]
    x = g.op1("Concat", "concat_head", [f1, f2], axis=1)  # [1,56]
    w = g.const("fc6_w_0", g.weight((32, 56), 56))
    b = g.const("fc6_b_0", (0.1 * g.rng.standard_normal(32)).astype(np.float32))  # C [N]: broadcast over rows
    x = g.op1("Relu", "fc6", [g.op1("Gemm", "fc6", [x, w, b], alpha=0.5, beta=2.0, transB=1)])
    x = g.op("Dropout", "drop6", [x], n_out=2, ratio=0.4)[0]  # opset-9 form: output + (unused) mask
    w = g.const("fc7_w_0", g.weight((NUM_CLASSES, 32), 32, gain=3.0))
    b = g.const("fc7_b_0", (0.2 * g.rng.standard_normal((1, NUM_CLASSES))).astype(np.float32))  # C [1,N]
    x = g.op1("Gemm", "fc7", [x, w, b], alpha=1.5, beta=0.5, transB=1)
    g.nodes.append(helper.make_node("Softmax", [x], ["prob"], name=g.unique("prob/Softmax"), axis=1))
    return "prob"


def build_model() -> onnx.ModelProto:
    """Builds the fixture: input data [1,3,32,32] → prob [1,10], initializers also listed as graph inputs."""
    g = ClassifierBuilder(seed=9)
    output = build_head(g, *build_features(g, "data"))
    inputs = [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, IMGSZ, IMGSZ])]
    inputs += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in g.initializers]
    graph = helper.make_graph(
        g.nodes, "classifier", inputs,
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, [1, NUM_CLASSES])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
                              producer_name="ovconvert-fixtures")
    onnx.checker.check_model(model, full_check=True)
    return model


def check(model: onnx.ModelProto) -> None:
    """Runs the model in onnxruntime on the verify harness's seeded input and prints the op histogram and the
    output's range and entropy (a saturated or one-hot softmax would prove little)."""
    import onnxruntime as ort

    ops = collections.Counter(n.op_type for n in model.graph.node)
    print("ops:", ", ".join(f"{op} {n}" for op, n in sorted(ops.items())))
    data = np.random.default_rng(0).random((1, 3, IMGSZ, IMGSZ), dtype=np.float32)  # as Tools/verify/verify.py
    options = ort.SessionOptions()
    options.log_severity_level = 3  # initializers listed as inputs make ORT warn that it can't fold the Unsqueezes
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    (prob,) = session.run(None, {"data": data})
    entropy = float(-(prob * np.log(prob)).sum())
    print(f"prob {list(prob.shape)}: min {prob.min():.4f}, max {prob.max():.4f}, "
          f"entropy {entropy:.3f} nats (uniform {np.log(NUM_CLASSES):.3f})")


def main() -> None:
    """Writes testdata/classifier_opset9.onnx."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "testdata", help="output folder (default: testdata/)")
    args = ap.parse_args()
    model = build_model()
    write(model, args.out / "classifier_opset9.onnx")
    check(model)


if __name__ == "__main__":
    main()
