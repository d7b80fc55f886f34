#!/usr/bin/env bash
# Embedded Solr 9 (JettySolrRunner from Maven Central) on 127.0.0.1:$SOLR_PORT.
# usage: scripts/solr.sh build|start|stop|status|create-core NAME
# A core named *_stock gets CKAN's stock schema (for comparisons), every other core ours.
# The Solr home ($SOLR_HOME) keeps every core's index, so a restart loses nothing.
source "$(dirname "$0")/lib.sh"

MODULE="$ROOT/solr"
CLASSPATH_FILE="$MODULE/target/classpath.txt"
JAR="$MODULE/target/datenraum-solr-1.0.0.jar"
PID_FILE="$RUN_DIR/solr-$SOLR_PORT.pid"
LOG_FILE="$LOG_DIR/solr-$SOLR_PORT.log"
BASE_URL="http://127.0.0.1:$SOLR_PORT/solr"

ckan_schema() {
    # CKAN's own schema.xml from the installed ckan package.
    "$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))'
}

build() {
    if [[ -f "$JAR" && -f "$CLASSPATH_FILE" && "$JAR" -nt "$MODULE/pom.xml" \
          && -z "$(find "$MODULE/src" -newer "$JAR" -type f)" ]]; then
        return 0
    fi
    say "Building the Solr launcher with Maven (log: $LOG_DIR/maven.log)"
    mvn -B -q -f "$MODULE/pom.xml" package >"$LOG_DIR/maven.log" 2>&1 || {
        tail -40 "$LOG_DIR/maven.log" >&2
        fail "Maven could not build solr/ (Solr 9.10.1 artifacts from Maven Central); see $LOG_DIR/maven.log"
    }
}

# Config sets: `ckan` is ours (solr/conf: CKAN's schema with German analysis, see
# docs/decisions/0400-german-search-schema.md); `ckan-stock` is CKAN's own schema.xml for
# comparisons (benchmarks/search_relevance.py). Sets CONFIGSET_CHANGED=1 when `ckan` changed.
CONFIGSET_CHANGED=0
install_configsets() {
    local ours="$SOLR_HOME/configsets/ckan/conf" stock="$SOLR_HOME/configsets/ckan-stock/conf" schema before after
    schema=$(ckan_schema)
    [[ -f "$schema" ]] || fail "CKAN's schema.xml not found (is .venv installed?): $schema"
    before=$(configset_digest "$ours")
    rm -rf "$ours" "$stock"
    mkdir -p "$ours" "$stock"
    cp -r "$MODULE"/conf/. "$ours/"
    build_synonyms "$ours/lang"
    # The plugin splits compounds into text_parts with the lexicon at index time: a changed
    # lexicon (e.g. compounds kept whole, decision 0419) makes the index stale as a changed
    # schema does. Its digest in the config set (Solr ignores the file) flags the rebuild.
    lexicon_digest >"$ours/datenraum-lexicon.sha256"
    cp -r "$MODULE"/conf/. "$stock/"
    cp "$schema" "$stock/schema.xml"
    # Spellcheck/autocomplete and the German word lists need our schema's fields.
    sed '/datenraum:begin/,/datenraum:end/d' "$MODULE/conf/solrconfig.xml" >"$stock/solrconfig.xml"
    rm -rf "$stock/lang"
    after=$(configset_digest "$ours")
    if [[ -n "$before" && "$before" != "$after" ]]; then
        CONFIGSET_CHANGED=1
    fi
}

# The generated synonym files (OpenThesaurus, ding English-German) beside the hand-curated
# list; ckanext/datenraum/search/synonym_files.py says what is kept.
build_synonyms() {
    "$VENV/bin/python" -m ckanext.datenraum.search.synonym_files "$1" >"$LOG_DIR/synonyms.log" 2>&1 ||
        { cat "$LOG_DIR/synonyms.log" >&2; fail "could not build the Solr synonym files"; }
}

lexicon_digest() {
    (cd "$ROOT/ckanext/datenraum/search/lexicon" && sha256sum -- *.txt)
}

