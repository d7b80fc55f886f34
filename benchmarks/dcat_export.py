"""Export speed of the ``dcatap_de`` profile against ckanext-dcat's ``euro_dcat_ap_3``.

Serialises the same generated datasets (package_show-shaped dicts, 3 distributions each) to
Turtle in catalogue pages of 100 with both profiles in the same process, and prints datasets per
second and the ratio; also the time to SHACL-validate one page.

    .venv/bin/python benchmarks/dcat_export.py [--ini test.ini] [--datasets 500]
"""

from __future__ import annotations

import argparse
import pathlib
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
EU = "http://publications.europa.eu/resource/authority/"
PAGE = 100


def generated_dataset(index: int) -> dict:
    dataset_id = str(uuid.uuid4())
    return {
        "id": dataset_id,
        "name": f"datensatz-{index}",
        "title": f"Datensatz {index}",
        "notes": "Generierter Datensatz für den Export-Benchmark.",
        "type": "dataset",
        "metadata_created": "2025-01-01T10:00:00",
        "metadata_modified": "2025-06-01T10:00:00",
        "license_id": "dl-by-de/2.0",
        "tags": [{"name": "Benchmark"}, {"name": "Jena"}],
        "theme": [f"{EU}data-theme/ENVI"],
        "language": [f"{EU}language/DEU"],
        "frequency": f"{EU}frequency/ANNUAL",
        "access_rights": f"{EU}access-right/PUBLIC",
        "contributor_id": "http://dcat-ap.de/def/contributors/govData",
        "publisher": [
            {"name": "Stadt Jena", "uri": "https://www.jena.de", "email": "a@example.org"}
        ],
        "contact": [{"name": "Open Data", "email": "opendata@example.org"}],
        "temporal_start": "2020-01-01",
        "temporal_end": "2024-12-31",
        "resources": [
            {
                "id": str(uuid.uuid4()),
                "package_id": dataset_id,
                "name": f"Teil {part}",
                "url": f"https://example.org/{index}/{part}.csv",
                "format": "CSV",
                "mimetype": "text/csv",
                "size": 1000 + part,
                "created": "2025-01-01T10:00:00",
                "metadata_modified": "2025-06-01T10:00:00",
            }
            for part in range(3)
        ],
    }


def datasets_per_second(profile: str, datasets: list[dict]) -> float:
    from ckanext.dcat.processors import RDFSerializer

    started = time.perf_counter()
    for start in range(0, len(datasets), PAGE):
        serializer = RDFSerializer(profiles=[profile])
        serializer.serialize_catalog({}, datasets[start : start + PAGE], _format="turtle")
    return len(datasets) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(ROOT / "test.ini"))
    parser.add_argument("--datasets", type=int, default=500)
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context():
        from ckanext.dcat.processors import RDFSerializer

        from ckanext.datenraum.dcatapde import validation

        datasets = [generated_dataset(i) for i in range(args.datasets)]
        # Warm-up: vocabulary files and shapes are read once per process.
        datasets_per_second("dcatap_de", datasets[:10])
        datasets_per_second("euro_dcat_ap_3", datasets[:10])
        baseline = datasets_per_second("euro_dcat_ap_3", datasets)
        ours = datasets_per_second("dcatap_de", datasets)

        serializer = RDFSerializer(profiles=["dcatap_de"])
        serializer.graph_from_catalog({})
        for dataset in datasets[:PAGE]:
            serializer.graph_from_dataset(dataset)
        validation.shapes_graph()
        started = time.perf_counter()
        report = validation.validate_graph(serializer.g)
        validate_seconds = time.perf_counter() - started

    print(f"datasets: {len(datasets)} (3 distributions each), pages of {PAGE}, Turtle")
    print(f"euro_dcat_ap_3  {baseline:8.1f} datasets/s")
    print(f"dcatap_de       {ours:8.1f} datasets/s")
    print(f"ratio dcatap_de / euro_dcat_ap_3: {ours / baseline:.2f}")
    print(
        f"SHACL validation of one page ({PAGE} datasets): {validate_seconds:.2f} s, "
        f"{len(report.violations)} violations"
    )


if __name__ == "__main__":
    main()
