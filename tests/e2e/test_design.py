"""What every page shares, as a user sees it on a laptop (1280 px) and on phones (390 and 320 px):
the navigation in one row or behind "Menu", pages that never scroll sideways, strips of tabs in
one row with the current tab in view, buttons and fields that wrap never touching, the favicon, and
the public directory's country names. Every page load is also audited by axe (conftest)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from exhibition.delegations.models import Delegation
from exhibition.events.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG
from tests.e2e.conftest import finish_audits, new_audited_context
from tests.support.demo import demo_show

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

S = f"/{DEMO_SLUG}"
# The pages each role opens most; the organiser's are the widest tables of the product.
PAGES = {
    "anonymous": [f"{S}/", f"{S}/exhibitors/", f"{S}/plan/"],
    "organiser": [
        f"{S}/",
        f"{S}/exhibitors/manage/applications/",
        f"{S}/booking/manage/",
        f"{S}/booking/manage/invoices/",
        f"{S}/delegations/",
        f"{S}/delegations/{{delegation}}/",  # candidate visits: a form in each row
        f"{S}/delegations/{{delegation}}/timeline/",
        f"{S}/meetings/manage/",
        f"{S}/meetings/",  # the last of the meetings tabs: off a phone's strip until brought into view
        f"{S}/accreditation/manage/",
        f"{S}/accreditation/manage/site/",
        f"{S}/accreditation/manage/badges/",
        f"{S}/accreditation/manage/devices/",
        f"{S}/invitations/",
        f"{S}/plan/",
        f"{S}/manage/visitors/",
        f"{S}/exhibitors/manage/screening/",
    ],
    "exhibitor": [
        f"{S}/",
        f"{S}/booking/",
        f"{S}/meetings/",
        f"{S}/meetings/agenda/",
        f"{S}/meetings/team/",  # the last of its meetings tabs: brought into view on a phone
        f"{S}/delegations/hosting/",
        f"{S}/accreditation/leads/",
    ],
    "delegation": [f"{S}/", f"{S}/delegations/", f"{S}/meetings/agenda/"],
    "visitor": [f"{S}/", f"{S}/meetings/", f"{S}/meetings/agenda/", f"{S}/exhibitors/"],
}
# Pages without the site's navigation, read on a phone too: the printable agenda.
PRINTABLE = {"delegation": [f"{S}/meetings/agenda/print/"]}
SIDEWAYS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
# On a phone every table reads as one card per row (table.stack) or fits its card: none is wider,
# so nothing scrolls sideways inside a card either, the charts' figures (folded away) included.
TABLES_WIDER = """() => {
  document.querySelectorAll('main details').forEach((d) => { d.open = true; });
  return [...document.querySelectorAll('main table')]
    .filter((t) => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
    .map((t) => (t.caption ? t.caption.textContent.trim() : t.className));
}"""
# On a phone a strip of tabs is one row that scrolls inside itself, its current tab in view.
TABS_ASTRAY = """() => [...document.querySelectorAll('main .tabs')].flatMap((strip) => {
  const tops = new Set([...strip.children].map((a) => Math.round(a.getBoundingClientRect().top)));
  const here = strip.querySelector('[aria-current]');
  const s = strip.getBoundingClientRect(), a = here && here.getBoundingClientRect();
  const hidden = a && (a.left < s.left - 1 || a.right > s.right + 1);
  return tops.size > 1 || hidden ? [strip.getAttribute('aria-label')] : [];
})"""
# On a phone, buttons and fields that wrap onto new lines keep a gap: none touches another (links
# styled as text, and the top bar, are left out).
TOUCHING = """() => {
  const els = [...document.querySelectorAll(
    'main :is(button:not(.link):not(.link-button), .button, select, textarea, '
    + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]))')]
    .filter((e) => e.offsetParent !== null && !e.closest('details:not([open])'));
  const rects = els.map((e) => e.getBoundingClientRect());
  const out = [];
  for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
    const a = rects[i], b = rects[j];
    const across = Math.max(b.left - a.right, a.left - b.right);
    const down = Math.max(b.top - a.bottom, a.top - b.bottom);
    if (across < 4 && down < 4 && !els[i].contains(els[j]) && !els[j].contains(els[i]))
      out.push([els[i], els[j]].map((e) => (e.innerText || e.name || e.tagName).trim().slice(0, 40)).join(' / '));
  }
  return out;
}"""
NAV_TOPS = """() => [...document.querySelectorAll('.nav-links > li')]
  .filter((li) => li.offsetParent !== null).map((li) => Math.round(li.getBoundingClientRect().top))"""


def _context(browser, live_server, axe_source, violations, width, language="en"):
    context = new_audited_context(
        browser,
        live_server.url,
        axe_source,
        violations,
        viewport={"width": width, "height": 800},
        locale=language,
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context


def _sign_in(page, role):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(DEMO_LOGINS[role])
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def _urls(role: str, printable: bool = False) -> list[str]:
    """The role's pages (the printable ones first when asked), a demo delegation's filled in."""
    delegation = (
        Delegation.objects.filter(organisation__event__slug=DEMO_SLUG)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    urls = (PRINTABLE.get(role, []) if printable else []) + PAGES[role]
    return [url.format(delegation=delegation) for url in urls]


def test_laptop_navigation_is_one_row_with_sections_that_open_and_close(browser, live_server, axe_source):
    demo_show()
    violations: list = []
    for role in PAGES:
        context = _context(browser, live_server, axe_source, violations, 1280)
        page = context.new_page()
        if role != "anonymous":
            _sign_in(page, role)
        for url in _urls(role):
            page.goto(url)
            tops = page.evaluate(NAV_TOPS)
            assert len(tops) >= 2 and max(tops) - min(tops) <= 2, (role, url, tops)  # one row
            assert page.locator(".topbar").bounding_box()["height"] < 70, (role, url)
            assert not page.get_by_text("Menu", exact=True).is_visible()  # no toggle on a laptop
            width, inner = page.evaluate(SIDEWAYS)
            assert width <= inner, (role, url, width, inner)
            icon = page.locator("link[rel=icon]")
            assert icon.get_attribute("type") == "image/svg+xml"
            assert page.request.get(icon.get_attribute("href")).status == 200
        if role == "organiser":
            nav = page.get_by_role("navigation", name="Main")
            assert not nav.get_by_role("link", name="Invoices").is_visible()
            nav.get_by_text("Stands", exact=True).click()
            expect(nav.get_by_role("link", name="Invoices")).to_be_visible()
            nav.get_by_text("Show", exact=True).click()  # opening one section closes the other
            expect(nav.get_by_role("link", name="Invoices")).to_be_hidden()
            expect(nav.get_by_role("link", name="Trade visitors")).to_be_visible()
            page.keyboard.press("Escape")
            expect(nav.get_by_role("link", name="Trade visitors")).to_be_hidden()
            nav.get_by_text("Stands", exact=True).click()
            nav.get_by_role("link", name="Invoices").click()
            page.wait_for_url(f"**{S}/booking/manage/invoices/")
            assert nav.locator("a[aria-current=page]").count() == 1  # "Invoices" is where we are
            # a wide table scrolls inside its own region, reachable from the keyboard when it must
            region = page.locator("main table").first.locator("xpath=..")
            assert "table-scroll" in region.get_attribute("class")
        context.close()
    # French words are longer: the organiser's navigation, the widest, still holds in one row
    context = _context(browser, live_server, axe_source, violations, 1280, language="fr")
    page = context.new_page()
    _sign_in(page, "organiser")
    page.goto(f"{S}/booking/manage/invoices/")
    tops = page.evaluate(NAV_TOPS)
    assert max(tops) - min(tops) <= 2 and page.locator(".topbar").bounding_box()["height"] < 70, tops
    assert page.evaluate(SIDEWAYS)[0] <= 1280
    context.close()
    # the public directory: country names in the reader's language, cards with logos
    _directory_shows_country_names_in_the_readers_language(browser, live_server, axe_source, violations)
    finish_audits(context, violations)


def test_phone_navigation_folds_behind_menu_and_no_page_scrolls_sideways(browser, live_server, axe_source):
    """At 390 px in English and at 320 px in French (one demo show for both)."""
    demo_show()
    violations: list = []
    for width in (390, 320):
        for role in PAGES:
            context = _context(
                browser, live_server, axe_source, violations, width, language="fr" if width == 320 else "en"
            )
            page = context.new_page()
            if role != "anonymous":
                _sign_in(page, role)
            for url in _urls(role, printable=True):  # the navigation's checks below: the last page's
                page.goto(url)
                scroll_width, inner = page.evaluate(SIDEWAYS)
                assert scroll_width <= inner, (role, url, scroll_width, inner)
                assert page.evaluate(TABLES_WIDER) == [], (role, url, width)
                assert page.evaluate(TABS_ASTRAY) == [], (role, url, width)
                assert page.evaluate(TOUCHING) == [], (role, url, width)
            nav = page.get_by_role("navigation")
            toggle = page.locator(".nav-toggle")
            assert toggle.is_visible() and page.locator(".topbar").bounding_box()["height"] < 70
            assert not page.locator(".nav-links, .nav-end").first.is_visible()
            toggle.click()
            expect(page.locator(".nav-end")).to_be_visible()
            links = nav.locator(".nav-links > li > a")
            assert links.count() >= 2 and links.first.is_visible()
            scroll_width, inner = page.evaluate(SIDEWAYS)
            assert scroll_width <= inner, (role, "menu open", scroll_width, inner)
            page.keyboard.press("Escape")
            expect(page.locator(".nav-end")).to_be_hidden()
            context.close()
    finish_audits(context, violations)


def _directory_shows_country_names_in_the_readers_language(browser, live_server, axe_source, violations):
    for language, germany in (("en", "Germany"), ("fr", "Allemagne")):
        context = _context(browser, live_server, axe_source, violations, 1280, language)
        page = context.new_page()
        page.goto(f"{S}/exhibitors/")
        country = page.get_by_label("Country" if language == "en" else "Pays")
        assert germany in country.locator("option").all_inner_texts()
        assert "DE" not in country.locator("option").all_inner_texts()
        country.select_option(label=germany)
        page.get_by_role("button", name="Search" if language == "en" else "Rechercher").click()
        page.wait_for_load_state()
        cards = page.locator("ul.directory > li")
        assert cards.count() > 0
        assert all(germany in text for text in cards.locator("p.muted").all_inner_texts())
        assert page.locator("ul.directory").evaluate("ul => getComputedStyle(ul).listStyleType") == "none"
        expect(cards.first.locator(".logo")).to_be_visible()  # the logo, or the company's initials
        context.close()
