#!/usr/bin/env bash
# Cluster benchmark: RF=3 acks=all producer throughput on three local Tributary members versus three
# local Apache Kafka 4.3.1 brokers (KRaft, combined broker+controller), same machine, same run,
# driven by Kafka's own ProducerPerformance. See bench/README.md, section "Cluster benchmark".
#
#   bench/cluster.sh             1,000,000 records per produce test
#   QUICK=1 bench/cluster.sh     200,000 records per produce test (smoke run)
#
# Prints a markdown table and writes it to bench/results/<YYYY-MM-DD-HHMM>-cluster.md; logs stay in
# bench/target/run/<stamp>-cluster/.
set -uo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(dirname "$BENCH_DIR")"
KAFKA_VERSION=4.3.1
LIBS="$BENCH_DIR/target/kafka-libs"
CLASSES="$BENCH_DIR/target/classes"
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
STAMP="$(date +%Y-%m-%d-%H%M)-cluster"
if [ -e "$BENCH_DIR/target/run/$STAMP" ] || [ -e "$RESULTS_DIR/$STAMP.md" ]; then
  STAMP="$(date +%Y-%m-%d-%H%M%S)-cluster"
fi
RUN_DIR="$BENCH_DIR/target/run/$STAMP"
RESULT_FILE="$RESULTS_DIR/$STAMP.md"

# ---------------------------------------------------------------- settings (env overridable)
QUICK="${QUICK:-0}"
if [ "$QUICK" = 1 ]; then
  : "${NUM_RECORDS:=200000}" "${WORKLOAD_TIMEOUT:=90}"
else
  : "${NUM_RECORDS:=1000000}" "${WORKLOAD_TIMEOUT:=240}"
fi
ACKS_ONE="${ACKS_ONE:-1}"                     # 1: also an acks=1 run after the acks=all run
PARTITIONS="${PARTITIONS:-6}"
REPLICATION_FACTOR=3
MIN_ISR="${MIN_ISR:-2}"
RECORD_SIZE=1024
LINGER_MS="${LINGER_MS:-5}"
BATCH_SIZE="${BATCH_SIZE:-65536}"
BROKER_HEAP="${BROKER_HEAP:--Xmx512m}"        # per member: three brokers and the tool share the machine
TOOL_HEAP="${TOOL_HEAP:--Xmx512m}"
STARTUP_TIMEOUT_S="${STARTUP_TIMEOUT_S:-90}"
SYSTEMS="${SYSTEMS:-kafka tributary}"
TRIBUTARY_JAR_SRC="${TRIBUTARY_JAR:-$ROOT_DIR/server/target/tributary.jar}"
TRIBUTARY_EXTRA_ARGS="${TRIBUTARY_EXTRA_ARGS:-}"
KEEP_DATA="${KEEP_DATA:-0}"
TOPIC_NAME=bench-cluster
TOOL_LOG="-Dlog4j2.configurationFile=$BENCH_DIR/log4j2-tools.properties"
CLK_TCK="$(getconf CLK_TCK)"

WORKLOADS=(all)
[ "$ACKS_ONE" = 1 ] && WORKLOADS+=(one)
declare -A ACKS=([all]=all [one]=1)
declare -A LABEL=([all]="produce 1 KB acks=all" [one]="produce 1 KB acks=1")

declare -A R=()
PIDS=()            # broker PIDs of the cluster that is running now
TOOL_PID=""

cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  stop_pid "$TOOL_PID" 5
  for p in "${PIDS[@]}"; do stop_pid "$p" 30 & done
  wait
  if [ -n "${RUN_DIR:-}" ] && [ "$KEEP_DATA" != 1 ]; then
    rm -rf "$RUN_DIR/tributary.jar" "$RUN_DIR"/kafka/data-* "$RUN_DIR"/tributary/data-*
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

