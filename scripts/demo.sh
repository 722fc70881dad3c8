#!/usr/bin/env bash
# Set up and run zhibiao on the example reports that ship with it: every figure, as a table.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
.venv/bin/zhibiao extract examples/ "$@"
