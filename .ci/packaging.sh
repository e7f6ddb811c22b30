#!/usr/bin/env bash
# CI of the packaging (issue 4, parts 1–3): the static release build, the
# Debian package and the OCI image.
#
#   bash .ci/packaging.sh
#
# 1. builds the static musl binary (packaging/build-release.sh) and checks it;
# 2. builds the .deb (packaging/build-deb.sh), inspects it with dpkg-deb
#    (files, modes, conffiles, maintainer scripts, unit hardening);
# 3. installs it with apt-get, checks that the pristine configuration is
#    refused with a message naming commune.name, configures it, creates the
#    first admin as the postinst message says, runs the unit's ExecStart as
#    the parvis user (systemd may be absent), fetches /healthz and /, stops it
#    with SIGTERM (exit 0 expected); upgrades to a rebuilt package (the edited
#    configuration and the data must stay); purges (the data must stay unless
#    PARVIS_PURGE_DATA=yes);
# 4. builds the OCI archive (packaging/container/build.sh), unpacks it, checks
#    its config (user, entrypoint, port, volume) and runs its binary chrooted
#    in the unpacked root as UID 65532, configured by PARVIS_* variables.
#
# Steps 3 install and purge the parvis package on this machine (its data in
# /var/lib/parvis included): they run only when CI=true or
# PACKAGING_INSTALL_TESTS=yes. Needs root, Debian, Rust (rustup); installs
# musl-tools, buildah and tzdata with apt-get and cargo-deb with cargo.
set -euo pipefail

cd "$(dirname "$0")/.."
top=$PWD
started=$SECONDS
step_started=$SECONDS
step_name=""
timings=()

section() {
  if [ -n "$step_name" ]; then timings+=("$(printf '%5ds  %s' $((SECONDS - step_started)) "$step_name")"); fi
  step_name="$*"
  step_started=$SECONDS
  printf '\n==== packaging: %s ==== (%ds)\n' "$*" $((SECONDS - started))
}
fail() {
  echo "PACKAGING CHECK FAILED: $*" >&2
  exit 1
}
# assert_grep PATTERN FILE WHAT: fails naming WHAT unless FILE has a line matching PATTERN (extended regex).
assert_grep() {
  grep -Eq -- "$1" "$2" || fail "$3 (no line matching '$1' in $2)"
}

target=x86_64-unknown-linux-musl
tdir=${CARGO_TARGET_DIR:-$top/target}
bin=$tdir/$target/release/parvis
install_tests=""
if [ "${CI:-}" = "true" ] || [ "${PACKAGING_INSTALL_TESTS:-}" = "yes" ]; then install_tests=1; fi

server_pid=""
work=$(mktemp -d /tmp/parvis-packaging.XXXXXX)
server_rc=0
# Stops the server: SIGTERM, up to 40 s (the unit's TimeoutStopSec), then SIGKILL; sets server_rc.
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 400); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  server_rc=0
  wait "$server_pid" 2>/dev/null || server_rc=$?
  server_pid=""
}
cleanup() {
  local rc=$?
  stop_server
  rm -rf "$work"
  if [ "$rc" -ne 0 ]; then echo "packaging checks: FAILED (exit $rc) in step: $step_name" >&2; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# wait_healthy URL LOG: polls URL/healthz every 0.2 s for at most 60 s; fails early if the server died.
wait_healthy() {
  local url=$1 log=$2
  for _ in $(seq 1 300); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$log"; fail "the server exited before answering $url/healthz"
    fi
    if curl -fs -o /dev/null --max-time 2 "$url/healthz"; then return 0; fi
    sleep 0.2
  done
  cat "$log"; fail "the server did not answer $url/healthz within 60 s"
}
# check_home URL NAME: / answers 200 and shows the commune's name.
check_home() {
  local url=$1 name=$2 code
  code=$(curl -sS -o "$work/home.html" -w '%{http_code}' --max-time 10 "$url/")
  [ "$code" = 200 ] || fail "GET $url/ answered $code, not 200"
  grep -q "$name" "$work/home.html" || fail "GET $url/ does not show the commune's name \"$name\""
  echo "GET $url/: 200, $(wc -c <"$work/home.html") bytes, shows \"$name\""
}

# ---------------------------------------------------------------------------
section "Tools (apt-get: musl-tools buildah tzdata curl strace; cargo: cargo-deb)"
export DEBIAN_FRONTEND=noninteractive
need=()
command -v musl-gcc >/dev/null 2>&1 || need+=(musl-tools)
command -v buildah >/dev/null 2>&1 || need+=(buildah)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v strace >/dev/null 2>&1 || need+=(strace)
[ -d /usr/share/zoneinfo/Europe ] || need+=(tzdata)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
if ! command -v cargo-deb >/dev/null 2>&1; then
  cargo install cargo-deb --locked --version '^3'
fi
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
cargo --version
cargo deb --version
buildah --version
musl-gcc --version 2>/dev/null | head -n 1 || true

# ---------------------------------------------------------------------------
section "Release build (packaging/build-release.sh: static musl binary with mimalloc)"
packaging/build-release.sh
ldd_out=$(ldd "$bin" 2>&1 || true)
echo "ldd: $ldd_out"
case $ldd_out in
  *"not a dynamic executable"* | *"statically linked"*) ;;
  *) fail "$bin is not statically linked" ;;
