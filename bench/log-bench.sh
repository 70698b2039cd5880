#!/usr/bin/env bash
# Log benchmarks of issue 4 (retention, compaction, flush, crash safety): is Tributary's log as fast full as empty,
# as fast to read at its start as at its tail, and quick to start with many partitions?
#
#   bench/log-bench.sh                 # 5 GB partition, 1 GB measured, 3 rounds; 1,000 partitions / 5 GB
#   QUICK=1 bench/log-bench.sh         # smoke run: 0.5 GB / 0.1 GB / 2 rounds; 100 partitions / 0.5 GB
#
# Settings (environment): FILL_GB, MEASURE_GB, ROUNDS, PARTITIONS, TOTAL_GB, DATA_ROOT (default
# bench/target/log-bench), KEEP_DATA=1 to keep the data, TRIBUTARY_JAR to measure another jar. Needs JDK 17; builds server/target/tributary.jar if it is
# missing. Cold reads drop the page cache, which needs root; without it only warm reads are measured.
#
# Writes bench/results/log-<YYYY-MM-DD-HHMM>.md. This script is separate from bench/run.sh (the Kafka comparison)
# and shares nothing with it but the results directory. The Java side is bench/log/LogBench.java, run with Java's
# single-file source launcher against the fat jar (bench/pom.xml builds no Java, so it is not under bench/src).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
STAMP="$(date +%Y-%m-%d-%H%M)"

if [ "${QUICK:-0}" = 1 ]; then
  FILL_GB="${FILL_GB:-0.5}"; MEASURE_GB="${MEASURE_GB:-0.1}"; ROUNDS="${ROUNDS:-2}"
  PARTITIONS="${PARTITIONS:-100}"; TOTAL_GB="${TOTAL_GB:-0.5}"
else
  FILL_GB="${FILL_GB:-5}"; MEASURE_GB="${MEASURE_GB:-1}"; ROUNDS="${ROUNDS:-3}"
  PARTITIONS="${PARTITIONS:-1000}"; TOTAL_GB="${TOTAL_GB:-5}"
fi
DATA_ROOT="${DATA_ROOT:-$BENCH_DIR/target/log-bench}"
RUN_DIR="$DATA_ROOT/$STAMP"
RESULTS="$BENCH_DIR/results/log-$STAMP.md"

log() { echo "[$(date +%T)] $*" >&2; }

# ---- space: the full partition grows by 2 * ROUNDS * MEASURE_GB during the append rounds --------------------------
mkdir -p "$RUN_DIR"
need_gb="$(awk -v f="$FILL_GB" -v m="$MEASURE_GB" -v r="$ROUNDS" -v t="$TOTAL_GB" \
  'BEGIN { printf "%d", f + 2 * m * r + t + 2 + 0.999 }')"
avail_gb="$(df -P -BG "$RUN_DIR" | awk 'NR == 2 { gsub("G", "", $4); print $4 }')"
log "data in $RUN_DIR: $avail_gb GB free, about $need_gb GB needed"
if [ "$avail_gb" -lt "$need_gb" ]; then
  log "not enough space in $DATA_ROOT (set DATA_ROOT elsewhere)"; exit 1
fi
cleanup() {
  if [ "${KEEP_DATA:-0}" != 1 ]; then rm -rf "$RUN_DIR/append/data" "$RUN_DIR/startup/data" "$RUN_DIR/tributary.jar"; fi
}
trap cleanup EXIT

# ---- the jar, copied so a rebuild during the run does not disturb it ----------------------------------------------
# TRIBUTARY_JAR overrides which jar is measured (default: server/target/tributary.jar).
SOURCE_JAR="${TRIBUTARY_JAR:-$ROOT/server/target/tributary.jar}"
fat_jar_ok() { [ -f "$1" ] && unzip -l "$1" 2>/dev/null | grep 'org/apache/kafka/clients/admin/Admin.class' >/dev/null; }
if ! fat_jar_ok "$SOURCE_JAR" && [ -z "${TRIBUTARY_JAR:-}" ]; then
  log "building server/target/tributary.jar"
  (cd "$ROOT" && mvn -B -q -DskipTests package) || true
fi
JAR="$RUN_DIR/tributary.jar"
for attempt in 1 2 3; do # another build may be rewriting the jar right now
  cp "$SOURCE_JAR" "$JAR" 2>/dev/null || true
  fat_jar_ok "$JAR" && break
  log "$SOURCE_JAR is not a complete fat jar yet; waiting"; sleep 10
done
fat_jar_ok "$JAR" || { log "$SOURCE_JAR is not the fat jar"; exit 1; }
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

run() { # phase args... ; RESULT lines to $RUN_DIR/results.txt, everything to $RUN_DIR/<phase>.out
  local phase="$1"; shift
  log "phase $phase"
  java -Xmx2g -Dlogback.configurationFile="$BENCH_DIR/log/logback-quiet.xml" -cp "$JAR" \
    "$BENCH_DIR/log/LogBench.java" "$phase" "$JAR" "$@" >"$RUN_DIR/$phase.out" 2>"$RUN_DIR/$phase.err" \
    || { log "phase $phase failed; see $RUN_DIR/$phase.err"; tail -20 "$RUN_DIR/$phase.err" >&2; exit 1; }
  grep '^RESULT ' "$RUN_DIR/$phase.out" | tee -a "$RUN_DIR/results.txt" >&2
}

