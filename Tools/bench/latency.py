"""OpenVINO CPU latency of ovconvert's IR vs ovc's IR for the same model, measured side by side in one run.

Both IRs are compiled with the same config (inference precision f32, latency hint, one stream, the same thread
count) and fed the same seeded random inputs; one request each, timed alternately (ours, ovc, ours, ...) so that
drift in machine load hits both alike. Prints the median and the fastest latency per IR as a markdown table.
`--half` compares ovconvert --half with ovc's default FP16 weights (instead of FP32 with --compress_to_fp16=False).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verify"))
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


def main(argv: list[str]) -> int:
    """Converts each model with both converters, times both IRs alternately, prints the table."""
    ap = argparse.ArgumentParser(prog="Tools/bench/latency", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*", help=f"model names of `Tools/verify/run models` or .onnx paths "
                                              f"(default: {', '.join(DEFAULT_MODELS)})")
    ap.add_argument("--ovconvert", help="ovconvert binary (default: $OVCONVERT, else .build/debug/ovconvert)")
    ap.add_argument("--runs", type=int, default=50, help="timed inferences per IR (default: 50)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed inferences per IR first (default: 5)")
    ap.add_argument("--threads", type=int, default=0, help="INFERENCE_NUM_THREADS (default: 0, OpenVINO's choice)")
    ap.add_argument("--half", action="store_true", help="ovconvert --half vs ovc's default FP16 weights")
    args = ap.parse_args(argv)
    ovconvert = verify.resolve_ovconvert(args.ovconvert)

    import openvino as ov

    core = ov.Core()
    config = {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY", "NUM_STREAMS": "1",
              "INFERENCE_NUM_THREADS": str(args.threads)}
    mode = "half" if args.half else "f32"
    rows = []
    for name, path in (resolve(m) for m in args.models or DEFAULT_MODELS):
        feeds = verify.random_inputs(onnx.load(str(path), load_external_data=False))
        with tempfile.TemporaryDirectory(prefix="ovlatency-") as tmp:
            (Path(tmp) / "ovc").mkdir()
            xmls = {"ovconvert": convert_ovconvert(ovconvert, path, Path(tmp) / "ours", args.half, 300),
                    "ovc": convert_ovc(path, Path(tmp) / "ovc", args.half)}
            nodes = {who: sum(layer_types(xml).values()) for who, xml in xmls.items()}
            requests = {who: core.compile_model(core.read_model(str(xml)), "CPU", config).create_infer_request()
                        for who, xml in xmls.items()}
            # Inputs by name; an IR without one of the ONNX inputs does not depend on it.
            bound = {who: {port.get_any_name(): feeds[port.get_any_name()] for port in r.model_inputs}
                     for who, r in requests.items()}
            outputs = {}
            for who, r in requests.items():
                for _ in range(args.warmup):
                    r.infer(bound[who])
                outputs[who] = [np.array(t.data) for t in r.output_tensors]
            times: dict[str, list[float]] = {"ovconvert": [], "ovc": []}
            for _ in range(args.runs):
                for who, r in requests.items():
                    times[who].append(timed(r, bound[who]))
        agree = all(np.allclose(a, b, rtol=1e-2, atol=1e-3) for a, b in zip(outputs["ovconvert"], outputs["ovc"]))
        med = {who: statistics.median(t) * 1e3 for who, t in times.items()}
        best = {who: min(t) * 1e3 for who, t in times.items()}
        rows.append((name, nodes, med, best, agree))
        print(f"  {name}: ovconvert {med['ovconvert']:.3f} ms, ovc {med['ovc']:.3f} ms", file=sys.stderr, flush=True)

    print(f"OpenVINO {ov.get_version()} CPU, {mode} weights, INFERENCE_PRECISION_HINT f32, LATENCY hint, 1 stream, "
          f"{args.runs} runs after {args.warmup} warm-up, alternating\n")
    print("| model | nodes ovconvert | nodes ovc | median ms ovconvert | median ms ovc | ovconvert/ovc | "
          "min ms ovconvert | min ms ovc |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, nodes, med, best, agree in rows:
        note = "" if agree else " (outputs differ)"
        print(f"| {name}{note} | {nodes['ovconvert']} | {nodes['ovc']} | {med['ovconvert']:.3f} | {med['ovc']:.3f} | "
              f"{med['ovconvert'] / med['ovc']:.2f} | {best['ovconvert']:.3f} | {best['ovc']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
