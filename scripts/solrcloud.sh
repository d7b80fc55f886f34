#!/usr/bin/env bash
# SolrCloud on 127.0.0.1: a ZooKeeper ensemble, Solr nodes in cloud mode and HAProxy in front,
# from the same Maven artefacts as the embedded single-node Solr (solr/, scripts/solr.sh), which
# stays the default of `make run` and `make test`. Our config set (solr/conf) is uploaded to
# ZooKeeper; the collection has 2 shards x 2 replicas. CKAN's solr_url is the load balancer's
# collection URL (`url` prints it). See docs/decisions/0504-solrcloud-layout.md.
#
# usage: scripts/solrcloud.sh start|stop|status|url|kill-node N
#   start      start what is not running (also brings a killed node back), upload the config
#              set, create the collection once
#   kill-node  SIGKILL Solr node N (a drill: the collection must keep answering)
# env: SOLRCLOUD_PORT (load balancer, default 7980; Solr nodes PORT+1.., ZooKeeper clients
#      PORT+11.., quorum PORT+21.., election PORT+31..),
#      SOLRCLOUD_NODES (2), SOLRCLOUD_ZK_NODES (3), SOLRCLOUD_HOME ($VAR/solrcloud),
#      SOLRCLOUD_COLLECTION (ckan), SOLRCLOUD_SHARDS (2), SOLRCLOUD_REPLICAS (2),
#      SOLRCLOUD_HEAP (384m)
source "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"

PORT="${SOLRCLOUD_PORT:-7980}"
NODES="${SOLRCLOUD_NODES:-2}"
ZK_NODES="${SOLRCLOUD_ZK_NODES:-3}"
HOME_DIR="${SOLRCLOUD_HOME:-$VAR/solrcloud}"
COLLECTION="${SOLRCLOUD_COLLECTION:-ckan}"
SHARDS="${SOLRCLOUD_SHARDS:-2}"
REPLICAS="${SOLRCLOUD_REPLICAS:-2}"
HEAP="${SOLRCLOUD_HEAP:-384m}"
MODULE="$ROOT/solr"
JAR="$MODULE/target/datenraum-solr-1.0.0.jar"
CLASSPATH_FILE="$MODULE/target/classpath.txt"
LOG4J="-Dlog4j2.configurationFile=file:$MODULE/log4j2.xml"
LB_URL="http://127.0.0.1:$PORT/solr"

node_port() { echo $((PORT + $1)); }
zk_port() { echo $((PORT + 10 + $1)); }
zk_hosts() {
    local i hosts=()
    for ((i = 1; i <= ZK_NODES; i++)); do hosts+=("127.0.0.1:$(zk_port "$i")"); done
    (IFS=,; echo "${hosts[*]}")
}
pid_file() { echo "$HOME_DIR/$1.pid"; }
running() { [[ -f "$(pid_file "$1")" ]] && kill -0 "$(cat "$(pid_file "$1")")" 2>/dev/null; }
classpath() { echo "$JAR:$(cat "$CLASSPATH_FILE")"; }

# spawn NAME LOG COMMAND...: start a background process, remember its pid.
spawn() {
    local name=$1 log=$2; shift 2
    nohup "$@" >"$log" 2>&1 &
    echo $! >"$(pid_file "$name")"
}

