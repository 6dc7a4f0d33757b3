#!/usr/bin/env bash
# Runs every test: the floor logic of the node suites (replaying the logs of Tools/verify/logs/), builds, runs
# the Swift tests, then judges written IR with the real OpenVINO runtime (Tools/verify models in FP32 and with
# --half, and node, held to the per-case expectations of Tools/verify/node-expectations.tsv: every case listed
# pass must pass, on any CPU), judges the reference evaluator on the same node cases (its own expectations, and
# at least 90% of the cases OpenVINO passes), converts the TorchScript dumps of testdata/torchscript and matches torch's
# outputs through OpenVINO (Tools/verify/run torchscript), checks --nms against a numpy reference of Ultralytics' NMS
# (Tools/verify/run nms), quantizes the fixtures with --int8 and runs them in OpenVINO against FP32 (Tools/verify/run int8
# --fixtures-only), runs If/Loop models built with OpenVINO's API through ovconvert and its evaluator
# (Tools/verify/run controlflow), judges trained models from PyPI wheels against onnxruntime (Tools/verify/run zoo),
# and checks that no model's IR has more nodes than ovc's (Tools/verify/compare-ovc).
# Between the Swift tests and OpenVINO: a 60-second smoke run of every fuzz target (Tools/fuzz/run) with a fixed seed,
# so that CI repeats inputs a longer local run with that seed has already tried; the long runs use fresh seeds.
# Installs what it needs when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

Tools/setup.sh
echo "== the node suites' floor logic (Tools/verify/test_expectations.py)"
Tools/.venv/bin/python -m unittest discover -s Tools/verify -p 'test_*.py'
echo "== swift build"
swift build
echo "== swift test"
swift test
echo "== Tools/fuzz/run (each libFuzzer target 60 s, two at a time, seed 1; any crash, hang, leak or oversized allocation fails)"
Tools/fuzz/run --seconds 60 --jobs 2 --seed 1
BIN="$ROOT/.build/debug/ovconvert"
echo "== Tools/verify models (OpenVINO runtime vs onnxruntime)"
Tools/verify/run models --ovconvert "$BIN"
echo "== Tools/verify models --half (FP16 weights; OpenVINO vs onnxruntime within 1e-2)"
Tools/verify/run models --half --ovconvert "$BIN"
echo "== Tools/verify node (ONNX backend node cases through OpenVINO)"
LOGS="$ROOT/Tools/verify/.cache"
Tools/verify/run node --ovconvert "$BIN" --expect Tools/verify/node-expectations.tsv --log "$LOGS/node-log.tsv"
echo "== Tools/verify node --engine evaluator (the same cases through ovconvert run)"
Tools/verify/run node --engine evaluator --ovconvert "$BIN" --expect Tools/verify/node-evaluator-expectations.tsv \
  --log "$LOGS/node-evaluator-log.tsv" --versus "$LOGS/node-log.tsv" --min-share 0.9
echo "== Tools/verify torchscript (the TorchScript dumps of testdata/torchscript through OpenVINO vs torch's own outputs)"
Tools/verify/run torchscript --ovconvert "$BIN" --floor 8
echo "== Tools/verify nms (--nms IRs in OpenVINO vs a numpy reference of Ultralytics' NMS; trained models from PyPI)"
Tools/verify/run nms --ovconvert "$BIN"
echo "== Tools/verify int8 --fixtures-only (--int8 IRs of the fixtures in OpenVINO: Convolutions run in int8, .bin <= 0.35x FP32, outputs within 5% of FP32's range)"
Tools/verify/run int8 --fixtures-only --ovconvert "$BIN"
echo "== Tools/verify controlflow (If/Loop models saved by OpenVINO, converted by ovconvert, run in OpenVINO and ovconvert run)"
Tools/verify/run controlflow --ovconvert "$BIN"
echo "== Tools/verify zoo (trained ONNX models from PyPI wheels: ovconvert and ovc in OpenVINO vs onnxruntime)"
Tools/verify/run zoo --ovconvert "$BIN"
echo "== Tools/verify/compare-ovc (ovconvert's IR may have no more nodes than ovc's, FP32 and FP16)"
Tools/verify/compare-ovc --ovconvert "$BIN"
