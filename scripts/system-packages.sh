#!/usr/bin/env bash
# Installs the Debian packages the stack needs, once: a second run only checks.
source "$(dirname "$0")/lib.sh"

PACKAGES=(
    postgresql-15 postgresql-client-15   # database
    redis-server redis-tools             # cache, harvest queue, usage buffer
    openjdk-17-jdk-headless maven        # embedded Solr (Maven module in solr/)
    haproxy                              # load balancer in front of SolrCloud (scripts/solrcloud.sh)
    libpq-dev libmagic1 curl             # psycopg2 build, python-magic, readiness checks
    openssl                              # self-signed certificate of the TLS pinning test
    chromium chromium-driver fonts-dejavu-core  # headless browser tests (Selenium drives chromedriver)
    openthesaurus-de-text trans-de-en    # search synonyms: OpenThesaurus, ding English-German
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

say "Installing Debian packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
# Package scripts must not start services behind our back; we start them ourselves.
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOG_DIR/apt.log" 2>&1 \
    || { tail -20 "$LOG_DIR/apt.log" >&2; fail "apt-get install failed (log: $LOG_DIR/apt.log)"; }
