"""In a real browser, the Vietnamese admin: an admin switches the admin language to Vietnamese
(Account → Profile → Preferred language), the dashboard shows its panels of what needs doing
in Vietnamese, the explorer shows Vietnamese titles, and the edit screen opens on the
Vietnamese fields and remembers the languages the editor shows. Screenshots go to
artifacts/screenshots/ (dashboard-vi.png, explorer-vi.png, edit-vi.png); axe-core checks
each page.
"""

import pytest

from .browser import harness
from .factories import make_article

browser = harness.browser  # a headless chromium (a fixture)
site_server = harness.site_server  # the project on a loopback port (a fixture)
# Autouse: later transactional tests find the migrated rows (root page, site) again.
database_left_as_migrated = harness.database_left_as_migrated

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "browser-admin-vi-2024"


def log_in(page, base_url, username):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def switch_to_vietnamese(page, base_url):
    """Account → Profile → Preferred language: Tiếng Việt → Save, as the README says."""
    page.goto(f"{base_url}/admin/account/")
    page.locator("#tab-label-profile").click()
    page.select_option("#id_locale-preferred_language", "vi")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base_url}/admin/account/")
    assert page.locator("html").get_attribute("lang") == "vi"


def axe_check(page, where, found):
    violations = harness.run_axe(page)
    if violations:
        found[where] = harness.describe(violations)


def test_admin_switches_to_vietnamese_and_works_in_it(
    site_server, article, article_index, django_user_model, browser
):
    draft = make_article(
        article_index,
        "Skin boosters",
        "skin-boosters",
        "Tiêm dưỡng da",
        "tiem-duong-da",
        publish=False,
        lead_en="A miracle for tired skin.",
        lead_vi="Phép màu cho làn da mệt mỏi.",
    )
    django_user_model.objects.create_superuser(
        "admin", "admin@example.com", PASSWORD, first_name="Quản", last_name="Trị"
    )
    base = site_server
    page = harness.new_page(browser)
    violations = {}
    try:
        log_in(page, base, "admin")
        switch_to_vietnamese(page, base)

        # The dashboard: three panels of what needs doing, in Vietnamese.
        page.goto(f"{base}/admin/")
        flags = page.locator("#editorial_red_flag_drafts-section")
        assert "Lời quảng cáo bị gắn cờ trong bản nháp (2)" in flags.inner_text()
        assert "“phép màu”" in flags.inner_text()
        assert "Thẩm định đến hạn (" in page.locator("#editorial_reviews_due-section").inner_text()
        assert (
            "Bản dịch còn thiếu (" in page.locator("#editorial_translations-section").inner_text()
        )
        harness.screenshot(page, "dashboard-vi")
        axe_check(page, "dashboard", violations)

        # The explorer: titles in Vietnamese, English as the hint.
        page.goto(f"{base}/admin/pages/{article_index.pk}/")
        listing = page.locator("main").inner_text()
        assert "Exosome và PRP khác nhau thế nào · Exosomes vs PRP" in listing
        assert "Tiêm dưỡng da · Skin boosters" in listing
        harness.screenshot(page, "explorer-vi")
        axe_check(page, "explorer", violations)

        # The edit screen opens on the Vietnamese fields.
        page.goto(f"{base}/admin/pages/{draft.pk}/edit/")
        vi_toggle = page.locator("button.locale-toggle[data-locale=vi]")
        en_toggle = page.locator("button.locale-toggle[data-locale=en]")
        assert vi_toggle.get_attribute("aria-pressed") == "true"
        assert en_toggle.get_attribute("aria-pressed") == "false"
        assert page.locator("#id_title_vi").is_visible()
        assert page.locator("#id_title_vi").input_value() == "Tiêm dưỡng da"
        assert not page.locator("#id_title_en").is_visible()
        assert "Xem / sửa các trường của" in page.locator(".locale-picker").inner_text()
        harness.screenshot(page, "edit-vi")
        axe_check(page, "edit screen", violations)

        # Showing English too is remembered for the next edit screen.
        with page.expect_response(lambda r: "/admin/editorial/edit-languages/" in r.url) as saved:
            en_toggle.click()
        assert saved.value.status == 200
        assert page.locator("#id_title_en").is_visible()
        page.goto(f"{base}/admin/pages/{article.pk}/edit/")
        assert page.locator("#id_title_en").is_visible()
        assert page.locator("#id_title_vi").is_visible()

        assert harness.csp_violations(page) == []
        assert page.failed_responses == []
    except Exception:
        harness.screenshot(page, "failure-admin-vi")
        raise
    finally:
        page.context.close()
    assert not violations, "\n".join(f"{where}:\n{text}" for where, text in violations.items())
