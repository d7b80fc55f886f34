"""GovData's harvester and plain ckanext-dcat import the whole feed, every field intact.

One harvest per client and test session (``conftest.py``); each test reads what the client
stored. ``fields.py`` says, field by field, what each client must hold and what it cannot.
"""

from __future__ import annotations

import pathlib

import pytest
import yaml

from tests.govdata import content, report
from tests.govdata.fields import (
    ANY,
    DATASET_CHECKS,
    GOVDATA,
    LEFT_OUT,
    PLAIN,
    RESOURCE_CHECKS,
)

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = {GOVDATA: "govdata", PLAIN: "plain_dcat"}


def _given(catalogue, client: str) -> list[dict]:
    """What the client harvests: the GovData feed, or the whole catalogue (/catalog.ttl)."""
    return catalogue.feed if client == GOVDATA else catalogue.datasets


def _pairs(request, catalogue, client: str) -> list:
    """(ours, theirs) for every dataset the client was given, matched by the dataset URI."""
    stored = request.getfixturevalue(FIXTURES[client]).by_uri()
    pairs = []
    for dataset in _given(catalogue, client):
        ours = catalogue.ours(dataset)
        pairs.append((ours, stored.get(ours.uri)))
    return pairs


@pytest.mark.parametrize("client", [GOVDATA, PLAIN])
def test_client_imports_every_dataset_it_is_given(request, catalogue, client):
    harvest = request.getfixturevalue(FIXTURES[client])

    pairs = _pairs(request, catalogue, client)
    missing = [o["name"] for o, theirs in pairs if theirs is None]
    report.DATASET_COUNTS[client] = (len(pairs) - len(missing), len(pairs))

    assert harvest.report["gather_errors"] == []
    assert harvest.report["object_errors"] == {}
    assert missing == []
    assert len(harvest.datasets) == len(_given(catalogue, client)) > 300


def test_govdata_gets_none_of_the_datasets_the_feed_leaves_out(catalogue, govdata):
    held = set(govdata.by_uri())
    left_out = [d for d in catalogue.datasets if d not in catalogue.feed]

    assert [d["name"] for d in left_out] == [content.FOREIGN_NAME]
    assert catalogue.ours(left_out[0]).uri not in held


def _check_ids(checks):
    return [f"{client}-{check.field}" for check in checks for client in check.clients]


def _params(checks):
    return [(client, check) for check in checks for client in check.clients]


@pytest.mark.parametrize(
    ("client", "check"), _params(DATASET_CHECKS), ids=_check_ids(DATASET_CHECKS)
)
def test_client_holds_each_dataset_value(request, catalogue, client, check):
    wrong, filled, kept = [], 0, 0
    for ours, theirs in _pairs(request, catalogue, client):
        if theirs is None:
            continue  # counted by test_client_imports_every_dataset_it_is_given
        expected, held = check.expected(ours, client), check.stored(theirs, client)
        filled += _filled(expected)
        if expected != held:
            wrong.append((ours["name"], expected, held))
        else:
            kept += _filled(expected)
    report.FIELD_COUNTS[client, check.field] = (kept, filled)

    assert wrong == []
    assert filled, "no dataset of the test content has a value here: the check proves nothing"


def _filled(expected) -> bool:
    return expected is not ANY and expected is not None and expected != set()


@pytest.mark.parametrize(
    ("client", "check"), _params(RESOURCE_CHECKS), ids=_check_ids(RESOURCE_CHECKS)
)
def test_client_holds_each_distribution_value(request, catalogue, client, check):
    wrong, filled, kept = [], 0, 0
    for ours, theirs in _pairs(request, catalogue, client):
        if theirs is None:
            continue
        held = {resource.get("uri"): resource for resource in theirs.get("resources", [])}
        for resource in ours["resources"] or []:
            stored = held.get(ours.resource_uri(resource))
            if stored is None:
                wrong.append((ours["name"], resource.get("url"), "distribution missing"))
                continue
            expected = check.expected(ours, resource, client)
            got = check.stored(theirs, stored, client)
            filled += _filled(expected)
            if expected != got:
                wrong.append((ours["name"], resource.get("url"), expected, got))
            else:
                kept += _filled(expected)
    report.FIELD_COUNTS[client, check.field] = (kept, filled)

    assert wrong == []
    assert filled, "no distribution of the test content has a value here"


def _schema_fields() -> list[str]:
    schema = yaml.safe_load((REPO_ROOT / "schemas" / "dataset.yaml").read_text(encoding="utf-8"))
    names = []
    for prefix, fields in (
        ("", schema["dataset_fields"]),
        ("resources.", schema["resource_fields"]),
    ):
        for field in fields:
            names.append(prefix + field["field_name"])
            names += [
                f"{prefix}{field['field_name']}.{sub['field_name']}"
                for sub in field.get("repeating_subfields", [])
            ]
    return names


@pytest.mark.parametrize("client", [GOVDATA, PLAIN])
def test_every_schema_field_is_accounted_for(client):
    """Each field is checked for the client, or left out with a reason (decision 0113)."""
    checked = {
        c.field.split(" ")[0] for c in DATASET_CHECKS + RESOURCE_CHECKS if client in c.clients
    }
    left_out = {field.split(" ")[0] for field, who in LEFT_OUT if client in who}
    unaccounted = [
        field
        for field in _schema_fields()
        if field not in checked
        and field not in left_out
        and field.split(".")[0] not in left_out
        and not any(f.startswith(field + ".") for f in checked)
    ]

    assert unaccounted == []
