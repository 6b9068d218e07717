"""NB1xx: address planning rules over ``ClusterNetwork``."""

SUBJECT = "netblame.model.cluster:ClusterNetwork"
"""The model type every rule of this package reads (a test keeps it true)."""
