"""edgeagent: an on-device agent daemon with a small, grammar-constrained model."""

__version__ = "0.1.0"
