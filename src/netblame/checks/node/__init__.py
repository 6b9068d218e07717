"""NB3xx: the node data plane, checked on snapshots (`netblame check --live`, `--snapshot FILE`)."""
