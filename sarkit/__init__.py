"""sarkit: answer subject access requests for children's social care records."""

__version__ = "0.1.0"
