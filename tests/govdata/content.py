"""The test content of the catalogue the real clients harvest.

- the maximal dataset (every schema field and subfield, a point geometry, an access service);
- a dataset with an area geometry (the bounding box a CSW partner gives);
- datasets that together use every choice of every vocabulary (organisations of every
  publisher type);
- a dataset with control characters and odd Unicode in every text field (written to the
  database directly, as text stored before input was checked: the API refuses it today);
- two distinct datasets that share one ``identifier`` (a copied dataset, "…verzeichnis" and
  "…verzeichnis v2"), which GovData's duplicate detection would fold into one;
- the real catalogues of ../shared/dcat-ap-de/catalogs/, imported with ``ckan datenraum import``;
- one dataset under a partner's URI in the city's organisation, which the GovData feed leaves
  to the partner (decision 0110).
"""

from __future__ import annotations

import copy

from tests.dcatapde_factories import (
    CONTRIBUTOR,
    choices,
    every_choice_fields,
    maximal_fields,
    minimal_dataset_fields,
)

CITY = {
    "name": "stadt-jena",
    "title": "Stadt Jena",
    "dcat_type": "http://purl.org/adms/publishertype/LocalAuthority",
    "uri": "https://www.jena.de",
    "email": "opendata@jena.example",
    "url": "https://www.jena.de",
    "contributor_id": CONTRIBUTOR,
}
# The organisation that receives the imported real catalogues; the feed delivers it by
# configuration (ckanext.datenraum.dcatapde.govdata.include_organizations).
PARTNERS = {"name": "partnerdaten", "title": "Partnerdaten", "contributor_id": CONTRIBUTOR}
AREA = (
    '{"type": "Polygon", "coordinates": '
    "[[[11.45, 50.85], [11.7, 50.85], [11.7, 51.0], [11.45, 51.0], [11.45, 50.85]]]}"
)
# Control characters (C0, DEL, C1, U+FFFE; PostgreSQL cannot even store NUL) and odd Unicode:
# astral characters, combining marks, right-to-left text, zero-width characters, a line
# separator, quotes and markup.
CONTROL = "\x07\x01\x1b\x7f\x85\ufffe"
ODD = "Ä\u0308 🌳 𝔘 \u05e9\u05dc\u05d5\u05dd \u200d\u2028 \"'<&>]]> \\ \u00ad\ufeffß"


def odd(text: str) -> str:
    """``text`` with control characters inside and odd Unicode around it."""
    return f"{text[:3]}{CONTROL}{text[3:]} {ODD}"


def organisations() -> list[dict]:
    publisher_types = [
        {"name": f"typ-{index}", "title": f"Amt {index}", "dcat_type": value}
        for index, value in enumerate(choices("publisher-type"))
    ]
    for org in publisher_types:
        org["contributor_id"] = CONTRIBUTOR
    return [CITY, PARTNERS, *publisher_types]


def datasets() -> list[dict]:
    """Package dicts to create through the API (organisation by name)."""
    created = [
        minimal_dataset_fields(CITY["name"], name="maximal", **maximal_fields()),
        minimal_dataset_fields(
            CITY["name"],
            name="stadtgebiet",
            title="Stadtgebiet Jena",
            spatial_coverage=[{"text": "Jena", "geom": AREA}],
        ),
        minimal_dataset_fields(
            CITY["name"],
            name="kontakt",
            title="Sprechzeiten der Bürgerbüros",
            contact=[
                {
                    "name": "Bürgerservice",
                    "email": "buergerservice@jena.example",
                    "url": "https://www.jena.de/buergerservice",
                    "phone": "+49 3641 49-1234",
                }
            ],
        ),
        minimal_dataset_fields(
            CITY["name"],
            name="strassenverzeichnis",
            title="Straßenverzeichnis",
            identifier="jena-strassenverzeichnis",
            modified="2024-05-01",
        ),
        minimal_dataset_fields(
            CITY["name"],
            name="strassenverzeichnis-v2",
            title="Straßenverzeichnis v2",
            identifier="jena-strassenverzeichnis",
            modified="2025-05-01",
        ),
    ]
    created.append(
        minimal_dataset_fields(
            CITY["name"], name=FOREIGN_NAME, uri="https://www.destatis.de/DE/fremd/1"
        )
    )
    publisher_orgs = [org["name"] for org in organisations()[2:]]
    for index, fields in enumerate(every_choice_fields()):
        created.append(
            minimal_dataset_fields(
                publisher_orgs[index % len(publisher_orgs)],
                name=f"auswahl-{index:03d}",
                title=f"Auswahl {index}",
                **fields,
            )
        )
    created.append(control_dataset_clean())
    return created


CONTROL_NAME = "steuerzeichen"
FOREIGN_NAME = "fremder-datensatz"


def control_dataset_clean() -> dict:
    """The control-character dataset as the API accepts it; ``control_dataset_patch`` then
    writes the odd text into the database."""
    fields = copy.deepcopy(maximal_fields())
    fields.pop("uri")
    for resource in fields["resources"]:
        resource.pop("uri", None)
    for service in fields["resources"][1]["access_services"]:
        service.pop("uri", None)
    fields["tag_string"] = f"Bäume,{ODD_TAG}"
    return minimal_dataset_fields(CITY["name"], name=CONTROL_NAME, **fields)


# Text fields of the dataset, of its repeating subfields and of its resources.
DATASET_TEXTS = ("title", "notes", "version", "identifier")
SUBFIELD_TEXTS = {
    "publisher": ("name",),
    "contact": ("name",),
    "originator": ("name",),
    "custodian": ("name",),
    "spatial_coverage": ("text",),
}
LIST_TEXTS = ("alternate_identifier",)
RESOURCE_TEXTS = ("name", "description", "license_attribution_by_text")
SERVICE_TEXTS = ("title", "description")


def oddify(dataset: dict) -> dict:
    """The dataset (a package_show dict) with odd text in every text field."""
    dataset = copy.deepcopy(dataset)
    for key in DATASET_TEXTS:
        if dataset.get(key):
            dataset[key] = odd(dataset[key])
    for key, subfields in SUBFIELD_TEXTS.items():
        for item in dataset.get(key) or []:
            for subfield in subfields:
                if item.get(subfield):
                    item[subfield] = odd(item[subfield])
    for key in LIST_TEXTS:
        dataset[key] = [odd(value) for value in dataset.get(key) or []]
    for resource in dataset["resources"]:
        for key in RESOURCE_TEXTS:
            if resource.get(key):
                resource[key] = odd(resource[key])
        for service in resource.get("access_services") or []:
            for key in SERVICE_TEXTS:
                if service.get(key):
                    service[key] = odd(service[key])
    return dataset


# CKAN's tag rule (letters, digits, space, "-", "_", ".") already keeps control characters out of
# keywords; letters of other scripts pass it.
ODD_TAG = "Bäume שלום 𝔘nicode"
