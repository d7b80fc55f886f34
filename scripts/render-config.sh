#!/usr/bin/env bash
# Renders ckan.ini (git-ignored) from ckan.ini.template; the secret key is generated once
# and kept in var/secret_key, so re-rendering after a template change keeps sessions valid.
source "$(dirname "$0")/lib.sh"

key_file="$VAR/secret_key"
if [[ ! -s "$key_file" ]]; then
    (umask 077; "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$key_file")
fi
sed -e "s|@ROOT@|$ROOT|g" -e "s|@SECRET_KEY@|$(cat "$key_file")|g" \
    "$ROOT/ckan.ini.template" >"$ROOT/ckan.ini"
chmod 600 "$ROOT/ckan.ini"
echo "rendered ckan.ini"
