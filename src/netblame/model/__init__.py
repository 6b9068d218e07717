"""Immutable, typed model objects that every analysis reads. No I/O here."""

from netblame.model.cidr import Cidr, parse_cidr
from netblame.model.cluster import ClusterNetwork, CniConfig, Conflict, NodeInfo
from netblame.model.origin import Origin, Sourced

__all__ = ["Cidr", "ClusterNetwork", "CniConfig", "Conflict", "NodeInfo", "Origin", "Sourced", "parse_cidr"]
