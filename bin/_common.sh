# Shared by bin/run and bin/test: a virtualenv that matches the pinned requirements, and local services.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return
    fi
  done
  echo "Python 3.11 is required (python3.11 or python3 on PATH)." >&2
  exit 1
}

# Create .venv and install a requirements file when it changed since the last install.
ensure_venv() {
  local requirements="$1"
  if [ ! -x "$PY" ]; then
    echo "Creating the virtualenv in .venv ..."
    "$(find_python)" -m venv "$VENV"
    "$PY" -m pip install --quiet --upgrade pip
  fi
  local stamp
  stamp="$VENV/.installed-$(basename "$requirements")"
  local wanted
  wanted=$(cat "$ROOT/requirements.txt" "$ROOT/$requirements" | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "Installing $requirements ..."
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$ROOT/$requirements"
    echo "$wanted" >"$stamp"
  fi
}

port_open() { (echo >"/dev/tcp/$1/$2") >/dev/null 2>&1; }

wait_for_port() {
  for _ in $(seq 1 60); do
    port_open "$1" "$2" && return 0
    sleep 0.5
  done
  return 1
}

ensure_postgres() {
  port_open 127.0.0.1 5432 && return 0
  echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it ..."
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
  fi
  wait_for_port 127.0.0.1 5432 || { echo "PostgreSQL could not be started on 127.0.0.1:5432." >&2; exit 1; }
}

ensure_redis() {
  port_open 127.0.0.1 6379 && return 0
  echo "Redis is not answering on 127.0.0.1:6379; starting it ..."
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  fi
  wait_for_port 127.0.0.1 6379 || { echo "Redis could not be started on 127.0.0.1:6379." >&2; exit 1; }
}

# Browser tests drive Debian's Chromium; never a browser downloaded by a test tool.
# Korean fonts (fonts-noto-cjk) so screenshots of Korean pages show text, not empty boxes.
ensure_chromium() {
  [ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/opentype/noto ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium and Korean fonts for the browser tests ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
  [ -x /usr/bin/chromium ] || { echo "Debian's chromium is needed at /usr/bin/chromium (apt-get install chromium)." >&2; exit 1; }
}

# The meeting papers (agenda book, decision record) are PDFs laid out by WeasyPrint, which needs Pango, and
# their CSS names the font "Noto Sans CJK KR": it comes from Debian's fonts-noto-cjk, never from whatever
# happens to be installed. The tests also read the PDFs back with poppler-utils (pdftotext, pdffonts, pdftoppm):
# `ensure_fonts --with-poppler`.
# (grep reads the whole listing: `grep -q` in a pipe under pipefail fails when the lister gets SIGPIPE.)
has_korean_font() { [ -n "$(fc-list ':lang=ko' family 2>/dev/null | grep "Noto Sans CJK KR")" ]; }

ensure_fonts() {
  local packages=()
  has_korean_font || packages+=(fonts-noto-cjk fontconfig)
  [ -n "$(ldconfig -p 2>/dev/null | grep "libpangoft2-1.0")" ] || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
  if [ "${1:-}" = "--with-poppler" ]; then
    command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)
  fi
  [ "${#packages[@]}" = 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${packages[*]} for the meeting papers ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  fi
  has_korean_font || {
    echo "The font \"Noto Sans CJK KR\" is needed for Korean papers (apt-get install fonts-noto-cjk)." >&2
    exit 1
  }
  if [ "${1:-}" = "--with-poppler" ] && ! command -v pdftoppm >/dev/null 2>&1; then
    echo "poppler-utils is needed by the tests of the meeting papers (apt-get install poppler-utils)." >&2
    exit 1
  fi
}
