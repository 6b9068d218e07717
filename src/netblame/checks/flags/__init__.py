"""NB112-NB114: component flags that the program would not take as written (``FlagNote``)."""

SUBJECT = "netblame.model.flags:FlagNote"
"""The model type every rule of this package reads (a test keeps it true)."""
