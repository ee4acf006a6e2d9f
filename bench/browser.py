"""Time from page load to the first chart in headless Chromium, and the server's memory.
Run: python -m bench.browser DB [--repeat N]

Starts `streamlit run` on the store (as the browser tests do), then for every page in the menu opens it N+1
times in a fresh browser context: the first load is cold (empty browser cache; the server computes the page's
frames), the others warm (a returning visitor: scripts cached, Streamlit's caches answer). A page without a chart
reports the time until its run finishes instead.
Prints JSON {"pages": {path: {...}}, "rss_mib", "peak_mib"}: the server's resident memory after all visits
and its peak (VmHWM), from /proc."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.common import emit, median
from tests.e2e.pages import APP_CONNECTED, APP_IDLE, CHART
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, DashboardServer

TIMEOUT_MS = 180_000
# Idle this long with no chart drawn: the page has none. Plotly's script loads lazily after the run ends (seconds
# on a busy machine), so without knowing from AppTest whether a page draws a chart, wait long.
HOLD_MS_KNOWN, HOLD_MS_UNKNOWN = 1_000, 10_000

# Polled in the page: the moment (ms since navigation start) the first chart is drawn, or, for a page without
# a chart, the moment its run finished (the app connected and idle, and still so `hold` ms later).
FIRST_CHART_JS = """([chart, idle, connected, hold]) => {
    const now = performance.now();
    if (document.querySelector(chart)) return {chart: true, ms: now};
    if (document.querySelector(idle) && document.querySelector(connected)) {
        window.__benchIdleSince ??= now;
        if (now - window.__benchIdleSince > hold) return {chart: false, ms: window.__benchIdleSince};
    } else {
        window.__benchIdleSince = undefined;
    }
    return null;
}"""


def load_time(context, url: str, charted: bool | None) -> tuple[float, bool]:
    """(seconds from navigation start to the first chart drawn, or to the run's end; whether a chart was seen).
    charted: whether the page draws a chart (from AppTest), None when unknown."""
    hold = TIMEOUT_MS if charted else HOLD_MS_KNOWN if charted is False else HOLD_MS_UNKNOWN
    page = context.new_page()
    try:
        page.goto(url)
        seen = page.wait_for_function(
            FIRST_CHART_JS, arg=[CHART, APP_IDLE, APP_CONNECTED, hold], polling=20, timeout=TIMEOUT_MS + 1000
        ).json_value()
        return seen["ms"] / 1000, seen["chart"]
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--charted", help="JSON {page path: whether it draws a chart}, from bench.apptest")
    args = parser.parse_args()
    charted = json.loads(args.charted) if args.charted else {}

    from playwright.sync_api import sync_playwright

    from bench.apptest import pages

    with tempfile.TemporaryDirectory() as tmp:
        server = DashboardServer(Path(args.db), Path(tmp) / "streamlit.log")
        base = server.start()
        try:
            results = {}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for spec in pages():
                    url = base if spec.url_path == "tong-quan" else base + spec.url_path
                    # Cold: a new visitor (empty browser cache) and the page's frames not yet computed.
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    expect = charted.get(spec.path)
                    cold, seen = load_time(context, url, expect)
                    # Warm: the same visitor coming back (scripts cached), the server's caches filled.
                    warm = [load_time(context, url, expect)[0] for _ in range(args.repeat)]
                    context.close()
                    results[spec.path] = {"cold_s": cold, "warm_s": median(warm), "chart": seen}
                browser.close()
            rss, peak = server.memory_mib()
        finally:
            server.stop()
    emit({"pages": results, "rss_mib": rss, "peak_mib": peak})


if __name__ == "__main__":
    main()
