"""NB2xx: node DNS rules over a ``DnsSetup``."""

SUBJECT = "netblame.model.dns:DnsSetup"
"""The model type every rule of this package reads (a test keeps it true)."""
