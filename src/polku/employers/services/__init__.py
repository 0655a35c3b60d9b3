"""Writes to the employer register: every one checks the actor, validates, and is audited."""
