#!/usr/bin/env bash
# Stop the Kafka broker that scripts/kafka/start.sh started, by the pid in
# $KAFKA_RUN_DIR/kafka.pid only: SIGTERM (controlled shutdown), then SIGKILL
# after $KAFKA_STOP_TIMEOUT seconds (default 30). Never kills by name.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$KAFKA_STOP_TIMEOUT" =~ ^[0-9]+$ ]] || kafka_die "KAFKA_STOP_TIMEOUT must be a number of seconds"

if [[ -d "$KAFKA_RUN_DIR" ]] && command -v flock >/dev/null 2>&1; then
  exec 9>"$KAFKA_RUN_DIR/.lock"
  flock -w 180 9 || kafka_die "another start.sh/stop.sh holds $KAFKA_RUN_DIR/.lock"
fi

if ! pid="$(kafka_read_pid)"; then
  kafka_info "Kafka is not running (no pid file at $KAFKA_PID_FILE)"
  exit 0
fi

if ! kafka_pid_is_ours "$pid"; then
  kafka_info "Kafka is not running (pid $pid from $KAFKA_PID_FILE is gone or is not our broker); removing the stale pid file"
  rm -f "$KAFKA_PID_FILE"
  exit 0
fi

kafka_info "Stopping Kafka (pid $pid) with SIGTERM ..."
kafka_terminate "$pid" || kafka_die "Kafka (pid $pid) survived SIGKILL; pid file left at $KAFKA_PID_FILE"
rm -f "$KAFKA_PID_FILE"
kafka_info "Kafka stopped (pid $pid)"
