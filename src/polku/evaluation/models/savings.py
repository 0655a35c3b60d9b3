"""Savings rule sets (owned by the savings work; see evaluation/savings/)."""