zk_mode() {
    # ZooKeeper's "srvr" four-letter word over bash's /dev/tcp: standalone, leader or follower
    local reply
    reply=$(exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'srvr' >&3 && timeout 2 cat <&3) || return 1
    grep -oE 'Mode: (standalone|leader|follower)' <<<"$reply"
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# require_free NAME PORT...: fail early, naming the port, when something else listens there.
require_free() {
    local name=$1 port; shift
    for port in "$@"; do
        listening "$port" && fail "port $port (for $name) is taken; set SOLRCLOUD_PORT"
    done
    return 0
}

start_zookeeper() {
    local i dir
    for ((i = 1; i <= ZK_NODES; i++)); do
        running "zk$i" && continue
        require_free "ZooKeeper $i" "$(zk_port "$i")" $((PORT + 20 + i)) $((PORT + 30 + i))
        dir="$HOME_DIR/zk$i"
        mkdir -p "$dir/data"
        echo "$i" >"$dir/data/myid"
        {
            echo "tickTime=1000"
            echo "initLimit=20"
            echo "syncLimit=5"
            echo "dataDir=$dir/data"
            echo "clientPort=$(zk_port "$i")"
            echo "clientPortAddress=127.0.0.1"
            echo "admin.enableServer=false"
            echo "4lw.commands.whitelist=srvr,ruok"
            if ((ZK_NODES > 1)); then
                local j
                for ((j = 1; j <= ZK_NODES; j++)); do
                    echo "server.$j=127.0.0.1:$((PORT + 20 + j)):$((PORT + 30 + j))"
                done
            fi
        } >"$dir/zoo.cfg"
        spawn "zk$i" "$LOG_DIR/solrcloud-zk$i.log" java -Xms32m -Xmx96m "$LOG4J" \
            -cp "$(classpath)" org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg"
    done
    for ((i = 1; i <= ZK_NODES; i++)); do
        wait_for 120 "ZooKeeper $i" zk_mode "$(zk_port "$i")" ||
            fail "ZooKeeper $i did not join the ensemble (log: $LOG_DIR/solrcloud-zk$i.log)"
    done
}

node_healthy() { curl -sf "http://127.0.0.1:$(node_port "$1")/solr/admin/info/health" >/dev/null; }

start_nodes() {
    local i dir
    for ((i = 1; i <= NODES; i++)); do
        running "node$i" && continue
        require_free "Solr node $i" "$(node_port "$i")"
        dir="$HOME_DIR/node$i"
        mkdir -p "$dir"
        cp "$MODULE/cloud/solr.xml" "$dir/solr.xml"
        spawn "node$i" "$LOG_DIR/solrcloud-node$i.log" java -Xms128m -Xmx"$HEAP" "$LOG4J" \
            -Dsolr.log.dir="$LOG_DIR" -Dsolr.install.dir="$MODULE/target" \
            -DzkHost="$(zk_hosts)" -DhostPort="$(node_port "$i")" -DzkClientTimeout=10000 \
            -DzkReaderGetLeaderRetryTimeoutMs=60000 \
            -cp "$(classpath)" de.datenraum.solr.EmbeddedSolr "$dir" "$(node_port "$i")"
    done
    for ((i = 1; i <= NODES; i++)); do
        wait_for 240 "Solr node $i" node_healthy "$i" ||
            fail "Solr node $i did not come up (log: $LOG_DIR/solrcloud-node$i.log)"
    done
}

collections_api() {
    curl -sf "http://127.0.0.1:$(node_port 1)/solr/admin/collections?wt=json&$1"
}

# Our config set (solr/conf, the single source) plus the transaction log SolrCloud needs for
# leader election and recovery: replicas sync from it when a node comes back.
cloud_configset() {
    local target="$HOME_DIR/configset"
    rm -rf "$target"
    cp -r "$MODULE/conf" "$target"
    # The generated synonym files the schema names (OpenThesaurus, ding), as scripts/solr.sh
    # builds them for the single node.
    "$VENV/bin/python" -m ckanext.datenraum.search.synonym_files "$target/lang" \
        >"$LOG_DIR/solrcloud-synonyms.log" 2>&1 ||
        { cat "$LOG_DIR/solrcloud-synonyms.log" >&2; fail "could not build the Solr synonym files"; }
    grep -q '<updateLog' "$target/solrconfig.xml" ||
        sed -i 's|<updateHandler class="solr.DirectUpdateHandler2">|&\n    <updateLog><str name="dir">${solr.ulog.dir:}</str></updateLog>|' \
            "$target/solrconfig.xml"
    grep -q '<updateLog' "$target/solrconfig.xml" || fail "could not add the transaction log to solrconfig.xml"
    echo "$target"
}

upload_configset() {
    local configset
    configset=$(cloud_configset)
    java "$LOG4J" -Dsolr.install.dir="$MODULE/target" -cp "$(classpath)" \
        org.apache.solr.cli.SolrCLI zk upconfig -n "$COLLECTION" -d "$configset" -z "$(zk_hosts)" \
        >"$LOG_DIR/solrcloud-upconfig.log" 2>&1 ||
        { cat "$LOG_DIR/solrcloud-upconfig.log" >&2; fail "could not upload the config set"; }
}

ensure_collection() {
    upload_configset
    if collections_api "action=LIST" | grep -q "\"$COLLECTION\""; then
        collections_api "action=RELOAD&name=$COLLECTION" >/dev/null ||
            fail "could not reload collection $COLLECTION"
        return 0
    fi
    say "Creating collection $COLLECTION: $SHARDS shards x $REPLICAS replicas"
    collections_api "action=CREATE&name=$COLLECTION&numShards=$SHARDS&replicationFactor=$REPLICAS&collection.configName=$COLLECTION&waitForFinalState=true" \
        >"$LOG_DIR/solrcloud-create.log" || { cat "$LOG_DIR/solrcloud-create.log" >&2; fail "could not create $COLLECTION"; }
}

start_balancer() {
    running haproxy && return 0
    require_free "HAProxy" "$PORT"
    local i cfg="$HOME_DIR/haproxy.cfg"
    {
        echo "global"
        echo "    maxconn 512"
        # whole update requests fit the buffer, so HAProxy can retry them on the other node
        echo "    tune.bufsize 262144"
        echo "defaults"
        echo "    mode http"
        echo "    timeout connect 2s"
        echo "    timeout client 120s"
        echo "    timeout server 120s"
        echo "    retries 3"
        echo "    option redispatch 1"
        echo "    retry-on conn-failure empty-response response-timeout"
        echo "frontend solr"
        echo "    bind 127.0.0.1:$PORT"
        echo "    default_backend solr_nodes"
        echo "backend solr_nodes"
        echo "    balance roundrobin"
        echo "    option httpchk GET /solr/admin/info/health"
        echo "    default-server inter 1s fall 2 rise 2"
        for ((i = 1; i <= NODES; i++)); do
            echo "    server node$i 127.0.0.1:$(node_port "$i") check"
        done
    } >"$cfg"
    haproxy -c -q -f "$cfg" || fail "invalid HAProxy configuration $cfg"
    haproxy -f "$cfg" -D -p "$(pid_file haproxy)" || fail "HAProxy did not start"
}

collection_answers() { curl -sf "$LB_URL/$COLLECTION/admin/ping?wt=json" >/dev/null; }

start() {
    command -v haproxy >/dev/null || fail "HAProxy is not installed (run scripts/system-packages.sh)"
    "$here/solr.sh" build
    mkdir -p "$HOME_DIR"
    local started
    started=$(date +%s%N)
    say "Starting SolrCloud: $ZK_NODES ZooKeeper, $NODES Solr nodes, HAProxy on $LB_URL"
    start_zookeeper
    start_nodes
    ensure_collection
    start_balancer
    wait_for 60 "the collection behind HAProxy" collection_answers ||
        fail "$LB_URL/$COLLECTION does not answer"
    echo "SolrCloud ready in $(elapsed "$started") s: solr_url = $LB_URL/$COLLECTION"
}

stop_one() {
    local name=$1 pid
    running "$name" || { rm -f "$(pid_file "$name")"; return 0; }
    pid=$(cat "$(pid_file "$name")")
    kill "$pid"
    wait_for 60 "$name to stop" bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
    rm -f "$(pid_file "$name")"
}

stop() {
    local i
    stop_one haproxy
    for ((i = NODES; i >= 1; i--)); do stop_one "node$i"; done
    for ((i = ZK_NODES; i >= 1; i--)); do stop_one "zk$i"; done
    echo "SolrCloud stopped"
}

kill_node() {
    local n=${1:?node number}
    running "node$n" || fail "Solr node $n is not running"
    kill -9 "$(cat "$(pid_file "node$n")")"
    rm -f "$(pid_file "node$n")"
    echo "Solr node $n killed"
}

status() {
    local answer
    answer=$(collections_api "action=CLUSTERSTATUS&collection=$COLLECTION" 2>/dev/null) ||
        answer=$(curl -sf "$LB_URL/admin/collections?wt=json&action=CLUSTERSTATUS&collection=$COLLECTION") ||
        { echo "SolrCloud: not running"; return 1; }
    CLUSTER_STATUS="$answer" "$VENV/bin/python" - "$COLLECTION" <<'PY'
import json, os, sys

state = json.loads(os.environ["CLUSTER_STATUS"])["cluster"]
print("live nodes:", " ".join(sorted(state["live_nodes"])))
for name, shard in sorted(state["collections"][sys.argv[1]]["shards"].items()):
    replicas = [
        f"{replica['node_name']} {replica['state']}" + (" (leader)" if replica.get("leader") == "true" else "")
        for replica in shard["replicas"].values()
    ]
    print(f"{name}: {', '.join(replicas)}")
PY
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    url) echo "$LB_URL/$COLLECTION" ;;
    kill-node) kill_node "${2:-}" ;;
    *) echo "usage: $0 start|stop|status|url|kill-node N" >&2; exit 2 ;;
esac
