#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite.
#
#   bash scripts/test.sh            # ruff, mypy, then the whole suite (tests, doctests, notebook)
#   bash scripts/test.sh -k rdf     # extra arguments go to pytest
#
# Python packages go into ./.venv. The browser tests need Debian's chromium, the
# triple-store test Virtuoso (virtuoso-opensource), the reader tests Tesseract with its
# Vietnamese model (tesseract-ocr, tesseract-ocr-vie), LibreOffice (libreoffice-writer-nogui)
# and a Times-metric font (fonts-liberation); as root they are installed with apt-get
# (waiting for the package lock if another install holds it), otherwise the script says
# what to install and those tests are skipped (under CI=true a missing tool fails them instead).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# (this machine's pip config names a missing local index: drop those warnings, keep real errors)
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]' 2>&1 \
  | { grep -v "^WARNING: Location 'file:" || true; }

# Debian packages the tests need: command -> package(s)
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-vie)
command -v tesseract >/dev/null 2>&1 && ! tesseract --list-langs 2>/dev/null | grep -qx vie && need+=(tesseract-ocr-vie)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need+=(fonts-liberation)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} (Debian packages) for the browser, triple-store and reader tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    # wait (up to 10 minutes) for another install holding the package locks rather than failing
    apt_wait() {
      local i
      for i in $(seq 60); do
        apt-get -o DPkg::Lock::Timeout=600 "$@" && return 0
        echo "apt-get $1: waiting for the package lock ($i)" >&2
        sleep 10
      done
      return 1
    }
    apt_wait update -qq >/dev/null
    apt_wait install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "note: install ${need[*]} (e.g. sudo apt-get install ${need[*]}) to run the browser, triple-store" \
         "and reader tests" >&2
  fi
fi

# quality gates before the suite: lint and types (the doctests run inside pytest)
.venv/bin/ruff check cascade tests scripts benchmarks
.venv/bin/mypy

exec .venv/bin/python -m pytest "$@"
