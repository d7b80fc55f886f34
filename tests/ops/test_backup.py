"""Backup, restore and exit: export everything, import it into an empty instance, same catalogue.

The catalogue has what a city holds: public, private and draft datasets, an uploaded file, an
organisation with members, a group, a tag vocabulary, a harvest source, usage figures and
quality scores. After the export the database, the index and the uploaded file are wiped
(an empty instance), the export is imported, and datasets (CKAN JSON), the DCAT-AP.de exports
and the dashboard figures must be what they were.
"""

from __future__ import annotations

import json
import pathlib
import shutil

import ckan.model as model
import pytest
import rdflib
from ckan.lib import search, uploader
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action
from click.testing import CliRunner
from rdflib.compare import to_isomorphic

from ckanext.datenraum.backup import archive
from ckanext.datenraum.common.backup import BackupError, BackupOptions
from tests import dcatapde_factories

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PASSWORD = "Stadtdaten-2026!"


@pytest.fixture
def empty_instance(reset_db, migrate_db_for, reset_index):
    """Turns this instance into an empty one: no tables' content, no index, no Redis buffer."""

    def wipe():
        pooled_engine = model.meta.engine
        reset_db()
        for plugin in ("activity", "harvest", "datenraum_usage", "datenraum_participation"):
            migrate_db_for(plugin)
        model.init_model(pooled_engine)
        reset_index()
        redis = connect_to_redis()
        for key in redis.scan_iter(match="datenraum_usage:*"):
            redis.delete(key)

    return wipe


@pytest.fixture
def people(empty_instance):
    """An empty instance with a sysadmin, an organisation and its editor."""
    empty_instance()
    admin = factories.Sysadmin(password=PASSWORD)
    editor = factories.User(password=PASSWORD)
    organization = dcatapde_factories.organization(
        name="stadt-jena",
        title="Stadt Jena",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )
    return {"admin": admin, "editor": editor, "organization": organization}


@pytest.fixture
def catalogue(app, people, create_with_upload):
    admin, editor, organization = people["admin"], people["editor"], people["organization"]
    group = factories.Group(name="umwelt", title="Umwelt")
    call_action("vocabulary_create", name="stadtteile", tags=[{"name": "Lobeda"}])
    as_admin = {"user": admin["name"]}
    public = dcatapde_factories.create_dataset(
        admin["name"],
        organization["id"],
        name="baumkataster",
        groups=[{"name": group["name"]}],
        tag_string="Bäume,Umwelt",
    )
    dcatapde_factories.create_dataset(
        admin["name"], organization["id"], name="personalplanung", private=True
    )
    dcatapde_factories.create_dataset(
        admin["name"], organization["id"], name="entwurf-radwege", state="draft"
    )
    upload = create_with_upload(
        "baum;art\n1;Linde\n", "baeume.csv", package_id=public["id"], context=as_admin
    )
    call_action(
        "harvest_source_create",
        as_admin,
        name="weimar-ckan",
        title="Open Data Weimar",
        url="https://opendata.weimar.de",
        source_type="datenraum_ckan",
        owner_org=organization["id"],
        frequency="DAILY",
        config=json.dumps({"managed_by": "harvest_sources", "priority": 60}),
    )
    for _ in range(3):
        app.get("/dataset/baumkataster", headers={"User-Agent": BROWSER})
    app.get("/api/3/action/package_show?id=baumkataster")
    call_action("datenraum_usage_aggregate", as_admin, reindex=False)
    call_action("datenraum_usage_quality_score", as_admin)
    return {"admin": admin, "editor": editor, "upload": upload}


def _datasets() -> dict[str, dict]:
    ids = [row.id for row in model.Session.query(model.Package.id).filter_by(type="dataset")]
    shown = [call_action("package_show", id=dataset_id) for dataset_id in ids]
    return {dataset["name"]: dataset for dataset in shown}


def _differences(before: dict[str, dict], after: dict[str, dict]) -> dict:
    """{dataset: {key: (before, after)}} for every value that differs (readable failures)."""
    found = {}
    for name in set(before) | set(after):
        old, new = before.get(name, {}), after.get(name, {})
        changed = {
            key: (old.get(key), new.get(key))
            for key in set(old) | set(new)
            if old.get(key) != new.get(key)
        }
        if changed:
            found[name] = changed
    return found


def _graph(app, path: str) -> rdflib.Graph:
    response = app.get(path)
    assert response.status_code == 200, path
    return to_isomorphic(
        rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
    )


def _dashboard(admin) -> dict:
    report = call_action("datenraum_usage_site_report", {"user": admin["name"]})
    report.pop("period")
    return report


