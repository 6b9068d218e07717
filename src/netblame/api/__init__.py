"""The library calls behind ``import netblame``: each command as a function with a typed result."""
