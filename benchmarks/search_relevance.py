"""Search relevance: our Solr schema against CKAN's stock schema on the same catalogue.

Starts a private Solr (scripts/solr.sh, free port, temporary home) with two cores: `bench`
(our config set) and `bench_stock` (CKAN 2.12's schema.xml). Indexes the generated demo
catalogue (demo_catalogue.py, ~300 datasets) into both as CKAN's indexer would, then runs the
citizen queries of data/queries.yaml with the parameters CKAN's package_search sends (dismax,
CKAN's mm/tie; stock `qf` for the stock core, the `datenraum_search` plugin's `qf` for ours,
and CKAN's `qf` on our core to show what the analysis alone brings).

Reports recall@10 (found relevant / min(relevant, 10)) and nDCG@10 (binary relevance).

    .venv/bin/python benchmarks/search_relevance.py [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import math
import os
import pathlib
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
CKAN_DISMAX = {"defType": "dismax", "tie": "0.1", "mm": "2<-1 5<80%", "q.op": "AND"}

sys.path.insert(0, str(REPO_ROOT))
from ckanext.datenraum.search.query import with_query_fields  # noqa: E402


def our_query_fields() -> str:
    declaration = yaml.safe_load(SEARCH_DECLARATION.read_text(encoding="utf-8"))
    options = {o["key"]: o for group in declaration["groups"] for o in group["options"]}
    return options["ckanext.datenraum.search.query_fields"]["default"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def private_solr(cores: tuple[str, ...]) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="datenraum-bench-") as tmp:
        port = _free_port()
        env = dict(
            os.environ,
            SOLR_PORT=str(port),
            SOLR_HOME=f"{tmp}/solr",
            SOLR_CORES=" ".join(cores),
            DATENRAUM_VAR=f"{tmp}/var",
            SOLR_HEAP="384m",
        )
        subprocess.run([str(SOLR_SCRIPT), "start"], env=env, check=True, capture_output=True)
        try:
            yield f"http://127.0.0.1:{port}/solr"
        finally:
            subprocess.run([str(SOLR_SCRIPT), "stop"], env=env, check=False, capture_output=True)


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


def index(core_url: str, datasets: list[dict]) -> None:
    response = requests.post(
        f"{core_url}/update?commit=true",
        json=[solr_document(dataset) for dataset in datasets],
        timeout=120,
    )
    response.raise_for_status()


def search(core_url: str, q: str, query_fields: str) -> list[str]:
    params = with_query_fields({"q": q}, query_fields) | CKAN_DISMAX
    params |= {"fq": ["+site_id:benchmark", "+state:active"], "rows": K, "fl": "name"}
    response = requests.get(f"{core_url}/select", params=params, timeout=30)
    response.raise_for_status()
    return [doc["name"] for doc in response.json()["response"]["docs"]]


def relevant_names(query: dict, datasets: list[dict]) -> set[str]:
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


def ndcg_at_k(ranked: list[str], relevant: set[str]) -> float:
    dcg = sum(1 / math.log2(rank + 2) for rank, name in enumerate(ranked[:K]) if name in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), K)))
    return dcg / ideal


def run(verbose: bool) -> dict[str, dict[str, float]]:
    datasets = demo_catalogue.generate()
    queries = yaml.safe_load((demo_catalogue.DATA / "queries.yaml").read_text(encoding="utf-8"))
    variants = {
        "ours": ("bench", our_query_fields()),
        # our schema searched with CKAN's qf: what the analysis alone brings, without the plugin
        "schema": ("bench", QUERY_FIELDS),
        "stock": ("bench_stock", QUERY_FIELDS),
    }
    scores: dict[str, dict[str, list[float]]] = {v: {"recall": [], "ndcg": []} for v in variants}
    cores = tuple(dict.fromkeys(core for core, _ in variants.values()))
    with private_solr(cores) as solr:
        for core in cores:
            index(f"{solr}/{core}", datasets)
        for query in queries:
            relevant = relevant_names(query, datasets)
            line = [f"{query['q']:<24} rel={len(relevant):<2}"]
            for variant, (core, query_fields) in variants.items():
                ranked = search(f"{solr}/{core}", query["q"], query_fields)
                scores[variant]["recall"].append(recall_at_k(ranked, relevant))
                scores[variant]["ndcg"].append(ndcg_at_k(ranked, relevant))
                line.append(
                    f"{variant}: R={scores[variant]['recall'][-1]:.2f} "
                    f"nDCG={scores[variant]['ndcg'][-1]:.2f}"
                )
            if verbose:
                print("  ".join(line))
    means = {
        variant: {metric: sum(values) / len(values) for metric, values in metrics.items()}
        for variant, metrics in scores.items()
    }
    print(f"{len(datasets)} datasets, {len(queries)} queries, k={K}")
    for variant, metrics in means.items():
        print(f"{variant:<6} recall@10 {metrics['recall']:.3f}   nDCG@10 {metrics['ndcg']:.3f}")
    print(
        f"ratio ours/stock: recall@10 {means['ours']['recall'] / means['stock']['recall']:.2f}x, "
        f"nDCG@10 {means['ours']['ndcg'] / means['stock']['ndcg']:.2f}x"
    )
    return means


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every query's scores")
    run(parser.parse_args().verbose)
