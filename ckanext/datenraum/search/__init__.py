"""German-first public search: query fields for our Solr schema and DCAT-AP.de facets."""
