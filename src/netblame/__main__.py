"""``python -m netblame``."""

from netblame.cli.entry import main

main()
