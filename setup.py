"""ckanext-datenraum: the CKAN extension suite of a German city's urban data space."""

import pathlib

from setuptools import find_namespace_packages, setup

setup(
    name="ckanext-datenraum",
    version="0.1.0",
    description="DCAT-AP.de metadata, partner harvesters, privacy-first usage statistics and "
    "German search for a city's open data catalogue (CKAN 2.12)",
    long_description=pathlib.Path(__file__).with_name("README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11",
    packages=find_namespace_packages(include=["ckanext", "ckanext.*"]),
    include_package_data=True,
    package_data={
        "": ["*.yaml", "*.yml", "*.json", "*.html", "*.txt", "*.ttl", "*.rdf", "*.js", "*.css"]
        + ["*.ini", "*.mako", "README", "*.csv", "*.geojson", "*.md", "*.tsv"]
    },
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
