#!/usr/bin/env bash
# The container image, as an OCI archive, without a Docker engine:
#
#   packaging/container/build.sh     # -> target/parvis-oci.tar (image parvis:<version>)
#
# From scratch: the static release binary as /parvis, the time-zone database
# (Debian's tzdata, without right/ and posix/), /etc/passwd and /etc/group
# naming the user 65532 "parvis", an empty /tmp, and the data volume
# /var/lib/parvis owned by 65532. Runs as 65532:65532, listens on 8080.
#
# Needs what packaging/build-release.sh needs, and Debian's buildah
# (`apt-get install buildah`). Its storage (vfs driver) is a temporary
# directory removed at the end: nothing is left in /var/lib/containers.
# Load the archive elsewhere with e.g. `podman load -i target/parvis-oci.tar`
# or `skopeo copy oci-archive:target/parvis-oci.tar docker-daemon:parvis:0.1.0`.
set -euo pipefail

cd "$(dirname "$0")/../.."
top=$PWD
target=x86_64-unknown-linux-musl
bin=${CARGO_TARGET_DIR:-$top/target}/$target/release/parvis
out=$top/target/parvis-oci.tar
uid=65532

if ! command -v buildah >/dev/null 2>&1; then
  echo "buildah is missing: apt-get install buildah" >&2
  exit 1
fi
if [ ! -d /usr/share/zoneinfo/Europe ]; then
  echo "/usr/share/zoneinfo is missing: apt-get install tzdata" >&2
  exit 1
fi

packaging/build-release.sh
version=$("$bin" --version | awk '{print $2}')

work=$(mktemp -d /tmp/parvis-image.XXXXXX)
ctr=""
bh() { buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs "$@"; }
cleanup() {
  if [ -n "$ctr" ]; then bh rm "$ctr" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The image's files, laid out in a folder first, with owners and modes.
root=$work/rootfs
install -d -m 0755 "$root/etc" "$root/usr/share" "$root/var/lib"
install -m 0755 "$bin" "$root/parvis"
install -d -m 1777 "$root/tmp"
install -d -m 0700 "$root/var/lib/parvis"
chown "$uid:$uid" "$root/var/lib/parvis"
install -d -m 0755 "$root/etc/parvis"
printf 'root:x:0:0:root:/root:/sbin/nologin\nparvis:x:%s:%s:Parvis:/var/lib/parvis:/sbin/nologin\n' "$uid" "$uid" >"$root/etc/passwd"
printf 'root:x:0:\nparvis:x:%s:\n' "$uid" >"$root/etc/group"
chmod 0644 "$root/etc/passwd" "$root/etc/group"
tar -C /usr/share -cf - --exclude=zoneinfo/right --exclude=zoneinfo/posix zoneinfo | tar -C "$root/usr/share" -xf -
# The same date on every file: the layer does not depend on when it was built.
find "$root" -exec touch -h -d @0 {} +

# One tar with numeric owners: buildah extracts it as it is, so the volume's
# folder keeps its owner 65532 (adding the folder itself would make it root's).
tar -C "$root" --numeric-owner --sort=name -cf "$work/rootfs.tar" .
ctr=$(bh from --pull-never scratch)
bh add "$ctr" "$work/rootfs.tar" / >/dev/null
bh config \
  --user "$uid:$uid" \
  --workingdir /var/lib/parvis \
  --entrypoint '["/parvis"]' \
  --cmd serve \
  --port 8080/tcp \
  --volume /var/lib/parvis \
  --env PARVIS_SERVER_LISTEN=0.0.0.0:8080 \
  --env PARVIS_DATA_DIR=/var/lib/parvis \
  --env NO_COLOR=1 \
  --stop-signal SIGTERM \
  --label org.opencontainers.image.title=parvis \
  --label org.opencontainers.image.version="$version" \
  --label org.opencontainers.image.description="Parvis: citizen participation for small communes, in one binary" \
  --label org.opencontainers.image.licenses=AGPL-3.0-or-later \
  "$ctr"
rm -f "$out"
bh commit --format oci --timestamp 0 --disable-compression=false --squash --rm "$ctr" "oci-archive:$out:parvis:$version" >/dev/null
ctr=""
ls -l "$out"
echo "image parvis:$version in $out"
