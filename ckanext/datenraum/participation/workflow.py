"""The status workflow of a data request, driven by the responsible organisation's editors.

new → under review → planned → published (with the dataset that fulfils it) or declined (with a
reason). Steps may be skipped forwards (data that already exists is published at once); a
published or declined request can be reopened for review, nothing else moves backwards.
"""

from __future__ import annotations

from ckan.plugins.toolkit import _

NEW, REVIEW, PLANNED, PUBLISHED, DECLINED = "new", "review", "planned", "published", "declined"
STATUSES = (NEW, REVIEW, PLANNED, PUBLISHED, DECLINED)
OPEN_STATUSES = (NEW, REVIEW, PLANNED)

TRANSITIONS = {
    NEW: (REVIEW, PLANNED, PUBLISHED, DECLINED),
    REVIEW: (PLANNED, PUBLISHED, DECLINED),
    PLANNED: (PUBLISHED, DECLINED),
    PUBLISHED: (REVIEW,),
    DECLINED: (REVIEW,),
}


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, ())


def label(status: str) -> str:
    """The status in the page's language."""
    return {
        NEW: _("New"),
        REVIEW: _("Under review"),
        PLANNED: _("Planned"),
        PUBLISHED: _("Published"),
        DECLINED: _("Declined"),
    }.get(status, status)


# Use-case kinds (what citizens, companies and the city present).
KINDS = ("application", "visualisation", "study", "article")


def kind_label(kind: str) -> str:
    return {
        "application": _("Application"),
        "visualisation": _("Visualisation"),
        "study": _("Study"),
        "article": _("Article"),
    }.get(kind, kind)
