"""Every write to clients, episodes, consents and care teams.

Each service takes the acting membership first, checks it through `core.access`, validates, and
writes inside one transaction, attributed to the actor in the change audit. A refused or invalid
call raises (PermissionDenied, ValidationError) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polku.clients.models import (
    CareTeamMember,
    Client,
    Consent,
    ConsentCategory,
    Episode,
    Programme,
)
from polku.core import access, audit, crypto, roles
from polku.core.categories import DataCategory, Purpose
from polku.core.models import Membership, Organisation, SecurityEvent, SecurityEventKind
from polku.core.validators import parse_identity_code

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
CLIENT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
    "preferred_language",
    "municipality",
    "phone",
    "email",
    "street_address",
    "postal_code",
    "post_office",
)
POSSIBLE_DUPLICATE = "possible_duplicate"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_client_work(actor: Membership) -> None:
    _require(actor.is_active() and access.works_with_clients(actor))


def key_worker(client: Client) -> CareTeamMember | None:
    return (
        CareTeamMember.objects.filter(client=client, is_key_worker=True, removed_at__isnull=True)
        .select_related("membership__user", "membership__organisation")
        .first()
    )


def _on_team(actor: Membership, client: Client) -> bool:
    return CareTeamMember.objects.filter(
        client=client, membership=actor, removed_at__isnull=True
    ).exists()


def _identity_decision(actor: Membership, client: Client) -> access.Decision:
    if not access.works_with_clients(actor):
        return access.Decision(allowed=False, reason="role")
    return access.decide(actor, client, category=DataCategory.IDENTITY, purpose=Purpose.SERVICE)


def can_work_on(actor: Membership, client: Client) -> bool:
    """May add records of their own about the client (start or end episodes): the registering
    organisation's staff who may see the client, and the members of the care team."""
    decision = _identity_decision(actor, client)
    return decision.reason == "own_organisation" or (decision.allowed and _on_team(actor, client))


def can_manage_client(actor: Membership, client: Client) -> bool:
    """May correct the client's details and record or withdraw consents: the registering
    organisation's staff who may see the client, and the client's key worker.

    A consent lets another organisation read; it never lets that organisation widen its own
    access by recording a further consent, or rewrite the client's details.
    """
    decision = _identity_decision(actor, client)
    if decision.reason == "own_organisation":
        return True
    current = key_worker(client) if decision.allowed else None
    return current is not None and current.membership_id == actor.pk


def _resolve_identity_code(
    identity_code: str, identity_code_type: str, date_of_birth: dt.date | None
) -> tuple[str, str, dt.date | None]:
    """Validate the code (if any) and reconcile it with the date of birth."""
    if not identity_code.strip():
        return "", "", date_of_birth
    if not identity_code_type:
        raise ValidationError({"identity_code_type": _("Choose the type of the identity code.")})
    try:
        parsed = parse_identity_code(identity_code, code_type=identity_code_type)
    except ValidationError as error:
        raise ValidationError({"identity_code": error.messages}) from None
    if date_of_birth is not None and date_of_birth != parsed.birth_date:
        raise ValidationError(
            {
                "date_of_birth": _(
                    "The date of birth differs from the one in the identity code (%(date)s)."
                )
                % {"date": date_format(parsed.birth_date, "SHORT_DATE_FORMAT")}
            }
        )
    return parsed.type, parsed.value, parsed.birth_date


def _check_birth_date(date_of_birth: dt.date | None) -> dt.date:
    if date_of_birth is None:
        raise ValidationError({"date_of_birth": _("Give the date of birth.")})
    if date_of_birth > timezone.localdate() or date_of_birth < EARLIEST_BIRTH_DATE:
        raise ValidationError({"date_of_birth": _("Check the date of birth.")})
    return date_of_birth


def namesakes(*, first_name: str, last_name: str, date_of_birth: dt.date) -> list[uuid.UUID]:
    """Ids of clients with this date of birth and name (case-insensitive, either order).

    Searched across all organisations; the caller reveals only that there is a match, and
    records that it did.
    """
    first, last = first_name.strip().lower(), last_name.strip().lower()
    qs = Client.objects.annotate(f=Lower("first_name"), l=Lower("last_name")).filter(
        Q(f=first, l=last) | Q(f=last, l=first),
        date_of_birth=date_of_birth,
    )
    return list(qs.values_list("pk", flat=True)[:5])


