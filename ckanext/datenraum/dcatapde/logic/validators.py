"""Validators of the DCAT-AP.de schema: every value that RDF exports as an IRI is checked here."""

from __future__ import annotations

import datetime
import json
import re

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.scheming.validation import scheming_validator
from dateutil.parser import parse as parse_date

from ckanext.datenraum.common import limits, slugs
from ckanext.datenraum.common.uris import is_web_uri
from ckanext.datenraum.dcatapde import vocabularies

__all__ = [
    "datenraum_uri",
    "datenraum_uri_list",
    "datenraum_keywords_required",
    "datenraum_contributor_id_available",
    "datenraum_not_before_start",
    "datenraum_format_code",
    "datenraum_phone",
    "datenraum_hex",
    "datenraum_geojson",
    "datenraum_drop_empty_groups",
    "datenraum_title_length",
    "datenraum_name_from_title",
]

_ = tk._
PHONE = re.compile(r"^\+?[0-9 ()/\-]{5,30}$")
HEX = re.compile(r"^[0-9a-fA-F]+$")
_EARLIEST = datetime.datetime(1, 1, 1)


# The URI check and the file-type table are shared with the harvesters and the import.
is_absolute_uri = is_web_uri
FORMAT_ALIASES = vocabularies.FORMAT_ALIASES


def datenraum_uri(value):
    if value and not is_absolute_uri(value):
        raise tk.Invalid(_("Please enter a full web address starting with http:// or https://"))
    return value


def datenraum_uri_list(value):
    values = value if isinstance(value, list) else json.loads(value or "[]")
    for item in values:
        if not is_absolute_uri(item):
            raise tk.Invalid(
                _(
                    "Please enter full web addresses starting with http:// or https://: {value}"
                ).format(value=item)
            )
    return value


def datenraum_keywords_required(key, data, errors, context):
    """``tag_string`` or ``tags`` must name at least one keyword (GovData delivery rule)."""
    value = data.get(key)
    has_tags = any(
        flat_key[0] == "tags" and flat_key[-1] == "name" and data[flat_key]
        for flat_key in data
        if isinstance(flat_key, tuple)
    )
    if (value is tk.missing or not str(value or "").strip()) and not has_tags:
        errors[key].append(_("Please enter at least one keyword"))
        raise tk.StopOnError
    if value is tk.missing or value is None:
        data[key] = ""


def _organization_contributor_id(owner_org) -> str | None:
    if not owner_org or owner_org is tk.missing:
        return None
    group = model.Group.get(owner_org)
    if group is None:
        return None
    return group.extras.get("contributor_id") or None


def datenraum_contributor_id_available(key, data, errors, context):
    """A dataset needs a dcat-ap.de contributor ID: its own or its organisation's default."""
    value = data.get(key)
    if value and value is not tk.missing:
        return
    if _organization_contributor_id(data.get(("owner_org",))):
        data[key] = ""
        return
    errors[key].append(
        _(
            "Please choose a contributor ID: neither the dataset nor its organisation "
            "names one (GovData requires exactly one)"
        )
    )
    raise tk.StopOnError


def datenraum_not_before_start(key, data, errors, context):
    end = data.get(key)
    start = data.get(("temporal_start",))
    if not end or not start or end is tk.missing or start is tk.missing:
        return
    try:
        if parse_date(str(end), default=_EARLIEST) < parse_date(str(start), default=_EARLIEST):
            errors[key].append(_("The end of the period must not be before its start"))
    except (ValueError, OverflowError):
        return  # dcat_date already reported the malformed date


def datenraum_format_code(value):
    """Accept EU file-type URIs and common spellings ("csv", "GeoJSON") as the list's code."""
    if not value or value is tk.missing:
        return value
    return vocabularies.file_type_code(value)


def datenraum_phone(value):
    if value and not PHONE.match(value):
        raise tk.Invalid(_("Please enter a telephone number, e.g. +49 3641 49-0"))
    return value


