"""Evaluation: outcomes at exit and at follow-ups, ESF+ indicators, time to employment,
comparison groups, cost savings and provider comparison.

Statistics are pure functions over pandas data frames (`estimators`, `savings`); selectors build
those frames from the other apps' records, pseudonymised; the app never writes clinical data
(ARCHITECTURE.md).
"""
