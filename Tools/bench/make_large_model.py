"""Writes a large synthetic ONNX model (YOLOv8x-sized weights by default) for benchmarks; never committed."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build(megabytes: int, channels: int) -> onnx.ModelProto:
    """A chain of 3x3 Conv + SiLU blocks whose weights add up to about `megabytes` MB."""
    rng = np.random.default_rng(0)
    per_conv = channels * channels * 9 * 4
    count = max(1, round(megabytes * 1_000_000 / per_conv))
    nodes, inits, x = [], [], "images"
    for i in range(count):
        w = (rng.standard_normal((channels, channels, 3, 3), dtype=np.float32) * 0.02).astype(np.float32)
        b = (rng.standard_normal(channels, dtype=np.float32) * 0.01).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"conv{i}.weight"), numpy_helper.from_array(b, f"conv{i}.bias")]
        nodes += [
            helper.make_node("Conv", [x, f"conv{i}.weight", f"conv{i}.bias"], [f"c{i}"], name=f"/conv{i}/Conv", pads=[1, 1, 1, 1]),
            helper.make_node("Sigmoid", [f"c{i}"], [f"s{i}"], name=f"/conv{i}/act/Sigmoid"),
            helper.make_node("Mul", [f"c{i}", f"s{i}"], [f"y{i}"], name=f"/conv{i}/act/Mul"),
        ]
        x = f"y{i}"
    nodes[-1].output[0] = "output0"
    graph = helper.make_graph(
        nodes, "large", [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, channels, 8, 8])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, channels, 8, 8])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("output", type=Path)
    p.add_argument("--megabytes", type=int, default=273, help="approximate weight size (default: 273, a YOLOv8x export)")
    p.add_argument("--channels", type=int, default=640)
    p.add_argument("--external", action="store_true",
                   help="weights in OUTPUT's folder as OUTPUT.data (ONNX external data; needed beyond protobuf's 2 GB)")
    a = p.parse_args()
    a.output.parent.mkdir(parents=True, exist_ok=True)
    model = build(a.megabytes, a.channels)
    if a.external:
        data = a.output.with_suffix(a.output.suffix + ".data")
        data.unlink(missing_ok=True)  # onnx appends to an existing file
        onnx.save(model, a.output, save_as_external_data=True, all_tensors_to_one_file=True, location=data.name)
        print(f"wrote {a.output} + {data.name} ({data.stat().st_size / 1e6:.1f} MB)")
    else:
        onnx.save(model, a.output)
        print(f"wrote {a.output} ({a.output.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
