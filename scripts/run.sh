#!/usr/bin/env bash
# The production process set in the foreground under supervisor (`make run`): gunicorn, the
# harvest gather consumer and FETCH_CONSUMERS fetch consumers, `ckan jobs worker` and the
# scheduler, each logging to var/log/<process>.log. Ctrl-C (or SIGTERM) stops them all.
# usage: scripts/run.sh [CKAN_CONFIG]   (default ckan.ini; env: HOST, PORT, WEB_WORKERS,
#        FETCH_CONSUMERS; WEB_WORKERS empty = 2 x CPU cores + 1)
source "$(dirname "$0")/lib.sh"

ini="$(realpath "${1:-$ROOT/ckan.ini}")"
conf="$RUN_DIR/supervisord.conf"
socket="$RUN_DIR/supervisor.sock"
health="http://$WEB_HOST:$WEB_PORT/health"

[[ -f "$ini" ]] || fail "no CKAN configuration $ini (make ckan.ini renders it)"
if [[ -S "$socket" ]] && "$VENV/bin/supervisorctl" -c "$conf" pid >/dev/null 2>&1; then
    fail "the process set already runs (supervisor socket $socket); stop it first"
fi
if curl -s -o /dev/null "http://$WEB_HOST:$WEB_PORT/"; then
    fail "port $WEB_PORT is taken; set PORT"
fi

workers=()
[[ -n "${WEB_WORKERS:-}" ]] && workers=(--web-workers "$WEB_WORKERS")
"$VENV/bin/python" -m ckanext.datenraum.ops.processes --ini "$ini" --venv "$VENV" \
    --workdir "$ROOT" --bind "$WEB_HOST:$WEB_PORT" "${workers[@]}" \
    --fetch-consumers "${FETCH_CONSUMERS:-2}" \
    supervisor --log-dir "$LOG_DIR" --run-dir "$RUN_DIR" --output "$conf"

"$VENV/bin/supervisord" -c "$conf" &
supervisor_pid=$!
# supervisord puts each process into its own process group; it stops them all on TERM/INT.
stop() {
    echo
    say "Stopping the process set"
    kill -TERM "$supervisor_pid" 2>/dev/null || true
}
trap stop INT TERM

say "Starting the process set (logs: $LOG_DIR/{web,harvest-gather,harvest-fetch-N,jobs,scheduler}.log)"
up() {
    kill -0 "$supervisor_pid" 2>/dev/null || return 2
    curl -sf -o /dev/null "$health" || return 1
    # every process RUNNING (supervisorctl exits non-zero while one is STARTING or down)
    "$VENV/bin/supervisorctl" -c "$conf" status >/dev/null 2>&1
}
deadline=$((SECONDS + 300))
until up; do
    rc=$?
    if (( rc == 2 || SECONDS >= deadline )); then break; fi
    sleep 1
done
if ! up; then
    "$VENV/bin/supervisorctl" -c "$conf" status || true
    tail -20 "$LOG_DIR/web.log" >&2 || true
    stop
    wait "$supervisor_pid" || true
    fail "the web server did not answer $health"
fi
"$VENV/bin/ckan" -c "$ini" datenraum doctor || true
say "Serving the catalogue at http://$WEB_HOST:$WEB_PORT (German: /de/, English: /en/); Ctrl-C stops"
# `wait` returns early when a trapped signal arrives: wait again until supervisord has exited.
while kill -0 "$supervisor_pid" 2>/dev/null; do
    wait "$supervisor_pid" || true
done
echo "process set stopped"
