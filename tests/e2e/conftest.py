"""Browser tests: Debian's Chromium through Playwright, axe on every page, screenshots kept.

Never `playwright install`: the browser is the system's /usr/bin/chromium (STACK.md §4).
Screenshots go to test-artifacts/screenshots/<test>-<page>.png (git-ignored).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client as HttpClient
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Response

from polku.core import roles
from polku.core.middleware import SESSION_KEY
from polku.core.models import Membership, User
from tests.factories import enable_totp, record_sign_in

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
VIEWPORT = {"width": 1280, "height": 800}
FACTORY_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the secret tests.factories.enable_totp activates


def authenticator_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret`. Close to the end of a period, wait
    for the next one: allauth accepts only the current period's code (MFA_TOTP_TOLERANCE 0)."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 3:
        time.sleep(left + 0.2)
    code: str = format_hotp_value(hotp_value(secret, int(time.time()) // period))
    return code


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {"executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "en", "viewport": VIEWPORT}


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


@dataclass
class PageChecker:
    """Runs axe on the current page, saves a full-page screenshot, and watches the console.

    `check(page, "client-list")` fails on any serious or critical axe violation and prints the
    rest. Content-Security-Policy refusals and JavaScript errors reported on the console fail
    the test at teardown: a strict CSP must not silently break a page.
    """

    test_name: str
    axe: Axe
    checked: list[str] = field(default_factory=list)
    console_problems: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        def on_console(message: ConsoleMessage) -> None:
            # A 4xx page (the 404 test) is logged as a failed load; failed sub-resources are
            # caught by on_response below instead.
            if message.type == "error" and not message.text.startswith("Failed to load resource"):
                self.console_problems.append(f"{page.url}: {message.text}")

        def on_response(response: Response) -> None:
            if response.status >= 400 and response.request.resource_type != "document":
                self.console_problems.append(f"{response.status} {response.url}")

        page.on("console", on_console)
        page.on("response", on_response)
        page.on("pageerror", lambda error: self.console_problems.append(f"{page.url}: {error}"))
        return page

    def screenshot(self, page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{_slug(self.test_name)}-{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def check(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        self.screenshot(page, name)
        results = self.axe.run(page)
        violations = results.response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        for violation in violations:
            targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"])
            print(  # noqa: T201 - the minor findings are reported, not failed
                f"axe [{name}] {violation['impact']}: {violation['id']} — "
                f"{violation['help']} ({targets})"
            )
        self.checked.append(name)
        assert blocking == [], f"axe on {name} ({page.url}):\n" + results.generate_report()


@pytest.fixture
def checker(request: pytest.FixtureRequest, axe: Axe) -> Iterator[PageChecker]:
    # "test_x[chromium]" -> "test_x"; other parameters stay in the name.
    name = request.node.name.replace("[chromium]", "").replace("chromium-", "")
    checker = PageChecker(test_name=name, axe=axe)
    yield checker
    assert checker.console_problems == []


@pytest.fixture
def page(page: Page, checker: PageChecker) -> Page:
    """pytest-playwright's page, watched for console errors."""
    return checker.watch(page)


def session_cookie_for(
    who: Membership | User, base_url: str, *, totp: bool = True
) -> dict[str, Any]:
    """A signed-in session as a cookie for the browser: acting through `who` if it is a
    membership, with no membership chosen yet if it is a user.

    For pages under test other than sign-in itself (the sign-in with its two-factor step has its
    own test); roles that need two-factor authentication get an authenticator first, as a real
    user of that role would have, unless `totp` is False.
    """
    user = who.user if isinstance(who, Membership) else who
    two_factor = totp and isinstance(who, Membership) and who.role in roles.mfa_required_roles()
    if two_factor:
        enable_totp(user)
    http = HttpClient()
    http.force_login(user)
    session = http.session
    if isinstance(who, Membership):
        session[SESSION_KEY] = who.pk
    record_sign_in(session, user, second_factor=two_factor)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": session.session_key,
        "url": base_url,
        "secure": True,
        "httpOnly": True,
        "sameSite": "Lax",
    }


@pytest.fixture
def signed_in(
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: Any,
    checker: PageChecker,
) -> Iterator[Callable[..., Page]]:
    """`signed_in(membership_or_user, locale="en", width=1280, totp=True)` opens a watched page
    in a new, signed-in browser context."""
    contexts: list[BrowserContext] = []

    def open_page(
        who: Membership | User, *, locale: str = "en", width: int = 1280, totp: bool = True
    ) -> Page:
        viewport = {**VIEWPORT, "width": width}
        context = browser.new_context(
            **{**browser_context_args, "locale": locale, "viewport": viewport}
        )
        contexts.append(context)
        context.add_cookies([session_cookie_for(who, live_server.url, totp=totp)])  # type: ignore[list-item]
        return checker.watch(context.new_page())

    yield open_page
    for context in contexts:
        context.close()
