"""`ckan datenraum import`: real catalogues and the official examples arrive complete and clean."""

from __future__ import annotations

import json

import pytest
import rdflib
from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFParser
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS

from ckanext.datenraum.dcatapde import export, importer, normalize, validation
from tests.harvest.partner_server import Answer, PartnerServer

from .conftest import REPO_ROOT
from .dcatapde_factories import EU, create_dataset, organization

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SHARED = next(
    (
        path / "dcat-ap-de"
        for path in (REPO_ROOT.parent / "shared", REPO_ROOT.parents[1] / "shared")
        if path.is_dir()
    ),
    REPO_ROOT.parent / "shared" / "dcat-ap-de",
)
CATALOGS = {"brandenburg-catalog.ttl": 112, "destatis-catalog.rdf": 135}
EXAMPLES = [
    "v3.0/Dataset-und-Distribution.ttl",
    "v3.0/DatasetSeries.ttl",
    "v2.0/dcat_ap_de-RefImp_TTL_ADVANCED.ttl",
    "v2.0/dcat_ap_de-RefImp_RDF_ADVANCED.rdf",
    "v2.0/dcat_ap_de-RefImp_JSONLD_ADVANCED.jsonld",
]


def _stored_datasets() -> list[dict]:
    ids = [row.id for row in model.Session.query(model.Package.id).filter_by(state="active")]
    return [call_action("package_show", id=dataset_id) for dataset_id in ids]


def test_real_catalogues_import_completely_idempotently_and_export_clean():
    sysadmin = factories.Sysadmin()
    reports = {}
    for name in CATALOGS:
        organization(name=name.split("-")[0])
        reports[name] = importer.import_file(
            SHARED / "catalogs" / name, name.split("-")[0], sysadmin["name"]
        )

    for name, count in CATALOGS.items():
        assert reports[name].in_file == count
        assert reports[name].failed == []
        assert len(reports[name].created) == count
    assert model.Session.query(model.Package).count() == sum(CATALOGS.values())

    destatis = importer.import_file(
        SHARED / "catalogs" / "destatis-catalog.rdf", "destatis", sysadmin["name"]
    )
    assert len(destatis.unchanged) == 135
    assert destatis.updated == destatis.created == []

    report = validation.validate_graph(export.datasets_graph(_stored_datasets()))
    assert [result.line() for result in report.violations] == []


@pytest.mark.parametrize("example", EXAMPLES)
def test_official_examples_import_every_dataset(example):
    sysadmin = factories.Sysadmin()
    organization(name="beispiel")

    report = importer.import_file(SHARED / "examples" / example, "beispiel", sysadmin["name"])

    assert report.failed == []
    assert report.accounted == report.in_file > 0
    graph = export.datasets_graph(_stored_datasets())
    assert [r.line() for r in validation.validate_graph(graph).violations] == []


def test_import_keeps_the_properties_our_schema_has_fields_for():
    sysadmin = factories.Sysadmin()
    organization(name="beispiel")

    importer.import_file(
        SHARED / "examples" / "v3.0" / "Dataset-und-Distribution.ttl", "beispiel", sysadmin["name"]
    )

    (dataset,) = _stored_datasets()
    # "bienenland" is not on the dcat-ap.de list: the organisation's default applies instead.
    assert dataset["contributor_id"] == ""
    assert dataset["political_geocoding_level_uri"].endswith("/Level/state")
    assert dataset["political_geocoding_uri"] == [
        "http://dcat-ap.de/def/politicalGeocoding/stateKey/17"
    ]
    assert dataset["frequency"].startswith(f"{EU}frequency/")
    assert dataset["access_rights"] == f"{EU}access-right/PUBLIC"
    assert dataset["custodian"]  # dcatde:maintainer, deprecated, became geodcatap:custodian
    assert dataset["contact"] and dataset["publisher"][0]["name"]
    resources = dataset["resources"]
    assert any(resource["license_attribution_by_text"] for resource in resources)
    assert all(r["status"].startswith(f"{EU}distribution-status/") for r in resources)


def test_normalisation_runs_once_per_graph_and_again_when_it_grows(monkeypatch):
    calls = []
    original = normalize.normalise
    monkeypatch.setattr(normalize, "normalise", lambda graph: calls.append(1) or original(graph))
    parser = RDFParser(profiles=["dcatap_de"])
    parser.parse((SHARED / "catalogs" / "destatis-catalog.rdf").read_text(), _format="xml")

    assert len(list(parser.datasets())) == CATALOGS["destatis-catalog.rdf"]
    assert len(calls) == 1

    parser.parse(
        """<https://example.org/spaet> a <http://www.w3.org/ns/dcat#Dataset> ;
            <http://purl.org/dc/terms/title> "Später geladen" ;
            <http://dcat-ap.de/def/dcatde/1.0/contributorID>
                <http://dcat-ap.de/def/contributors/govData> .""",
        _format="turtle",
    )
    late = [d for d in parser.datasets() if d["title"] == "Später geladen"]

    assert len(calls) == 2
    assert late[0]["contributor_id"] == "http://dcat-ap.de/def/contributors/govData"


