"""IPS fidelity: the 25-item scale, what the data suggests for it, reviews and their reports.

The scale, its anchors and its bands are the IPS-25 Supported Employment Fidelity Scale (Becker,
Swanson, Reese, Bond & McLeman, *Supported Employment Fidelity Review Manual*, 4th ed., 2019),
summarised in ../shared/domain/IPS.md. Polku suggests; the reviewers decide every score.
"""
