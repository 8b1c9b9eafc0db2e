"""In a real browser, in the Vietnamese admin: an editor publishes an English fix while the
Vietnamese lead is being rewritten and reads which language went live and why Vietnamese did
not; once the Vietnamese lead is written she uses "Xuất bản tiếng Việt" (Publish Vietnamese)
on the edit screen, then "Rút lại bản tiếng Việt" (Withdraw Vietnamese) after its
confirmation, and Vietnamese readers get the English text. axe-core finds no violation on
the edit screen (with the languages' section) nor on the confirmation page.

Screenshots go to artifacts/screenshots/ (releases-vi-*.png). The README's screenshot,
docs/screenshots/language-releases.png, is written by this test only when it is missing:
delete it to take a new one.
"""

import pytest
from wagtail.users.models import UserProfile

from releases.models import LanguageRelease
from therapies.models import ArticlePage

from . import factories
from .browser import harness

browser = harness.browser  # a headless chromium (a fixture)
site_server = harness.site_server  # the project on a loopback port (a fixture)
# Autouse: later transactional tests find the migrated rows (root page, site) again.
database_left_as_migrated = harness.database_left_as_migrated

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "browser-releases-vi-2024"
README_SCREENSHOT = harness.BASE_DIR / "docs" / "screenshots" / "language-releases.png"
ENGLISH_FIX = "Two regenerative therapies, compared on what the studies show."
NEW_VIETNAMESE = "So sánh hai liệu pháp tái tạo theo những gì nghiên cứu cho thấy."


@pytest.fixture
def quiet(settings):
    # No network here: no check for a newer Wagtail (avatars never come from gravatar.com).
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False


@pytest.fixture
def article(clinic, article_index):
    """A live article in both languages, without body blocks: Wagtail's own StreamField
    widgets (list items, rich text) have axe-core findings of their own, outside this
    feature, and the edit screen is checked whole."""
    return factories.make_article(
        article_index,
        "Exosomes vs PRP",
        "exosomes-vs-prp",
        "Exosome và PRP khác nhau thế nào",
        "exosome-va-prp",
        lead_en="How two regenerative therapies differ.",
        lead_vi="Hai liệu pháp tái tạo khác nhau ở đâu.",
    )


def log_in(page, base_url, username):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def axe_check(page, where, found):
    violations = harness.run_axe(page)
    if violations:
        found[where] = harness.describe(violations)


def vietnamese_row(page):
    return page.locator("[data-language-releases] tr[data-lang=vi]")


def state_label(row):
    return row.locator("[data-release-state]").text_content().strip()  # shown in capitals


