"""Reads of the employer register.

The register holds no client data: every membership whose role may read it (permissions.py)
reads all of it, and nothing goes to the read-access log. The viewer is still the first
argument of every selector, so a caller without such a membership gets nothing.
"""
