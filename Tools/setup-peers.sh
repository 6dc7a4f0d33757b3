#!/usr/bin/env bash
# Creates the optional peers venv Tools/.venv-peers (torch, Ultralytics; several GB) from
# Tools/requirements-peers.txt when missing or stale. Only the peer checks use it (Tools/ultralytics_check.py);
# CI and the converter never do.
set -euo pipefail
TOOLS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$TOOLS/setup.sh" "$TOOLS/.venv-peers" "$TOOLS/requirements-peers.txt"
