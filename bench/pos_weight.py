"""POS terminal weight and speed: the gzipped JavaScript and CSS of /pos/, its largest contentful paint (LCP)
cold and from the service worker, and the time from a tap on an item to the cart on screen.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cafepos_bench_pos REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/pos_weight.py [--runs 7] [--write bench/RESULTS.md] [--screenshots docs]

Uses a throwaway PostgreSQL database (created if missing, migrated and emptied here) with the demo cafe, the
production static files (collectstatic into a temporary directory: hashed names, precompressed by whitenoise)
and one uvicorn process with DEBUG off on a free loopback port. The weight is what the server sends with
`Accept-Encoding: gzip`; the budget is 100 KB. LCP is read from a PerformanceObserver in Debian's Chromium
(Playwright): cold is a fresh browser profile, warm a reload served by the service worker. `--screenshots`
also saves /pos/ (and in German and Arabic), /kitchen/ and /pos/floor/ at 1024×768 with demo orders there.
"""

import argparse
import datetime
import gzip
import os
import platform
import re
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STATIC_ROOT = tempfile.mkdtemp(prefix="cafepos-pos-bench-static-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cafepos.settings")
os.environ["DEBUG"] = "false"
os.environ["STATIC_ROOT"] = STATIC_ROOT

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from accounts.demo import seed_accounts  # noqa: E402
from accounts.models import Terminal, User  # noqa: E402
from accounts.services import terminal_pair  # noqa: E402
from bench.database import database_ensure  # noqa: E402
from bench.markdown import write_section  # noqa: E402
from menu import demo as menu_demo  # noqa: E402
from orders import demo as orders_demo  # noqa: E402
from pos.tests.pos import session_cookies  # noqa: E402
from realtime.tests.live_asgi import AsgiServer  # noqa: E402
from tables import demo as tables_demo  # noqa: E402

SECTION_START = "<!-- pos_weight:start -->"
SECTION_END = "<!-- pos_weight:end -->"
BUDGET = 100 * 1024
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
VIEWPORT = {"width": 1024, "height": 768}

LCP_SCRIPT = """() => new Promise(resolve => {
  new PerformanceObserver(list => {
    const entries = list.getEntries();
    const last = entries[entries.length - 1];
    setTimeout(() => resolve({ms: last.startTime}), 300);
  }).observe({type: "largest-contentful-paint", buffered: true});
})"""

TAP_SCRIPT = """async () => {
  const before = document.querySelectorAll("[data-cart-lines] li").length;
  const start = performance.now();
  document.querySelector("[data-item]:not(.is-sold-out)").click();
  const rendered = performance.now();
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return {dom: rendered - start, painted: performance.now() - start,
          added: document.querySelectorAll("[data-cart-lines] li").length > before};
}"""


def demo_cafe() -> dict:
    """The demo cafe's first location with a paired POS and kitchen display, signed in as the demo staff."""
    location = seed_accounts()[0]
    menu_demo.seed(location)
    tables_demo.seed(location)
    pos, pos_secret = terminal_pair(
        email="manager@example.com", password="cafepos-manager", name="Counter", kind=Terminal.Kind.POS,
        location_id=location.pk,
    )  # fmt: skip
    kitchen, kitchen_secret = terminal_pair(
        email="manager@example.com", password="cafepos-manager", name="Bar display", kind=Terminal.Kind.KITCHEN,
        location_id=location.pk,
    )  # fmt: skip
    return {
        "location": location,
        "pos": (pos, pos_secret, User.objects.get(email="cashier@example.com")),
        "kitchen": (kitchen, kitchen_secret, User.objects.get(email="kitchen@example.com")),
    }


