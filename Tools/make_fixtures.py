"""Regenerates every ONNX fixture under testdata/ (deterministic bytes; run after changing a builder)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import make_classifier_fixture
import make_yolo_fixture

ROOT = Path(__file__).resolve().parent.parent


def checked_model(nodes: list, name: str, x_shape: list, y_shape: list, weights: dict) -> onnx.ModelProto:
    """An opset-17 model of `nodes` with the f32 input x and output y and `weights` as initializers, checked."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
        [numpy_helper.from_array(v, k) for k, v in weights.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8,
                              producer_name="ovconvert-fixtures")
    onnx.checker.check_model(model, full_check=True)
    return model


def build_external_data_model() -> onnx.ModelProto:
    """Conv → Relu → Flatten → MatMul → Add, x [1,3,8,8] → y [1,10] (no shape tensors: ORT can't read them external)."""
    rng = np.random.default_rng(0)
    weights = {
        "conv.weight": (rng.standard_normal((4, 3, 3, 3)) / np.sqrt(27)).astype(np.float32),
        "conv.bias": (0.1 * rng.standard_normal(4)).astype(np.float32),
        "fc.weight": (rng.standard_normal((256, 10)) / 16).astype(np.float32),
        "fc.bias": (0.1 * rng.standard_normal(10)).astype(np.float32),
    }
    nodes = [
        helper.make_node("Conv", ["x", "conv.weight", "conv.bias"], ["conv_out"], name="conv",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Relu", ["conv_out"], ["relu_out"], name="relu"),
        helper.make_node("Flatten", ["relu_out"], ["flat"], name="flatten", axis=1),
        helper.make_node("MatMul", ["flat", "fc.weight"], ["fc_mm"], name="fc_matmul"),
        helper.make_node("Add", ["fc_mm", "fc.bias"], ["y"], name="fc_add"),
    ]
    return checked_model(nodes, "external_data", [1, 3, 8, 8], [1, 10], weights)


def write_external_data_model(folder: Path) -> None:
    """Writes folder/model.onnx with all initializers in folder/weights.bin (relative location)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("model.onnx", "weights.bin"):
        (folder / name).unlink(missing_ok=True)  # onnx appends to an existing weights.bin
    onnx.save_model(build_external_data_model(), folder / "model.onnx", save_as_external_data=True,
                    all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
    onnx.checker.check_model(str(folder / "model.onnx"), full_check=True)
    for name in ("model.onnx", "weights.bin"):
        make_yolo_fixture.report(folder / name)


def build_half_guards_model() -> onnx.ModelProto:
    """RMS norm (epsilon 1e-12) → MatMul 64×64 → Add → Reshape → + mask bias (-1e6 on the last 16) → Softmax,
    x [1,64] → y [1,64]: `--half` must compress the weights and keep `eps` and `mask_bias` in f32."""
    rng = np.random.default_rng(0)
    mask = np.zeros(64, np.float32)
    mask[48:] = -1e6
    weights = {
        "eps": np.array(1e-12, np.float32),
        "fc.weight": (rng.standard_normal((64, 64)) / 8).astype(np.float32),
        "fc.bias": (0.1 * rng.standard_normal(64)).astype(np.float32),
        "shape": np.array([1, 64], np.int64),
        "mask_bias": mask,
    }
    nodes = [
        helper.make_node("Mul", ["x", "x"], ["sq"], name="square"),
        helper.make_node("ReduceMean", ["sq"], ["ms"], name="mean_square", axes=[1], keepdims=1),
        helper.make_node("Add", ["ms", "eps"], ["ms_eps"], name="add_eps"),
        helper.make_node("Sqrt", ["ms_eps"], ["rms"], name="rms"),
        helper.make_node("Div", ["x", "rms"], ["z"], name="normalize"),
        helper.make_node("MatMul", ["z", "fc.weight"], ["fc_mm"], name="fc_matmul"),
        helper.make_node("Add", ["fc_mm", "fc.bias"], ["fc_out"], name="fc_add"),
        helper.make_node("Reshape", ["fc_out", "shape"], ["h"], name="reshape"),
        helper.make_node("Add", ["h", "mask_bias"], ["masked"], name="mask"),
        helper.make_node("Softmax", ["masked"], ["y"], name="softmax", axis=-1),
    ]
    return checked_model(nodes, "half_guards", [1, 64], [1, 64], weights)


def build_channel_shuffle_model() -> onnx.ModelProto:
    """ShuffleNet's channel shuffle as PyTorch exports it, twice: Conv 8→12 → Relu → Reshape [1,3,4,6,6] →
    Transpose [0,2,1,3,4] → Reshape [1,12,6,6] → Conv 12→12 (groups 2) → Reshape [-1,2,6,6,6] → Transpose →
    Reshape [-1,12,6,6] → Conv 12→4 → y, x [1,8,6,6] → y [1,4,6,6]. Random weights, so a wrong channel order
    changes the output (the onnx wheel's light models have equal logits for every class)."""
    rng = np.random.default_rng(0)
    weights = {
        "conv1.weight": (rng.standard_normal((12, 8, 1, 1)) / np.sqrt(8)).astype(np.float32),
        "conv1.bias": (0.1 * rng.standard_normal(12)).astype(np.float32),
        "conv2.weight": (rng.standard_normal((12, 6, 3, 3)) / np.sqrt(54)).astype(np.float32),
        "conv3.weight": (rng.standard_normal((4, 12, 1, 1)) / np.sqrt(12)).astype(np.float32),
        "split3": np.array([1, 3, 4, 6, 6], np.int64),
        "merge12": np.array([1, 12, 6, 6], np.int64),
        "split2": np.array([-1, 2, 6, 6, 6], np.int64),
        "merge_any": np.array([-1, 12, 6, 6], np.int64),
    }
    nodes = [
        helper.make_node("Conv", ["x", "conv1.weight", "conv1.bias"], ["c1"], name="conv1", kernel_shape=[1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Reshape", ["r1", "split3"], ["g1"], name="shuffle1/split"),
        helper.make_node("Transpose", ["g1"], ["t1"], name="shuffle1/swap", perm=[0, 2, 1, 3, 4]),
        helper.make_node("Reshape", ["t1", "merge12"], ["s1"], name="shuffle1/merge"),
        helper.make_node("Conv", ["s1", "conv2.weight"], ["c2"], name="conv2", kernel_shape=[3, 3], group=2,
                         pads=[1, 1, 1, 1]),
        helper.make_node("Reshape", ["c2", "split2"], ["g2"], name="shuffle2/split"),
        helper.make_node("Transpose", ["g2"], ["t2"], name="shuffle2/swap", perm=[0, 2, 1, 3, 4]),
        helper.make_node("Reshape", ["t2", "merge_any"], ["s2"], name="shuffle2/merge"),
        helper.make_node("Conv", ["s2", "conv3.weight"], ["y"], name="conv3", kernel_shape=[1, 1]),
    ]
    return checked_model(nodes, "channel_shuffle", [1, 8, 6, 6], [1, 4, 6, 6], weights)


def build_attention_model() -> onnx.ModelProto:
    """One self-attention block as PyTorch exports it: x [1,6,16] → q, k, v projections (MatMul) → Reshape
    [1,6,2,8] → Transpose (q, v: [0,2,1,3]; k: [0,2,3,1], already kᵀ) → MatMul(q, kᵀ) → Div √8 → + mask
    [1,1,6,6] (-1e4 above the diagonal) → Softmax(-1) → MatMul v → Transpose back → Reshape [1,6,16] → MatMul
    → y [1,6,16]. ScaledDotProductAttentionFusion must turn the middle into one ScaledDotProductAttention."""
    rng = np.random.default_rng(0)
    mask = np.triu(np.full((6, 6), -1e4, np.float32), k=1).reshape(1, 1, 6, 6)
    weights = {
        **{f"{p}.weight": (rng.standard_normal((16, 16)) / 4).astype(np.float32) for p in ("q", "k", "v", "out")},
        "heads": np.array([1, 6, 2, 8], np.int64),
        "merged": np.array([1, 6, 16], np.int64),
        "sqrt_e": np.array(np.sqrt(8), np.float32),
        "mask": mask,
    }
    nodes = [
        *[helper.make_node("MatMul", ["x", f"{p}.weight"], [f"{p}_proj"], name=f"{p}_proj") for p in ("q", "k", "v")],
        *[helper.make_node("Reshape", [f"{p}_proj", "heads"], [f"{p}_heads"], name=f"{p}_heads") for p in ("q", "k", "v")],
        helper.make_node("Transpose", ["q_heads"], ["q"], name="q_transpose", perm=[0, 2, 1, 3]),
        helper.make_node("Transpose", ["k_heads"], ["k_t"], name="k_transpose", perm=[0, 2, 3, 1]),
        helper.make_node("Transpose", ["v_heads"], ["v"], name="v_transpose", perm=[0, 2, 1, 3]),
        helper.make_node("MatMul", ["q", "k_t"], ["scores"], name="scores"),
        helper.make_node("Div", ["scores", "sqrt_e"], ["scaled"], name="scale"),
        helper.make_node("Add", ["scaled", "mask"], ["masked"], name="mask_add"),
        helper.make_node("Softmax", ["masked"], ["weights"], name="softmax", axis=-1),
        helper.make_node("MatMul", ["weights", "v"], ["context"], name="attention"),
        helper.make_node("Transpose", ["context"], ["context_t"], name="context_transpose", perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["context_t", "merged"], ["context_merged"], name="context_merge"),
        helper.make_node("MatMul", ["context_merged", "out.weight"], ["y"], name="out_proj"),
    ]
    return checked_model(nodes, "attention_block", [1, 6, 16], [1, 6, 16], weights)


def main() -> None:
    """Writes all fixtures into --out (default testdata/)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "testdata", help="output folder (default: testdata/)")
    out = ap.parse_args().out
    make_yolo_fixture.write(make_yolo_fixture.build_model(dynamic=False), out / "yolo_tiny.onnx")
    make_yolo_fixture.write(make_yolo_fixture.build_model(dynamic=True), out / "yolo_tiny_dynamic.onnx")
    make_yolo_fixture.write(make_yolo_fixture.build_model(dynamic=True, head="yolov5"), out / "yolo_tiny_v5.onnx")
    make_yolo_fixture.write(make_yolo_fixture.build_model(dynamic=True, head="segment"), out / "yolo_tiny_seg.onnx")
    write_external_data_model(out / "external_data")
    make_yolo_fixture.write(make_classifier_fixture.build_model(), out / "classifier_opset9.onnx")
    make_yolo_fixture.write(build_half_guards_model(), out / "half_guards.onnx")
    make_yolo_fixture.write(build_channel_shuffle_model(), out / "channel_shuffle.onnx")
    make_yolo_fixture.write(build_attention_model(), out / "attention_block.onnx")


if __name__ == "__main__":
    main()
