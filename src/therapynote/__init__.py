"""therapynote: an offline, encrypted case notebook for solo psychotherapists."""

__version__ = "0.1.0"
