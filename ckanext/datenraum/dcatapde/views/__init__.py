"""Blueprints of the DCAT-AP.de plugin."""

from ckanext.datenraum.dcatapde.views.catalog import blueprints

__all__ = ["blueprints"]
