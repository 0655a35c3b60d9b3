"""Writes to the employer register: employers, their workplaces and people, and the services
agreed with them.

The register is not client data and is shared by the network: an employment specialist or an
employer liaison of any organisation may add and correct any employer (permissions.py). Every
write is in the change audit, attributed to the actor; contact persons' names, phones and
e-mails are masked there (EmployerPerson.personal_data).

`employer_prepare` and `location_prepare` validate without saving, so the importer checks a
whole file with exactly the rules the forms and the API use before it writes anything.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.core import audit
from polku.core.classifications import industries
from polku.core.models import Country, Membership
from polku.core.validators import normalise_business_id, normalise_swedish_org_number
from polku.employers.models import (
    Employer,
    EmployerAgreement,
    EmployerLocation,
    EmployerPerson,
    EmployerServiceKind,
    SizeClass,
)
from polku.employers.permissions import require_write

NAME_MAX_LENGTH = 200
NOTES_MAX_LENGTH = 5000


def _text(value: str | None) -> str:
    return (value or "").strip()


def _full_clean(
    obj: Employer | EmployerLocation | EmployerPerson, errors: dict[str, list[str]]
) -> None:
    """The model's own checks (lengths, choices, URL, e-mail) for the fields not found wrong
    already, their messages added to `errors`. Uniqueness and constraints are the services'
    to check, with messages of their own."""
    try:
        obj.full_clean(
            exclude=["registered_by", "created_by", "employer", *errors],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)


def normalised_business_id(country: str, value: str) -> str:
    """The Business ID (FI) or organisation number (SE) in stored form; "" stays "".

    Raises ValidationError with a message naming the part that is wrong (core.validators).
    """
    value = _text(value)
    if not value:
        return ""
    if country == Country.SWEDEN:
        return normalise_swedish_org_number(value)
    return normalise_business_id(value)


def employer_with_business_id(
    country: str, business_id: str, *, exclude: Employer | None = None
) -> Employer | None:
    """The employer already registered with this normalised ID, if any."""
    if not business_id:
        return None
    found = Employer.objects.filter(country=country, business_id=business_id)
    if exclude is not None and exclude.pk is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def duplicate_message(existing: Employer) -> str:
    return _("This Business ID is already in the register: %(name)s.") % {"name": existing.name}


def employer_prepare(
    employer: Employer,
    *,
    name: str,
    country: str = Country.FINLAND,
    business_id: str = "",
    industry: str = "",
    size_class: str = "",
    is_social_enterprise: bool = False,
    website: str = "",
    notes: str = "",
    is_active: bool = True,
) -> Employer:
    """Set and check `employer`'s values without saving.

    The Business ID is normalised by the country's rules (Y-tunnus in Finland, organisation
    number in Sweden); one already registered to another employer is an error naming that
    employer. Raises ValidationError by field; `employer` may then be half-changed (reload it).
    """
    errors: dict[str, list[str]] = {}
    employer.name = _text(name)
    if not employer.name:
        errors["name"] = [_("Give the employer's name.")]
    employer.country = country
    if country not in Country.values:
        errors["country"] = [_("Choose Finland or Sweden.")]
    else:
        try:
            employer.business_id = normalised_business_id(country, business_id)
        except ValidationError as error:
            errors["business_id"] = error.messages
        else:
            existing = employer_with_business_id(country, employer.business_id, exclude=employer)
            if existing is not None:
                errors["business_id"] = [duplicate_message(existing)]
    employer.industry = _text(industry).upper()
    if employer.industry and employer.industry not in industries():
        errors["industry"] = [
            _("%(code)s is not a NACE Rev. 2 / TOL 2008 section letter (A–U).")
            % {"code": employer.industry[:10]}
        ]
    employer.size_class = size_class
    if size_class and size_class not in SizeClass.values:
        errors["size_class"] = [_("Choose a size class from the list.")]
    employer.is_social_enterprise = is_social_enterprise
    employer.website = _text(website)
    employer.notes = _text(notes)
    if len(employer.notes) > NOTES_MAX_LENGTH:
        errors["notes"] = [
            _("Keep the notes under %(count)d characters.") % {"count": NOTES_MAX_LENGTH}
        ]
    employer.is_active = is_active
    _full_clean(employer, errors)
    if errors:
        raise ValidationError(errors)
    return employer


@transaction.atomic
def employer_save(
    *,
    actor: Membership,
    employer: Employer | None = None,
    name: str,
    country: str = Country.FINLAND,
    business_id: str = "",
    industry: str = "",
    size_class: str = "",
    is_social_enterprise: bool = False,
    website: str = "",
    notes: str = "",
    is_active: bool = True,
) -> Employer:
    """Register an employer (when `employer` is None) or change one.

    A new employer is registered by the actor's organisation. Raises PermissionDenied unless
    the actor may write the register; ValidationError by field (see `employer_prepare`), with
    nothing changed.
    """
    require_write(actor)
    if employer is None:
        target = Employer(registered_by=actor.organisation, created_by=actor)
    else:
        # A copy: a refused change must not leave the caller's instance half-changed.
        target = Employer.objects.select_for_update().get(pk=employer.pk)
    employer_prepare(
        target,
        name=name,
        country=country,
        business_id=business_id,
        industry=industry,
        size_class=size_class,
        is_social_enterprise=is_social_enterprise,
        website=website,
        notes=notes,
        is_active=is_active,
    )
    with audit.acting(actor):
        target.save()
    return target


_FI_POSTAL_CODE = re.compile(r"^[0-9]{5}$")
_SE_POSTAL_CODE = re.compile(r"^([0-9]{3}) ?([0-9]{2})$")


def normalised_postal_code(country: str, value: str) -> str:
    """A Finnish postal code (five digits) or a Swedish one (NNN NN); "" stays ""."""
    value = _text(value)
    if not value:
        return ""
    if country == Country.SWEDEN:
        match = _SE_POSTAL_CODE.match(value)
        if not match:
            raise ValidationError(_("A Swedish postal code has five digits, e.g. 111 22."))
        return f"{match.group(1)} {match.group(2)}"
    if not _FI_POSTAL_CODE.match(value):
        raise ValidationError(_("A Finnish postal code has five digits, e.g. 00100."))
    return value


def location_prepare(
    location: EmployerLocation,
    *,
    country: str,
    name: str = "",
    street_address: str = "",
    postal_code: str = "",
    municipality: str,
) -> EmployerLocation:
    """Set and check a workplace's values without saving; ValidationError by field."""
    errors: dict[str, list[str]] = {}
    location.name = _text(name)
    location.street_address = _text(street_address)
    location.municipality = _text(municipality)
    if not location.municipality:
        errors["municipality"] = [_("Give the municipality.")]
    try:
        location.postal_code = normalised_postal_code(country, postal_code)
    except ValidationError as error:
        errors["postal_code"] = error.messages
    _full_clean(location, errors)
    if errors:
        raise ValidationError(errors)
    return location


