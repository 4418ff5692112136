# Sourced by .ci/run: a throwaway PostgreSQL cluster for the heroes example's tests.
# Debian's `postgresql` package (installed if missing), a cluster under a temp dir initialised and
# started as a non-root user (the server refuses root), listening on 127.0.0.1 only, on a free
# port; pg_stop tears it down. pg_start sets DATABASE_URL for the caller.

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

pg_as() { # user, command...
  local user=$1
  shift
  if [ "$(id -u)" -ne 0 ]; then "$@"; elif command -v runuser >/dev/null; then runuser -u "$user" -- "$@"; else su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"; fi
}

pg_start() {
  local bin
  if ! bin=$(pg_bin_dir); then
    echo "--- installing postgresql (apt)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; } >/tmp/ci-apt-postgresql.log 2>&1
    bin=$(pg_bin_dir) || { echo "postgresql could not be installed (see /tmp/ci-apt-postgresql.log)"; return 1; }
  fi
  PG_USER=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    PG_USER=postgres
    id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER" || return 1
  fi
  PG_DIR=$(mktemp -d /tmp/depends-ci-pg.XXXXXX)
  chown "$PG_USER" "$PG_DIR"
  local port
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  PG_BIN=$bin
  pg_as "$PG_USER" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
  pg_as "$PG_USER" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c max_connections=200" start >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$bin/postgres" --version | grep -oE '[0-9]+(\.[0-9]+)*' | head -n 1) on 127.0.0.1:$port (cluster in $PG_DIR)"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  pg_as "$PG_USER" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$PG_DIR"
  PG_DIR=
  unset DATABASE_URL
}
