#!/usr/bin/env bash
# MQTT benchmark (issue 5): Tributary's MQTT gateway side by side with Mosquitto (Debian's mosquitto package) on
# this machine, in the same run, with the same clients:
#   - publish throughput, 100-byte payloads, QoS 0 and QoS 1: CLIENTS (50) concurrent mosquitto_pub processes, each
#     sending MESSAGES (4000) lines (mosquitto_pub -l; QoS 1 with its default 20 messages in flight); each QoS
#     twice: a first pass (reported apart: for Tributary it includes the JVM's JIT warm-up; the QoS 0 passes run
#     first, right after start-up) and the measured one
#   - publish-to-subscribe latency p50/p99 at QoS 1, RATE (1000) msg/s for DURATION (10) s after WARMUP (15) s
#     unmeasured (bench/mqtt/MqttBench.java), ROUNDS (5) times, alternating between the brokers; the median round
#     is reported. Each round is a new client JVM that first sends CLIENT_WARMUP (5) s unmeasured, so that the
#     client's own JIT and first collections do not fall into either broker's measurement
#   - resident memory of the broker process with IDLE_CLIENTS (10,000) idle connected clients (MqttBench.java)
# Every Tributary QoS 1 publish is appended to the log before its PUBACK; Mosquitto runs with its defaults
# (in-memory, no persistence).
#
#   bench/mqtt/run.sh                  # needs server/target/tributary.jar (mvn -B package -DskipTests) and mosquitto
#   SKIP_IDLE=1 bench/mqtt/run.sh      # throughput and latency only
#   JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/broker.jfr,settings=profile" bench/mqtt/run.sh
#                                      # extra JVM options for the Tributary broker (here: a JFR recording)
#
# Writes bench/results/mqtt-<YYYY-MM-DD-HHMM>.md.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
STAMP="$(date +%Y-%m-%d-%H%M)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-15}"
CLIENT_WARMUP="${CLIENT_WARMUP:-5}"
CLIENTS="${CLIENTS:-50}"
MESSAGES="${MESSAGES:-4000}"
RATE="${RATE:-1000}"
ROUNDS="${ROUNDS:-5}"
IDLE_CLIENTS="${IDLE_CLIENTS:-10000}"
TRIBUTARY_PORT="${TRIBUTARY_PORT:-18830}"
MOSQUITTO_PORT="${MOSQUITTO_PORT:-18831}"
RUN_DIR="${RUN_DIR:-$ROOT/bench/target/mqtt-bench/$STAMP}"
RESULTS="$ROOT/bench/results/mqtt-$STAMP.md"
MOSQUITTO="${MOSQUITTO:-$(command -v mosquitto || echo /usr/sbin/mosquitto)}"

log() { echo "[$(date +%T)] $*" >&2; }

mkdir -p "$RUN_DIR"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
JAR="$RUN_DIR/tributary.jar"
cp "${TRIBUTARY_JAR:-$ROOT/server/target/tributary.jar}" "$JAR"
[ -x "$MOSQUITTO" ] || { log "mosquitto not found (apt-get install mosquitto)"; exit 1; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP_DATA:-0}" != 1 ]; then rm -rf "$RUN_DIR/data" "$JAR"; fi
}
trap cleanup EXIT

wait_port() {
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  log "nothing listens on port $1"; exit 1
}

rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }

# The load generator's own log (client-side errors such as a full inflight queue) goes to a file.
bench() { java -cp "$JAR" "$BENCH_DIR/MqttBench.java" "$@" 2>>"$RUN_DIR/bench-client.log"; }

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p"; }

# ---- brokers ---------------------------------------------------------------------------------------------------
log "starting Tributary on $TRIBUTARY_PORT"
java ${JAVA_OPTS:-} -jar "$JAR" --override "log.dirs=$RUN_DIR/data" --override "listeners=PLAINTEXT://127.0.0.1:0" \
  --override "mqtt.listeners=MQTT://127.0.0.1:$TRIBUTARY_PORT" --override "http.listeners=" --override "connect.listeners=" \
  >"$RUN_DIR/tributary.log" 2>&1 &
