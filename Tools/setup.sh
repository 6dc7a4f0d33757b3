#!/usr/bin/env bash
# Installs what ovconvert's build, tests and verification need, when missing:
# Debian packages (libxml2-dev, libopenblas-dev, zlib1g-dev, libjpeg62-turbo-dev, libpng-dev, pkg-config, time) and
# the pinned Python venv of Tools/ (or, given `VENV REQUIREMENTS`, that venv).
# Idempotent: a second run only checks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need_pkgs=()
for p in libxml2-dev libopenblas-dev zlib1g-dev libjpeg62-turbo-dev libpng-dev pkg-config time; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  echo "setup: installing Debian packages: ${need_pkgs[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# A venv and its requirements file may be given (Tools/setup-peers.sh does); by default the Tools venv.
VENV="${1:-$ROOT/Tools/.venv}"
REQ="${2:-$ROOT/Tools/requirements.txt}"
STAMP="$VENV/.requirements.stamp"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$STAMP"; then
  echo "setup: creating the Python venv $VENV from $(basename "$REQ")"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$STAMP"
fi
