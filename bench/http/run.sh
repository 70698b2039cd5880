#!/usr/bin/env bash
# HTTP gateway produce benchmark: 1 KB records in batches of 10 over 64 keep-alive connections
# (bench/http/HttpProduceLoad.java), against Kafka's own ProducerPerformance on the same Tributary
# broker in the same run. See bench/http/README.md.
#
#   bench/http/run.sh                 default: ~1.5 minutes
#   MEASURE_S=10 N_PP=300000 bench/http/run.sh
#
# Prints a markdown table and writes it to bench/results/http-<YYYY-MM-DD-HHMM>.md.
set -euo pipefail

HTTP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_DIR="$(dirname "$HTTP_DIR")"
ROOT_DIR="$(dirname "$BENCH_DIR")"
LIBS="$BENCH_DIR/target/kafka-libs"
CLASSES="$BENCH_DIR/target/http-classes"
STAMP="$(date +%Y-%m-%d-%H%M%S)"
RUN_DIR="$BENCH_DIR/target/run/http-$STAMP"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
RESULT_FILE="$RESULTS_DIR/http-$STAMP.md"

CONNECTIONS="${CONNECTIONS:-64}"
BATCH="${BATCH:-10}"
RECORD_SIZE="${RECORD_SIZE:-1024}"
PARTITIONS="${PARTITIONS:-6}"
WARMUP_S="${WARMUP_S:-5}"
MEASURE_S="${MEASURE_S:-20}"
N_PP="${N_PP:-1000000}"                       # records ProducerPerformance sends
PP_PROPS=(acks=all linger.ms=5 batch.size=65536)
BROKER_HEAP="${BROKER_HEAP:--Xmx1g}"
TRIBUTARY_JAR="${TRIBUTARY_JAR:-$ROOT_DIR/server/target/tributary.jar}"
BROKER_PID=""

log() { printf '[bench-http %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

stop_broker() {
  [ -n "$BROKER_PID" ] || return 0
  if kill -0 "$BROKER_PID" 2>/dev/null; then
    kill -TERM "$BROKER_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$BROKER_PID" 2>/dev/null || true
  fi
  BROKER_PID=""
  rm -rf "$RUN_DIR/data"
}
trap stop_broker EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# ---------------------------------------------------------------- prerequisites
mkdir -p "$RUN_DIR" "$RESULTS_DIR" "$CLASSES"
if ! ls "$LIBS"/kafka-tools-*.jar >/dev/null 2>&1; then
  log "copying Kafka's jars into $LIBS"
  mvn -B -q -f "$BENCH_DIR/pom.xml" dependency:copy-dependencies
fi
if [ ! -f "$TRIBUTARY_JAR" ]; then
  log "building $TRIBUTARY_JAR"
  (cd "$ROOT_DIR" && mvn -B -q -DskipTests package)
fi
cp -p "$TRIBUTARY_JAR" "$RUN_DIR/tributary.jar"
javac -d "$CLASSES" "$HTTP_DIR/HttpProduceLoad.java"

# ---------------------------------------------------------------- broker
KAFKA_PORT="$(free_port)"
HTTP_PORT="$(free_port)"
java "$BROKER_HEAP" -jar "$RUN_DIR/tributary.jar" \
  --override "listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT" \
  --override "http.listeners=HTTP://127.0.0.1:$HTTP_PORT" \
  --override "mqtt.listeners=" \
  --override "log.dirs=$RUN_DIR/data" \
  --override "group.initial.rebalance.delay.ms=0" >"$RUN_DIR/broker.log" 2>&1 &
BROKER_PID=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$BROKER_PID" 2>/dev/null || { log "broker exited; see $RUN_DIR/broker.log"; exit 1; }
  sleep 0.1
done
curl -sf "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null || { log "HTTP gateway not ready"; exit 1; }
for topic in bench-http bench-pp; do
  curl -sf -X POST -H 'Content-Type: application/vnd.kafka.v2+json' \
    -d "{\"topic_name\":\"$topic\",\"partitions_count\":$PARTITIONS}" \
    "http://127.0.0.1:$HTTP_PORT/admin/topics" >/dev/null
done
log "Tributary up: Kafka 127.0.0.1:$KAFKA_PORT, HTTP 127.0.0.1:$HTTP_PORT"

# ---------------------------------------------------------------- workloads
log "ProducerPerformance: $N_PP records of $RECORD_SIZE B, ${PP_PROPS[*]}"
java -Xmx512m -cp "$LIBS/*" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
  --topic bench-pp --num-records "$N_PP" --record-size "$RECORD_SIZE" --throughput -1 \
  --command-property "${PP_PROPS[@]}" >"$RUN_DIR/pp.out" 2>"$RUN_DIR/pp.err"
PP_LINE="$(tail -n 1 "$RUN_DIR/pp.out")"
log "$PP_LINE"

log "HTTP: $CONNECTIONS connections, $BATCH x $RECORD_SIZE B per request, ${WARMUP_S}s warm-up, ${MEASURE_S}s measured"
java -Xmx512m -cp "$CLASSES" HttpProduceLoad 127.0.0.1 "$HTTP_PORT" bench-http "$CONNECTIONS" "$BATCH" \
  "$RECORD_SIZE" "$WARMUP_S" "$MEASURE_S" >"$RUN_DIR/http.out" 2>"$RUN_DIR/http.err"
HTTP_LINE="$(tail -n 1 "$RUN_DIR/http.out")"
log "$HTTP_LINE"
stop_broker

# ---------------------------------------------------------------- report
pp_rps="$(sed -E 's/.* ([0-9.]+) records\/sec.*/\1/' <<<"$PP_LINE")"
pp_p99="$(sed -E 's/.* ([0-9]+) ms 99th.*/\1/' <<<"$PP_LINE")"
http_rps="$(sed -E 's/.* ([0-9.]+) records\/sec.*/\1/' <<<"$HTTP_LINE")"
http_p99="$(sed -E 's/.* p99 ([0-9.]+) .*/\1/' <<<"$HTTP_LINE")"
ratio="$(python3 -c "print(f'{$http_rps / $pp_rps:.2f}')")"
{
  echo "# HTTP gateway produce benchmark, $STAMP"
  echo
  echo "| workload | records/s | p99 latency (ms) |"
  echo "|---|---:|---:|"
  echo "| ProducerPerformance, 1 KB, ${PP_PROPS[*]} | $pp_rps | $pp_p99 |"
  echo "| HTTP POST /topics, $BATCH x 1 KB per request, $CONNECTIONS connections | $http_rps | $http_p99 |"
  echo
  echo "HTTP / ProducerPerformance records/s: **$ratio** (goal: at least 0.5)."
  echo
  echo "- ProducerPerformance latency is per record (send to acknowledgement); HTTP latency is per request"
  echo "  of $BATCH records (request sent to response read)."
  echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -n 1)"
  echo "- Tributary commit $(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown), heap $BROKER_HEAP, $PARTITIONS partitions per topic"
  echo
  echo '```'
  echo "$PP_LINE"
  echo "$HTTP_LINE"
  echo '```'
} | tee "$RESULT_FILE"
