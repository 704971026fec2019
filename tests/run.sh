#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine, then runs all of it.
# Used by README's test command and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium and a CJK font for the browser tests (Playwright's own download fails offline).
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# [local] builds llama-cpp-python from source (~4 min the first time) and installs the model parts.
# It is compiled with -march=native. On CPUs with AMX (Sapphire Rapids and newer), GCC < 13.2.1 (e.g.
# Debian 12's GCC 12) drops the stores that fill ggml's AMX tile config (its _tile_loadconfig asm claims
# to read 8 bytes), so ldtilecfg faults and the first generation segfaults in ggml_backend_amx_mul_mat
# (ggml-org/llama.cpp#20824). -mno-amx-int8 compiles ggml's AMX path out; AVX-512/VNNI stay on.
# (-DGGML_AMX_*=OFF would not help: those options are ignored when GGML_NATIVE is on, the default.)
if [ "$(uname -m)" = x86_64 ]; then
  export CMAKE_ARGS="-DCMAKE_C_FLAGS=-mno-amx-int8 -DCMAKE_CXX_FLAGS=-mno-amx-int8 ${CMAKE_ARGS:-}"
fi
.venv/bin/python -m pip install -q -e '.[test,local]'
# pip keeps a llama-cpp-python built without that flag (already in .venv, or from its wheel cache): rebuild it.
if .venv/bin/python -c 'import sys, llama_cpp; sys.exit(b"AMX_INT8 = 1" not in llama_cpp.llama_print_system_info())' 2>/dev/null; then
  .venv/bin/python -m pip install -q --no-cache-dir --force-reinstall --no-deps \
    "llama-cpp-python==$(.venv/bin/python -c 'import llama_cpp; print(llama_cpp.__version__)')"
fi

# Lint: audit pinned dependencies against PyPI's advisory data (advisory only: offline machines
# reach the registry but not every advisory source, so this cannot be a hard gate here).
.venv/bin/pip-audit --progress-spinner off 2>/dev/null | head -3 || echo "pip-audit: could not run (no advisory source reachable)"

# The regression gate runs inside the suite (tests/test_eval.py) against evals/baseline.json.
exec .venv/bin/python -m pytest -q "$@"
