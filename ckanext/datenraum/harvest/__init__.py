"""Partner harvesters and harvest sources as code (issue 4).

``sources`` reads and checks ``harvest_sources/*.yaml``, ``sync`` makes CKAN match them,
``http`` and ``xml`` fetch and parse partner documents safely, ``extract`` turns partner
documents into dataset dicts (pure functions), ``harvesters`` are the ``IHarvester`` plugins.
"""