def _record_match(actor: Membership, kind: str, client_id: uuid.UUID) -> None:
    """Record that a registration answered "already a client": the answer itself discloses."""
    with transaction.atomic():
        SecurityEvent.objects.create(
            kind=kind, user_id=actor.user_id, membership=actor, client_id=client_id
        )


def client_register(
    *,
    actor: Membership,
    first_name: str,
    last_name: str,
    gender: str,
    date_of_birth: dt.date | None = None,
    identity_code: str = "",
    identity_code_type: str = "",
    preferred_language: str = "fi",
    municipality_id: int | None = None,
    phone: str = "",
    email: str = "",
    street_address: str = "",
    postal_code: str = "",
    post_office: str = "",
    as_key_worker: bool = True,
    confirm_possible_duplicate: bool = False,
) -> Client:
    """Register a client in the actor's organisation and put the actor on the care team.

    Refuses an identity code that is already registered; warns (ValidationError with code
    "possible_duplicate") when the same name and date of birth exist, until confirmed.
    """
    _require_client_work(actor)
    code_type, code, date_of_birth = _resolve_identity_code(
        identity_code, identity_code_type, date_of_birth
    )
    date_of_birth = _check_birth_date(date_of_birth)
    existing = (
        Client.objects.filter(identity_code_digest=crypto.digest(code))
        .values_list("pk", flat=True)
        .first()
        if code
        else None
    )
    if existing is not None:
        _record_match(actor, SecurityEventKind.IDENTITY_CODE_MATCH, existing)
        raise ValidationError(
            {
                "identity_code": _(
                    "A client with this identity code is already registered in Polku. Ask the "
                    "organisation that registered them to share the client's data with your "
                    "organisation by consent."
                )
            }
        )
    found = namesakes(first_name=first_name, last_name=last_name, date_of_birth=date_of_birth)
    if found and not confirm_possible_duplicate:
        _record_match(actor, SecurityEventKind.NAME_MATCH, found[0])
        raise ValidationError(
            _(
                "A client with the same name and date of birth is already registered. Check "
                "that this is a different person before registering."
            ),
            code=POSSIBLE_DUPLICATE,
        )
    client = Client(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        gender=gender,
        date_of_birth=date_of_birth,
        preferred_language=preferred_language,
        municipality_id=municipality_id,
        phone=phone.strip(),
        email=email.strip(),
        street_address=street_address.strip(),
        postal_code=postal_code.strip(),
        post_office=post_office.strip(),
        recorded_by_id=actor.organisation_id,
        created_by=actor,
    )
    if code:
        client.set_identity_code(code_type, code)
    client.full_clean(exclude=["identity_code_digest"])
    with transaction.atomic(), audit.acting(actor):
        try:
            with transaction.atomic():
                client.save(force_insert=True)
        except IntegrityError:
            # Two registrations of the same code raced; the second loses cleanly.
            raise ValidationError(
                {
                    "identity_code": _(
                        "A client with this identity code is already registered in Polku."
                    )
                }
            ) from None
        CareTeamMember.objects.create(
            client=client, membership=actor, is_key_worker=as_key_worker, added_by=actor
        )
    return client


