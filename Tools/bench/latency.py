"""OpenVINO CPU latency of ovconvert's IR vs ovc's IR for the same model, measured side by side in one run.

Both IRs are compiled with the same config (inference precision f32, latency hint, one stream, the same thread
count) and fed the same seeded random inputs; one request each, timed alternately (ours, ovc, ovc, ours, ...) so
that drift in machine load hits both alike. The runs are spread over sessions in pairs, each session compiling
both IRs afresh, one of a pair ours first and the other ovc's first: the IR compiled first runs 1-3% slower,
and each compilation lands a little differently. Prints the median and the fastest latency per IR, and the
ratio ours/ovc (per session the median of the paired ratios, per pair their geometric mean, then the geometric
mean over pairs) with a 95% t interval over the pairs: on a shared machine a 2% difference in medians can be
noise, an interval wholly above 1 is not.
`--half` compares ovconvert --half with ovc's default FP16 weights (instead of FP32 with --compress_to_fp16=False).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verify"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import machine  # noqa: E402
import verify  # noqa: E402 - model names, inputs and the ovconvert binary as `Tools/verify/run models` finds them
from compare_ovc import convert_ovc, convert_ovconvert, layer_types  # noqa: E402

DEFAULT_MODELS = ["yolo_tiny", "classifier_opset9", "light_resnet50", "light_squeezenet"]


def resolve(model: str) -> tuple[str, Path]:
    """A model of `Tools/verify/run models` by name, or an .onnx path."""
    paths = verify.model_paths()
    if model in paths:
        return model, paths[model]
    path = Path(model)
    if not path.exists():
        sys.exit(f"error: {model!r} is neither a model of `Tools/verify/run models` nor a file")
    return path.stem, path


def timed(request, feeds: dict) -> float:
    """Seconds one synchronous inference takes."""
    started = time.perf_counter()
    request.infer(feeds)
    return time.perf_counter() - started


# Two-sided 95% quantiles of Student's t by degrees of freedom (for the interval over compile-order pairs).
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def session_ratio(ours: list[float], ovc: list[float]) -> float:
    """The median of ours[i] / ovc[i] over one session's runs (each pair timed next to each other)."""
    return statistics.median(a / b for a, b in zip(ours, ovc))


def pooled_ratio(pairs: list[tuple[float, float]]) -> tuple[float, float, float]:
    """The ratio ours/ovc and its 95% interval from compile-order pairs (one session compiled ours first, one
    ovc first): each pair's geometric mean cancels the compile-order penalty; their geometric mean is the
    estimate and the t interval of their logs, the spread between fresh compilations, the interval."""
    logs = [(math.log(a) + math.log(b)) / 2 for a, b in pairs]
    mean = statistics.fmean(logs)
    if len(logs) < 2:
        return math.exp(mean), float("nan"), float("nan")
    half = T95.get(len(logs) - 1, 1.96) * statistics.stdev(logs) / math.sqrt(len(logs))
    return math.exp(mean), math.exp(mean - half), math.exp(mean + half)


def run_session(core, config: dict, xmls: dict[str, Path], names: list[str], feeds: dict, warmup: int, runs: int
                ) -> tuple[dict[str, list[float]], dict[str, list[np.ndarray]]]:
    """Compiles the IRs in the order of `names`, warms each up, then times `runs` inferences of each,
    alternating A, B, B, A, ... (whichever goes first in a pair would otherwise always pay for what the other
    left in the caches). Returns the seconds per IR and each IR's outputs."""
    requests = {who: core.compile_model(core.read_model(str(xmls[who])), "CPU", config).create_infer_request()
                for who in names}
    # Inputs by name; an IR without one of the ONNX inputs does not depend on it.
    bound = {who: {port.get_any_name(): feeds[port.get_any_name()] for port in r.model_inputs}
             for who, r in requests.items()}
    outputs = {}
    for who, r in requests.items():
        for _ in range(warmup):
            r.infer(bound[who])
        outputs[who] = [np.array(t.data) for t in r.output_tensors]
    order = list(requests.items())
    times: dict[str, list[float]] = {who: [] for who in names}
    for run in range(runs):
        for who, r in (order if run % 2 == 0 else order[::-1]):
            times[who].append(timed(r, bound[who]))
    return times, outputs


