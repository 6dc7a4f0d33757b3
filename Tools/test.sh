#!/usr/bin/env bash
# Runs every test: builds, runs the Swift tests, then judges written IR with the real OpenVINO runtime
# (Tools/verify models in FP32 and with --half, and node, held to its floor), judges the reference evaluator on
# the same node cases (its own floor, and at least 90% of the cases OpenVINO passes), and checks that no
# model's IR has more nodes than ovc's (Tools/verify/compare-ovc). Installs what it needs when missing.
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
echo "== Tools/verify models --half (FP16 weights; OpenVINO vs onnxruntime within 1e-2)"
Tools/verify/run models --half --ovconvert "$BIN"
echo "== Tools/verify node (ONNX backend node cases through OpenVINO)"
LOGS="$ROOT/Tools/verify/.cache"
Tools/verify/run node --ovconvert "$BIN" --floor Tools/verify/node-floor.txt --log "$LOGS/node-log.tsv"
echo "== Tools/verify node --engine evaluator (the same cases through ovconvert run)"
Tools/verify/run node --engine evaluator --ovconvert "$BIN" --floor Tools/verify/node-evaluator-floor.txt \
  --log "$LOGS/node-evaluator-log.tsv" --versus "$LOGS/node-log.tsv" --min-share 0.9
echo "== Tools/verify/compare-ovc (ovconvert's IR may have no more nodes than ovc's, FP32 and FP16)"
Tools/verify/compare-ovc --ovconvert "$BIN"
