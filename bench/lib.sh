# Shell functions shared by bench/run.sh and bench/cluster.sh. Sourced, not run. Expects BENCH_DIR,
# ROOT_DIR, KAFKA_VERSION, LIBS and CLASSES to be set by the caller.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

stop_pid() {  # stop_pid PID GRACE_SECONDS: TERM, wait, then KILL; only that PID
  local pid="$1" grace="${2:-30}" i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop in ${grace}s: KILL"
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null || true
}

# Kafka's broker and tools jars (with runtime deps) in $LIBS, and the bench helpers in $CLASSES.
ensure_kafka_libs_and_helpers() {
  if [ ! -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] || [ ! -f "$LIBS/kafka-tools-$KAFKA_VERSION.jar" ]; then
    log "resolving Apache Kafka $KAFKA_VERSION jars into $LIBS (first run only)"
    mvn -B -q -f "$BENCH_DIR/pom.xml" dependency:copy-dependencies || { log "could not resolve Kafka's jars"; exit 1; }
  fi
  if [ ! -f "$CLASSES/StartupProbe.class" ] || [ ! -f "$CLASSES/CreateTopics.class" ] \
     || [ -n "$(find "$BENCH_DIR/src" -name '*.java' -newer "$CLASSES/StartupProbe.class")" ]; then
    mkdir -p "$CLASSES"
    javac -d "$CLASSES" -cp "$LIBS/*" "$BENCH_DIR"/src/*.java || { log "javac of bench helpers failed"; exit 1; }
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

USED_PORTS=" "
PORT=""
pick_port() {  # sets PORT: a free port below the ephemeral range, not handed out before in this run
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 12000))
    [[ "$USED_PORTS" == *" $p "* ]] && continue
    port_in_use "$p" && continue
    USED_PORTS+="$p "
    PORT="$p"
    return 0
  done
  log "no free port found"; return 1
}

cpu_ticks() {  # utime+stime of a pid, in clock ticks ("" if gone)
  local s
  s="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo ""; return; }
  s="${s##*) }"
  awk '{print $12 + $13}' <<<"$s"
}

status_kb() {  # status_kb PID FIELD (VmRSS, VmHWM)
  awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status" 2>/dev/null
}

now_ms() { date +%s%3N; }
