"""Writes to the employer register: who may write, Business ID rules, validation, audit.

Every refused or invalid call leaves the register as it was.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from polku.core.models import Membership
from polku.core.roles import Role
from polku.core.validators import ytunnus_check_digit
from polku.employers.models import (
    Employer,
    EmployerAgreement,
    EmployerInteraction,
    EmployerLocation,
    EmployerPerson,
    Vacancy,
)
from polku.employers.services import contacts, register, vacancies
from tests.factories import EmployerFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def liaison(**kwargs: Any) -> Membership:
    return MembershipFactory(role=Role.EMPLOYER_LIAISON, **kwargs)


def specialist(**kwargs: Any) -> Membership:
    return MembershipFactory(role=Role.EMPLOYMENT_SPECIALIST, **kwargs)


def messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- Employers -----------------------------------------------------------------------------------


def test_a_liaison_registers_an_employer_with_a_normalised_business_id() -> None:
    actor = liaison()
    employer = register.employer_save(
        actor=actor,
        name="  Kauppa Oy ",
        business_id=" 112038-9 ",
        industry="g",
        size_class="small",
        is_social_enterprise=True,
        website="https://kauppa.example.invalid",
    )
    employer.refresh_from_db()
    assert employer.name == "Kauppa Oy"
    assert employer.business_id == "0112038-9"  # padded old six-digit ID, hyphen kept
    assert employer.industry == "G"
    assert employer.registered_by == actor.organisation
    assert employer.created_by == actor
    entry = LogEntry.objects.get_for_object(employer).get()
    assert entry.actor == actor.user
    assert entry.action == LogEntry.Action.CREATE


def test_a_swedish_employer_has_an_organisation_number() -> None:
    employer = register.employer_save(
        actor=specialist(), name="Stockholms Bygg AB", country="SE", business_id="5560360793"
    )
    assert employer.business_id == "556036-0793"


@pytest.mark.parametrize(
    ("country", "value", "part"),
    [
        ("FI", "0112038-8", "check digit"),
        ("FI", "01120389-9", "seven digits"),
        ("FI", "ABC", "seven digits"),
        ("SE", "556036-0794", "check digit"),
        ("SE", "811218-9876", "third digit"),
        ("SE", "55603607", "ten digits"),
    ],
)
def test_a_wrong_business_id_is_refused_naming_the_part(
    country: str, value: str, part: str
) -> None:
    with pytest.raises(ValidationError) as error:
        register.employer_save(actor=liaison(), name="Firma", country=country, business_id=value)
    assert list(messages(error)) == ["business_id"]
    assert part in messages(error)["business_id"][0]
    assert Employer.objects.count() == 0


def test_a_business_id_already_registered_names_the_employer_that_has_it() -> None:
    EmployerFactory(name="Rautakauppa Virtanen Oy", business_id="0112038-9")
    with pytest.raises(ValidationError) as error:
        register.employer_save(actor=liaison(), name="Another", business_id="0112038-9")
    assert messages(error) == {
        "business_id": ["This Business ID is already in the register: Rautakauppa Virtanen Oy."]
    }
    assert Employer.objects.count() == 1


def test_an_employers_own_business_id_is_no_duplicate_of_itself() -> None:
    first = register.employer_save(actor=liaison(), name="A", business_id="0112038-9")
    assert first.country == "FI"
    again = register.employer_save(
        actor=liaison(), employer=first, name="A renamed", business_id="0112038-9"
    )
    assert again.name == "A renamed"


def test_other_roles_may_not_write_the_register() -> None:
    employer = EmployerFactory(name="Before")
    for role in (Role.COORDINATOR, Role.PROGRAMME_MANAGER, Role.AUDITOR, Role.ORGANISATION_ADMIN):
        actor = MembershipFactory(role=role)
        with pytest.raises(PermissionDenied):
            register.employer_save(actor=actor, name="New")
        with pytest.raises(PermissionDenied):
            register.employer_save(actor=actor, employer=employer, name="Changed")
    employer.refresh_from_db()
    assert employer.name == "Before"
    assert Employer.objects.count() == 1


def test_an_ended_membership_may_not_write() -> None:
    actor = liaison(valid_until=TODAY() - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        register.employer_save(actor=actor, name="New")


def test_any_organisations_specialist_corrects_any_employer() -> None:
    employer = EmployerFactory(name="Old name", industry="G")
    other = specialist(organisation=OrganisationFactory())
    assert other.organisation != employer.registered_by
    register.employer_save(actor=other, employer=employer, name="New name", industry="I")
    employer.refresh_from_db()
    assert (employer.name, employer.industry) == ("New name", "I")
    assert employer.registered_by != other.organisation  # who registered it stays


def test_invalid_values_are_refused_by_field_and_nothing_changes() -> None:
    employer = EmployerFactory(name="Stays")
    with pytest.raises(ValidationError) as error:
        register.employer_save(
            actor=liaison(),
            employer=employer,
            name=" ",
            industry="Z",
            size_class="huge",
            website="not a web address",
        )
    assert set(messages(error)) == {"name", "industry", "size_class", "website"}
    employer.refresh_from_db()
    assert employer.name == "Stays"


def y_tunnus_digits() -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=7, max_size=7).filter(
        lambda digits: ytunnus_check_digit(digits) is not None
    )


@settings(max_examples=60, deadline=None)
@given(digits=y_tunnus_digits(), spaces=st.sampled_from(["", " ", "  "]))
def test_every_valid_y_tunnus_is_accepted_normalised_and_a_changed_check_digit_refused(
    digits: str, spaces: str
) -> None:
    check = ytunnus_check_digit(digits)
    assert check is not None
    Employer.objects.all().delete()
    actor = liaison()
    employer = register.employer_save(
        actor=actor, name="Oy", business_id=f"{spaces}{digits}-{check}{spaces}"
    )
    assert employer.business_id == f"{digits}-{check}"
    for wrong in (d for d in range(10) if d != check):
        with pytest.raises(ValidationError) as error:
            register.employer_save(actor=actor, name="Oy", business_id=f"{digits}-{wrong}")
        assert "check digit" in messages(error)["business_id"][0]


# --- Workplaces, people, services ---------------------------------------------------------------


def test_workplaces_take_the_countrys_postal_code() -> None:
    employer = EmployerFactory()
    place = register.location_save(
        actor=liaison(),
        employer=employer,
        name="Depot",
        street_address="Tullivarastontie 5",
        postal_code="00580",
        municipality="Helsinki",
    )
    assert str(place) == "Depot, Tullivarastontie 5, Helsinki"
    with pytest.raises(ValidationError) as error:
        register.location_save(
            actor=liaison(), employer=employer, postal_code="580", municipality=""
        )
    assert set(messages(error)) == {"postal_code", "municipality"}
    swedish = EmployerFactory(country="SE", business_id="556036-0793")
    place = register.location_save(
        actor=liaison(), employer=swedish, postal_code="11122", municipality="Stockholm"
    )
    assert place.postal_code == "111 22"
    assert EmployerLocation.objects.count() == 2


def test_one_primary_contact_person_per_employer() -> None:
    employer = EmployerFactory()
    actor = liaison()
    first = register.person_save(
        actor=actor, employer=employer, name="Maija Mallikas", is_primary=True
    )
    second = register.person_save(
        actor=actor,
        employer=employer,
        name="Matti Meikäläinen",
        email="Matti@Example.invalid",
        phone="+358 40 123 4567",
        is_primary=True,
    )
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)
    assert second.email == "matti@example.invalid"
    with pytest.raises(ValidationError) as error:
        register.person_save(actor=actor, employer=employer, name="X", phone="call me", email="x")
    assert set(messages(error)) == {"phone", "email"}
    # The audit trail shows that the name changed, never the name.
    changes = LogEntry.objects.get_for_object(second).get().changes_dict
    assert changes["name"][1] == "•••"


def test_a_person_of_another_employer_is_a_callers_bug() -> None:
    person = EmployerPerson.objects.create(employer=EmployerFactory(), name="P")
    with pytest.raises(ValueError, match="another employer"):
        register.person_save(actor=liaison(), employer=EmployerFactory(), person=person, name="Q")


def test_removing_a_person_keeps_the_contacts_with_them() -> None:
    actor = specialist()
    employer = EmployerFactory()
    person = register.person_save(actor=actor, employer=employer, name="Leaving")
    contact = contacts.interaction_record(
        actor=actor, employer=employer, date=TODAY(), person=person
    )
    register.person_remove(actor=actor, person=person)
    contact.refresh_from_db()
    assert contact.person is None
    assert EmployerPerson.objects.count() == 0


def test_an_agreement_ends_on_or_after_its_start() -> None:
    actor = liaison()
    employer = EmployerFactory()
    start = dt.date(2026, 3, 1)
    agreement = register.agreement_create(
        actor=actor, employer=employer, kind="job_tailoring", start_date=start
    )
    assert (agreement.organisation, agreement.agreed_by) == (actor.organisation, actor)
    assert agreement.is_in_force_on(dt.date(2030, 1, 1))
    with pytest.raises(ValidationError) as error:
        register.agreement_create(
            actor=actor,
            employer=employer,
            kind="lunch",
            start_date=start,
            end_date=start - dt.timedelta(days=1),
        )
    assert set(messages(error)) == {"kind", "end_date"}
    assert EmployerAgreement.objects.count() == 1


# --- Employer contacts ---------------------------------------------------------------------------


def test_a_contact_is_the_specialists_own() -> None:
    actor = specialist()
    employer = EmployerFactory()
    person = EmployerPerson.objects.create(employer=employer, name="Boss")
    contact = contacts.interaction_record(
        actor=actor,
        employer=employer,
        date=TODAY(),
        kind="phone",
        purpose="follow_along",
        person=person,
        outcome="  Two shifts next week.  ",
    )
    assert (contact.specialist, contact.organisation) == (actor, actor.organisation)
    assert contact.outcome == "Two shifts next week."
    assert LogEntry.objects.get_for_object(contact).get().actor == actor.user


def test_a_contact_cannot_be_in_the_future_nor_meet_another_employers_person() -> None:
    employer = EmployerFactory()
    stranger = EmployerPerson.objects.create(employer=EmployerFactory(), name="Elsewhere")
    with pytest.raises(ValidationError) as error:
        contacts.interaction_record(
            actor=specialist(),
            employer=employer,
            date=TODAY() + dt.timedelta(days=1),
            kind="fax",
            purpose="lunch",
            person=stranger,
        )
    assert set(messages(error)) == {"date", "kind", "purpose", "person"}
    assert EmployerInteraction.objects.count() == 0


def test_a_coordinator_records_no_employer_contacts() -> None:
    with pytest.raises(PermissionDenied):
        contacts.interaction_record(
            actor=MembershipFactory(role=Role.COORDINATOR), employer=EmployerFactory(), date=TODAY()
        )
    assert EmployerInteraction.objects.count() == 0


# --- Vacancies -----------------------------------------------------------------------------------


def vacancy_values(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Myyjä",
        "isco_code": "522",
        "languages": ["FI", "en", "fi"],
        "working_time": "part_time",
        "hours_per_week": Decimal("25"),
        "positions": 2,
        "start_date": dt.date(2026, 9, 1),
        "deadline": dt.date(2026, 8, 15),
    } | overrides


def test_a_vacancy_with_its_languages_and_workplace() -> None:
    actor = liaison()
    employer = EmployerFactory()
    shop = EmployerLocation.objects.create(employer=employer, municipality="Vantaa")
    vacancy = vacancies.vacancy_save(
        actor=actor, employer=employer, location=shop, **vacancy_values()
    )
    vacancy.refresh_from_db()
    assert vacancy.languages == ["fi", "en"]
    assert vacancy.location == shop
    assert vacancy.created_by == actor
    # The application deadline may fall before the start (the usual case) or after it.
    changed = vacancies.vacancy_save(
        actor=actor,
        employer=employer,
        vacancy=vacancy,
        **vacancy_values(deadline=dt.date(2026, 9, 30), status="filled"),
    )
    assert (changed.deadline, changed.status) == (dt.date(2026, 9, 30), "filled")


def test_a_vacancys_rules() -> None:
    employer = EmployerFactory()
    elsewhere = EmployerLocation.objects.create(employer=EmployerFactory(), municipality="Espoo")
    with pytest.raises(ValidationError) as error:
        vacancies.vacancy_save(
            actor=liaison(),
            employer=employer,
            location=elsewhere,
            **vacancy_values(
                title="",
                isco_code="5229",
                languages=["fi", "finnish", "xx"],
                hours_per_week=Decimal("61"),
                positions=0,
                status="maybe",
                working_time="sometimes",
            ),
        )
    assert messages(error)["isco_code"] == ["5229 is not an ISCO-08 occupation group code."]
    assert messages(error)["languages"] == [
        "Not ISO 639-1 language codes: finnish, xx. Use two letters, e.g. fi, sv, en, ru."
    ]
    assert set(messages(error)) == {
        "title",
        "isco_code",
        "languages",
        "hours_per_week",
        "location",
        "positions",
        "status",
        "working_time",
    }
    assert Vacancy.objects.count() == 0


def test_an_auditor_adds_no_vacancies() -> None:
    with pytest.raises(PermissionDenied):
        vacancies.vacancy_save(
            actor=MembershipFactory(role=Role.AUDITOR),
            employer=EmployerFactory(),
            **vacancy_values(),
        )