def test_old_namespaces_and_literals_are_normalised():
    graph = rdflib.Graph().parse(
        data="""
        @prefix dcat: <http://www.w3.org/ns/dcat#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        <https://example.org/d> a dcat:Dataset ;
            <https://www.dcat-ap.de/def/dcatde/1.0.1/contributorID>
                "https://www.dcat-ap.de/def/contributors/destatis" ;
            dct:language "de", <http://id.loc.gov/vocabulary/iso639-1/en> ;
            dcat:distribution <https://example.org/d/1> .
        <https://example.org/d/1> dct:format "csv" ;
            dct:license <https://creativecommons.org/licenses/by/4.0/> ;
            dcat:mediaType "text/csv" .
        """,
        format="turtle",
    )

    normalize.normalise(graph)

    dataset, distribution = (
        rdflib.URIRef("https://example.org/d"),
        rdflib.URIRef("https://example.org/d/1"),
    )
    assert graph.value(dataset, normalize.DCATDE.contributorID) == rdflib.URIRef(
        "http://dcat-ap.de/def/contributors/destatis"
    )
    assert set(graph.objects(dataset, DCTERMS.language)) == {
        rdflib.URIRef(f"{EU}language/DEU"),
        rdflib.URIRef(f"{EU}language/ENG"),
    }
    assert graph.value(distribution, DCTERMS["format"]) == rdflib.URIRef(f"{EU}file-type/CSV")
    assert graph.value(distribution, DCTERMS.license) == rdflib.URIRef(
        "http://dcat-ap.de/def/licenses/cc-by/4.0"
    )
    assert graph.value(distribution, DCAT.mediaType) == rdflib.URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )


def test_round_trip_export_import_export_gives_an_isomorphic_graph(tmp_path):
    sysadmin = factories.Sysadmin()
    org = organization(name="quelle")
    from .test_dcatapde_export import maximal_fields

    create_dataset(sysadmin["name"], org["id"], **maximal_fields())
    create_dataset(sysadmin["name"], org["id"])
    first = export.datasets_graph(_stored_datasets(), with_catalog=False)
    source = tmp_path / "export.ttl"
    source.write_text(first.serialize(format="turtle"))
    for package in model.Session.query(model.Package).all():
        call_action("dataset_purge", {"user": sysadmin["name"]}, id=package.id)
    organization(name="ziel")

    report = importer.import_file(source, "ziel", sysadmin["name"])
    second = export.datasets_graph(_stored_datasets(), with_catalog=False)

    assert len(report.created) == 2
    assert isomorphic(_without_timestamps(first), _without_timestamps(second))
    imported = [r for d in _stored_datasets() for r in d["resources"] if r.get("access_services")]
    assert [r["access_services"] for r in imported] == [
        [service]
        for resource in maximal_fields()["resources"]
        for service in resource.get("access_services", [])
    ]


def test_cli_import_reports_counts_and_fails_for_unknown_organisation(cli):
    organization(name="beispiel")
    example = str(SHARED / "examples" / "v3.0" / "DatasetSeries.ttl")

    good = cli.invoke(ckan, ["datenraum", "import", example, "--org", "beispiel"])
    missing = cli.invoke(ckan, ["datenraum", "import", example, "--org", "gibt-es-nicht"])

    assert good.exit_code == 0, good.output
    assert good.output.strip().splitlines()[-1].startswith("3 datasets in file: 3 created")
    assert missing.exit_code == 1
    assert "no organisation 'gibt-es-nicht'" in missing.output


def test_cli_import_into_an_organisation_without_contributor_id(cli):
    """A real catalogue that names no dcatde:contributorID, imported by an operator whose
    organisation has no default yet: every dataset fails with a hint, and --contributor-id
    imports them all."""
    organization(name="brandenburg", contributor_id="")
    catalogue = str(SHARED / "catalogs" / "brandenburg-catalog.ttl")
    contributor = "http://dcat-ap.de/def/contributors/landBrandenburg"

    refused = cli.invoke(ckan, ["datenraum", "import", catalogue, "--org", "brandenburg"])
    given = cli.invoke(
        ckan,
        ["datenraum", "import", catalogue, "--org", "brandenburg", "--contributor-id", contributor],
    )

    assert refused.exit_code == 1
    assert "pass --contributor-id" in refused.output
    assert (
        refused.output.strip()
        .splitlines()[-1]
        .endswith("0 created, 0 updated, 0 unchanged, 112 failed")
    )
    assert given.exit_code == 0, given.output
    assert given.output.strip().splitlines()[-1].startswith("112 datasets in file: 112 created")
    stored = {dataset["contributor_id"] for dataset in _stored_datasets()}
    assert stored == {contributor}


