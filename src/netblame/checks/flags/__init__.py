"""NB112-NB114: component flags that the program would not take as written (``FlagNote``)."""
