#!/usr/bin/env bash
# Side-by-side benchmark: Apache Kafka 4.3.1 (single-node KRaft) versus Tributary, on loopback, one
# broker at a time, the same workloads driven by Kafka's own tools. See bench/README.md.
#
#   bench/run.sh              default counts, three rounds (about 8-10 minutes on 2 cores, capped at 14)
#   QUICK=1 bench/run.sh      smoke run with small counts (about 2 minutes)
#
# Prints a markdown table and writes it to bench/results/<YYYY-MM-DD-HHMM>.md.
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(dirname "$BENCH_DIR")"
KAFKA_VERSION=4.3.1
LIBS="$BENCH_DIR/target/kafka-libs"
CLASSES="$BENCH_DIR/target/classes"
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
STAMP="$(date +%Y-%m-%d-%H%M)"
# A second run in the same minute gets the seconds too, so nothing is overwritten or reused.
if [ -e "$BENCH_DIR/target/run/$STAMP" ] || [ -e "$RESULTS_DIR/$STAMP.md" ]; then
  STAMP="$(date +%Y-%m-%d-%H%M%S)"
fi
RUN_DIR="$BENCH_DIR/target/run/$STAMP"
RESULT_FILE="$RESULTS_DIR/$STAMP.md"

# ---------------------------------------------------------------- settings (env overridable)
# The settings given in the environment, as a prefix of the command line in the results.
GIVEN_SETTINGS=""
for v in QUICK N_1K_ALL N_1K_ONE N_100B_ONE N_CONSUME N_E2E WORKLOAD_TIMEOUT BUDGET_S PARTITIONS LINGER_MS \
         BATCH_SIZE BROKER_HEAP TOOL_HEAP IDLE_SETTLE_S SYSTEMS TRIBUTARY_JAR TRIBUTARY_EXTRA_ARGS TRIBUTARY_CDS KEEP_DATA \
         ROUNDS; do
  [ -n "${!v+set}" ] && GIVEN_SETTINGS+="$v=$(printf '%q' "${!v}") "
done
QUICK="${QUICK:-0}"
if [ "$QUICK" = 1 ]; then
  : "${N_1K_ALL:=50000}" "${N_1K_ONE:=50000}" "${N_100B_ONE:=200000}" "${N_E2E:=1000}"
  : "${WORKLOAD_TIMEOUT:=60}" "${ROUNDS:=1}"
else
  : "${N_1K_ALL:=3000000}" "${N_1K_ONE:=3000000}" "${N_100B_ONE:=12000000}" "${N_E2E:=10000}"
  : "${WORKLOAD_TIMEOUT:=120}" "${ROUNDS:=3}"
fi
# Rounds of Kafka-then-Tributary; every number in the table is the median over the rounds, so that a
# passing disturbance of the machine (both systems share it) moves one round, not the result.
ROUND=1
N_CONSUME="${N_CONSUME:-$N_1K_ALL}"          # ConsumerPerformance reads the 1 KB acks=all topic back
PARTITIONS="${PARTITIONS:-6}"
LINGER_MS="${LINGER_MS:-5}"
BATCH_SIZE="${BATCH_SIZE:-65536}"
BROKER_HEAP="${BROKER_HEAP:--Xmx1g}"          # same heap flag for both brokers, default GC
TOOL_HEAP="${TOOL_HEAP:--Xmx512m}"            # what kafka-*-perf-test.sh give the tools
BUDGET_S="${BUDGET_S:-840}"                  # whole-run cap: later workloads get shorter limits
STARTUP_TIMEOUT_MS="${STARTUP_TIMEOUT_MS:-60000}"
IDLE_SETTLE_S="${IDLE_SETTLE_S:-2}"           # wait after the first served request before idle RSS
SYSTEMS="${SYSTEMS:-kafka tributary}"        # run only one with SYSTEMS=tributary
TRIBUTARY_JAR_SRC="${TRIBUTARY_JAR:-$ROOT_DIR/server/target/tributary.jar}"
TRIBUTARY_EXTRA_ARGS="${TRIBUTARY_EXTRA_ARGS:-}"   # extra "--override k=v" words for Tributary
KEEP_DATA="${KEEP_DATA:-0}"                  # 1: keep the brokers' data dirs after the run
# 1: Tributary runs through bin/tributary with its class-data archive (built before the timed start), and a
# plain `java -jar` start is measured as well; 0: plain `java -jar` only.
TRIBUTARY_CDS="${TRIBUTARY_CDS:-1}"
TRIB_LAUNCH="plain"                          # how start_broker launches Tributary: plain or cds

PRODUCER_PROPS=(linger.ms="$LINGER_MS" batch.size="$BATCH_SIZE")
TOOL_LOG="-Dlog4j2.configurationFile=$BENCH_DIR/log4j2-tools.properties"
CLK_TCK="$(getconf CLK_TCK)"

# Workloads in order: id | label
WORKLOADS=(p1k_all p1k_one p100_one consume e2e)
declare -A LABEL=(
  [p1k_all]="produce 1 KB acks=all"
  [p1k_one]="produce 1 KB acks=1"
  [p100_one]="produce 100 B acks=1"
  [consume]="consume 1 KB"
  [e2e]="end-to-end 1 KB acks=all"
)
declare -A TOPIC=(
  [p1k_all]=bench-1k-all [p1k_one]=bench-1k-one [p100_one]=bench-100b-one
  [consume]=bench-1k-all [e2e]=bench-e2e
)

declare -A R=()          # results: R[system.key]
BROKER_PID=""
PROBE_PID=""
TOOL_PID=""