def asset_weights(server: AsgiServer, cookies: list[dict]) -> tuple[int, list[tuple[str, int, int]]]:
    """The /pos/ page's size gzipped, and each of its scripts and stylesheets raw and as the server sends it
    to a browser that accepts gzip."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in cookies)

    def fetch(path: str, **headers) -> bytes:
        request = urllib.request.Request(server.url + path, headers={"Cookie": cookie, **headers})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.read()

    page = fetch("/pos/")
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+\.(?:js|css))"', page.decode())
    rows = [(path, len(fetch(path)), len(fetch(path, **{"Accept-Encoding": "gzip"}))) for path in assets]
    return len(gzip.compress(page)), rows


def measure(browser, server: AsgiServer, cookies: list[dict], runs: int) -> dict:
    """LCP cold and warm and the tap time, `runs` times, after one untimed load (the server's first request
    compiles templates and fills the menu cache)."""
    cold, warm, taps = [], [], []
    context = browser.new_context(viewport=VIEWPORT)
    context.add_cookies(cookies)
    context.new_page().goto(server.url + "/pos/", wait_until="load")
    context.close()
    for _ in range(runs):
        context = browser.new_context(viewport=VIEWPORT)
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(server.url + "/pos/", wait_until="load")
        cold.append(page.evaluate(LCP_SCRIPT))
        expect(page.locator("html")).to_have_attribute("data-offline-ready", "yes", timeout=15000)
        page.reload(wait_until="load")
        warm.append(page.evaluate(LCP_SCRIPT))
        taps.append(page.evaluate(TAP_SCRIPT))
        context.close()
    return {"cold": cold, "warm": warm, "taps": taps}


def cart_of_the_day(page, name=lambda text: text) -> None:
    """A cappuccino (large, oat milk), two flat whites and a croissant, confirmed by the server; `name` gives
    the menu's name of each in the till's language."""
    expect(page.locator("html")).to_have_attribute("data-live", "yes", timeout=15000)
    page.get_by_role("tab", name=name("Coffee")).click()
    page.locator("[data-item]", has_text=name("Cappuccino")).click()
    for modifier in ("Large", "Oat milk"):
        page.locator("[data-mod-dialog] [data-modifier]", has_text=name(modifier)).click()
    page.locator("[data-mod-add]").click()
    for _ in range(2):
        page.locator("[data-item]", has_text=name("Flat white")).click()
        page.locator("[data-mod-add]").click()
    page.get_by_role("tab", name=name("Pastries")).click()
    page.locator("[data-item]", has_text=name("Butter croissant")).click()
    expect(page.locator("[data-totals-state]")).to_have_attribute("data-state", "confirmed", timeout=15000)


def screenshots(browser, server: AsgiServer, cookies: dict, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORT)
    context.add_cookies(cookies["pos"])
    page = context.new_page()
    page.goto(server.url + "/pos/")
    cart_of_the_day(page)
    saved = [directory / "pos-register.png", directory / "pos-floor.png", directory / "kitchen.png"]
    page.screenshot(path=saved[0])
    page.goto(server.url + "/pos/floor/")
    expect(page.locator("html")).to_have_attribute("data-live", "yes", timeout=15000)
    page.screenshot(path=saved[1])
    saved += [orders_screen(page, server, directory), status_screen(page, server, directory)]
    context.close()

    context = browser.new_context(viewport=VIEWPORT)
    context.add_cookies(cookies["kitchen"])
    page = context.new_page()
    page.goto(server.url + "/kitchen/?station=BAR")
    expect(page.locator("[data-kds-status]")).to_have_text("Live", timeout=15000)
    page.screenshot(path=saved[2])
    context.close()
    return saved + [
        register_in(browser, server, cookies, directory, "de", lambda text: menu_demo.GERMAN.get(text, text)),
        register_in(browser, server, cookies, directory, "ar"),
    ]


def orders_screen(page, server: AsgiServer, directory: Path) -> Path:
    """The Orders screen with the served demo order chosen: its tax per rate and the till's actions."""
    page.goto(server.url + "/pos/orders/")
    expect(page.locator("html")).to_have_attribute("data-live", "yes", timeout=15000)
    page.locator("[data-order-list] [data-order]").first.click()
    expect(page.locator("[data-order-detail] button").first).to_be_visible(timeout=15000)
    saved = directory / "pos-orders.png"
    page.screenshot(path=saved)
    return saved


def status_screen(page, server: AsgiServer, directory: Path) -> Path:
    """The terminal status page: persistent storage, the offline queue, the last sync, the version, the socket."""
    page.goto(server.url + "/pos/status/")
    expect(page.locator("html")).to_have_attribute("data-live", "yes", timeout=15000)
    expect(page.locator("[data-status=storage]")).not_to_have_text("…", timeout=15000)
    saved = directory / "pos-status.png"
    page.screenshot(path=saved)
    return saved


