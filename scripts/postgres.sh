#!/usr/bin/env bash
# PostgreSQL 15 from Debian's package: cluster 15/main on 127.0.0.1:$PG_PORT,
# a `ckan` role and the databases the dev and test configs use, with a DataStore database
# beside each and its read-only role.
# usage: scripts/postgres.sh start|stop|status
source "$(dirname "$0")/lib.sh"

STARTED_MARK="$RUN_DIR/postgres.started-by-datenraum"

as_postgres() { runuser -u postgres -- "$@"; }
psql_admin() { as_postgres psql -p "$PG_PORT" -X -q -v ON_ERROR_STOP=1 "$@"; }
ready() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }
cluster_online() { pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; }

ensure_cluster() {
    if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$PG_VERSION $PG_CLUSTER"; then
        say "Creating PostgreSQL cluster $PG_VERSION/$PG_CLUSTER"
        pg_createcluster "$PG_VERSION" "$PG_CLUSTER" -p "$PG_PORT" -- --auth-local=peer --auth-host=scram-sha-256 \
            >"$LOG_DIR/pg_createcluster.log" 2>&1 || { cat "$LOG_DIR/pg_createcluster.log" >&2; fail "pg_createcluster failed"; }
    fi
}

ensure_role_and_databases() {
    psql_admin -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD';
  END IF;
END \$\$;
SQL
    for db in $PG_DATABASES; do
        if ! psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
            as_postgres createdb -p "$PG_PORT" -O "$PG_USER" -E UTF8 -T template0 "$db"
            echo "created database $db"
        fi
    done
}

# DataStore (ckanext-datastore, loaded by ckanext-xloader): one datastore database beside each
# CKAN database (ckan_test -> datastore_test), owned by the CKAN role (the write URL), and the
# read-only role datastore_ro (the read URL) with CKAN's own permission script.
DATASTORE_RO_USER=datastore_ro
DATASTORE_RO_PASSWORD=datastore_ro   # loopback-only development role, not a secret

datastore_databases() {
    local db
    for db in $PG_DATABASES; do
        [[ "$db" == ckan_* ]] && echo "datastore_${db#ckan_}"
    done
}

ensure_datastore() {
    psql_admin -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DATASTORE_RO_USER') THEN
    CREATE ROLE $DATASTORE_RO_USER LOGIN PASSWORD '$DATASTORE_RO_PASSWORD';
  END IF;
END \$\$;
SQL
    local db
    for db in $(datastore_databases); do
        if ! psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
            as_postgres createdb -p "$PG_PORT" -O "$PG_USER" -E UTF8 -T template0 "$db"
            echo "created database $db"
        fi
    done
    if [[ ! -x "$VENV/bin/python" ]]; then
        say "no .venv yet: the DataStore permissions are set on the next start"
        return 0
    fi
    # One Python start for all databases (importing CKAN takes seconds).
    "$VENV/bin/python" - "$PG_USER" "$DATASTORE_RO_USER" $(datastore_databases) <<'PY' |
import sys
from ckanext.datastore.cli import permissions_sql
user, reader, *databases = sys.argv[1:]
for db in databases:
    print(permissions_sql("ckan_" + db.removeprefix("datastore_"), db, user, user, reader))
PY
        psql_admin -d postgres >"$LOG_DIR/datastore-permissions.log" 2>&1 ||
        { cat "$LOG_DIR/datastore-permissions.log" >&2; fail "could not set the DataStore permissions"; }
}

start() {
    command -v pg_lsclusters >/dev/null || fail "PostgreSQL is not installed (run scripts/system-packages.sh)"
    ensure_cluster
    local started
    started=$(date +%s%N)
    if ! cluster_online; then
        say "Starting PostgreSQL $PG_VERSION/$PG_CLUSTER on 127.0.0.1:$PG_PORT"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >"$LOG_DIR/postgres-start.log" 2>&1 || {
            cat "$LOG_DIR/postgres-start.log" >&2
            fail "PostgreSQL did not start; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
        }
        touch "$STARTED_MARK"
    fi
    wait_for 60 "PostgreSQL" ready || fail "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT"
    ensure_role_and_databases
    ensure_datastore
    echo "PostgreSQL ready in $(elapsed "$started") s"
}

stop() {
    # Only stop a cluster this project started; never someone else's.
    if [[ -f "$STARTED_MARK" ]] && cluster_online; then
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop && echo "PostgreSQL stopped"
    fi
    rm -f "$STARTED_MARK"
}

status() {
    if ready; then echo "PostgreSQL: running on 127.0.0.1:$PG_PORT"; else echo "PostgreSQL: not running"; return 1; fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