# ---------------------------------------------------------------- cleanup, even on failure
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$TOOL_PID" 5
  stop_pid "$PROBE_PID" 2
  stop_pid "$BROKER_PID" 30
  # The jar copy is 30 MB per run; its sha256 is in the results. Data dirs go unless KEEP_DATA=1.
  if [ -n "${RUN_DIR:-}" ] && [ "$KEEP_DATA" != 1 ]; then
    rm -rf "$RUN_DIR/tributary.jar" "$RUN_DIR/tributary.jsa" "$RUN_DIR/kafka/data" "$RUN_DIR/tributary/data" "$RUN_DIR/.times"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------- preparation
prepare() {
  mkdir -p "$RUN_DIR" "$RESULTS_DIR"
  if [ ! -f "$TRIBUTARY_JAR_SRC" ]; then
    log "building Tributary's jar (mvn -B -q -DskipTests package)"
    (cd "$ROOT_DIR" && mvn -B -q -DskipTests package) || { log "Tributary build failed"; }
  fi
  ensure_kafka_libs_and_helpers
  # Run a private copy, so a concurrent `mvn package` cannot swap the jar under the running broker.
  if [ -f "$TRIBUTARY_JAR_SRC" ]; then
    cp -p "$TRIBUTARY_JAR_SRC" "$RUN_DIR/tributary.jar"
    JAR_FACTS="jar built $(date -r "$RUN_DIR/tributary.jar" '+%Y-%m-%d %H:%M'), sha256 $(sha256sum "$RUN_DIR/tributary.jar" | cut -c1-12)"
    [ "$TRIBUTARY_CDS" = 1 ] && build_class_data_archive
  fi
  if git -C "$ROOT_DIR" rev-parse --short HEAD >/dev/null 2>&1; then
    GIT_FACTS="commit $(git -C "$ROOT_DIR" rev-parse --short HEAD)"
    [ -n "$(git -C "$ROOT_DIR" status --porcelain --untracked-files=no 2>/dev/null)" ] && GIT_FACTS+=" (work tree had uncommitted changes)"
  fi
}

CDS_FACTS="not used (TRIBUTARY_CDS=0)"
build_class_data_archive() {  # bin/tributary's training run, before any timed start; TRIB_LAUNCH=cds if it worked
  local t0 ms
  mkdir -p "$RUN_DIR/tributary"
  log "tributary: building the class-data archive (bin/tributary's training run, not timed)"
  t0="$(now_ms)"
  if tributary_launcher --version >"$RUN_DIR/tributary/cds-build.out" 2>&1 && [ -s "$RUN_DIR/tributary.jsa" ]; then
    ms=$(( $(now_ms) - t0 ))
    TRIB_LAUNCH="cds"
    CDS_FACTS="built by bin/tributary's training run in ${ms} ms before the timed starts, $(( $(stat -c %s "$RUN_DIR/tributary.jsa") / 1048576 )) MiB"
    log "tributary: class-data archive built in ${ms} ms"
  else
    CDS_FACTS="could not be built (see tributary/cds-build.out and tributary.jsa.log); Tributary ran with plain java -jar"
    log "tributary: the class-data archive could not be built; running plain java -jar"
  fi
}

tributary_launcher() {  # bin/tributary on the run's jar copy and archive, with the broker heap
  env TRIBUTARY_JAVA_OPTS="$BROKER_HEAP" TRIBUTARY_JAR="$RUN_DIR/tributary.jar" \
      TRIBUTARY_CDS_ARCHIVE="$RUN_DIR/tributary.jsa" "$ROOT_DIR/bin/tributary" "$@"
}

machine_busy_ticks() {  # user+nice+system+irq+softirq+steal of all CPUs, in clock ticks
  awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat
}

CHILD_CPU=""
children_cpu() {  # sets CHILD_CPU: CPU seconds of this shell's finished children (bash `times`)
  times >"$RUN_DIR/.times"   # no subshell: a forked shell would report its own (zero) children
  CHILD_CPU="$(tail -1 "$RUN_DIR/.times" | awk '{s=0; for (i=1;i<=2;i++){ split($i,a,/[ms]/); s+=a[1]*60+a[2] } printf "%.2f", s}')"
}

PAGE_CACHE_FACTS="not measured"
page_cache_probe() {  # sets PAGE_CACHE_FACTS: CPU to write 1 GiB into new page cache, then over the same pages
  local file="$RUN_DIR/page-cache-probe" c0 c1 c2
  children_cpu; c0="$CHILD_CPU"
  dd if=/dev/zero of="$file" bs=1M count=1024 status=none || return 0
  children_cpu; c1="$CHILD_CPU"
  dd if=/dev/zero of="$file" bs=1M count=1024 conv=notrunc status=none || return 0
  children_cpu; c2="$CHILD_CPU"
  rm -f "$file"
  PAGE_CACHE_FACTS="$(awk -v a="$c0" -v b="$c1" -v c="$c2" 'BEGIN{printf "%.2f s of CPU into new page cache, %.2f s over the same pages", b-a, c-b}')"
}

# ---------------------------------------------------------------- brokers
KAFKA_PORT="" CONTROLLER_PORT="" TRIB_PORT=""

kafka_properties() {
  cat <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$RUN_DIR/kafka/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
EOF
}

