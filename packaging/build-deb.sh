#!/usr/bin/env bash
# The Debian package, from the static release build:
#
#   packaging/build-deb.sh     # -> target/debian/parvis_<version>-1_amd64.deb
#
# Needs what packaging/build-release.sh needs, and cargo-deb
# (`cargo install cargo-deb --locked`, about 2 minutes once per machine).
# What goes in the package is [package.metadata.deb] in Cargo.toml; the
# unit and the maintainer scripts are in packaging/debian/.
set -euo pipefail

cd "$(dirname "$0")/.."
target=x86_64-unknown-linux-musl
tdir=${CARGO_TARGET_DIR:-target}
bin=$tdir/$target/release/parvis

if ! command -v cargo-deb >/dev/null 2>&1; then
  echo "cargo-deb is missing: cargo install cargo-deb --locked" >&2
  exit 1
fi

packaging/build-release.sh

# The conffile: the commented example of every setting, from the binary
# itself, with the data directory of the package. commune.name and
# server.public_url stay unset, so that the service refuses to start until
# the admin has set them.
mkdir -p target/packaging
conf=target/packaging/parvis.toml
{
  echo "# /etc/parvis/parvis.toml — installé par le paquet Debian parvis / installed by the parvis Debian package."
  echo "# FR : renseignez au moins commune.name et server.public_url, puis : runuser -u parvis -- parvis check-config"
  echo "# EN: set at least commune.name and server.public_url, then: runuser -u parvis -- parvis check-config"
  echo "#"
  "$bin" check-config --print-example | sed 's|^#dir = "parvis-data"$|dir = "/var/lib/parvis"|'
} >"$conf"
if ! grep -qx 'dir = "/var/lib/parvis"' "$conf"; then
  echo "$conf: could not set data.dir (did the example's data.dir line change?)" >&2
  exit 1
fi

# The binary is already stripped and built: cargo-deb only packs.
cargo deb --no-build --no-strip --target "$target" --output target/debian/
ls -l target/debian/*.deb
