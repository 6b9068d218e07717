"""NB5xx: what the physical network must provide, checked on node snapshots (`netblame check --snapshot FILE`,
`netblame handoff --snapshot FILE`)."""
