#!/usr/bin/env bash
# The layer rules of DESIGN.md, checked on the source: imports only go down.
#
#   main, cli  →  server (routes, start-up, TLS, metrics)  →  web  →  app
#   →  domain  →  store, search, mail, i18n, config
#
# A rule is a folder (or file) and the module paths it must never name.
# `super::super::…` is spelled out too, so that no path climbs around a rule.
# Prints every offending line; exits 1 if there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

failed=0
# forbid <where> <pattern…>: no line under <where> names any pattern.
forbid() {
  local where=$1; shift
  local pattern
  pattern=$(printf '%s|' "$@"); pattern=${pattern%|}
  local hits
  hits=$(grep -rnE --include='*.rs' "$pattern" "$where" | grep -vE '^[^:]+:[0-9]+:\s*//' || true)
  if [ -n "$hits" ]; then
    echo "layer rule broken: $where must not name ${*}"
    echo "$hits" | sed 's/^/  /'
    failed=1
  fi
}

lower='crate::(web|server|app|cli|demo)\b'
# The lower layers know nothing of HTTP, pages, the server or its state.
for dir in src/domain src/store src/search src/mail src/i18n.rs src/config.rs src/crypto.rs src/ratelimit.rs src/photos.rs src/tiles.rs; do
  forbid "$dir" "$lower" '\bpoem::' '\bmaud::' 'super::super::(web|server|app)\b'
done
# The shared state sits under the web layer and above the domain.
forbid src/app.rs 'crate::(web|server|cli|demo)\b' '\bpoem::'
# Handlers take the shared state from `app`, never from the server.
forbid src/web 'crate::(server|cli|demo)\b' 'super::super::(server|cli)\b'

if [ "$failed" -ne 0 ]; then
  echo "See DESIGN.md, 'Data flow': imports only go down."
  exit 1
fi
echo "layers: every import goes down"
