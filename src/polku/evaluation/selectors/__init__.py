"""Reads of the evaluation app's client data, scoped by `core.access` and logged where shown."""
