#!/usr/bin/env bash
# Memory with many idle MQTT clients (issue 5): a freshly started Tributary and a freshly started Mosquitto, each
# measured alone (resident set size of the broker process) before and with IDLE_CLIENTS (10,000) idle connected
# MQTT 3.1.1 clients (bench/mqtt/MqttBench.java idle: clean session, keep-alive 600 s, nothing subscribed or
# published). For Tributary it also records the Java heap after a full GC with the clients connected and a class
# histogram of what they hold (RUN_DIR/histogram-*.txt), which is where per-connection memory shows.
#
#   bench/mqtt/idle.sh                       # needs server/target/tributary.jar and mosquitto
#   IDLE_CLIENTS=2000 bench/mqtt/idle.sh
#   JAVA_OPTS="-Xmx256m" bench/mqtt/idle.sh  # extra JVM options for the broker
#
# Writes bench/results/mqtt-idle-<YYYY-MM-DD-HHMM>.md.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
STAMP="$(date +%Y-%m-%d-%H%M)"
IDLE_CLIENTS="${IDLE_CLIENTS:-10000}"
TRIBUTARY_PORT="${TRIBUTARY_PORT:-18840}"
MOSQUITTO_PORT="${MOSQUITTO_PORT:-18841}"
SETTLE="${SETTLE:-5}"
RUN_DIR="${RUN_DIR:-$ROOT/bench/target/mqtt-idle/$STAMP}"
RESULTS="${RESULTS:-$ROOT/bench/results/mqtt-idle-$STAMP.md}"
MOSQUITTO="${MOSQUITTO:-$(command -v mosquitto || echo /usr/sbin/mosquitto)}"

log() { echo "[$(date +%T)] $*" >&2; }

mkdir -p "$RUN_DIR"
JAR="$RUN_DIR/tributary.jar"
cp "${TRIBUTARY_JAR:-$ROOT/server/target/tributary.jar}" "$JAR"
[ -x "$MOSQUITTO" ] || { log "mosquitto not found (apt-get install mosquitto)"; exit 1; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$RUN_DIR/data" "$JAR"
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
# Used heap in kB after a full GC (the live set), from jcmd GC.heap_info.
live_heap_kb() {
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '/garbage-first heap|def new generation|tenured generation|PSYoungGen|ParOldGen/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); s += v } } END { print s }'
}

declare -A R
# Opens IDLE_CLIENTS idle clients against a broker, records RSS before and with them.
measure() { # name port pid
  local name="$1" port="$2" pid="$3"
  sleep "$SETTLE"
  if [ "$name" = tributary ]; then R[$name.heap0]="$(live_heap_kb "$pid")"; sleep 1; fi
  R[$name.rss0]="$(rss_kb "$pid")"
  local fifo="$RUN_DIR/idle-$name.fifo"
  rm -f "$fifo"; mkfifo "$fifo"
  java -cp "$JAR" "$BENCH_DIR/MqttBench.java" idle 127.0.0.1 "$port" "$IDLE_CLIENTS" <"$fifo" \
    >"$RUN_DIR/idle-$name.out" 2>"$RUN_DIR/idle-$name.err" &
  local idle_pid=$!
  exec 4>"$fifo"
  for _ in $(seq 1 1200); do grep -q READY "$RUN_DIR/idle-$name.out" && break; sleep 0.5; done
  sleep "$SETTLE"
  R[$name.rss1]="$(rss_kb "$pid")"
  if [ "$name" = tributary ]; then
    R[$name.heap1]="$(live_heap_kb "$pid")"
    jcmd "$pid" GC.class_histogram | head -40 >"$RUN_DIR/histogram-$name.txt"
    sleep 1
    R[$name.rss2]="$(rss_kb "$pid")"
  fi
  log "$name: $(cat "$RUN_DIR/idle-$name.out") rss ${R[$name.rss0]} -> ${R[$name.rss1]} kB"
  exec 4>&-
  wait "$idle_pid" || true
  rm -f "$fifo"
}

log "starting Tributary on $TRIBUTARY_PORT"
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -jar "$JAR" --override "log.dirs=$RUN_DIR/data" --override "listeners=PLAINTEXT://127.0.0.1:0" \
  --override "mqtt.listeners=MQTT://127.0.0.1:$TRIBUTARY_PORT" --override "http.listeners=" --override "connect.listeners=" \
  >"$RUN_DIR/tributary.log" 2>&1 &
TRIBUTARY_PID=$!
PIDS+=("$TRIBUTARY_PID")
wait_port "$TRIBUTARY_PORT"
measure tributary "$TRIBUTARY_PORT" "$TRIBUTARY_PID"
kill "$TRIBUTARY_PID"; wait "$TRIBUTARY_PID" 2>/dev/null || true

cat >"$RUN_DIR/mosquitto.conf" <<CONF
listener $MOSQUITTO_PORT 127.0.0.1
allow_anonymous true
max_connections -1
CONF
log "starting Mosquitto on $MOSQUITTO_PORT"
"$MOSQUITTO" -c "$RUN_DIR/mosquitto.conf" >"$RUN_DIR/mosquitto.log" 2>&1 &
MOSQUITTO_PID=$!
PIDS+=("$MOSQUITTO_PID")
wait_port "$MOSQUITTO_PORT"
measure mosquitto "$MOSQUITTO_PORT" "$MOSQUITTO_PID"

mb() { awk -v k="$1" 'BEGIN { if (k == "") print "n/a"; else printf "%.0f", k / 1024 }'; }
per_client() { awk -v a="$1" -v b="$2" -v n="$IDLE_CLIENTS" 'BEGIN { if (a == "" || b == "") print "n/a"; else printf "%.2f", (b - a) / n }'; }
{
  echo "# MQTT idle connections $STAMP"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GB; $(java -version 2>&1 | head -1); mosquitto $("$MOSQUITTO" -h 2>/dev/null | head -1 | awk '{print $3}'); broker JVM options: ${JAVA_OPTS:-(none)}."
  echo "Each broker freshly started, alone; $IDLE_CLIENTS idle MQTT 3.1.1 clients (clean session, keep-alive 600 s)."
  echo
  echo "| measure | Tributary | Mosquitto |"
  echo "|---|---|---|"
  echo "| RSS without clients MB | $(mb "${R[tributary.rss0]}") | $(mb "${R[mosquitto.rss0]}") |"
  echo "| RSS with $IDLE_CLIENTS idle clients MB | $(mb "${R[tributary.rss1]}") | $(mb "${R[mosquitto.rss1]}") |"
  echo "| RSS per idle client kB | $(per_client "${R[tributary.rss0]}" "${R[tributary.rss1]}") | $(per_client "${R[mosquitto.rss0]}" "${R[mosquitto.rss1]}") |"
  echo "| live Java heap without / with clients MB | $(mb "${R[tributary.heap0]}") / $(mb "${R[tributary.heap1]}") | |"
  echo "| live heap per idle client kB | $(per_client "${R[tributary.heap0]}" "${R[tributary.heap1]}") | |"
  echo
  echo "Largest classes on the heap with the clients connected (after a full GC):"
  echo
  echo '```'
  head -20 "$RUN_DIR/histogram-tributary.txt"
  echo '```'
} >"$RESULTS"
cat "$RESULTS"
log "results in $RESULTS"
