"""Turns a finished request into at most one buffered event (Flask ``after_request``).

Counted: dataset pages, resource downloads (uploads and the tracked link for external URLs), API
actions, first pages of dataset searches and searches with words on an organisation's page (which
are filtered by that organisation, so they count for its dashboard). Nothing about the client is
kept but its class (person or machine) and, for people who did not opt out (DNT / Sec-GPC), the
daily pseudonym.
"""

from __future__ import annotations

import functools
import logging

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from flask import g, request

from ckanext.datenraum.common import pseudonym
from ckanext.datenraum.usage import buffer, clients, config, personal_data, privacy, public_terms

log = logging.getLogger(__name__)

# With ckanext.dcat.enable_content_negotiation, ckanext-dcat serves /dataset/<_id> (and
# /dataset/<_id>.<format>) itself: only its HTML answers are page views.
DATASET_READ_ENDPOINTS = frozenset({"dataset.read", "dcat.read_dataset"})
DOWNLOAD_ENDPOINTS = frozenset({"resource.download", "dataset_resource.download"})
TRACKED_LINK_ENDPOINT = "datenraum_usage.go"
SEARCH_ENDPOINT = "dataset.search"
ORGANIZATION_READ_ENDPOINT = "organization.read"
PAGE_SEARCH_ENDPOINTS = frozenset({SEARCH_ENDPOINT, ORGANIZATION_READ_ENDPOINT})
API_ENDPOINT = "api.action"
SEARCH_STASH = "datenraum_usage_search"
# Request arguments of the search page that are not filters.
NON_FILTER_ARGS = frozenset({"q", "sort", "page", "ext_bbox", "ext_prev_extent"})


@functools.cache
def _redis():
    """One client per process: building a redis-py client costs more than the round trip."""
    return connect_to_redis()


def remember_search(search_results: dict, search_params: dict) -> None:
    """IPackageController.after_dataset_search: keep the first result count of the request."""
    try:
        if not hasattr(g, SEARCH_STASH):
            setattr(g, SEARCH_STASH, int(search_results.get("count") or 0))
    except RuntimeError:  # no request context (CLI, background job)
        pass


def opted_out() -> bool:
    return request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"


def client_address() -> str:
    return pseudonym.client_address(request, config.trusted_proxy_hops())


def _visitor(client: str) -> str:
    if client != clients.HUMAN:
        return ""
    if opted_out():
        return "-"
    salt = privacy.daily_salt(_redis(), config.today())
    return privacy.visitor_pseudonym(salt, client_address(), request.user_agent.string or "")


def _searcher(visitor: str) -> str:
    """The network pseudonym of a counted person ('' for machines and people who opted out)."""
    if visitor in ("", "-"):
        return ""
    salt = privacy.daily_salt(_redis(), config.today())
    return public_terms.searcher_pseudonym(salt, client_address())


def _api_action(status: int) -> str | None:
    action = (request.view_args or {}).get("logic_function") or ""
    if status == 404 or not action:
        return None
    try:
        tk.get_action(action)
    except (KeyError, AttributeError):
        return None  # unknown names are not worth a row (and could flood the table)
    return action


def _search_filters() -> str:
    if request.endpoint in PAGE_SEARCH_ENDPOINTS:
        pairs = [
            f"{key}:{value}"
            for key, values in request.args.lists()
            if key not in NON_FILTER_ARGS and not key.startswith("_")
            for value in values
        ]
        if request.endpoint == ORGANIZATION_READ_ENDPOINT:
            pairs.append(f"organization:{(request.view_args or {}).get('id', '')}")
        filters = " ".join(sorted(pairs))
    else:
        filters = str(_api_params().get("fq") or "")
    if not filters:
        return ""
    return personal_data.safe_term(filters, config.name_allowlist(), keep_case=True)


def _api_params() -> dict:
    if request.method == "POST":
        return request.get_json(silent=True) or {}
    return request.args


def _search_event(client: str, visitor: str) -> list | None:
    if request.args.get("page", "1") not in ("", "1"):
        return None  # turning pages is not a new search
    count = getattr(g, SEARCH_STASH, None)
    if count is None:
        return None
    params = request.args if request.endpoint in PAGE_SEARCH_ENDPOINTS else _api_params()
    term = personal_data.safe_term(str(params.get("q") or ""), config.name_allowlist())
    return [buffer.SEARCH, client, visitor, term, _search_filters(), count, _searcher(visitor)]


def _has_words() -> bool:
    return bool(str(request.args.get("q") or "").strip())


def events_for_request(status: int, mimetype: str = "text/html") -> list[list]:
    endpoint = request.endpoint or ""
    if request.method not in ("GET", "POST") or status >= 400:
        return []
    view_args = request.view_args or {}
    if endpoint == API_ENDPOINT:
        action = _api_action(status)
        if action is None:
            return []
        events = [[buffer.API, clients.MACHINE, "", action]]
        if action == "package_search":
            events.append(_search_event(clients.MACHINE, ""))
        return [event for event in events if event]
    if request.method != "GET":
        return []
    client = clients.client_class(request.user_agent.string or "", api=False)
    if endpoint in DATASET_READ_ENDPOINTS and status == 200 and mimetype == "text/html":
        dataset_ref = view_args.get("id") or view_args.get("_id", "")
        return [[buffer.VIEW, client, _visitor(client), dataset_ref]]
    if endpoint in DOWNLOAD_ENDPOINTS or endpoint == TRACKED_LINK_ENDPOINT:
        dataset_ref, resource_id = view_args.get("id", ""), view_args.get("resource_id", "")
        return [[buffer.DOWNLOAD, client, _visitor(client), dataset_ref, resource_id]]
    if endpoint == SEARCH_ENDPOINT and status == 200:
        event = _search_event(client, _visitor(client))
        return [event] if event else []
    if endpoint == ORGANIZATION_READ_ENDPOINT and status == 200 and _has_words():
        # Opening an organisation's page is not a search; typing words in its search box is.
        event = _search_event(client, _visitor(client))
        return [event] if event else []
    return []


def record_response(response):
    """Flask ``after_request`` hook: buffer the request's events; never breaks the response."""
    try:
        events = events_for_request(response.status_code, response.mimetype)
        if events:
            buffer.push(_redis(), config.today(), events)
    except Exception:  # counting must never cost a visitor their page
        log.exception("usage event not recorded")
    return response
