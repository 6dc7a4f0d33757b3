"""Tests of `run torchscript`'s comparison, output naming and summary on small arrays (no torch, no OpenVINO needed).
Run: Tools/.venv/bin/python -m unittest discover -s Tools/verify -p 'test_*.py'"""

from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

import numpy as np

import torchscript_check as tc

LOGITS = np.array([[0.5, -1.25, 3.0]], np.float32)
BOXES = np.array([[[10.0, 20.0], [30.0, 0.0]]], np.float32)


class Compare(unittest.TestCase):
    def test_equal_and_within_tolerance_pass(self):
        expected = {"output0": LOGITS, "output1": BOXES}
        self.assertEqual(tc.compare_outputs(expected, dict(expected)), (None, 0.0))
        # |diff| <= atol + rtol * |torch|: each logit may move by 1e-4 + 1e-3 of itself, the 0 box value by 1e-4.
        nudge = np.array([0, 0, 0, 9e-5], np.float32).reshape(BOXES.shape)
        nudged = {"output0": LOGITS * np.float32(1.0009), "output1": BOXES + nudge}
        failure, max_err = tc.compare_outputs({"output0": LOGITS, "output1": BOXES}, nudged)
        self.assertIsNone(failure)
        self.assertAlmostEqual(max_err, 0.0027, places=6)

    def test_beyond_tolerance_fails_with_count_and_error(self):
        actual = LOGITS.copy()
        actual[0, 1] += 0.01  # |-1.25| * 1e-3 + 1e-4 = 1.35e-3 allowed
        failure, max_err = tc.compare_outputs({"output0": LOGITS}, {"output0": actual})
        self.assertIn("output output0: 1 of 3 values differ", failure)
        self.assertAlmostEqual(max_err, 0.01, places=6)
        # Near zero only atol counts: 2e-4 off a 0 fails.
        off = BOXES.copy()
        off[0, 1, 1] = 2e-4
        self.assertIsNotNone(tc.compare_outputs({"b": BOXES}, {"b": off})[0])

    def test_nan_fails_unless_torch_has_it_too(self):
        actual = LOGITS.copy()
        actual[0, 2] = np.nan
        failure, max_err = tc.compare_outputs({"output0": LOGITS}, {"output0": actual})
        self.assertIn("1 NaN where torch has a number", failure)
        self.assertEqual(max_err, 0.0)  # over the finite values
        self.assertEqual(tc.compare_outputs({"output0": actual}, {"output0": actual.copy()}), (None, 0.0))
        inf = LOGITS.copy()
        inf[0, 0] = np.inf
        self.assertIsNotNone(tc.compare_outputs({"output0": LOGITS}, {"output0": inf})[0])

    def test_shape_and_dtype_mismatch_fail(self):
        failure, max_err = tc.compare_outputs({"output0": LOGITS}, {"output0": LOGITS.reshape(3, 1)})
        self.assertEqual(failure, "output output0 has shape [3, 1], torch's [1, 3]")
        self.assertEqual(max_err, np.inf)
        failure, _ = tc.compare_outputs({"output0": LOGITS}, {"output0": LOGITS.astype(np.float16)})
        self.assertEqual(failure, "output output0 has dtype float16, torch's float32")

    def test_missing_and_extra_outputs_fail(self):
        failure, max_err = tc.compare_outputs({"output0": LOGITS, "output1": BOXES}, {"output0": LOGITS})
        self.assertEqual(failure, "the IR has no output output1 (its outputs: output0)")
        self.assertEqual(max_err, np.inf)
        failure, _ = tc.compare_outputs({"output0": LOGITS}, {"output0": LOGITS, "scores": BOXES})
        self.assertEqual(failure, "the IR has outputs torch does not: scores")


class Naming(unittest.TestCase):
    def test_outputs_keyed_by_wanted_name_else_first_name(self):
        outputs = [({"output0", "1242"}, LOGITS), ({"b_out", "a_out"}, BOXES), (set(), LOGITS)]
        by_name = tc.outputs_by_name(outputs, ["output0", "output1"])
        self.assertEqual(sorted(by_name), ["(unnamed output 2)", "a_out", "output0"])
        failure, _ = tc.compare_outputs({"output0": LOGITS, "output1": BOXES}, by_name)
        self.assertEqual(failure, "the IR has no output output1 (its outputs: (unnamed output 2), a_out, output0)")

    def test_find_dumps_recursive_sorted_and_filtered(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "sub").mkdir()
            for rel in ("b.ts.txt", "sub/a_unfrozen.ts.txt", "a.safetensors", "c.txt"):
                (root / rel).write_text("")
            self.assertEqual([tc.dump_name(p) for p in tc.find_dumps(root, None)], ["b", "a_unfrozen"])
            self.assertEqual([tc.dump_name(p) for p in tc.find_dumps(root, "unfrozen")], ["a_unfrozen"])
            self.assertEqual(tc.find_dumps(root, "zzz"), [])


class Summary(unittest.TestCase):
    PASS = tc.Result("cnn", None, 1e-6)
    FAIL = tc.Result("yolo", "output output0: 3 of 588 values differ")

    def test_lines(self):
        self.assertEqual(self.PASS.line(), "PASS cnn max_err=1e-06")
        self.assertEqual(self.FAIL.line(), "FAIL yolo: output output0: 3 of 588 values differ")

    def test_all_pass_at_default_floor(self):
        self.assertEqual(tc.summary([self.PASS, self.PASS], None), ("2 passed, 0 failed", 0))

    def test_any_failure_fails(self):
        self.assertEqual(tc.summary([self.PASS, self.FAIL], None)[1], 1)
        self.assertEqual(tc.summary([self.PASS, self.FAIL], 1), ("1 passed, 1 failed", 1))

    def test_floor(self):
        self.assertEqual(tc.summary([self.PASS], 2), ("1 passed, 0 failed: fewer than the floor of 2 passed", 1))
        self.assertEqual(tc.summary([self.PASS, self.PASS], 1)[1], 0)

    def test_no_dumps_is_an_error(self):
        self.assertEqual(tc.summary([], None), ("0 passed, 0 failed: no TorchScript dumps to check", 1))
        self.assertEqual(tc.summary([], 0)[1], 1)


if __name__ == "__main__":
    unittest.main()
