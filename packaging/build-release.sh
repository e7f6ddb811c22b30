#!/usr/bin/env bash
# The release build: one static Parvis binary for x86_64 Linux (musl libc,
# mimalloc as allocator), which the .deb and the container image both ship.
#
#   packaging/build-release.sh     # -> target/x86_64-unknown-linux-musl/release/parvis
#
# The binary is stripped of its symbol table (CARGO_PROFILE_RELEASE_STRIP),
# which only this build sees.
#
# Needs: the Rust target (`rustup target add x86_64-unknown-linux-musl`) and
# Debian's musl-tools (musl-gcc compiles the C inside ring and mimalloc).
# Fails unless the result is statically linked.
set -euo pipefail

cd "$(dirname "$0")/.."
target=x86_64-unknown-linux-musl
bin=${CARGO_TARGET_DIR:-target}/$target/release/parvis

if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  echo "adding the Rust target $target"
  rustup target add "$target"
fi
if ! command -v musl-gcc >/dev/null 2>&1; then
  echo "musl-gcc is missing: apt-get install musl-tools" >&2
  exit 1
fi

# The C parts (ring, mimalloc) are built with musl-gcc, against musl's headers.
# mimalloc commits its arenas on first use only, not eagerly: idle memory is
# about 9 MB instead of 17 MB, at the same throughput (BENCHMARKS.md,
# Packaging); MIMALLOC_ARENA_EAGER_COMMIT=1 at run time restores the default.
export CC_x86_64_unknown_linux_musl=musl-gcc
export CFLAGS_x86_64_unknown_linux_musl="-O2 -DMI_DEFAULT_ARENA_EAGER_COMMIT=0"
export CARGO_PROFILE_RELEASE_STRIP=symbols
cargo build --release --locked --target "$target" --bin parvis

# `ldd` on a static binary says "not a dynamic executable" (glibc's ldd) or
# "statically linked"; anything listing a library is a failure.
ldd_out=$(ldd "$bin" 2>&1 || true)
case $ldd_out in
  *"not a dynamic executable"* | *"statically linked"*) ;;
  *) echo "$bin is not statically linked:" >&2; echo "$ldd_out" >&2; exit 1 ;;
esac
if readelf -l "$bin" | grep -q 'INTERP'; then
  echo "$bin asks for a program interpreter: it is not static" >&2
  exit 1
fi
"$bin" --version
echo "$bin: $(stat -c %s "$bin") bytes, statically linked"
