"""Tests of the time-to-employment and provider comparison pages, their API and analysis."""
