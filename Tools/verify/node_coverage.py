"""`Tools/verify/node_coverage.py`: writes docs/COVERAGE.md from a log of `Tools/verify/run node` (and optionally one of
`--engine openvino-onnx`, OpenVINO's own ONNX frontend in the same harness).

Per ONNX operator: how many of its node cases pass through OpenVINO, and for every case that does not, a one-line
reason in one of four kinds:

* `not expressible`: OpenVINO has no such element type, or its Python API cannot feed or return the value
  (sequences, optionals), so no converter can pass the case in this harness;
* `OpenVINO runtime`: the same case fails the same way when OpenVINO runs ONNX's own function body for the op
  (the `_expanded` case) and ovconvert's reference evaluator passes it (where an evaluator log is given), or the
  graph ovconvert writes passes in its reference evaluator and only OpenVINO's CPU plugin computes it otherwise
  (a wrong value, not a refusal), or the reason file says why;
* `not yet done`: an operator or attribute ovconvert does not translate yet;
* anything the reason file (`Tools/verify/coverage-reasons.tsv`: case, kind, reason) says, which wins over the rules.

A case is filed under the op of its model's single node, or for `_expanded` cases (ONNX's function body of the op)
under the op of the case they expand. The kinds are decided from the log's status and reason; a failing case that
fits no rule and has no row in the reason file makes the script exit 1 naming it, so the document never lists a
failure without a reason.

    Tools/.venv/bin/python Tools/verify/node_coverage.py --log LOG [--evaluator-log LOG] [--frontend-log LOG] [-o docs/COVERAGE.md]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

import onnx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NODE_CACHE = HERE / ".cache" / "node"
REASONS = HERE / "coverage-reasons.tsv"


def read_log(path: Path) -> tuple[dict[str, tuple[str, str]], str]:
    """case → (status, reason), and the log's `# cpu:` line."""
    results, cpu = {}, ""
    for line in path.read_text().splitlines():
        if line.startswith("# cpu:"):
            cpu = line[len("# cpu:"):].strip()
        if line.startswith("#") or line.startswith("case\t") or not line.strip():
            continue
        case, status, *rest = line.split("\t")
        results[case] = (status, rest[0] if rest else "")
    return results, cpu


def read_reasons(path: Path) -> dict[str, tuple[str, str]]:
    """case → (kind, reason) from the hand-written reason file."""
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        case, kind, reason = line.split("\t", 2)
        out[case] = (kind, reason)
    return out


def case_op(case: str, cache: Path) -> str:
    """The op a case tests: its model's node (domain::op when not ai.onnx), or the expanded case's op."""
    base = case[: -len("_expanded")] if case.endswith("_expanded") else case
    for name in (base, case):
        model = cache / name / "model.onnx"
        if model.exists():
            nodes = onnx.load(str(model), load_external_data=False).graph.node
            if name == base and len(nodes) >= 1:
                ops = {(n.domain or "ai.onnx", n.op_type) for n in nodes}
                domain, op = sorted(ops)[0] if len(ops) == 1 else (nodes[-1].domain or "ai.onnx", nodes[-1].op_type)
                return op if domain in ("", "ai.onnx") else f"{domain}::{op}"
    return "?"


UNSUPPORTED = re.compile(r"unsupported operators?:\s+(\S+?)@")
NO_TYPE = re.compile(r"element type (\S+), which OpenVINO does not support")


