#!/usr/bin/env bash
# Builds Vigil's three service images as OCI archives without a container engine, then checks
# them: the Debian base (build-base.sh, cached), Jib's buildTar through Maven (profile "images"),
# skopeo inspection (check.sh).
#
#   deploy/images/build.sh [maven options]
#
# Archives: ingest/target/vigil-ingest-image.tar, scoring/app/target/vigil-scoring-image.tar,
# alerts/target/vigil-alerts-image.tar. Load one with
#   skopeo copy docker-archive:ingest/target/vigil-ingest-image.tar docker://REGISTRY/vigil-ingest:TAG
# VIGIL_IMAGE_CACHE moves the base image and its .deb cache (default .vigil/images).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${VIGIL_IMAGE_CACHE:-$ROOT/.vigil/images}"

"$ROOT/deploy/images/build-base.sh" "$CACHE"
mvn -B -q -f "$ROOT/pom.xml" package -Pimages -DskipTests -pl ingest,scoring/app,alerts -am \
  "-Dvigil.image.base=tar://$CACHE/vigil-base.tar" "$@"
"$ROOT/deploy/images/check.sh"
