"""Refuses requests whose data no action or page could handle (Flask ``before_request``).

- Any page or API call: a NUL in the path, a query parameter or a form field. No legitimate
  request has one, and PostgreSQL refuses it with an exception (HTTP 500).
- The action API: a lone surrogate in any parameter (JSON allows ``"\\ud800"``; nothing can
  encode it), and a JSON body nested deeper than ``limits.JSON_DEPTH`` (the parser's
  RecursionError). Answered like CKAN's own API errors: 409 with the field for a parameter,
  400 for a body that cannot be read.
"""

from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
from flask import jsonify, request

from ckanext.datenraum.common import limits
from ckanext.datenraum.guard import checks, messages

API_ENDPOINT = "api.action"


def _has_nul(values) -> str | None:
    for name, value in values:
        if "\x00" in name or "\x00" in value:
            return name
    return None


def _api_answer(status: int, error: dict):
    response = jsonify({"success": False, "error": error})
    response.status_code = status
    return response


def _too_deep():
    error = {"__type": "Bad request", "message": messages.nesting_message(limits.JSON_DEPTH)}
    return _api_answer(400, error)


def _api_parameters():
    """The action's parameters as CKAN will read them, or a 400 answer when nested too deeply."""
    if request.method == "GET":
        return request.args.to_dict(flat=False), None
    raw = b"" if request.mimetype == "multipart/form-data" else request.get_data(cache=True)
    if raw:
        if limits.json_depth_exceeds(raw, limits.JSON_DEPTH):
            error = {
                "__type": "Bad request",
                "message": messages.nesting_message(limits.JSON_DEPTH),
            }
            return None, _api_answer(400, error)
        try:
            return json.loads(raw), None
        except ValueError:
            pass  # a form post, or JSON that CKAN itself will refuse with a 400
    form = request.form.to_dict(flat=False)
    for key in form:  # CKAN also reads a JSON document sent as the only form key
        if limits.json_depth_exceeds(key, limits.JSON_DEPTH):
            error = {
                "__type": "Bad request",
                "message": messages.nesting_message(limits.JSON_DEPTH),
            }
            return None, _api_answer(400, error)
    return {**request.args.to_dict(flat=False), **form}, None


def _check_api_call():
    data, refusal = _api_parameters()
    if refusal is not None:
        return refusal
    errors = checks.find_problems(data, messages.problem_message, only=checks.unparseable)
    if errors:
        return _api_answer(409, {"__type": "Validation Error", **errors})
    return None


def refuse_unusable_requests():
    """Flask ``before_request``: None lets the request through; otherwise the refusal."""
    if "\x00" in request.path:
        return tk.abort(400, tk._("The address contains a character that is not allowed"))
    if request.endpoint == API_ENDPOINT:
        return _check_api_call()
    field = _has_nul(request.args.items(multi=True)) or (
        _has_nul(request.form.items(multi=True)) if request.method == "POST" else None
    )
    if field is not None:
        return tk.abort(
            400,
            tk._("The field {field} contains a character that is not allowed").format(
                field=field.replace("\x00", "")
            ),
        )
    return None
