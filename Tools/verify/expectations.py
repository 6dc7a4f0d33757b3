"""Per-case expectations of the node suites, so that their floor holds on every CPU.

An expectations file (TSV, `#` comment lines first) lists cases with `pass` (must pass on every CPU: a failure
fails the run) or `varies` (the result depends on the CPU: it may pass or fail; the row says why and on which
CPUs it was seen passing and failing). A case not listed is expected to fail; one that passes is reported as
new, and `--update-expectations` records it. The floor is the number of `pass` rows: every one must pass.

A run's log (`case status reason`, as `Tools/verify/run node --log` writes it) can be judged again without
running the cases (`--check-log`), which is how logs from other machines are checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PASS, VARIES = "pass", "varies"
COLUMNS = ("case", "expect", "why", "seen")


@dataclass
class Expectation:
    """One row: a case, what it must do, and for a CPU-dependent case why and where its results were seen."""

    case: str
    expect: str
    why: str = ""
    seen: str = ""


@dataclass
class Expectations:
    """An expectations file: its comment lines and its rows by case, in file order."""

    comments: list[str]
    rows: dict[str, Expectation]

    @property
    def floor(self) -> int:
        """The number of cases that must pass everywhere."""
        return sum(e.expect == PASS for e in self.rows.values())


@dataclass
class Verdict:
    """What a run's results mean against the expectations."""

    floor: int
    robust_passed: int
    regressions: list[tuple[str, str, str]] = field(default_factory=list)  # case, status, reason
    missing: list[str] = field(default_factory=list)  # listed cases the run did not have
    varies_passed: list[str] = field(default_factory=list)
    varies_failed: list[str] = field(default_factory=list)
    new_passes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No case that must pass failed or went missing."""
        return not self.regressions and not self.missing


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Comment lines and tab-separated rows of a TSV file, its header row dropped."""
    comments, rows = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                comments.append(line)
            elif line.strip():
                rows.append(line.split("\t"))
    return comments, rows[1:]


def read_log(path: Path) -> dict[str, tuple[str, str]]:
    """A run's per-case log: case -> (status, reason)."""
    _, rows = _rows(path)
    bad = next((i for i, row in enumerate(rows) if len(row) < 2), None)
    if bad is not None:
        raise ValueError(f"{path}: row {bad + 2} has no status column: {rows[bad]!r}")
    return {row[0]: (row[1], row[2] if len(row) > 2 else "") for row in rows}


def log_cpu(path: Path) -> str | None:
    """The CPU a log names in its `# cpu: ...` line, if it has one."""
    comments, _ = _rows(path)
    return next((c.split(":", 1)[1].strip() for c in comments if c.startswith("# cpu:")), None)


def read_expectations(path: Path) -> Expectations:
    """Reads an expectations file; a row with an unknown expectation or a case listed twice is an error."""
    comments, rows = _rows(path)
    result: dict[str, Expectation] = {}
    for number, row in enumerate(rows, 2 + len(comments)):
        row = row + [""] * (len(COLUMNS) - len(row))
        case, expect, why, seen = row[:4]
        if expect not in (PASS, VARIES):
            raise ValueError(f"{path}:{number}: case {case!r} has expectation {expect!r} (expected pass or varies)")
        if case in result:
            raise ValueError(f"{path}:{number}: case {case!r} is listed twice")
        if expect == VARIES and not why:
            raise ValueError(f"{path}:{number}: CPU-dependent case {case!r} says no why")
        result[case] = Expectation(case, expect, why, seen)
    return Expectations(comments, result)


def write_expectations(path: Path, expectations: Expectations) -> None:
    """Writes the file: the comment lines, the header, then the rows sorted by case."""
    with open(path, "w", encoding="utf-8") as f:
        for line in expectations.comments:
            f.write(line + "\n")
        f.write("\t".join(COLUMNS) + "\n")
        for case in sorted(expectations.rows):
            e = expectations.rows[case]
            f.write("\t".join([e.case, e.expect, e.why, e.seen]).rstrip("\t") + "\n")


def judge(results: dict[str, tuple[str, str]], expectations: Expectations, complete: bool = True) -> Verdict:
    """Judges per-case results. `complete`: the run covered every case (not a `--only` selection), so a
    listed case absent from it is missing; otherwise only the cases run are judged."""
    considered = [e for e in expectations.rows.values() if complete or e.case in results]
    verdict = Verdict(floor=sum(e.expect == PASS for e in considered), robust_passed=0)
    for e in considered:
        if e.case not in results:
            if e.expect == PASS:
                verdict.missing.append(e.case)
            continue
        status, reason = results[e.case]
        if e.expect == VARIES:
            (verdict.varies_passed if status == PASS else verdict.varies_failed).append(e.case)
        elif status == PASS:
            verdict.robust_passed += 1
        else:
            verdict.regressions.append((e.case, status, reason))
    verdict.new_passes = sorted(c for c, (s, _) in results.items() if s == PASS and c not in expectations.rows)
    return verdict


def report(verdict: Verdict, label: str) -> list[str]:
    """The lines that explain a verdict; the last one says whether the floor holds."""
    lines = []
    for case, status, reason in verdict.regressions:
        lines.append(f"REGRESSION {case}: {status}: {reason}")
    for case in verdict.missing:
        lines.append(f"MISSING {case}: listed as pass in {label} but not run")
    if verdict.varies_passed or verdict.varies_failed:
        lines.append(f"cases that vary by CPU or environment ({label}, varies): {len(verdict.varies_passed)} passed, "
                     f"{len(verdict.varies_failed)} failed here (not counted)")
    if verdict.new_passes:
        shown = ", ".join(verdict.new_passes[:10]) + (" ..." if len(verdict.new_passes) > 10 else "")
        lines.append(f"new passes not in {label}: {len(verdict.new_passes)} ({shown}); "
                     f"record them with --update-expectations")
    state = "ok" if verdict.ok else "BELOW FLOOR"
    lines.append(f"floor: {verdict.robust_passed} of the {verdict.floor} cases that must pass on every CPU pass "
                 f"({state})")
    return lines


def with_new_passes(expectations: Expectations, verdict: Verdict) -> Expectations:
    """The expectations with the verdict's new passes added as `pass`. Regressions are never written away:
    a listed case that fails is either a bug to fix or, where another CPU shows it, to be marked varies by
    hand with its why."""
    rows = dict(expectations.rows)
    for case in verdict.new_passes:
        rows[case] = Expectation(case, PASS)
    return Expectations(expectations.comments, rows)
