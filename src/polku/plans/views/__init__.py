"""Staff pages of the plans app, one module per area; each exposes `urlpatterns`."""
