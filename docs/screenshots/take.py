"""Screenshots of each role's landing page (and the delegation's programme) at laptop and phone
width, from a running demo (`make demo`, or any server given as the first argument):

    CHROMIUM_PATH=/usr/bin/chromium .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8000

Needs Playwright and Chromium (CHROMIUM_PATH, else Playwright's own). Fails if a page scrolls
sideways."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
SLUG = "milipol-paris"
SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
ROLES = {"organiser": "organiser@demo.test", "exhibitor": "exhibitor@demo.test",
         "delegation": "delegation@demo.test", "visitor": "visitor@demo.test"}

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH") or None, args=["--no-sandbox"])
    for role, email in ROLES.items():
        for name, viewport in SIZES.items():
            page = browser.new_context(viewport=viewport, locale="en-GB").new_page()
            page.goto(f"{BASE}/accounts/login/")
            page.get_by_label("E-mail address").fill(email)
            page.get_by_label("Password").fill("demo-password")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            shots = {f"{role}-{name}.png": f"{BASE}/{SLUG}/"}
            if role == "delegation":
                page.goto(f"{BASE}/{SLUG}/")
                link = page.locator("a[href*='/programme/']").first
                shots[f"delegation-programme-{name}.png"] = BASE + link.get_attribute("href")
            for file, url in shots.items():
                page.goto(url)
                assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), (file, url)
                page.screenshot(path=HERE / file, full_page=True)
                print("wrote", file)
            page.context.close()
    browser.close()
