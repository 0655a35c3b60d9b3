"""Rule sets as data: loading the shipped file, and reading rule sets for the calculator.

`data/rule_sets.json` holds every shipped rule set; `load_rule_sets` checks the whole file first
and then writes it in one transaction (a rule set is updated by its code and its rows replaced),
so a bad file changes nothing. Migration 0002 and `polku savings-rules-load` call it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from polku.evaluation.models.savings import (
    AmountUnit,
    BenefitType,
    SavingsKind,
    SavingsRule,
    SavingsRuleSet,
)
from polku.evaluation.savings.calculator import Rule

DATA_FILE = Path(__file__).parent / "data" / "rule_sets.json"


class RuleFileError(ValueError):
    """The rule file is not as described; the message names the rule set and row."""


@dataclass(frozen=True)
class Loaded:
    created: int
    updated: int
    rules: int


def _decimal(value: Any, where: str, *, low: Decimal, high: Decimal | None) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RuleFileError(f"{where}: not a number: {value!r}") from None
    if number < low or (high is not None and number > high):
        raise RuleFileError(f"{where}: {number} is outside {low}–{high or '…'}")
    return number


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RuleFileError(f"{where}: not a date as YYYY-MM-DD: {value!r}") from None


def _rule(raw: dict[str, Any], where: str) -> dict[str, Any]:
    valid_from = _date(raw.get("valid_from"), f"{where} valid_from")
    if valid_from is None:
        raise RuleFileError(f"{where}: valid_from is required")
    valid_until = _date(raw.get("valid_until"), f"{where} valid_until")
    if valid_until is not None and valid_until < valid_from:
        raise RuleFileError(f"{where}: valid_until is before valid_from")
    days_from = int(raw.get("days_from", 0))
    days_to = raw.get("days_to")
    if days_from < 1 or (days_to is not None and int(days_to) < days_from):
        raise RuleFileError(f"{where}: days_from must be 1 or more and days_to not below it")
    if raw.get("benefit_type") not in BenefitType.values:
        raise RuleFileError(f"{where}: unknown benefit_type {raw.get('benefit_type')!r}")
    if raw.get("amount_unit", AmountUnit.DAY) not in AmountUnit.values:
        raise RuleFileError(f"{where}: unknown amount_unit {raw.get('amount_unit')!r}")
    municipal = _decimal(
        raw.get("municipal_share"), f"{where} municipal_share", low=Decimal(0), high=Decimal(1)
    )
    state = _decimal(
        raw.get("state_share"), f"{where} state_share", low=Decimal(0), high=Decimal(1)
    )
    if municipal + state > 1:
        raise RuleFileError(f"{where}: the shares add up to more than 1")
    return {
        "valid_from": valid_from,
        "valid_until": valid_until,
        "benefit_type": raw["benefit_type"],
        "days_from": days_from,
        "days_to": None if days_to is None else int(days_to),
        "municipal_share": municipal,
        "state_share": state,
        "amount": _decimal(raw.get("amount"), f"{where} amount", low=Decimal(0), high=None),
        "amount_unit": raw.get("amount_unit", AmountUnit.DAY),
        "note": str(raw.get("note", ""))[:300],
    }


def parse(document: dict[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The rule sets and their rows from the file's JSON; RuleFileError for anything amiss."""
    parsed = []
    codes = set()
    for index, raw in enumerate(document.get("rule_sets", []), start=1):
        code = str(raw.get("code", ""))
        where = f"rule set {index} ({code or 'no code'})"
        if not code or code in codes:
            raise RuleFileError(f"{where}: a code is required and must be unique")
        codes.add(code)
        names = raw.get("name", {})
        if not all(names.get(language) for language in ("fi", "sv", "en")):
            raise RuleFileError(f"{where}: a name in fi, sv and en is required")
        if raw.get("kind") not in SavingsKind.values:
            raise RuleFileError(f"{where}: unknown kind {raw.get('kind')!r}")
        fields = {
            "name_fi": names["fi"],
            "name_sv": names["sv"],
            "name_en": names["en"],
            "kind": raw["kind"],
            "country": str(raw.get("country", "")),
            "currency": str(raw.get("currency", "EUR")),
            "source": str(raw.get("source", "")),
            "note": str(raw.get("note", "")),
            "provisional": bool(raw.get("provisional", False)),
            "position": int(raw.get("position", index)),
        }
        rows = [
            _rule(row, f"{where}, row {number}")
            for number, row in enumerate(raw.get("rules", []), start=1)
        ]
        if not rows:
            raise RuleFileError(f"{where}: no rows")
        parsed.append(({"code": code, **fields}, rows))
    if not parsed:
        raise RuleFileError("the file has no rule sets")
    return parsed


def read_file(path: Path = DATA_FILE) -> dict[str, Any]:
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise RuleFileError(f"{path}: {error}") from None
    return document


@transaction.atomic
def load_rule_sets(
    document: dict[str, Any],
    *,
    rule_set_model: Any = SavingsRuleSet,
    rule_model: Any = SavingsRule,
) -> Loaded:
    """Create or update every rule set of `document` by code, replacing its rows.

    Rule sets not in the file are left alone (a deployment may hold its own). The models are
    parameters so that the data migration can pass its historical ones.
    """
    parsed = parse(document)
    created = updated = count = 0
    for fields, rows in parsed:
        code = fields.pop("code")
        rule_set, was_created = rule_set_model.objects.update_or_create(code=code, defaults=fields)
        created += was_created
        updated += not was_created
        rule_model.objects.filter(rule_set=rule_set).delete()
        rule_model.objects.bulk_create([rule_model(rule_set=rule_set, **row) for row in rows])
        count += len(rows)
    return Loaded(created=created, updated=updated, rules=count)


def rule_sets() -> QuerySet[SavingsRuleSet]:
    """Every rule set, the default (lowest position) first. Reference data, not personal."""
    return SavingsRuleSet.objects.order_by("position", "code")


def default_rule_set() -> SavingsRuleSet | None:
    return rule_sets().first()


def rules_of(rule_set: SavingsRuleSet) -> list[Rule]:
    """The rule set's rows for the calculator, in one query."""
    return [
        Rule(
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            days_from=row.days_from,
            days_to=row.days_to,
            municipal_share=row.municipal_share,
            state_share=row.state_share,
            amount=row.amount,
            unit=row.amount_unit,
            benefit_type=row.benefit_type,
        )
        for row in SavingsRule.objects.filter(rule_set=rule_set).order_by("valid_from", "days_from")
    ]
