"""The evaluation pages, one module per area."""
