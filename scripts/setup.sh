#!/usr/bin/env bash
# Sets up a fresh machine: a virtualenv (.venv) with the pinned packages; with --browser also Debian's chromium.
# Safe to run again: packages are reinstalled only when requirements.txt changes. Works without a terminal (CI).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: $PYTHON is older than Python 3.11; set PYTHON=/path/to/python3.11" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv  # Debian ships venv's pip bootstrap separately
    "$PYTHON" -m venv .venv
  fi
fi

stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the pinned Python packages into .venv (first time: about a minute)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

# The import's title fold as a compiled loop (analytics/intake/title_fold.c, loaded with ctypes); without it numpy
# does the same fold, about four times slower.
fold=analytics/intake/_title_fold.so
if [ ! "$fold" -nt analytics/intake/title_fold.c ]; then
  command -v cc >/dev/null || apt_install gcc libc6-dev
  cc -O2 -shared -fPIC -o "$fold" analytics/intake/title_fold.c
fi

if [ "${1:-}" = "--browser" ]; then
  if [ ! -x "${ANTQ_CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "setup: installing Debian's chromium for the browser tests"
    apt_install chromium fonts-dejavu-core
  fi
  "${ANTQ_CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null
fi
