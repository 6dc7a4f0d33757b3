"""Times ovconvert's reference evaluator (`ovconvert run`) against the OpenVINO CPU runtime on the same IR:
the YOLO fixture and a YOLOv8n-sized 640x640 detector, median latency of each, as a markdown table."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import make_yolo_fixture  # noqa: E402  (Tools/ is not a package)
import machine  # noqa: E402
from bench import add_ovconvert_option, release_binary  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(__file__).resolve().parent / ".work" / "evaluator"


def yolov8n_640(path: Path) -> Path:
    """The YOLO fixture's builder at YOLOv8n's widths (16..256 channels, 64-wide head) and 640x640 input."""
    fixture = make_yolo_fixture
    saved = fixture.WIDTHS, fixture.HEAD_WIDTH, fixture.IMGSZ
    fixture.WIDTHS, fixture.HEAD_WIDTH, fixture.IMGSZ = (16, 32, 64, 128, 256), 64, 640
    try:
        model = fixture.build_model(dynamic=False)
    finally:
        fixture.WIDTHS, fixture.HEAD_WIDTH, fixture.IMGSZ = saved
    path.write_bytes(model.SerializeToString())
    return path


def evaluator_ms(ovconvert: Path, xml: Path, inputs: Path, outputs: Path, runs: int) -> float:
    """Median of `runs + 1` evaluations in one `ovconvert run --repeat` process (the extra run absorbs the cold
    first one)."""
    cmd = [str(ovconvert), "run", str(xml), "--inputs", str(inputs), "-o", str(outputs), "--repeat", str(runs + 1)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"ovconvert run failed: {proc.stderr.strip()}")
    times = re.search(r"median ([\d.]+) ms over", proc.stdout)
    return float(times.group(1))


# OpenVINO's compile config (INFERENCE_NUM_THREADS is added per run): f32 inference on every CPU.
CONFIG = {**machine.NUMERIC_CONFIG, "NUM_STREAMS": 1, "PERFORMANCE_HINT": "LATENCY"}


class OpenVINORunner:
    """One compiled model (CPU, f32, one stream, `threads` threads) and its infer request."""

    def __init__(self, xml: Path, feeds: dict[str, np.ndarray], threads: int):
        import openvino as ov

        config = {**CONFIG, "INFERENCE_NUM_THREADS": threads}
        self.compiled = ov.Core().compile_model(str(xml), "CPU", config)
        self.request = self.compiled.create_infer_request()
        self.feeds = feeds
        self.request.infer(feeds)  # warm-up

    def median_ms(self, runs: int) -> float:
        """Median latency of one synchronous inference over `runs` runs."""
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            self.request.infer(self.feeds)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1e3

    def outputs(self) -> list[np.ndarray]:
        """The last inference's outputs."""
        return [np.array(self.request.get_tensor(o).data) for o in self.compiled.outputs]


def main() -> int:
    ap = argparse.ArgumentParser(prog="Tools/bench/evaluator", description=__doc__)
    add_ovconvert_option(ap)
    ap.add_argument("--runs", type=int, default=10, help="timed runs per engine, model and round (default: 10)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds alternating the two engines (default: 3)")
    args = ap.parse_args()
    ovconvert = release_binary(args.ovconvert)
    if ovconvert is None:
        return 2
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    threads = len(os.sched_getaffinity(0))
    models = {"yolo_tiny (fixture, 128x128)": ROOT / "testdata" / "yolo_tiny.onnx",
              "YOLOv8n-size (640x640)": yolov8n_640(WORK / "yolov8n_640.onnx")}
    print(machine.banner({**CONFIG, "INFERENCE_NUM_THREADS": threads}))
    print(f"ovconvert: {ovconvert}; "
          f"median over {args.rounds} alternating rounds of the median of {args.runs} runs, after a warm-up\n")
    print("| model | evaluator | OpenVINO CPU | ratio (evaluator/OpenVINO) | max abs diff |")
    print("|---|---:|---:|---:|---:|")
    status = 0
    for label, onnx_path in models.items():
        folder = WORK / onnx_path.stem
        subprocess.run([str(ovconvert), str(onnx_path), "-o", str(folder), "-q", "--force"], check=True)
        xml = folder / f"{onnx_path.stem}.xml"
        rng = np.random.default_rng(0)
        import openvino as ov

        model = ov.Core().read_model(str(xml))
        feeds = {p.get_any_name(): rng.random(list(p.get_shape()), dtype=np.float32) for p in model.inputs}
        inputs, outputs = folder / "inputs.npz", folder / "outputs.npz"
        np.savez(inputs, **feeds)
        runner = OpenVINORunner(xml, feeds, threads)
        # Rounds alternate the two engines, so load from elsewhere on the machine hits both alike; each
        # engine's time is the median over rounds of its per-round median.
        ours, theirs = [], []
        try:
            for _ in range(args.rounds):
                ours.append(evaluator_ms(ovconvert, xml, inputs, outputs, args.runs))
                theirs.append(runner.median_ms(args.runs))
        except RuntimeError as e:
            print(f"| {label} | error: {e} | | | |")
            status = 1
            continue
        with np.load(outputs) as archive:
            diff = max(float(np.abs(archive[name] - value).max()) for name, value in zip(archive.files, runner.outputs()))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"| {label} | {a:.1f} ms | {b:.1f} ms | {a / b:.2f}x | {diff:.3g} |", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