TRIBUTARY_PID=$!
PIDS+=("$TRIBUTARY_PID")
cat >"$RUN_DIR/mosquitto.conf" <<CONF
listener $MOSQUITTO_PORT 127.0.0.1
allow_anonymous true
max_connections -1
CONF
log "starting Mosquitto $("$MOSQUITTO" -h 2>/dev/null | head -1 | awk '{print $3}') on $MOSQUITTO_PORT"
"$MOSQUITTO" -c "$RUN_DIR/mosquitto.conf" >"$RUN_DIR/mosquitto.log" 2>&1 &
MOSQUITTO_PID=$!
PIDS+=("$MOSQUITTO_PID")
wait_port "$TRIBUTARY_PORT"
wait_port "$MOSQUITTO_PORT"

# 100-byte lines: each becomes one publish.
awk -v n="$MESSAGES" 'BEGIN { s = sprintf("%100s", ""); gsub(/ /, "x", s); for (i = 0; i < n; i++) print s }' \
  >"$RUN_DIR/payloads"

# Messages per second for CLIENTS concurrent mosquitto_pub processes, from the first start to the last exit.
throughput() { # port qos
  local start end pids=()
  start="$(date +%s.%N)"
  for i in $(seq 1 "$CLIENTS"); do
    mosquitto_pub -p "$1" -q "$2" -t "bench/p$i" -i "bench-pub-$i" -l <"$RUN_DIR/payloads" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  end="$(date +%s.%N)"
  awk -v n="$((CLIENTS * MESSAGES))" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", n / (e - s) }'
}

declare -A R
throughputs() { # name port
  for qos in 0 1; do
    R[$1.first$qos]="$(throughput "$2" "$qos")"
    R[$1.tput$qos]="$(throughput "$2" "$qos")"
    log "$1 QoS $qos: first pass ${R[$1.first$qos]} msg/s, measured ${R[$1.tput$qos]} msg/s"
  done
}

# An unmeasured run first (WARMUP seconds), so the JVM broker is measured after JIT warm-up, as a long-running
# broker would be; on a busy 2-core machine the first seconds are far slower. Both brokers get the same.
warm_up() { # port
  bench latency 127.0.0.1 "$1" 1 "$RATE" "$WARMUP" >/dev/null || true
}

latency_round() { # name port
  local out
  out="$(bench latency 127.0.0.1 "$2" 1 "$RATE" "$DURATION" "$CLIENT_WARMUP")"
  log "$1 $out"
  R[$1.p50s]+="$(echo "$out" | field p50_ms) "
  R[$1.p99s]+="$(echo "$out" | field p99_ms) "
}

idle() { # name port pid
  local name="$1" port="$2" pid="$3"
  R[$name.rss0]="$(rss_kb "$pid")"
  local fifo="$RUN_DIR/idle-$name.fifo"
  mkfifo "$fifo"
  bench idle 127.0.0.1 "$port" "$IDLE_CLIENTS" <"$fifo" >"$RUN_DIR/idle-$name.out" 2>&1 &
  local idle_pid=$!
  exec 4>"$fifo"
  for _ in $(seq 1 600); do grep -q READY "$RUN_DIR/idle-$name.out" && break; sleep 0.5; done
  sleep 5
  R[$name.rss1]="$(rss_kb "$pid")"
  log "$name idle: $(cat "$RUN_DIR/idle-$name.out") rss ${R[$name.rss0]} -> ${R[$name.rss1]} kB"
  exec 4>&-
  wait "$idle_pid" || true
  rm -f "$fifo"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

throughputs tributary "$TRIBUTARY_PORT"
throughputs mosquitto "$MOSQUITTO_PORT"
warm_up "$TRIBUTARY_PORT"
warm_up "$MOSQUITTO_PORT"
# Rounds alternate between the brokers, so that a busy moment on the shared machine does not fall on one broker
# only; the table gives the median of the rounds.
for round in $(seq 1 "$ROUNDS"); do
  latency_round tributary "$TRIBUTARY_PORT"
  latency_round mosquitto "$MOSQUITTO_PORT"
done
for name in tributary mosquitto; do
  R[$name.p50]="$(echo "${R[$name.p50s]}" | median)"
  R[$name.p99]="$(echo "${R[$name.p99s]}" | median)"
done
if [ "${SKIP_IDLE:-0}" != 1 ]; then
  idle tributary "$TRIBUTARY_PORT" "$TRIBUTARY_PID"
  idle mosquitto "$MOSQUITTO_PORT" "$MOSQUITTO_PID"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0 || b == "") print "n/a"; else printf "%.2f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { if (k == "") print "n/a"; else printf "%.0f", k / 1024 }'; }
