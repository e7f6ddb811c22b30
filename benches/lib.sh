# Shared by the benchmark scripts (sourced, not run): the configuration they
# give the server, and a free loopback port. One definition, so that every
# benchmark measures the same commune.

# A free TCP port on 127.0.0.1 (the kernel picks it; another process could
# take it before the server binds, which on a bench machine does not happen).
bench_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# bench_config FILE PORT DATA_DIR LOG_LEVEL: writes the benchmarks'
# parvis.toml. Scheduled backups are off (a backup during a measurement
# would be measured too); the log level is the caller's (`info` writes one
# access-log line per request, as in production; `warn` measures the pages
# alone). The encryption key is created beside FILE on first start: keep
# FILE's directory to reuse DATA_DIR.
bench_config() {
  local file=$1 port=$2 data=$3 level=$4
  cat >"$file" <<CONF
[commune]
name = "Saint-Exemple"
intro = "Bienvenue sur le site de participation de Saint-Exemple."
neighbourhoods = ["Centre-bourg", "Les Vignes", "La Gare", "Le Moulin", "Les Hauts"]

[server]
public_url = "http://127.0.0.1:$port"
listen = "127.0.0.1:$port"

[data]
dir = "$data"

[backup]
interval_hours = 0

[log]
level = "$level"
CONF
}
