"""The real clients against a real running catalogue of ours, once per test session.

``catalogue``: our CKAN (this checkout, the plugins of the test configuration) serving the
content of ``content.py`` over HTTP. ``govdata``: GovData's stack (CKAN 2.10.11, ckanext-dcat
2.3.0, ckanext-harvest 1.5.5, ckanext-dcatde 6.10.0 in its own Python 3.10 virtualenv, installed
by scripts/govdata-client.sh) harvests ``/catalog/govdata.rdf`` with ``dcatde_rdf``.
``plain_dcat``: a CKAN 2.12 with nothing but ``activity dcat harvest dcat_rdf_harvester``
(ckanext-dcat 2.4.4 and its default profile) harvests ``/catalog.ttl`` with ``dcat_rdf``. Both
run their jobs through the Redis queues with ``harvester gather-consumer`` and
``fetch-consumer`` processes. Each of the three has its own database, Solr core and Redis db.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import hashlib
import json
import os
import pathlib
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor

import ckan.plugins.toolkit as tk
import pytest
import rdflib
import redis
import requests
from rdflib.namespace import DCAT, RDF

from tests.govdata import content
from tests.govdata.fields import Ours
from tests.govdata.report import timed, write_summary
from tests.govdata.stack import REPO_ROOT, CkanProcess, client_script, derived_url, redis_db_url

HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
OUR_CKAN = str(pathlib.Path(sys.executable).with_name("ckan"))
OUR_PYTHON = sys.executable
GOVDATA_VENV = REPO_ROOT / "var" / "clients" / "govdata" / "venv"
CATALOGUE_REDIS_DB, GOVDATA_REDIS_DB, PLAIN_REDIS_DB = 2, 3, 4
# What the catalogue's own URIs start with, besides its site URL (the maximal dataset's).
OWN_URIS = "https://daten.jena.de/"
GOVDATA_OPTION = "ckanext.datenraum.dcatapde.govdata."
LOGGING = """
[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
"""


def shared_dir() -> pathlib.Path:
    """../shared beside the checkout (CI), or two levels up (a worktree under wt/)."""
    if os.environ.get("DATENRAUM_SHARED"):
        return pathlib.Path(os.environ["DATENRAUM_SHARED"])
    for candidate in (REPO_ROOT.parent / "shared", REPO_ROOT.parents[1] / "shared"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("../shared (the reference data) not found beside the checkout")


def pytest_terminal_summary(terminalreporter):
    write_summary(terminalreporter)


@dataclasses.dataclass
class Harvest:
    client: CkanProcess
    report: dict
    datasets: list[dict]

    def by_uri(self) -> dict[str, dict]:
        found = {}
        for dataset in self.datasets:
            extras = {e["key"]: e["value"] for e in dataset.get("extras", [])}
            found[extras.get("uri") or extras.get("guid")] = dataset
        return found


@dataclasses.dataclass
class Catalogue:
    process: CkanProcess
    datasets: list[dict]  # every public dataset (what /catalog.* delivers), as package_show
    feed: list[dict]  # what /catalog/govdata.* delivers
    organizations: dict  # id -> organization_show

    @functools.cached_property
    def shared_identifiers(self) -> set:
        counts = collections.Counter(d.get("identifier") for d in self.datasets)
        return {identifier for identifier, n in counts.items() if identifier and n > 1}

    def ours(self, dataset: dict) -> Ours:
        return Ours(dataset, self.organizations, self.process.base_url, self.shared_identifiers)


def _services():
    database = tk.config.get("sqlalchemy.url")
    solr = tk.config.get("solr_url")
    redis_url = tk.config.get("ckan.redis.url")
    return database, solr, redis_url


def _flush(redis_url: str, db: int) -> None:
    redis.Redis.from_url(redis_db_url(redis_url, db)).flushdb()


@pytest.fixture(scope="session")
def _client_services():
    """GovData's virtualenv, and the clients' databases and cores (scripts/govdata-client.sh)."""
    database, solr, _ = _services()
    with timed("install GovData's stack (if needed)"):
        client_script("install")
    names = {role: derived_url(database, role) for role in ("catalogue", "govdata", "plain")}
    client_script("database", *(url.rsplit("/", 1)[1] for url in names.values()))
    cores = {
        "catalogue": (derived_url(solr, "catalogue"), "ckan"),
        "govdata": (derived_url(solr, "govdata"), "ckan-2.10"),
        "plain": (derived_url(solr, "plain"), "ckan-stock"),
    }
    for url, configset in cores.values():
        client_script("solr-core", url, configset)
    return {role: (names[role], cores[role][0]) for role in names}


def _catalogue_process(
    tmp: pathlib.Path, services, base_ini: str, port: int | None = None
) -> CkanProcess:
    _, _, redis_url = _services()
    database, solr = services["catalogue"]
    _flush(redis_url, CATALOGUE_REDIS_DB)
    return CkanProcess(
        "catalogue",
        tmp / "catalogue",
        OUR_CKAN,
        [
            f"use = config:{base_ini}",
            "ckan.site_id = datenraum-catalogue",
            f"ckan.redis.url = {redis_db_url(redis_url, CATALOGUE_REDIS_DB)}",
            "ckan.devserver.threaded = true",
            "ckanext.datenraum.dcatapde.catalog.publisher_name = Stadt Jena",
            "ckanext.datenraum.dcatapde.catalog.publisher_uri = https://www.jena.de",
            f"{GOVDATA_OPTION}include_organizations = {content.PARTNERS['name']}",
            f"{GOVDATA_OPTION}own_uri_prefixes = {OWN_URIS}",
        ],
        database,
        solr,
        port=port,
    )


def _fill(catalogue: CkanProcess, tmp: pathlib.Path) -> None:
    for org in content.organisations():
        catalogue.action("organization_create", **org)
    catalogues = shared_dir() / "dcat-ap-de" / "catalogs"
    with ThreadPoolExecutor(4) as pool:  # the server is threaded; the imports are processes
        imports = [
            pool.submit(
                catalogue.ckan,
                "datenraum",
                "import",
                str(catalogues / name),
                "--org",
                content.PARTNERS["name"],
            )
            for name in ("brandenburg-catalog.ttl", "destatis-catalog.rdf")
        ]
        created = [
            pool.submit(catalogue.action, "package_create", **dataset)
            for dataset in content.datasets()
        ]
        for future in [*imports, *created]:
            future.result()
    odd = content.oddify(catalogue.action("package_show", id=content.CONTROL_NAME))
    changed = tmp / "control.json"
    changed.write_text(json.dumps(odd, ensure_ascii=False), encoding="utf-8")
    catalogue.run_python(str(pathlib.Path(__file__).with_name("store_text.py")), str(changed))


@pytest.fixture(scope="session")
def _workdir() -> pathlib.Path:
    """Configs and logs of the processes, kept after the run for a look (git-ignored var/);
    not pytest's tmp_path, which another test run on the machine may clean up meanwhile."""
    workdir = REPO_ROOT / "var" / "clients" / "run"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    return workdir


def _content_digest() -> str:
    digest = hashlib.sha256()
    here = pathlib.Path(__file__).parent
    for path in (
        here / "content.py",
        here / "store_text.py",
        REPO_ROOT / "tests" / "dcatapde_factories.py",
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def catalogue(request, _workdir, _client_services, _clients):
    """Our catalogue with the test content. ``DATENRAUM_REUSE_CATALOGUE=1`` keeps the content of
    the last run when the content code did not change (only the server restarts): for working
    on the export, not for CI."""
    tmp = _workdir
    base_ini = str(pathlib.Path(request.config.getoption("ckan_ini")).resolve())
    marker = REPO_ROOT / "var" / "clients" / "catalogue-content"
    database, _ = _client_services["catalogue"]
    recorded = marker.read_text().split() if marker.exists() else []
    reuse = os.environ.get("DATENRAUM_REUSE_CATALOGUE") and recorded[:2] == [
        _content_digest(),
        database,
    ]
    # The same port again: the datasets' URIs (and a reused harvest's) contain it.
    port = int(recorded[2]) if reuse and len(recorded) > 2 else None
    process = _catalogue_process(tmp, _client_services, base_ini, port)
    try:
        if reuse:
            with timed("catalogue: server (content reused)"):
                process.token = (marker.parent / "catalogue-token").read_text()
                process.start_server()
        else:
            marker.unlink(missing_ok=True)
            with timed("catalogue: database and server"):
                process.wipe()
                process.ckan("db", "upgrade")
                process.create_sysadmin()
                process.start_server()
            with timed("catalogue: content and imports"):
                _fill(process, tmp)
            (marker.parent / "catalogue-token").write_text(process.token)
            marker.write_text(f"{_content_digest()} {process.database_url} {process.port}")
        datasets = process.all_datasets()
        feed = _feed_datasets(process, datasets)
        organizations = {
            org["id"]: process.action("organization_show", id=org["id"])
            for org in process.action("organization_list", all_fields=True)
        }
        yield Catalogue(process, datasets, feed, organizations)
    finally:
        process.stop()


def _feed_datasets(process: CkanProcess, datasets: list[dict]) -> list[dict]:
    """The datasets /catalog/govdata.ttl delivers, page by page as a harvester reads it."""
    uris, url = set(), f"{process.base_url}/catalog/govdata.ttl"
    while url:
        response = requests.get(url, timeout=120)
        response.raise_for_status()
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        uris |= {str(ref) for ref in graph.subjects(RDF.type, DCAT.Dataset)}
        url = next((str(o) for o in graph.objects(None, HYDRA.nextPage)), None)
    return [dataset for dataset in datasets if _dataset_uri(process, dataset) in uris]


def _dataset_uri(process: CkanProcess, dataset: dict) -> str:
    return dataset.get("uri") or f"{process.base_url}/dataset/{dataset['id']}"


def _govdata_process(tmp: pathlib.Path, services) -> CkanProcess:
    _, _, redis_url = _services()
    database, solr = services["govdata"]
    _flush(redis_url, GOVDATA_REDIS_DB)
    clients = shared_dir() / "clients" / "ckanext-dcatde-6.10.0" / "examples"
    queue = redis_db_url(redis_url, GOVDATA_REDIS_DB)
    host, port = queue.split("//", 1)[1].split("/", 1)[0].split(":")
    return CkanProcess(
        "govdata",
        tmp / "govdata",
        str(GOVDATA_VENV / "bin" / "ckan"),
        [
            "use = egg:ckan",
            "SECRET_KEY = govdata-client-test-only",
            "beaker.session.secret = govdata-client-test-only",
            "ckan.site_id = govdata-client",
            "ckan.locale_default = de",
            f"ckan.storage_path = {tmp / 'govdata' / 'storage'}",
            f"ckan.redis.url = {queue}",
            "ckan.plugins = activity dcat dcatde harvest dcatde_rdf_harvester",
            "ckanext.dcat.rdf.profiles = dcatap_de",
            f"licenses_group_url = file://{clients / 'dcat_licenses.json'}",
            f"ckanext.dcatde.urls.themes = file://{clients / 'dcat_theme.json'}",
            "ckan.harvest.mq.type = redis",
            f"ckan.harvest.mq.hostname = {host}",
            f"ckan.harvest.mq.port = {port}",
            f"ckan.harvest.mq.redis_db = {GOVDATA_REDIS_DB}",
        ],
        database,
        solr,
        LOGGING,
    )


def _plain_process(tmp: pathlib.Path, services) -> CkanProcess:
    _, _, redis_url = _services()
    database, solr = services["plain"]
    _flush(redis_url, PLAIN_REDIS_DB)
    queue = redis_db_url(redis_url, PLAIN_REDIS_DB)
    host, port = queue.split("//", 1)[1].split("/", 1)[0].split(":")
    return CkanProcess(
        "plain",
        tmp / "plain",
        OUR_CKAN,
        [
            "use = egg:ckan",
            "SECRET_KEY = plain-client-test-only",
            "ckan.site_id = plain-dcat-client",
            f"ckan.storage_path = {tmp / 'plain' / 'storage'}",
            f"ckan.redis.url = {queue}",
            "ckan.plugins = activity dcat harvest dcat_rdf_harvester",
            "ckan.harvest.mq.type = redis",
            f"ckan.harvest.mq.hostname = {host}",
            f"ckan.harvest.mq.port = {port}",
            f"ckan.harvest.mq.redis_db = {PLAIN_REDIS_DB}",
        ],
        database,
        solr,
        LOGGING,
    )


def _prepare_govdata(process: CkanProcess) -> None:
    process.wipe()
    process.ckan("db", "init")  # CKAN 2.10: core tables, activity included
    process.create_sysadmin()
    process.ckan("dcatde_themeadder")  # GovData's categories as groups
    process.start_server()
    process.start_harvest_consumers()


def _prepare_plain(process: CkanProcess) -> None:
    process.wipe()
    process.ckan("db", "upgrade")
    process.create_sysadmin()
    process.start_server()
    process.start_harvest_consumers()


def _harvest(process: CkanProcess, url: str, source_type: str) -> Harvest:
    org = process.action("organization_create", name="stadt-jena", title="Stadt Jena")
    source = process.action(
        "harvest_source_create",
        name="stadt-jena",
        title="Stadt Jena",
        url=url,
        source_type=source_type,
        owner_org=org["id"],
        frequency="MANUAL",
        config="{}",
    )
    report = process.run_harvest(source["id"])
    return Harvest(process, report, process.all_datasets())


HARVESTS = REPO_ROOT / "var" / "clients" / "harvests.json"


@pytest.fixture(scope="session")
def _clients(_workdir, _client_services):
    """GovData's and plain ckanext-dcat's CKAN: their databases are built and their servers
    and consumers started in the background while the catalogue is being filled (neither
    needs the other), so the session waits for the slower of the two, not for both."""
    if os.environ.get("DATENRAUM_REUSE_HARVESTS") and HARVESTS.exists():
        yield None
        return
    govdata = _govdata_process(_workdir, _client_services)
    plain = _plain_process(_workdir, _client_services)
    pool = ThreadPoolExecutor(2)
    prepared = [
        pool.submit(_timed_call, "GovData: database and server", _prepare_govdata, govdata),
        pool.submit(_timed_call, "plain dcat: database and server", _prepare_plain, plain),
    ]
    try:
        yield govdata, plain, prepared
    finally:
        pool.shutdown(wait=True)
        govdata.stop()
        plain.stop()


@pytest.fixture(scope="session")
def _client_harvests(_clients, catalogue):
    """``DATENRAUM_REUSE_HARVESTS=1`` (with a reused catalogue) reads what the clients stored in
    the last run instead of harvesting again: for working on the field checks only."""
    if _clients is None:
        recorded = json.loads(HARVESTS.read_text(encoding="utf-8"))
        if recorded["catalogue"] != catalogue.process.base_url:
            pytest.fail("DATENRAUM_REUSE_HARVESTS: the recorded harvests are of another catalogue")
        return {
            name: Harvest(None, item["report"], item["datasets"])
            for name, item in recorded["harvests"].items()
        }
    govdata, plain, prepared = _clients
    for future in prepared:
        future.result()
    base = catalogue.process.base_url
    with ThreadPoolExecutor(2) as pool:
        runs = {
            "govdata": pool.submit(
                _timed_call,
                "GovData: harvest /catalog/govdata.rdf",
                _harvest,
                govdata,
                f"{base}/catalog/govdata.rdf",
                "dcatde_rdf",
            ),
            "plain": pool.submit(
                _timed_call,
                "plain dcat: harvest /catalog.ttl",
                _harvest,
                plain,
                f"{base}/catalog.ttl",
                "dcat_rdf",
            ),
        }
        harvests = {name: future.result() for name, future in runs.items()}
    HARVESTS.write_text(
        json.dumps(
            {
                "catalogue": base,
                "harvests": {
                    name: {"report": h.report, "datasets": h.datasets}
                    for name, h in harvests.items()
                },
            }
        ),
        encoding="utf-8",
    )
    return harvests


def _timed_call(step: str, function, *args):
    with timed(step):
        return function(*args)


@pytest.fixture(scope="session")
def govdata(_client_harvests) -> Harvest:
    return _client_harvests["govdata"]


@pytest.fixture(scope="session")
def plain_dcat(_client_harvests) -> Harvest:
    return _client_harvests["plain"]