def paired_sessions(core, config: dict, xmls: dict[str, Path], who: tuple[str, str], feeds: dict, warmup: int,
                    runs: int, pairs: int) -> tuple[dict[str, list[float]], list[tuple[float, float]], dict]:
    """Times the two IRs `who` (a, b) over `pairs` pairs of sessions, one of each pair compiling a first, the other
    b first: the IR compiled first ran 1-3% slower on this machine whichever it was (even the same IR twice), so
    a fixed order biases the comparison, and each fresh compilation lands a little differently, so one session
    is not enough. Returns the seconds per IR, each pair's two a/b session ratios, and the last outputs."""
    a, b = who
    times: dict[str, list[float]] = {a: [], b: []}
    ratios: list[tuple[float, float]] = []
    outputs: dict = {}
    for _ in range(pairs):
        pair = []
        for names in ([a, b], [b, a]):
            session, outputs = run_session(core, config, xmls, names, feeds, warmup, max(2, runs // (2 * pairs)))
            pair.append(session_ratio(session[a], session[b]))
            for w in times:
                times[w] += session[w]
        ratios.append((pair[0], pair[1]))
    return times, ratios, outputs


def main(argv: list[str]) -> int:
    """Converts each model with both converters, times both IRs alternately, prints the table."""
    ap = argparse.ArgumentParser(prog="Tools/bench/latency", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*", help=f"model names of `Tools/verify/run models` or .onnx paths "
                                              f"(default: {', '.join(DEFAULT_MODELS)})")
    ap.add_argument("--ovconvert", help="ovconvert binary (default: $OVCONVERT, else .build/debug/ovconvert)")
    ap.add_argument("--runs", type=int, default=80, help="timed inferences per IR, over all sessions (default: 80)")
    ap.add_argument("--pairs", type=int, default=4,
                    help="compile-order pairs of sessions, each IR compiled afresh per session (default: 4)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed inferences per IR at the start of each session (default: 5)")
    ap.add_argument("--threads", type=int, default=0, help="INFERENCE_NUM_THREADS (default: 0, OpenVINO's choice)")
    ap.add_argument("--half", action="store_true", help="ovconvert --half vs ovc's default FP16 weights")
    ap.add_argument("--shape", action="append", default=[], metavar="INPUT=D,D,...",
                    help="feed this input at this shape (for dynamic dims without imgsz metadata, e.g. x=1,3,48,320); "
                         "repeatable, applies to every model with an input of that name")
    args = ap.parse_args(argv)
    try:
        shapes = {name: [int(d) for d in dims.split(",")] for name, dims in (s.split("=", 1) for s in args.shape)}
    except ValueError:
        ap.error(f"--shape takes INPUT=D,D,..., got {args.shape}")
    if args.pairs < 1:
        ap.error("--pairs must be at least 1")
    ovconvert = verify.resolve_ovconvert(args.ovconvert)

    import openvino as ov

    core = ov.Core()
    config = {**machine.NUMERIC_CONFIG, "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": "1",
              "INFERENCE_NUM_THREADS": str(args.threads)}
    print(machine.banner(config), flush=True)
    mode = "half" if args.half else "f32"
    rows = []
    for name, path in (resolve(m) for m in args.models or DEFAULT_MODELS):
        feeds = verify.random_inputs(onnx.load(str(path), load_external_data=False), shapes)
        with tempfile.TemporaryDirectory(prefix="ovlatency-") as tmp:
            (Path(tmp) / "ovc").mkdir()
            xmls = {"ovconvert": convert_ovconvert(ovconvert, path, Path(tmp) / "ours", args.half, 300),
                    "ovc": convert_ovc(path, Path(tmp) / "ovc", args.half)}
            nodes = {who: sum(layer_types(xml).values()) for who, xml in xmls.items()}
            times, pairs, outputs = paired_sessions(core, config, xmls, ("ovconvert", "ovc"), feeds, args.warmup,
                                                    args.runs, args.pairs)
        agree = all(np.allclose(a, b, rtol=1e-2, atol=1e-3) for a, b in zip(outputs["ovconvert"], outputs["ovc"]))
        med = {who: statistics.median(t) * 1e3 for who, t in times.items()}
        best = {who: min(t) * 1e3 for who, t in times.items()}
        rows.append((name, nodes, med, best, pooled_ratio(pairs), agree))
        print(f"  {name}: ovconvert {med['ovconvert']:.3f} ms, ovc {med['ovc']:.3f} ms", file=sys.stderr, flush=True)

    print(f"OpenVINO {ov.get_version()} CPU, {mode} weights, INFERENCE_PRECISION_HINT f32, LATENCY hint, 1 stream, "
          f"{args.runs} runs in {2 * args.pairs} sessions (compiled afresh, alternately ours or ovc's first), "
          f"alternating A B B A, {args.warmup} warm-up per session\n")
    print("| model | nodes ovconvert | nodes ovc | median ms ovconvert | median ms ovc | min ms ovconvert | min ms ovc | "
          "ovconvert/ovc (95% CI) | verdict |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    slower = 0
    for name, nodes, med, best, (ratio, lo, hi), agree in rows:
        note = "" if agree else " (outputs differ)"
        verdict = ("no interval from one pair" if math.isnan(lo) else
                   "slower" if lo > 1 else "faster" if hi < 1 else "same (within noise)")
        slower += lo > 1
        print(f"| {name}{note} | {nodes['ovconvert']} | {nodes['ovc']} | {med['ovconvert']:.3f} | {med['ovc']:.3f} | "
              f"{best['ovconvert']:.3f} | {best['ovc']:.3f} | {ratio:.3f} ({lo:.3f}–{hi:.3f}) | {verdict} |")
    print(f"\n{len(rows) - slower} of {len(rows)} models: ovconvert's IR no slower than ovc's (its interval "
          f"reaches 1 or below); {slower} slower")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
