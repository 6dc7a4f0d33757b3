#!/usr/bin/env bash
# The main job on the bundled model: builds ovconvert (release), converts the YOLO-style fixture
# testdata/yolo_tiny.onnx into testdata/yolo_tiny_openvino_model/, and checks the IR in OpenVINO.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

Tools/setup.sh
swift build -c release --product ovconvert
.build/release/ovconvert testdata/yolo_tiny.onnx --force
Tools/verify/run models --ovconvert .build/release/ovconvert --only yolo_tiny
