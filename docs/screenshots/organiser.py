"""Screenshots of the organiser's landing page at laptop and phone width, from a running demo
(`make demo`, or any server given as the first argument):

    python docs/screenshots/organiser.py http://127.0.0.1:8000

Needs Playwright and Chromium (CHROMIUM_PATH, else Playwright's own)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH") or None, args=["--no-sandbox"])
    for name, viewport in SIZES.items():
        page = browser.new_context(viewport=viewport, locale="en-GB").new_page()
        page.goto(f"{BASE}/accounts/login/")
        page.get_by_label("E-mail address").fill("organiser@demo.test")
        page.get_by_label("Password").fill("demo-password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        page.goto(f"{BASE}/milipol-paris/")
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), name
        page.screenshot(path=HERE / f"organiser-{name}.png", full_page=True)
    browser.close()
