#!/usr/bin/env bash
# Run a Kafka command-line tool (from kafka-tools $KAFKA_TOOLS_VERSION, resolved
# on first use into $KAFKA_TOOLS_CACHE_DIR) — the equivalents of bin/kafka-*.sh.
#
#   scripts/kafka/kafka-cli.sh topics --bootstrap-server 127.0.0.1:9092 --list
#   scripts/kafka/kafka-cli.sh console-producer --bootstrap-server 127.0.0.1:9092 --topic t
#   scripts/kafka/kafka-cli.sh console-consumer --bootstrap-server 127.0.0.1:9092 --topic t \
#       --from-beginning --max-messages 1
#   scripts/kafka/kafka-cli.sh org.apache.kafka.tools.SomeOtherTool ...
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat >&2 <<'EOF'
usage: scripts/kafka/kafka-cli.sh TOOL [ARGS...]
TOOL is one of: topics, console-producer, console-consumer, consumer-groups,
broker-api-versions, configs, get-offsets, delete-records, cluster, metadata-quorum,
or a fully qualified main class name.
EOF
  exit 2
}

(($# >= 1)) || usage
tool="$1"
shift
case "$tool" in
  topics) main=org.apache.kafka.tools.TopicCommand ;;
  console-producer) main=org.apache.kafka.tools.ConsoleProducer ;;
  console-consumer) main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  consumer-groups) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  broker-api-versions) main=org.apache.kafka.tools.BrokerApiVersionsCommand ;;
  configs) main=org.apache.kafka.tools.ConfigCommand ;;
  get-offsets) main=org.apache.kafka.tools.GetOffsetShell ;;
  delete-records) main=org.apache.kafka.tools.DeleteRecordsCommand ;;
  cluster) main=org.apache.kafka.tools.ClusterTool ;;
  metadata-quorum) main=org.apache.kafka.tools.MetadataQuorumCommand ;;
  -h | --help) usage ;;
  *.*) main="$tool" ;;
  *) usage ;;
esac

kafka_require_java
TOOLS="$(bash "$KAFKA_SCRIPT_DIR/resolve.sh" tools)"

log4j="$(mktemp --suffix=.properties "${TMPDIR:-/tmp}/kafka-cli-log4j2.XXXXXX")"
trap 'rm -f "$log4j"' EXIT
cat >"$log4j" <<'EOF'
status = warn
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = STDERR
EOF

# shellcheck disable=SC2086
"$KAFKA_JAVA" ${KAFKA_CLI_HEAP_OPTS:--Xmx256m} -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
  -Dlog4j2.configurationFile="$log4j" -cp "$(kafka_classpath "$TOOLS")" "$main" "$@"
