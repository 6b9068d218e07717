"""Live state: the only package that reads live system state (read-only) or dump directories of it."""
