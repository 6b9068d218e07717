"""netblame: is it the network? Plan, check, map and trace Kubernetes node networking."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("netblame")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.1.0"

__all__ = ["__version__"]