def datenraum_hex(value):
    if value and not HEX.match(value):
        raise tk.Invalid(_("A checksum consists of hexadecimal digits (0-9, a-f) only"))
    return value


def datenraum_geojson(value):
    if not value:
        return value
    _refuse_deep_json(value, limits.GEOJSON_DEPTH)
    try:
        geometry = json.loads(value)
    except ValueError:
        raise tk.Invalid(_("Please enter the geometry as GeoJSON")) from None
    if not isinstance(geometry, dict) or "type" not in geometry or "coordinates" not in geometry:
        raise tk.Invalid(_("Please enter the geometry as GeoJSON")) from None
    return value


@scheming_validator
def datenraum_drop_empty_groups(field, schema):
    """Schema ``after_validators`` entry: drops repeating-subfield groups that hold no value.

    A form posted without, say, a publisher still sends one group of blank inputs; stored, it
    would export as an empty foaf:Agent (or, for a distribution's access services, an empty
    dcat:DataService). Runs before scheming stores the groups as extras.
    """
    repeating = _repeating_fields(schema, "dataset_fields")
    resource_repeating = _repeating_fields(schema, "resource_fields")

    def validator(key, data, errors, context):
        groups: dict[tuple, list] = {}
        for flat_key in data:
            if len(flat_key) == 3 and flat_key[0] in repeating and isinstance(flat_key[1], int):
                groups.setdefault(flat_key[:2], []).append(flat_key)
            elif (
                len(flat_key) == 5
                and flat_key[0] == "resources"
                and flat_key[2] in resource_repeating
                and isinstance(flat_key[3], int)
            ):
                groups.setdefault(flat_key[:4], []).append(flat_key)
        for flat_keys in groups.values():
            if all(_is_blank(data[flat_key]) for flat_key in flat_keys):
                for flat_key in flat_keys:
                    del data[flat_key]

    return validator


def _repeating_fields(schema, section: str) -> set[str]:
    return {
        schema_field["field_name"]
        for schema_field in schema.get(section, [])
        if "repeating_subfields" in schema_field
    }


def _is_blank(value) -> bool:
    return (
        value is None
        or value is tk.missing
        or value == []
        # an empty list field after scheming_multiple_text
        or (isinstance(value, str) and value.strip() in ("", "[]"))
    )


# --- Input safety (issue 12): values no parser or index should ever see ------------------------


def _refuse_deep_json(value, limit: int) -> None:
    """Refuse JSON nested deeper than ``limit`` before ``json.loads`` recurses into it."""
    if limits.json_depth_exceeds(str(value), limit):
        raise tk.Invalid(
            _("Please enter the geometry as GeoJSON (nested more than {limit} levels)").format(
                limit=limit
            )
        )


# --- web form (ckanext/datenraum/portal) ------------------------------------------------------

TITLE_MAX_LENGTH = limits.TITLE_CHARS


def datenraum_title_length(value):
    """A title a person can read: at most 500 characters (CKAN sets no limit)."""
    if isinstance(value, str) and len(value) > TITLE_MAX_LENGTH:
        raise tk.Invalid(
            _("Please shorten the title to at most {maximum} characters (it has {length})").format(
                maximum=TITLE_MAX_LENGTH, length=len(value)
            )
        )
    return value


def datenraum_name_from_title(key, data, errors, context):
    """A new dataset without URL name gets one from its title, spelled the German way.

    The form's preview asks ``datenraum_name_from_title`` for the same name; this covers forms
    sent without JavaScript and API calls. An update never renames: it keeps CKAN's error.
    """
    value = data.get(key)
    if (value and value is not tk.missing) or data.get(("id",)):
        return
    title = data.get(("title",))
    if isinstance(title, str) and title.strip():
        data[key] = slugs.name_from_title(title[:TITLE_MAX_LENGTH])
