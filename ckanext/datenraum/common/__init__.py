"""Code shared by the suite's capabilities (dcatapde, harvest, usage, search, …).

Nothing in this package imports a capability: the capabilities import it, never each other.
"""
