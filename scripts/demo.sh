#!/usr/bin/env bash
# Set up, store the example reports in the default SQLite database (zhibiao.db), check them, and serve the web
# app on http://127.0.0.1:8000 (extra arguments go to `zhibiao serve`, e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# exit code 1 means some file could not be read; the others are stored and the demo goes on
.venv/bin/zhibiao ingest examples/ --no-progress || [ $? -eq 1 ]
.venv/bin/zhibiao check > /dev/null
exec .venv/bin/zhibiao serve "$@"
