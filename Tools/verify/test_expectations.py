"""Tests of the node suites' floor logic (expectations.py, `run node --check-log`) on the logs committed under
Tools/verify/logs/: every log from a real machine is accepted, and one robust case flipped to failing is not.
Run: Tools/.venv/bin/python -m unittest discover -s Tools/verify -p 'test_*.py'"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import expectations

HERE = Path(__file__).resolve().parent
LOGS = HERE / "logs"


def suites() -> dict[Path, list[Path]]:
    """Each expectations file with the logs judged against it: the current files with the logs directly under
    logs/, and each dated folder's snapshot of the files with the logs of that day's build (a log is evidence for
    the rows that existed when it ran; rows added later are judged on the newer logs)."""
    out: dict[Path, list[Path]] = {}
    for folder in [LOGS] + sorted(p for p in LOGS.iterdir() if p.is_dir()):
        base = HERE if folder == LOGS else folder
        out[base / "node-expectations.tsv"] = sorted(folder.glob("node-log-*.tsv"))
        out[base / "node-evaluator-expectations.tsv"] = sorted(folder.glob("node-evaluator-log-*.tsv"))
    return out


SUITES = suites()
CURRENT = {HERE / "node-expectations.tsv", HERE / "node-evaluator-expectations.tsv"}


def emulated(log: Path) -> bool:
    """Whether the log comes from an emulated CPU (`# emulated:` line): its passes are evidence, its failures
    may be the emulator's (qemu's TCG computes OpenVINO's AVX2 tanh wrongly), so it is not held to the floor."""
    with open(log) as f:
        return any(line.startswith("# emulated:") for line in f if line.startswith("#"))


def write_log(path: Path, results: dict[str, tuple[str, str]]) -> None:
    """Writes results in the format of `run node --log`."""
    with open(path, "w") as f:
        f.write("# cpu: test\ncase\tstatus\treason\n")
        for case, (status, reason) in results.items():
            f.write(f"{case}\t{status}\t{reason}\n")