prepare() {
  mkdir -p "$RUN_DIR" "$RESULTS_DIR"
  if [ ! -f "$TRIBUTARY_JAR_SRC" ] && [[ " $SYSTEMS " == *" tributary "* ]]; then
    log "building Tributary's jar (mvn -B -q -o -pl storage,core,gateway,connectors,server -am -DskipTests package)"
    (cd "$ROOT_DIR" && mvn -B -q -o -pl storage,core,gateway,connectors,server -am -DskipTests package) \
      || log "Tributary build failed"
  fi
  ensure_kafka_libs_and_helpers
  if [ -f "$TRIBUTARY_JAR_SRC" ]; then
    cp -p "$TRIBUTARY_JAR_SRC" "$RUN_DIR/tributary.jar"
    JAR_FACTS="jar built $(date -r "$RUN_DIR/tributary.jar" '+%Y-%m-%d %H:%M'), sha256 $(sha256sum "$RUN_DIR/tributary.jar" | cut -c1-12)"
  fi
  if git -C "$ROOT_DIR" rev-parse --short HEAD >/dev/null 2>&1; then
    GIT_FACTS="commit $(git -C "$ROOT_DIR" rev-parse --short HEAD)"
    [ -n "$(git -C "$ROOT_DIR" status --porcelain --untracked-files=no 2>/dev/null)" ] && GIT_FACTS+=" (work tree had uncommitted changes)"
  fi
}

sum_cpu_ticks() {  # user+system ticks of all running brokers ("" if one is gone)
  local p c s=0
  for p in "${PIDS[@]}"; do
    c="$(cpu_ticks "$p")"; [ -n "$c" ] || { echo ""; return; }
    s=$((s + c))
  done
  echo "$s"
}

all_alive() { local p; for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null || return 1; done; }

# ---------------------------------------------------------------- the two clusters
declare -a KPORT CPORT

kafka_properties() {  # kafka_properties NODE_ID
  local i="$1"
  cat <<EOF
process.roles=broker,controller
node.id=$i
controller.quorum.voters=1@127.0.0.1:${CPORT[1]},2@127.0.0.1:${CPORT[2]},3@127.0.0.1:${CPORT[3]}
listeners=PLAINTEXT://127.0.0.1:${KPORT[$i]},CONTROLLER://127.0.0.1:${CPORT[$i]}
advertised.listeners=PLAINTEXT://127.0.0.1:${KPORT[$i]}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$RUN_DIR/kafka/data-$i
num.partitions=1
default.replication.factor=3
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
group.initial.rebalance.delay.ms=0
EOF
}

pick_ports() {
  local i
  for i in 1 2 3; do
    pick_port || return 1; KPORT[$i]="$PORT"
    pick_port || return 1; CPORT[$i]="$PORT"
  done
  BOOTSTRAP="127.0.0.1:${KPORT[1]},127.0.0.1:${KPORT[2]},127.0.0.1:${KPORT[3]}"
}