def client_update(
    *,
    actor: Membership,
    client: Client,
    identity_code: str = "",
    identity_code_type: str = "",
    **fields: object,
) -> Client:
    """Correct a client's identity and contact details.

    Contact details need the contact category as well; an empty identity code keeps the stored
    one. Same validation as registration. Only those who may manage the client
    (`can_manage_client`) may correct details.
    """
    _require(can_manage_client(actor, client))
    unknown = set(fields) - set(CLIENT_FIELDS) - {"municipality_id"}
    if unknown:
        raise ValueError(f"unknown client fields: {sorted(unknown)}")
    if set(Client.fields_in(DataCategory.CONTACT)) & set(fields):
        _require(
            access.can_read(actor, client, category=DataCategory.CONTACT, purpose=Purpose.SERVICE)
        )
    date_of_birth = fields.get("date_of_birth", client.date_of_birth)
    assert date_of_birth is None or isinstance(date_of_birth, dt.date)
    if identity_code.strip():
        code_type, code, date_of_birth = _resolve_identity_code(
            identity_code, identity_code_type, date_of_birth
        )
        other = (
            Client.objects.filter(identity_code_digest=crypto.digest(code))
            .exclude(pk=client.pk)
            .values_list("pk", flat=True)
            .first()
        )
        if other is not None:
            _record_match(actor, SecurityEventKind.IDENTITY_CODE_MATCH, other)
            raise ValidationError(
                {
                    "identity_code": _(
                        "A client with this identity code is already registered in Polku."
                    )
                }
            )
        client.set_identity_code(code_type, code)
    elif client.identity_code and date_of_birth != client.date_of_birth:
        _resolve_identity_code(client.identity_code, client.identity_code_type, date_of_birth)
    fields["date_of_birth"] = _check_birth_date(date_of_birth)
    for name, value in fields.items():
        setattr(client, name, value.strip() if isinstance(value, str) else value)
    client.full_clean(exclude=["identity_code_digest"])
    try:
        with transaction.atomic(), audit.acting(actor):
            client.save()
    except IntegrityError:
        raise ValidationError(
            {"identity_code": _("A client with this identity code is already registered in Polku.")}
        ) from None
    return client


@transaction.atomic
def episode_start(
    *,
    actor: Membership,
    client: Client,
    programme: Programme,
    organisation: Organisation,
    start_date: dt.date,
    months_unemployed: int | None = None,
    days_on_labour_market_subsidy: int | None = None,
) -> Episode:
    """Start the client's participation in a programme. One open episode per programme."""
    _require(can_work_on(actor, client))
    _require(access.role_permits(actor, DataCategory.EMPLOYMENT))
    errors: dict[str, str] = {}
    if start_date < client.date_of_birth:
        errors["start_date"] = _("The episode cannot start before the client was born.")
    elif start_date > timezone.localdate() + dt.timedelta(days=365):
        errors["start_date"] = _("The start date is more than a year ahead.")
    if Episode.objects.filter(client=client, programme=programme, end_date__isnull=True).exists():
        errors["programme"] = _("The client already has an open episode in this programme.")
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        return Episode.objects.create(
            client=client,
            programme=programme,
            organisation=organisation,
            start_date=start_date,
            months_unemployed=months_unemployed,
            days_on_labour_market_subsidy=days_on_labour_market_subsidy,
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )


@transaction.atomic
def episode_end(
    *, actor: Membership, episode: Episode, end_date: dt.date, end_reason: str
) -> Episode:
    """End an open episode with a date and a reason."""
    _require(can_work_on(actor, episode.client))
    _require(
        access.can_read(
            actor,
            episode.client,
            category=DataCategory.EMPLOYMENT,
            purpose=Purpose.SERVICE,
            recorded_by_id=episode.recorded_by_id,
        )
    )
    errors: dict[str, str] = {}
    if episode.end_date is not None:
        errors["end_date"] = _("This episode has already ended.")
    elif end_date < episode.start_date:
        errors["end_date"] = _("The end date is before the start date (%(date)s).") % {
            "date": date_format(episode.start_date, "SHORT_DATE_FORMAT")
        }
    elif end_date > timezone.localdate():
        errors["end_date"] = _("The end date cannot be in the future.")
    if not end_reason:
        errors["end_reason"] = _("Choose why the episode ended.")
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        episode.end_date, episode.end_reason = end_date, end_reason
        episode.save(update_fields=["end_date", "end_reason"])
    # The exit outcome falls due now. A late import, not a signal: apps depend downwards, so
    # clients names evaluation only here, where a reader sees the next step (STYLE.md §2).
    from polku.evaluation.services.outcomes import exit_due  # noqa: PLC0415

    exit_due(episode)
    return episode


