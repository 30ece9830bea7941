"""Hand-written GBNF envelopes (data only)."""
