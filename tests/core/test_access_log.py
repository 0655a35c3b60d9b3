"""The read-access log is append-only, hash-chained, written in bulk, and verifiable."""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from polku.core import access_log
from polku.core.categories import DataCategory, Purpose
from polku.core.models import AccessAction, AccessLogEntry, AccessLogHead, AppendOnlyError
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
C = DataCategory


def _write(rows: int, batches: int = 1) -> None:
    viewer = MembershipFactory()
    for _ in range(batches):
        access_log.record_clients(
            viewer,
            [uuid.uuid4() for _ in range(rows)],
            category=C.IDENTITY,
            purpose=Purpose.SERVICE,
            action=AccessAction.LIST,
        )


def _inserts(captured: CaptureQueriesContext) -> int:
    return sum(
        1
        for query in captured.captured_queries
        if query["sql"].upper().startswith('INSERT INTO "CORE_ACCESSLOGENTRY"')
    )


@pytest.fixture
def raw_tamper() -> Iterator[None]:
    """Let a test alter rows as an attacker with database access would: on PostgreSQL the
    append-only triggers must be switched off first (they are restored afterwards)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_accesslogentry DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE core_accessloghead DISABLE TRIGGER USER")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_accesslogentry ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE core_accessloghead ENABLE TRIGGER USER")


def test_a_page_of_fifty_rows_is_logged_with_one_insert() -> None:
    viewer = MembershipFactory()
    ids = [uuid.uuid4() for _ in range(50)]
    with CaptureQueriesContext(connection) as captured:
        written = access_log.record_clients(
            viewer, ids, category=C.IDENTITY, purpose=Purpose.SERVICE, action=AccessAction.LIST
        )
    assert written == 50
    assert _inserts(captured) == 1
    rows = list(AccessLogEntry.objects.order_by("seq"))
    assert [r.client_id for r in rows] == ids
    assert {(r.user_id, r.membership_id, r.organisation_id, r.role) for r in rows} == {
        (viewer.user_id, viewer.pk, viewer.organisation_id, viewer.role)
    }


def test_each_row_links_to_the_previous_one_and_the_head_follows() -> None:
    _write(3, batches=2)
    rows = list(AccessLogEntry.objects.order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0].prev_hash == access_log.GENESIS_HASH
    for previous, row in itertools.pairwise(rows):
        assert row.prev_hash == previous.hash
    head = AccessLogHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (6, rows[-1].hash)


def test_the_same_read_twice_in_one_call_is_logged_once() -> None:
    viewer, client_id = MembershipFactory(), uuid.uuid4()
    written = access_log.record(
        viewer,
        [(client_id, C.IDENTITY), (client_id, C.IDENTITY), (client_id, C.CONTACT)],
        purpose=Purpose.SERVICE,
        action=AccessAction.VIEW,
    )
    assert written == 2
    assert sorted(AccessLogEntry.objects.values_list("category", flat=True)) == [
        "contact",
        "identity",
    ]


def test_an_intact_log_verifies() -> None:
    _write(5, batches=3)
    assert access_log.verify(batch=4) == access_log.Verification(True, 15)


def test_the_model_refuses_to_update_or_delete_a_row() -> None:
    _write(1)
    entry = AccessLogEntry.objects.get()
    entry.purpose = Purpose.AUDIT
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_raw_updates_and_deletes() -> None:
    _write(2)
    for statement in (
        "UPDATE core_accesslogentry SET purpose = 'audit'",
        "DELETE FROM core_accesslogentry",
        "UPDATE core_accessloghead SET seq = 0",
    ):
        with (
            pytest.raises(DatabaseError, match=r"append-only|cannot move backwards"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AccessLogEntry.objects.count() == 2


@pytest.mark.usefixtures("raw_tamper")
def test_an_altered_row_is_found_and_named() -> None:
    _write(4)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_accesslogentry SET category = 'health' WHERE seq = 3")
    result = access_log.verify()
    assert (result.ok, result.first_broken_seq, result.checked) == (False, 3, 2)
    assert result.problem == "contents were altered"


@pytest.mark.usefixtures("raw_tamper")
def test_a_removed_row_in_the_middle_is_found() -> None:
    _write(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_accesslogentry WHERE seq = 2")
    result = access_log.verify()
    assert (result.ok, result.first_broken_seq) == (False, 2)
    assert result.problem == "row 2 is missing (next row is 3)"


@pytest.mark.usefixtures("raw_tamper")
def test_removed_newest_rows_are_found_through_the_head() -> None:
    _write(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_accesslogentry WHERE seq = 4")
    result = access_log.verify()
    assert (result.ok, result.first_broken_seq) == (False, 4)


@pytest.mark.usefixtures("raw_tamper")
def test_a_chain_rewritten_without_the_key_is_found() -> None:
    """Someone with only database access alters a row and recomputes every later hash and the
    head with plain SHA-256: without POLKU_SECRET_KEY's chain key the result still fails."""
    _write(4)
    prev = AccessLogEntry.objects.get(seq=1).hash
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_accesslogentry SET category = 'health' WHERE seq = 2")
        for seq in (2, 3, 4):
            row = AccessLogEntry.objects.get(seq=seq)
            fields = "|".join([str(row.seq), row.category, row.action, prev])
            forged = hashlib.sha256(fields.encode()).hexdigest()
            cursor.execute(
                "UPDATE core_accesslogentry SET prev_hash = %s, hash = %s WHERE seq = %s",
                [prev, forged, seq],
            )
            prev = forged
        cursor.execute("UPDATE core_accessloghead SET hash = %s", [prev])
    result = access_log.verify()
    assert (result.ok, result.first_broken_seq, result.problem) == (
        False,
        2,
        "contents were altered",
    )


def test_rows_appended_while_verifying_are_left_for_the_next_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _write(3)
    entries = access_log._entries

    def append_midway(batch: int, *, up_to: int) -> Iterator[AccessLogEntry]:
        for index, entry in enumerate(entries(batch, up_to=up_to)):
            if index == 1:
                _write(2)  # another request reads client data meanwhile
            yield entry

    monkeypatch.setattr(access_log, "_entries", append_midway)
    assert access_log.verify() == access_log.Verification(True, 3)
    monkeypatch.undo()
    assert access_log.verify() == access_log.Verification(True, 5)


def test_verify_command_reports_success() -> None:
    _write(2)
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    assert out.getvalue().strip() == "Access log intact: 2 rows verified."


@pytest.mark.usefixtures("raw_tamper")
def test_verify_command_exits_non_zero_and_names_the_first_broken_row() -> None:
    _write(3)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_accesslogentry SET action = 'export' WHERE seq = 2")
    with pytest.raises(CommandError) as error:
        call_command("verify_access_log")
    assert error.value.returncode == 1
    assert str(error.value).startswith("Access log broken at row 2: contents were altered")
