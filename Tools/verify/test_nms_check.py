"""Tests of `run nms`'s numpy reference and validity check on hand-worked detections (no OpenVINO needed).
Run: Tools/.venv/bin/python -m unittest discover -s Tools/verify -p 'test_*.py'"""

from __future__ import annotations

import unittest

import numpy as np

import nms_check

# Four boxes (cx, cy, w, h), two classes, YOLOv8 layout [1, 4+2, 4]:
#   box 0: (10,10) 10x10, class 0 score 0.9
#   box 1: (11,10) 10x10, class 0 score 0.8  -> IoU with box 0 = 90/110 = 0.818 > 0.7: suppressed
#   box 2: (10,10) 10x10, class 1 score 0.7  -> same place as box 0 but another class: kept
#   box 3: (40,40) 10x10, class 0 score 0.2  -> below conf 0.25: dropped
BOXES = np.array([[10, 10, 10, 10], [11, 10, 10, 10], [10, 10, 10, 10], [40, 40, 10, 10]], np.float32)
SCORES = np.array([[0.9, 0.1], [0.8, 0.05], [0.1, 0.7], [0.2, 0.0]], np.float32)
PRED_V8 = np.concatenate([BOXES, SCORES], axis=1).T[None]  # [1, 6, 4]


class Reference(unittest.TestCase):
    def test_hand_worked_yolov8(self):
        out = nms_check.reference_nms(PRED_V8, "yolov8", 2, conf=0.25, iou=0.7, max_det=5)
        expected = np.zeros((1, 5, 6))
        expected[0, 0] = [5, 5, 15, 15, 0.9, 0]
        expected[0, 1] = [5, 5, 15, 15, 0.7, 1]
        np.testing.assert_allclose(out, expected, atol=1e-6)

    def test_agnostic_suppresses_across_classes_and_max_det_truncates(self):
        out = nms_check.reference_nms(PRED_V8, "yolov8", 2, conf=0.25, iou=0.7, max_det=5, agnostic=True)
        self.assertEqual(int((out[0, :, 4] > 0).sum()), 1)
        out = nms_check.reference_nms(PRED_V8, "yolov8", 2, conf=0.1, iou=0.7, max_det=2)
        np.testing.assert_allclose(out[0, :, 4], [0.9, 0.7], atol=1e-6)

    def test_yolov5_multiplies_objectness_and_extra_rides_along(self):
        objectness = np.array([[1.0], [1.0], [0.5], [1.0]], np.float32)
        extra = np.array([[1, 2], [3, 4], [5, 6], [7, 8]], np.float32)
        pred = np.concatenate([BOXES, objectness, SCORES, extra], axis=1)[None]  # [1, 4, 5+2+2]
        out = nms_check.reference_nms(pred, "yolov5", 2, conf=0.25, iou=0.7, max_det=3)
        np.testing.assert_allclose(out[0, 0], [5, 5, 15, 15, 0.9, 0, 1, 2], atol=1e-6)
        np.testing.assert_allclose(out[0, 1], [5, 5, 15, 15, 0.35, 1, 5, 6], atol=1e-6)  # 0.7 x 0.5
        self.assertEqual(out[0, 2].tolist(), [0] * 8)


class Validity(unittest.TestCase):
    def setUp(self):
        self.good = nms_check.reference_nms(PRED_V8, "yolov8", 2, conf=0.25, iou=0.7, max_det=5).astype(np.float32)

    def violation(self, actual):
        return nms_check.nms_violation(PRED_V8, "yolov8", 2, 0.25, 0.7, 5, actual)

    def test_reference_output_is_valid(self):
        self.assertIsNone(self.violation(self.good))
        self.assertIsNone(nms_check.compare_detections(self.good.astype(np.float64), self.good))

    def test_missing_box_is_caught(self):
        broken = self.good.copy()
        broken[0, 1] = 0
        self.assertIn("neither kept nor suppressed", self.violation(broken))
        self.assertIn("1 detections, expected 2", nms_check.compare_detections(self.good, broken))

    def test_suppressed_box_kept_is_caught(self):
        broken = self.good.copy()
        broken[0, 1:3] = [[6, 5, 16, 15, 0.8, 0], broken[0, 1]]  # box 1, which box 0 suppresses, in score order
        self.assertIn("overlaps a kept box", self.violation(broken))

    def test_wrong_class_order_and_invented_box_are_caught(self):
        broken = self.good.copy()
        broken[0, 1, 5] = 0
        self.assertIn("no candidate box", self.violation(broken))
        swapped = self.good[:, [1, 0, 2, 3, 4]]
        self.assertIn("above the previous row's", self.violation(swapped))
        self.assertIsNotNone(nms_check.compare_detections(self.good, swapped))


if __name__ == "__main__":
    unittest.main()
