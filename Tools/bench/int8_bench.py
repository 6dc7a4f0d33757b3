"""`Tools/bench/int8`: ovconvert's `--int8` against NNCF 3.4's post-training quantization, on trained detectors.

Per model, in one run, from the same FP32 IR and the same calibration samples:
- FP32: `ovconvert MODEL.onnx -o DIR --imgsz S`;
- ours: the same plus `--int8 --data FOLDER --subset N`, FOLDER holding one `.npz` per calibration sample (the
  array named after the model input, [1,3,S,S] f32, letterboxed as Ultralytics feeds it: RGB, pad 114, /255);
- NNCF: the FP32 IR read by OpenVINO and quantized as Ultralytics' exporter does for `format=openvino int8=True`
  (Ultralytics 8.4.190, `ultralytics/utils/export/openvino.py`): `nncf.quantize(model, nncf.Dataset(samples),
  preset=MIXED, model_type=None, subset_size=len(samples), ignored_scope=...)` with NNCF's default fast bias
  correction, the samples read from the same `.npz` files, saved with `compress_to_fp16=False`.
  The ignored scope (`--nncf-scope`):
  * `ultralytics` (default): what 8.4.190 passes for a Detect head: by name, every Sigmoid and every op of the
    head's own forward and of its DFL. Ultralytics picks them from the PyTorch frontend's names (the last Sigmoid's
    module `__module.model.22`, names starting `__module.model.22/` or `__module.model.22.dfl`), which leaves the
    head's cv2/cv3 branch convolutions (`__module.model.22.cv2...`) quantized. Our IR carries the ONNX export's
    names (`/model.22/Sigmoid`, `/model.22/cv2.0/...`), so the same set is taken here as: every Sigmoid, and every
    op under the last Sigmoid's module whose next path segment is `dfl` or an op name (no dot), not a submodule
    such as `cv2.0`;
  * `types`: `IgnoredScope(types=["Multiply", "Subtract", "Sigmoid"])`, what Ultralytics 8.0 passed.

Printed: the CPU banner (every compile uses `machine.NUMERIC_CONFIG`, f32 inference) and whether the CPU has VNNI
or AMX (int8 dot products); per model the conversion times, FakeQuantize counts and Convolutions the CPU plugin runs
in int8 (`int8_check.int8_convolutions` on the compiled model) and the FakeQuantize it could not fuse into the
layer before (run on their own, in f32); the `.bin` sizes and their ratio to FP32; latency of
the three IRs (LATENCY hint, one stream; compiled afresh per session, the compile order rotated between sessions,
timed alternately within one by `latency.run_session`; median over all sessions); agreement with FP32 on inputs not
used for calibration: detections after NMS (conf 0.25, IoU 0.7, per class) of each INT8 IR against FP32's, F1 at
IoU >= 0.5 with the same class pooled over all held-out inputs, and the class scores' max abs error. Then a Markdown
table for the README. Exit 1 if a check fails: ours no slower than 1.05x NNCF, our `.bin` at most 0.3x FP32's, our
pooled F1 at least 0.9.

`--max-drop X` converts ours with `--int8-max-drop X --int8-held-out DIR`, DIR holding crops of the detector's tuning
photographs (calibration photographs, cropped with other seeds; never a held-out photograph).

Inputs are photographs shipped in PyPI wheels (`models.IMAGES`), calibration and held-out photographs disjoint;
calibration samples are each calibration photograph whole, then random crops (40-100% of each side, half mirrored;
`int8_check.crops`), the held-out inputs each held-out photograph whole and crops of it seeded apart.
nudenet_320n (faces and body parts; 320) is calibrated on bus, camera, coffee, motorcycle, chelsea, rocket, page and
text, and checked on astronaut, zidane and grace_hopper. yolov8n_doclaynet (document layout; 1024) needs document
pages, and the wheels searched ship one scan, scikit-image's page.png: it is held out (whole and crops), and the model
is calibrated on text.png and the other photographs, none of them a document page.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TOOLS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TOOLS / "verify"))
sys.path.insert(0, str(TOOLS / "bench"))
sys.path.insert(0, str(TOOLS))
import machine  # noqa: E402  (Tools/ is not a package)
import models  # noqa: E402
import verify  # noqa: E402
from int8_check import crops, f1, int8_convolutions, matches, rt  # noqa: E402
from latency import run_session  # noqa: E402
from nms_check import reference_nms  # noqa: E402

# Detection agreement: Ultralytics' predict defaults.
CONF, IOU, MAX_DET = 0.25, 0.7, 300
# The checks.
MAX_LATENCY_VS_NNCF, MAX_BIN_RATIO, MIN_F1 = 1.05, 0.3, 0.9


@dataclass
class Detector:
    name: str  # in models.MODELS
    classes: int
    size: int  # --imgsz
    calibration: list[str]  # models.IMAGES used for calibration
    held_out: list[str]  # models.IMAGES checked, never calibrated on
    held_out_crops: int  # crops of each held-out photograph besides the whole
    tuning: list[str]  # calibration photographs whose crops (seeded apart) --max-drop measures on


PEOPLE = ["astronaut.png", "zidane.jpg", "grace_hopper.jpg"]
OTHERS = ["bus.jpg", "camera.png", "coffee.png", "motorcycle_left.png", "chelsea.png", "rocket.jpg"]
DETECTORS = [
    Detector("nudenet_320n", 18, 320, [*OTHERS, "page.png", "text.png"], PEOPLE, 8, ["bus.jpg", "camera.png"]),
    Detector("yolov8n_doclaynet", 11, 1024, [*PEOPLE, *OTHERS, "text.png"], ["page.png"], 24, ["text.png"]),
]


def cpu_int8_support() -> str:
    """VNNI / AMX as the README table shows them, from /proc/cpuinfo's flags."""
    flags = machine.isa_flags()
    vnni = [f for f in ("avx512_vnni", "avx_vnni") if flags[f]]
    return f"{'VNNI (' + ', '.join(vnni) + ')' if vnni else 'no VNNI'} / {'AMX' if flags['amx_int8'] else 'no AMX'}"


