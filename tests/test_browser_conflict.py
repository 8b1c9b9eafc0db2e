"""In a real browser, two editors and one bilingual article: nothing either typed is lost.

Anna (English admin) and Bình (Vietnamese admin) open the edit screen of the same article.
Anna changes the Vietnamese title and lead and saves a draft. Bình, still on the form he
opened before, changes the same Vietnamese title differently and the English lead, then
saves: he lands on the conflict view, in Vietnamese, with both titles side by side and who
wrote which; he keeps his title and saves. The new draft holds his title, his English lead
and Anna's Vietnamese lead. Screenshot: artifacts/screenshots/conflict-vi.png; axe-core finds
no violation on the conflict view.
"""

import json
import re

import pytest
from wagtail.users.models import UserProfile

from revisions.models import HeldEdit

from .browser import harness

browser = harness.browser  # a headless chromium (a fixture)
site_server = harness.site_server  # the project on a loopback port (a fixture)
# Autouse: later transactional tests find the migrated rows (root page, site) again.
database_left_as_migrated = harness.database_left_as_migrated

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "browser-conflict-pw-2024"
ANNA_TITLE_VI = "Exosome hay PRP: nên chọn liệu pháp nào?"
ANNA_LEAD_VI = "Bằng chứng hiện có về hai liệu pháp, viết cho người bệnh."
BINH_TITLE_VI = "PRP và exosome: những điều cần biết trước khi điều trị"
BINH_LEAD_EN = "What the evidence says about both therapies, for patients."


@pytest.fixture
def quiet_admin(settings):
    # No network here: no check for a newer Wagtail (avatars never come from gravatar.com).
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False


