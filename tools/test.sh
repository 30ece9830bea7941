#!/usr/bin/env bash
# The README's test command: set up (tools/setup.sh, with the test extras), then run the whole
# suite against the real default model.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh test
# the tests read the default state dir (conftest ignores EDGEAGENT_*), so install there too
env -u EDGEAGENT_STATE_DIR .venv/bin/edgeagent models install
.venv/bin/python -m pytest -q "$@"
