"""The portal's text pages: About, Impressum, Datenschutz, Barrierefreiheit.

Each page has a German and an English text. A sysadmin edits them at ``/ckan-admin/pages``;
they are stored as runtime config options (CKAN's ``config_option_update``, table
``system_info``) named ``ckanext.datenraum.portal.text.<page>.<language>``. Until a sysadmin
writes one, the page shows the default text shipped in ``texts/<page>.<language>.md``.
"""

from __future__ import annotations

import dataclasses
import functools
import pathlib

import ckan.plugins.toolkit as tk

TEXTS = pathlib.Path(__file__).with_name("texts")
LANGUAGES = ("de", "en")
OPTION = "ckanext.datenraum.portal.text.{page}.{language}"


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    return message


@dataclasses.dataclass(frozen=True)
class Page:
    name: str
    title: str  # msgid
    endpoint: str


PAGES = (
    Page("about", N_("About"), "home.about"),
    Page("imprint", N_("Imprint"), "datenraum_portal.imprint"),
    Page("privacy", N_("Privacy policy"), "datenraum_portal.privacy"),
    Page("accessibility", N_("Accessibility statement"), "datenraum_portal.accessibility"),
)
BY_NAME = {page.name: page for page in PAGES}


def option(page: str, language: str) -> str:
    return OPTION.format(page=page, language=language)


def add_text_options(schema: dict) -> dict:
    """IConfigurer.update_config_schema: the page texts become runtime-editable options."""
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    for page in PAGES:
        for language in LANGUAGES:
            schema[option(page.name, language)] = [ignore_missing, unicode_safe]
    return schema


@functools.cache
def default_text(page: str, language: str) -> str:
    return (TEXTS / f"{page}.{language}.md").read_text(encoding="utf-8")


def text(page: str, language: str) -> str:
    """The page's Markdown in ``language`` (German for any other): the sysadmin's, else ours."""
    language = language if language in LANGUAGES else "de"
    edited = (tk.config.get(option(page, language)) or "").strip()
    if edited:
        return edited
    return default_text(page, language).format(
        site_title=tk.config.get("ckan.site_title") or "",
        city=tk.config.get("ckanext.datenraum.portal.city_name")
        or tk.config.get("ckan.site_title")
        or "",
        site_url=tk.config.get("ckan.site_url") or "",
    )


def is_default(page: str, language: str) -> bool:
    return not (tk.config.get(option(page, language)) or "").strip()
