#!/usr/bin/env bash
# Renders ckan.ini (git-ignored) from ckan.ini.template; the secret key is generated once
# and kept in var/secret_key, so re-rendering after a template change keeps sessions valid.
# Ports and paths come from scripts/lib.sh (PG_PORT, REDIS_PORT, SOLR_PORT, HOST, PORT), so a
# second checkout with its own ports gets a ckan.ini that points at its own services.
source "$(dirname "$0")/lib.sh"

key_file="$VAR/secret_key"
if [[ ! -s "$key_file" ]]; then
    (umask 077; "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$key_file")
fi
sed -e "s|@ROOT@|$ROOT|g" -e "s|@VAR@|$VAR|g" -e "s|@SECRET_KEY@|$(cat "$key_file")|g" \
    -e "s|@PG_PORT@|$PG_PORT|g" -e "s|@REDIS_PORT@|$REDIS_PORT|g" -e "s|@SOLR_PORT@|$SOLR_PORT|g" \
    -e "s|@HOST@|$WEB_HOST|g" -e "s|@PORT@|$WEB_PORT|g" \
    "$ROOT/ckan.ini.template" >"$ROOT/ckan.ini"
chmod 600 "$ROOT/ckan.ini"
echo "rendered ckan.ini"
