"""IPS outcomes the programme sees: employment since entry, job tenure, hours worked and jobs
per employer, broken down by gender and age band at entry. Aggregates only, small counts
suppressed (`polku.core.disclosure`).

`calculations` holds the arithmetic as pure functions; `selectors` builds their input with two
set-based queries and applies the disclosure rules (groups of 1–4 cases left out of every
figure, small counts suppressed); `report` draws the chart and the PDF; `formatting` writes
percentages the one way the page, the PDF and the chart share.
"""
