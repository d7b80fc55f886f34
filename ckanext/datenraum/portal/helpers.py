"""Template helpers of the portal: page texts, home-page lists, regions, partial dates."""

from __future__ import annotations

import datetime
import json
import re

import ckan.plugins.toolkit as tk
from babel.dates import format_date
from ckan import model
from werkzeug.exceptions import default_exceptions

from ckanext.datenraum.common import regions
from ckanext.datenraum.i18n import current_language
from ckanext.datenraum.portal import pages

__all__ = [
    "datenraum_portal_pages",
    "datenraum_portal_page_text",
    "datenraum_portal_city_name",
    "datenraum_portal_datasets",
    "datenraum_portal_theme_counts",
    "datenraum_region_label",
    "datenraum_region_options",
    "datenraum_partial_date",
    "datenraum_portal_page_source",
    "datenraum_error_status",
    "datenraum_error_title",
    "datenraum_error_explanation",
    "datenraum_error_detail",
    "datenraum_distinct_choices",
    "datenraum_contributor_required",
    "datenraum_form_sections",
    "user_image",
    "gravatar",
]

_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def datenraum_portal_pages() -> list[pages.Page]:
    return list(pages.PAGES)


def datenraum_portal_page_text(page: str) -> str:
    return pages.text(page, current_language())


def datenraum_portal_page_source(page: str, language: str) -> str:
    """The Markdown the page-text editor shows: the stored text, else the shipped one."""
    return pages.text(page, language)


def datenraum_portal_city_name() -> str:
    return tk.config.get("ckanext.datenraum.portal.city_name") or tk.config.get("ckan.site_title")


def datenraum_portal_datasets(sort: str, rows: int | None = None) -> list[dict]:
    """Public datasets in ``sort`` order (``metadata_created desc``: the newest)."""
    rows = rows or tk.config.get("ckanext.datenraum.portal.home_datasets")
    try:
        result = tk.get_action("package_search")({}, {"sort": sort, "rows": rows})
    except (tk.ValidationError, tk.NotAuthorized):
        return []
    return result["results"]


def datenraum_portal_theme_counts() -> list[dict]:
    """EU data themes that public datasets use: ``{name, display_name, count}``, most first."""
    try:
        result = tk.get_action("package_search")(
            {}, {"rows": 0, "facet.field": ["datenraum_theme"], "facet.limit": 20}
        )
    except (tk.ValidationError, tk.NotAuthorized):
        return []
    items = result.get("search_facets", {}).get("datenraum_theme", {}).get("items", [])
    return sorted(items, key=lambda item: (-item["count"], item["display_name"]))


def datenraum_region_label(uri: str) -> str:
    """A political geocoding URI as a name ("Jena, Stadt (Gemeinde: …)"), else the URI."""
    region = regions.region_for_uri(uri)
    return regions.label(region, current_language()) if region else uri


def datenraum_region_options(values) -> list[dict]:
    """Selected options of the municipality picker: ``{value, text}`` for each stored URI."""
    if isinstance(values, str):
        values = _as_list(values)
    return [{"value": uri, "text": datenraum_region_label(uri)} for uri in values or [] if uri]


def _as_list(value: str) -> list:
    try:
        loaded = json.loads(value)
    except ValueError:
        return [value] if value else []
    return loaded if isinstance(loaded, list) else [str(loaded)]


def datenraum_partial_date(value) -> str:
    """A date in its stored precision: "2024", "März 2024", "29. April 2003"."""
    if not value:
        return ""
    text = str(value).strip()
    locale = current_language()
    if _YEAR.match(text):
        return text
    month = _YEAR_MONTH.match(text)
    if month:
        day = datetime.date(int(month.group(1)), int(month.group(2)), 1)
        return format_date(day, "LLLL yyyy", locale=locale)
    full = _DATE.match(text)
    if full:
        try:
            day = datetime.date(*(int(part) for part in full.groups()))
        except ValueError:
            return text
        return format_date(day, "long", locale=locale)
    return text


