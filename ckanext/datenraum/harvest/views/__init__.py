"""Blueprints of the harvest capability."""

from ckanext.datenraum.harvest.views.health import blueprint

__all__ = ["blueprint"]
