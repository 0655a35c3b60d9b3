"""Every write in the plans app, one module per area (ARCHITECTURE.md, "Inside an app")."""
