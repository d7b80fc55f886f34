# Shared settings for the project's scripts; sourced, never run.
# Every path is under the checkout so several clones can live side by side.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VAR="${DATENRAUM_VAR:-$ROOT/var}"
LOG_DIR="$VAR/log"
RUN_DIR="$VAR/run"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

PG_VERSION=15
PG_CLUSTER=main
PG_PORT="${PG_PORT:-5432}"
PG_USER=ckan
PG_PASSWORD=ckan        # loopback-only development role, not a secret
PG_DATABASES="${PG_DATABASES:-ckan_dev ckan_test ckan_test_peer}"

REDIS_PORT="${REDIS_PORT:-6379}"

SOLR_PORT="${SOLR_PORT:-8983}"
SOLR_HOME="${SOLR_HOME:-$VAR/solr}"
SOLR_CORES="${SOLR_CORES:-ckan ckan_test ckan_test_peer}"
SOLR_HEAP="${SOLR_HEAP:-512m}"

# The web server of `make run` / `make dev` (Makefile: HOST, PORT).
WEB_HOST="${HOST:-127.0.0.1}"
WEB_PORT="${PORT:-5000}"

mkdir -p "$LOG_DIR" "$RUN_DIR"

say()  { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# wait_for SECONDS DESCRIPTION COMMAND...: poll COMMAND every 0.2 s until it succeeds.
wait_for() {
    local timeout=$1 what=$2; shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if (( SECONDS >= deadline )); then
            return 1
        fi
        sleep 0.2
    done
}

# elapsed START_NANOS: seconds since START_NANOS with one decimal.
elapsed() { awk -v s="$1" -v e="$(date +%s%N)" 'BEGIN { printf "%.1f", (e - s) / 1e9 }'; }
