#!/usr/bin/env bash
# Start a single-node Apache Kafka broker (KRaft, combined broker+controller)
# on 127.0.0.1 for integration tests, and wait until it serves requests.
#
#   scripts/kafka/start.sh          # then: scripts/kafka/stop.sh
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_RUN_DIR,
# KAFKA_KEEP_DATA=1 (reuse the previous data dir), KAFKA_START_TIMEOUT (90),
# KAFKA_HEAP_OPTS, KAFKA_JVM_OPTS, KAFKA_EXTRA_PROPS, KAFKA_VERSION,
# KAFKA_CACHE_DIR. See README.md.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

kafka_check_port_var KAFKA_PORT "$KAFKA_PORT"
kafka_check_port_var KAFKA_CONTROLLER_PORT "$KAFKA_CONTROLLER_PORT"
KAFKA_PORT=$((10#$KAFKA_PORT))
KAFKA_CONTROLLER_PORT=$((10#$KAFKA_CONTROLLER_PORT))
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || kafka_die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
[[ "$KAFKA_START_TIMEOUT" =~ ^[0-9]+$ ]] || kafka_die "KAFKA_START_TIMEOUT must be a number of seconds"
[[ "$KAFKA_STOP_TIMEOUT" =~ ^[0-9]+$ ]] || kafka_die "KAFKA_STOP_TIMEOUT must be a number of seconds"
kafka_require_java

mkdir -p "$KAFKA_RUN_DIR"
BOOTSTRAP="$KAFKA_HOST:$KAFKA_PORT"
QUIET_LOG4J="$KAFKA_RUN_DIR/log4j2-cli.properties"

# One start/stop at a time per run dir. fd 9 is closed for every child so the
# broker never inherits (and keeps holding) the lock.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$KAFKA_RUN_DIR/.lock"
  flock -w $((KAFKA_START_TIMEOUT + 60)) 9 || kafka_die "another start.sh/stop.sh holds $KAFKA_RUN_DIR/.lock"
fi

# Startup failed: show the log tail, make sure the broker we launched is gone
# (it may still be running after a timeout), drop its pid file, and exit 1.
fail_start() {
  local pid="$1" msg="$2"
  tail_log
  if kafka_pid_alive "$pid"; then
    kafka_info "stopping the unready broker (pid $pid)"
    kafka_terminate "$pid" || true
  fi
  rm -f "$KAFKA_PID_FILE"
  kafka_die "$msg; full log: $KAFKA_LOG_FILE"
}

tail_log() {
  if [[ -f "$KAFKA_LOG_FILE" ]]; then
    printf '[kafka] ---- last 40 lines of %s ----\n' "$KAFKA_LOG_FILE" >&2
    tail -n 40 "$KAFKA_LOG_FILE" >&2 || true
    printf '[kafka] ----\n' >&2
  fi
}

# Port of the PLAINTEXT listener in the current server.properties, if any.
configured_port() {
  [[ -f "$KAFKA_PROPS_FILE" ]] || return 0
  sed -n 's#^listeners=PLAINTEXT://[^:]*:\([0-9]*\),.*#\1#p' "$KAFKA_PROPS_FILE"
}

write_quiet_log4j() {
  cat >"$QUIET_LOG4J" <<'EOF'
# log4j2 config for short-lived helpers (storage format, readiness probe, CLI):
# warnings and errors only, on stderr.
status = warn
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = STDERR
EOF
}

# Compiles KafkaReady.java once per jar cache (keyed by the source's hash) and
# prints the directory holding KafkaReady.class; prints nothing when no javac
# matching $KAFKA_JAVA is available.
ensure_probe() {
  local cache="$1" javac sum dir
  javac="$(dirname "$(readlink -f "$(command -v "$KAFKA_JAVA")")")/javac"
  [[ -x "$javac" ]] || javac="$(command -v javac 2>/dev/null || true)"
  [[ -n "$javac" && -x "$javac" ]] || return 0
  sum="$(sha256sum "$KAFKA_SCRIPT_DIR/KafkaReady.java" | cut -c1-16)"
  dir="$cache/.ready-probe/$sum"
  if [[ ! -f "$dir/KafkaReady.class" ]]; then
    local tmp
    tmp="$(mktemp -d "$cache/.ready-probe-build.XXXXXX")"
    if "$javac" -nowarn -d "$tmp" -cp "$(kafka_classpath "$cache")" "$KAFKA_SCRIPT_DIR/KafkaReady.java" </dev/null >"$tmp/javac.log" 2>&1 9>&-; then
      mkdir -p "$cache/.ready-probe"
      rm -rf -- "$dir"
      mv "$tmp" "$dir"
    else
      kafka_info "could not compile the readiness probe (falling back to the broker log):"
      cat "$tmp/javac.log" >&2 || true
      rm -rf -- "$tmp"
      return 0
    fi
  fi
  printf '%s\n' "$dir"
}

# Waits until the broker with pid $1 answers DescribeCluster through Kafka's
# own AdminClient (KafkaReady.java, compiled from $3); with no compiled probe,
# until its port is open and it logged "Kafka Server started". Dies with the
# tail of the log otherwise.
wait_ready() {
  local pid="$1" cache="$2" probe_dir="${3:-}" deadline=$((SECONDS + KAFKA_START_TIMEOUT))

  kafka_info "Waiting up to ${KAFKA_START_TIMEOUT}s for the broker (pid $pid) on $BOOTSTRAP ..."
  while ! kafka_port_open "$KAFKA_PORT"; do
    kafka_pid_alive "$pid" || fail_start "$pid" "the broker (pid $pid) exited during startup"
    ((SECONDS < deadline)) || fail_start "$pid" "the broker did not open $BOOTSTRAP within ${KAFKA_START_TIMEOUT}s"
    sleep 0.25
  done

  if [[ -n "$probe_dir" ]]; then
    local remaining=$((deadline - SECONDS)) probe_out probe_pid rc=0
    ((remaining > 5)) || remaining=5
    probe_out="$KAFKA_RUN_DIR/ready-probe.out"
    "$KAFKA_JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$QUIET_LOG4J" \
      -cp "$probe_dir:$(kafka_classpath "$cache")" KafkaReady "$BOOTSTRAP" "$remaining" \
      </dev/null >"$probe_out" 2>&1 9>&- &
    probe_pid=$!
    while kafka_pid_alive "$probe_pid"; do
      if ! kafka_pid_alive "$pid"; then
        kill "$probe_pid" 2>/dev/null || true
        wait "$probe_pid" 2>/dev/null || true
        fail_start "$pid" "the broker (pid $pid) exited during startup"
      fi
      sleep 0.25
    done
    wait "$probe_pid" || rc=$?
    if ((rc != 0)); then
      cat "$probe_out" >&2 || true
      fail_start "$pid" "the broker did not become ready on $BOOTSTRAP within ${KAFKA_START_TIMEOUT}s"
    fi
    kafka_info "$(tail -n 1 "$probe_out")"
    rm -f "$probe_out"
  else
    until grep -q 'Kafka Server started' "$KAFKA_LOG_FILE" 2>/dev/null; do
      kafka_pid_alive "$pid" || fail_start "$pid" "the broker (pid $pid) exited during startup"
      ((SECONDS < deadline)) || fail_start "$pid" "the broker did not report 'Kafka Server started' within ${KAFKA_START_TIMEOUT}s"
      sleep 0.25
    done
  fi
}

# --- already running? -------------------------------------------------------
if pid="$(kafka_read_pid)"; then
  if kafka_pid_is_ours "$pid"; then
    running_port="$(configured_port)"
    if [[ -n "$running_port" && "$running_port" != "$KAFKA_PORT" ]]; then
      kafka_die "a broker started by this script is already running (pid $pid) on $KAFKA_HOST:$running_port, not on KAFKA_PORT=$KAFKA_PORT; run scripts/kafka/stop.sh first"
    fi
    if kafka_port_open "$KAFKA_PORT"; then
      kafka_info "Kafka is already running (pid $pid) on $BOOTSTRAP; nothing to do"
      exit 0
    fi
    kafka_info "Kafka (pid $pid) is running but not answering on $BOOTSTRAP yet"
    write_quiet_log4j
    CACHE="$(bash "$KAFKA_SCRIPT_DIR/resolve.sh" broker)"
    wait_ready "$pid" "$CACHE" "$(ensure_probe "$CACHE")"
    kafka_info "Kafka is running (pid $pid) on $BOOTSTRAP"
    exit 0
  fi
  kafka_info "Removing stale pid file $KAFKA_PID_FILE (pid $pid is not a broker started from $KAFKA_RUN_DIR)"
  rm -f "$KAFKA_PID_FILE"
fi

for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
  if kafka_port_open "$port"; then
    kafka_die "port $KAFKA_HOST:$port is already in use by a process this script did not start; free it or set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
  fi
done

# --- jars --------------------------------------------------------------------
CACHE="$(bash "$KAFKA_SCRIPT_DIR/resolve.sh" broker)"
[[ -f "$CACHE/kafka_2.13-$KAFKA_VERSION.jar" ]] || kafka_die "kafka_2.13-$KAFKA_VERSION.jar missing from $CACHE"
CLASSPATH_GLOB="$(kafka_classpath "$CACHE")"
PROBE_DIR="$(ensure_probe "$CACHE")"

# --- config ------------------------------------------------------------------
write_quiet_log4j
cat >"$KAFKA_RUN_DIR/log4j2.properties" <<'EOF'
# Broker logging: everything goes to stdout, which start.sh sends to kafka.log.
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.zk.name = org.apache.zookeeper
logger.zk.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF

cat >"$KAFKA_PROPS_FILE" <<EOF
# Generated by scripts/kafka/start.sh — overwritten on every start.
# Single-node KRaft: this node is both broker and (sole) controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA_DIR

# Test-friendly defaults.
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
EOF
if [[ -n "${KAFKA_EXTRA_PROPS:-}" ]]; then
  printf '\n# From KAFKA_EXTRA_PROPS (later keys win).\n%s\n' "$KAFKA_EXTRA_PROPS" >>"$KAFKA_PROPS_FILE"
fi

# --- storage -------------------------------------------------------------------
new_cluster_id() {
  # A Kafka Uuid: 16 random bytes, base64url without padding (22 chars); like
  # Uuid.randomUuid(), never one starting with '-'.
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* && ${#id} -eq 22 ]] && break
  done
  printf '%s\n' "$id"
}

if [[ "$KAFKA_KEEP_DATA" == 1 && -f "$KAFKA_DATA_DIR/meta.properties" ]]; then
  kafka_info "KAFKA_KEEP_DATA=1: reusing $KAFKA_DATA_DIR ($(grep '^cluster.id=' "$KAFKA_DATA_DIR/meta.properties" || true))"
else
  rm -rf -- "$KAFKA_DATA_DIR"
  mkdir -p "$KAFKA_DATA_DIR"
  CLUSTER_ID="$(new_cluster_id)"
  if ! format_out="$("$KAFKA_JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$QUIET_LOG4J" \
      -cp "$CLASSPATH_GLOB" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$KAFKA_PROPS_FILE" </dev/null 2>&1 9>&-)"; then
    printf '%s\n' "$format_out" >&2
    kafka_die "formatting the KRaft storage in $KAFKA_DATA_DIR failed"
  fi
  kafka_info "Formatted fresh storage in $KAFKA_DATA_DIR (cluster id $CLUSTER_ID)"
fi

# --- launch ----------------------------------------------------------------------
if [[ -f "$KAFKA_LOG_FILE" ]]; then
  mv -f "$KAFKA_LOG_FILE" "$KAFKA_LOG_FILE.prev"
fi
kafka_info "Starting Kafka $KAFKA_VERSION on $BOOTSTRAP (controller $KAFKA_HOST:$KAFKA_CONTROLLER_PORT), log: $KAFKA_LOG_FILE"
# shellcheck disable=SC2086  # heap/JVM opts are intentionally word-split
nohup "$KAFKA_JAVA" $KAFKA_HEAP_OPTS -Djava.awt.headless=true \
  -Dlog4j2.configurationFile="$KAFKA_RUN_DIR/log4j2.properties" -Dlog4j2.shutdownHookEnabled=false $KAFKA_JVM_OPTS \
  -cp "$CLASSPATH_GLOB" kafka.Kafka "$KAFKA_PROPS_FILE" \
  </dev/null >>"$KAFKA_LOG_FILE" 2>&1 9>&- &
KAFKA_PID=$!
printf '%s\n' "$KAFKA_PID" >"$KAFKA_PID_FILE"

wait_ready "$KAFKA_PID" "$CACHE" "$PROBE_DIR"
kafka_info "Kafka $KAFKA_VERSION is ready (pid $KAFKA_PID) on $BOOTSTRAP; stop it with scripts/kafka/stop.sh"
