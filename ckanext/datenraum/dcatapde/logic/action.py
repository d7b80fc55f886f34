"""Actions of the DCAT-AP.de plugin."""

__all__: list[str] = []
