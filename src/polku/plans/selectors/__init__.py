"""Reads of plans data, one module per area; every one scoped by core.access."""
