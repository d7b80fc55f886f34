"""ckanext-datenraum: a city's urban data space on CKAN 2.12."""
