"""Every page speaks one language: a crawler through both locales, anonymous and logged in.

Chromium opens the main pages of the portal under ``/de/`` and ``/en/`` and collects what a
person sees or hears: visible text, ``alt``/``title``/``aria-label``/``placeholder`` attributes,
select options and the document title. A German page fails on any text that is the English
source of a German translation (CKAN core's catalogue, ours, the msgids of the installed plugins'
templates, our schema's labels); an English page fails on any text that is one of those German
translations. The crawl also fails on any request to a host other than this machine.
"""

from __future__ import annotations

import json
import pathlib
import re

import ckan
import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from ckan.tests import factories

from tests.conftest import REPO_ROOT
from tests.dcatapde_factories import CONTRIBUTOR, create_dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SITE_PACKAGES = pathlib.Path(ckan.__file__).parent.parent
# Where the English msgids on our pages come from: core's templates, the plugins' templates and
# code (ckanext-harvest, -scheming and -dcat ship no German catalogue), and ours.
PLUGIN_TEMPLATES = [
    SITE_PACKAGES / "ckan" / "templates",
    SITE_PACKAGES / "ckanext" / "activity",
    SITE_PACKAGES / "ckanext" / "harvest",
    SITE_PACKAGES / "ckanext" / "scheming",
    SITE_PACKAGES / "ckanext" / "dcat",
    REPO_ROOT / "ckanext" / "datenraum",
]
CATALOGUES = [
    SITE_PACKAGES / "ckan" / "i18n" / "de" / "LC_MESSAGES" / "ckan.po",
    REPO_ROOT / "i18n" / "de" / "LC_MESSAGES" / "ckanext-datenraum.po",
]
# Written the same in both languages, or names: never evidence of the wrong language.
NEUTRAL = {
    "CKAN",
    "API",
    "DCAT",
    "GovData",
    "OK",
    "E-Mail",
    "Website",
    "Status",
    "Format",
    "CSV",
    "JSON",
    "URL",
    "URI",
    "Facebook",
    "X",
    "Markdown",
    "Turtle",
    "Name",
    "Harvest",
}
COLLECT_TEXTS = """
const seen = new Set();
const skip = el => el.closest(
  'script, style, code, pre, [data-language-neutral], .select2-hidden-accessible');
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode, parent = node.parentElement;
  if (!parent || skip(parent)) { continue; }
  if (parent.tagName !== 'OPTION' && !parent.getClientRects().length) { continue; }
  seen.add(node.textContent);
}
document.querySelectorAll('[alt], [title], [aria-label], [placeholder]').forEach(el => {
  if (skip(el)) { return; }
  ['alt', 'title', 'aria-label', 'placeholder'].forEach(a => {
    if (el.hasAttribute(a)) { seen.add(el.getAttribute(a)); }
  });
});
seen.add(document.title);
return Array.from(seen);
"""


def _pairs() -> tuple[dict[str, str], set[str]]:
    """English msgid -> German translation where they differ; the msgids written alike."""
    pairs: dict[str, str] = {}
    alike: set[str] = set()
    for catalogue in CATALOGUES:
        with catalogue.open("rb") as handle:
            for message in read_po(handle):
                if not message.id or not message.string:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for msgid, text in zip(ids, strings, strict=False):
                    if text and text != msgid:
                        pairs[msgid] = text
                    elif text:
                        alike.add(msgid)
    return pairs, alike


def _template_msgids() -> set[str]:
    """English msgids of the plugins' templates and Python code (also those nobody translated)."""
    msgids = set()
    for folder in PLUGIN_TEMPLATES:
        for _file, _line, message, _c, _x in extract_from_dir(
            str(folder),
            [
                ("**/2.8_templates/**", "ignore"),  # scheming's templates for old CKAN
                ("**.html", "ckan.lib.extract:extract_ckan"),
                ("**.py", "python"),
            ],
        ):
            msgids.update([message] if isinstance(message, str) else message)
    return {msgid for msgid in msgids if msgid}


def _activity_type_titles() -> set[str]:
    """What CKAN's activity filter shows: ``type | title``, never passed through gettext."""
    from ckanext.activity.logic import validators

    types = set()
    for name in dir(validators):
        if name.startswith("VALIDATORS_") and name.endswith("_ACTIVITY_TYPES"):
            types.update(key.title() for key in getattr(validators, name))
    return types


def _schema_labels() -> dict[str, str]:
    """English -> German of every label and help text of our schemas."""
    pairs = {}

    def visit(node):
        if isinstance(node, dict):
            if set(node) == {"en", "de"} and all(isinstance(v, str) for v in node.values()):
                if node["en"] != node["de"]:
                    pairs[node["en"]] = node["de"]
                return
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for schema in ("dataset.yaml", "organization.yaml"):
        visit(yaml.safe_load((REPO_ROOT / "schemas" / schema).read_text(encoding="utf-8")))
    return pairs


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().rstrip(":").strip()


