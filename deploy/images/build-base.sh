#!/usr/bin/env bash
# Builds Vigil's base image from Debian packages alone, without a container engine: a minimal
# Debian bookworm root (essential packages, openjdk-17-jre-headless, CA certificates) made by
# mmdebstrap, one layer in an OCI layout (umoci), saved as a docker-archive that Jib takes as a
# tar:// base. Needs root (mmdebstrap's root mode), mmdebstrap, umoci and skopeo.
#
#   deploy/images/build-base.sh [OUT_DIR]    (default: .vigil/images)
#
# Writes OUT_DIR/vigil-base.tar. The downloaded .deb files stay in OUT_DIR/debs, so a rebuild
# fetches nothing new; an existing vigil-base.tar made by this same script (its SHA-256 is kept
# beside the archive) is reused.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/.vigil/images}" && cd "${1:-$ROOT/.vigil/images}" && pwd)"
MIRROR="${VIGIL_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
# The services run as this user (see jib's <user> in the root pom); no login, no shell.
UID_GID=10001
ARCHIVE="$OUT/vigil-base.tar"
RECIPE="$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)"

if [[ -s "$ARCHIVE" && "$(cat "$ARCHIVE.recipe" 2>/dev/null)" == "$RECIPE" ]]; then
  echo "base image: $ARCHIVE is up to date"
  exit 0
fi
for tool in mmdebstrap umoci skopeo; do
  command -v "$tool" >/dev/null || { echo "build-base: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT/debs"

# Documentation, manuals and translations are left out; update-alternatives still needs the
# man1 folder to exist while the JRE is configured. The .deb cache is synced in and out.
mmdebstrap --quiet --variant=essential --mode=root \
  --include=openjdk-17-jre-headless,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --skip=download/empty \
  --setup-hook='mkdir -p "$1/usr/share/man/man1" "$1/var/cache/apt/archives"' \
  --setup-hook="sync-in $OUT/debs /var/cache/apt/archives" \
  --customize-hook="sync-out /var/cache/apt/archives $OUT/debs" \
  --customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*_Packages' \
  --customize-hook="echo 'vigil:x:$UID_GID:$UID_GID:Vigil service:/home/vigil:/usr/sbin/nologin' >> \"\$1/etc/passwd\"" \
  --customize-hook="echo 'vigil:x:$UID_GID:' >> \"\$1/etc/group\"" \
  --customize-hook="mkdir -p \"\$1/home/vigil\" \"\$1/var/lib/vigil\" && chown $UID_GID:$UID_GID \"\$1/home/vigil\" \"\$1/var/lib/vigil\"" \
  "$SUITE" "$WORK/root.tar" "$MIRROR"

umoci init --layout "$WORK/oci"
umoci new --image "$WORK/oci:base"
umoci raw add-layer --image "$WORK/oci:base" "$WORK/root.tar"
umoci config --image "$WORK/oci:base" \
  --author "Vigil" \
  --os linux --architecture amd64 \
  --config.user "$UID_GID:$UID_GID" \
  --config.workingdir /home/vigil \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
  --config.env HOME=/home/vigil \
  --config.env LANG=C.UTF-8
rm -f "$ARCHIVE.tmp"
skopeo copy --quiet "oci:$WORK/oci:base" "docker-archive:$ARCHIVE.tmp:vigil-base:$SUITE-jre17"
mv "$ARCHIVE.tmp" "$ARCHIVE"
echo "$RECIPE" > "$ARCHIVE.recipe"
echo "base image: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