# start_broker SYSTEM: launches it with a start-up probe; sets BROKER_PID, BOOTSTRAP, R[...startup]
start_broker() {
  local sys="$1" port cmd=() probe_out="$RUN_DIR/$sys/probe.out" t0 i line
  rm -rf "$RUN_DIR/$sys/data"
  mkdir -p "$RUN_DIR/$sys"
  START_FAILURE="broker did not start"
  case "$sys" in
    kafka)
      pick_port || return 1; KAFKA_PORT="$PORT"
      pick_port || return 1; CONTROLLER_PORT="$PORT"
      port="$KAFKA_PORT"
      kafka_properties >"$RUN_DIR/kafka/server.properties"
      log "kafka: formatting storage (kafka.tools.StorageTool format --standalone)"
      local cluster_id
      cluster_id="$(java $TOOL_LOG -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>>"$RUN_DIR/kafka/format.log")"
      if ! java $TOOL_LOG -cp "$LIBS/*" kafka.tools.StorageTool format -t "$cluster_id" \
          -c "$RUN_DIR/kafka/server.properties" --standalone >>"$RUN_DIR/kafka/format.log" 2>&1; then
        START_FAILURE="storage format failed"
        log "kafka: storage format failed, see $RUN_DIR/kafka/format.log"; return 1
      fi
      cmd=(java "$BROKER_HEAP" "-Dlog4j2.configurationFile=$BENCH_DIR/log4j2-broker.properties"
           -cp "$LIBS/*" kafka.Kafka "$RUN_DIR/kafka/server.properties")
      ;;
    tributary)
      [ -f "$RUN_DIR/tributary.jar" ] || { START_FAILURE="no jar at $TRIBUTARY_JAR_SRC"; log "tributary: $START_FAILURE"; return 1; }
      pick_port || return 1; TRIB_PORT="$PORT"
      port="$TRIB_PORT"
      if [ "$TRIB_LAUNCH" = cds ]; then
        # env and bin/tributary exec: the PID started here is the broker's JVM.
        cmd=(env TRIBUTARY_JAVA_OPTS="$BROKER_HEAP" TRIBUTARY_JAR="$RUN_DIR/tributary.jar"
             TRIBUTARY_CDS_ARCHIVE="$RUN_DIR/tributary.jsa" "$ROOT_DIR/bin/tributary")
      else
        cmd=(java "$BROKER_HEAP" -jar "$RUN_DIR/tributary.jar")
      fi
      # shellcheck disable=SC2206
      cmd+=(--override "listeners=PLAINTEXT://127.0.0.1:$TRIB_PORT"
           --override "log.dirs=$RUN_DIR/tributary/data"
           --override "group.initial.rebalance.delay.ms=0"
           $TRIBUTARY_EXTRA_ARGS)
      ;;
  esac
  BOOTSTRAP="127.0.0.1:$port"
  printf '%q ' "${cmd[@]}" >"$RUN_DIR/$sys/command.txt"
  R[$sys.command]="$(cat "$RUN_DIR/$sys/command.txt")"

  # The probe runs first (its own JVM start-up is not counted); the broker starts once it polls.
  java -cp "$CLASSES" StartupProbe 127.0.0.1 "$port" "$STARTUP_TIMEOUT_MS" >"$probe_out" 2>&1 &
  PROBE_PID=$!
  for ((i = 0; i < 1000; i++)); do
    grep -q '^polling' "$probe_out" 2>/dev/null && break
    sleep 0.01
  done
  t0="$(now_ms)"
  "${cmd[@]}" >"$RUN_DIR/$sys/broker.log" 2>&1 &
  BROKER_PID=$!
  log "$sys: started pid $BROKER_PID on $BOOTSTRAP"
  # Wait for the probe; give up early if the broker dies.
  while kill -0 "$PROBE_PID" 2>/dev/null; do
    if ! kill -0 "$BROKER_PID" 2>/dev/null; then
      START_FAILURE="broker exited during start-up: $(grep -m1 -E 'ERROR|Exception' "$RUN_DIR/$sys/broker.log" | cut -c1-200)"
      log "$sys: broker exited during start-up, see $RUN_DIR/$sys/broker.log"
      stop_pid "$PROBE_PID" 1; PROBE_PID=""
      return 1
    fi
    sleep 0.05
  done
  wait "$PROBE_PID" 2>/dev/null; PROBE_PID=""
  line="$(grep '^connected ' "$probe_out")" && R[$sys.startup_ms]=$(( ${line#connected } - t0 ))
  if line="$(grep '^served ' "$probe_out")"; then
    R[$sys.ready_ms]=$(( ${line#served } - t0 ))
  else
    START_FAILURE="no answer to ApiVersions within ${STARTUP_TIMEOUT_MS} ms"
    log "$sys: no ApiVersions answer within ${STARTUP_TIMEOUT_MS} ms"; return 1
  fi
  log "$sys: first connection accepted after ${R[$sys.startup_ms]:-?} ms, first request served after ${R[$sys.ready_ms]} ms"
  sleep "$IDLE_SETTLE_S"
  R[$sys.idle_rss_kb]="$(status_kb "$BROKER_PID" VmRSS)"
  R[$sys.cpu_start]="$(cpu_ticks "$BROKER_PID")"
  return 0
}

stop_broker() {
  local sys="$1"
  [ -n "$BROKER_PID" ] || return 0
  if kill -0 "$BROKER_PID" 2>/dev/null; then
    R[$sys.peak_rss_kb]="$(status_kb "$BROKER_PID" VmHWM)"
    local c; c="$(cpu_ticks "$BROKER_PID")"
    [ -n "$c" ] && [ -n "${R[$sys.cpu_start]:-}" ] && R[$sys.cpu_total_s]="$(awk -v a="$c" -v b="${R[$sys.cpu_start]}" -v t="$CLK_TCK" 'BEGIN{printf "%.1f", (a-b)/t}')"
  fi
  log "$sys: stopping pid $BROKER_PID"
  stop_pid "$BROKER_PID" 30
  BROKER_PID=""
  if [ "$KEEP_DATA" != 1 ]; then rm -rf "$RUN_DIR/$sys/data"; fi
}

# ---------------------------------------------------------------- workloads

workload_cmd() {  # prints nothing; fills the array WCMD for workload $1
  local w="$1" t="${TOPIC[$1]}"
  case "$w" in
    p1k_all) WCMD=(org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$t"
                   --num-records "$N_1K_ALL" --record-size 1024 --throughput -1
                   --command-property acks=all "${PRODUCER_PROPS[@]}") ;;
    p1k_one) WCMD=(org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$t"
                   --num-records "$N_1K_ONE" --record-size 1024 --throughput -1
                   --command-property acks=1 "${PRODUCER_PROPS[@]}") ;;
    p100_one) WCMD=(org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$t"
                   --num-records "$N_100B_ONE" --record-size 100 --throughput -1
                   --command-property acks=1 "${PRODUCER_PROPS[@]}") ;;
    consume) WCMD=(org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$t"
                   --num-records "$N_CONSUME" --timeout 10000 --group "bench-consumer-$$") ;;
    e2e) WCMD=(org.apache.kafka.tools.EndToEndLatency --bootstrap-server "$BOOTSTRAP" --topic "$t"
               --num-records "$N_E2E" --producer-acks all --record-size 1024) ;;
  esac
}

