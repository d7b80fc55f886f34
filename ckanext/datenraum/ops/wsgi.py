"""The WSGI application for production servers.

gunicorn: ``ckanext.datenraum.ops.wsgi:create_application()`` (an application factory, so
importing the module builds nothing); uWSGI and others: ``ckanext.datenraum.ops.wsgi:application``,
built on first access. The configuration file comes from ``CKAN_INI``, as for the ``ckan``
command; CKAN's config loader also sets up logging from it.
"""

from __future__ import annotations

import logging
import os

from ckan.cli import load_config
from ckan.config.middleware import make_app


def create_application():
    """A CKAN application from the configuration file named by ``CKAN_INI``."""
    if not os.environ.get("CKAN_INI"):
        raise RuntimeError("set CKAN_INI to the CKAN configuration file")
    config = load_config(os.environ["CKAN_INI"])
    _enable_server_loggers()
    return make_app(config)


def _enable_server_loggers() -> None:
    """Switch gunicorn's access and error loggers back on in this worker.

    CKAN's config loader applies the file's logging section with ``logging.config.fileConfig``,
    which disables every logger that already exists: in a gunicorn worker those are
    ``gunicorn.access`` and ``gunicorn.error``, so the worker logged no request and no error.
    """
    for name in list(logging.root.manager.loggerDict):
        if name == "gunicorn" or name.startswith("gunicorn."):
            logging.getLogger(name).disabled = False


def __getattr__(name: str):
    if name == "application":
        application = create_application()
        globals()["application"] = application
        return application
    raise AttributeError(name)
