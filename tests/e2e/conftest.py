"""A real Chromium (Debian's package) driven by Playwright against the live server."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import require_services

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(scope="session")
def browser():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        require_services("Chromium (apt-get install chromium)")

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# Every page any browser test loads is checked with axe-core (WCAG 2.0, 2.1 and 2.2, A and AA)
# when it has loaded; a violation anywhere fails the test that loaded the page.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AUDIT_JS = """
(() => {
  if (window.top !== window) return;
  // Django's admin and the Swagger UI are third-party screens (known gaps: README's statement).
  if (location.pathname.startsWith('/admin/') || location.pathname.startsWith('/api/docs')) return;
  const audit = () => {
    if (!window.axe || !window.__axeReport) return;
    window.__axePending = window.axe.run(document, {runOnly: {type: 'tag', values: __TAGS__}, resultTypes: ['violations']})
      .then((r) => window.__axeReport(location.pathname + location.search, r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '')),
      })))).catch(() => {});
  };
  window.addEventListener('load', () => setTimeout(audit, 30));
})();
""".replace("__TAGS__", json.dumps(AXE_TAGS))


def _axe_source() -> str:
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return _axe_source()


def new_audited_context(browser, base_url: str, axe_source: str, violations: list, **kwargs):
    """A browser context whose every page is audited by axe once it has loaded."""
    context = browser.new_context(base_url=base_url, **kwargs)
    context.add_init_script(script=axe_source)
    context.add_init_script(script=AUDIT_JS)
    context.expose_binding(
        "__axeReport", lambda source, url, found: violations.extend({"url": url, **v} for v in found)
    )
    return context


def finish_audits(context, violations: list) -> None:
    """Wait for the audits still running, then fail on any violation."""
    for p in context.pages if not getattr(context, "_closed", False) else []:
        with contextlib.suppress(Exception):  # a page mid-navigation (or closed): its audit is moot
            p.evaluate("window.__axePending || null")
    assert violations == [], "accessibility violations (axe):\n" + "\n".join(
        f"{v['url']}: {v['id']} ({v['impact']}) {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


@pytest.fixture
def page(browser, live_server, axe_source):
    violations: list = []
    context = new_audited_context(browser, live_server.url, axe_source, violations, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    finish_audits(context, violations)
    context.close()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
