#!/usr/bin/env bash
# Starts a local PostgreSQL for the tests (the postgres:// storage), on a
# Debian-like machine or container, as root, with or without systemd:
#   - installs Debian's `postgresql` package if no server is installed;
#   - uses the cluster already on port 5432, else the newest installed
#     version's `main` cluster (created if missing);
#   - listens on 127.0.0.1:5432 only (listen_addresses, port);
#   - starts it if it is down and waits until it accepts connections;
#   - creates the role tunekit (LOGIN CREATEDB, password tunekit) and the
#     database tunekit_test owned by it, if missing;
#   - prints the URL for TUNEKIT_TEST_POSTGRES.
# Idempotent: on a second run, with everything in place, it changes nothing.
set -euo pipefail

readonly PG_HOST=127.0.0.1
readonly PG_PORT=5432
readonly PG_ROLE=tunekit
readonly PG_PASSWORD=tunekit
readonly PG_DB=tunekit_test
readonly CLUSTER=main
readonly WAIT_SECONDS="${TUNEKIT_PG_WAIT_SECONDS:-60}"
readonly URL="postgres://${PG_ROLE}:${PG_PASSWORD}@${PG_HOST}:${PG_PORT}/${PG_DB}"

log() { printf '[start-postgres] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run as root (it installs packages and runs commands as the postgres user)"
[[ $WAIT_SECONDS =~ ^[0-9]+$ ]] || die "TUNEKIT_PG_WAIT_SECONDS must be a whole number of seconds"
# The postgres user may not be able to enter the caller's directory.
cd /

# --- 1. packages -----------------------------------------------------------
server_installed() {
  local bin
  command -v pg_ctlcluster >/dev/null 2>&1 || return 1
  command -v pg_isready >/dev/null 2>&1 || return 1
  command -v psql >/dev/null 2>&1 || return 1
  for bin in /usr/lib/postgresql/*/bin/postgres; do
    [[ -x $bin ]] && return 0
  done
  return 1
}

if server_installed; then
  log "PostgreSQL server already installed"
else
  log "installing PostgreSQL (apt-get install postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends postgresql
  server_installed || die "postgresql installed, but no server binary found under /usr/lib/postgresql"
fi

# --- 2. which cluster --------------------------------------------------------
# pg_lsclusters -h: "version name port status owner datadir logfile".
version=""
while read -r ver name port _rest; do
  if [[ $name == "$CLUSTER" && $port == "$PG_PORT" ]]; then
    version=$ver
    break
  fi
done < <(pg_lsclusters -h 2>/dev/null || true)

if [[ -z $version ]]; then
  for bin in /usr/lib/postgresql/*/bin/postgres; do
    [[ -x $bin ]] || continue
    ver=${bin#/usr/lib/postgresql/}
    ver=${ver%%/*}
    if [[ -z $version ]] || [[ $(printf '%s\n%s\n' "$version" "$ver" | sort -V | tail -n 1) == "$ver" ]]; then
      version=$ver
    fi
  done
fi
[[ -n $version ]] || die "could not determine the installed PostgreSQL version"
log "using cluster ${version}/${CLUSTER}"

if [[ ! -d /etc/postgresql/$version/$CLUSTER ]]; then
  log "creating cluster ${version}/${CLUSTER} on port ${PG_PORT}"
  pg_createcluster --port "$PG_PORT" "$version" "$CLUSTER"
fi

# --- 3. configuration: 127.0.0.1:5432 only ----------------------------------
# The port goes in postgresql.conf, where pg_lsclusters/pg_ctlcluster read it.
# listen_addresses goes in a conf.d drop-in: `pg_conftool set` writes
# 127.0.0.1 unquoted (it takes it for a number), which the server rejects.
config_changed=0
conf_dir=/etc/postgresql/$version/$CLUSTER
current_port=$(pg_conftool -s "$version" "$CLUSTER" show port 2>/dev/null || true)
if [[ $current_port != "$PG_PORT" ]]; then
  log "setting port = ${PG_PORT} (was: ${current_port:-default})"
  pg_conftool "$version" "$CLUSTER" set port "$PG_PORT"
  config_changed=1
fi

if ! grep -Eq "^[[:space:]]*include_dir[[:space:]]*=?[[:space:]]*'conf\.d'" "$conf_dir/postgresql.conf"; then
  log "adding include_dir = 'conf.d' to $conf_dir/postgresql.conf"
  printf "\ninclude_dir = 'conf.d'\n" >>"$conf_dir/postgresql.conf"
  config_changed=1
fi
dropin=$conf_dir/conf.d/50-tunekit-listen.conf
wanted="# written by tunekit scripts/start-postgres.sh: local connections only
listen_addresses = '${PG_HOST}'"
if [[ ! -f $dropin ]] || [[ $(<"$dropin") != "$wanted" ]]; then
  log "writing $dropin (listen_addresses = '${PG_HOST}')"
  install -d -o postgres -g postgres -m 0755 "$conf_dir/conf.d"
  printf '%s\n' "$wanted" >"$dropin"
  chown postgres:postgres "$dropin"
  chmod 0644 "$dropin"
  config_changed=1
fi

# --- 4. start ----------------------------------------------------------------
# pg_ctlcluster run as root drops to the cluster owner by itself, and goes
# through systemctl when systemd is running; without systemd it runs pg_ctl.
status=0
pg_ctlcluster "$version" "$CLUSTER" status >/dev/null 2>&1 || status=$?
if [[ $status -eq 0 ]]; then
  if [[ $config_changed -eq 1 ]]; then
    log "restarting ${version}/${CLUSTER} for the new listen_addresses/port"
    pg_ctlcluster "$version" "$CLUSTER" restart
  else
    log "cluster ${version}/${CLUSTER} already running"
  fi
else
  log "starting ${version}/${CLUSTER}"
  pg_ctlcluster "$version" "$CLUSTER" start
fi

waited=0
until pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2; do
  if (( waited >= WAIT_SECONDS )); then
    die "PostgreSQL not accepting connections on ${PG_HOST}:${PG_PORT} after ${WAIT_SECONDS}s (see /var/log/postgresql/postgresql-${version}-${CLUSTER}.log)"
  fi
  sleep 1
  waited=$((waited + 1))
done
log "accepting connections on ${PG_HOST}:${PG_PORT}"

# --- 5. role and database ----------------------------------------------------
# As the postgres superuser over the cluster's Unix socket (peer auth). Names
# and the password go in as psql variables, quoted by :'var' and format(%I/%L).
pg_psql() {
  runuser -u postgres -- psql --cluster "${version}/${CLUSTER}" -X -q -v ON_ERROR_STOP=1 \
    -v role="$PG_ROLE" -v password="$PG_PASSWORD" -v db="$PG_DB" -d postgres "$@"
}

pg_psql -At <<'SQL' | while IFS= read -r line; do [[ -n $line ]] && log "$line"; done
-- Role: create it, or give an existing one LOGIN and CREATEDB.
SELECT 'creating role ' || :'role'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role');
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT 'granting LOGIN CREATEDB to ' || :'role'
  FROM pg_roles WHERE rolname = :'role' AND NOT (rolcanlogin AND rolcreatedb);
SELECT format('ALTER ROLE %I LOGIN CREATEDB', :'role')
  FROM pg_roles WHERE rolname = :'role' AND NOT (rolcanlogin AND rolcreatedb) \gexec
-- Database: create it, or hand an existing one to the role.
SELECT 'creating database ' || :'db'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db');
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT 'changing the owner of ' || :'db' || ' to ' || :'role'
  FROM pg_database WHERE datname = :'db' AND pg_get_userbyid(datdba) <> :'role';
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'role')
  FROM pg_database WHERE datname = :'db' AND pg_get_userbyid(datdba) <> :'role' \gexec
SQL

# --- 6. check the URL itself (TCP, password) ---------------------------------
check_url() { psql "$URL" -X -q -At -c 'select 1' >/dev/null 2>&1; }
if ! check_url; then
  # Role existed with another password: set ours, then try again.
  log "cannot log in as ${PG_ROLE} over TCP; setting its password"
  pg_psql <<'SQL'
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'password') \gexec
SQL
  if ! check_url; then
    psql "$URL" -X -q -At -c 'select 1' >&2 || true
    die "cannot connect to ${URL}; check pg_hba.conf for host ${PG_HOST}/32 password (scram-sha-256/md5) access"
  fi
fi

# Listening on anything other than 127.0.0.1 (a conf.d file or ALTER SYSTEM
# overriding postgresql.conf) is an error, not something to paper over.
effective=$(psql "$URL" -X -q -At -c 'show listen_addresses')
[[ $effective == "$PG_HOST" ]] || die "listen_addresses is '${effective}', expected '${PG_HOST}' (overridden in conf.d or postgresql.auto.conf?)"

log "PostgreSQL ${version} ready"
printf 'TUNEKIT_TEST_POSTGRES=%s\n' "$URL"
