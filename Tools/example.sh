#!/usr/bin/env bash
# The main job on the bundled model: builds ovconvert (release), converts the YOLO-style fixture
# testdata/yolo_tiny.onnx as users of exported detectors do (`--half --nms`: FP16 weights, final detections inside
# the model, metadata.yaml for Ultralytics' loader) into testdata/yolo_tiny_openvino_model/, verified against the
# source through ovconvert's evaluator, then checks the IR in OpenVINO: raw outputs against onnxruntime, and --nms
# against a numpy reference of Ultralytics' NMS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

Tools/setup.sh
swift build -c release --product ovconvert
.build/release/ovconvert testdata/yolo_tiny.onnx --half --nms --verify --force
Tools/verify/run models --ovconvert .build/release/ovconvert --only yolo_tiny
Tools/verify/run nms --ovconvert .build/release/ovconvert --fixtures-only --only yolo_tiny_dynamic
