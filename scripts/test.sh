#!/usr/bin/env bash
# Set up and run every test: lint, then pytest against SQLite and a throwaway PostgreSQL server.
# PostgreSQL is installed with apt-get when missing; where that is impossible the PostgreSQL tests say they
# were skipped and why, except under CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --dev
# the Ray engine's extra, for tests/test_ray.py (a second run only checks it is there)
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev,ray]"
# shellcheck source=../.ci/postgres.sh
source .ci/postgres.sh
# the browser tests (tests/test_browser.py) drive Debian's chromium through Playwright; `playwright install`
# is never used. Where it cannot be installed they skip, except under CI=true, where they fail.
if [ ! -x /usr/bin/chromium ]; then
    echo "test.sh: installing chromium with apt-get"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    { $sudo apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; } ||
        echo "test.sh: could not install chromium; the browser tests will skip (and fail under CI)"
fi
.venv/bin/ruff check zhibiao tests benchmarks scripts
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
[ "$status" -eq 5 ] && { echo "test.sh: no tests were collected" >&2; exit 1; }
exit "$status"
