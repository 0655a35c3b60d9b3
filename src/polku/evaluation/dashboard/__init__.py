"""The programme dashboard's figures: targets against actuals, participants in and out by
month, the situation at exit by gender and age band, referral timeliness, IPS fidelity, time to
employment and savings (`selectors.dashboard`).

Aggregates only, over the pseudonymised participant frame (`polku.evaluation.cohort`): nothing
names a client, so nothing is written to the read-access log. Disclosure control as the IPS
outcomes (`polku.ips.outcomes.selectors`): groups of 1–4 people are left out of every figure and
named (`protection.leave_out_small_groups`), counts of 1–4 are "<5", and further counts are
hidden where a table's sums would give a hidden one away (`protection.protect_cells`).
"""
