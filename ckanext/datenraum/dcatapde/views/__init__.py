"""Blueprints of the DCAT-AP.de plugin."""

from ckanext.datenraum.dcatapde.views.govdata import govdata

__all__ = ["govdata"]
