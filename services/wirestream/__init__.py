"""wirestream: clean raw news text and tag its wire-agency attribution, on Kafka."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wirestream")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
