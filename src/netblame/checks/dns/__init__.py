"""NB2xx: node DNS rules over a ``DnsSetup``."""