def test_editor_publishes_with_vietnamese_pending_then_releases_and_withdraws_it(
    site_server, quiet, article, django_user_model, browser
):
    user = django_user_model.objects.create_superuser(
        "lan", "lan@example.com", PASSWORD, first_name="Lan", last_name="Nguyễn"
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "vi"
    profile.save()
    base = site_server
    edit = f"{base}/admin/pages/{article.pk}/edit/"
    page = harness.new_page(browser)
    violations = {}
    try:
        log_in(page, base, "lan")

        # An English fix published while the Vietnamese lead is being rewritten (empty).
        page.goto(edit)
        assert page.locator("html").get_attribute("lang") == "vi"
        page.locator("button.locale-toggle[data-locale=en]").click()
        page.fill("#id_lead_en", ENGLISH_FIX)
        page.fill("#id_lead_vi", "")
        page.locator("footer .w-dropdown__toggle").first.click()
        page.click("button[name=action-publish]")
        page.wait_for_url(f"{base}/admin/pages/{article.get_parent().pk}/")  # the listing
        messages = page.locator(".messages").inner_text()
        assert "Đã xuất bản tiếng Anh." in messages
        assert "Tiếng Việt chưa được xuất bản: bạn đọc vẫn thấy nội dung tiếng Việt" in messages
        assert "Chưa đầy đủ: Lời dẫn còn trống." in messages
        harness.screenshot(page, "releases-vi-published-pending")

        # The edit screen: Vietnamese pending, why, and the revision readers still get.
        page.goto(edit)
        row = vietnamese_row(page)
        assert row.get_attribute("data-state") == "pending"
        assert state_label(row) == "Chờ xuất bản"
        assert "Chưa đầy đủ: Lời dẫn còn trống." in row.inner_text()
        assert row.get_by_role("link", name="So sánh với phiên bản mới nhất").count() == 1
        assert row.get_by_role("button", name="Xuất bản tiếng Việt").count() == 0

        # The Vietnamese lead is written and saved as a draft: ready to go live.
        page.fill("#id_lead_vi", NEW_VIETNAMESE)
        page.locator("footer button.action-save").click()
        page.wait_for_url(edit)
        row = vietnamese_row(page)
        assert "Sẵn sàng xuất bản." in row.inner_text()
        row.scroll_into_view_if_needed()
        harness.screenshot(page, "releases-vi-ready")
        if not README_SCREENSHOT.exists():
            README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.locator("[data-language-releases]").screenshot(path=str(README_SCREENSHOT))
        axe_check(page, "edit screen", violations)

        # "Xuất bản tiếng Việt": Vietnamese goes live, English is untouched.
        english = LanguageRelease.objects.get(page_id=article.pk, lang="en")
        row.get_by_role("button", name="Xuất bản tiếng Việt").click()
        page.wait_for_url(edit)
        assert (
            "Đã xuất bản nội dung tiếng Việt. Các ngôn ngữ khác giữ nguyên."
            in page.locator(".messages").inner_text()
        )
        row = vietnamese_row(page)
        assert row.get_attribute("data-state") == "live"
        assert state_label(row) == "Đang hiển thị" and "Lan Nguyễn" in row.inner_text()
        harness.screenshot(page, "releases-vi-released")
        latest = ArticlePage.objects.get(pk=article.pk).latest_revision_id
        assert LanguageRelease.objects.get(page_id=article.pk, lang="vi").revision_id == latest
        assert LanguageRelease.objects.get(page_id=article.pk, lang="en") == english
        reader = harness.new_page(browser, locale="vi-VN")
        reader.goto(f"{base}/vi/bai-viet/exosome-va-prp/")
        assert NEW_VIETNAMESE in reader.locator("main").inner_text()
        reader.context.close()  # its browser cache may keep the page for a while

        # "Ngừng hiển thị tiếng Việt", after its confirmation: readers get English.
        row.get_by_role("link", name="Ngừng hiển thị tiếng Việt").click()
        page.wait_for_url(f"{base}/admin/releases/pages/{article.pk}/vi/withdraw/")
        assert "Bạn đọc tiếng Việt sẽ thấy nội dung tiếng Anh" in page.locator("main").inner_text()
        axe_check(page, "withdraw confirmation", violations)
        harness.screenshot(page, "releases-vi-withdraw-confirm")
        page.get_by_role("button", name="Đồng ý, ngừng hiển thị tiếng Việt").click()
        page.wait_for_url(edit)
        assert "Đã ngừng hiển thị nội dung tiếng Việt" in page.locator(".messages").inner_text()
        row = vietnamese_row(page)
        assert row.get_attribute("data-state") == "missing"
        assert state_label(row) == "Chưa hiển thị"
        harness.screenshot(page, "releases-vi-withdrawn")
        assert LanguageRelease.objects.get(page_id=article.pk, lang="vi").withdrawn_at
        reader = harness.new_page(browser, locale="vi-VN")
        reader.goto(f"{base}/vi/bai-viet/exosome-va-prp/")
        main = reader.locator("main").inner_text()
        assert ENGLISH_FIX in main and NEW_VIETNAMESE not in main
        reader.context.close()

        assert harness.csp_violations(page) == []
        assert page.console_errors == []
        assert page.failed_responses == []
    except Exception:
        harness.screenshot(page, "failure-releases-vi")
        raise
    finally:
        page.context.close()
    assert not violations, "\n".join(f"{where}:\n{text}" for where, text in violations.items())