fail() {  # fail SYS WORKLOAD REASON: the reason gets the tool's first exception line, if any
  local why="$3" f="$RUN_DIR/$1/$2" ex
  ex="$(cat "$f.err" "$f.out" 2>/dev/null | grep -m1 -E 'Exception|ERROR|WARNING: Exiting' | cut -c1-200)"
  [ -n "$ex" ] && [[ "$why" != *"$ex"* ]] && why="$why: $ex"
  R[$1.$2.failed]="$why"
  log "$1: ${LABEL[$2]}: FAILED ($why)"
}

fmt0() { awk -v v="$1" 'BEGIN{ if (v ~ /^[0-9.]+$/) printf "%.0f", v; else printf "%s", v }'; }
fmt2() { awk -v v="$1" 'BEGIN{ if (v ~ /^[0-9.]+$/) printf "%.2f", v; else printf "%s", v }'; }

gib_cpu() {  # gib_cpu TICKS BYTES -> CPU seconds per GiB
  awk -v c="$1" -v b="$2" -v t="$CLK_TCK" 'BEGIN{ if (b > 0) printf "%.1f", (c/t) / (b/1073741824); }'
}

run_workload() {
  local sys="$1" w="$2" out="$RUN_DIR/$sys/$2.out" err="$RUN_DIR/$sys/$2.err" c0 c1 t0 t1 rc line
  local n rps mbs avg p50 p99 p999
  if [ -z "$BROKER_PID" ] || ! kill -0 "$BROKER_PID" 2>/dev/null; then
    fail "$sys" "$w" "broker not running"; return
  fi
  workload_cmd "$w"
  # The limit is WORKLOAD_TIMEOUT, cut down so this broker stays within its share of BUDGET_S.
  local limit=$(( SYS_DEADLINE - $(date +%s) - 15 ))
  (( limit > WORKLOAD_TIMEOUT )) && limit="$WORKLOAD_TIMEOUT"
  if (( limit < 15 )); then
    fail "$sys" "$w" "skipped: time budget (BUDGET_S=$BUDGET_S) used up"; return
  fi
  log "$sys: ${LABEL[$w]} ..."
  local m0 m1 k0 k1
  children_cpu; k0="$CHILD_CPU"; m0="$(machine_busy_ticks)"
  c0="$(cpu_ticks "$BROKER_PID")"; t0="$(now_ms)"
  timeout --kill-after=10 "$limit" java "$TOOL_HEAP" $TOOL_LOG -cp "$LIBS/*" "${WCMD[@]}" >"$out" 2>"$err" &
  TOOL_PID=$!
  wait "$TOOL_PID"; rc=$?; TOOL_PID=""
  t1="$(now_ms)"; c1="$(cpu_ticks "$BROKER_PID")"
  m1="$(machine_busy_ticks)"; children_cpu; k1="$CHILD_CPU"
  if [ -n "$c1" ]; then
    # CPU of everything else on the machine during this workload: a contamination indicator.
    local other; other="$(awk -v m="$((m1 - m0))" -v b="$((c1 - c0))" -v k0="$k0" -v k1="$k1" -v t="$CLK_TCK" \
      'BEGIN{o = (m - b)/t - (k1 - k0); if (o < 0) o = 0; printf "%.1f", o}')"
    R[$sys.$w.other_cpu_s]="$other"
    R[$sys.$w.tool_cpu_s]="$(awk -v a="$k0" -v b="$k1" 'BEGIN{printf "%.1f", b-a}')"
    R[$sys.other_cpu_s]="$(awk -v a="${R[$sys.other_cpu_s]:-0}" -v b="$other" 'BEGIN{printf "%.1f", a+b}')"
  fi
  R[$sys.$w.wall_s]="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b-a)/1000}')"
  local ticks=""
  [ -n "$c0" ] && [ -n "$c1" ] && ticks=$((c1 - c0))
  if [ -z "$c1" ]; then
    fail "$sys" "$w" "broker died during the workload"; return
  fi
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    fail "$sys" "$w" "timeout after ${limit}s"; return
  fi
  case "$w" in
    p1k_all|p1k_one|p100_one)
      line="$(grep 'ms 99.9th' "$out" | tail -1)"
      if [ -z "$line" ] || [ "$rc" != 0 ]; then fail "$sys" "$w" "exit $rc, no summary line"; return; fi
      R[$sys.$w.raw]="$line"
      # "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, P ms 50th, Q ms 95th, S ms 99th, T ms 99.9th."
      read -r n rps mbs avg p50 p99 p999 < <(sed -E 's/^([0-9]+) records sent, ([0-9.]+) records\/sec \(([0-9.]+) MB\/sec\), ([0-9.]+) ms avg latency, [0-9.]+ ms max latency, ([0-9]+) ms 50th, [0-9]+ ms 95th, ([0-9]+) ms 99th, ([0-9]+) ms 99.9th.*/\1 \2 \3 \4 \5 \6 \7/' <<<"$line")
      local size=1024; [ "$w" = p100_one ] && size=100
      local errors; errors="$(grep -c -i 'error' "$err" 2>/dev/null || true)"
      R[$sys.$w.records]="$n"; R[$sys.$w.rps]="$(fmt0 "$rps")"; R[$sys.$w.mbs]="$(fmt2 "$mbs")"; R[$sys.$w.avg]="$avg"
      R[$sys.$w.p50]="$p50"; R[$sys.$w.p99]="$p99"; R[$sys.$w.p999]="$p999"
      R[$sys.$w.cpu_gib]="$(gib_cpu "$ticks" "$((n * size))")"
      if [ "${errors:-0}" -gt 0 ]; then
        R[$sys.$w.note]="$errors error lines from the producer, see $err"
      fi
      ;;
    consume)
      # header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
      line="$(grep -A1 '^start.time' "$out" | tail -1)"
      if [ -z "$line" ] || [[ "$line" == start.time* ]]; then fail "$sys" "$w" "exit $rc, no result line"; return; fi
      R[$sys.$w.raw]="$line"
      local mb reb fmbs
      IFS=',' read -r _ _ mb mbs n rps reb _ fmbs _ <<<"$line"
      mb="${mb// /}" mbs="${mbs// /}" n="${n// /}" rps="${rps// /}" reb="${reb// /}" fmbs="${fmbs// /}"
      R[$sys.$w.records]="$n"; R[$sys.$w.mbs]="$(fmt2 "$mbs")"; R[$sys.$w.rps]="$(fmt0 "$rps")"
      R[$sys.$w.rebalance_ms]="$reb"; R[$sys.$w.fetch_mbs]="$(fmt2 "$fmbs")"
      R[$sys.$w.cpu_gib]="$(gib_cpu "$ticks" "$(awk -v m="$mb" 'BEGIN{printf "%.0f", m*1048576}')")"
      if [ "${n:-0}" -lt "$N_CONSUME" ]; then
        fail "$sys" "$w" "consumed $n of $N_CONSUME records (exit $rc)"; return
      fi
      ;;
    e2e)
      line="$(grep '^Percentiles' "$out" | tail -1)"
      if [ -z "$line" ] || [ "$rc" != 0 ]; then fail "$sys" "$w" "exit $rc, no result line"; return; fi
      R[$sys.$w.raw]="$(grep '^Avg latency' "$out" | tail -1); $line"
      R[$sys.$w.avg]="$(fmt2 "$(sed -nE 's/^Avg latency: ([0-9.]+) ms.*/\1/p' "$out" | tail -1)")"
      read -r p50 p99 p999 < <(sed -E 's/^Percentiles: 50th = ([0-9]+), 99th = ([0-9]+), 99.9th = ([0-9]+).*/\1 \2 \3/' <<<"$line")
      R[$sys.$w.p50]="$p50"; R[$sys.$w.p99]="$p99"; R[$sys.$w.p999]="$p999"
      ;;
  esac
  log "$sys: ${LABEL[$w]}: ${R[$sys.$w.raw]}"
}

