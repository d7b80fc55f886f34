"""ckanext-datenraum: the CKAN extension suite of a German city's urban data space.

The wheel carries everything a non-editable install needs: the top-level folders ``schemas/``,
``harvest_sources/`` and ``i18n/`` are linked into the package (``ckanext/datenraum/schemas``,
``…/harvest_sources``, ``…/locale``) and copied into the wheel, and the build compiles the
translation catalogues into ``.mo`` files there. Configurations name these files by package path
(``ckanext.datenraum:schemas/dataset.yaml``), as ckanext-dcat and ckanext-scheming do.
"""

import pathlib
import runpy

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE_LOCALE = pathlib.Path("ckanext", "datenraum", "locale")


class BuildWithCatalogues(build_py):
    """build_py that also compiles the gettext catalogues it copied into the build."""

    def run(self):
        super().run()
        if self.dry_run:
            return
        compiler = runpy.run_path(str(HERE / "scripts" / "compile_translations.py"))
        compiler["compile_folder"](pathlib.Path(self.build_lib) / PACKAGE_LOCALE, force=True)


setup(
    name="ckanext-datenraum",
    version="0.1.0",
    description="DCAT-AP.de metadata, partner harvesters, privacy-first usage statistics and "
    "German search for a city's open data catalogue (CKAN 2.12)",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11",
    packages=find_namespace_packages(include=["ckanext", "ckanext.*"]),
    include_package_data=True,
    package_data={
        "": ["*.yaml", "*.yml", "*.json", "*.html", "*.txt", "*.ttl", "*.rdf", "*.js", "*.css"]
        + ["*.ini", "*.mako", "README", "*.csv", "*.geojson", "*.md", "*.tsv"],
        "ckanext.datenraum.locale": ["*.pot", "*/LC_MESSAGES/*.po"],
    },
    exclude_package_data={"": ["*.mo"]},  # compiled fresh by BuildWithCatalogues
    cmdclass={"build_py": BuildWithCatalogues},
    zip_safe=False,
    # Pinned in requirements.txt; here the compatible ranges for installs into an existing CKAN.
    install_requires=[
        "ckan>=2.12,<2.13",
        "ckanext-dcat>=2.4.4,<2.5",
        "ckanext-scheming>=3.1.0,<3.2",
        "ckanext-harvest>=1.6.3,<1.7",
        "python-slugify>=8,<10",
    ],
    entry_points={
        "ckan.plugins": [
            "datenraum = ckanext.datenraum.plugin:DatenraumPlugin",
            "datenraum_harvest = ckanext.datenraum.harvest.plugin:DatenraumHarvestPlugin",
            "datenraum_harvest_dcat = ckanext.datenraum.harvest.plugin:DatenraumDCATHarvester",
            "datenraum_harvest_ckan = ckanext.datenraum.harvest.plugin:DatenraumCKANHarvester",
            "datenraum_harvest_csw = ckanext.datenraum.harvest.plugin:DatenraumCSWHarvester",
            "datenraum_harvest_gtfs = ckanext.datenraum.harvest.plugin:DatenraumGTFSHarvester",
            "datenraum_harvest_oaipmh = ckanext.datenraum.harvest.plugin:DatenraumOAIPMHHarvester",
            "datenraum_dcatapde = ckanext.datenraum.dcatapde.plugin:DcatApDePlugin",
            "datenraum_search = ckanext.datenraum.search.plugin:DatenraumSearchPlugin",
            "datenraum_usage = ckanext.datenraum.usage.plugin:DatenraumUsagePlugin",
            "datenraum_portal = ckanext.datenraum.portal.plugin:DatenraumPortalPlugin",
            "datenraum_participation = "
            "ckanext.datenraum.participation.plugin:DatenraumParticipationPlugin",
            "datenraum_preview = ckanext.datenraum.preview.plugin:DatenraumPreviewPlugin",
        ],
        "ckan.rdf.profiles": [
            "dcatap_de = ckanext.datenraum.dcatapde.profile:DCATAPdeProfile",
        ],
    },
)
