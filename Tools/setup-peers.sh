#!/usr/bin/env bash
# Creates the optional peers venv Tools/.venv-peers (torch, Ultralytics; several GB) from
# Tools/requirements-peers.txt when missing or stale. Only the peer checks use it (Tools/ultralytics_check.py);
# CI and the converter never do.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/Tools/.venv-peers"
REQ="$ROOT/Tools/requirements-peers.txt"
STAMP="$VENV/.requirements.stamp"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$STAMP"; then
  echo "setup-peers: creating the peers venv at $VENV (torch and Ultralytics: a large download)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$STAMP"
fi