bench_system() {  # bench_system SYSTEM BROKER_RUNS_LEFT_INCLUDING_THIS
  local sys="$1" w now
  now="$(date +%s)"
  SYS_DEADLINE=$(( now + (RUN_START + BUDGET_S - now) / $2 ))
  R[$sys.ran]=1
  [ "$sys" = tributary ] && [ "$TRIB_LAUNCH" = cds ] && measure_plain_start
  if start_broker "$sys"; then
    if ! java "$TOOL_HEAP" $TOOL_LOG -cp "$LIBS/*:$CLASSES" CreateTopics "$BOOTSTRAP" "$PARTITIONS" \
        bench-1k-all bench-1k-one bench-100b-one bench-e2e >"$RUN_DIR/$sys/create-topics.out" 2>&1; then
      log "$sys: topic creation failed: $(grep -m1 -iE 'exception|error' "$RUN_DIR/$sys/create-topics.out" | cut -c1-200)"
      R[$sys.topics_failed]=1
    fi
    for w in "${WORKLOADS[@]}"; do run_workload "$sys" "$w"; done
  else
    R[$sys.start_failed]=1
    for w in "${WORKLOADS[@]}"; do fail "$sys" "$w" "$START_FAILURE"; done
  fi
  stop_broker "$sys"
}

measure_plain_start() {  # Tributary's start-up with plain `java -jar`, no archive: start, probe, stop
  TRIB_LAUNCH=plain
  if start_broker tributary; then
    R[tributary.startup_plain_ms]="${R[tributary.startup_ms]:-}"
    R[tributary.ready_plain_ms]="${R[tributary.ready_ms]}"
  fi
  stop_broker tributary
  unset 'R[tributary.startup_ms]' 'R[tributary.ready_ms]'
  TRIB_LAUNCH=cds
}

# ---------------------------------------------------------------- rounds
keep_round() {  # keep_round SYS: moves R[SYS.*] to R[rROUND.SYS.*]; an earlier round's files to round<N>/SYS
  local sys="$1" k keys=("${!R[@]}")
  for k in "${keys[@]}"; do
    if [[ "$k" == "$sys."* ]]; then
      R[r$ROUND.$k]="${R[$k]}"
      unset "R[$k]"
    fi
  done
  if ((ROUND < ROUNDS)) && [ -d "$RUN_DIR/$sys" ]; then
    mkdir -p "$RUN_DIR/round$ROUND"
    mv "$RUN_DIR/$sys" "$RUN_DIR/round$ROUND/$sys"
  fi
}

median() {  # median VALUE...: of numbers, with as many decimals as the most precise of them
  printf '%s\n' "$@" | sort -g | awk '
    { v[NR] = $1; if (index($1, ".")) { d = length($1) - index($1, "."); if (d > dec) dec = d } }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf("%." (dec + 0) "f", m) }'
}

