#!/usr/bin/env bash
# PostgreSQL, Redis and Solr for development and tests, all on 127.0.0.1.
# usage: scripts/services.sh up|down|status
source "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"

case "${1:-}" in
    up)
        "$here/postgres.sh" start
        "$here/redis.sh" start
        "$here/solr.sh" start
        ;;
    down)
        "$here/solr.sh" stop
        "$here/redis.sh" stop
        "$here/postgres.sh" stop
        ;;
    status)
        rc=0
        for service in postgres redis solr; do "$here/$service.sh" status || rc=1; done
        exit $rc
        ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
