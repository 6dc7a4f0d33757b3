#!/usr/bin/env bash
# Runs every test: builds, runs the Swift tests, then judges written IR with the real OpenVINO runtime
# (Tools/verify models and node, each held to its floor). Installs what it needs when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

Tools/setup.sh
echo "== swift build"
swift build
echo "== swift test"
swift test
BIN="$ROOT/.build/debug/ovconvert"
echo "== Tools/verify models (OpenVINO runtime vs onnxruntime)"
Tools/verify/run models --ovconvert "$BIN"
echo "== Tools/verify node (ONNX backend node cases through OpenVINO)"
Tools/verify/run node --ovconvert "$BIN" --floor Tools/verify/node-floor.txt
