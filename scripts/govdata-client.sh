#!/usr/bin/env bash
# GovData's own harvesting stack, for tests/govdata/ (the real client of /catalog/govdata.*):
# Python 3.10, CKAN 2.10.11 and ckanext-dcat 2.3.0 from PyPI, ckanext-harvest 1.5.5 and
# ckanext-dcatde 6.10.0 from ../shared/clients/ (see its README), in its own virtualenv
# under var/clients/govdata/ (never in .venv: the two stacks never mix), plus the Solr config
# set with CKAN 2.10's schema its core needs.
# usage: scripts/govdata-client.sh install | database NAME... | solr-core CORE_URL CONFIGSET | status
#   install    GovData's virtualenv; idempotent: nothing happens when the stamp of this script and
#              the client folders matches (a fresh machine takes two to four minutes, most of it
#              CKAN's requirements)
#   database   create PostgreSQL databases (owner $PG_USER) that do not exist yet
#   solr-core  create a Solr core of our Solr with config set `ckan` (ours), `ckan-stock`
#              (CKAN 2.12's schema) or `ckan-2.10` (CKAN 2.10's schema, GovData's core)
# The client tests (tests/govdata/) call it for their own databases and cores.
source "$(dirname "$0")/lib.sh"

# ../shared beside the checkout (CI), or two levels up (a worktree under wt/); DATENRAUM_SHARED wins.
SHARED="${DATENRAUM_SHARED:-$ROOT/../shared}"
[[ -d "$SHARED" || -n "${DATENRAUM_SHARED:-}" ]] || SHARED="$ROOT/../../shared"
CLIENTS="$SHARED/clients"
CLIENT_DIR="$VAR/clients/govdata"
CLIENT_VENV="$CLIENT_DIR/venv"
CKAN_VERSION=2.10.11
DCAT_VERSION=2.3.0
HARVEST_SRC="$CLIENTS/ckanext-harvest-1.5.5"
DCATDE_SRC="$CLIENTS/ckanext-dcatde-6.10.0"
CONFIGSET=ckan-2.10
# Bump when the install steps below change: the stamp then no longer matches.
INSTALL_REVISION=2
LOG_FILE="$LOG_DIR/govdata-client.log"

python310() {
    if [[ -n "${PYTHON310:-}" ]]; then
        echo "$PYTHON310"
        return
    fi
    local candidate
    if command -v pyenv >/dev/null 2>&1; then
        for candidate in "$(pyenv root)"/versions/3.10.*/bin/python3.10; do
            [[ -x "$candidate" ]] && { echo "$candidate"; return; }
        done
    fi
    command -v python3.10 || fail "Python 3.10 not found (pyenv install 3.10, or set PYTHON310)"
}

stamp_digest() {
    {
        echo "$INSTALL_REVISION $CKAN_VERSION $DCAT_VERSION"
        (cd "$CLIENTS" && find ckanext-harvest-1.5.5 ckanext-dcatde-6.10.0 -type f -name '*.py' \
            -o -type f -name '*requirements*.txt' | sort | xargs sha256sum)
    } | sha256sum | cut -c1-16
}

