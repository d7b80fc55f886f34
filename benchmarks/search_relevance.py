"""Search relevance: our Solr schema and plugin against CKAN's stock schema, in the same run.

Starts a private Solr (scripts/solr.sh, free port, temporary home) with cores for our config
set (`bench`), CKAN 2.12's schema.xml (`bench_stock`) and our config set without the
OpenThesaurus synonyms (`bench_plain`, to show what the thesaurus adds). Indexes a catalogue
into all of them as CKAN's indexer would (our cores also get the `datenraum_search` plugin's
index fields), then runs judged queries with the parameters CKAN's package_search sends: stock
`qf` for the stock core, the plugin's query (search/query.py) for ours, and CKAN's `qf` on our
core to show what the analysis alone brings.

Catalogues:
- the generated demo catalogue (demo_catalogue.py, ~330 datasets) with data/queries.yaml
  (recall) and data/ambiguity.yaml (precision);
- with ``--solr-core URL --judgements FILE``: the datasets a CKAN indexed into that core after
  ``ckan datenraum import`` of a real catalogue (../shared/dcat-ap-de/catalogs/), judged by
  data/real/*.yaml (relevance by title, written before the queries were run).

Reports recall@10 (found relevant / min(relevant, 10)), nDCG@10 (binary relevance),
precision@10 over the judged results (relevant / (relevant + judged irrelevant) in the top 10;
the ambiguity queries judge titles irrelevant), the strict precision@10 (relevant / all results
shown, an unjudged result counting as wrong) and the judged irrelevant hits; held-out queries
(never looked at while tuning) are reported apart.

    .venv/bin/python benchmarks/search_relevance.py [--verbose]
    .venv/bin/python benchmarks/search_relevance.py --solr-core URL --judgements FILE
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import math
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator

import requests
import yaml
from ckan.lib.search.query import QUERY_FIELDS

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import demo_catalogue  # noqa: E402

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
SOLR_SCRIPT = REPO_ROOT / "scripts" / "solr.sh"
SEARCH_DECLARATION = REPO_ROOT / "ckanext" / "datenraum" / "search" / "config_declaration.yaml"
SITE_ID = "benchmark"
K = 10
# What ckan.lib.search.query.PackageSearchQuery.run sets for a free-text query.
CKAN_DISMAX = {"defType": "dismax", "tie": "0.1", "mm": "2<-1 5<80%"}
CKAN_ALWAYS = {"q.op": "AND", "df": "text"}

sys.path.insert(0, str(REPO_ROOT))
from ckanext.datenraum.search import index as search_index  # noqa: E402
from ckanext.datenraum.search.query import for_solr  # noqa: E402

# Stored fields our schema has and CKAN's stock schema has not (or not multi-valued).
OURS_ONLY = ("suggest_organization", "suggest_context", "_version_")


def our_query_fields() -> str:
    declaration = yaml.safe_load(SEARCH_DECLARATION.read_text(encoding="utf-8"))
    options = {o["key"]: o for group in declaration["groups"] for o in group["options"]}
    return options["ckanext.datenraum.search.query_fields"]["default"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def private_solr() -> Iterator[str]:
    """A Solr with the cores bench, bench_stock and bench_plain."""
    with tempfile.TemporaryDirectory(prefix="datenraum-bench-") as tmp:
        port = _free_port()
        env = dict(
            os.environ,
            SOLR_PORT=str(port),
            SOLR_HOME=f"{tmp}/solr",
            SOLR_CORES="bench bench_stock",
            DATENRAUM_VAR=f"{tmp}/var",
            SOLR_HEAP="384m",
        )
        subprocess.run([str(SOLR_SCRIPT), "start"], env=env, check=True, capture_output=True)
        url = f"http://127.0.0.1:{port}/solr"
        try:
            _add_plain_core(url, pathlib.Path(tmp) / "solr")
            yield url
        finally:
            subprocess.run([str(SOLR_SCRIPT), "stop"], env=env, check=False, capture_output=True)


def _add_plain_core(url: str, solr_home: pathlib.Path) -> None:
    """Core `bench_plain`: our config set with an empty OpenThesaurus synonym file."""
    configsets = solr_home / "configsets"
    shutil.copytree(configsets / "ckan", configsets / "ckan-plain")
    (configsets / "ckan-plain" / "conf" / "lang" / "synonyms_openthesaurus.txt").write_text("")
    (solr_home / "bench_plain").mkdir()
    params = {"action": "CREATE", "name": "bench_plain", "instanceDir": "bench_plain"}
    response = requests.get(
        f"{url}/admin/cores", params=params | {"configSet": "ckan-plain"}, timeout=120
    )
    response.raise_for_status()


def solr_document(dataset: dict) -> dict:
    """The fields ckan.lib.search.index.PackageSearchIndex.index_package sends for a dataset."""
    dataset_id = hashlib.md5(dataset["name"].encode()).hexdigest()  # noqa: S324 (an id)
    resources = dataset["resources"]
    return {
        "id": dataset_id,
        "index_id": hashlib.md5(f"{dataset_id}{SITE_ID}".encode()).hexdigest(),  # noqa: S324
        "site_id": SITE_ID,
        "entity_type": "package",
        "dataset_type": "dataset",
        "state": "active",
        "capacity": "public",
        "name": dataset["name"],
        "title": dataset["title"],
        "title_string": dataset["title"],
        "notes": dataset["notes"],
        "tags": dataset["tags"],
        "groups": [],
        "organization": dataset["organization"],
        "license_id": dataset["license_id"],
        "res_name": [resource["name"] for resource in resources],
        "res_description": [resource["description"] for resource in resources],
        "res_format": [resource["format"] for resource in resources],
        "res_url": [f"https://example.org/{dataset['name']}" for _ in resources],
        "metadata_created": "2025-01-01T00:00:00Z",
        "metadata_modified": "2025-01-01T00:00:00Z",
    }


def documents_of_core(core_url: str, organization: str | None = None) -> list[dict]:
    """The stored documents a CKAN indexed into ``core_url`` (only what CKAN itself sent)."""
    fq = ["+state:active"] + ([f"+organization:{organization}"] if organization else [])
    response = requests.get(
        f"{core_url}/select",
        params={"q": "*:*", "fq": fq, "rows": 100000, "fl": "*", "wt": "json"},
        timeout=120,
    )
    response.raise_for_status()
    docs = response.json()["response"]["docs"]
    return [
        {key: value for key, value in doc.items() if key not in OURS_ONLY} | {"site_id": SITE_ID}
        for doc in docs
    ]


def index(core_url: str, documents: list[dict]) -> None:
    response = requests.post(f"{core_url}/update?commit=true", json=documents, timeout=300)
    response.raise_for_status()


def ckan_params(q: str, query_fields: str, plugin: bool) -> dict:
    """What package_search sends to Solr for the free-text query ``q``."""
    if plugin:
        params = for_solr({"q": q}, query_fields, ["edismax"])
    else:
        params = {"q": q, "qf": query_fields}
    if ":" not in params["q"]:
        params = CKAN_DISMAX | params
    return params | CKAN_ALWAYS


def search(core_url: str, q: str, query_fields: str, plugin: bool) -> list[str]:
    params = ckan_params(q, query_fields, plugin)
    params |= {"fq": [f"+site_id:{SITE_ID}", "+state:active"], "rows": K, "fl": "name,title"}
    response = requests.get(f"{core_url}/select", params=params, timeout=30)
    response.raise_for_status()
    return [(doc["name"], doc.get("title", "")) for doc in response.json()["response"]["docs"]]


def relevant_names(query: dict, datasets: list[dict]) -> set[str]:
    """Generated catalogue: the datasets of the query's topics (narrowed by `only`)."""
    only = query.get("only")
    only = [only] if isinstance(only, str) else only
    return {
        dataset["name"]
        for dataset in datasets
        if dataset["topic"] in query["topics"]
        and (not only or any(part in dataset["title"] for part in only))
    }


