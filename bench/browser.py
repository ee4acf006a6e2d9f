"""Time from page load to the first chart in headless Chromium, and the server's memory.
Run: python -m bench.browser DB [--repeat N]

Starts `streamlit run` on the store (as the browser tests do), then for every page in the menu opens it N+1
times in a fresh browser context: the first load is cold (empty browser cache; the server computes the page's
frames), the others warm (a returning visitor: scripts cached, Streamlit's caches answer). A page without a chart reports the time until its run finishes instead.
Prints JSON {"pages": {path: {...}}, "rss_mib", "peak_mib"}: the server's resident memory after all visits
and its peak (VmHWM), from /proc."""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.common import emit, median
from tests.e2e.pages import APP_CONNECTED, APP_IDLE, CHART
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, DashboardServer

TIMEOUT_MS = 180_000
NO_CHART_HOLD_MS = 2_000  # idle this long with no chart drawn: the page has none

# Polled in the page: the moment (ms since navigation start) the first chart is drawn, or, for a page without
# a chart, the moment its run finished (the app connected and idle, and still so NO_CHART_HOLD_MS later).
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


def load_time(context, url: str) -> tuple[float, bool]:
    """(seconds from navigation start to the first chart drawn, or to the run's end; whether a chart was seen)."""
    page = context.new_page()
    try:
        page.goto(url)
        seen = page.wait_for_function(FIRST_CHART_JS, arg=[CHART, APP_IDLE, APP_CONNECTED, NO_CHART_HOLD_MS],
                                      polling=20, timeout=TIMEOUT_MS).json_value()
        return seen["ms"] / 1000, seen["chart"]
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

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
                    cold, charted = load_time(context, url)
                    # Warm: the same visitor coming back (scripts cached), the server's caches filled.
                    warm = [load_time(context, url)[0] for _ in range(args.repeat)]
                    context.close()
                    results[spec.path] = {"cold_s": cold, "warm_s": median(warm), "chart": charted}
                browser.close()
            rss, peak = server.memory_mib()
        finally:
            server.stop()
    emit({"pages": results, "rss_mib": rss, "peak_mib": peak})


if __name__ == "__main__":
    main()
