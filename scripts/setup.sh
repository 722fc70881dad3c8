#!/usr/bin/env bash
# Create .venv with Python 3.11+ and install zhibiao with its pinned dependencies (and the dev tools with --dev).
# Idempotent: a second run only checks that everything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-}
if [ -z "$python" ]; then
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            python=$candidate
            break
        fi
    done
fi
[ -n "$python" ] || { echo "setup.sh: zhibiao needs Python 3.11 or newer" >&2; exit 1; }

[ -x .venv/bin/python ] || "$python" -m venv .venv
extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
