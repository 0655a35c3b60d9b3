"""The programme dashboard's figures: targets against actuals, participants in and out by
month, the situation at exit by gender and age band, referral timeliness, IPS fidelity, time to
employment and savings (`selectors.dashboard`).

Aggregates only, over the pseudonymised participant frame (`polku.evaluation.cohort`): nothing
names a client, so nothing is written to the read-access log. Disclosure control as the IPS
outcomes (`polku.ips.outcomes.selectors`): groups of 1–4 people — by gender, age band,
provider, sector, programme or month of entry — are left out of every figure and named
(`cohort.leave_out_small_groups`, shared with the time-to-employment and provider pages),
counts of 1–4 are "<5", and further counts are hidden where a table's sums would give a hidden
one away (`protection.protect_cells`).
"""
