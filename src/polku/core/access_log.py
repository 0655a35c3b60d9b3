"""The read-access log: who read whose data, in which category, for what purpose, and when.

Rows are appended in batches under a lock on the chain's head, each row's hash covering its own
fields and the previous hash. The hash is an HMAC-SHA256 keyed from POLKU_SECRET_KEY, so someone
with write access to the database alone cannot rewrite the chain consistently. `verify()`
recomputes the chain and names the first row that was altered, inserted or removed. A page that
shows many clients writes one batch: one INSERT, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from polku.core import crypto
from polku.core.models import AccessLogEntry, AccessLogHead, Membership

GENESIS_HASH = "0" * 64


def entry_hash(
    *,
    seq: int,
    at: dt.datetime,
    user_id: int,
    membership_id: int,
    organisation_id: int,
    role: str,
    client_id: uuid.UUID,
    category: str,
    purpose: str,
    action: str,
    prev_hash: str,
) -> str:
    # A fixed field order and UTC timestamps keep the hash identical on SQLite and PostgreSQL.
    canonical = "|".join(
        [
            str(seq),
            at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            str(user_id),
            str(membership_id),
            str(organisation_id),
            role,
            str(client_id),
            category,
            purpose,
            action,
            prev_hash,
        ]
    )
    return hmac.new(crypto.access_log_key(), canonical.encode(), hashlib.sha256).hexdigest()


def _row_hash(entry: AccessLogEntry) -> str:
    return entry_hash(
        seq=entry.seq,
        at=entry.at,
        user_id=entry.user_id,
        membership_id=entry.membership_id,
        organisation_id=entry.organisation_id,
        role=entry.role,
        client_id=entry.client_id,
        category=entry.category,
        purpose=entry.purpose,
        action=entry.action,
        prev_hash=entry.prev_hash,
    )


def _lock_head() -> AccessLogHead:
    head = AccessLogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AccessLogHead.objects.get_or_create(pk=1)
        head = AccessLogHead.objects.select_for_update().get(pk=1)
    return head


def record(
    viewer: Membership,
    reads: Iterable[tuple[uuid.UUID, str]],
    *,
    purpose: str,
    action: str,
) -> int:
    """Append one row per (client id, category) read by `viewer`; return the number written.

    Duplicates within one call are written once. Runs in its own atomic block (joining the
    caller's transaction if there is one), so the log and the chain head never disagree.
    """
    unique_reads = list(dict.fromkeys((uuid.UUID(str(cid)), cat) for cid, cat in reads))
    if not unique_reads:
        return 0
    with transaction.atomic():
        head = _lock_head()
        at = timezone.now()  # after the lock: times follow the order of the chain
        seq, prev = head.seq, head.hash
        entries = []
        for client_id, category in unique_reads:
            seq += 1
            entry = AccessLogEntry(
                seq=seq,
                at=at,
                user_id=viewer.user_id,
                membership_id=viewer.pk,
                organisation_id=viewer.organisation_id,
                role=viewer.role,
                client_id=client_id,
                category=category,
                purpose=purpose,
                action=action,
                prev_hash=prev,
            )
            entry.hash = prev = _row_hash(entry)
            entries.append(entry)
        AccessLogEntry.objects.bulk_create(entries)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])
    return len(entries)


def record_clients(
    viewer: Membership,
    client_ids: Iterable[uuid.UUID],
    *,
    category: str,
    purpose: str,
    action: str,
) -> int:
    """Log that `viewer` read `category` of each of these clients (a list page, an export)."""
    return record(viewer, ((cid, category) for cid in client_ids), purpose=purpose, action=action)


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str = ""


def _entries(batch: int, *, up_to: int) -> Iterator[AccessLogEntry]:
    return AccessLogEntry.objects.filter(seq__lte=up_to).order_by("seq").iterator(chunk_size=batch)


def verify(*, batch: int = 5000) -> Verification:
    """Recompute the whole chain. Returns where it first breaks, if anywhere.

    Detects an altered row (its hash no longer matches), a removed or inserted row (a gap in
    `seq` or a broken link to the previous hash), and removed newest rows (the head disagrees).
    Rows appended while it runs are left for the next run: the head is read first, and rows up
    to it were committed together with it.
    """
    head = AccessLogHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    expected_seq, prev = 1, GENESIS_HASH
    checked = 0
    for entry in _entries(batch, up_to=head_seq):
        if entry.seq != expected_seq:
            return Verification(
                False,
                checked,
                expected_seq,
                f"row {expected_seq} is missing (next row is {entry.seq})",
            )
        if entry.prev_hash != prev:
            return Verification(False, checked, entry.seq, "does not link to the previous row")
        if _row_hash(entry) != entry.hash:
            return Verification(False, checked, entry.seq, "contents were altered")
        prev = entry.hash
        expected_seq += 1
        checked += 1
    if head_seq != checked or head_hash != prev:
        return Verification(
            False,
            checked,
            checked + 1,
            f"the log ends at row {checked} but the chain head is at row "
            f"{head_seq}: the newest rows were removed",
        )
    return Verification(True, checked)