@transaction.atomic
def consent_record(
    *,
    actor: Membership,
    client: Client,
    organisations: Iterable[Organisation],
    categories: Iterable[str],
    method: str,
    purpose: str = Purpose.SERVICE,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    note: str = "",
) -> Consent:
    """Record the client's consent to share categories with organisations for a purpose.

    Recorded by those who may manage the client (`can_manage_client`), never by an organisation
    whose only basis is a consent: it could otherwise widen its own access.
    """
    _require(can_manage_client(actor, client))
    organisations, categories = list(organisations), sorted(set(categories))
    valid_from = valid_from or timezone.localdate()
    errors: dict[str, str] = {}
    if not organisations:
        errors["organisations"] = _("Choose at least one organisation.")
    if not categories:
        errors["categories"] = _("Choose at least one data category.")
    elif set(categories) - set(DataCategory.values):
        errors["categories"] = _("Choose categories from the list.")
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("The consent cannot end before it starts.")
    if valid_until is not None and valid_until < timezone.localdate():
        errors["valid_until"] = _("The end date is in the past.")
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        consent = Consent.objects.create(
            client=client,
            purpose=purpose,
            method=method,
            valid_from=valid_from,
            valid_until=valid_until,
            note=note.strip(),
            recorded_by_id=actor.organisation_id,
            created_by=actor,
        )
        consent.organisations.set(organisations)
        # One by one, not in bulk: the change audit records each category shared.
        for category in categories:
            ConsentCategory.objects.create(consent=consent, category=category)
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Membership, consent: Consent) -> Consent:
    """Record that the client withdrew the consent; sharing stops on the next read."""
    _require(can_manage_client(actor, consent.client))
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    with audit.acting(actor):
        consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return consent


def can_manage_team(actor: Membership, client: Client) -> bool:
    """The key worker manages the team; so does a coordinator of the registering organisation,
    and any team member while the client has no key worker."""
    if not access.works_with_clients(actor) or not access.can_read(
        actor, client, category=DataCategory.IDENTITY, purpose=Purpose.SERVICE
    ):
        return False
    current = key_worker(client)
    if current is not None and current.membership_id == actor.pk:
        return True
    if actor.role in roles.ORG_WIDE_ROLES and actor.organisation_id == client.recorded_by_id:
        return True
    return current is None and _on_team(actor, client)


@transaction.atomic
def care_team_add(
    *, actor: Membership, client: Client, membership: Membership, as_key_worker: bool = False
) -> CareTeamMember:
    """Add a professional to the care team.

    A member from another organisation needs the client's consent to share identity data with
    that organisation first: the team is how data flows, so it cannot outrun consent.
    """
    _require(can_manage_team(actor, client))
    errors: dict[str, str] = {}
    if not membership.is_active() or not access.works_with_clients(membership):
        errors["membership"] = _("Choose an active professional who works with clients.")
    elif CareTeamMember.objects.filter(
        client=client, membership=membership, removed_at__isnull=True
    ).exists():
        errors["membership"] = _("This person is already on the care team.")
    elif membership.organisation_id != client.recorded_by_id and not access.can_read(
        membership, client, category=DataCategory.IDENTITY, purpose=Purpose.SERVICE
    ):
        errors["membership"] = _(
            "The client has not consented to share their data with %(organisation)s. Record "
            "a consent first."
        ) % {"organisation": membership.organisation.name}
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        if as_key_worker:
            _clear_key_worker(client)
        return CareTeamMember.objects.create(
            client=client, membership=membership, is_key_worker=as_key_worker, added_by=actor
        )


def _clear_key_worker(client: Client) -> None:
    for member in CareTeamMember.objects.filter(
        client=client, is_key_worker=True, removed_at__isnull=True
    ):
        member.is_key_worker = False
        member.save(update_fields=["is_key_worker"])


@transaction.atomic
def care_team_set_key_worker(*, actor: Membership, member: CareTeamMember) -> CareTeamMember:
    """Make a current team member the client's key worker (replacing the previous one)."""
    _require(can_manage_team(actor, member.client))
    if member.removed_at is not None:
        raise ValidationError(_("This person is no longer on the care team."))
    with audit.acting(actor):
        _clear_key_worker(member.client)
        member.is_key_worker = True
        member.save(update_fields=["is_key_worker"])
    return member


@transaction.atomic
def care_team_remove(*, actor: Membership, member: CareTeamMember) -> CareTeamMember:
    """Take a professional off the care team; their team-based access ends at once."""
    _require(can_manage_team(actor, member.client))
    if member.removed_at is not None:
        raise ValidationError(_("This person is no longer on the care team."))
    with audit.acting(actor):
        member.removed_at, member.removed_by = timezone.now(), actor
        member.is_key_worker = False
        member.save(update_fields=["removed_at", "removed_by", "is_key_worker"])
    return member
