"""NB5xx: what the physical network must provide, checked on node snapshots (`netblame check --snapshot FILE`,
`netblame handoff --snapshot FILE`)."""

SUBJECT = "netblame.model.snapshot:Snapshot"
"""The model type every rule of this package reads (a test keeps it true)."""
