"""Resource previews: DataStore tables (xloader, datatables_view) and maps (ckanext-geoview)."""