def recall_at_k(ranked: list[str], relevant: set[str]) -> float:
    return len(set(ranked[:K]) & relevant) / min(len(relevant), K)


def strict_precision_at_k(ranked: list[str], relevant: set[str]) -> float:
    """Relevant results among all results shown (an unjudged result counts as wrong); an empty
    page is wrong, not precise."""
    return len(set(ranked[:K]) & relevant) / len(ranked[:K]) if ranked else 0.0


def judged_precision_at_k(ranked: list[str], relevant: set[str], false_hits: int) -> float:
    """Relevant results among the judged results shown (relevant or judged irrelevant), the
    precision of a judged-irrelevant list; 0 when no judged result is shown."""
    hits = len(set(ranked[:K]) & relevant)
    return hits / (hits + false_hits) if hits + false_hits else 0.0


def ndcg_at_k(ranked: list[str], relevant: set[str]) -> float:
    dcg = sum(1 / math.log2(rank + 2) for rank, name in enumerate(ranked[:K]) if name in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), K)))
    return dcg / ideal


def judged_irrelevant(titles: list[str], query: dict) -> int:
    fragments = query.get("irrelevant", [])
    return sum(1 for title in titles[:K] if any(f.lower() in title.lower() for f in fragments))


VARIANTS = {
    # name: (core, qf, through the plugin's query)
    "ours": ("bench", None, True),
    "no-thesaurus": ("bench_plain", None, True),
    "schema": ("bench", QUERY_FIELDS, False),  # our analysis with CKAN's qf, no plugin
    "stock": ("bench_stock", QUERY_FIELDS, False),
}


