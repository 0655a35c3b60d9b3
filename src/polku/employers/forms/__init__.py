"""Input shapes of the employer pages. Rules live in services; forms check types."""