def _state(app, admin) -> dict:
    return {
        "datasets": _datasets(),
        "organization": call_action("organization_show", id="stadt-jena", include_users=True),
        "catalog": _graph(app, "/catalog.ttl"),
        "dataset_rdf": _graph(app, "/dataset/baumkataster.ttl"),
        "dashboard": _dashboard(admin),
        "sources": sorted(
            (source["url"], source["frequency"], source["config"])
            for source in call_action("harvest_source_list")
        ),
    }


def _upload_path(resource: dict) -> pathlib.Path:
    return pathlib.Path(uploader.get_resource_uploader(resource).get_path(resource["id"]))


@pytest.mark.usefixtures("with_plugins")
def test_export_then_import_into_an_empty_instance_gives_the_same_catalogue(
    app, catalogue, empty_instance, tmp_path
):
    before = _state(app, catalogue["admin"])
    export = tmp_path / "export"

    manifest = archive.export_all(export, BackupOptions())
    empty_instance()
    _upload_path(catalogue["upload"]).unlink()
    archive.import_all(export)

    after = _state(app, catalogue["admin"])
    assert set(before["datasets"]) == {"baumkataster", "personalplanung", "entwurf-radwege"}
    differences = _differences(before["datasets"], after["datasets"])
    assert not differences, json.dumps(differences, indent=1, default=str)
    assert after["catalog"] == before["catalog"]
    assert after["dataset_rdf"] == before["dataset_rdf"]
    assert after["dashboard"] == before["dashboard"]
    assert before["dashboard"]["top_datasets"][0]["views"] == 3
    assert after["sources"] == before["sources"]
    assert [url for url, _, _ in after["sources"]] == ["https://opendata.weimar.de"]
    members = {user["name"]: user["capacity"] for user in after["organization"]["users"]}
    assert members[catalogue["editor"]["name"]] == "editor"
    assert _upload_path(catalogue["upload"]).read_text() == "baum;art\n1;Linde\n"
    assert manifest["parts"]["datasets"]["datasets"] == 3


@pytest.mark.usefixtures("with_plugins")
def test_a_data_request_with_its_vote_and_comment_survives_export_and_import(
    people, empty_instance, tmp_path
):
    editor = {"user": people["editor"]["name"], "ignore_auth": False}
    request = call_action(
        "datenraum_request_create",
        editor,
        title="Lärmkarte Lobeda",
        description="Für die Schulwegplanung.",
        organization="stadt-jena",
    )
    call_action("datenraum_request_vote", {"user": people["admin"]["name"]}, id=request["id"])
    subject = {"subject_type": "request", "subject_id": request["id"]}
    call_action("datenraum_comment_create", editor, text="Bitte auch nachts.", **subject)
    admin = {"user": people["admin"]["name"]}
    before = call_action("datenraum_request_show", admin, id=request["id"])
    comments = call_action("datenraum_comment_list", admin, **subject)
    export = tmp_path / "export"

    manifest = archive.export_all(export, BackupOptions())
    empty_instance()
    assert call_action("datenraum_request_list", {"user": None})["count"] == 0
    archive.import_all(export)

    assert call_action("datenraum_request_show", admin, id=request["id"]) == before
    assert before["votes"] == 1 and before["comments"] == 1
    assert before["user"]["name"] == people["editor"]["name"]
    assert call_action("datenraum_comment_list", admin, **subject) == comments
    assert manifest["parts"]["participation"]["datenraum_participation_request"] == 1
    files = {entry["path"] for entry in manifest["files"]}
    assert "participation/datenraum_participation_request.jsonl" in files


@pytest.mark.usefixtures("with_plugins")
def test_the_export_is_open_formats_with_a_checksum_manifest(catalogue, tmp_path):
    export = tmp_path / "export"

    manifest = archive.export_all(export, BackupOptions())

    files = {entry["path"] for entry in manifest["files"]}
    assert {
        "users/users.jsonl",
        "organizations/organizations.jsonl",
        "organizations/groups.jsonl",
        "memberships/memberships.jsonl",
        "vocabularies/ckan-tag-vocabularies.jsonl",
        "datasets/datasets.jsonl",
        "datasets/catalog.ttl",
        f"datasets/files/resources/{catalogue['upload']['id']}",
        "harvest/sources.jsonl",
        "harvest/harvest_sources/weimar-ckan.yaml",
        "usage/dataset-days.csv",
        "usage/quality-scores.csv",
    } <= files
    for entry in manifest["files"]:
        assert archive.sha256(export / entry["path"]) == entry["sha256"]
    catalog = rdflib.Graph().parse(export / "datasets" / "catalog.ttl", format="turtle")
    dataset_type = rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")
    assert len(set(catalog.subjects(rdflib.RDF.type, dataset_type))) == 3  # private, draft too
    users = (export / "users" / "users.jsonl").read_text()
    assert catalogue["editor"]["name"] in users
    assert "password" not in users and "pbkdf2" not in users