: >"$RUN_DIR/results.txt"
mkdir -p "$RUN_DIR/append" "$RUN_DIR/startup"
run append-read "$RUN_DIR/append/data" "$FILL_GB" "$MEASURE_GB" "$ROUNDS"
rm -rf "$RUN_DIR/append/data"
run startup "$RUN_DIR/startup/data" "$PARTITIONS" "$TOTAL_GB"
run restart "$RUN_DIR/startup/data" 4
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- report -------------------------------------------------------------------------------------------------------
r() { awk -v k="$1" '$2 == k { $1 = ""; $2 = ""; sub(/^  /, ""); print; exit }' "$RUN_DIR/results.txt"; }
verdict() { # value op limit
  awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { if (v == "") { print "n/a"; exit }
    ok = (op == ">=") ? (v + 0 >= l) : (v + 0 < l); print ok ? "pass" : "FAIL" }'
}
mkdir -p "$BENCH_DIR/results"
{
  echo "# Tributary log benchmark, $STAMP"
  echo
  echo "| Measurement | Result | Target | Verdict |"
  echo "|---|---|---|---|"
  echo "| Append to a partition holding ${FILL_GB} GB vs an empty one (median of $ROUNDS x ${MEASURE_GB} GB) | $(r append_full_mb_per_s) vs $(r append_empty_mb_per_s) MiB/s, ratio **$(r append_ratio_full_over_empty)** | >= 0.9 | $(verdict "$(r append_ratio_full_over_empty)" ">=" 0.9) |"
  echo "| Read ${MEASURE_GB} GB from the start vs the tail of that partition, warm page cache | $(r read_warm_start_mb_per_s) vs $(r read_warm_tail_mb_per_s) MiB/s, ratio **$(r read_warm_ratio_start_over_tail)** | >= 0.9 | $(verdict "$(r read_warm_ratio_start_over_tail)" ">=" 0.9) |"
  echo "| Same, page cache dropped before each read (cold) | $(r read_cold_start_mb_per_s) vs $(r read_cold_tail_mb_per_s) MiB/s, ratio **$(r read_cold_ratio_start_over_tail)** | >= 0.9 | $(verdict "$(r read_cold_ratio_start_over_tail)" ">=" 0.9) |"
  echo "| Start-up after a clean stop, $PARTITIONS partitions / $TOTAL_GB GB (launch to first accepted connection) | **$(r startup_after_clean_stop_ms) ms**; median of 3 more: $(r restart_clean_median_ms) ms $(r restart_clean_runs_ms) | < 3000 ms | $(verdict "$(r restart_clean_median_ms)" "<" 3000) |"
  echo "| Start-up after SIGKILL right after the last acknowledgement (nothing flushed: every log scanned) | **$(r startup_after_sigkill_ms) ms**, $(r startup_after_sigkill_recovery_log), records kept: $(r startup_after_sigkill_records_kept) | < 10000 ms | $(verdict "$(r startup_after_sigkill_ms)" "<" 10000) |"
  echo
  echo "Also measured: filling the ${FILL_GB} GB partition at $(r fill_mb_per_s) MiB/s; filling $PARTITIONS partitions at $(r startup_fill_mb_per_s) MiB/s; append runs empty $(r append_empty_runs), full $(r append_full_runs) MiB/s; the full partition held $(r full_partition_gb) GB when read."
  echo
  echo "Partition logs opened by each start (from the broker's log):"
  echo
  for f in "$RUN_DIR"/startup/*.log; do
    [ -f "$f" ] || continue
    echo "- $(basename "$f" .log): $(grep -ho 'Loaded [0-9]* topics with [0-9]* partitions in [0-9]* ms' "$f" | head -1); ready $(grep -h 'started: ' "$f" | grep -o '([0-9.]* s)' | tail -1) after the JVM started, as the broker counts it"
  done
  echo
  echo "## How"
  echo
  echo "- \`bench/log-bench.sh\` with FILL_GB=$FILL_GB MEASURE_GB=$MEASURE_GB ROUNDS=$ROUNDS PARTITIONS=$PARTITIONS TOTAL_GB=$TOTAL_GB; Java side \`bench/log/LogBench.java\`."
  echo "- One broker JVM (\`java -Xmx1g -jar tributary.jar\`, default settings: no fsync per write, 1 GiB segments) and the Kafka Java client in a second JVM, on loopback. 1 KiB records, acks=all, idempotent producer, no compression; consumer fetches up to 16 MiB per partition."
  echo "- Appends: each round appends ${MEASURE_GB} GB to a fresh empty topic and ${MEASURE_GB} GB to the full partition, in alternating order, each after a \`sync\` so neither pays for the other's writeback. Reads: after an untimed warm-up read of both ranges, a fresh consumer reads ${MEASURE_GB} GB from offset 0 and from ${MEASURE_GB} GB before the end, in alternating order."
  echo "- Start-up: a topic of $PARTITIONS partitions filled round-robin; SIGKILL right after the last acknowledgement, restart (every partition recovers by a CRC scan of its unflushed tail, which is all of it: nothing was rolled or flushed), SIGTERM, restart, then 4 more restarts after clean stops (the median is over the last 3)."
  echo
  echo "## Machine"
  echo
  echo "- $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ { print $2 }') GiB memory, $(uname -sr)"
  echo "- load average before: $LOAD_BEFORE; after: $LOAD_AFTER (other work on the machine makes every number here noisier)"
  echo "- $(java -version 2>&1 | head -1); Tributary commit $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- data: $(df -hP "$RUN_DIR" | awk 'NR == 2 { print $1 " (" $2 ")" }')"
  echo
  echo "## Raw results"
  echo
  echo '```'
  cat "$RUN_DIR/results.txt"
  echo '```'
} >"$RESULTS"
log "report: $RESULTS"
cat "$RESULTS"
