"""Managers see DCAT-AP.de violations: action, dataset page and `ckan datenraum validate`."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.datenraum.dcatapde import export, rdf_cache, validation

from .dcatapde_factories import CONTRIBUTOR, create_dataset, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def editor_with_datasets():
    """A good dataset and one whose organisation lost its default contributor ID."""
    user = factories.User()
    good_org = organization(users=[{"name": user["name"], "capacity": "editor"}])
    bad_org = organization(users=[{"name": user["name"], "capacity": "editor"}])
    good = create_dataset(user["name"], good_org["id"], name="gut")
    bad = create_dataset(user["name"], bad_org["id"], name="ohne-bereitsteller")
    sysadmin = factories.Sysadmin()
    call_action(
        "organization_patch", {"user": sysadmin["name"]}, id=bad_org["id"], contributor_id=""
    )
    return user, good, bad


def test_action_reports_no_violation_for_a_complete_dataset(editor_with_datasets):
    user, good, _bad = editor_with_datasets

    report = call_action("datenraum_dataset_validate", {"user": user["name"]}, id=good["id"])

    assert report["dataset"] == "gut"
    assert report["violations"] == []


def test_action_reports_the_missing_contributor_with_its_field(editor_with_datasets):
    user, _good, bad = editor_with_datasets

    report = call_action("datenraum_dataset_validate", {"user": user["name"]}, id=bad["id"])

    fields = {violation["field"] for violation in report["violations"]}
    assert "contributor_id" in fields
    assert all(v["message"] and v["message_en"] for v in report["violations"])


def test_only_editors_may_validate(editor_with_datasets):
    _user, good, _bad = editor_with_datasets
    stranger = factories.User()

    with pytest.raises(Exception, match="Only editors"):
        call_action(
            "datenraum_dataset_validate",
            {"user": stranger["name"], "ignore_auth": False},
            id=good["id"],
        )


def test_dataset_page_shows_violations_to_editors_in_german_with_link(app, editor_with_datasets):
    user, _good, bad = editor_with_datasets

    response = app.get(f"/de/dataset/{bad['name']}", headers={"Authorization": _token(user)})

    assert "Verletzung" in response.body
    assert "contributorID" in response.body
    assert f"/dataset/edit/{bad['name']}#field-contributor_id" in response.body


def test_dataset_page_shows_english_messages_in_english(app, editor_with_datasets):
    user, _good, bad = editor_with_datasets

    response = app.get(f"/en/dataset/{bad['name']}", headers={"Authorization": _token(user)})

    assert "violation(s) in the export" in response.body
    assert "a suitable value is required" in response.body


def test_dataset_page_hides_validation_from_visitors(app, editor_with_datasets):
    _user, _good, bad = editor_with_datasets

    response = app.get(f"/de/dataset/{bad['name']}")

    assert "datenraum-dcatapde-validation" not in response.body


def test_cli_prints_one_line_per_violation_and_a_summary(cli, editor_with_datasets):
    result = cli.invoke(ckan, ["datenraum", "validate", "--catalog"])

    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("2 datasets, ")
    assert any("ohne-bereitsteller" in line or "contributorID" in line for line in lines[:-1])


@pytest.mark.parametrize("chunk_size", ["2", "0"])  # 0: a misconfiguration, still one by one
def test_cli_finds_a_bad_dataset_behind_a_chunk_boundary(cli, ckan_config, monkeypatch, chunk_size):
    monkeypatch.setitem(ckan_config, "ckanext.datenraum.dcatapde.validate.chunk_size", chunk_size)
    sysadmin = factories.Sysadmin()
    good_org, bad_org = organization(), organization()
    for name in ("a-gut", "b-gut", "d-gut"):
        create_dataset(sysadmin["name"], good_org["id"], name=name)
    bad = create_dataset(sysadmin["name"], bad_org["id"], name="c-ohne-bereitsteller")
    call_action(
        "organization_patch", {"user": sysadmin["name"]}, id=bad_org["id"], contributor_id=""
    )
    alone = validation.validate_graph(
        export.datasets_graph([call_action("package_show", id=bad["id"])], with_catalog=False)
    )

    result = cli.invoke(ckan, ["datenraum", "validate", "--catalog"])

    assert result.exit_code == 1, result.output
    *violations, summary = result.output.strip().splitlines()
    assert summary == f"4 datasets, {len(alone.violations)} violations"
    assert violations and all(bad["id"] in line for line in violations)


def test_cli_exits_0_for_a_dataset_without_violations(cli, editor_with_datasets):
    result = cli.invoke(ckan, ["datenraum", "validate", "--dataset", "gut"])

    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "1 datasets, 0 violations"


def test_cli_needs_exactly_one_of_dataset_or_catalog(cli):
    result = cli.invoke(ckan, ["datenraum", "validate"])

    assert result.exit_code == 2
    assert "either --dataset NAME or --catalog" in result.output


def _token(user) -> str:
    return call_action("api_token_create", {"user": user["name"]}, user=user["name"], name="t")[
        "token"
    ]


def test_validation_is_kept_per_dataset_version_and_never_stale(editor_with_datasets):
    user, _good, bad = editor_with_datasets
    context = {"user": user["name"]}
    first = call_action("datenraum_dataset_validate", context, id=bad["id"])
    assert connect_to_redis().hexists(rdf_cache._key(bad["id"]), rdf_cache.VALIDATION)
    assert call_action("datenraum_dataset_validate", context, id=bad["id"]) == first

    call_action("package_patch", context, id=bad["id"], contributor_id=CONTRIBUTOR)

    assert call_action("datenraum_dataset_validate", context, id=bad["id"])["violations"] == []
