#!/usr/bin/env bash
# The README's test command: set up a virtualenv, install edgeagent with its test extras and
# the models the tests use, then run the whole suite against the real default model.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[test]'
# the tests read the default state dir (conftest ignores EDGEAGENT_*), so install there too
env -u EDGEAGENT_STATE_DIR .venv/bin/edgeagent models install  # default model + embedding model
.venv/bin/python -m pytest -q "$@"
