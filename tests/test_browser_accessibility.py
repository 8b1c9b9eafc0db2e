"""axe-core in a real browser: the home, therapy and article pages in both languages, at phone
and desktop widths, have no serious or critical accessibility violations.

Minor and moderate findings are written to artifacts/axe-report.json for a human to read;
they do not fail the test.
"""

import json

import pytest

from .browser import harness

browser = harness.browser  # a headless chromium (a fixture)
site_server = harness.site_server  # the project on a loopback port (a fixture)
# Autouse: later transactional tests find the migrated rows (root page, site) again.
database_left_as_migrated = harness.database_left_as_migrated

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = {
    "home-en": "/en/",
    "home-vi": "/vi/",
    "therapy-en": "/en/therapies/prp/",
    "therapy-vi": "/vi/lieu-phap/prp/",
    "article-en": "/en/articles/exosomes-vs-prp/",
    "article-vi": "/vi/bai-viet/exosome-va-prp/",
}
BLOCKING = {"serious", "critical"}


def test_home_therapy_and_article_pages_have_no_serious_violations(site_server, article, browser):
    blocking, report = {}, {}
    for width, viewport in (("phone", harness.PHONE), ("desktop", harness.DESKTOP)):
        page = harness.new_page(browser, viewport=viewport)
        for name, path in PAGES.items():
            response = page.goto(site_server + path)
            assert response.status == 200, path
            violations = harness.run_axe(page)
            report[f"{name}-{width}"] = [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "targets": [n["target"] for n in v["nodes"]],
                }
                for v in violations
            ]
            serious = [v for v in violations if v["impact"] in BLOCKING]
            if serious:
                blocking[f"{path} ({width})"] = harness.describe(serious)
            assert harness.csp_violations(page) == [], path
            assert page.failed_responses == [], path
        page.context.close()

    harness.ARTIFACTS.mkdir(exist_ok=True)
    (harness.ARTIFACTS / "axe-report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False)
    )
    assert not blocking, "\n".join(f"{where}:\n{text}" for where, text in blocking.items())


def test_axe_would_catch_a_serious_violation(site_server, home, browser):
    """The control: the same check fails on a page with an unlabelled image link."""
    page = harness.new_page(browser)
    page.goto(site_server + "/en/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<a href="/x"><img src="/static/x.png"></a>\')'
    )
    ids = {v["id"] for v in harness.run_axe(page) if v["impact"] in BLOCKING}
    page.context.close()
    assert "image-alt" in ids or "link-name" in ids
