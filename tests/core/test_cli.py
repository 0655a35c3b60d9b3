"""The `polku` console command wraps manage.py and accepts dashed command names."""

from __future__ import annotations

import pytest
from django.db import connection

from polku import cli
from polku.core import access_log
from polku.core.categories import Purpose
from polku.core.models import AccessAction
from tests.factories import ClientFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_dashed_command_names_run_the_management_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli.main(["polku", "verify-access-log"])
    assert capsys.readouterr().out.strip() == "Access log intact: 0 rows verified."


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite has no append-only trigger")
def test_a_broken_log_makes_the_command_exit_with_status_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    access_log.record(
        MembershipFactory(),
        [(ClientFactory().pk, "identity")],
        purpose=Purpose.SERVICE,
        action=AccessAction.VIEW,
    )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_accesslogentry SET purpose = 'audit'")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["polku", "verify-access-log"])
    assert exit_info.value.code == 1
    assert "Access log broken at row 1: contents were altered" in capsys.readouterr().err