def write_samples(det: Detector, input_name: str, count: int, folder: Path) -> list[Path]:
    """The calibration samples as `.npz` files (the same files feed ovconvert and NNCF): `count` in all, spread over
    the calibration photographs, each photograph's first one the whole photograph."""
    folder.mkdir(parents=True)
    paths = []
    n = len(det.calibration)
    for k, photo in enumerate(det.calibration):
        for sample in crops(models.image(photo), det.size, count // n + (k < count % n), seed=k):
            path = folder / f"{len(paths):04d}.npz"
            np.savez(path, **{input_name: sample[None]})
            paths.append(path)
    return paths


def write_tuning(det: Detector, input_name: str, count: int, folder: Path) -> None:
    """`--max-drop`'s held-out samples (`--int8-held-out`): `count` crops of the tuning photographs, seeded apart from
    calibration's and the check's, none of them a held-out photograph."""
    folder.mkdir(parents=True)
    n = len(det.tuning)
    for k, photo in enumerate(det.tuning):
        # crops() starts with the whole photograph, a calibration sample: skipped.
        for j, sample in enumerate(crops(models.image(photo), det.size, 1 + count // n + (k < count % n), seed=200 + k)[1:]):
            np.savez(folder / f"{k:02d}-{j:03d}.npz", **{input_name: sample[None]})


def ultralytics_head_scope(model) -> list[str]:
    """Ultralytics 8.4.190's ignored names for a Detect head, on an IR carrying ONNX names (see the docstring)."""
    ops = model.get_ordered_ops()
    sigmoids = [op.get_friendly_name() for op in ops if op.get_type_name() == "Sigmoid"]
    head = sigmoids[-1].rsplit("/", 1)[0]  # "/model.22"
    names = []
    for op in ops:
        name = op.get_friendly_name()
        if op.get_type_name() == "Sigmoid":
            names.append(name)
        elif name.startswith(head + "/"):
            segment = name[len(head) + 1:].split("/")[0]
            if segment == "dfl" or "." not in segment:
                names.append(name)
    return names


def nncf_quantize(fp32_xml: Path, samples: list[Path], input_name: str, scope: str, out: Path) -> Path:
    """NNCF's INT8 IR of the FP32 IR, as Ultralytics' exporter calls it (see the docstring)."""
    import nncf
    import openvino as ov

    model = ov.Core().read_model(str(fp32_xml))
    if scope == "types":
        ignored = nncf.IgnoredScope(types=["Multiply", "Subtract", "Sigmoid"])
    else:
        names = ultralytics_head_scope(model)
        print(f"  NNCF ignores {len(names)} ops of the head by name (Sigmoid, the head's own ops, DFL)", flush=True)
        ignored = nncf.IgnoredScope(names=names)
    # Read lazily: the 1024x1024 samples are 12.6 MB each.
    dataset = nncf.Dataset(samples, lambda path: np.load(path)[input_name])
    quantized = nncf.quantize(model, dataset, preset=nncf.QuantizationPreset.MIXED, model_type=None,
                              subset_size=len(samples), ignored_scope=ignored)
    out.mkdir(parents=True)
    xml = out / fp32_xml.name
    ov.save_model(quantized, str(xml), compress_to_fp16=False)
    return xml


def detections(pred: np.ndarray, classes: int) -> np.ndarray:
    """Rows x1, y1, x2, y2, score, class after Ultralytics' NMS (conf 0.25, IoU 0.7, per class)."""
    rows = reference_nms(pred.astype(np.float64), "yolov8", classes, CONF, IOU, MAX_DET)[0]
    return rows[rows[:, 4] > 0]


def held_out_inputs(det: Detector) -> list[tuple[str, np.ndarray]]:
    """(label, [1,3,S,S]) per held-out input: each photograph whole, then crops seeded apart from calibration's."""
    out = []
    for photo in det.held_out:
        for k, x in enumerate(crops(models.image(photo), det.size, 1 + det.held_out_crops, seed=100)):
            out.append((f"{photo} {'whole' if k == 0 else f'crop {k}'}", x[None]))
    return out


def bench(det: Detector, args, core, work: Path) -> dict:
    """Converts, quantizes both ways, times and compares one detector; returns its row of the table."""
    import onnx

    source = models.model(det.name)
    input_name = onnx.load(str(source), load_external_data=False).graph.input[0].name
    samples = write_samples(det, input_name, args.samples, work / "data")
    print(f"{det.name}: {len(samples)} calibration samples from {', '.join(det.calibration)}; held out "
          f"{', '.join(det.held_out)} (whole + {det.held_out_crops} crops each)", flush=True)

    size = ["--imgsz", str(det.size)]
    xmls, seconds = {}, {}
    started = time.perf_counter()
    xmls["FP32"] = verify.convert("ovconvert", str(args.ovconvert), source, work / "fp32", args.timeout, size)
    seconds["FP32"] = time.perf_counter() - started
    # --subset: every sample, as NNCF gets them (ovconvert's default is 300 spread over the folder).
    ours = [*size, "--int8", "--data", str(work / "data"), "--subset", str(len(samples)), *args.int8_args.split()]
    if args.max_drop is not None:
        write_tuning(det, input_name, args.tuning_samples, work / "tuning")
        ours += ["--int8-max-drop", str(args.max_drop), "--int8-held-out", str(work / "tuning")]
        print(f"  ours with --int8-max-drop {args.max_drop}, measured on {args.tuning_samples} crops of "
              f"{', '.join(det.tuning)}", flush=True)
    started = time.perf_counter()
    xmls["ours"] = verify.convert("ovconvert", str(args.ovconvert), source, work / "ours", args.timeout, ours)
    seconds["ours"] = time.perf_counter() - started
    started = time.perf_counter()
    xmls["NNCF"] = nncf_quantize(xmls["FP32"], samples, input_name, args.nncf_scope, work / "nncf")
    seconds["NNCF"] = time.perf_counter() - started

    # Structure: .bin sizes, FakeQuantize nodes, Convolutions the CPU plugin runs in int8.
    sizes = {who: xml.with_suffix(".bin").stat().st_size for who, xml in xmls.items()}
    compiled = {who: core.compile_model(core.read_model(str(xml)), "CPU", {**machine.NUMERIC_CONFIG, "NUM_STREAMS": 1})
                for who, xml in xmls.items()}
    for who, xml in xmls.items():
        fq = sum(op.get_type_name() == "FakeQuantize" for op in core.read_model(str(xml)).get_ops())
        quantized, total, by_type = int8_convolutions(compiled[who])
        # FakeQuantize the CPU plugin could not fuse into the layer before it runs on its own, in f32.
        standalone = sum(rt(op, "layerType") == "FakeQuantize" for op in compiled[who].get_runtime_model().get_ops())
        print(f"  {who}: converted in {seconds[who]:.1f} s, .bin {sizes[who] / 1e6:.2f} MB "
              f"({sizes[who] / sizes['FP32']:.3f} of FP32), {fq} FakeQuantize ({standalone} left unfused at run time), "
              f"Convolutions in int8 {quantized}/{total}" + (f", int8 layers {by_type}" if by_type else ""), flush=True)

    # Agreement with FP32 on the held-out inputs, pooled.
    pooled = {who: [0, 0] for who in ("ours", "NNCF")}  # matched, INT8 boxes
    fp32_boxes = 0
    score_err = {who: 0.0 for who in ("ours", "NNCF")}
    inputs = held_out_inputs(det)
    for label, x in inputs:
        outs = {who: np.asarray(c.create_infer_request().infer({0: x})[c.outputs[0]]) for who, c in compiled.items()}
        ref = detections(outs["FP32"], det.classes)
        fp32_boxes += len(ref)
        line = f"    {label}: FP32 {len(ref)} boxes"
        for who in ("ours", "NNCF"):
            got = detections(outs[who], det.classes)
            pooled[who][0] += matches(ref, got)
            pooled[who][1] += len(got)
            err = float(np.abs(outs[who][:, 4:4 + det.classes] - outs["FP32"][:, 4:4 + det.classes]).max())
            score_err[who] = max(score_err[who], err)
            line += f"; {who} {len(got)}, F1 {f1(ref, got):.3f}, scores err {err:.4f}"
        print(line, flush=True)
    f1s = {}
    for who, (matched, boxes) in pooled.items():
        f1s[who] = 1.0 if fp32_boxes + boxes == 0 else 2 * matched / (fp32_boxes + boxes)
        print(f"  {who}: pooled over {len(inputs)} held-out inputs: FP32 {fp32_boxes} boxes, {who} {boxes}, matched "
              f"{matched}, F1 {f1s[who]:.3f}; class scores max abs error {score_err[who]:.4f}", flush=True)

    # Latency: each session compiles the three IRs afresh (order rotated), then times them alternately.
    del compiled
    config = {**machine.NUMERIC_CONFIG, "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": "1"}
    feeds = {input_name: inputs[0][1]}
    names = ["FP32", "ours", "NNCF"]
    times: dict[str, list[float]] = {who: [] for who in names}
    per_session = max(2, args.runs // args.sessions)
    for s in range(args.sessions):
        order = names[s % 3:] + names[:s % 3]
        session, _ = run_session(core, config, xmls, order, feeds, args.warmup, per_session)
        for who in names:
            times[who] += session[who]
    ms = {who: statistics.median(t) * 1e3 for who, t in times.items()}
    print(f"  latency (median of {per_session * args.sessions} runs in {args.sessions} sessions): "
          f"FP32 {ms['FP32']:.2f} ms, ours {ms['ours']:.2f} ms, NNCF {ms['NNCF']:.2f} ms; "
          f"INT8/FP32: ours {ms['ours'] / ms['FP32']:.3f}, "
          f"NNCF {ms['NNCF'] / ms['FP32']:.3f}; ours/NNCF {ms['ours'] / ms['NNCF']:.3f}", flush=True)

    latency_ratio, bin_ratio = ms["ours"] / ms["NNCF"], sizes["ours"] / sizes["FP32"]
    checks = {
        f"ours/NNCF latency {latency_ratio:.3f} <= {MAX_LATENCY_VS_NNCF}": latency_ratio <= MAX_LATENCY_VS_NNCF,
        f"our .bin {bin_ratio:.3f} of FP32 <= {MAX_BIN_RATIO}": bin_ratio <= MAX_BIN_RATIO,
        f"our F1 {f1s['ours']:.3f} >= {MIN_F1}": f1s["ours"] >= MIN_F1,
    }
    for what, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'} {what}", flush=True)
    return {"name": det.name, "size": det.size, "ms": ms, "sizes": sizes, "f1": f1s, "boxes": fp32_boxes,
            "inputs": len(inputs), "ok": all(checks.values())}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="Tools/bench/int8", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ovconvert", help="ovconvert binary (default: $OVCONVERT, else .build/release/ovconvert)")
    ap.add_argument("--only", metavar="NAME", help="only the detector whose name contains NAME")
    ap.add_argument("--samples", type=int, default=300, help="calibration samples per detector (default: 300)")
    ap.add_argument("--runs", type=int, default=90, help="timed inferences per IR, over all sessions (default: 90)")
    ap.add_argument("--sessions", type=int, default=6, help="latency sessions, each compiling afresh (default: 6)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed inferences per IR per session (default: 5)")
    ap.add_argument("--nncf-scope", choices=["ultralytics", "types"], default="ultralytics",
                    help="NNCF's ignored scope: Ultralytics 8.4.190's names (default) or 8.0's types")
    ap.add_argument("--int8-args", default="", metavar="ARGS",
                    help="more ovconvert options for our INT8 conversion (e.g. --int8-args=--bias-correction)")
    ap.add_argument("--max-drop", type=float, metavar="X",
                    help="our conversion with --int8-max-drop X, measured (--int8-held-out) on crops of the detector's "
                         "tuning photographs (calibration photographs, crops seeded apart; not the held-out ones)")
    ap.add_argument("--tuning-samples", type=int, default=32,
                    help="--max-drop's held-out samples (default: 32; ovconvert reads at most 64 of them)")
    ap.add_argument("--keep", metavar="DIR", help="write the samples and IRs under DIR/NAME/ and keep them")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per ovconvert conversion (default: 3600)")
    args = ap.parse_args(argv)
    given = args.ovconvert or os.environ.get("OVCONVERT")
    args.ovconvert = Path(given).absolute() if given else verify.ROOT / ".build" / "release" / "ovconvert"
    if not args.ovconvert.exists():
        ap.error(f"no ovconvert binary at {args.ovconvert} (build with `swift build -c release` or pass --ovconvert)")
    detectors = [d for d in DETECTORS if not args.only or args.only in d.name]
    if not detectors:
        ap.error(f"no detector matches {args.only!r}; known: {', '.join(d.name for d in DETECTORS)}")

    import nncf
    import openvino as ov

    nncf.set_log_level(logging.WARNING)  # not its per-node INFO lines (progress bars stay)
    print(machine.banner({**machine.NUMERIC_CONFIG, "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": "1"}), flush=True)
    print(f"int8 instructions: {cpu_int8_support()}; NNCF {nncf.__version__}, ignored scope {args.nncf_scope!r}; "
          f"ovconvert {args.ovconvert}", flush=True)
    core = ov.Core()
    rows = []
    for det in detectors:
        if args.keep:
            work = Path(args.keep).absolute() / det.name
            if work.exists():
                sys.exit(f"error: {work} exists")
            rows.append(bench(det, args, core, work))
        else:
            with tempfile.TemporaryDirectory(prefix="ovint8bench-") as tmp:
                rows.append(bench(det, args, core, Path(tmp)))

    cpu = machine.cpu_model()
    print(f"\nOpenVINO {ov.get_version().split('-')[0]} CPU, INFERENCE_PRECISION_HINT f32, LATENCY hint, 1 stream; "
          f"{args.samples} calibration samples; NNCF {nncf.__version__} as Ultralytics calls it (MIXED, fast bias "
          f"correction, ignored scope {args.nncf_scope}); ours "
          f"{'--int8' if args.max_drop is None else f'--int8-max-drop {args.max_drop}'}"
          f"{' ' + args.int8_args if args.int8_args else ''}; F1 of INT8 detections vs FP32's (conf {CONF}, IoU {IOU}), "
          f"pooled over the held-out inputs\n")
    print("| model | CPU | VNNI / AMX | FP32 ms | ours ms | NNCF ms | ours/NNCF | .bin ours/FP32 | .bin NNCF/FP32 | "
          "F1 ours | F1 NNCF | FP32 boxes (inputs) |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ms, sizes, f = r["ms"], r["sizes"], r["f1"]
        print(f"| {r['name']} ({r['size']}) | {cpu} | {cpu_int8_support()} | {ms['FP32']:.2f} | {ms['ours']:.2f} | "
              f"{ms['NNCF']:.2f} | {ms['ours'] / ms['NNCF']:.3f} | {sizes['ours'] / sizes['FP32']:.3f} | "
              f"{sizes['NNCF'] / sizes['FP32']:.3f} | {f['ours']:.3f} | {f['NNCF']:.3f} | "
              f"{r['boxes']} ({r['inputs']}) |")
    failed = [r["name"] for r in rows if not r["ok"]]
    print(f"\n{len(rows) - len(failed)} of {len(rows)} detectors passed"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
