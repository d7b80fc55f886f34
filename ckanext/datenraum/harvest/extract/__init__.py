"""Pure functions turning partner documents into :class:`Record` objects (no CKAN, no I/O)."""

from ckanext.datenraum.harvest.extract.record import Distribution, Record

__all__ = ["Distribution", "Record"]
