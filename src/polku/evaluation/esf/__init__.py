"""ESF+ common indicators: codes, set-based counts, the report and its files."""
