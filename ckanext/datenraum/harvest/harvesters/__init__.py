"""The ``IHarvester`` plugins of the suite; each protocol one module, one plugin."""
