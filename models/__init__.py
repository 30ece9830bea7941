"""Model manifest (data only)."""
