"""Comparison groups: people who did not take part, set against a programme's participants.

An evaluator imports a register extract of non-participants as CSV (`importer`), then asks for a
run of the estimators (`services.run_request`): propensity score matching gives the average
effect on the participants (ATT) and difference-in-differences the change in months in work
before and after. Runs are background jobs (`tasks`); pages and the API show aggregates only
(`selectors`, `results`).
"""
