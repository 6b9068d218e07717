"""The command line: thin wiring from arguments to library calls and renderers."""
