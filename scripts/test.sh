#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite.
#
#   bash scripts/test.sh            # the whole suite
#   bash scripts/test.sh -k rdf     # extra arguments go to pytest
#
# Python packages go into ./.venv. The browser tests need Debian's chromium and the
# triple-store test needs Virtuoso (virtuoso-opensource); as root they are installed with
# apt-get, otherwise the script says what to install and those tests are skipped
# (under CI=true a missing tool fails them instead).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# (this machine's pip config names a missing local index: drop those warnings, keep real errors)
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]' 2>&1 \
  | { grep -v "^WARNING: Location 'file:" || true; }

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} (Debian packages) for the browser and triple-store tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "note: install ${need[*]} (e.g. sudo apt-get install ${need[*]}) to run the browser and triple-store tests" >&2
  fi
fi

exec .venv/bin/python -m pytest "$@"
