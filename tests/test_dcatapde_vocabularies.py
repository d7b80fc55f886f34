"""The shipped vocabularies, and `ckan datenraum vocabularies update`: a newer release replaces
the shipped list safely."""

from __future__ import annotations

import csv
import http.server
import io
import pathlib
import threading
import zipfile

import pytest
from ckan.cli.cli import ckan

from ckanext.datenraum.common import languages
from ckanext.datenraum.dcatapde import vocabularies
from tests.conftest import REPO_ROOT

NEWER_ACCESS_RIGHTS = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<http://publications.europa.eu/resource/authority/access-right> a skos:ConceptScheme ;
    owl:versionInfo "20250101-0" .
<http://publications.europa.eu/resource/authority/access-right/PUBLIC>
    skos:inScheme <http://publications.europa.eu/resource/authority/access-right> ;
    skos:prefLabel "public"@en, "öffentlich"@de .
<http://publications.europa.eu/resource/authority/access-right/SENSITIVE>
    skos:inScheme <http://publications.europa.eu/resource/authority/access-right> ;
    skos:prefLabel "sensitive"@en, "sensibel"@de .
"""


@pytest.fixture
def vocabulary_directory(tmp_path, ckan_config, monkeypatch):
    directory = tmp_path / "vocabularies"
    monkeypatch.setitem(
        ckan_config, "ckanext.datenraum.dcatapde.vocabulary_directory", str(directory)
    )
    return directory


def test_every_shipped_vocabulary_names_source_and_version():
    for name in vocabularies.names():
        entry = vocabularies.manifest()[name]
        vocabulary = vocabularies.get(name)
        assert entry["source"] and vocabulary.version, name
        assert vocabulary.concepts, name


def test_update_from_a_file_takes_precedence_over_the_shipped_list(
    cli, tmp_path, vocabulary_directory
):
    release = tmp_path / "access-right.ttl"
    release.write_text(NEWER_ACCESS_RIGHTS)

    result = cli.invoke(ckan, ["datenraum", "vocabularies", "update", str(release)])

    assert result.exit_code == 0, result.output
    assert "access-right: version 20250101-0, 2 concepts" in result.output
    values = {c["value"].rsplit("/", 1)[-1] for c in vocabularies.get("access-right").choices()}
    assert values == {"PUBLIC", "SENSITIVE"}


def test_update_refuses_a_file_of_an_unknown_scheme(cli, tmp_path, vocabulary_directory):
    release = tmp_path / "other.ttl"
    release.write_text(NEWER_ACCESS_RIGHTS.replace("access-right", "something-else"))

    result = cli.invoke(ckan, ["datenraum", "vocabularies", "update", str(release)])

    assert result.exit_code == 1
    assert "expected exactly one of" in result.output
    assert not list(vocabulary_directory.glob("*"))


@pytest.fixture
def vocabulary_server():
    body = NEWER_ACCESS_RIGHTS.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/access-right.ttl"
    server.shutdown()


def test_update_refuses_private_addresses_by_default(cli, vocabulary_server, vocabulary_directory):
    result = cli.invoke(ckan, ["datenraum", "vocabularies", "update", vocabulary_server])

    assert result.exit_code == 1
    assert "resolves to the non-public address 127.0.0.1" in result.output


@pytest.mark.ckan_config("ckanext.datenraum.dcatapde.download.allow_private", "true")
def test_update_from_a_url_when_private_addresses_are_allowed(
    cli, vocabulary_server, vocabulary_directory
):
    result = cli.invoke(ckan, ["datenraum", "vocabularies", "update", vocabulary_server])

    assert result.exit_code == 0, result.output
    assert (vocabulary_directory / "eu-access-right.ttl").exists()


def _agency_languages(recording: pathlib.Path) -> set:
    with zipfile.ZipFile(recording) as feed:
        rows = csv.DictReader(io.TextIOWrapper(feed.open("agency.txt"), encoding="utf-8-sig"))
        return {row["agency_lang"] for row in rows if row.get("agency_lang")}


def test_every_language_the_code_table_knows_is_in_the_language_vocabulary():
    """A language code a partner writes and ``common/languages.py`` maps must not then be dropped
    as "not in the vocabulary": the recorded AtB (nb) and Israeli (he) GTFS feeds lost theirs."""
    vocabulary = vocabularies.get("language")
    base = vocabularies.manifest()["language"]["base"]
    mapped = {
        *languages.ISO_639_1.values(),
        *languages.ISO_639_2B.values(),
        *languages.NAMES.values(),
    }
    assert sorted(code for code in mapped if not vocabulary.concept_for_value(base + code)) == []

    recordings = sorted((REPO_ROOT / "tests/harvest/recordings/gtfs").glob("*.zip"))
    written = set().union(*(_agency_languages(recording) for recording in recordings))
    assert {"nb", "he"} <= written  # the recordings this test is about are there
    for code in written:
        assert vocabulary.concept_for_value(base + languages.language_code(code)), code
