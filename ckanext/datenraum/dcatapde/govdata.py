"""The GovData feed: what this catalogue delivers to GovData, and why the rest stays out.

GovData identifies a dataset by its URI across all its harvest sources and folds datasets with the
same ``dct:identifier`` into one: a partner's dataset that we re-publish is taken over by
whichever source GovData harvests last. So the feed delivers the city's own datasets and leaves
partners' datasets to the partners, however they came in (decision 0110). In order:

1. private datasets and datasets without a distribution stay out;
2. a harvest source or an organisation on an exclude list keeps its datasets out
   (``govdata.exclude_harvest_sources``, ``govdata.exclude_organizations``);
3. a harvest source or an organisation on an include list delivers its datasets, partners'
   included (``govdata.include_harvest_sources``, ``govdata.include_organizations``);
4. otherwise partners' datasets stay out: harvested ones, and any whose URI lies outside this
   catalogue's own namespaces (``govdata.own_uri_prefixes`` and ``ckan.site_url``), which is what
   ``ckan datenraum import`` of a partner's file gives;
5. every other dataset is delivered.

The rule is applied as Solr filter queries at request time (a changed list needs no re-index);
the index carries each dataset's harvest source and URI (``before_dataset_index``).
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

HARVEST_SOURCE_ID = "datenraum_harvest_source_id"
HARVEST_SOURCE_NAME = "datenraum_harvest_source_name"
DATASET_URI = "datenraum_uri"
OPTION = "ckanext.datenraum.dcatapde.govdata."
EXAMPLES = 5


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _any_of(fields: tuple[str, ...], values: list[str]) -> str | None:
    if not values:
        return None
    alternatives = " OR ".join(_quoted(value) for value in values)
    return " OR ".join(f"{field}:({alternatives})" for field in fields)


def _not(query: str) -> str:
    return f"(*:* -({query}))"


def _prefix_query(prefix: str) -> str:
    escaped = "".join("\\" + ch if not ch.isalnum() else ch for ch in prefix)
    return f"{DATASET_URI}:{escaped}*"


def own_uri_prefixes() -> list[str]:
    prefixes = [tk.config.get("ckan.site_url").rstrip("/") + "/"]
    return prefixes + [p for p in tk.config.get(OPTION + "own_uri_prefixes") if p]


def _sources(kind: str) -> str | None:
    return _any_of((HARVEST_SOURCE_ID, HARVEST_SOURCE_NAME), tk.config.get(OPTION + kind))


def _organizations(kind: str) -> str | None:
    return _any_of(("owner_org", "organization"), tk.config.get(OPTION + kind))


def _partner() -> str:
    """Harvested, or under a URI outside this catalogue's namespaces."""
    own = " OR ".join(_prefix_query(prefix) for prefix in own_uri_prefixes())
    return f"{HARVEST_SOURCE_ID}:[* TO *] OR ({DATASET_URI}:[* TO *] -({own}))"


def reasons() -> list[tuple[str, str, str]]:
    """(key, explanation, filter query) of each reason to leave a dataset out, in the order of
    the rule: a dataset counts under the first that matches."""
    rules = [
        ("private", "private dataset", "capacity:private"),
        ("no_distribution", "no distribution", "num_resources:0"),
    ]
    excluded_sources = _sources("exclude_harvest_sources")
    excluded_orgs = _organizations("exclude_organizations")
    if excluded_sources:
        rules.append(("excluded_source", "harvest source on the exclude list", excluded_sources))
    if excluded_orgs:
        rules.append(("excluded_organization", "organisation on the exclude list", excluded_orgs))
    included = [
        query
        for query in (_sources("include_harvest_sources"), _organizations("include_organizations"))
        if query
    ]
    partner = _partner()
    if included:
        partner = f"({partner}) -({' OR '.join(included)})"
    harvested = f"({partner}) AND {HARVEST_SOURCE_ID}:[* TO *]"
    rules.append(("harvested", "partner dataset, harvested", harvested))
    rules.append(("partner_uri", "partner dataset, URI outside this catalogue", partner))
    return rules


def feed_filters() -> list[str]:
    """Solr filter queries of the feed, from the configuration at call time."""
    return [_not(query) for _, _, query in reasons()]


def feed_report(context: dict) -> dict:
    """How many datasets the feed holds, and how many stay out for which reason (with a few
    names each)."""
    search = tk.get_action("package_search")
    base = {"include_private": True, "rows": 0, "fq_list": ["-dataset_type:harvest"]}
    total = search(dict(context), dict(base, q="*:*"))["count"]
    left_out, earlier = [], []
    for key, explanation, query in reasons():
        fq_list = [*base["fq_list"], f"({query})", *(_not(q) for q in earlier)]
        found = search(
            dict(context),
            dict(base, q="*:*", fq_list=fq_list, rows=EXAMPLES, fl="name", sort="name asc"),
        )
        left_out.append(
            {
                "reason": key,
                "explanation": explanation,
                "count": found["count"],
                "examples": [d["name"] for d in found["results"]],
            }
        )
        earlier.append(query)
    delivered = total - sum(item["count"] for item in left_out)
    return {"datasets": total, "delivered": delivered, "left_out": left_out}


def add_index_fields(pkg_dict: dict) -> dict:
    """Index the dataset's URI and, if harvested, its harvest source (id and name)."""
    uri = pkg_dict.get("uri") or pkg_dict.get("extras_uri")
    if uri:
        pkg_dict[DATASET_URI] = uri
    try:
        from ckanext.harvest.model import HarvestObject, HarvestSource
    except ImportError:  # harvesting not installed: nothing was harvested
        return pkg_dict
    row = (
        model.Session.query(HarvestSource.id, model.Package.name)
        .join(HarvestObject, HarvestObject.harvest_source_id == HarvestSource.id)
        .outerjoin(model.Package, model.Package.id == HarvestSource.id)
        .filter(HarvestObject.package_id == pkg_dict["id"], HarvestObject.current.is_(True))
        .first()
    )
    if row is not None:
        pkg_dict[HARVEST_SOURCE_ID], pkg_dict[HARVEST_SOURCE_NAME] = row
    return pkg_dict
