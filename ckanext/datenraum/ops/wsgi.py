"""The WSGI application for production servers.

gunicorn: ``ckanext.datenraum.ops.wsgi:create_application()`` (an application factory, so
importing the module builds nothing); uWSGI and others: ``ckanext.datenraum.ops.wsgi:application``,
built on first access. The configuration file comes from ``CKAN_INI``, as for the ``ckan``
command; CKAN's config loader also sets up logging from it.
"""

from __future__ import annotations

import os

from ckan.cli import load_config
from ckan.config.middleware import make_app


def create_application():
    """A CKAN application from the configuration file named by ``CKAN_INI``."""
    if not os.environ.get("CKAN_INI"):
        raise RuntimeError("set CKAN_INI to the CKAN configuration file")
    return make_app(load_config(os.environ["CKAN_INI"]))


def __getattr__(name: str):
    if name == "application":
        application = create_application()
        globals()["application"] = application
        return application
    raise AttributeError(name)
