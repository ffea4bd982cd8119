#!/usr/bin/env bash
# The whole picture of issue 11 item 4, in one sitting, on a quiet machine (docs/performance.md, "The whole picture"):
# seeding, lookup, import, service requests and the year report on SQLite and (with BENCH_DATABASE_URL) PostgreSQL,
# at the sizes in SIZES. Each step's output goes to $OUT/<step>.log; a summary line per step to $OUT/summary.txt.
#   SIZES="1000000 10000000" PG_SIZES=1000000 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test bash bench/measure-all.sh
# Seeded databases are kept under bench-data/ and reused (delete them to measure seeding again).
set -uo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-1000000}
OUT=${OUT:-bench-data/runs/$(date -u +%Y%m%dT%H%M)}
SECONDS_PER_LOAD=${BENCH_SECONDS:-10}
mkdir -p "$OUT"
say() { echo "$(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) | $*" | tee -a "$OUT/summary.txt"; }
step() { # step NAME COMMAND...: runs it with /usr/bin/time, output to NAME.log
  local name=$1; shift
  say "start $name"
  /usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KB" "$@" > "$OUT/$name.log" 2>&1
  say "end $name: $(tail -1 "$OUT/$name.log")"
}

say "node $(node --version), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; commit $(git rev-parse --short HEAD)"
for n in $SIZES; do
  dir=bench-data/cases-$n
  if [ ! -f "$dir/switchboard.db" ]; then
    step "seed-sqlite-$n" env DATA_DIR="$dir" node bin/switchboard.mjs seed --cases "$n" --random-seed 1
    say "file $(du -h "$dir/switchboard.db" | cut -f1)"
  fi
  for run in 1 2; do step "lookup-sqlite-$n-$run" env BENCH_CASES="$n" BENCH_SECONDS="$SECONDS_PER_LOAD" node --import tsx bench/lookup.ts; done
done
for run in 1 2; do step "import-$run" env BENCH_IMPORT_ROWS=200000 node --import tsx bench/import.ts; done
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  for n in ${PG_SIZES:-1000000}; do step "lookup-postgres-$n" env BENCH_CASES="$n" BENCH_SECONDS="$SECONDS_PER_LOAD" BENCH_DATABASE_URL="$BENCH_DATABASE_URL" node --import tsx bench/lookup.ts; done
fi
step service-requests node --import tsx bench/service-requests.ts
say "done: $OUT"
