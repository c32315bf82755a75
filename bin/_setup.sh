# Shared by bin/demo and bin/test: install what a fresh machine lacks, then the project itself.
# Safe to run again: every step checks before it acts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"

need_apt=()
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
pkg-config --exists icu-i18n 2>/dev/null || need_apt+=(libicu-dev)
command -v msgfmt >/dev/null 2>&1 || need_apt+=(gettext)
if [ "${THIDUA_WITH_BROWSER:-0}" = "1" ] && ! command -v chromium >/dev/null 2>&1; then
  need_apt+=(chromium fonts-dejavu-core)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> Cài gói hệ thống: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Django 6 needs Python 3.12 or newer: take the newest one the machine has.
find_python() {
  for cand in python3.14 python3.13 python3.12 \
      "$HOME"/.pyenv/versions/3.14*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
      "$HOME"/.pyenv/versions/3.12*/bin/python3 /usr/bin/python3 python3; do
    if p=$(command -v "$cand" 2>/dev/null) && "$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  return 1
}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  PY=$(find_python) || { echo "Cần Python 3.12 trở lên (Django 6)." >&2; exit 1; }
  echo "==> Tạo môi trường ảo với $PY"
  rm -rf "$VENV"
  # ensurepip has been seen to fail once when another venv was being made at the same moment.
  "$PY" -m venv "$VENV" || { sleep 5; rm -rf "$VENV"; "$PY" -m venv "$VENV"; }
fi
EXTRAS="${THIDUA_EXTRAS:-}"
STAMP="$VENV/.installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "==> Cài thư viện Python"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".${EXTRAS:+[$EXTRAS]}"
  touch "$STAMP"
fi
# Translations are compiled from the committed .po files, never committed themselves.
(cd "$ROOT/thidua" && "$VENV/bin/python" -m thidua.cli compilemessages -v0 --ignore=.venv)