@pytest.fixture(scope="module")
def vocabulary():
    pairs, alike = _pairs()
    pairs.update(_schema_labels())
    english = {_normalise(m) for m in pairs} | {_normalise(m) for m in _template_msgids()}
    english |= _activity_type_titles()
    german = {_normalise(t) for t in pairs.values()}
    # What reads the same in both languages proves nothing.
    same = {_normalise(m) for m in alike}
    both = english & german
    english -= both | same | NEUTRAL
    german -= both | same | NEUTRAL
    # Only words: no format strings, markup or single characters.
    clean = {t for t in english | german if len(t) > 2 and not re.search(r"[%{<>]", t)}
    return {"de": english & clean, "en": german & clean}


@pytest.fixture
def site(browser_user):
    admin = browser_user(sysadmin=True, fullname="Erika Musterfrau")
    organization = factories.Organization(
        name="stadt-jena",
        title="Stadt Jena",
        contributor_id=CONTRIBUTOR,
        image_url="",
        users=[{"name": admin["name"], "capacity": "admin"}],
    )
    dataset = create_dataset(
        admin["name"],
        organization["id"],
        name="baumkataster-jena",
        title="Baumkataster Jena",
        temporal_start="2024",
        issued="2003-04-29T15:57:01Z",
        theme=["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
        political_geocoding_uri=[
            "http://dcat-ap.de/def/politicalGeocoding/regionalKey/160530000000"
        ],
        publisher=[{"name": "Grünflächenamt Jena", "email": "gruen@jena.de"}],
        contact=[{"name": "Baumkontrolle", "email": "baeume@jena.de"}],
        spatial_coverage=[{"uri": "https://sws.geonames.org/2895044/", "text": "Jena"}],
        resources=[{"url": "https://opendata.jena.de/baeume.csv", "format": "CSV"}],
    )
    return {"admin": admin, "dataset": dataset, "organization": organization}


ANONYMOUS_PAGES = [
    "/",
    "/dataset/",
    "/dataset/baumkataster-jena",
    "/dataset/baumkataster-jena/resource/{resource}",
    "/organization/",
    "/organization/stadt-jena",
    "/organization/about/stadt-jena",
    "/group/",
    "/about",
    "/impressum",
    "/datenschutz",
    "/barrierefreiheit",
    "/developers",
    "/usage",
    "/user/login",
    "/user/register",
    "/datarequest",
    "/datarequest/new",
    "/showcase",
    "/no-such-page",
    "/dataset/no-such-dataset",
]
EDITOR_PAGES = [
    "/dataset/new",
    "/dataset/edit/baumkataster-jena",
    "/dataset/baumkataster-jena/resource/new",
    "/dataset/baumkataster-jena/resource/{resource}/edit",
    "/dataset/activity/baumkataster-jena",
    "/dashboard/datasets",
    "/user/{user}",
    "/organization/edit/stadt-jena",
    "/harvest",
    "/harvest/new",
    "/harvest-health",
    "/ckan-admin",
    "/ckan-admin/pages",
]


def _crawl(browser, vocabulary, pages, values) -> tuple[dict, list]:
    foreign, outside = {}, []
    for language in ("de", "en"):
        for page in pages:
            path = f"/{language}{page.format(**values)}"
            browser.open(path)
            texts = {_normalise(text) for text in browser.js(COLLECT_TEXTS)}
            wrong = sorted(texts & vocabulary[language])
            if wrong:
                foreign[path] = wrong
    outside = browser.third_party_requests()
    return foreign, outside


def test_anonymous_pages_speak_one_language_and_ask_no_third_party(browser, site, vocabulary):
    values = {"resource": site["dataset"]["resources"][0]["id"]}

    foreign, outside = _crawl(browser, vocabulary, ANONYMOUS_PAGES, values)

    assert foreign == {}, json.dumps(foreign, indent=1, ensure_ascii=False)
    assert outside == []


def test_editor_pages_speak_one_language_and_ask_no_third_party(browser, site, vocabulary):
    browser.login(site["admin"])
    values = {"resource": site["dataset"]["resources"][0]["id"], "user": site["admin"]["name"]}

    foreign, outside = _crawl(browser, vocabulary, EDITOR_PAGES, values)

    assert foreign == {}, json.dumps(foreign, indent=1, ensure_ascii=False)
    assert outside == []


def test_the_crawler_notices_a_foreign_string(browser, vocabulary):
    """The check can fail: an English word CKAN translates, shown on a German page."""
    browser.open("/de/about")
    browser.js("document.body.insertAdjacentHTML('beforeend', '<p>Organizations</p>');")

    texts = {_normalise(text) for text in browser.js(COLLECT_TEXTS)}

    assert "Organizations" in texts & vocabulary["de"]