class CommittedLogs(unittest.TestCase):
    def test_each_suite_has_logs_from_more_than_one_real_cpu(self):
        for name in ("node-log-", "node-evaluator-log-"):
            logs = [log for log_list in SUITES.values() for log in log_list if log.name.startswith(name) and not emulated(log)]
            cpus = {expectations.log_cpu(log) for log in logs}
            self.assertGreaterEqual(len(cpus), 2, f"{name}*: logs {logs}")
            self.assertNotIn(None, cpus, f"a log under {LOGS} says no CPU")
        for current in CURRENT:
            self.assertTrue([log for log in SUITES[current] if not emulated(log)], f"no current log for {current.name}")

    def test_a_dated_snapshot_s_pass_rows_are_still_listed(self):
        # Rows are never removed: a pass row stays pass, or becomes varies when a new CPU shows it failing.
        for snapshot in SUITES:
            if snapshot in CURRENT:
                continue
            now = expectations.read_expectations(HERE / snapshot.name).rows
            for e in expectations.read_expectations(snapshot).rows.values():
                with self.subTest(snapshot=str(snapshot.relative_to(HERE)), case=e.case):
                    self.assertIn(e.case, now)
                    if e.expect == expectations.PASS:
                        self.assertIn(now[e.case].expect, (expectations.PASS, expectations.VARIES))

    def test_every_committed_log_of_a_real_cpu_is_accepted(self):
        for expect_file, logs in SUITES.items():
            expected = expectations.read_expectations(expect_file)
            self.assertGreater(expected.floor, 1000)
            real = [log for log in logs if not emulated(log)]
            self.assertGreaterEqual(len(real), 1, f"{expect_file}: no log of a real CPU")
            for log in real:
                with self.subTest(log=str(log.relative_to(LOGS))):
                    verdict = expectations.judge(expectations.read_log(log), expected)
                    self.assertTrue(verdict.ok, expectations.report(verdict, expect_file.name))
                    self.assertEqual(verdict.robust_passed, expected.floor)

    def test_one_robust_case_flipped_to_failing_is_rejected(self):
        for expect_file, logs in SUITES.items():
            expected = expectations.read_expectations(expect_file)
            robust = [e.case for e in expected.rows.values() if e.expect == expectations.PASS]
            for log in (log for log in logs if not emulated(log)):
                for case in (robust[0], robust[len(robust) // 2], robust[-1]):
                    with self.subTest(log=log.name, case=case):
                        results = expectations.read_log(log)
                        results[case] = ("fail", "output 0: 1 of 4 values differ")
                        verdict = expectations.judge(results, expected)
                        self.assertFalse(verdict.ok)
                        self.assertEqual([r[0] for r in verdict.regressions], [case])
                        self.assertIn("BELOW FLOOR", expectations.report(verdict, expect_file.name)[-1])

    def test_every_varies_case_has_failed_somewhere_and_passed_somewhere(self):
        # A varies row is evidence-based: some committed log (of any day) shows each outcome, or the row says why not.
        for expect_file in CURRENT:
            logs = [log for f, log_list in SUITES.items() if f.name == expect_file.name for log in log_list]
            expected = expectations.read_expectations(expect_file)
            statuses: dict[str, set[bool]] = {}
            for log in logs:
                for case, (status, _) in expectations.read_log(log).items():
                    statuses.setdefault(case, set()).add(status == expectations.PASS)
            for e in expected.rows.values():
                if e.expect == expectations.VARIES:
                    with self.subTest(case=e.case):
                        self.assertEqual(statuses.get(e.case), {True, False}, f"{expect_file.name}: {e.case}")


class FloorLogic(unittest.TestCase):
    def setUp(self):
        self.expected = expectations.Expectations([], {
            "a": expectations.Expectation("a", "pass"),
            "b": expectations.Expectation("b", "pass"),
            "v": expectations.Expectation("v", "varies", "depends on the CPU", "pass: X; fail: Y"),
        })

    def test_varies_case_may_pass_or_fail(self):
        for status in ("pass", "fail", "timeout"):
            verdict = expectations.judge({"a": ("pass", ""), "b": ("pass", ""), "v": (status, "")}, self.expected)
            self.assertTrue(verdict.ok)
            self.assertEqual(verdict.robust_passed, 2)

    def test_robust_failure_of_any_kind_is_rejected(self):
        for status in ("fail", "convert-error", "crash", "timeout", "skip"):
            verdict = expectations.judge({"a": ("pass", ""), "b": (status, "why"), "v": ("pass", "")}, self.expected)
            self.assertEqual(verdict.regressions, [("b", status, "why")])

    def test_missing_robust_case_is_rejected_unless_the_run_was_a_selection(self):
        results = {"a": ("pass", "")}
        self.assertEqual(expectations.judge(results, self.expected).missing, ["b"])
        partial = expectations.judge(results, self.expected, complete=False)
        self.assertTrue(partial.ok)
        self.assertEqual(partial.floor, 1)

    def test_unlisted_pass_is_reported_and_recorded_by_update(self):
        verdict = expectations.judge({"a": ("pass", ""), "b": ("pass", ""), "n": ("pass", ""), "f": ("fail", "")},
                                     self.expected)
        self.assertTrue(verdict.ok)
        self.assertEqual(verdict.new_passes, ["n"])
        updated = expectations.with_new_passes(self.expected, verdict)
        self.assertEqual(updated.rows["n"].expect, "pass")
        self.assertEqual(updated.floor, 3)

    def test_file_round_trip_and_bad_rows(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "e.tsv"
            self.expected.comments = ["# comment"]
            expectations.write_expectations(path, self.expected)
            again = expectations.read_expectations(path)
            self.assertEqual(again.rows, self.expected.rows)
            self.assertEqual(again.comments, ["# comment"])
            for bad, message in (("x\tmaybe\n", "expectation 'maybe'"), ("a\tpass\na\tpass\n", "listed twice"),
                                 ("x\tvaries\n", "says no why")):
                path.write_text("case\texpect\twhy\tseen\n" + bad)
                with self.assertRaisesRegex(ValueError, message):
                    expectations.read_expectations(path)


class CheckLogCommand(unittest.TestCase):
    def run_check(self, log: Path, expect_file: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(HERE / "verify.py"), "node", "--check-log", str(log),
                               "--expect", str(expect_file)], capture_output=True, text=True, timeout=120)

    def test_committed_log_passes_and_flipped_log_fails(self):
        expect_file = HERE / "node-expectations.tsv"
        log = SUITES[expect_file][0]
        ok = self.run_check(log, expect_file)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("(ok)", ok.stdout)
        results = expectations.read_log(log)
        case = next(e.case for e in expectations.read_expectations(expect_file).rows.values() if e.expect == "pass")
        results[case] = ("fail", "output 0: 3 of 12 values differ")
        with tempfile.TemporaryDirectory() as tmp:
            flipped = Path(tmp) / "flipped.tsv"
            write_log(flipped, results)
            bad = self.run_check(flipped, expect_file)
        self.assertEqual(bad.returncode, 1, bad.stdout + bad.stderr)
        self.assertIn(f"REGRESSION {case}: fail: output 0: 3 of 12 values differ", bad.stdout)
        self.assertIn("BELOW FLOOR", bad.stdout)


if __name__ == "__main__":
    unittest.main()
