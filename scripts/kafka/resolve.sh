#!/usr/bin/env bash
# Resolve the Kafka jars from Maven Central into a cache directory outside git.
#
#   scripts/kafka/resolve.sh [broker|tools|all]     (default: broker)
#
# broker -> $KAFKA_CACHE_DIR        (kafka_2.13 $KAFKA_VERSION + log4j2)
# tools  -> $KAFKA_TOOLS_CACHE_DIR  (kafka-tools $KAFKA_TOOLS_VERSION + log4j2)
#
# Idempotent: a directory that holds a complete copy for the same version and
# the same pom.xml is left alone and Maven is not run at all.
# Prints the resolved directory (one line per target) on stdout.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

POM="$KAFKA_SCRIPT_DIR/pom.xml"
MVN="${KAFKA_MVN:-mvn}"

pom_sum() { sha256sum "$POM" | cut -d' ' -f1; }

# resolve_into PROFILE VERSION_PROPERTY VERSION DEST
resolve_into() {
  local profile="$1" prop="$2" version="$3" dest="$4"
  local stamp want
  want="profile=$profile version=$version pom=$(pom_sum)"
  stamp="$dest/.resolved"

  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && compgen -G "$dest/*.jar" >/dev/null; then
    printf '%s\n' "$dest"
    return 0
  fi

  command -v "$MVN" >/dev/null 2>&1 ||
    kafka_die "Maven ('$MVN') not found; it is needed once to fetch the Kafka jars (set KAFKA_MVN)"

  kafka_info "Resolving $profile jars (Kafka $version) from Maven Central into $dest ..."
  case "$dest" in
    "" | / | "$HOME" | "$HOME/") kafka_die "refusing to use '$dest' as a jar cache directory" ;;
  esac
  local parent tmp started
  parent="$(dirname "$dest")"
  mkdir -p "$parent"
  tmp="$(mktemp -d "$parent/.resolve-$profile.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  started=$SECONDS

  # shellcheck disable=SC2086
  if ! "$MVN" -B -q -ntp -Dstyle.color=never ${KAFKA_MVN_ARGS:-} \
      -f "$POM" -P "$profile" \
      "-D$prop=$version" \
      "-Dkafka.build.dir=$tmp/build" \
      dependency:copy-dependencies \
      -DincludeScope=runtime \
      "-DoutputDirectory=$tmp/jars" >"$tmp/mvn.log" 2>&1; then
    cat "$tmp/mvn.log" >&2
    kafka_die "Maven could not resolve the $profile jars for Kafka $version (see above)"
  fi
  compgen -G "$tmp/jars/*.jar" >/dev/null || kafka_die "Maven resolved no jars for $profile ($version)"

  printf '%s\n' "$want" >"$tmp/jars/.resolved"
  # Replace any partial/outdated copy. $dest is always one of our cache dirs.
  if [[ -e "$dest" ]]; then
    rm -rf -- "$dest"
  fi
  mv "$tmp/jars" "$dest"
  rm -rf -- "$tmp"
  trap - EXIT
  kafka_info "Resolved $(find "$dest" -maxdepth 1 -name '*.jar' | wc -l) jars in $((SECONDS - started))s -> $dest"
  printf '%s\n' "$dest"
}

target="${1:-broker}"
case "$target" in
  broker) resolve_into broker kafka.version "$KAFKA_VERSION" "$KAFKA_CACHE_DIR" ;;
  tools) resolve_into tools kafka.tools.version "$KAFKA_TOOLS_VERSION" "$KAFKA_TOOLS_CACHE_DIR" ;;
  all)
    resolve_into broker kafka.version "$KAFKA_VERSION" "$KAFKA_CACHE_DIR"
    resolve_into tools kafka.tools.version "$KAFKA_TOOLS_VERSION" "$KAFKA_TOOLS_CACHE_DIR"
    ;;
  *) kafka_die "usage: $0 [broker|tools|all]" ;;
esac
