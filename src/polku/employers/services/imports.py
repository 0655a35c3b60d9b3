"""Import of employers and vacancies from CSV or XLSX (rules: importer/__init__.py)."""

from __future__ import annotations

from django.db import transaction

from polku.core import audit
from polku.core.models import Membership, Organisation
from polku.employers import importer
from polku.employers.permissions import require_write


def employers_import(
    *,
    actor: Membership | None,
    data: bytes,
    filename: str = "",
    dry_run: bool = False,
    organisation: Organisation | None = None,
    expected_digest: str = "",
) -> importer.ImportReport:
    """Check a file of employers and/or vacancies and, unless `dry_run`, import it.

    Every row is checked first; with any error the report lists them all and nothing is
    written. Otherwise all the changes are written in one transaction, in the change audit as
    the actor's. `expected_digest`: the digest of the preview the user confirmed; if the file
    or what it would change differs now (someone changed the register meanwhile), nothing is
    written and the report is marked stale, to be previewed again.

    `actor` None is the operator at the command line; new employers are then registered by
    `organisation`. Raises PermissionDenied for a membership that may not write the register.
    """
    if actor is not None:
        require_write(actor)
        organisation = actor.organisation
    with transaction.atomic():
        plan, report = importer.check(data, filename, actor=actor, organisation=organisation)
        report.dry_run = dry_run
        if expected_digest and report.digest != expected_digest:
            report.stale = True
            return report
        if report.ok and not dry_run:
            if actor is None:
                plan.apply()
            else:
                with audit.acting(actor):
                    plan.apply()
            report.written = True
    return report