def datenraum_distinct_choices(field: dict) -> list[dict]:
    """A select field's choices as ``{value, text}``; labels used twice show their code."""
    choices = tk.h.scheming_field_choices(field) or []
    texts = [tk.h.scheming_language_text(choice["label"]) for choice in choices]
    options = []
    for choice, text in zip(choices, texts, strict=True):
        if texts.count(text) > 1:
            text = f"{text} ({str(choice['value']).rstrip('/').rsplit('/', 1)[-1]})"
        options.append({"value": choice["value"], "text": text})
    return options


def datenraum_contributor_required() -> bool:
    """Whether the user must choose a contributor ID: no organisation of theirs has a default."""
    for organization in tk.h.organizations_available("create_dataset"):
        group = model.Group.get(organization["id"])
        if group is not None and group.extras.get("contributor_id"):
            return False
    return True


def datenraum_form_sections(fields: list[dict], data: dict, errors: dict) -> list[dict]:
    """The form's fields grouped by ``datenraum_section`` (schemas/dataset.yaml), in order.

    A section is open when it is the first one, holds an error, or holds a value.
    """
    sections: list[dict] = []
    for field in fields:
        if field.get("datenraum_section") or not sections:
            spec = field.get("datenraum_section") or {"id": "fields", "title": {}, "hint": {}}
            sections.append({**spec, "fields": [], "open": not sections})
        section = sections[-1]
        section["fields"].append(field)
        name = field["field_name"]
        if errors.get(name) or any(key.startswith(name + "-") for key in errors or {}):
            section["open"] = True
            section["has_errors"] = True
        if name not in ("owner_org",) and _has_value(data.get(name)):
            section["open"] = True
    return sections


def _has_value(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip()) and value.strip() not in ("[]", "{}")
    if isinstance(value, dict):
        return any(_has_value(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_has_value(item) for item in value)
    return value not in (None, False)


@tk.chained_helper
def user_image(next_helper, user_id: str, size: int = 100):
    """CKAN's user image without Gravatar: an uploaded picture, else a local placeholder.

    Gravatar would send every visitor's browser to a third party with a hash of the user's
    e-mail address; ``ckan.gravatar_default`` is ignored on purpose.
    """
    try:
        user = tk.get_action("user_show")({"ignore_auth": True}, {"id": user_id})
    except tk.ObjectNotFound:
        return ""
    if user.get("image_display_url"):
        return next_helper(user_id, size)
    return tk.h.snippet("user/snippets/placeholder.html", size=size, user_name=user["display_name"])


@tk.chained_helper
def gravatar(next_helper, email_hash: str, size: int = 100, default=None):
    """Never a Gravatar URL: the local placeholder (see ``user_image``)."""
    return tk.h.snippet("user/snippets/placeholder.html", size=size, user_name="")


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    return message


ERROR_TITLES = {
    400: N_("Bad request"),
    401: N_("Please log in"),
    403: N_("Access denied"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("Upload too large"),
    500: N_("Internal server error"),
    503: N_("Service unavailable"),
}
ERROR_EXPLANATIONS = {
    400: N_("The server could not understand the request."),
    401: N_("This page is only available after logging in."),
    403: N_("You are not allowed to see this page or to do this."),
    404: N_("There is no page at this address. It may have been moved or deleted."),
    405: N_("This page cannot be used this way."),
    409: N_("The request conflicts with the current state of the data."),
    413: N_("The file is larger than the portal accepts."),
    500: N_("Something went wrong on our side. Please try again later."),
    503: N_("The portal is being maintained. Please try again later."),
}


def datenraum_error_status(code) -> int:
    """The HTTP status of an error page (CKAN passes ``[500]`` for unexpected errors)."""
    if isinstance(code, list | tuple):
        code = code[0] if code else 500
    try:
        return int(code)
    except (TypeError, ValueError):
        return 500


def datenraum_error_title(status: int) -> str:
    return tk._(ERROR_TITLES.get(status, N_("Error")))


def datenraum_error_explanation(status: int) -> str:
    return tk._(ERROR_EXPLANATIONS.get(status, ERROR_EXPLANATIONS[500]))


def datenraum_error_detail(status: int, content) -> str:
    """The view's own message (already translated), not Werkzeug's English default text."""
    text = str(content or "").strip()
    exception = default_exceptions.get(status)
    if not text or (exception and text == exception.description) or text == "Internal server error":
        return ""
    return text
