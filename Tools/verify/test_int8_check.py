"""Tests of `run int8`'s detection agreement (F1) on hand-worked boxes (no OpenVINO needed).
Run: Tools/.venv/bin/python -m unittest discover -s Tools/verify -p 'test_int8_check.py'"""

from __future__ import annotations

import unittest

import numpy as np

import int8_check


def rows(*boxes: tuple[float, float, float, float, float, int]) -> np.ndarray:
    """Detections x1, y1, x2, y2, score, class."""
    return np.array(boxes, np.float64).reshape(-1, 6)


class F1Tests(unittest.TestCase):
    def test_identical_and_empty(self):
        a = rows((0, 0, 10, 10, 0.9, 0), (20, 20, 30, 30, 0.8, 1))
        self.assertEqual(int8_check.f1(a, a), 1.0)
        self.assertEqual(int8_check.f1(rows(), rows()), 1.0)
        self.assertEqual(int8_check.f1(a, rows()), 0.0)

    def test_iou_threshold_and_class(self):
        expected = rows((0, 0, 10, 10, 0.9, 0), (20, 20, 30, 30, 0.8, 1))
        # Box 0 shifted by 2: IoU 80/120 = 0.667 >= 0.5, a match; box 1 right place, wrong class: no match.
        # precision 1/2, recall 1/2 -> F1 0.5
        actual = rows((2, 0, 12, 10, 0.9, 0), (20, 20, 30, 30, 0.8, 0))
        self.assertAlmostEqual(int8_check.f1(expected, actual), 0.5)
        # Shifted by 4: IoU 60/140 = 0.43 < 0.5, no match.
        self.assertEqual(int8_check.f1(expected[:1], rows((4, 0, 14, 10, 0.9, 0))), 0.0)

    def test_one_expected_box_matches_once(self):
        # Two INT8 boxes on one FP32 box: 1 match, precision 1/2, recall 1 -> F1 2/3.
        expected = rows((0, 0, 10, 10, 0.9, 0))
        actual = rows((0, 0, 10, 10, 0.9, 0), (0, 0, 10, 10, 0.85, 0))
        self.assertAlmostEqual(int8_check.f1(expected, actual), 2 / 3)


if __name__ == "__main__":
    unittest.main()
