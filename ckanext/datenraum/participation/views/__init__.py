"""Blueprints of participation; importing the view modules registers their routes."""

from ckanext.datenraum.participation.views import comments, requests, usecases  # noqa: F401
from ckanext.datenraum.participation.views.base import participation

blueprints = [participation]
