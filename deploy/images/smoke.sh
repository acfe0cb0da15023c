#!/usr/bin/env bash
# Runs the scoring image the way a container runtime would, without one: the archive unpacked to
# an OCI bundle (skopeo, umoci), its entry point, environment, working directory and user from the
# image configuration, in a chroot with /proc and /dev. Passes when the service answers
# /health/liveness as the non-root user with ND4J's native libraries loaded from the image (glibc,
# the JRE and the libraries all come from the image). No broker: readiness stays DOWN, liveness UP.
# Needs root (mount, chroot), skopeo, umoci, jq, curl.
#
#   deploy/images/smoke.sh            (after mvn package -Pimages)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ARCHIVE="$ROOT/scoring/app/target/vigil-scoring-image.tar"
PORT="${VIGIL_SMOKE_PORT:-18982}"

WORK="$(mktemp -d)"
R="$WORK/bundle/rootfs"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  umount "$R/proc" 2>/dev/null || true
  umount "$R/dev" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

skopeo copy --quiet "docker-archive:$ARCHIVE" "oci:$WORK/oci:scoring"
umoci unpack --image "$WORK/oci:scoring" "$WORK/bundle" >/dev/null
mount -t proc proc "$R/proc"
mount --bind /dev "$R/dev"

config="$WORK/bundle/config.json"
user="$(jq -r '"\(.process.user.uid):\(.process.user.gid)"' "$config")"
cwd="$(jq -r '.process.cwd' "$config")"
mapfile -t env < <(jq -r '.process.env[]' "$config")
mapfile -t args < <(jq -r '.process.args[]' "$config")
[[ "$user" != 0:* ]] || { echo "smoke: the image runs as root" >&2; exit 1; }

chroot --userspec="$user" "$R" /usr/bin/env -i "${env[@]}" PORT="$PORT" \
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 /bin/sh -c 'cd "$0" && exec "$@"' "$cwd" "${args[@]}" \
  > "$WORK/scoring.log" 2>&1 &
pid=$!

for _ in $(seq 1 180); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "smoke: scoring exited; its output:" >&2
    tail -40 "$WORK/scoring.log" >&2
    exit 1
  fi
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 2 "http://127.0.0.1:$PORT/health/liveness")" == 200 ]]; then
    owner="$(stat -c %u "$R/tmp/javacpp")"
    if ! find "$R/tmp/javacpp" -name 'libjnind4jcpu.so' | grep -q .; then
      echo "smoke: ND4J's native library was not loaded" >&2
      exit 1
    fi
    echo "smoke: scoring image live on :$PORT as $user (ND4J native libraries unpacked by uid $owner)"
    exit 0
  fi
  sleep 1
done
echo "smoke: scoring did not answer /health/liveness within 180 s; its output:" >&2
tail -40 "$WORK/scoring.log" >&2
exit 1