def editor(django_user_model, username, first_name, last_name, language):
    user = django_user_model.objects.create_superuser(
        username, f"{username}@example.com", PASSWORD, first_name=first_name, last_name=last_name
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def open_edit_screen(browser, base_url, username, page_id, show):
    """A browser context of its own, logged in, on the page's edit screen with the language
    ``show`` visible too."""
    page = harness.new_page(browser)
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    page.goto(f"{base_url}/admin/pages/{page_id}/edit/")
    toggle = page.locator(f"button.locale-toggle[data-locale={show}]")
    if toggle.get_attribute("aria-pressed") != "true":
        with page.expect_response(lambda r: "/admin/editorial/edit-languages/" in r.url):
            toggle.click()
    return page


def autosaved(response, page_id):
    return (
        response.request.method == "POST"
        and response.url.endswith(f"/admin/pages/{page_id}/edit/")
        and "application/json" in (response.headers.get("content-type") or "")
    )


def without_editor_keys(value):
    """``value`` without the identifiers an edit form makes up for content that has none.

    The article's first revision (written by the fixture, not by the admin) has list items
    without ids and rich text without Draftail's block keys; each form that renders it
    invents its own. They name no content, so they are left out of the comparison.
    """
    if isinstance(value, dict):
        return {k: without_editor_keys(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [without_editor_keys(v) for v in value]
    if isinstance(value, str):
        return re.sub(r' data-block-key="[^"]*"', "", value)
    return value


def bilingual_content(revision):
    """Every field of the revision in English and in Vietnamese (StreamFields decoded)."""
    content = {}
    for key, value in revision.content.items():
        if key.endswith(("_en", "_vi")):
            if key.startswith("body_"):
                value = json.loads(value)
            content[key] = without_editor_keys(value)
    return content


def test_two_editors_change_one_title_and_the_vietnamese_editor_keeps_his(
    site_server, quiet_admin, article, django_user_model, browser
):
    article.save_revision()  # the revision both editors open
    editor(django_user_model, "anna", "Anna", "Smith", "en")
    editor(django_user_model, "binh", "Bình", "Trần", "vi")
    anna = open_edit_screen(browser, site_server, "anna", article.pk, "vi")
    binh = open_edit_screen(browser, site_server, "binh", article.pk, "en")
    assert binh.locator("html").get_attribute("lang") == "vi"
    try:
        # Anna: the Vietnamese title and lead. Wagtail autosaves her work, then she saves.
        with anna.expect_response(lambda r: autosaved(r, article.pk)) as autosave:
            anna.fill("#id_title_vi", ANNA_TITLE_VI)
            anna.fill("#id_lead_vi", ANNA_LEAD_VI)
        assert autosave.value.status == 200
        with anna.expect_navigation():
            anna.get_by_role("button", name="Save draft", exact=True).click()
        assert "has been updated" in anna.locator(".messages").inner_text()
        theirs = type(article).objects.get(pk=article.pk).get_latest_revision()
        assert theirs.as_object().title_vi == ANNA_TITLE_VI

        # Bình, on the form he opened before Anna saved: Wagtail's autosave refuses it.
        with binh.expect_response(lambda r: autosaved(r, article.pk)) as autosave:
            binh.fill("#id_title_vi", BINH_TITLE_VI)
            binh.fill("#id_lead_en", BINH_LEAD_EN)
        assert autosave.value.status == 400
        assert autosave.value.json()["error_code"] == "invalid_revision"
        # Wagtail's editing session tells him Anna saved, and asks before saving.
        binh.locator(".w-editing-sessions__session--saved").wait_for()
        binh.get_by_role("button", name="Lưu bản nháp", exact=True).click()
        dialog = binh.locator("#w-save-confirmation-dialog")
        assert "Anna Smith đã lưu một phiên bản mới" in dialog.inner_text()
        with binh.expect_navigation():
            dialog.locator("[data-w-dialog-target=confirm]").click()

        # Bình's save is held: the conflict view, in Vietnamese, both titles, both names.
        held = HeldEdit.objects.get()
        binh.wait_for_url(f"{site_server}{held.url}")
        assert binh.locator("html").get_attribute("lang") == "vi"
        # The page's title in his language first (Anna's draft), the English one as a hint.
        assert binh.locator("h1").inner_text() == (
            f"Thay đổi xung đột: {ANNA_TITLE_VI} · Exosomes vs PRP"
        )
        assert (
            "Có người đã lưu trang này sau khi bạn mở trang"
            in binh.locator(".messages").inner_text()
        )
        view = binh.locator(".revisions-conflict")
        assert "1 chỗ đã được sửa bởi cả bạn và Anna Smith." in view.inner_text()
        item = view.locator("fieldset.revisions-conflict__item")
        assert item.count() == 1
        assert item.locator("legend").inner_text() == "Tiêu đề [vi]"
        their_side = item.locator("section").nth(0)
        my_side = item.locator("section").nth(1)
        assert their_side.locator("h3").inner_text().startswith("Phiên bản của họ — Anna Smith, ")
        assert my_side.locator("h3").inner_text().startswith("Phiên bản của bạn — Bình Trần, ")
        assert their_side.locator("blockquote[lang=vi]").inner_text() == ANNA_TITLE_VI
        assert my_side.locator("blockquote[lang=vi]").inner_text() == BINH_TITLE_VI
        merged = view.locator("h2", has_text="Đã gộp, không xung đột").locator("+ ul")
        assert merged.inner_text().splitlines() == ["Lời dẫn [vi]"]  # Anna's, kept
        harness.screenshot(binh, "conflict-vi")
        violations = harness.run_axe(binh)
        assert violations == [], harness.describe(violations)

        # Bình keeps his title and saves.
        binh.get_by_label("Giữ phiên bản của bạn").check()
        with binh.expect_navigation():
            binh.get_by_role("button", name="Lưu các phiên bản đã chọn thành bản nháp").click()
        binh.wait_for_url(f"{site_server}/admin/pages/{article.pk}/edit/")
        assert (
            "Lựa chọn của bạn đã được lưu thành một phiên bản nháp mới."
            in binh.locator(".messages").inner_text()
        )
        assert binh.locator("#id_title_vi").input_value() == BINH_TITLE_VI
        assert binh.locator("#id_lead_en").input_value() == BINH_LEAD_EN
        assert binh.locator("#id_lead_vi").input_value() == ANNA_LEAD_VI

        assert harness.csp_violations(anna) == harness.csp_violations(binh) == []
        assert anna.failed_responses == anna.console_errors == []
        # Nothing else went wrong than Wagtail's refused autosave of the stale form.
        assert binh.failed_responses == [f"400 {site_server}/admin/pages/{article.pk}/edit/"]
        assert binh.console_errors == [
            "Failed to load resource: the server responded with a status of 400 (Bad Request)"
        ]
    except Exception:
        harness.screenshot(anna, "failure-conflict-anna")
        harness.screenshot(binh, "failure-conflict-binh")
        raise
    finally:
        anna.context.close()
        binh.context.close()

    article.refresh_from_db()
    latest = article.get_latest_revision()
    held.refresh_from_db()
    assert held.resolved_revision_id == latest.pk
    assert latest.user.username == "binh"
    mine = bilingual_content(latest)
    assert mine["title_vi"] == BINH_TITLE_VI
    assert mine["lead_en"] == BINH_LEAD_EN
    # Everything else in both languages is Anna's revision, her Vietnamese lead included.
    assert mine == {
        **bilingual_content(theirs),
        "title_vi": BINH_TITLE_VI,
        "lead_en": BINH_LEAD_EN,
    }
    assert mine["lead_vi"] == ANNA_LEAD_VI
    # Anna's title is not lost either: her revision stays in the page's history.
    assert article.revisions.get(pk=theirs.pk).content["title_vi"] == ANNA_TITLE_VI
    assert article.live_revision_id != latest.pk  # a draft: nothing published
