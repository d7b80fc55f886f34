"""Resource previews: DataStore tables (ckanext-xloader, datatables_view), maps (ckanext-geoview)."""