def evaluate(solr: str, judged: list[tuple[dict, set[str]]], verbose: bool) -> dict:
    """Per variant and query set ('recall', 'ambiguity', 'holdout'): mean metrics."""
    ours_qf = our_query_fields()
    scores: dict = {}
    for query, relevant in judged:
        group = query.get("_set", "recall")
        line = [f"{group[:4]} {query['q']:<26} rel={len(relevant):<3}"]
        for variant, (core, qf, plugin) in VARIANTS.items():
            results = search(f"{solr}/{core}", query["q"], qf or ours_qf, plugin)
            ranked = [name for name, _ in results]
            metrics = scores.setdefault(variant, {}).setdefault(group, {})
            false_hits = judged_irrelevant([title for _, title in results], query)
            values = {
                "recall": recall_at_k(ranked, relevant),
                "ndcg": ndcg_at_k(ranked, relevant),
                "precision": judged_precision_at_k(ranked, relevant, false_hits),
                "strict": strict_precision_at_k(ranked, relevant),
                "false": false_hits,
            }
            for metric, value in values.items():
                metrics.setdefault(metric, []).append(value)
            line.append(
                f"{variant}: R={values['recall']:.2f} P={values['precision']:.2f} "
                f"F={values['false']}"
            )
        if verbose:
            print("  ".join(line))
    return {
        variant: {
            group: {metric: sum(v) / len(v) for metric, v in metrics.items()}
            | {"n": len(metrics["recall"])}
            for group, metrics in groups.items()
        }
        for variant, groups in scores.items()
    }


def report(title: str, documents: int, means: dict) -> None:
    print(f"\n{title}: {documents} datasets, k={K}")
    groups = [g for g in ("recall", "ambiguity", "holdout") if g in means["ours"]]
    header = "| variant | " + " | ".join(
        f"{g} ({means['ours'][g]['n']} q): R@10 / P@10 / strict P@10 / nDCG@10 / false hits"
        for g in groups
    )
    print(header + " |")
    print("|---" * (len(groups) + 1) + "|")
    for variant, per_group in means.items():
        cells = [
            f"{m['recall']:.3f} / {m['precision']:.3f} / {m['strict']:.3f} / {m['ndcg']:.3f} / "
            f"{m['false'] * m['n']:.0f}"
            for m in (per_group[g] for g in groups)
        ]
        print(f"| {variant} | " + " | ".join(cells) + " |")
    for group in groups:
        ours, stock = means["ours"][group], means["stock"][group]
        recall = ours["recall"] / max(stock["recall"], 1e-9)
        precision = ours["precision"] / max(stock["precision"], 1e-9)
        print(f"ratio ours/stock ({group}): recall@10 {recall:.2f}x, precision@10 {precision:.2f}x")


def run_generated(verbose: bool) -> dict:
    datasets = demo_catalogue.generate()
    judged = []
    for name, group in (("queries.yaml", None), ("ambiguity.yaml", "ambiguity")):
        for query in yaml.safe_load((demo_catalogue.DATA / name).read_text(encoding="utf-8")):
            query["_set"] = ("holdout" if query.get("holdout") else group) or "recall"
            judged.append((query, relevant_names(query, datasets)))
    stock_documents = [solr_document(dataset) for dataset in datasets]
    return _run("generated catalogue", stock_documents, judged, verbose)


def run_real(core_url: str, judgements: pathlib.Path, verbose: bool) -> dict:
    spec = yaml.safe_load(judgements.read_text(encoding="utf-8"))
    documents = documents_of_core(core_url, spec.get("organization"))
    judged = []
    for query in spec["queries"]:
        pattern = re.compile(query["relevant"], re.IGNORECASE)
        relevant = {doc["name"] for doc in documents if pattern.search(doc.get("title", ""))}
        if not relevant:
            raise SystemExit(f"{judgements}: {query['q']}: no title matches {query['relevant']}")
        irrelevant = query.get("irrelevant") and "ambiguity"
        query["_set"] = "holdout" if query.get("holdout") else irrelevant or "recall"
        judged.append((query, relevant))
    return _run(spec["catalogue"], documents, judged, verbose)


def _run(title: str, stock_documents: list[dict], judged: list, verbose: bool) -> dict:
    ours_documents = [search_index.index_fields(doc) for doc in stock_documents]
    with private_solr() as solr:
        index(f"{solr}/bench_stock", stock_documents)
        index(f"{solr}/bench", ours_documents)
        index(f"{solr}/bench_plain", ours_documents)
        means = evaluate(solr, judged, verbose)
    report(title, len(stock_documents), means)
    return means


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every query's scores")
    parser.add_argument("--solr-core", help="core a CKAN indexed a real catalogue into")
    parser.add_argument("--judgements", type=pathlib.Path, help="judged queries (data/real/*.yaml)")
    arguments = parser.parse_args()
    if arguments.solr_core:
        run_real(arguments.solr_core, arguments.judgements, arguments.verbose)
    else:
        run_generated(arguments.verbose)