# start_cluster SYS: three members; sets PIDS, BOOTSTRAP; returns 1 with START_FAILURE set
start_cluster() {
  local sys="$1" i cmd cluster_id t0 join
  mkdir -p "$RUN_DIR/$sys"
  START_FAILURE="cluster did not start"
  pick_ports || { START_FAILURE="no free ports"; return 1; }
  PIDS=()
  if [ "$sys" = kafka ]; then
    cluster_id="$(java $TOOL_LOG -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>>"$RUN_DIR/kafka/format.log")"
    for i in 1 2 3; do
      rm -rf "$RUN_DIR/kafka/data-$i"
      kafka_properties "$i" >"$RUN_DIR/kafka/server-$i.properties"
      log "kafka: formatting node $i (StorageTool format -t $cluster_id, static controller.quorum.voters)"
      if ! java $TOOL_LOG -cp "$LIBS/*" kafka.tools.StorageTool format -t "$cluster_id" \
          -c "$RUN_DIR/kafka/server-$i.properties" >>"$RUN_DIR/kafka/format.log" 2>&1; then
        START_FAILURE="storage format of node $i failed: $(tail -1 "$RUN_DIR/kafka/format.log" | cut -c1-200)"
        log "kafka: $START_FAILURE"; return 1
      fi
    done
  else
    [ -f "$RUN_DIR/tributary.jar" ] || { START_FAILURE="no jar at $TRIBUTARY_JAR_SRC"; log "tributary: $START_FAILURE"; return 1; }
    join="127.0.0.1:${CPORT[1]},127.0.0.1:${CPORT[2]},127.0.0.1:${CPORT[3]}"
  fi
  t0="$(now_ms)"
  for i in 1 2 3; do
    if [ "$sys" = kafka ]; then
      cmd=(java "$BROKER_HEAP" "-Dlog4j2.configurationFile=$BENCH_DIR/log4j2-broker.properties"
           -cp "$LIBS/*" kafka.Kafka "$RUN_DIR/kafka/server-$i.properties")
    else
      rm -rf "$RUN_DIR/tributary/data-$i"
      # shellcheck disable=SC2206
      cmd=(java "$BROKER_HEAP" -jar "$RUN_DIR/tributary.jar"
           --override "node.id=$i"
           --override "listeners=PLAINTEXT://127.0.0.1:${KPORT[$i]}"
           --override "log.dirs=$RUN_DIR/tributary/data-$i"
           --override "cluster.port=${CPORT[$i]}"
           --override "cluster.join=$join"
           --override "default.replication.factor=3"
           --override "mqtt.listeners="
           --override "http.listeners="
           --override "connect.listeners="
           --override "group.initial.rebalance.delay.ms=0"
           $TRIBUTARY_EXTRA_ARGS)
    fi
    printf '%q ' "${cmd[@]}" >"$RUN_DIR/$sys/command-$i.txt"
    "${cmd[@]}" >"$RUN_DIR/$sys/broker-$i.log" 2>&1 &
    PIDS+=($!)
    log "$sys: member $i started, pid $!, kafka port ${KPORT[$i]}, $([ "$sys" = kafka ] && echo controller || echo cluster) port ${CPORT[$i]}"
  done
  R[$sys.command]="$(sed -E "s#$RUN_DIR#bench/target/run/$STAMP#g" "$RUN_DIR/$sys/command-1.txt")"
  # Ready when every member has logged its start-up line.
  local pattern ready deadline=$(( $(date +%s) + STARTUP_TIMEOUT_S ))
  if [ "$sys" = kafka ]; then pattern='\[KafkaRaftServer nodeId=[0-9]+\] Kafka Server started'; else pattern='Tributary .* started:'; fi
  while :; do
    ready=0
    for i in 1 2 3; do
      if ! kill -0 "${PIDS[$((i - 1))]}" 2>/dev/null; then
        START_FAILURE="member $i exited during start-up: $(grep -m1 -E 'ERROR|Exception' "$RUN_DIR/$sys/broker-$i.log" | cut -c1-200)"
        log "$sys: $START_FAILURE"; return 1
      fi
      grep -qE "$pattern" "$RUN_DIR/$sys/broker-$i.log" && ready=$((ready + 1))
    done
    [ "$ready" = 3 ] && break
    if (( $(date +%s) > deadline )); then
      START_FAILURE="only $ready of 3 members logged their start-up line within ${STARTUP_TIMEOUT_S}s"
      log "$sys: $START_FAILURE"; return 1
    fi
    sleep 0.2
  done
  R[$sys.startup_ms]=$(( $(now_ms) - t0 ))
  log "$sys: all three members up after ${R[$sys.startup_ms]} ms"
  for i in 1 2 3; do
    grep -m1 -E "$pattern" "$RUN_DIR/$sys/broker-$i.log" | cut -c1-200 >>"$RUN_DIR/$sys/startup-lines.txt"
  done
  R[$sys.cpu_start]="$(sum_cpu_ticks)"
  return 0
}

