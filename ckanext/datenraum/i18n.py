"""One gettext catalogue for every plugin of the suite.

Files: ``i18n/<lang>/LC_MESSAGES/ckanext-datenraum.po`` in the top-level folder of the checkout,
linked into the package as ``ckanext/datenraum/locale`` so a wheel carries them (compiled).
"""

from __future__ import annotations

import pathlib

import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

I18N_DOMAIN = "ckanext-datenraum"
# The city's layout keeps translations in the top-level i18n/ folder; the package links to it.
I18N_DIRECTORY = pathlib.Path(__file__).parent / "locale"


class DatenraumTranslation(DefaultTranslation):
    """ITranslation for our plugins: they all share one domain and folder."""

    def i18n_directory(self) -> str:
        return str(I18N_DIRECTORY)

    def i18n_domain(self) -> str:
        return I18N_DOMAIN


def current_language() -> str:
    """The page's language; the default locale outside a web request (CLI, background jobs)."""
    try:
        return tk.h.lang() or tk.config.get("ckan.locale_default")
    except RuntimeError:  # no request context
        return tk.config.get("ckan.locale_default")
