"""Input shapes of the evaluation app's pages."""
