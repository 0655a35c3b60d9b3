"""Input forms of the plans app, one module per area."""