combine_rounds() {  # R[SYS.KEY] from R[rN.SYS.KEY]: medians of numbers, failures and notes of every round, else the last
  local k key sys r v vals numeric joined keys=() seen=" "
  for k in "${!R[@]}"; do
    [[ "$k" =~ ^r[0-9]+\.(.+)$ ]] || continue
    key="${BASH_REMATCH[1]}"
    [[ "$seen" == *" $key "* ]] && continue
    seen+="$key "; keys+=("$key")
  done
  for key in "${keys[@]}"; do
    vals=(); numeric=1; joined=""
    for ((r = 1; r <= ROUNDS; r++)); do
      [ -n "${R[r$r.$key]+set}" ] || continue
      v="${R[r$r.$key]}"
      vals+=("$v")
      [[ "$v" =~ ^[0-9]+(\.[0-9]+)?$ ]] || numeric=0
      joined+="${joined:+; }$( ((ROUNDS > 1)) && echo "round $r: ")$v"
    done
    case "$key" in
      *.failed|*.note) R[$key]="$joined" ;;
      *) if ((numeric)); then R[$key]="$(median "${vals[@]}")"; else R[$key]="${vals[-1]}"; fi ;;
    esac
  done
}

rounds_table() {  # one line per round: Kafka / Tributary (ratio) for the goals
  local r w K T cells
  echo "| round | produce 1 KB acks=all MB/s | produce 1 KB acks=1 MB/s | produce 100 B acks=1 MB/s | consume MB/s | end-to-end p99 (ms) | start-up, accepted (ms) |"
  echo "|---|---|---|---|---|---|---|"
  for ((r = 1; r <= ROUNDS; r++)); do
    cells=""
    for w in p1k_all.mbs p1k_one.mbs p100_one.mbs consume.mbs e2e.p99 startup_ms; do
      K="${R[r$r.kafka.$w]:--}"; T="${R[r$r.tributary.$w]:--}"
      [ -n "${R[r$r.kafka.${w%.*}.failed]:-}" ] && [ "$w" != startup_ms ] && K=FAILED
      [ -n "${R[r$r.tributary.${w%.*}.failed]:-}" ] && [ "$w" != startup_ms ] && T=FAILED
      cells+=" $K / $T ($(ratio "$T" "$K")) |"
    done
    echo "| $r |$cells"
  done
}

# ---------------------------------------------------------------- report
val() { echo "${R[$1]:-}"; }

cell() {  # cell SYS WORKLOAD KEY [SUFFIX]
  local sys="$1" w="$2" k="$3"
  if [ -z "${R[$sys.ran]:-}" ]; then echo "not run"; return; fi
  if [ -n "${R[$sys.$w.failed]:-}" ]; then echo "FAILED"; return; fi
  local v="${R[$sys.$w.$k]:-}"
  [ -n "$v" ] && echo "$v${4:-}" || echo "n/a"
}

ratio() {  # ratio T K
  awk -v t="$1" -v k="$2" 'BEGIN{ if (t ~ /^[0-9.]+$/ && k ~ /^[0-9.]+$/ && k+0 > 0) printf "%.2f", t/k; else print "-" }'
}

goal() {  # goal RATIO OP LIMIT -> "met" / "NOT met" / "-"
  awk -v r="$1" -v op="$2" -v l="$3" 'BEGIN{
    if (r !~ /^[0-9.]+$/) { print "-"; exit }
    ok = (op == ">=") ? (r+0 >= l+0) : (r+0 <= l+0)
    print (ok ? "met" : "NOT met") }'
}

row() {  # row LABEL KAFKA TRIB BETTER [GOAL_OP GOAL_LIMIT]
  local r; r="$(ratio "$(strip "$3")" "$(strip "$2")")"
  local g="-"
  [ -n "${5:-}" ] && g="$(goal "$r" "$5" "$6") ($5 $6)"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$r" "$4" "$g"
}
strip() { sed -E 's/ ?(ms|MiB|s)$//' <<<"$1"; }

kb_to_mib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN{printf "%.0f", k/1024}'; }

sys_cell() {  # sys_cell SYS KEY [SUFFIX]
  if [ -z "${R[$1.ran]:-}" ]; then echo "not run"; return; fi
  local v="${R[$1.$2]:-}"
  [ -n "$v" ] && echo "$v${3:-}" || echo "FAILED"
}

