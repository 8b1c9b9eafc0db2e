"""In a real browser, in the Vietnamese admin: a translator opens the Translate workspace of an
article, fixes a glossary flag, filters the missing segments, takes a machine suggestion from
the local DeepL-speaking server, moves to the next untranslated segment with Alt+↓, saves with
Ctrl+S and sees the progress in the page explorer. axe-core finds no violation in the workspace.

Screenshots go to artifacts/screenshots/ (workspace-vi*.png). The README's screenshot,
docs/screenshots/translation-workspace.png, is written by this test only when it is missing:
delete it to take a new one.
"""

import pytest
from wagtail.users.models import UserProfile

from workspace.models import Term

from . import factories
from .browser import harness
from .test_translate_machine import DeepLServer

browser = harness.browser  # a headless chromium (a fixture)
site_server = harness.site_server  # the project on a loopback port (a fixture)
# Autouse: later transactional tests find the migrated rows (root page, site) again.
database_left_as_migrated = harness.database_left_as_migrated

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "browser-translator-pw-2024"
README_SCREENSHOT = harness.BASE_DIR / "docs" / "screenshots" / "translation-workspace.png"


@pytest.fixture
def deepl(settings):
    # No network here: no check for a newer Wagtail (avatars never come from gravatar.com).
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False
    server = DeepLServer()
    settings.MACHINE_TRANSLATION = {"BACKEND": "deepl", "URL": server.url, "API_KEY": "key:fx"}
    yield server
    server.stop()


@pytest.fixture
def article_to_translate(article_index):
    Term.objects.create(english="platelets", vietnamese="tiểu cầu")
    return factories.make_article(
        article_index,
        "Platelet-rich plasma, explained",
        "prp-explained",
        "Huyết tương giàu tiểu cầu, giải thích",
        "huyet-tuong-giau-tieu-cau",
        lead_en="An introduction to platelets.",
        lead_vi="Giới thiệu về huyết khối.",  # not the approved term: flagged
        body_en=[
            {"type": "heading", "id": "h1", "value": {"text": "Why PRP", "level": "h2"}},
            {
                "type": "paragraph",
                "id": "p1",
                "value": '<p>Read about <b>PRP</b> and <a href="https://example.org/">the '
                "studies</a>.</p><p>First line<br/>second line</p>",
            },
        ],
        body_vi=[],
    )


def focused_name(page):
    return page.evaluate("document.activeElement && document.activeElement.name")


def test_translator_works_through_the_workspace_in_vietnamese(
    site_server, deepl, article_index, article_to_translate, django_user_model, browser
):
    user = django_user_model.objects.create_superuser("lan", "lan@example.com", PASSWORD)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "vi"
    profile.save()
    article = article_to_translate
    workspace = f"{site_server}/admin/translate/pages/{article.pk}/vi/"

    page = harness.new_page(browser)
    page.goto(f"{site_server}/admin/login/")
    page.fill("#id_username", "lan")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site_server}/admin/")

    try:
        page.goto(workspace)
        assert page.locator("html").get_attribute("lang") == "vi"
        flags = page.locator("[data-glossary-flag]").count()
        assert f"{flags} cờ thuật ngữ" in page.locator("[data-translate-progress]").inner_text()
        violations = harness.run_axe(page)
        assert violations == [], harness.describe(violations)

        # The glossary flag on the lead: use the approved term, save with Ctrl+S.
        lead = page.locator("tr[data-segment=lead]")
        assert "“tiểu cầu”" in lead.locator("[data-glossary-flag]").inner_text()
        lead.locator("textarea").fill("Giới thiệu về tiểu cầu.")
        with page.expect_navigation():
            page.keyboard.press("Control+s")
        assert "Bản dịch đã được lưu nháp" in page.locator(".messages").inner_text()
        assert page.locator("tr[data-segment=lead] [data-glossary-flag]").count() == 0
        assert page.locator("[data-glossary-flag]").count() == flags - 1

        # Only the missing segments, then a machine suggestion for the heading.
        page.get_by_role("link", name="Còn thiếu").click()
        page.wait_for_url(workspace + "?filter=missing")
        statuses = page.locator("tr[data-status]").evaluate_all(
            "rows => rows.map(row => row.dataset.status)"
        )
        assert statuses == ["missing"] * 3
        with page.expect_navigation():
            page.locator("tr[data-segment='body/h1/text'] button.translate-suggest").click()
        heading = page.locator("tr[data-segment='body/h1/text']")
        assert heading.locator("textarea").input_value() == "Vì sao chọn PRP"
        assert heading.get_attribute("data-status") == "machine"
        assert "Gợi ý máy" in heading.locator(".translate-status").inner_text()
        heading.locator(".translate-confirm input").check()
        assert deepl.requests[-1]["json"]["text"] == ["Why PRP"]

        # The keyboard: Alt+↓ from the heading goes to the next untranslated segment.
        heading.locator("textarea").focus()
        page.keyboard.press("Alt+ArrowDown")
        first = focused_name(page)
        assert first.startswith("t:body/p1/")
        page.keyboard.type("Đọc về {1}PRP{/1} và {2}các nghiên cứu{/2}.")
        page.keyboard.press("Alt+ArrowDown")
        second = focused_name(page)
        assert second.startswith("t:body/p1/") and second != first
        page.keyboard.type("Dòng đầu{1/}dòng thứ hai")
        page.keyboard.press("Alt+ArrowDown")  # nothing left: it says so
        assert "Không còn phân đoạn nào" in page.locator("[data-translate-announce]").inner_text()
        harness.screenshot(page, "workspace-vi")
        if not README_SCREENSHOT.exists():
            README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.evaluate("document.querySelector('h1').scrollIntoView()")
            page.screenshot(path=str(README_SCREENSHOT))

        with page.expect_navigation():
            page.keyboard.press("Control+s")
        assert "Bản dịch đã được lưu nháp" in page.locator(".messages").inner_text()
        assert page.locator("tr[data-status]").count() == 0  # nothing missing any more
        assert (
            "Không có phân đoạn nào để hiển thị."
            in page.locator(".translate-segments tbody").inner_text()
        )
        harness.screenshot(page, "workspace-vi-saved")
        # Every row translated, a machine suggestion reviewed (without Wagtail's fading message).
        page.goto(workspace)
        violations = harness.run_axe(page)
        assert violations == [], harness.describe(violations)

        # The page explorer shows the draft's progress, linked to the workspace.
        page.goto(f"{site_server}/admin/pages/{article_index.pk}/")
        cell = page.locator(f"a[href='/admin/translate/pages/{article.pk}/vi/']").first
        assert "6/6 phân đoạn" in page.locator("[data-segment-progress=vi]").first.inner_text()
        assert cell.count() == 1
        harness.screenshot(page, "workspace-vi-explorer")
    except Exception:
        harness.screenshot(page, "failure-workspace")
        raise

    assert harness.csp_violations(page) == []
    assert page.console_errors == []
    page.context.close()

    draft = type(article).objects.get(pk=article.pk).get_latest_revision_as_object()
    assert draft.lead_vi == "Giới thiệu về tiểu cầu."
    assert [block["id"] for block in draft.body_vi.get_prep_value()] == ["h1", "p1"]
    assert draft.body_vi[0].value["text"] == "Vì sao chọn PRP"
