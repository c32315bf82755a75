#!/usr/bin/env bash
# Province-scale load benchmark (issue #2): generate the data, then load the server, on SQLite and
# then on PostgreSQL. Extra arguments go to bench/load.py (for example --workers 2 --threads 4).
#
#   bench/run.sh                      # both engines
#   BENCH_ENGINES=sqlite bench/run.sh # one engine
#   BENCH_SKIP_GENERATE=1 bench/run.sh --only list search
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
SQLITE_URL="sqlite:///$ROOT/bench/out/bench.sqlite3"
# generate.py drops and re-creates this database (it refuses any name without "bench").
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/thidua_bench}"

status=0
for engine in ${BENCH_ENGINES:-sqlite postgres}; do
  case "$engine" in
    sqlite) url="$SQLITE_URL" ;;
    postgres) url="$PG_URL" ;;
    *) echo "unknown engine $engine (sqlite or postgres)" >&2; exit 64 ;;
  esac
  echo "=== $engine: $url"
  if [ "${BENCH_SKIP_GENERATE:-0}" != "1" ]; then
    DATABASE_URL="$url" "$PY" "$ROOT/bench/generate.py"
  fi
  echo
  DATABASE_URL="$url" "$PY" "$ROOT/bench/load.py" "$@" || status=$?
  echo
done
exit "$status"
