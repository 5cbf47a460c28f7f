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
