#!/usr/bin/env bash
# Set up on a fresh machine: a virtualenv with edgeagent (and the extras named, e.g. "test"),
# llama-cpp-python built from source for this CPU, and the default and embedding models.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=${1:+[$1]}
if [ "$(uname -m)" = x86_64 ]; then
    # llama.cpp builds for this CPU (-march=native); on a Xeon with AMX its AMX matrix kernels
    # crash in the first decode (seen on a 2-core Xeon VM, llama-cpp-python 0.3.36), so they
    # are left out. GCC lets an explicit -mno-* win over -march=native whatever the order.
    export CMAKE_ARGS="${CMAKE_ARGS:-} -DCMAKE_C_FLAGS='-mno-amx-tile -mno-amx-int8 -mno-amx-bf16' -DCMAKE_CXX_FLAGS='-mno-amx-tile -mno-amx-int8 -mno-amx-bf16'"
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
# no wheel cache: a llama-cpp-python wheel built earlier with other flags would be reused
.venv/bin/pip install --quiet --no-cache-dir -e ".${extras}"
.venv/bin/edgeagent models install  # default model + embedding model
