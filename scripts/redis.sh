#!/usr/bin/env bash
# Redis from Debian's package, on 127.0.0.1:$REDIS_PORT, data and logs under var/.
# usage: scripts/redis.sh start|stop|status
source "$(dirname "$0")/lib.sh"

PID_FILE="$RUN_DIR/redis-$REDIS_PORT.pid"
DATA_DIR="$VAR/redis"

ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start() {
    command -v redis-server >/dev/null || fail "Redis is not installed (run scripts/system-packages.sh)"
    if ready; then
        echo "Redis already running on 127.0.0.1:$REDIS_PORT"
        return 0
    fi
    mkdir -p "$DATA_DIR"
    local started
    started=$(date +%s%N)
    say "Starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
        --dir "$DATA_DIR" --pidfile "$PID_FILE" --logfile "$LOG_DIR/redis.log" \
        --save 60 1 --appendonly no || fail "redis-server did not start (log: $LOG_DIR/redis.log)"
    wait_for 30 "Redis" ready || { tail -20 "$LOG_DIR/redis.log" >&2; fail "Redis does not answer PING"; }
    echo "Redis ready in $(elapsed "$started") s"
}

stop() {
    if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || kill "$(cat "$PID_FILE")"
        echo "Redis stopped"
    fi
    rm -f "$PID_FILE"
}

status() {
    if ready; then echo "Redis: running on 127.0.0.1:$REDIS_PORT"; else echo "Redis: not running"; return 1; fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
