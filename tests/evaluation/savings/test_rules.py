"""The shipped rule sets, loaded by the migration and by `load_rule_sets`, and what a bad rule
file does (nothing)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from polku.evaluation.models.savings import BenefitType, SavingsRule, SavingsRuleSet
from polku.evaluation.savings import rules

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_shipped_rule_sets_the_enacted_one_first() -> None:
    assert list(rules.rule_sets().values_list("code", flat=True)) == [
        "fi-enacted",
        "fi-2015-rule",
        "se-stockholm-social-assistance",
    ]
    assert rules.default_rule_set() == SavingsRuleSet.objects.get(code="fi-enacted")
    assert SavingsRuleSet.objects.get(code="fi-enacted").provisional is True
    assert SavingsRuleSet.objects.get(code="fi-2015-rule").provisional is False


def test_the_enacted_rule_set_holds_the_old_rule_the_2025_steps_and_the_general_benefit() -> None:
    enacted = rules.rules_of(SavingsRuleSet.objects.get(code="fi-enacted"))
    share = {(rule.valid_from, rule.days_from): rule.municipal_share for rule in enacted}
    assert share[(dt.date(2015, 1, 1), 301)] == Decimal("0.5")
    assert share[(dt.date(2015, 1, 1), 1001)] == Decimal("0.7")
    assert share[(dt.date(2025, 1, 1), 1)] == Decimal(0)
    assert share[(dt.date(2025, 1, 1), 101)] == Decimal("0.1")
    general = [r for r in enacted if r.benefit_type == BenefitType.GENERAL_BENEFIT]
    assert {r.valid_from for r in general} == {dt.date(2026, 5, 1)}
    assert all(r.amount == Decimal("37.21") for r in enacted)
    # The 2025 steps end the day before the general benefit starts.
    assert {r.valid_until for r in enacted if r.valid_from == dt.date(2025, 1, 1)} == {
        dt.date(2026, 4, 30)
    }
    assert all(r.municipal_share + r.state_share == 1 for r in enacted)


def test_the_swedish_rule_set_is_a_monthly_amount_all_municipal() -> None:
    (rule,) = rules.rules_of(SavingsRuleSet.objects.get(code="se-stockholm-social-assistance"))
    assert (rule.unit, rule.amount, rule.municipal_share) == (
        "month",
        Decimal("9135.00"),
        Decimal(1),
    )
    assert SavingsRuleSet.objects.get(code="se-stockholm-social-assistance").currency == "SEK"


def test_loading_the_file_again_updates_and_replaces_the_rows() -> None:
    before = SavingsRule.objects.count()
    loaded = rules.load_rule_sets(rules.read_file())
    assert (loaded.created, loaded.updated, loaded.rules) == (0, 3, before)
    assert SavingsRule.objects.count() == before


def test_a_bad_rule_file_names_the_row_and_changes_nothing() -> None:
    document = copy.deepcopy(rules.read_file())
    document["rule_sets"][0]["name"]["en"] = "Changed"
    document["rule_sets"][1]["rules"][1]["municipal_share"] = "0.8"  # 0.8 + 0.5 > 1
    rows = list(SavingsRule.objects.values_list("pk", flat=True))
    with pytest.raises(rules.RuleFileError, match=r"rule set 2 \(fi-2015-rule\), row 2"):
        rules.load_rule_sets(document)
    assert list(SavingsRule.objects.values_list("pk", flat=True)) == rows
    assert SavingsRuleSet.objects.get(code="fi-enacted").name_en != "Changed"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("valid_from", "1.1.2025", "not a date"),
        ("days_from", 0, "days_from must be 1"),
        ("benefit_type", "pension", "unknown benefit_type"),
        ("amount", "lots", "not a number"),
    ],
)
def test_each_bad_value_is_refused(field: str, value: object, message: str) -> None:
    document = copy.deepcopy(rules.read_file())
    document["rule_sets"][2]["rules"][0][field] = value
    with pytest.raises(rules.RuleFileError, match=message):
        rules.parse(document)
