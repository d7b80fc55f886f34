#!/usr/bin/env bash
# Creates .venv and installs the distribution with its pinned requirements.
# Re-runs pip only when a requirements file or setup.py changed.
source "$(dirname "$0")/lib.sh"

if [[ ! -x "$VENV/bin/python" ]]; then
    say "Creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.installed-$(cat "$ROOT/requirements.txt" "$ROOT/dev-requirements.txt" "$ROOT/setup.py" | sha256sum | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
    say "Installing Python requirements (log: $LOG_DIR/pip.log)"
    {
        "$VENV/bin/pip" install --upgrade pip wheel setuptools
        "$VENV/bin/pip" install -r "$ROOT/requirements.txt" -r "$ROOT/dev-requirements.txt"
        "$VENV/bin/pip" install --no-deps --config-settings editable_mode=compat -e "$ROOT"
        # ckanext-xloader and ckanext-geoview ship a ckanext/__init__.py (pkg_resources-style
        # namespace, dead without pkg_resources): it would turn `ckanext` into a regular package
        # that hides this checkout's ckanext/datenraum. Without it `ckanext` stays a namespace.
        rm -f "$VENV"/lib/python3*/site-packages/ckanext/__init__.py
    } >"$LOG_DIR/pip.log" 2>&1 || { tail -30 "$LOG_DIR/pip.log" >&2; fail "pip install failed"; }
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi

# Translations are compiled on every setup: cheap, and .mo files are never committed.
"$VENV/bin/python" "$ROOT/scripts/compile_translations.py"
