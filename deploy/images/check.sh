#!/usr/bin/env bash
# Inspects the three service image archives with skopeo and fails on anything a deployment
# depends on: the entrypoint runs java with the container JVM flags and the service's main class,
# the user is the non-root vigil user, the health port is exposed, VIGIL_HOME is set, and the
# image has the base layer plus Jib's dependency, resource and class layers.
#
#   deploy/images/check.sh            (after mvn package -Pimages)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

failures=0
fail() {
  echo "image check: $1: $2" >&2
  failures=$((failures + 1))
}

check() {
  local name="$1" module="$2" port="$3" main="$4"
  local archive="$ROOT/$module/target/$name-image.tar"
  if [[ ! -s "$archive" ]]; then
    fail "$name" "no archive at $archive"
    return
  fi
  local config manifest
  config="$(skopeo inspect --config "docker-archive:$archive")"
  manifest="$(skopeo inspect "docker-archive:$archive")"
  local entrypoint user ports layers home
  entrypoint="$(jq -r '.config.Entrypoint | join(" ")' <<<"$config")"
  user="$(jq -r '.config.User // ""' <<<"$config")"
  ports="$(jq -r '.config.ExposedPorts // {} | keys | join(",")' <<<"$config")"
  layers="$(jq -r '.Layers | length' <<<"$manifest")"
  home="$(jq -r '.config.Env[] | select(startswith("VIGIL_HOME="))' <<<"$config")"

  [[ "$entrypoint" == java\ * ]] || fail "$name" "entrypoint does not start java: $entrypoint"
  [[ "$entrypoint" == *" $main" ]] || fail "$name" "entrypoint does not run $main: $entrypoint"
  for flag in -XX:MaxRAMPercentage= -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC; do
    [[ "$entrypoint" == *"$flag"* ]] || fail "$name" "entrypoint lacks $flag"
  done
  [[ "$user" == 10001:10001 ]] || fail "$name" "user is '$user', not 10001:10001"
  [[ "$ports" == "$port/tcp" ]] || fail "$name" "exposed ports '$ports', expected $port/tcp"
  [[ "$home" == VIGIL_HOME=/var/lib/vigil ]] || fail "$name" "VIGIL_HOME not /var/lib/vigil"
  ((layers >= 4)) || fail "$name" "$layers layers: expected the base and Jib's layers"
  jq -e '.Os == "linux" and .Architecture == "amd64"' <<<"$manifest" >/dev/null \
    || fail "$name" "not linux/amd64"
  echo "image $name: $(du -h "$archive" | cut -f1), $layers layers, user $user, port $ports, $entrypoint"
}

check vigil-ingest ingest 8081 io.vigil.ingest.Application
check vigil-scoring scoring/app 8082 io.vigil.scoring.app.Application
check vigil-alerts alerts 8080 io.vigil.alerts.Application

if ((failures > 0)); then
  echo "image check: $failures problem(s)" >&2
  exit 1
fi
echo "image check: 3 images as expected"