def register_in(browser, server: AsgiServer, cookies: dict, directory: Path, language: str, name=str) -> Path:
    """The register after the cashier chose `language` for their session (the picker in the top bar)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_cookies(cookies["pos"])
    page = context.new_page()
    page.goto(server.url + "/terminal/language/?next=/pos/")
    page.locator("select[name=language]").select_option(language)
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/pos/")
    cart_of_the_day(page, name)
    saved = directory / f"pos-register-{language}.png"
    page.screenshot(path=saved)
    context.close()
    return saved


def report(html_gzip: int, rows: list, timings: dict, runs: int) -> str:
    total_raw = sum(raw for _, raw, _ in rows)
    total_gzip = sum(gz for _, _, gz in rows)

    def ms(values):
        return f"{statistics.median(values):.0f} | {max(values):.0f}"

    lines = [
        SECTION_START,
        "## POS terminal page weight and speed (`bench/pos_weight.py`)",
        "",
        f"Run {datetime.date.today().isoformat()} on {os.cpu_count()} cores, Python {platform.python_version()}, "
        "Debian's Chromium through Playwright at 1024×768; one uvicorn process with DEBUG off and the production "
        "static files (hashed, precompressed by whitenoise), PostgreSQL and Redis on loopback, the demo cafe; "
        "the browser shares the cores with the server (and other work on the machine).",
        "",
        f"**Weight of /pos/**: all JavaScript and CSS **{total_gzip / 1024:.1f} KB gzipped** "
        f"({total_raw / 1024:.1f} KB raw) in {len(rows)} files, budget 100 KB "
        f"({'within' if total_gzip <= BUDGET else 'OVER'}); the HTML with the embedded menu {html_gzip / 1024:.1f} KB.",
        "",
        "| file | raw (bytes) | gzipped (bytes) |",
        "|---|---|---|",
        *[f"| `{re.sub(r'[.][0-9a-f]{12}[.]', '.', path)}` | {raw} | {gz} |" for path, raw, gz in rows],
        "",
        f"**Speed** ({runs} runs, each in a fresh browser profile, after one untimed load):",
        "",
        "| measure | median (ms) | max (ms) |",
        "|---|---|---|",
        f"| LCP, first load (nothing cached) | {ms([r['ms'] for r in timings['cold']])} |",
        f"| LCP, reload served by the service worker | {ms([r['ms'] for r in timings['warm']])} |",
        f"| tap on an item → cart line in the DOM | {ms([t['dom'] for t in timings['taps']])} |",
        f"| tap on an item → next frame painted | {ms([t['painted'] for t in timings['taps']])} |",
        "",
        "Adding an item makes no request: the line and the totals are computed in the page; the server's quote "
        "follows 300 ms after the last change and only marks the totals confirmed. The target is LCP within "
        "1 s on this machine.",
        SECTION_END,
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", type=Path, help="put the results section into this Markdown file")
    parser.add_argument(
        "--screenshots",
        type=Path,
        help="save screenshots of /pos/ (in German and Arabic too), /pos/floor/, /pos/orders/, /pos/status/, /kitchen/",
    )
    options = parser.parse_args()

    database_ensure(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    cafe = demo_cafe()
    if options.screenshots:
        orders_demo.seed_open_orders(cafe["location"])  # the demo's day in progress, as `make serve` shows it

    server = AsgiServer(env={**os.environ, "STATIC_ROOT": STATIC_ROOT})
    server.start()
    # Sessions are made before Playwright starts: its event loop forbids the ORM in this thread afterwards.
    cookies = {
        name: session_cookies(terminal=terminal, secret=secret, user=user, url=server.url)
        for name, (terminal, secret, user) in (("pos", cafe["pos"]), ("kitchen", cafe["kitchen"]))
    }
    try:
        html_gzip, rows = asset_weights(server, cookies["pos"])
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            timings = measure(browser, server, cookies["pos"], options.runs)
            if options.screenshots:
                for path in screenshots(browser, server, cookies, options.screenshots):
                    print(f"saved {path}")
            browser.close()
    finally:
        server.stop()
    section = report(html_gzip, rows, timings, options.runs)
    print(section)
    if options.write:
        write_section(options.write, section)
    if sum(gz for _, _, gz in rows) > BUDGET:
        sys.exit("over the 100 KB budget")


if __name__ == "__main__":
    main()