stop_cluster() {
  local sys="$1" p rss=0 hwm=0 c
  ((${#PIDS[@]})) || return 0
  c="$(sum_cpu_ticks)"
  [ -n "$c" ] && [ -n "${R[$sys.cpu_start]:-}" ] && R[$sys.cpu_total_s]="$(awk -v a="$c" -v b="${R[$sys.cpu_start]}" -v t="$CLK_TCK" 'BEGIN{printf "%.1f", (a-b)/t}')"
  for p in "${PIDS[@]}"; do
    hwm=$((hwm + $(status_kb "$p" VmHWM || echo 0)))
  done
  R[$sys.peak_rss_mib]="$((hwm / 1024))"
  local i
  for i in 1 2 3; do R[$sys.loglines.$i]="$(wc -l <"$RUN_DIR/$sys/broker-$i.log")"; done
  log "$sys: stopping pids ${PIDS[*]} (SIGTERM, SIGKILL after 30 s)"
  for p in "${PIDS[@]}"; do stop_pid "$p" 30 & done
  wait
  PIDS=()
  if [ "$KEEP_DATA" != 1 ]; then rm -rf "$RUN_DIR/$sys"/data-*; fi
}

# ---------------------------------------------------------------- workload
fail() {
  local why="$3" f="$RUN_DIR/$1/$2" ex
  ex="$(cat "$f.err" "$f.out" 2>/dev/null | grep -m1 -E 'Exception|ERROR' | cut -c1-200)"
  [ -n "$ex" ] && [[ "$why" != *"$ex"* ]] && why="$why: $ex"
  R[$1.$2.failed]="$why"
  log "$1: ${LABEL[$2]}: FAILED ($why)"
}

fmt0() { awk -v v="$1" 'BEGIN{ if (v ~ /^[0-9.]+$/) printf "%.0f", v; else printf "%s", v }'; }
fmt2() { awk -v v="$1" 'BEGIN{ if (v ~ /^[0-9.]+$/) printf "%.2f", v; else printf "%s", v }'; }

run_workload() {  # run_workload SYS WORKLOAD
  local sys="$1" w="$2" out="$RUN_DIR/$1/$2.out" err="$RUN_DIR/$1/$2.err" rc line c0 c1 t0 t1
  local n rps mbs avg p50 p99 p999
  all_alive || { fail "$sys" "$w" "a member is not running"; return; }
  log "$sys: ${LABEL[$w]}, $NUM_RECORDS records ..."
  c0="$(sum_cpu_ticks)"; t0="$(now_ms)"
  timeout --kill-after=10 "$WORKLOAD_TIMEOUT" java "$TOOL_HEAP" $TOOL_LOG -cp "$LIBS/*" \
    org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC_NAME" \
    --num-records "$NUM_RECORDS" --record-size "$RECORD_SIZE" --throughput -1 \
    --command-property "acks=${ACKS[$w]}" linger.ms="$LINGER_MS" batch.size="$BATCH_SIZE" >"$out" 2>"$err" &
  TOOL_PID=$!
  wait "$TOOL_PID"; rc=$?; TOOL_PID=""
  t1="$(now_ms)"; c1="$(sum_cpu_ticks)"
  R[$sys.$w.wall_s]="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b-a)/1000}')"
  if [ -z "$c1" ]; then fail "$sys" "$w" "a member died during the workload"; return; fi
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then fail "$sys" "$w" "timeout after ${WORKLOAD_TIMEOUT}s"; return; fi
  line="$(grep 'ms 99.9th' "$out" | tail -1)"
  if [ -z "$line" ] || [ "$rc" != 0 ]; then fail "$sys" "$w" "exit $rc, no summary line"; return; fi
  R[$sys.$w.raw]="$line"
  read -r n rps mbs avg p50 p99 p999 < <(sed -E 's/^([0-9]+) records sent, ([0-9.]+) records\/sec \(([0-9.]+) MB\/sec\), ([0-9.]+) ms avg latency, [0-9.]+ ms max latency, ([0-9]+) ms 50th, [0-9]+ ms 95th, ([0-9]+) ms 99th, ([0-9]+) ms 99.9th.*/\1 \2 \3 \4 \5 \6 \7/' <<<"$line")
  R[$sys.$w.rps]="$(fmt0 "$rps")"; R[$sys.$w.mbs]="$(fmt2 "$mbs")"; R[$sys.$w.avg]="$(fmt2 "$avg")"
  R[$sys.$w.p50]="$p50"; R[$sys.$w.p99]="$p99"; R[$sys.$w.p999]="$p999"
  R[$sys.$w.cpu_gib]="$(awk -v c="$((c1 - c0))" -v b="$((n * RECORD_SIZE))" -v t="$CLK_TCK" 'BEGIN{ if (b > 0) printf "%.1f", (c/t) / (b/1073741824) }')"
  local errors; errors="$(grep -c -iE 'error|exception' "$err" 2>/dev/null || true)"
  [ "${errors:-0}" -gt 0 ] && R[$sys.$w.note]="$errors error/exception lines from the producer, see ${err#"$ROOT_DIR"/}"
  if [ "$n" -lt "$NUM_RECORDS" ]; then fail "$sys" "$w" "sent $n of $NUM_RECORDS records"; return; fi
  log "$sys: ${LABEL[$w]}: $line"
}

bench_system() {
  local sys="$1" w
  R[$sys.ran]=1
  if start_cluster "$sys"; then
    log "$sys: creating $TOPIC_NAME ($PARTITIONS partitions, RF $REPLICATION_FACTOR, min.insync.replicas $MIN_ISR), waiting for full ISRs"
    if java "$TOOL_HEAP" $TOOL_LOG -Dreplication.factor="$REPLICATION_FACTOR" -Dmin.insync.replicas="$MIN_ISR" -Dwait.ms=60000 \
        -cp "$LIBS/*:$CLASSES" CreateTopics "$BOOTSTRAP" "$PARTITIONS" "$TOPIC_NAME" >"$RUN_DIR/$sys/create-topics.out" 2>&1; then
      R[$sys.layout]="$(grep -E "^$TOPIC_NAME-" "$RUN_DIR/$sys/create-topics.out" | sed 's/^/    /')"
      for w in "${WORKLOADS[@]}"; do run_workload "$sys" "$w"; done
    else
      local why; why="topic creation failed: $(grep -m1 -iE 'exception|error' "$RUN_DIR/$sys/create-topics.out" | cut -c1-200)"
      log "$sys: $why"
      for w in "${WORKLOADS[@]}"; do fail "$sys" "$w" "$why"; done
    fi
  else
    for w in "${WORKLOADS[@]}"; do fail "$sys" "$w" "$START_FAILURE"; done
  fi
  stop_cluster "$sys"
}

# ---------------------------------------------------------------- report
cell() {
  local sys="$1" w="$2" k="$3"
  if [ -z "${R[$sys.ran]:-}" ]; then echo "not run"; return; fi
  if [ -n "${R[$sys.$w.failed]:-}" ]; then echo "FAILED"; return; fi
  echo "${R[$sys.$w.$k]:-n/a}"
}
ratio() { awk -v t="$1" -v k="$2" 'BEGIN{ if (t ~ /^[0-9.]+$/ && k ~ /^[0-9.]+$/ && k+0 > 0) printf "%.2f", t/k; else print "-" }'; }
row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$(ratio "$3" "$2")" "$4"; }

report() {
  local K=kafka T=tributary w
  echo "| metric (3 brokers, RF=3, min.insync.replicas=$MIN_ISR) | Kafka $KAFKA_VERSION | Tributary | Tributary/Kafka | better |"
  echo "|---|---|---|---|---|"
  for w in "${WORKLOADS[@]}"; do
    row "${LABEL[$w]}: records/s" "$(cell $K $w rps)" "$(cell $T $w rps)" higher
    row "${LABEL[$w]}: MB/s" "$(cell $K $w mbs)" "$(cell $T $w mbs)" higher
    row "${LABEL[$w]}: latency avg (ms)" "$(cell $K $w avg)" "$(cell $T $w avg)" lower
    row "${LABEL[$w]}: latency p50 (ms)" "$(cell $K $w p50)" "$(cell $T $w p50)" lower
    row "${LABEL[$w]}: latency p99 (ms)" "$(cell $K $w p99)" "$(cell $T $w p99)" lower
    row "${LABEL[$w]}: CPU of the three brokers, s/GiB" "$(cell $K $w cpu_gib)" "$(cell $T $w cpu_gib)" lower
  done
  row "start-up of all three members (ms)" "${R[$K.startup_ms]:-n/a}" "${R[$T.startup_ms]:-n/a}" lower
  row "peak RSS, sum of the three VmHWM (MiB)" "${R[$K.peak_rss_mib]:-n/a}" "${R[$T.peak_rss_mib]:-n/a}" lower
  row "CPU of the three brokers, topic creation + workloads (s)" "${R[$K.cpu_total_s]:-n/a}" "${R[$T.cpu_total_s]:-n/a}" lower
}

failures() {
  local sys w any=0
  for sys in kafka tributary; do
    for w in "${WORKLOADS[@]}"; do
      [ -n "${R[$sys.$w.failed]:-}" ] && { echo "- $sys, ${LABEL[$w]}: ${R[$sys.$w.failed]}"; any=1; }
      [ -n "${R[$sys.$w.note]:-}" ] && { echo "- $sys, ${LABEL[$w]}: note: ${R[$sys.$w.note]}"; any=1; }
    done
  done
  [ "$any" = 0 ] && echo "- none"
  true
}

broker_logs() {  # ERROR/WARN counts, ISR shrinks, first distinct ERROR lines, per member
  local sys i f shr n
  for sys in kafka tributary; do
    for i in 1 2 3; do
      f="$RUN_DIR/$sys/broker-$i.log"
      [ -f "$f" ] || continue
      if [ "$sys" = kafka ]; then
        shr="$(grep -cE 'Shrinking ISR' "$f")"
      else
        shr="$(grep -cE 'leaving the ISR' "$f")"
      fi
      n="${R[$sys.loglines.$i]:-$(wc -l <"$f")}"
      echo "- $sys member $i: before the stop $(head -n "$n" "$f" | grep -cE '\b(ERROR|SEVERE)\b') ERROR lines, $(head -n "$n" "$f" | grep -cE '\bWARN(ING)?\b') WARN lines, $shr ISR shrinks; during the stop (all three get SIGTERM at once) $(tail -n +"$((n + 1))" "$f" | grep -cE '\b(ERROR|SEVERE)\b') ERROR lines"
      if grep -qE '\b(ERROR|SEVERE)\b' "$f"; then
        echo '```'
        { head -n "$n" "$f" | grep -E '\b(ERROR|SEVERE)\b' | sed 's/^/[before stop] /'; tail -n +"$((n + 1))" "$f" | grep -E '\b(ERROR|SEVERE)\b' | sed 's/^/[stop] /'; } \
          | cut -c1-300 | awk '{k=$0; sub(/^[^A-Z]*[0-9:.,\]]+ /, "", k); if (!(k in seen)) {seen[k]=1; print}}' | head -6
        echo '```'
      fi
    done
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
  echo "- Tributary at the start of the run: ${GIT_FACTS:-no git}; ${JAR_FACTS:-no jar}"
}

settings() {
  local sys
  echo "- mode: $([ "$QUICK" = 1 ] && echo "QUICK=1 (smoke)" || echo default); $NUM_RECORDS records of $RECORD_SIZE B per produce test, time limit ${WORKLOAD_TIMEOUT}s each"
  echo "- topic: $TOPIC_NAME, $PARTITIONS partitions, replication factor $REPLICATION_FACTOR, min.insync.replicas=$MIN_ISR (topic config), created with one Admin call; the tests start once every partition has a leader and all three replicas in its ISR"
  echo "- producer: one ProducerPerformance, --throughput -1, bootstrap.servers = all three members, linger.ms=$LINGER_MS batch.size=$BATCH_SIZE, other settings client defaults (idempotence on with acks=all, off with acks=1)"
  echo "- brokers: three JVMs on 127.0.0.1, $BROKER_HEAP each, default GC; tool $TOOL_HEAP; one cluster at a time (Kafka first, stopped, then Tributary)"
  echo "- Kafka: kafka.Kafka, KRaft, each member process.roles=broker,controller, static controller.quorum.voters, storage formatted with the same cluster id; server-1.properties:"
  echo '```'
  sed -E "s#$RUN_DIR#bench/target/run/$STAMP#" "$RUN_DIR/kafka/server-1.properties" 2>/dev/null || echo "(not run)"
  echo '```'
  echo "- Tributary member 1: \`${R[tributary.command]:-not run}\`"
  for sys in kafka tributary; do
    [ -n "${R[$sys.layout]:-}" ] && { echo "- $sys partition layout when the tests started:"; echo "${R[$sys.layout]}"; }
  done
  true
}

raw_lines() {
  local sys w
  for sys in kafka tributary; do
    for w in "${WORKLOADS[@]}"; do
      [ -n "${R[$sys.$w.raw]:-}" ] && printf -- '- %s, %s (%s s wall): `%s`\n' "$sys" "${LABEL[$w]}" "${R[$sys.$w.wall_s]:-?}" "${R[$sys.$w.raw]}"
    done
  done
  true
}

write_results() {
  local table; table="$(report)"
  {
    echo "# Cluster benchmark $STAMP: three Apache Kafka $KAFKA_VERSION brokers vs three Tributary members"
    echo
    echo "Command: \`$( [ "$QUICK" = 1 ] && echo 'QUICK=1 ')bench/cluster.sh\`, total run time ${TOTAL_S} s. Ratio = Tributary / Kafka; the \"better\" column says which direction wins."
    echo
    echo "$table"
    echo
    echo "## Failed or flagged cells"
    echo
    failures
    echo
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
    echo "Logs of this run: bench/target/run/$STAMP/ (broker-N.log, command-N.txt, one .out/.err per test)."
  } >"$RESULT_FILE"
  echo
  echo "$table"
  echo
  echo "Failed or flagged:"; failures
  echo
  echo "Broker logs:"; broker_logs
  echo
  echo "Results written to ${RESULT_FILE#"$ROOT_DIR"/} (total ${TOTAL_S} s)"
}

main() {
  RUN_START="$(date +%s)"
  LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
  prepare
  log "run directory $RUN_DIR; mode $([ "$QUICK" = 1 ] && echo QUICK || echo default); $NUM_RECORDS records"
  local sys
  for sys in $SYSTEMS; do bench_system "$sys"; done
  TOTAL_S=$(( $(date +%s) - RUN_START ))
  write_results
}

main "$@"
