"""NB3xx: the node data plane, checked on snapshots (`netblame check --live`, `--snapshot FILE`)."""

SUBJECT = "netblame.model.snapshot:Snapshot"
"""The model type every rule of this package reads (a test keeps it true)."""
