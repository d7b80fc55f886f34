"""Recorded answers of real partner servers (tests/harvest/recordings/) harvested end to end.

Every recording is served from 127.0.0.1 and harvested through the real gather/fetch/import
stages, all into one catalogue: every record with usable metadata becomes a dataset, an
unchanged re-run changes nothing, and every dataset exports without SHACL violations. The
per-partner table of the closing note is written to ``$DATENRAUM_PARTNER_TABLE`` if set.
"""

from __future__ import annotations

import collections
import os
import pathlib

import yaml
from ckan.tests.helpers import call_action
from ckanext.dcat.utils import dataset_uri

from ckanext.datenraum.dcatapde import export, validation, vocabularies
from tests.harvest.conftest import harvested, make_source, run, snapshot
from tests.harvest.partner_server import Answer

RECORDINGS = pathlib.Path(__file__).with_name("recordings")
PARTNERS = yaml.safe_load((RECORDINGS / "partners.yaml").read_text(encoding="utf-8"))


def recorded_route(answers: list[dict]):
    def answer(query: dict) -> Answer:
        for recorded in answers:
            if all(query.get(key) == value for key, value in (recorded.get("match") or {}).items()):
                return Answer(
                    (RECORDINGS / recorded["file"]).read_bytes(),
                    content_type=recorded.get("content_type", "application/xml"),
                    status=recorded.get("status", 200),
                )
        return Answer(b"not recorded", content_type="text/plain", status=404)

    return answer


def serve(partner_server, partner: dict) -> str:
    """Serve the partner's routes under /<name>/… (many partners share one server)."""
    for path, answers in partner["routes"].items():
        partner_server.routes[f"/{partner['name']}{path}"] = recorded_route(answers)
    path = partner.get("url", next(iter(partner["routes"])))
    return partner_server.url(f"/{partner['name']}{path}")


def harvest_partner(env, partner_server, partner: dict) -> dict:
    source = make_source(
        env,
        partner["type"],
        serve(partner_server, partner),
        name=partner["name"],
        mapping=partner.get("mapping") or {},
        defaults={},
    )
    return source


def test_recordings_are_all_declared_and_present():
    declared = {answer["file"] for p in PARTNERS for a in p["routes"].values() for answer in a}
    on_disk = {
        str(path.relative_to(RECORDINGS))
        for path in RECORDINGS.rglob("*")
        if path.is_file() and path.name not in {"README.md", "partners.yaml"}
    }
    assert len(PARTNERS) >= 20
    assert declared <= on_disk, declared - on_disk
    counts = collections.Counter(p["type"] for p in PARTNERS)
    assert min(counts.values()) >= 4, counts


def test_every_recorded_partner_holds(harvest_env, partner):
    sources, jobs = {}, {}
    for recorded in PARTNERS:
        sources[recorded["name"]] = harvest_partner(harvest_env, partner, recorded)
        jobs[recorded["name"]] = run(sources[recorded["name"]])
    health = {h["name"]: h for h in call_action("datenraum_harvest_health", {"ignore_auth": True})}
    datasets = {
        name: [call_action("package_show", id=d["id"]) for d in harvested(source).values()]
        for name, source in sources.items()
    }
    before = snapshot()
    reruns = {name: run(source) for name, source in sources.items()}
    after = snapshot()

    owner = {dataset_uri(d): name for name, ds in datasets.items() for d in ds}
    report = validation.validate_graph(
        export.datasets_graph([d for ds in datasets.values() for d in ds])
    )
    violations = collections.defaultdict(list)
    for result in report.violations:
        violations[owner.get(result.dataset, "catalogue")].append(result.line())

    rows = [_row(recorded, reruns, health, datasets, violations) for recorded in PARTNERS]
    _write_table(rows)
    assert after == before, "an unchanged re-run changed datasets"
    by_name = {recorded["name"]: recorded for recorded in PARTNERS}
    problems = [
        f"{row['name']}: {len(datasets[row['name']])} of {row['expected']} datasets, "
        f"gather errors {health[row['name']]['last_job']['messages']}"
        for row in rows
        if row["created"] != row["expected"]
        or not _gather_error_as_declared(by_name[row["name"]], health[row["name"]])
    ]
    assert not problems, "\n".join(problems)
    assert not violations, "\n".join(f"{k}: {v[:3]}" for k, v in violations.items())
    for name, job in reruns.items():
        assert job["stats"]["added"] == job["stats"]["updated"] == 0, (name, job["stats"])


def _gather_error_as_declared(recorded: dict, health: dict) -> bool:
    """A partner declared with a gather error has it among its last job's messages (its
    datasets are counted separately: an incomplete listing imports what it read, 0219)."""
    expected = recorded.get("gather_error")
    messages = health["last_job"]["messages"]
    if expected:
        return any(expected in message for message in messages)
    gather_failed = health["state"] == "failing" and not health["datasets"]
    return not (gather_failed and messages)


def _row(recorded, reruns, health, datasets, violations) -> dict:
    name = recorded["name"]
    licences = collections.Counter(d.get("license_id") or "—" for d in datasets[name])
    return {
        "name": name,
        "type": recorded["type"].removeprefix("datenraum_"),
        "software": recorded["software"],
        "expected": recorded["datasets"],
        "created": len(datasets[name]),
        "notes": len(health[name]["last_job"]["notes"]),
        "note_examples": health[name]["last_job"]["notes"][:2],
        "rerun": reruns[name]["stats"]["added"] + reruns[name]["stats"]["updated"],
        "violations": len(violations.get(name, [])),
        "licences": ", ".join(f"{code} ×{n}" for code, n in sorted(licences.items())),
    }


def _write_table(rows: list[dict]) -> None:
    target = os.environ.get("DATENRAUM_PARTNER_TABLE")
    if not target:
        return
    lines = [
        "| partner | protocol | server software | records | datasets | values dropped (notes) "
        "| re-run changes | SHACL violations | licences |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        examples = "; ".join(row["note_examples"]).replace("|", "/")
        lines.append(
            f"| {row['name']} | {row['type']} | {row['software']} | {row['expected']} "
            f"| {row['created']} | {row['notes']}{' (' + examples + ')' if examples else ''} "
            f"| {row['rerun']} | {row['violations']} | {row['licences']} |"
        )
    pathlib.Path(target).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_open_licences_only_where_the_partner_states_one():
    """The licence table never turns a statement into a more open licence (decision 0210)."""
    flags = vocabularies.open_licence_triples(
        [vocabularies.get("licenses").base + code for code in ("cc-by-nc/4.0", "other-closed")]
    )
    assert not [o for o in flags.objects() if str(o) == "true"]
    assert vocabularies.licence_code("https://creativecommons.org/licenses/by-nc-sa/4.0/") is None
    assert (
        vocabularies.licence_code("http://dcat-ap.de/def/licenses/dl-by-de/2_0") == "dl-by-de/2.0"
    )
    assert (
        vocabularies.licence_code("https://www.dcat-ap.de/def/licenses/cc-by-nc-de/4_0")
        == "cc-by-nc/4.0"
    )
