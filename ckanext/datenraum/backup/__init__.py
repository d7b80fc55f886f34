"""Backup, restore and exit: ``ckan datenraum export-all DIR`` and ``import-all DIR``.

An export is a folder of open formats (JSON lines, CSV, YAML, Turtle, the original files) with
``manifest.json`` listing every file with its SHA-256; ``core`` writes CKAN's own objects,
plugins add their parts through ``common.backup.IDatenraumBackup``; ``archive`` runs them and
checks the manifest before an import touches anything.
"""
