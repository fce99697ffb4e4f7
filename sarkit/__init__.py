"""sarkit: answer subject access requests for children's social care records."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sarkit")  # the one version number is in pyproject.toml
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
