"""CKAN action-API harvester on ckanext-harvest's ``CKANHarvester``.

Upstream asks only for datasets modified since the last run, so it can never notice a dataset
removed at the partner, and it pages by the rows it asked for: a portal whose
``ckan.search.rows_max`` is lower silently loses records. We list the partner's whole catalogue
every run through ``package_search``, advancing by the rows actually received, until the count
the partner reports is reached, with a page and a record cap; skip unchanged datasets by
fingerprint, withdraw removed ones (behind the guard) and map their fields into our schema.
DKAN's CKAN-compatible API, which answers with a plain list, is read too.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from ckanext.harvest.harvesters.ckanharvester import CKANHarvester

from ckanext.datenraum.common.http import fetch
from ckanext.datenraum.harvest.extract.ckan import extract_package
from ckanext.datenraum.harvest.harvesters.base import (
    CollectFailed,
    DatenraumHarvesterMixin,
    ItemProblem,
    make_item,
)
from ckanext.datenraum.harvest.mapping import dataset_from_record

SEARCH_PATH = "/api/3/action/package_search"
DEFAULT_ROWS = 100
MAX_PAGES = 1000
MAX_RECORDS = 50_000


class DatenraumCKANHarvester(DatenraumHarvesterMixin, CKANHarvester):
    NAME = "datenraum_ckan"
    TITLE = "CKAN (Action API)"
    DESCRIPTION = "Other CKAN portals through their action API, with withdrawal of removed datasets"

    def collect(self, harvest_job, config, policy):
        options = config.get("mapping") or {}
        base_url = harvest_job.source.url.rstrip("/")
        organizations = options.get("organizations") or []
        fq = " OR ".join(f"organization:{org}" for org in organizations) or None
        default_licence = options.get("default_license")
        for package in search_all(base_url, fq, policy, options):
            if not isinstance(package, dict):
                yield ItemProblem(None, f"unreadable dataset: {type(package).__name__}")
                continue
            if str(package.get("type") or "dataset").lower() != "dataset":
                continue
            guid = package.get("id") or package.get("name")
            if not isinstance(guid, str) or not guid:
                yield ItemProblem(None, "dataset without id or name")
                continue
            try:
                record = extract_package(package, base_url)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                yield ItemProblem(guid, f"unreadable dataset: {error}")
                continue
            yield make_item(
                dataset_from_record(record, default_licence=default_licence), guid, config
            )


def search_all(base_url: str, fq: str | None, policy, options: dict):
    """Every package dict ``package_search`` lists, page by page (``CollectFailed`` when the
    partner's answers cannot be read or exceed the caps)."""
    rows = int(options.get("rows") or DEFAULT_ROWS)
    max_pages = int(options.get("max_pages") or MAX_PAGES)
    max_records = int(options.get("max_records") or MAX_RECORDS)
    start, seen, pages = 0, set(), 0
    while True:
        pages += 1
        if pages > max_pages:
            raise CollectFailed(f"more than {max_pages} package_search pages; paging stopped")
        params = {"rows": rows, "start": start, "sort": "id asc"}
        if fq:
            params["fq"] = fq
        results, count = _search_page(f"{base_url}{SEARCH_PATH}?{urlencode(params)}", policy)
        new = [p for p in results if not isinstance(p, dict) or _key(p) not in seen]
        seen.update(_key(p) for p in results if isinstance(p, dict))
        if len(seen) > max_records:
            raise CollectFailed(f"more than {max_records} datasets; harvest stopped")
        yield from new
        start += len(results)
        if count is None or not results or not new or start >= count:
            return


def _search_page(url: str, policy) -> tuple[list, int | None]:
    """(results, count) of one answer; a DKAN-style list answer has no count (one page)."""
    try:
        answer = json.loads(fetch(url, policy).content)
    except (ValueError, RecursionError) as error:
        raise CollectFailed(f"{url} did not answer with JSON ({type(error).__name__})") from None
    result = answer.get("result") if isinstance(answer, dict) else None
    if isinstance(result, list):
        return result, None
    if not isinstance(result, dict) or not isinstance(result.get("results"), list):
        raise CollectFailed(f"{url} is not a package_search answer (no result/results list)")
    count = result.get("count")
    return result["results"], count if isinstance(count, int) and count >= 0 else None


def _key(package: dict) -> str:
    return str(package.get("id") or package.get("name"))