configset_digest() {
    [[ -d "$1" ]] || return 0
    (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

# A changed analysis chain makes the existing index disagree with new queries: flag it, so
# `make db` rebuilds the index once (it removes the flag).
flag_reindex() {
    touch "$SOLR_HOME/reindex-needed"
    say "Solr schema or compound lexicon changed: the index must be rebuilt (ckan search-index rebuild; make run does it)"
}

prepare_home() {
    mkdir -p "$SOLR_HOME"
    cp "$MODULE/solr.xml" "$SOLR_HOME/solr.xml"
    install_configsets
    if (( CONFIGSET_CHANGED )); then
        flag_reindex
    fi
    for core in $SOLR_CORES; do
        mkdir -p "$SOLR_HOME/$core"
        [[ -f "$SOLR_HOME/$core/core.properties" ]] ||
            printf 'name=%s\nconfigSet=%s\n' "$core" "$(configset_of "$core")" >"$SOLR_HOME/$core/core.properties"
    done
}

# Cores named *_stock use CKAN's own schema; all others ours.
configset_of() {
    [[ "$1" == *_stock ]] && echo ckan-stock || echo ckan
}

# Solr already runs: install the current config sets and reload the cores if ours changed.
refresh_running() {
    [[ -d "$SOLR_HOME/configsets" ]] || return 0
    install_configsets
    (( CONFIGSET_CHANGED )) || return 0
    local core
    for core in $SOLR_CORES; do
        curl -sf "$BASE_URL/admin/cores?action=RELOAD&core=$core&wt=json" >/dev/null ||
            fail "could not reload Solr core $core with the new schema"
    done
    flag_reindex
}

is_running() {
    [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

core_answers() {
    curl -sf "$BASE_URL/$1/admin/ping?wt=json" >/dev/null
}

all_cores_answer() {
    local core
    for core in $SOLR_CORES; do core_answers "$core" || return 1; done
}

start() {
    if all_cores_answer; then
        refresh_running
        echo "Solr already running on $BASE_URL"
        return 0
    fi
    if is_running && core_answers "${SOLR_CORES%% *}"; then
        # Our Solr, started before a core was added to SOLR_CORES: add the missing ones.
        local core
        for core in $SOLR_CORES; do create_core "$core"; done
        refresh_running
        echo "Solr already running on $BASE_URL"
        return 0
    fi
    if curl -s -o /dev/null "http://127.0.0.1:$SOLR_PORT/"; then
        fail "port $SOLR_PORT is taken by a process that does not serve the cores '$SOLR_CORES'; set SOLR_PORT or stop it"
    fi
    build
    prepare_home
    local started
    started=$(date +%s%N)
    say "Starting Solr 9.10.1 on $BASE_URL (home: $SOLR_HOME, log: $LOG_FILE)"
    nohup java -Xms128m -Xmx"$SOLR_HEAP" \
        -Dlog4j2.configurationFile="file:$MODULE/log4j2.xml" \
        -Dsolr.log.dir="$LOG_DIR" \
        -Dsolr.install.dir="$MODULE/target" \
        -cp "$JAR:$(cat "$CLASSPATH_FILE")" \
        de.datenraum.solr.EmbeddedSolr "$SOLR_HOME" "$SOLR_PORT" >"$LOG_FILE" 2>&1 &
    echo $! >"$PID_FILE"
    for core in $SOLR_CORES; do
        if ! wait_for 120 "Solr core $core" core_answers "$core"; then
            tail -30 "$LOG_FILE" >&2
            is_running && kill "$(cat "$PID_FILE")"
            fail "Solr did not serve core '$core' within 120 s (log: $LOG_FILE)"
        fi
    done
    echo "Solr ready in $(elapsed "$started") s"
}

stop() {
    if ! is_running; then
        rm -f "$PID_FILE"
        return 0
    fi
    local pid
    pid=$(cat "$PID_FILE")
    kill "$pid"
    wait_for 60 "Solr to stop" bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    echo "Solr stopped"
}

status() {
    if all_cores_answer; then
        echo "Solr: running on $BASE_URL (cores: $SOLR_CORES)"
    else
        echo "Solr: not running"
        return 1
    fi
}

create_core() {
    local core=${1:?core name}
    is_running || fail "Solr is not running"
    if core_answers "$core"; then
        return 0
    fi
    mkdir -p "$SOLR_HOME/$core"
    curl -sf "$BASE_URL/admin/cores?action=CREATE&name=$core&instanceDir=$core&configSet=$(configset_of "$core")&wt=json" >/dev/null ||
        fail "could not create Solr core $core"
    echo "Solr core $core created"
}

case "${1:-}" in
    build) build ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    create-core) create_core "${2:-}" ;;
    *) echo "usage: $0 build|start|stop|status|create-core NAME" >&2; exit 2 ;;
esac