report() {
  local K=kafka T=tributary w
  echo "| metric | Kafka $KAFKA_VERSION | Tributary | Tributary/Kafka | better | goal (issue 7) |"
  echo "|---|---|---|---|---|---|"
  for w in p1k_all p1k_one p100_one; do
    row "${LABEL[$w]}: MB/s" "$(cell $K $w mbs)" "$(cell $T $w mbs)" higher ">=" 1.2
    row "${LABEL[$w]}: records/s" "$(cell $K $w rps)" "$(cell $T $w rps)" higher
    printf '| %s | %s | %s | %s | %s | %s |\n' "${LABEL[$w]}: latency p50 / p99 / p99.9 (ms)" \
      "$(cell $K $w p50) / $(cell $K $w p99) / $(cell $K $w p999)" \
      "$(cell $T $w p50) / $(cell $T $w p99) / $(cell $T $w p999)" \
      "$(ratio "$(cell $T $w p50)" "$(cell $K $w p50)") / $(ratio "$(cell $T $w p99)" "$(cell $K $w p99)") / $(ratio "$(cell $T $w p999)" "$(cell $K $w p999)")" \
      lower -
    row "${LABEL[$w]}: broker CPU s/GiB" "$(cell $K $w cpu_gib)" "$(cell $T $w cpu_gib)" lower "<=" 1.0
  done
  w=consume
  row "${LABEL[$w]}: MB/s" "$(cell $K $w mbs)" "$(cell $T $w mbs)" higher ">=" 1.0
  row "${LABEL[$w]}: records/s" "$(cell $K $w rps)" "$(cell $T $w rps)" higher
  row "${LABEL[$w]}: broker CPU s/GiB" "$(cell $K $w cpu_gib)" "$(cell $T $w cpu_gib)" lower "<=" 1.0
  w=e2e
  row "${LABEL[$w]}: latency p50 (ms)" "$(cell $K $w p50)" "$(cell $T $w p50)" lower
  row "${LABEL[$w]}: latency p99 (ms)" "$(cell $K $w p99)" "$(cell $T $w p99)" lower "<=" 1.0
  row "${LABEL[$w]}: latency p99.9 (ms)" "$(cell $K $w p999)" "$(cell $T $w p999)" lower
  row "${LABEL[$w]}: latency avg (ms)" "$(cell $K $w avg)" "$(cell $T $w avg)" lower
  row "start-up to first accepted connection (ms)" "$(sys_cell $K startup_ms)" "$(sys_cell $T startup_ms)" lower
  row "start-up to first served request (ms)" "$(sys_cell $K ready_ms)" "$(sys_cell $T ready_ms)" lower
  if [ -n "${R[$T.ready_plain_ms]:-}" ]; then
    row "start-up, Tributary without its class-data archive (plain java -jar): first accepted connection (ms)" \
      "$(sys_cell $K startup_ms)" "${R[$T.startup_plain_ms]:-n/a}" lower
    row "start-up, Tributary without its class-data archive (plain java -jar): first served request (ms)" \
      "$(sys_cell $K ready_ms)" "${R[$T.ready_plain_ms]}" lower
  fi
  local kid kpk tid tpk
  kid="$(kb_to_mib "${R[$K.idle_rss_kb]:-}")"; tid="$(kb_to_mib "${R[$T.idle_rss_kb]:-}")"
  kpk="$(kb_to_mib "${R[$K.peak_rss_kb]:-}")"; tpk="$(kb_to_mib "${R[$T.peak_rss_kb]:-}")"
  row "idle RSS after start-up (MiB)" "${kid:-$(sys_cell $K idle_rss_kb)}" "${tid:-$(sys_cell $T idle_rss_kb)}" lower "<=" 0.5
  row "peak RSS, VmHWM (MiB)" "${kpk:-$(sys_cell $K peak_rss_kb)}" "${tpk:-$(sys_cell $T peak_rss_kb)}" lower
  row "broker CPU, topic creation + all workloads (s)" "$(sys_cell $K cpu_total_s)" "$(sys_cell $T cpu_total_s)" lower
  printf '| %s | %s | %s | - | - | - |\n' "CPU used by other processes during the workloads (s): noise indicator" \
    "$(sys_cell $K other_cpu_s)" "$(sys_cell $T other_cpu_s)"
}

# Start-up goal is absolute (< 1 s), so it is stated below the table rather than as a ratio.
failures() {
  local sys w any=0
  for sys in kafka tributary; do
    for w in "${WORKLOADS[@]}"; do
      if [ -n "${R[$sys.$w.failed]:-}" ]; then
        echo "- $sys, ${LABEL[$w]}: ${R[$sys.$w.failed]}"; any=1
      fi
      if [ -n "${R[$sys.$w.note]:-}" ]; then
        echo "- $sys, ${LABEL[$w]}: note: ${R[$sys.$w.note]}"; any=1
      fi
    done
    [ -n "${R[$sys.topics_failed]:-}" ] && { echo "- $sys: creating the topics up front failed (see create-topics.out)"; any=1; }
  done
  [ "$any" = 0 ] && echo "- none"
}

raw_lines() {
  local sys w r p
  for ((r = 1; r <= ROUNDS; r++)); do
    p="r$r"
    for sys in kafka tributary; do
      for w in "${WORKLOADS[@]}"; do
        [ -n "${R[$p.$sys.$w.raw]:-}" ] && printf -- '- round %s, %s, %s (%s s wall, tool CPU %s s, other processes %s s): `%s`\n' "$r" "$sys" "${LABEL[$w]}" "${R[$p.$sys.$w.wall_s]:-?}" "${R[$p.$sys.$w.tool_cpu_s]:-?}" "${R[$p.$sys.$w.other_cpu_s]:-?}" "${R[$p.$sys.$w.raw]}"
      done
    done
    for sys in kafka tributary; do
      [ -n "${R[$p.$sys.consume.rebalance_ms]:-}" ] && echo "- round $r, $sys, consume: group join (rebalance) took ${R[$p.$sys.consume.rebalance_ms]} ms; fetch-only rate ${R[$p.$sys.consume.fetch_mbs]} MB/s"
    done
  done
  true
}

broker_logs() {  # counts of ERROR/WARN lines per broker log, and the first distinct ERROR lines
  local sys f
  for sys in kafka tributary; do
    f="$RUN_DIR/$sys/broker.log"
    [ -f "$f" ] || continue
    echo "- $sys$( ((ROUNDS > 1)) && echo " (last round)"): $(grep -cE '\b(ERROR|SEVERE)\b' "$f") ERROR lines, $(grep -cE '\bWARN(ING)?\b' "$f") WARN lines"
    if grep -qE '\b(ERROR|SEVERE)\b' "$f"; then
      echo '```'
      grep -E '\b(ERROR|SEVERE)\b' "$f" | cut -c1-300 | awk '{k=$0; sub(/^[^A-Z]*[0-9:.,\]]+ /, "", k); if (!(k in seen)) {seen[k]=1; print}}' | head -8
      echo '```'
    fi
  done
  true
}