def classify(case: str, status: str, reason: str, results: dict, evaluator: dict | None,
             hand: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """(kind, one-line reason) for a case that does not pass; None when no rule fits."""
    if case in hand:
        return hand[case]
    if status == "skip":
        return "not expressible", re.sub(r"^skip: ", "", reason)
    if m := NO_TYPE.search(reason):
        return "not expressible", f"element type {m.group(1)} does not exist in OpenVINO"
    if m := UNSUPPORTED.search(reason):
        return "not yet done", f"{m.group(1)} is not translated yet"
    if status == "convert-error" and "is not supported" in reason:
        detail = reason.split("error: ", 1)[-1]
        return "not yet done", detail[:160]
    expanded = results.get(case + "_expanded")
    evaluator_passes = evaluator is not None and evaluator.get(case, ("", ""))[0] == "pass"
    if expanded and expanded[0] != "pass" and expanded[0] == status and _same_failure(expanded[1], reason) and \
            (evaluator is None or evaluator_passes):
        return "OpenVINO runtime", f"OpenVINO fails ONNX's own function body the same way ({_short(reason)})"
    if status == "fail" and evaluator_passes:
        return "OpenVINO runtime", f"passes in ovconvert's reference evaluator; OpenVINO's CPU plugin gives {_short(reason)}"
    if case.endswith("_expanded"):
        base = results.get(case[: -len("_expanded")])
        if base and base[0] == status and _same_failure(base[1], reason) and (evaluator is None or evaluator_passes):
            return "OpenVINO runtime", f"the same failure as the op itself ({_short(reason)})"
    return None


def _same_failure(a: str, b: str) -> bool:
    number = re.compile(r"[-+0-9.e]+")
    return number.sub("N", a) == number.sub("N", b)


def _short(reason: str) -> str:
    return reason if len(reason) <= 120 else reason[:117] + "..."


def render(results: dict, cpu: str, evaluator: dict | None, frontend: dict | None, hand: dict, cache: Path) -> tuple[str, list[str]]:
    by_op: dict[str, list[str]] = defaultdict(list)
    for case in results:
        by_op[case_op(case, cache)].append(case)
    unexplained = []
    lines = [
        "# ONNX node-case coverage",
        "",
        "Generated by `Tools/verify/node_coverage.py` from a log of `Tools/verify/run node` (ONNX 1.23.2's backend node cases, "
        "converted by ovconvert and run in OpenVINO 2026.4.1 on CPU; do not edit by hand: fix the code or "
        "`Tools/verify/coverage-reasons.tsv`, then regenerate).",
        "",
        f"CPU: {cpu}",
        "",
    ]
    passed = sum(1 for s, _ in results.values() if s == "pass")
    lines.append(f"**{passed} of {len(results)} cases pass** through OpenVINO"
                 + (f"; {sum(1 for s, _ in evaluator.values() if s == 'pass')} through ovconvert's reference evaluator" if evaluator else "")
                 + (f"; OpenVINO's own ONNX frontend passes {sum(1 for s, _ in frontend.values() if s == 'pass')} in the same harness" if frontend else "")
                 + ".")
    lines.append("")
    kinds: dict[str, int] = defaultdict(int)
    detail: list[str] = []
    summary = ["| op | cases | pass | not expressible | OpenVINO runtime | not yet done |", "|---|---:|---:|---:|---:|---:|"]
    for op in sorted(by_op, key=str.lower):
        cases = sorted(by_op[op])
        counts: dict[str, int] = defaultdict(int)
        rows = []
        for case in cases:
            status, reason = results[case]
            if status == "pass":
                counts["pass"] += 1
                continue
            verdict = classify(case, status, reason, results, evaluator, hand)
            if verdict is None:
                unexplained.append(f"{case}\t{status}\t{reason}")
                verdict = ("unexplained", _short(reason))
            counts[verdict[0]] += 1
            kinds[verdict[0]] += 1
            rows.append(f"- `{case}`: {verdict[0]}: {verdict[1]}")
        summary.append(f"| {op} | {len(cases)} | {counts['pass']} | {counts['not expressible'] or ''} | "
                       f"{counts['OpenVINO runtime'] or ''} | {counts['not yet done'] or ''} |")
        if rows:
            detail += [f"### {op}", ""] + rows + [""]
    lines.append("Failing cases by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + ".")
    lines.append("")
    if frontend is not None:
        theirs = [c for c, (s, _) in frontend.items() if s == "pass" and results.get(c, ("", ""))[0] != "pass"]
        lines += ["## Cases OpenVINO's own ONNX frontend passes and ovconvert does not", ""]
        if not theirs:
            lines += ["None.", ""]
        for case in sorted(theirs):
            status, reason = results.get(case, ("missing", ""))
            verdict = classify(case, status, reason, results, evaluator, hand) or ("unexplained", _short(reason))
            lines.append(f"- `{case}`: {verdict[0]}: {verdict[1]}")
        lines.append("")
    lines += ["## Per op", ""] + summary + ["", "## Failing cases", ""] + detail
    return "\n".join(lines).rstrip() + "\n", unexplained


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--log", type=Path, required=True, help="a `run node` log (through OpenVINO)")
    ap.add_argument("--evaluator-log", type=Path, help="a `run node --engine evaluator` log of the same build")
    ap.add_argument("--frontend-log", type=Path, help="a `run node --engine openvino-onnx` log")
    ap.add_argument("--cache", type=Path, default=NODE_CACHE, help="the node case cache (default: Tools/verify/.cache/node)")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "COVERAGE.md")
    args = ap.parse_args()
    results, cpu = read_log(args.log)
    evaluator = read_log(args.evaluator_log)[0] if args.evaluator_log else None
    frontend = read_log(args.frontend_log)[0] if args.frontend_log else None
    text, unexplained = render(results, cpu, evaluator, frontend, read_reasons(REASONS), args.cache)
    if unexplained:
        print(f"coverage: {len(unexplained)} failing cases fit no rule and have no row in {REASONS.name}:", file=sys.stderr)
        for u in unexplained:
            print("  " + u[:200], file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(f"wrote {args.output}: {sum(1 for s, _ in results.values() if s == 'pass')} of {len(results)} pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
