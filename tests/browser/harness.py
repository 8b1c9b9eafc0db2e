"""What the real-browser tests share: Debian's chromium driven by Playwright, axe-core, artefacts.

The browser is the system's ``chromium`` (``make test`` installs it with apt when missing);
Playwright never downloads a browser of its own here. axe-core comes from the npm registry,
pinned by ``tests/browser/package-lock.json`` and installed by ``make test`` into
``.cache/npm``. Screenshots go to ``artifacts/screenshots/`` (git-ignored).

The tests skip, saying why, only when the browser cannot start at all.
"""

import os
import shutil
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = BASE_DIR / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_JS = BASE_DIR / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every page load and click waits at most this long (ms): a hang fails fast, not at CI's limit.
TIMEOUT_MS = 15_000

# Collected in the page before any of its own scripts run (init scripts are not subject to
# the page's Content Security Policy), so a test can assert that nothing was blocked.
CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


@pytest.fixture(scope="module", autouse=True)
def database_left_as_migrated(django_db_setup, django_db_blocker):
    """After the module, put back what migrations created (root page, default site, …).

    Autouse in every test module that imports it (``x = harness.database_left_as_migrated``).

    A transactional test empties every table when it ends; ``serialized_rollback`` restores
    the migrated rows only at the start of the next test that asks for it. Transactional
    tests that run later without asking (pytest-django runs them all last) would otherwise
    find no root page.
    """
    yield
    from django.db import connections
    from wagtail.models import Page

    with django_db_blocker.unblock():
        if Page.objects.exists():
            return
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def site_server(transactional_db):
    """The project served over HTTP on loopback, one request at a time; yields its base URL.

    pytest-django's ``live_server`` answers requests in parallel threads. With the in-memory
    SQLite test database every thread shares one connection, and the admin's parallel
    requests then fail with "database table is locked". Django's own LiveServerThread with
    a serial server avoids that on SQLite and changes nothing on PostgreSQL. The serial
    server closes each connection after its response, so the browser never waits on an
    idle keep-alive connection.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import WSGIServer
    from django.db import connections
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    class SerialLiveServerThread(LiveServerThread):
        server_class = SerialWSGIServer

    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = SerialLiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=shared)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


def chromium_path():
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@pytest.fixture
def browser():
    """A headless chromium for one test; a clear skip when it cannot start.

    Request it after the database fixtures (last in the test's arguments). Playwright's sync
    API runs an event loop in this thread, and Django then hands the test a fresh database
    connection object: one started before the test database is reset would miss the reset
    (the serialized_rollback restore) and see empty tables.
    """
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip(
            "the Python package 'playwright' is not installed (pip install -r requirements-dev.txt)"
        )
    executable = chromium_path()
    if not executable:
        pytest.skip("chromium is not installed: `apt-get install chromium` (make test does it)")
    # Playwright's sync API keeps an event loop in this thread; Django's ORM would then refuse
    # the test's own queries as "async". The test code is synchronous: allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        try:
            instance = manager.chromium.launch(
                executable_path=executable, headless=True, args=LAUNCH_ARGS, timeout=30_000
            )
        except Error as error:
            pytest.skip(
                f"chromium at {executable} cannot start here: {error.message.splitlines()[0]}"
            )
        yield instance
        instance.close()
    finally:
        # Queries made while the browser ran used connections of their own (see above):
        # close them here, or PostgreSQL cannot drop the test database at the end.
        from django.db import connections

        connections.close_all()
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def new_page(browser, viewport=DESKTOP, **options):
    """A page in a fresh context (own cookies) that records CSP violations, console errors and
    responses of 400 or more."""
    context = browser.new_context(viewport=viewport, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(CSP_PROBE)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    # The console names no URL for a failed load; this list does.
    page.failed_responses = []
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page.failed_responses.append(f"{response.status} {response.url}")
        ),
    )
    return page


def csp_violations(page):
    return page.evaluate("window.__cspViolations || []")


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def run_axe(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")):
    """axe-core's violations on the page as it is now.

    axe is evaluated through the DevTools protocol, which the page's CSP does not govern,
    so the page is checked exactly as readers get it, policy included.
    """
    if not AXE_JS.exists():
        pytest.fail(
            f"axe-core is missing at {AXE_JS.relative_to(BASE_DIR)}: run `make test` "
            "(it installs tests/browser/package-lock.json with npm)"
        )
    # The page at rest: a message fading in is checked at its final colours, not half
    # transparent (a colour-contrast violation that depended on timing).
    page.evaluate(
        "async () => { await Promise.race([Promise.all(document.getAnimations()"
        ".filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)"
        ".map((a) => a.finished.catch(() => null))),"
        " new Promise((done) => setTimeout(done, 5000))]); }"
    )
    page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})).violations",
        list(tags),
    )


def describe(violations):
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} — {targets}")
    return "\n".join(lines)
