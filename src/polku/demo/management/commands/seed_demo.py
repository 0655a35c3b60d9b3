"""`polku seed-demo`: build the synthetic demo network and print its logins."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from polku.core.models import Membership
from polku.demo import generator
from polku.demo.data import DEMO_PASSWORD, STAFF


class Command(BaseCommand):
    help = "Seed a Helsinki-like demo network with synthetic clients (deterministic per --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clients",
            type=int,
            default=350,
            help="Number of clients (350, the pilot's target, by default).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Anchor date (YYYY-MM-DD) for reproducible dates.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the logins) if data already exists.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clients"] < 0:
            raise CommandError("--clients must be 0 or more.")
        if not generator.database_is_empty():
            if not options["if_empty"]:
                raise CommandError("The database already has data; use --if-empty to skip.")
            self.stdout.write("Demo data already present; nothing seeded.")
        else:
            generator.ensure_crypto_key()
            started = time.monotonic()
            result = generator.seed(
                clients=options["clients"],
                seed=options["seed"],
                today=options["today"],
                progress=lambda message: self.stdout.write(f"  … {message}"),
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {result.organisations} organisations, {result.staff} staff, "
                    f"{result.clients} clients, {result.episodes} episodes, {result.consents} "
                    f"consents, {result.team_members} care-team rows in "
                    f"{time.monotonic() - started:.1f} s."
                )
            )
            p = result.plans
            self.stdout.write(
                f"  and {p.services} services, {p.referral_consents} referral consents, "
                f"{p.assessments} assessments ({p.assessment_entries} entries), {p.plans} plans "
                f"({p.goals} goals, {p.actions} actions, {p.plan_revisions} revisions), "
                f"{p.referrals} referrals ({p.referral_events} events), {p.encounters} "
                f"encounters, {p.notifications} notifications."
            )
            e, i = result.employers, result.ips
            self.stdout.write(
                f"  and {e.employers} employers ({e.social_enterprises} social enterprises, "
                f"{e.workplaces} workplaces, {e.contact_persons} contact persons, {e.agreements} "
                f"services agreed), {e.vacancies} vacancies, {e.contacts} employer contacts; "
                f"{i.cases} IPS cases ({i.open_cases} open), {i.career_profiles} career profiles, "
                f"{i.job_search_plans} job search plans, {i.job_search_activities} job-search "
                f"activities, {i.benefits_counselling} benefits counselling records, "
                f"{i.placements} placements, {i.follow_along_supports} follow-along supports, "
                f"{i.time_entries} time entries, {i.fidelity_reviews} fidelity reviews."
            )
        with translation.override("en"):
            self._print_logins()

    def _print_logins(self) -> None:
        printed = [s for s in STAFF if s.printed]
        memberships = {
            (m.user.username, m.role): m
            for m in Membership.objects.filter(
                user__username__in=[s.username for s in printed]
            ).select_related("user", "organisation")
        }
        if not memberships:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"Demo logins (password for all: {DEMO_PASSWORD})")
        )
        for spec in printed:
            membership = memberships.get((spec.username, spec.role))
            if membership is not None:
                self.stdout.write(
                    f"  {spec.username:<14} {membership.get_role_display():<36} "
                    f"{membership.organisation.name_en}"
                )
        self.stdout.write("  (manager also acts as evaluator: they choose a role after signing in)")