def _without_timestamps(graph: rdflib.Graph) -> rdflib.Graph:
    """Catalogue-record and harvest timestamps differ between two sites by nature."""
    copy = rdflib.Graph()
    copy += graph
    for predicate in (DCTERMS.modified, DCTERMS.issued):
        for subject, obj in list(copy.subject_objects(predicate)):
            if (subject, rdflib.RDF.type, DCAT.Distribution) in copy:
                copy.remove((subject, predicate, obj))
    return copy


PARTNER_FILE = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://daten.example.org/d/baeume> a dcat:Dataset ;
    dct:title "Baumkataster" ;
    dct:description "Alle Straßenbäume." ;
    dcat:keyword "Bäume" ;
    dct:publisher [ a foaf:Agent ; foaf:name "Grünflächenamt" ] ;
    dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;
    dct:source "HMDK/c71a34e1" ;
    dcat:distribution <https://daten.example.org/d/baeume/csv>,
        <https://daten.example.org/d/baeume/zip>,
        <https://daten.example.org/d/baeume/nirgends> .
<https://daten.example.org/d/baeume/csv> a dcat:Distribution ;
    dcat:accessURL <https://daten.example.org/baeume.csv> ; dct:format "CSV" .
<https://daten.example.org/d/baeume/zip> a dcat:Distribution ;
    dcat:downloadURL <https://daten.example.org/baeume.zip> ; dct:format "ZIP" .
<https://daten.example.org/d/baeume/nirgends> a dcat:Distribution ; dct:title "Karte" .
"""


def test_distributions_without_access_url_are_completed_or_dropped_with_a_note(tmp_path):
    """Issue 11 item 10 (decision 0214): a download-only distribution gets its download URL as
    access URL; one with no address is dropped and the report says so; the export is clean."""
    sysadmin = factories.Sysadmin()
    organization(name="partner")
    source = tmp_path / "partner.ttl"
    source.write_text(PARTNER_FILE, encoding="utf-8")

    report = importer.import_file(source, "partner", sysadmin["name"])

    (dataset,) = _stored_datasets()
    by_uri = {resource["uri"]: resource for resource in dataset["resources"]}
    assert sorted(by_uri) == [
        "https://daten.example.org/d/baeume/csv",
        "https://daten.example.org/d/baeume/zip",
    ]
    zipped = by_uri["https://daten.example.org/d/baeume/zip"]
    assert zipped["access_url"] == zipped["download_url"] == "https://daten.example.org/baeume.zip"
    notes = " ".join(note for _label, note in report.notes)
    assert "dropped the distribution https://daten.example.org/d/baeume/nirgends" in notes
    assert "source: dropped 'HMDK/c71a34e1' (not a URI)" in notes
    graph = export.datasets_graph([dataset])
    assert [r.line() for r in validation.validate_graph(graph).violations] == []


def test_import_invents_no_date(tmp_path):
    """Issue 10 item 5, import side: a file that states no date stores none."""
    sysadmin = factories.Sysadmin()
    organization(name="partner")
    source = tmp_path / "partner.ttl"
    source.write_text(PARTNER_FILE, encoding="utf-8")

    importer.import_file(source, "partner", sysadmin["name"])

    (dataset,) = _stored_datasets()
    date_fields = ("issued", "modified", "temporal_start", "temporal_end")
    assert {key: dataset.get(key) for key in date_fields if dataset.get(key)} == {}
    for resource in dataset["resources"]:
        assert not (resource.get("issued") or resource.get("modified")), resource


@pytest.fixture
def context_server():
    server = PartnerServer().start()
    server.routes["/context.jsonld"] = Answer(
        b'{"@context": {"title": "http://purl.org/dc/terms/title"}}',
        content_type="application/ld+json",
    )
    yield server
    server.stop()


def _jsonld_file(tmp_path, context: str):
    path = tmp_path / "katalog.jsonld"
    document = {
        "@context": context,
        "@id": "https://daten.example.org/d/1",
        "@type": "http://www.w3.org/ns/dcat#Dataset",
        "title": "Eins",
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_jsonld_import_never_lets_rdflib_fetch_a_context(tmp_path, context_server):
    """Issue 12 item 3, import side: a context on a loopback address is refused by the safe
    fetcher (no request reaches it, rdflib's own client included)."""
    organization(name="partner")
    path = _jsonld_file(tmp_path, context_server.url("/context.jsonld"))

    with pytest.raises(importer.ImportFailed, match="non-public address"):
        importer.import_file(path, "partner", factories.Sysadmin()["name"])

    assert context_server.requests == []
    assert _stored_datasets() == []


def test_jsonld_import_never_reads_a_file_context(tmp_path):
    organization(name="partner")
    secret = tmp_path / "context.jsonld"
    secret.write_text('{"@context": {"title": "http://purl.org/dc/terms/title"}}')
    path = _jsonld_file(tmp_path, secret.as_uri())

    with pytest.raises(importer.ImportFailed, match="only http"):
        importer.import_file(path, "partner", factories.Sysadmin()["name"])

    assert _stored_datasets() == []