@transaction.atomic
def location_save(
    *,
    actor: Membership,
    employer: Employer,
    location: EmployerLocation | None = None,
    name: str = "",
    street_address: str = "",
    postal_code: str = "",
    municipality: str,
) -> EmployerLocation:
    """Add a workplace to `employer` (when `location` is None) or change one of its own.

    Raises PermissionDenied unless the actor may write the register; ValidationError by
    field; ValueError if `location` belongs to another employer (a caller's bug).
    """
    require_write(actor)
    if location is None:
        target = EmployerLocation(employer=employer)
    else:
        if location.employer_id != employer.pk:
            msg = "the workplace belongs to another employer"
            raise ValueError(msg)
        target = EmployerLocation.objects.get(pk=location.pk)
    location_prepare(
        target,
        country=employer.country,
        name=name,
        street_address=street_address,
        postal_code=postal_code,
        municipality=municipality,
    )
    with audit.acting(actor):
        target.save()
    return target


@transaction.atomic
def person_save(
    *,
    actor: Membership,
    employer: Employer,
    person: EmployerPerson | None = None,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    is_primary: bool = False,
) -> EmployerPerson:
    """Add a contact person to `employer` or change one of its own.

    Only one person is the primary contact: marking one unmarks the others. Raises
    PermissionDenied, ValidationError by field, or ValueError for another employer's person.
    """
    require_write(actor)
    if person is None:
        target = EmployerPerson(employer=employer)
    else:
        if person.employer_id != employer.pk:
            msg = "the person belongs to another employer"
            raise ValueError(msg)
        target = EmployerPerson.objects.get(pk=person.pk)
    target.name = _text(name)
    target.title = _text(title)
    target.phone = _text(phone)
    target.email = _text(email).lower()
    target.is_primary = is_primary
    errors: dict[str, list[str]] = {}
    if not target.name:
        errors["name"] = [_("Give the person's name.")]
    if target.phone and not re.fullmatch(r"\+?[0-9 ()-]{5,40}", target.phone):
        errors["phone"] = [_("Give a phone number with digits, e.g. +358 40 123 4567.")]
    _full_clean(target, errors)
    if errors:
        raise ValidationError(errors)
    with audit.acting(actor):
        if is_primary:
            others = EmployerPerson.objects.filter(employer=employer, is_primary=True)
            for other in others.exclude(pk=target.pk):
                other.is_primary = False
                other.save(update_fields=["is_primary"])  # one by one: each is audited
        target.save()
    return target


@transaction.atomic
def person_remove(*, actor: Membership, person: EmployerPerson) -> None:
    """Take a contact person off the register (they left, or asked to be removed).

    Past employer contacts keep their date and outcome; who was met is no longer shown. The
    change audit records the removal, with the person's details masked.
    """
    require_write(actor)
    with audit.acting(actor):
        person.delete()


@transaction.atomic
def agreement_create(
    *,
    actor: Membership,
    employer: Employer,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    description: str = "",
) -> EmployerAgreement:
    """Record a service agreed with `employer` for a period, by the actor's organisation.

    Raises PermissionDenied, or ValidationError by field: an unknown service, an end before
    the start.
    """
    require_write(actor)
    errors: dict[str, list[str]] = {}
    if kind not in EmployerServiceKind.values:
        errors["kind"] = [_("Choose a service from the list.")]
    if end_date is not None and end_date < start_date:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
    description = _text(description)
    if len(description) > NOTES_MAX_LENGTH:
        errors["description"] = [
            _("Keep the description under %(count)d characters.") % {"count": NOTES_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    agreement = EmployerAgreement(
        employer=employer,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        description=description,
        organisation=actor.organisation,
        agreed_by=actor,
    )
    with audit.acting(actor):
        agreement.save()
    return agreement
