"""What `--nms` costs at inference: OpenVINO CPU latency of ovconvert's IR of a detector with and without
`--nms`, compiled with the same config and timed alternately in one run (compile-order pairs as
Tools/bench/latency), on a YOLOv8n-sized model with random weights (every box a candidate: NMS's worst case)
and on the trained detectors of Tools/models.py fed a photograph.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verify"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import machine  # noqa: E402
import models  # noqa: E402
import nms_check  # noqa: E402
import verify  # noqa: E402
from evaluator import yolov8n_640  # noqa: E402
from latency import paired_sessions, pooled_ratio  # noqa: E402


def cases(work: Path) -> list[tuple[str, Path, dict[str, np.ndarray]]]:
    """(label, model, feeds) for each detector measured."""
    photo = nms_check.letterbox(models.image("astronaut.png"), (640, 640))[None]
    page = nms_check.letterbox(models.image("page.png"), (1024, 1024))[None]
    return [
        ("YOLOv8n-size, random weights, 640x640 (8400 boxes, all candidates)", yolov8n_640(work / "yolov8n_640.onnx"),
         {"images": nms_check.random_images((1, 3, 640, 640), 0)}),
        ("nudenet_320n (trained YOLOv8n), astronaut.png 640x640", models.model("nudenet_320n"), {"images": photo}),
        ("yolov8n_doclaynet (trained YOLOv8n), page.png 1024x1024", models.model("yolov8n_doclaynet"), {"images": page}),
    ]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="Tools/bench/nms-latency", description=__doc__)
    ap.add_argument("--ovconvert", help="ovconvert binary (default: $OVCONVERT, else .build/debug/ovconvert; use a release build)")
    ap.add_argument("--runs", type=int, default=120, help="timed inferences per IR, over all sessions (default: 120)")
    ap.add_argument("--pairs", type=int, default=3, help="compile-order pairs of sessions (default: 3)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed inferences per IR and session (default: 5)")
    args = ap.parse_args(argv)
    ovconvert = verify.resolve_ovconvert(args.ovconvert)

    import openvino as ov

    core = ov.Core()
    config = {**machine.NUMERIC_CONFIG, "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": "1"}
    print(machine.banner(config), flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="ovnmsbench-") as tmp:
        work = Path(tmp)
        for label, model, feeds in cases(work):
            (work / model.stem).mkdir()
            xmls = {"raw": verify.convert("ovconvert", str(ovconvert), model, work / model.stem / "raw", 600, []),
                    "nms": verify.convert("ovconvert", str(ovconvert), model, work / model.stem / "nms", 600, ["--nms"])}
            times, pairs, outputs = paired_sessions(core, config, xmls, ("nms", "raw"), feeds, args.warmup,
                                                    args.runs, args.pairs)
            detections = int((outputs["nms"][0][..., 4] > 0).sum())
            med = {who: statistics.median(t) * 1e3 for who, t in times.items()}
            rows.append((label, med, pooled_ratio(pairs), detections))
            print(f"  {label}: raw {med['raw']:.2f} ms, --nms {med['nms']:.2f} ms", file=sys.stderr, flush=True)
    print(f"\n{args.runs} runs per IR in {2 * args.pairs} sessions, alternating A B B A, {args.warmup} warm-up per session\n")
    print("| model | raw output | with --nms | --nms/raw (95% CI) | NMS cost | detections |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, med, (ratio, lo, hi), detections in rows:
        print(f"| {label} | {med['raw']:.2f} ms | {med['nms']:.2f} ms | {ratio:.3f} ({lo:.3f}–{hi:.3f}) | "
              f"{med['nms'] - med['raw']:+.2f} ms | {detections} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
