"""``python -m netblame``."""

from netblame.cli.main import main

main()