machine_facts() {
  echo "- date: $(date '+%Y-%m-%d %H:%M %Z')"
  echo "- cores (nproc): $(nproc); CPU: $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
  echo "- memory: $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "- kernel: $(uname -sr)"
  echo "- java: $(java -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "- load average before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- writing 1 GiB with dd before the run: $PAGE_CACHE_FACTS (a first figure far above the second means memory the machine has not touched lately is dear to write to: see \"Reading the ratio\" in bench/README.md)"
  echo "- Tributary at the start of the run: ${GIT_FACTS:-no git}; ${JAR_FACTS:-no jar}"
  echo "- CPU used by other processes while the workloads ran (machine busy time from /proc/stat minus the broker and the tool): kafka ${R[kafka.other_cpu_s]:-n/a} s, tributary ${R[tributary.other_cpu_s]:-n/a} s (near 0 on a quiet machine; large values mean the numbers are disturbed)"
}

settings() {
  echo "- mode: $([ "$QUICK" = 1 ] && echo "QUICK=1 (smoke)" || echo default); $ROUNDS round(s), medians in the table"
  echo "- records: 1 KB acks=all $N_1K_ALL; 1 KB acks=1 $N_1K_ONE; 100 B acks=1 $N_100B_ONE; consumed $N_CONSUME (the 1 KB acks=all topic); end-to-end $N_E2E"
  echo "- topics: $PARTITIONS partitions, replication factor 1, created up front with one Admin call"
  echo "- producer: ProducerPerformance --throughput -1, ${PRODUCER_PROPS[*]}, other settings client defaults (no compression; idempotence on with acks=all, off with acks=1, as the client decides by default)"
  echo "- consumer: ConsumerPerformance, one consumer in a new group, default fetch settings, --timeout 10000"
  echo "- end-to-end: EndToEndLatency --producer-acks all --record-size 1024 (one message in flight; the tool truncates to whole milliseconds, so 0 means under 1 ms)"
  echo "- brokers: one at a time on 127.0.0.1, $BROKER_HEAP, default GC; tools: $TOOL_HEAP; per-workload timeout ${WORKLOAD_TIMEOUT}s, whole run capped at ${BUDGET_S}s"
  echo "- Kafka: kafka.Kafka (KRaft, combined broker+controller, storage formatted with --standalone), server.properties:"
  echo '```'
  sed -E "s#$RUN_DIR#bench/target/run/$STAMP#" "$RUN_DIR/kafka/server.properties" 2>/dev/null || echo "(not run)"
  echo '```'
  echo "- Tributary: \`$(sed -E "s#$RUN_DIR#bench/target/run/$STAMP#g; s#$ROOT_DIR/##g" <<<"${R[tributary.command]:-not run}")\`"
  echo "- Tributary's class-data archive: $CDS_FACTS"
}

write_results() {
  local table; table="$(report)"
  local start_goal="-"
  if [ -n "${R[tributary.startup_ms]:-}" ]; then
    start_goal="Tributary start-up to first accepted connection: ${R[tributary.startup_ms]} ms$([ "$TRIB_LAUNCH" = cds ] && echo " with bin/tributary and its class-data archive") (goal < 1000 ms: $([ "${R[tributary.startup_ms]}" -lt 1000 ] && echo met || echo 'NOT met'))"
    if [ -n "${R[tributary.startup_plain_ms]:-}" ]; then
      start_goal+="; with plain java -jar: ${R[tributary.startup_plain_ms]} ms ($([ "${R[tributary.startup_plain_ms]}" -lt 1000 ] && echo 'under' || echo 'over') 1000 ms)"
    fi
  fi
  {
    echo "# Benchmark $STAMP: Apache Kafka $KAFKA_VERSION vs Tributary"
    echo
    echo "Command: \`${GIVEN_SETTINGS}bench/run.sh\`, total run time ${TOTAL_S} s. Ratio = Tributary / Kafka; the \"better\" column says which direction wins.$( ((ROUNDS > 1)) && echo " Every number is the median of $ROUNDS rounds (Kafka, then Tributary, in each round); \"Rounds\" below has each round's own.")"
    echo
    echo "$table"
    echo
    echo "$start_goal"
    echo
    echo "## Failed or flagged cells"
    echo
    failures
    echo
    if ((ROUNDS > 1)); then
      echo "## Rounds"
      echo
      echo "Kafka / Tributary (Tributary/Kafka) in each round."
      echo
      rounds_table
      echo
    fi
    echo "## Machine"
    echo
    machine_facts
    echo
    echo "## Settings"
    echo
    settings
    echo
    echo "## Broker logs"
    echo
    broker_logs
    echo
    echo "## Tool result lines"
    echo
    raw_lines
    echo
    echo "Logs of this run: bench/target/run/$STAMP/ (broker.log, one .out/.err per workload; with rounds, the last round's in kafka/ and tributary/, earlier ones in round<N>/)."
  } >"$RESULT_FILE"
  echo
  echo "$table"
  echo
  echo "$start_goal"
  echo
  if ((ROUNDS > 1)); then rounds_table; echo; fi
  echo "Failed or flagged:"; failures
  echo
  echo "Results written to ${RESULT_FILE#"$ROOT_DIR"/} (total ${TOTAL_S} s)"
}

# ---------------------------------------------------------------- main
main() {
  RUN_START="$(date +%s)"
  LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
  prepare
  page_cache_probe
  log "run directory $RUN_DIR; mode $([ "$QUICK" = 1 ] && echo QUICK || echo default)"
  local systems=($SYSTEMS) i n=${#systems[@]}
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    ((ROUNDS > 1)) && log "round $ROUND of $ROUNDS"
    for ((i = 0; i < n; i++)); do
      bench_system "${systems[$i]}" $(( (ROUNDS - ROUND) * n + n - i ))
      keep_round "${systems[$i]}"
    done
  done
  combine_rounds
  TOTAL_S=$(( $(date +%s) - RUN_START ))
  write_results
}

main "$@"
