# shellcheck shell=bash disable=SC2034  # variables are used by the sourcing scripts
# Shared settings and helpers for scripts/kafka/*.sh. Sourced, not executed.

KAFKA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Versions. kafka-tools (CLI classes only, never on the broker's classpath) is
# published separately and Maven Central serves no kafka-tools 4.4.0, so the
# CLI runs from the newest kafka-tools it does serve. Clients of 4.3.x talk to
# a 4.4.x broker without problems (Kafka is wire compatible across versions).
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
KAFKA_TOOLS_VERSION="${KAFKA_TOOLS_VERSION:-4.3.1}"

KAFKA_CACHE_DIR="${KAFKA_CACHE_DIR:-$HOME/.cache/journeyline/kafka/$KAFKA_VERSION}"
KAFKA_TOOLS_CACHE_DIR="${KAFKA_TOOLS_CACHE_DIR:-$HOME/.cache/journeyline/kafka-tools/$KAFKA_TOOLS_VERSION}"
KAFKA_RUN_DIR="${KAFKA_RUN_DIR:-$HOME/.cache/journeyline/kafka-run}"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HOST=127.0.0.1

KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
# Default JVM flags: G1 plus a C1-only JIT, which starts the broker a few
# seconds sooner on a small machine. KAFKA_JVM_OPTS="" (set but empty) gives
# the plain JVM defaults.
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:TieredStopAtLevel=1}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
KAFKA_KEEP_DATA="${KAFKA_KEEP_DATA:-0}"

case "$KAFKA_RUN_DIR" in
  "" | / | "$HOME" | "$HOME/")
    printf '[kafka] ERROR: refusing to use %s as KAFKA_RUN_DIR (its data/ is wiped on start)\n' "'$KAFKA_RUN_DIR'" >&2
    exit 1
    ;;
esac

KAFKA_PID_FILE="$KAFKA_RUN_DIR/kafka.pid"
KAFKA_LOG_FILE="$KAFKA_RUN_DIR/kafka.log"
KAFKA_PROPS_FILE="$KAFKA_RUN_DIR/server.properties"
KAFKA_DATA_DIR="$KAFKA_RUN_DIR/data"

if [[ -n "${KAFKA_JAVA:-}" ]]; then
  :
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  KAFKA_JAVA="$JAVA_HOME/bin/java"
else
  KAFKA_JAVA=java
fi

kafka_info() { printf '[kafka] %s\n' "$*" >&2; }
kafka_die() { printf '[kafka] ERROR: %s\n' "$*" >&2; exit 1; }

kafka_require_java() {
  command -v "$KAFKA_JAVA" >/dev/null 2>&1 ||
    kafka_die "java not found ('$KAFKA_JAVA'); Kafka ${KAFKA_VERSION} needs Java 17+ (set JAVA_HOME or KAFKA_JAVA)"
}

kafka_check_port_var() {
  local name="$1" value="$2"
  if ! [[ "$value" =~ ^[0-9]{1,5}$ ]] || ((10#$value < 1 || 10#$value > 65535)); then
    kafka_die "$name must be a TCP port number, got '$value'"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
kafka_port_open() {
  (exec 3<>"/dev/tcp/$KAFKA_HOST/$1") 2>/dev/null
}

kafka_read_pid() {
  [[ -f "$KAFKA_PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$KAFKA_PID_FILE")"
  [[ -n "$pid" ]] || return 1
  printf '%s\n' "$pid"
}

# True when process $1 exists and is not a zombie (an unreaped zombie can
# linger when the init process of a container does not reap orphans).
kafka_pid_alive() {
  local pid="$1" stat
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/stat" ]]; then
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ "${stat:0:1}" != Z ]] || return 1
  fi
  return 0
}

# True when $1 is alive and is the broker started from this run dir (guards
# against a recycled pid belonging to some unrelated process).
kafka_pid_is_ours() {
  local pid="$1" cmdline
  kafka_pid_alive "$pid" || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  else
    cmdline="$(ps -p "$pid" -o args= 2>/dev/null)" || return 1
  fi
  [[ "$cmdline" == *kafka.Kafka* && "$cmdline" == *"$KAFKA_PROPS_FILE"* ]]
}

# Sends SIGTERM to pid $1, waits up to $KAFKA_STOP_TIMEOUT s, then SIGKILL.
# Returns non-zero only if the process is still there afterwards.
kafka_terminate() {
  local pid="$1" deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || true
  while kafka_pid_alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kafka_pid_alive "$pid"; then
    kafka_info "pid $pid still running after ${KAFKA_STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    local _
    for _ in $(seq 1 50); do
      kafka_pid_alive "$pid" || break
      sleep 0.1
    done
  fi
  ! kafka_pid_alive "$pid"
}

# Java classpath wildcard for a jar directory.
kafka_classpath() { printf '%s/*' "$1"; }