esac
size=$(stat -c %s "$bin")
echo "binary: $size bytes"
[ "$size" -lt $((64 * 1024 * 1024)) ] || fail "the binary is over 64 MiB ($size bytes)"
"$bin" --version | grep -q '^parvis ' || fail "$bin --version does not print 'parvis VERSION'"
# (grep -c reads everything: grep -q would end the pipe early, which pipefail reports as a failure)
mimalloc_strings=$(strings "$bin" | grep -ci 'mimalloc' || true)
[ "$mimalloc_strings" -gt 0 ] || fail "mimalloc is not linked into $bin"

# ---------------------------------------------------------------------------
section "Debian package (packaging/build-deb.sh)"
rm -f target/debian/parvis_*.deb
packaging/build-deb.sh
debs=(target/debian/parvis_*_amd64.deb)
[ "${#debs[@]}" -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one target/debian/parvis_*_amd64.deb, found: ${debs[*]}"
# A copy in the work directory: building the upgrade package below makes
# cargo-deb empty target/debian/.
mkdir -p "$work/deb"
cp "${debs[0]}" "$work/deb/"
deb=$work/deb/$(basename "${debs[0]}")
version=$(dpkg-deb -f "$deb" Version)
echo "$deb: version $version, $(stat -c %s "$deb") bytes"

section "Inspect the .deb (dpkg-deb --info / --contents)"
dpkg-deb --info "$deb" | tee "$work/info.txt"
dpkg-deb --contents "$deb" | tee "$work/contents.txt"
dpkg-deb -e "$deb" "$work/control"
# Each asserted file with its mode and owner.
for expect in \
  '-rwxr-xr-x root/root ./usr/bin/parvis' \
  '-rw-r----- root/root ./etc/parvis/parvis.toml' \
  '-rw-r--r-- root/root ./usr/lib/systemd/system/parvis.service' \
  '-rw-r--r-- root/root ./usr/share/doc/parvis/admin-guide.md' \
  '-rw-r--r-- root/root ./usr/share/doc/parvis/copyright' \
  '-rw-r--r-- root/root ./usr/share/doc/parvis/parvis.example.toml'; do
  mode=${expect%% *}; rest=${expect#* }; owner=${rest%% *}; path=${rest#* }
  line=$(awk -v p="$path" '$6 == p' "$work/contents.txt")
  [ -n "$line" ] || fail "the package lacks $path"
  set -- $line
  [ "$1" = "$mode" ] || fail "$path has mode $1, expected $mode"
  [ "$2" = "0/0" ] || [ "$2" = "$owner" ] || fail "$path is owned by $2, expected root"
done
grep -q '/var/lib/parvis' "$work/contents.txt" && fail "the package must not ship /var/lib/parvis (the data is never the package's)"
[ "$(cat "$work/control/conffiles")" = "/etc/parvis/parvis.toml" ] || fail "conffiles is not exactly /etc/parvis/parvis.toml: $(cat "$work/control/conffiles")"
for s in postinst postrm prerm; do
  [ -x "$work/control/$s" ] || fail "the package has no executable $s"
  sh -n "$work/control/$s" || fail "$s is not valid sh"
done
assert_grep '^Depends: .*adduser' "$work/control/control" "the package must depend on adduser (postinst creates the user)"
assert_grep 'adduser --system --group' "$work/control/postinst" "postinst must create the parvis system user"
assert_grep 'od -An -tx1 -N32 /dev/urandom' "$work/control/postinst" "postinst must create the encryption key /etc/parvis/parvis.key"
assert_grep 'PARVIS_PURGE_DATA' "$work/control/postrm" "postrm must keep the data unless PARVIS_PURGE_DATA=yes"

# The installed configuration: the package's data directory, name and address unset.
dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./etc/parvis/parvis.toml >"$work/pristine.toml"
assert_grep '^dir = "/var/lib/parvis"$' "$work/pristine.toml" "the conffile must set data.dir = /var/lib/parvis"
assert_grep '^#name = ""$' "$work/pristine.toml" "the conffile must leave commune.name unset"
assert_grep '^#public_url = ""$' "$work/pristine.toml" "the conffile must leave server.public_url unset"
# Apart from the header and data.dir, the conffile is the committed example.
diff <(grep -v '^# /etc/parvis\|^# FR : renseignez\|^# EN: set at least\|^#$' "$work/pristine.toml" | sed 's|^dir = "/var/lib/parvis"$|#dir = "parvis-data"|') \
     <(grep -v '^#$' config/parvis.example.toml) >/dev/null \
  || fail "the conffile differs from config/parvis.example.toml by more than data.dir"

# The unit: what it runs and its hardening.
dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/lib/systemd/system/parvis.service >"$work/parvis.service"
for directive in \
  'User=parvis' \
  'ExecStart=/usr/bin/parvis serve --config /etc/parvis/parvis.toml' \
  'KillSignal=SIGTERM' 'TimeoutStopSec=40' 'Restart=on-failure' \
  'ProtectSystem=strict' 'ReadWritePaths=/var/lib/parvis' 'NoNewPrivileges=yes' \
  'PrivateTmp=yes' 'PrivateDevices=yes' 'ProtectHome=yes' \
  'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' 'ProtectKernelLogs=yes' \
  'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' \
  'CapabilityBoundingSet=CAP_NET_BIND_SERVICE' 'AmbientCapabilities=CAP_NET_BIND_SERVICE' \
  'SystemCallFilter=@system-service' 'UMask=0077'; do
  grep -qxF "$directive" "$work/parvis.service" || fail "parvis.service lacks the line $directive"
done
echo "package contents, modes, conffiles, scripts and unit: OK"

if [ -z "$install_tests" ]; then
  section "Install, run, upgrade, purge: SKIPPED (they change this machine; set CI=true or PACKAGING_INSTALL_TESTS=yes)"
else
  # -------------------------------------------------------------------------
  section "Install the .deb (apt-get install ./$(basename "$deb"))"
  if dpkg-query -W -f='${Status}' parvis 2>/dev/null | grep -q 'installed'; then
    echo "parvis is installed from an earlier run: purging it first (with its data)"
    PARVIS_PURGE_DATA=yes apt-get purge -y -q parvis </dev/null
  fi
  rm -rf /var/lib/parvis
  apt-get install -y -q "$deb" </dev/null 2>&1 | tee "$work/install.log"
  grep -q 'runuser -u parvis -- parvis init' "$work/install.log" || fail "installing did not print the next steps"
  [ -x /usr/bin/parvis ] || fail "/usr/bin/parvis is not installed"
  getent passwd parvis >/dev/null || fail "the parvis user was not created"
  getent group parvis >/dev/null || fail "the parvis group was not created"
  [ "$(getent passwd parvis | cut -d: -f7)" = /usr/sbin/nologin ] || fail "the parvis user must have no login shell"
  [ "$(stat -c '%a %U %G' /var/lib/parvis)" = "700 parvis parvis" ] \
    || fail "/var/lib/parvis is $(stat -c '%a %U %G' /var/lib/parvis), expected 700 parvis parvis"
  [ "$(stat -c '%a %U %G' /etc/parvis/parvis.toml)" = "640 root parvis" ] \
    || fail "/etc/parvis/parvis.toml is $(stat -c '%a %U %G' /etc/parvis/parvis.toml), expected 640 root parvis"
  [ "$(stat -c '%a %U %G' /etc/parvis/parvis.key)" = "440 root parvis" ] \
    || fail "/etc/parvis/parvis.key is $(stat -c '%a %U %G' /etc/parvis/parvis.key 2>&1), expected 440 root parvis"
  [ -f /usr/lib/systemd/system/parvis.service ] || fail "the unit is not installed"
  if command -v systemd-analyze >/dev/null 2>&1; then
    # Without systemd as PID 1 some checks cannot run; the unit's own errors still show.
    if systemd-analyze verify /usr/lib/systemd/system/parvis.service >"$work/verify.log" 2>&1; then
      echo "systemd-analyze verify: OK"
    else
      cat "$work/verify.log"
      if grep -v -e 'Failed to connect to bus' -e 'System has not been booted with systemd' \
              -e 'Failed to setup working directory' -e 'not running in a systemd environment' \
              "$work/verify.log" | grep -qi 'parvis.service'; then
        fail "systemd-analyze verify found a problem in parvis.service"
      fi
      echo "systemd-analyze verify: nothing wrong with parvis.service (the other messages are this machine's, without systemd)"
    fi
  else
    echo "systemd-analyze is not available: the unit is only checked by its lines"
  fi
  execstart=$(sed -n 's/^ExecStart=//p' /usr/lib/systemd/system/parvis.service)
  read -r -a exec_argv <<<"$execstart"
  # Parvis refuses unknown PARVIS_* variables: run it with an environment as
  # clean environment like systemd's, plus the unit's Environment= lines.
  clean_env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8)
  while IFS= read -r assignment; do clean_env+=("$assignment"); done \
    < <(sed -n 's/^Environment=//p' /usr/lib/systemd/system/parvis.service)
  echo "environment of the runs below: ${clean_env[*]:2}"
  # as_service CMD…: runs CMD as the unit does: user parvis, in /var/lib/parvis, umask 0077, no new privileges.
  as_service() {
    (cd /var/lib/parvis && umask 0077 && exec "${clean_env[@]}" setpriv --reuid=parvis --regid=parvis --init-groups --no-new-privs -- "$@")
  }

  # -------------------------------------------------------------------------
  section "Refused until configured (pristine /etc/parvis/parvis.toml)"
  rc=0
  as_service timeout 30 "${exec_argv[@]}" >"$work/refused.out" 2>"$work/refused.err" </dev/null || rc=$?
  cat "$work/refused.err"
  [ "$rc" -ne 0 ] || fail "parvis serve started with the pristine configuration"
  [ "$rc" -ne 124 ] || fail "parvis serve neither started nor stopped within 30 s with the pristine configuration"
  grep -q 'commune.name' "$work/refused.err" || fail "the refusal does not name commune.name"
  grep -q 'server.public_url' "$work/refused.err" || fail "the refusal does not name server.public_url"
  echo "refused with exit status $rc, naming commune.name and server.public_url (what journalctl -u parvis shows)"

  # -------------------------------------------------------------------------
  section "Configure, check-config, first admin (as the postinst message says)"
  port=$(free_port)
  url="http://127.0.0.1:$port"
  commune="Saint-Paquet-CI"
  # The first `#name = ""` is commune.name's (later tables, e.g.
  # [[open311.clients]], have a name too).
  sed -i \
    -e "0,/^#name = \"\"\$/s||name = \"$commune\"|" \
    -e "s|^#public_url = \"\"\$|public_url = \"$url\"|" \
    -e "s|^#listen = \"127.0.0.1:8080\"\$|listen = \"127.0.0.1:$port\"|" \
    /etc/parvis/parvis.toml
  assert_grep "^name = \"$commune\"\$" /etc/parvis/parvis.toml "could not set commune.name in the installed configuration"
  assert_grep "^listen = \"127.0.0.1:$port\"\$" /etc/parvis/parvis.toml "could not set server.listen in the installed configuration"
  # As the postinst message says: runuser -u parvis -- parvis check-config
  "${clean_env[@]}" runuser -u parvis -- parvis check-config >"$work/check.out" 2>&1 </dev/null || { cat "$work/check.out"; fail "parvis check-config failed on the configured file"; }
  tail -n 1 "$work/check.out"
  "${clean_env[@]}" runuser -u parvis -- parvis init --data-dir /var/lib/parvis --commune "$commune" --url "$url" \
    --admin-email admin@ci.invalid --config-out /var/lib/parvis/init.toml >"$work/init.out" 2>&1 </dev/null \
    || { cat "$work/init.out"; fail "parvis init (the first admin, as the postinst message says) failed"; }
  grep -qi 'one-time password' "$work/init.out" || fail "parvis init printed no one-time password"
  rm -f /var/lib/parvis/init.toml
  [ "$(stat -c '%U' /var/lib/parvis/parvis.redb)" = parvis ] || fail "the database is not owned by parvis"

  # -------------------------------------------------------------------------
  section "Run the unit's ExecStart as parvis, fetch /healthz and /, stop with SIGTERM"
  echo "ExecStart: $execstart"
  (cd /var/lib/parvis && umask 0077 && exec "${clean_env[@]}" setpriv --reuid=parvis --regid=parvis --init-groups --no-new-privs -- "${exec_argv[@]}") \
    </dev/null >"$work/serve.log" 2>&1 &
  server_pid=$!
  wait_healthy "$url" "$work/serve.log"
  echo "healthy; process $server_pid runs as $(ps -o user= -p "$server_pid")"
  [ "$(ps -o user= -p "$server_pid" | tr -d ' ')" = parvis ] || fail "the server does not run as parvis"
  check_home "$url" "$commune"
  stop_server
  [ "$server_rc" -eq 0 ] || { tail -n 30 "$work/serve.log"; fail "parvis serve exited with $server_rc on SIGTERM, not 0"; }
  echo "stopped by SIGTERM, exit status 0"
  grep -q $'\e\\[' "$work/serve.log" && fail "the service's log holds terminal colour codes (the journal would store them)"
  # Everything in the data directory is parvis's and writable by it alone; the
  # directory itself (0700) keeps the rest of the system out. (`parvis init`
  # run by hand creates the database with the admin's umask, often 022.)
  [ "$(stat -c '%a %U' /var/lib/parvis)" = "700 parvis" ] || fail "/var/lib/parvis is no longer 0700 parvis"
  bad=$(find /var/lib/parvis -mindepth 1 \( ! -user parvis -o -perm /022 \) -printf '%M %u %p\n')
  [ -z "$bad" ] || fail "files in /var/lib/parvis not parvis's alone: $bad"
  find /var/lib/parvis -printf '%M %u %p\n'

  # -------------------------------------------------------------------------
  section "System calls of the service against the unit's SystemCallFilter (strace)"
  # systemd would kill the service (or fail the call with EPERM) on a system
  # call outside the filter; systemd is not running here, so trace the
  # service through start-up, pages, a backup over the admin socket and a
  # graceful stop, and compare with the filter's expansion.
  if command -v strace >/dev/null 2>&1 && command -v systemd-analyze >/dev/null 2>&1; then
    (cd /var/lib/parvis && umask 0077 && exec strace -f -qq -o "$work/trace" -- "${clean_env[@]}" setpriv --reuid=parvis --regid=parvis --init-groups --no-new-privs -- "${exec_argv[@]}") \
      </dev/null >"$work/serve-traced.log" 2>&1 &
    server_pid=$!
    wait_healthy "$url" "$work/serve-traced.log"
    check_home "$url" "$commune"
    "${clean_env[@]}" runuser -u parvis -- parvis backup /var/lib/parvis/backups/ci-manual.redb >/dev/null
    traced=$(pgrep -u parvis -x parvis | head -n 1)
    [ -n "$traced" ] || fail "cannot find the traced parvis process"
    kill -TERM "$traced"
    server_rc=0; wait "$server_pid" || server_rc=$?; server_pid=""
    [ "$server_rc" -eq 0 ] || fail "the traced service exited with $server_rc on SIGTERM"
    python3 - "$work/trace" /usr/lib/systemd/system/parvis.service <<'PY'
import re, subprocess, sys
trace, unit = sys.argv[1:]
cache = {}
def expand(name):
    if not name.startswith("@"):
        return {name}
    if name not in cache:
        out = subprocess.run(["systemd-analyze", "syscall-filter", name], capture_output=True, text=True, check=True).stdout
        names = set()
        for line in out.splitlines()[1:]:
            t = line.strip()
            if t and not t.startswith("#"):
                names |= expand(t)
        cache[name] = names
    return cache[name]
allowed, denied = set(), set()
for line in open(unit):
    if line.startswith("SystemCallFilter="):
        value = line.split("=", 1)[1].strip()
        deny = value.startswith("~")
        for item in value.lstrip("~").split():
            (denied if deny else allowed).update(expand(item))
permitted = allowed - denied
# Only what parvis itself calls: env and setpriv run before the exec, where
# systemd (which applies the filter at that exec) changes user itself.
used, in_parvis = set(), False
for line in open(trace):
    if not in_parvis:
        in_parvis = 'execve("/usr/bin/parvis"' in line and line.rstrip().endswith("= 0")
        continue
    m = re.match(r"^\d+\s+([a-z0-9_]+)\(", line)
    if m:
        used.add(m.group(1))
if not used:
    print("PACKAGING CHECK FAILED: the trace shows no system call of /usr/bin/parvis", file=sys.stderr)
    sys.exit(1)
outside = sorted(used - permitted)
print(f"{len(used)} distinct system calls traced; filter permits {len(permitted)}")
if outside:
    print("PACKAGING CHECK FAILED: system calls outside the unit's SystemCallFilter: " + ", ".join(outside), file=sys.stderr)
    sys.exit(1)
print("every traced system call is permitted by the unit's SystemCallFilter")
PY
  else
    echo "strace or systemd-analyze is missing: system calls not checked"
  fi

  # -------------------------------------------------------------------------
  section "Upgrade to a rebuilt package (configuration and data stay)"
  conf_sum=$(sha256sum /etc/parvis/parvis.toml)
  cargo deb --no-build --no-strip --fast --target "$target" --deb-revision 2 --output "$work/" >/dev/null
  upgrade=("$work"/parvis_*-2_amd64.deb)
  apt-get install -y -q "${upgrade[0]}" </dev/null 2>&1 | tee "$work/upgrade.log"
  [ "$(dpkg-query -W -f='${Version}' parvis)" = "${version%-*}-2" ] || fail "the upgrade was not installed"
  grep -q 'Next steps' "$work/upgrade.log" && fail "an upgrade must not print the first-installation steps"
  [ "$(sha256sum /etc/parvis/parvis.toml)" = "$conf_sum" ] || fail "the upgrade changed the edited /etc/parvis/parvis.toml"
  [ "$(stat -c '%a %U %G' /etc/parvis/parvis.toml)" = "640 root parvis" ] || fail "the upgrade changed the configuration's owner or mode"
  [ -f /var/lib/parvis/parvis.redb ] || fail "the upgrade lost the database"
  (cd /var/lib/parvis && umask 0077 && exec "${clean_env[@]}" setpriv --reuid=parvis --regid=parvis --init-groups --no-new-privs -- "${exec_argv[@]}") \
    </dev/null >"$work/serve2.log" 2>&1 &
  server_pid=$!
  wait_healthy "$url" "$work/serve2.log"
  check_home "$url" "$commune"
  stop_server
  [ "$server_rc" -eq 0 ] || fail "the upgraded parvis exited with $server_rc on SIGTERM"

  # -------------------------------------------------------------------------
  section "Purge keeps the data unless PARVIS_PURGE_DATA=yes"
  apt-get purge -y -q parvis </dev/null 2>&1 | tee "$work/purge.log"
  [ ! -e /usr/bin/parvis ] || fail "purge left /usr/bin/parvis"
  [ ! -e /etc/parvis/parvis.toml ] || fail "purge left /etc/parvis/parvis.toml"
  [ -f /var/lib/parvis/parvis.redb ] || fail "purge without PARVIS_PURGE_DATA=yes deleted the data"
  grep -q 'kept in /var/lib/parvis' "$work/purge.log" || fail "purge did not say where the data is kept"
  [ -f /etc/parvis/parvis.key ] || fail "purge without PARVIS_PURGE_DATA=yes deleted the encryption key the kept data needs"
  apt-get install -y -q "$deb" </dev/null >"$work/reinstall.log" 2>&1 || { cat "$work/reinstall.log"; fail "reinstalling the package failed"; }
  [ -f /var/lib/parvis/parvis.redb ] || fail "reinstalling lost the kept data"
  PARVIS_PURGE_DATA=yes apt-get purge -y -q parvis </dev/null 2>&1 | tee "$work/purge2.log"
  [ ! -e /var/lib/parvis ] || fail "purge with PARVIS_PURGE_DATA=yes left /var/lib/parvis"
  [ ! -e /etc/parvis/parvis.key ] || fail "purge with PARVIS_PURGE_DATA=yes left the encryption key of the deleted data"
  dpkg-statoverride --list /etc/parvis/parvis.toml >/dev/null 2>&1 && fail "purge left the stat override of /etc/parvis/parvis.toml"
  echo "purge: OK"
fi

# ---------------------------------------------------------------------------
section "Container image (packaging/container/build.sh -> target/parvis-oci.tar)"
packaging/container/build.sh
oci=$top/target/parvis-oci.tar
[ -f "$oci" ] || fail "no $oci"
echo "OCI archive: $(stat -c %s "$oci") bytes"

section "Inspect the image: unpack, check its config"
mkdir -p "$work/oci" "$work/rootfs"
tar -C "$work/oci" -xf "$oci"
python3 - "$work/oci" "$work/rootfs" >"$work/image.env" <<'PY'
import json, os, subprocess, sys
layout, rootfs = sys.argv[1:]
def blob(digest):
    algo, hexd = digest.split(":", 1)
    return os.path.join(layout, "blobs", algo, hexd)
def fail(msg):
    print(f"PACKAGING CHECK FAILED: {msg}", file=sys.stderr)
    sys.exit(1)
index = json.load(open(os.path.join(layout, "index.json")))
if len(index["manifests"]) != 1:
    fail(f"index.json lists {len(index['manifests'])} manifests, expected 1")
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
config = json.load(open(blob(manifest["config"]["digest"])))
c = config["config"]
checks = {
    "architecture": (config.get("architecture"), "amd64"),
    "os": (config.get("os"), "linux"),
    "User": (c.get("User"), "65532:65532"),
    "Entrypoint": (c.get("Entrypoint"), ["/parvis"]),
    "Cmd": (c.get("Cmd"), ["serve"]),
    "ExposedPorts": (sorted(c.get("ExposedPorts", {})), ["8080/tcp"]),
    "Volumes": (sorted(c.get("Volumes", {})), ["/var/lib/parvis"]),
}
for key, (got, want) in checks.items():
    if got != want:
        fail(f"image config {key} is {got!r}, expected {want!r}")
env = dict(e.split("=", 1) for e in c.get("Env", []))
for key, want in {"PARVIS_SERVER_LISTEN": "0.0.0.0:8080", "PARVIS_DATA_DIR": "/var/lib/parvis", "NO_COLOR": "1"}.items():
    if env.get(key) != want:
        fail(f"image Env {key} is {env.get(key)!r}, expected {want!r}")
total = 0
for layer in manifest["layers"]:
    total += layer["size"]
    if not layer["mediaType"].endswith("tar+gzip"):
        fail(f"unexpected layer type {layer['mediaType']}")
    subprocess.run(["tar", "-C", rootfs, "--numeric-owner", "-xzf", blob(layer["digest"])], check=True)
print(f"layers={len(manifest['layers'])}")
print(f"layers_bytes={total}")
for k, v in env.items():
    print(f"env_{k}={v}")
print("image config: user 65532:65532, entrypoint /parvis, cmd serve, port 8080/tcp, volume /var/lib/parvis: OK", file=sys.stderr)
PY
cat "$work/image.env"
root=$work/rootfs
[ "$(stat -c '%a %u' "$root/parvis")" = "755 0" ] || fail "/parvis in the image is $(stat -c '%a %u' "$root/parvis"), expected 755 0"
[ "$(stat -c '%a %u %g' "$root/var/lib/parvis")" = "700 65532 65532" ] || fail "/var/lib/parvis in the image is $(stat -c '%a %u %g' "$root/var/lib/parvis")"
[ "$(stat -c '%a' "$root/tmp")" = 1777 ] || fail "/tmp in the image is not 1777"
[ -f "$root/usr/share/zoneinfo/Europe/Paris" ] || fail "the image has no time-zone data for Europe/Paris"
cmp -s "$root/parvis" "$bin" || fail "/parvis in the image is not the release binary"
echo "image root: $(du -sk "$root" | cut -f1) KiB unpacked, $(find "$root" | wc -l) entries"

section "Run the image's binary (chroot into the unpacked root, UID 65532, PARVIS_* environment)"
"$root/parvis" --version
chroot=$(command -v chroot)
port=$(free_port)
url="http://127.0.0.1:$port"
commune="Saint-Conteneur-CI"
# The image's environment, then what an admin passes with -e; listen on loopback here.
image_env=(PARVIS_SERVER_LISTEN=0.0.0.0:8080 PARVIS_DATA_DIR=/var/lib/parvis NO_COLOR=1)
run_env=("${image_env[@]}" PARVIS_SERVER_LISTEN="127.0.0.1:$port" PARVIS_COMMUNE_NAME="$commune"
  PARVIS_SERVER_PUBLIC_URL="https://participer.example.invalid")
# Configuration by environment alone: check-config.
env -i "${run_env[@]}" "$chroot" --userspec=65532:65532 "$root" /parvis check-config >"$work/ctr-check.out" 2>&1 \
  || { cat "$work/ctr-check.out"; fail "check-config with PARVIS_* variables failed in the image"; }
grep -q "PARVIS_COMMUNE_NAME" "$work/ctr-check.out" || fail "check-config does not show commune.name coming from PARVIS_COMMUNE_NAME"
tail -n 1 "$work/ctr-check.out"
env -i "${run_env[@]}" "$chroot" --userspec=65532:65532 "$root" /parvis serve </dev/null >"$work/ctr.log" 2>&1 &
server_pid=$!
wait_healthy "$url" "$work/ctr.log"
check_home "$url" "$commune"
stop_server
[ "$server_rc" -eq 0 ] || { tail -n 30 "$work/ctr.log"; fail "the image's parvis exited with $server_rc on SIGTERM"; }
grep -q $'\e\\[' "$work/ctr.log" && fail "the image's log holds terminal colour codes"
[ "$(stat -c %u "$root/var/lib/parvis/parvis.redb")" = 65532 ] || fail "the database in the volume is not owned by 65532"
echo "served from the volume /var/lib/parvis as UID 65532; stopped by SIGTERM, exit status 0"
# Configuration by a mounted file: /etc/parvis/parvis.toml is found without --config.
printf '[commune]\nname = "Saint-Fichier-CI"\n[server]\npublic_url = "https://f.example.invalid"\n' >"$root/etc/parvis/parvis.toml"
env -i "${image_env[@]}" "$chroot" --userspec=65532:65532 "$root" /parvis check-config >"$work/ctr-file.out" 2>&1 \
  || { cat "$work/ctr-file.out"; fail "check-config with a mounted /etc/parvis/parvis.toml failed in the image"; }
grep -q '/etc/parvis/parvis.toml' "$work/ctr-file.out" || fail "check-config did not read /etc/parvis/parvis.toml"
echo "a configuration file at /etc/parvis/parvis.toml is read: OK"

section "compose.yaml"
python3 - packaging/compose.yaml <<'PY'
import sys
try:
    import yaml
except ImportError:
    print("PyYAML is not installed: compose.yaml only checked for its keys by grep")
    text = open(sys.argv[1]).read()
    for k in ("services:", "image:", "ports:", "volumes:", "PARVIS_COMMUNE_NAME"):
        assert k in text, k
    sys.exit(0)
doc = yaml.safe_load(open(sys.argv[1]))
svc = doc["services"]["parvis"]
assert svc["image"].startswith("parvis:"), svc["image"]
assert any(str(p).endswith(":8080") for p in svc["ports"]), svc["ports"]
assert any(str(v).endswith(":/var/lib/parvis") for v in svc["volumes"]), svc["volumes"]
env = svc["environment"]
assert "PARVIS_COMMUNE_NAME" in env and "PARVIS_SERVER_PUBLIC_URL" in env, env
print("compose.yaml: service parvis, port 8080, volume /var/lib/parvis, PARVIS_* environment: OK")
PY

section "Summary"
timings+=("$(printf '%5ds  %s' $((SECONDS - step_started)) "Summary")")
step_name=""
printf '%s\n' "${timings[@]}"
echo "binary $(stat -c %s "$bin") bytes; .deb $(stat -c %s "$deb") bytes; OCI archive $(stat -c %s "$oci") bytes"
echo "packaging checks: all passed in $((SECONDS - started))s"