@pytest.mark.usefixtures("with_plugins")
def test_password_hashes_travel_only_when_asked_for(people, empty_instance, tmp_path):
    export = tmp_path / "export"
    archive.export_all(export, BackupOptions(with_password_hashes=True))
    empty_instance()

    archive.import_all(export)

    restored = model.User.get(people["editor"]["name"])
    assert restored.validate_password(PASSWORD)
    assert model.User.get(people["admin"]["name"]).sysadmin


def _indexed_and_stored() -> tuple[set, set]:
    indexed = set(search.query_for(model.Package).get_all_entity_ids(max_results=1000))
    stored = {row.id for row in model.Session.query(model.Package.id).filter_by(state="active")}
    return indexed, stored


def _repair_manifest(export: pathlib.Path) -> None:
    """Checksums of the files as they are now (a hand-edited copy of an export)."""
    manifest = json.loads((export / archive.MANIFEST).read_text())
    for entry in manifest["files"]:
        entry["sha256"] = archive.sha256(export / entry["path"])
    (export / archive.MANIFEST).write_text(json.dumps(manifest))


@pytest.mark.usefixtures("with_plugins")
def test_an_import_that_stopped_half_way_is_finished_by_running_it_again(
    people, empty_instance, tmp_path
):
    for name in ("baumkataster", "radwege", "spielplaetze"):
        dcatapde_factories.create_dataset(
            people["admin"]["name"], people["organization"]["id"], name=name
        )
    before = _datasets()
    export, broken = tmp_path / "export", tmp_path / "broken"
    archive.export_all(export, BackupOptions())
    shutil.copytree(export, broken)
    rows = (broken / "datasets" / "datasets.jsonl").read_text().splitlines()
    second = json.loads(rows[1])
    rows[1] = json.dumps(dict(second, name="Kein gültiger Name!"))
    (broken / "datasets" / "datasets.jsonl").write_text("\n".join(rows) + "\n")
    _repair_manifest(broken)
    empty_instance()

    with pytest.raises(BackupError, match=r"cannot be restored: .*run import-all again"):
        archive.import_all(broken)
    indexed, stored = _indexed_and_stored()
    assert len(stored) == 1  # the first dataset, committed
    assert indexed == set()  # nothing written to the index dataset by dataset

    archive.import_all(export)  # the same export, repaired: finishes the job

    assert _datasets() == before
    indexed, stored = _indexed_and_stored()
    assert indexed == stored == {dataset["id"] for dataset in before.values()}
    with pytest.raises(BackupError, match="not empty"):
        archive.import_all(export)  # finished: a third run is an import into a full instance


@pytest.mark.usefixtures("with_plugins")
def test_a_changed_or_missing_file_stops_the_import_before_anything_changes(
    people, empty_instance, tmp_path
):
    export = tmp_path / "export"
    archive.export_all(export, BackupOptions())
    empty_instance()
    with (export / "users" / "users.jsonl").open("a") as users:
        users.write("{}\n")
    (export / "usage" / "api-days.csv").unlink()

    with pytest.raises(
        BackupError,
        match=r"missing: usage/api-days.csv; changed \(checksum differs\): users/users.jsonl",
    ):
        archive.import_all(export)
    assert archive.instance_contents() == {
        "datasets": 0,
        "organisations and groups": 0,
        "users": 0,
    }


@pytest.mark.usefixtures("with_plugins")
def test_an_import_into_a_catalogue_that_is_not_empty_is_refused(people, tmp_path):
    export = tmp_path / "export"
    archive.export_all(export, BackupOptions())

    with pytest.raises(BackupError, match=r"not empty \(1 organisations and groups, 2 users\)"):
        archive.import_all(export)


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_command_refuses_a_folder_that_is_not_empty(tmp_path, base_ini):
    from ckan.cli.cli import ckan as ckan_cli

    (tmp_path / "old-backup.txt").write_text("x")

    # -c: the configuration pytest runs with (CI sets no CKAN_INI)
    result = CliRunner().invoke(
        ckan_cli, ["-c", str(base_ini), "datenraum", "export-all", str(tmp_path)]
    )

    assert result.exit_code == 1
    assert "is not empty: export into a new or empty folder" in result.output
