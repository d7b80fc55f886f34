"""Input guard: text that cannot be stored, indexed or exported is refused with a field error.

NUL, lone surrogates and other control characters make PostgreSQL, Solr or XML fail (an HTTP
500, or an RDF page no harvester can parse); huge values break Solr's indexed string fields.
``actions`` checks every string of the data of the write actions before the original runs;
``requests`` refuses what cannot even reach an action (a NUL in a URL, a JSON body nested too
deeply, a lone surrogate in any API parameter).
"""