install() {
    [[ -d "$HARVEST_SRC" && -d "$DCATDE_SRC" ]] || fail "GovData's clients not found in $CLIENTS"
    local stamp="$CLIENT_DIR/.installed-$(stamp_digest)"
    if [[ -f "$stamp" && -x "$CLIENT_VENV/bin/ckan" ]]; then
        return 0
    fi
    local started
    started=$(date +%s%N)
    say "Installing GovData's harvesting stack into $CLIENT_VENV (log: $LOG_FILE)"
    rm -rf "$CLIENT_DIR"
    mkdir -p "$CLIENT_DIR/src"
    # The client folders are read-only; pip builds in the source tree, so build from copies.
    cp -r "$HARVEST_SRC" "$DCATDE_SRC" "$CLIENT_DIR/src/"
    {
        "$(python310)" -m venv "$CLIENT_VENV"
        "$CLIENT_VENV/bin/pip" install --upgrade pip wheel "setuptools<71"
        "$CLIENT_VENV/bin/pip" install "ckan[requirements]==$CKAN_VERSION"
        "$CLIENT_VENV/bin/pip" install "ckanext-dcat==$DCAT_VERSION"
        # its pip-requirements.txt names requirements.txt (a line, not an -r include)
        "$CLIENT_VENV/bin/pip" install -r "$CLIENT_DIR/src/ckanext-harvest-1.5.5/requirements.txt"
        "$CLIENT_VENV/bin/pip" install --no-deps "$CLIENT_DIR/src/ckanext-harvest-1.5.5"
        "$CLIENT_VENV/bin/pip" install -r "$CLIENT_DIR/src/ckanext-dcatde-6.10.0/base-requirements.txt"
        "$CLIENT_VENV/bin/pip" install --no-deps "$CLIENT_DIR/src/ckanext-dcatde-6.10.0"
        # not from the checkout: its own ckanext/ would shadow the installed namespace
        (cd "$CLIENT_DIR" && "$CLIENT_VENV/bin/python" -c "import ckan, ckanext.dcat, ckanext.harvest, ckanext.dcatde.harvesters.dcatde_rdf")
    } >"$LOG_FILE" 2>&1 || { tail -30 "$LOG_FILE" >&2; fail "installing GovData's stack failed"; }
    touch "$stamp"
    echo "GovData's stack installed in $(elapsed "$started") s"
}

# CKAN 2.10's schema.xml (GovData's core) beside our solrconfig, as a config set of our Solr.
install_configset() {
    local target="$SOLR_HOME/configsets/$CONFIGSET/conf" schema
    schema=$(cd "$CLIENT_DIR" && "$CLIENT_VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')
    # The stock config set of scripts/solr.sh (our solrconfig without the parts that need our
    # schema's fields: spellcheck, suggesters), with CKAN 2.10's schema.
    [[ -d "$SOLR_HOME/configsets/ckan-stock/conf" ]] || fail "config set ckan-stock missing (run scripts/solr.sh first)"
    mkdir -p "$target"
    cp -r "$SOLR_HOME/configsets/ckan-stock/conf/." "$target/"
    cp "$schema" "$target/schema.xml"
}

databases() {
    local db
    for db in "$@"; do
        [[ "$db" =~ ^[a-z0-9_]+$ ]] || fail "not a database name: $db"
        if ! runuser -u postgres -- psql -p "$PG_PORT" -X -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
            runuser -u postgres -- createdb -p "$PG_PORT" -O "$PG_USER" -E UTF8 -T template0 "$db"
            echo "created database $db"
        fi
    done
}

solr_core() {
    local url=${1:?core URL} configset=${2:?config set} base core
    base=${url%/*}
    core=${url##*/}
    [[ "$core" =~ ^[A-Za-z0-9_]+$ ]] || fail "not a core name: $core"
    curl -sf "$url/admin/ping?wt=json" >/dev/null && return 0
    case "$configset" in
        ckan | ckan-stock) ;;
        "$CONFIGSET") install && install_configset ;;
        *) fail "unknown config set $configset" ;;
    esac
    [[ -d "$SOLR_HOME/configsets/$configset" ]] || fail "config set $configset not in $SOLR_HOME (is this checkout's Solr the one at $base?)"
    mkdir -p "$SOLR_HOME/$core"
    curl -sf "$base/admin/cores?action=CREATE&name=$core&instanceDir=$core&configSet=$configset&wt=json" >/dev/null ||
        fail "could not create Solr core $core at $base"
    echo "created Solr core $core ($configset)"
}

case "${1:-}" in
    install) install ;;
    database) shift; databases "$@" ;;
    solr-core) shift; solr_core "$@" ;;
    status) [[ -x "$CLIENT_VENV/bin/ckan" ]] && echo "installed: $CLIENT_VENV" || { echo "not installed"; exit 1; } ;;
    *) echo "usage: $0 install | database NAME... | solr-core CORE_URL CONFIGSET | status" >&2; exit 2 ;;
esac