per_client() { awk -v a="$1" -v b="$2" -v n="$IDLE_CLIENTS" 'BEGIN { if (a == "" || b == "") print "n/a"; else printf "%.1f", (b - a) / n }'; }

{
  echo "# MQTT benchmark $STAMP"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GB; $(java -version 2>&1 | head -1); mosquitto $("$MOSQUITTO" -h 2>/dev/null | head -1 | awk '{print $3}'); broker JVM options: ${JAVA_OPTS:-(none)}."
  echo "Load: $CLIENTS mosquitto_pub processes x $MESSAGES messages of 100 bytes; latency at QoS 1, $RATE msg/s for $DURATION s after $CLIENT_WARMUP s unmeasured in each client JVM, $ROUNDS rounds alternating between the brokers (median shown); $IDLE_CLIENTS idle clients."
  echo "Tributary appends every publish to its log (QoS 1: before the PUBACK); Mosquitto keeps messages in memory."
  echo "Tributary settings from the environment: $(env | grep '^TRIBUTARY_' | sort | tr '\n' ' ' || true)"
  echo "Load average (1/5/15 min) before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| measure | Tributary | Mosquitto | Tributary / Mosquitto |"
  echo "|---|---|---|---|"
  echo "| QoS 0 publish msg/s, first pass (fresh start) | ${R[tributary.first0]} | ${R[mosquitto.first0]} | $(ratio "${R[tributary.first0]}" "${R[mosquitto.first0]}") |"
  echo "| QoS 1 publish msg/s, first QoS 1 pass | ${R[tributary.first1]} | ${R[mosquitto.first1]} | $(ratio "${R[tributary.first1]}" "${R[mosquitto.first1]}") |"
  echo "| QoS 0 publish msg/s | ${R[tributary.tput0]} | ${R[mosquitto.tput0]} | $(ratio "${R[tributary.tput0]}" "${R[mosquitto.tput0]}") |"
  echo "| QoS 1 publish msg/s | ${R[tributary.tput1]} | ${R[mosquitto.tput1]} | $(ratio "${R[tributary.tput1]}" "${R[mosquitto.tput1]}") |"
  echo "| latency p50 ms (QoS 1) | ${R[tributary.p50]} | ${R[mosquitto.p50]} | $(ratio "${R[tributary.p50]}" "${R[mosquitto.p50]}") |"
  echo "| latency p99 ms (QoS 1) | ${R[tributary.p99]} | ${R[mosquitto.p99]} | $(ratio "${R[tributary.p99]}" "${R[mosquitto.p99]}") |"
  echo "| latency p99 ms of each round | ${R[tributary.p99s]% } | ${R[mosquitto.p99s]% } | |"
  if [ "${SKIP_IDLE:-0}" != 1 ]; then
    echo "| RSS before idle clients MB | $(mb "${R[tributary.rss0]}") | $(mb "${R[mosquitto.rss0]}") | |"
    echo "| RSS with $IDLE_CLIENTS idle clients MB | $(mb "${R[tributary.rss1]}") | $(mb "${R[mosquitto.rss1]}") | $(ratio "${R[tributary.rss1]}" "${R[mosquitto.rss1]}") |"
    echo "| kB per idle client | $(per_client "${R[tributary.rss0]}" "${R[tributary.rss1]}") | $(per_client "${R[mosquitto.rss0]}" "${R[mosquitto.rss1]}") | |"
  fi
} >"$RESULTS"
cat "$RESULTS"
log "results in $RESULTS"
