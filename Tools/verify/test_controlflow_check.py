"""Tests of `run controlflow`'s output comparison on hand-made arrays (no OpenVINO needed).
Run: Tools/.venv/bin/python -m unittest discover -s Tools/verify -p 'test_*.py'"""

from __future__ import annotations

import unittest

import numpy as np

import controlflow_check


def expected(*arrays: np.ndarray) -> list[tuple[str, np.ndarray]]:
    return [(f"out{k}", a) for k, a in enumerate(arrays)]


class CompareOutputs(unittest.TestCase):
    def test_equal_outputs_pass(self):
        f, i = np.array([1.0, -2.5, np.nan], np.float32), np.array([3, 4], np.int64)
        self.assertIsNone(controlflow_check.compare_outputs(expected(f, i), [f.copy(), i.copy()]))

    def test_floats_within_rtol_and_atol_pass_beyond_them_fail(self):
        want = np.array([1000.0, 0.0], np.float32)
        # 1000 * 1e-5 = 0.01 of relative room (plus 1e-6), 1e-6 of absolute room at 0
        self.assertIsNone(controlflow_check.compare_outputs(expected(want), [np.array([1000.009, 9e-7], np.float32)]))
        failure = controlflow_check.compare_outputs(expected(want), [np.array([1000.02, 0.0], np.float32)])
        self.assertIn("output out0: 1 of 2 elements differ beyond rtol 1e-05 atol 1e-06 (element 0", failure)
        self.assertIn("element 1", controlflow_check.compare_outputs(expected(want), [np.array([1000.0, 3e-6], np.float32)]))

    def test_nan_must_match_nan(self):
        failure = controlflow_check.compare_outputs(expected(np.array([np.nan], np.float32)), [np.array([0.0], np.float32)])
        self.assertIn("1 of 1 elements differ", failure)
        self.assertIsNotNone(controlflow_check.compare_outputs(expected(np.array([1.0], np.float32)), [np.array([np.nan], np.float32)]))

    def test_integers_and_booleans_must_be_exact(self):
        failure = controlflow_check.compare_outputs(expected(np.array([1, 2, 3], np.int32)), [np.array([1, 2, 4], np.int32)])
        self.assertEqual(failure, "output out0: 1 of 3 elements differ (element 2: 4, expected 3)")
        self.assertIsNotNone(controlflow_check.compare_outputs(expected(np.array([True])), [np.array([False])]))

    def test_shape_dtype_and_count_must_match(self):
        self.assertEqual(controlflow_check.compare_outputs(expected(np.zeros((2, 3), np.float32)), [np.zeros((3, 2), np.float32)]),
                         "output out0 has shape [3, 2], expected [2, 3]")
        self.assertEqual(controlflow_check.compare_outputs(expected(np.zeros(2, np.float32)), [np.zeros(2, np.float64)]),
                         "output out0 has dtype float64, expected float32")
        self.assertEqual(controlflow_check.compare_outputs(expected(np.zeros(2), np.zeros(2)), [np.zeros(2)]), "1 outputs, expected 2")


if __name__ == "__main__":
    unittest.main()
