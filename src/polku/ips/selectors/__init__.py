"""Reads of IPS client work, one module per area; every one scoped by core.access."""
