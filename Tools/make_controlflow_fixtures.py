"""Writes testdata/controlflow/: IRs with If and Loop saved by OpenVINO itself (ov.save_model, FP32), which the IR
reader and writer tests compare ovconvert's reading and writing against. The models are those of
Tools/verify/controlflow_check.py: `if_branch_shapes` (an If) and `loop_nested_if` (a Loop with a back edge, the
current iteration, a concatenated output and an If in its body)."""

from __future__ import annotations

import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS / "verify"))
sys.path.insert(0, str(TOOLS))
import controlflow_check  # noqa: E402

OUT = TOOLS.parent / "testdata" / "controlflow"


def main() -> None:
    import openvino as ov

    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in (("openvino_if", controlflow_check.if_branch_shapes), ("openvino_loop", controlflow_check.loop_nested_if)):
        ov.save_model(build(), str(OUT / f"{name}.xml"), compress_to_fp16=False)
        print(f"wrote {OUT / name}.xml and .bin (OpenVINO {ov.get_version()})")


if __name__ == "__main__":
    main()
