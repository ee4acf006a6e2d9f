"""Screenshot a running dashboard page in headless Chromium: python scripts/screenshot.py URL OUT.png"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser tests' own launch)

url, out = sys.argv[1], sys.argv[2]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    page.wait_for_timeout(1500)
    page.screenshot(path=out, full_page=True)
    browser.close()
