"""What editors see and do about each language's release, in the English and Vietnamese admin.

The publish confirmation (edit view, bulk publish, workflow approval) says which languages
went live and why the others did not; the edit screen shows each language's state, the
revision readers get and a compare link; "Publish Vietnamese" releases Vietnamese alone once
it is ready, "Withdraw Vietnamese" takes it offline after a confirmation. Only editors who
may publish the page can do either; both are in the page history.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import PageLogEntry
from wagtail.users.models import UserProfile

from releases.models import LanguageRelease
from therapies.models import ArticlePage

from .editorial_fixtures import *  # noqa: F403 - fixtures
from .test_editorial_review import approve_url, form_for, submit

pytestmark = pytest.mark.django_db

OLD_LEAD_VI = "Hiểu đúng về hai liệu pháp tái tạo được quảng cáo nhiều nhất."
NEW_LEAD_EN = "Two regenerative therapies, compared on what the studies show."
NEW_LEAD_VI = "So sánh hai liệu pháp tái tạo theo những gì nghiên cứu cho thấy."

# What the editor reads, per admin language.
SEE = {
    "en": {
        "english_live": "English went live.",
        "vietnamese_kept": (
            "Vietnamese did not go live: readers keep the Vietnamese text released before."
        ),
        "lead_empty": "Not complete: Lead empty.",
        "publish_vi": "Publish Vietnamese",
        "withdraw_vi": "Withdraw Vietnamese",
        "released": "The Vietnamese text went live. The other languages are unchanged.",
        "refused": "Nothing changed: the Vietnamese text cannot go live yet.",
        "withdrawn": "The Vietnamese text was withdrawn: its readers get the English text",
        "confirm": "Yes, withdraw Vietnamese",
        "pending": "Pending",
        "live": "Live",
        "missing": "Missing",
        "compare": "Compare with the latest revision",
        "history_release": "The Vietnamese text went live",
        "history_withdraw": "The Vietnamese text was withdrawn",
        "heading": "What readers get in each language",
        "no_permission": (
            "You cannot publish this page, so you cannot publish or withdraw one of its "
            "languages either."
        ),
    },
    "vi": {
        "english_live": "Đã xuất bản tiếng Anh.",
        "vietnamese_kept": (
            "Tiếng Việt chưa được xuất bản: bạn đọc vẫn thấy nội dung tiếng Việt đã xuất bản "
            "trước đó."
        ),
        "lead_empty": "Chưa đầy đủ: Lời dẫn còn trống.",
        "publish_vi": "Xuất bản tiếng Việt",
        "withdraw_vi": "Ngừng hiển thị tiếng Việt",
        "released": "Đã xuất bản nội dung tiếng Việt. Các ngôn ngữ khác giữ nguyên.",
        "refused": "Không có gì thay đổi: nội dung tiếng Việt chưa thể xuất bản.",
        "withdrawn": (
            "Đã ngừng hiển thị nội dung tiếng Việt: bạn đọc tiếng Việt sẽ thấy nội dung tiếng Anh"
        ),
        "confirm": "Đồng ý, ngừng hiển thị tiếng Việt",
        "pending": "Chờ xuất bản",
        "live": "Đang hiển thị",
        "missing": "Chưa hiển thị",
        "compare": "So sánh với phiên bản mới nhất",
        "history_release": "Đã xuất bản nội dung tiếng Việt",
        "history_withdraw": "Đã ngừng hiển thị nội dung tiếng Việt",
        "heading": "Bạn đọc thấy gì ở từng ngôn ngữ",
        "no_permission": (
            "Bạn không có quyền xuất bản trang này, nên cũng không thể xuất bản hay ngừng "
            "hiển thị một ngôn ngữ của trang."
        ),
    },
}


@pytest.fixture(params=["en", "vi"])
def admin_language(request):
    return request.param


def speaks(user, lang):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = lang
    profile.save()


@pytest.fixture
def publisher_in(publisher, publisher_client, admin_language):
    speaks(publisher, admin_language)
    return publisher_client


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def release_url(page, lang="vi"):
    return reverse("releases:release", args=(page.pk, lang))


def withdraw_url(page, lang="vi"):
    return reverse("releases:withdraw", args=(page.pk, lang))


def messages_of(response):
    """The messages the editor reads on the next admin page, in order."""
    following = response.client.get(reverse("wagtailadmin_home"))
    return [(m.level_tag, str(m.message)) for m in get_messages(following.wsgi_request)]


def releases_of(page):
    """What readers get of each language: the release rows as they stand."""
    return {
        r.lang: (r.revision_id, r.released_at, r.released_by_id, r.withdrawn_at)
        for r in LanguageRelease.objects.filter(page_id=page.pk)
    }


def api(client, page, lang):
    response = client.get(f"/api/v1/pages/{page.pk}/?lang={lang}")
    assert response.status_code == 200
    return response.json()


def publish_english_fix_with_vietnamese_unfinished(client, article):
    """An English fix published while the Vietnamese lead is being rewritten (empty)."""
    response = client.post(
        edit_url(article),
        form_for(article, action="action-publish", lead_en=NEW_LEAD_EN, lead_vi=""),
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def seen(client):
    """The editor reads the messages waiting for them (the next page shows them)."""
    client.get(reverse("wagtailadmin_home"))


def section(html):
    """The edit screen's "What readers get in each language" section."""
    start = html.index("data-language-releases")
    return html[start : html.index("</section>", start)]


def row(html, lang):
    part = section(html)
    start = part.index(f'data-lang="{lang}"')
    return part[start : part.index("</tr>", start)]


# -- the publish confirmation ---------------------------------------------------------------


def test_publishing_says_which_languages_went_live_and_why_the_others_did_not(
    publisher_in, admin_language, article, client
):
    see = SEE[admin_language]
    response = publish_english_fix_with_vietnamese_unfinished(publisher_in, article)

    [(level, message)] = [m for m in messages_of(response) if see["english_live"] in m[1]]
    assert level == "warning"
    assert see["vietnamese_kept"] in message and see["lead_empty"] in message
    # Readers: English has the fix; Vietnamese keeps the lead it had.
    assert api(client, article, "en")["lead"] == NEW_LEAD_EN
    assert api(client, article, "vi")["lead"] == OLD_LEAD_VI


def test_the_confirmation_comes_before_wagtails_published_message(
    publisher_in, admin_language, article
):
    """The first line the editor reads says what readers get."""
    see = SEE[admin_language]
    response = publish_english_fix_with_vietnamese_unfinished(publisher_in, article)

    [(first_level, first), (second_level, second)] = messages_of(response)
    assert first_level == "warning" and first.startswith(see["english_live"])
    assert see["vietnamese_kept"] in first
    # Wagtail's own confirmation follows, with its buttons (English did go live).
    assert second_level == "success" and edit_url(article) in second


def test_when_no_language_went_live_the_admin_does_not_say_published(
    publisher_in, admin_language, article, settings, client
):
    settings.RELEASE_REVIEW_REQUIRED_FOR = ("therapies.ArticlePage",)
    see = SEE[admin_language]
    response = publish_english_fix_with_vietnamese_unfinished(publisher_in, article)

    # Only the warning: no green "Page … has been published." (Wagtail's, in either language).
    [(level, message)] = messages_of(response)
    assert level == "warning"
    assert see["vietnamese_kept"] in message and see["lead_empty"] in message
    assert see["english_live"] not in message
    # Readers indeed see nothing new.
    assert api(client, article, "en")["lead"] != NEW_LEAD_EN
    assert api(client, article, "vi")["lead"] == OLD_LEAD_VI


def test_messages_waiting_from_an_earlier_publish_keep_their_place(
    publisher_client, article, settings
):
    publish_english_fix_with_vietnamese_unfinished(publisher_client, article)
    # Not read yet; the next publish goes nowhere (English now needs a medical review).
    settings.RELEASE_REVIEW_REQUIRED_FOR = ("therapies.ArticlePage",)
    response = publisher_client.post(
        edit_url(article),
        form_for(article, action="action-publish", lead_en="A second fix.", lead_vi=""),
    )
    assert response.status_code == 302
    found = messages_of(response)
    assert [level for level, _ in found] == ["warning", "success", "warning"]
    assert found[0][1].startswith("English went live.")
    assert found[2][1].startswith("English did not go live")


def test_an_english_fix_says_the_untouched_vietnamese_is_now_out_of_date(publisher_client, article):
    response = publisher_client.post(
        edit_url(article), form_for(article, action="action-publish", lead_en=NEW_LEAD_EN)
    )
    [(level, message)] = [m for m in messages_of(response) if "went live" in m[1]]
    assert level == "warning" and message.startswith("English went live.")
    assert "Vietnamese did not go live: readers keep the Vietnamese text" in message
    assert "Out of date: Lead changed in the English text since this translation" in message


def test_a_publish_with_every_language_ready_is_a_plain_success(publisher_client, article):
    response = publisher_client.post(
        edit_url(article),
        form_for(article, action="action-publish", lead_en=NEW_LEAD_EN, lead_vi=NEW_LEAD_VI),
    )
    found = [m for m in messages_of(response) if "went live" in m[1]]
    assert found == [("success", "English and Vietnamese went live.")]


def test_bulk_publish_reports_each_page(publisher_client, article, exosomes):
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.lead_en, draft.lead_vi = NEW_LEAD_EN, ""
    draft.save_revision()
    therapy = type(exosomes).objects.get(pk=exosomes.pk)
    therapy.summary_en = "Vesicles from donor cells; the evidence is early."
    therapy.summary_vi = "Túi ngoại bào từ tế bào người hiến; bằng chứng còn sơ khởi."
    therapy.save_revision()

    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = publisher_client.post(f"{url}?id={article.pk}&id={exosomes.pk}")
    assert response.status_code == 302
    found = {m for m in messages_of(response) if "went live" in m[1]}
    article_message = next(text for level, text in found if "Exosomes vs PRP" in text)
    assert "English went live." in article_message
    assert "Vietnamese did not go live" in article_message and "Lead empty" in article_message
    [therapy_message] = [
        text for level, text in found if "Exosomes" in text and text != article_message
    ]
    assert "English and Vietnamese went live." in therapy_message


def test_workflow_approval_reports_the_languages(editor_client, reviewer_client, article):
    task_state = submit(editor_client, article, lead_en=NEW_LEAD_EN, lead_vi="")
    response = reviewer_client.post(approve_url(article, task_state), {"comment": ""})
    assert response.status_code == 302
    [message] = [text for level, text in messages_of(response) if "went live" in text]
    assert "English went live." in message
    assert "Vietnamese did not go live" in message and "Lead empty" in message


def test_approving_the_medical_review_takes_both_languages_live(
    editor_client, reviewer_client, article, settings, client
):
    """With medical review required, the review the approval records is the one the
    languages need: both go live with the approval's publish."""
    settings.RELEASE_REVIEW_REQUIRED_FOR = ("therapies.ArticlePage",)
    task_state = submit(editor_client, article, lead_en=NEW_LEAD_EN, lead_vi=NEW_LEAD_VI)
    response = reviewer_client.post(approve_url(article, task_state), {"comment": ""})
    assert ("success", "English and Vietnamese went live.") in messages_of(response)
    assert api(client, article, "vi")["lead"] == NEW_LEAD_VI
    assert api(client, article, "en")["lead"] == NEW_LEAD_EN


# -- the edit screen ------------------------------------------------------------------------


def test_edit_screen_shows_each_language_state_release_and_compare_link(
    publisher_in, admin_language, publisher, article
):
    see = SEE[admin_language]
    publish_english_fix_with_vietnamese_unfinished(publisher_in, article)
    article = ArticlePage.objects.get(pk=article.pk)
    released_vi = LanguageRelease.objects.get(page_id=article.pk, lang="vi").revision_id

    html = publisher_in.get(edit_url(article)).content.decode()
    assert see["heading"] in section(html)
    english, vietnamese = row(html, "en"), row(html, "vi")
    assert 'data-state="live"' in english and see["live"] in english
    assert "publisher" in english  # who released it
    assert 'data-state="pending"' in vietnamese and see["pending"] in vietnamese
    compare = reverse(
        "wagtailadmin_pages:revisions_compare",
        kwargs={
            "pk": article.pk,
            "revision_id_a": released_vi,
            "revision_id_b": article.latest_revision_id,
        },
    )
    assert f'href="{compare}"' in vietnamese and see["compare"] in vietnamese
    assert see["lead_empty"] in vietnamese
    # Not ready: no "Publish Vietnamese" in the section; withdrawing stays possible.
    assert release_url(article) not in vietnamese and withdraw_url(article) in vietnamese
    assert publisher_in.get(compare).status_code == 200

    # Ready: the Vietnamese lead is written (a draft), the button appears, here and in the header.
    publisher_in.post(edit_url(article), form_for(article, lead_vi=NEW_LEAD_VI))
    html = publisher_in.get(edit_url(article)).content.decode()
    vietnamese = row(html, "vi")
    assert 'data-state="pending"' in vietnamese and "data-reasons" not in vietnamese
    assert f'data-w-action-url-value="{release_url(article)}"' in vietnamese
    assert see["publish_vi"] in vietnamese
    header = html[: html.index("data-language-releases")]
    assert f'data-w-action-url-value="{release_url(article)}"' in header
    assert see["publish_vi"] in header and see["withdraw_vi"] in header


# -- "Publish Vietnamese" -------------------------------------------------------------------


def test_publish_vietnamese_releases_it_and_leaves_english_untouched(
    publisher_in, admin_language, article, client
):
    see = SEE[admin_language]
    publish_english_fix_with_vietnamese_unfinished(publisher_in, article)
    publisher_in.post(
        edit_url(article), form_for(article, lead_en=NEW_LEAD_EN, lead_vi=NEW_LEAD_VI)
    )
    before = releases_of(article)
    latest = ArticlePage.objects.get(pk=article.pk).latest_revision_id

    response = publisher_in.post(release_url(article), {"next": edit_url(article)})
    assert response.status_code == 302 and response["Location"] == edit_url(article)
    assert ("success", see["released"]) in messages_of(response)
    after = releases_of(article)
    assert after["en"] == before["en"]
    assert after["vi"][0] == latest and after["vi"][3] is None
    assert api(client, article, "vi")["lead"] == NEW_LEAD_VI
    assert api(client, article, "en")["lead"] == NEW_LEAD_EN

    html = publisher_in.get(edit_url(article)).content.decode()
    assert 'data-state="live"' in row(html, "vi")
    history = publisher_in.get(reverse("wagtailadmin_pages:history", args=(article.pk,)))
    assert see["history_release"] in history.content.decode()
    entry = PageLogEntry.objects.filter(page=article, action="releases.release").latest("pk")
    assert entry.data["language"] == "vi" and entry.user.username == "publisher"


def test_publish_vietnamese_is_refused_with_the_reasons_while_not_ready(
    publisher_in, admin_language, article, client
):
    see = SEE[admin_language]
    publish_english_fix_with_vietnamese_unfinished(publisher_in, article)
    seen(publisher_in)
    before = releases_of(article)
    entries = PageLogEntry.objects.filter(page=article).count()

    response = publisher_in.post(release_url(article))
    assert response.status_code == 302 and response["Location"] == edit_url(article)
    [(level, message)] = messages_of(response)
    assert level == "error" and see["refused"] in message and see["lead_empty"] in message
    assert releases_of(article) == before
    assert PageLogEntry.objects.filter(page=article).count() == entries
    assert api(client, article, "vi")["lead"] == OLD_LEAD_VI


def test_publish_vietnamese_needs_a_post_a_known_language_and_a_published_page(
    publisher_client, article, article_index
):
    assert publisher_client.get(release_url(article)).status_code == 405
    assert publisher_client.post(release_url(article, "fr")).status_code == 404
    draft = ArticlePage(title="Draft", slug="draft", title_en="Draft", slug_en="draft", lead_en="x")
    draft.live = False
    article_index.add_child(instance=draft)
    response = publisher_client.post(release_url(draft))
    [(level, message)] = messages_of(response)
    assert level == "error" and "publish it first" in message
    assert not LanguageRelease.objects.filter(page_id=draft.pk).exists()


def test_an_editor_who_cannot_publish_can_neither_publish_nor_withdraw_a_language(
    editor, editor_client, admin_language, article
):
    speaks(editor, admin_language)
    see = SEE[admin_language]
    article.lead_vi = NEW_LEAD_VI
    article.save_revision()  # a newer Vietnamese text, ready
    before = releases_of(article)
    entries = PageLogEntry.objects.filter(page=article).count()

    for method, url in (
        (editor_client.post, release_url(article)),
        (editor_client.get, withdraw_url(article)),
        (editor_client.post, withdraw_url(article)),
    ):
        response = method(url)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        assert messages_of(response) == [("error", see["no_permission"])]
    assert releases_of(article) == before
    assert PageLogEntry.objects.filter(page=article).count() == entries

    html = editor_client.get(edit_url(article)).content.decode()
    assert 'data-state="pending"' in row(html, "vi")  # the state is shown to editors too
    assert release_url(article) not in html and withdraw_url(article) not in html


# -- "Withdraw Vietnamese" ------------------------------------------------------------------


def test_withdraw_vietnamese_asks_then_readers_get_english(
    publisher_in, admin_language, article, client
):
    see = SEE[admin_language]
    english_before = releases_of(article)["en"]
    confirm = publisher_in.get(withdraw_url(article))
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert see["confirm"] in page and 'method="post"' in page and "csrfmiddlewaretoken" in page
    assert releases_of(article)["vi"][3] is None  # asking changes nothing

    response = publisher_in.post(withdraw_url(article))
    assert response.status_code == 302 and response["Location"] == edit_url(article)
    [(level, message)] = messages_of(response)
    assert level == "success" and see["withdrawn"] in message
    after = releases_of(article)
    assert after["vi"][3] is not None and after["en"] == english_before

    # Readers of Vietnamese get English, reported as a fallback; the page stays published.
    data = api(client, article, "vi")
    assert data["lead"] == article.lead_en and "lead" in data["fallbacks"]
    site = client.get("/vi/bai-viet/exosome-va-prp/")
    assert site.status_code == 200 and article.lead_en in site.content.decode()
    assert OLD_LEAD_VI not in site.content.decode()
    assert ArticlePage.objects.get(pk=article.pk).live

    html = publisher_in.get(edit_url(article)).content.decode()
    vietnamese = row(html, "vi")
    assert 'data-state="missing"' in vietnamese and see["missing"] in vietnamese
    assert withdraw_url(article) not in vietnamese
    history = publisher_in.get(reverse("wagtailadmin_pages:history", args=(article.pk,)))
    assert see["history_withdraw"] in history.content.decode()

    # Withdrawing again changes nothing, and says so.
    again = publisher_in.post(withdraw_url(article))
    assert [level for level, _ in messages_of(again)] == ["info"]
    assert releases_of(article) == after


def test_the_default_language_cannot_be_withdrawn(publisher_client, article):
    before = releases_of(article)
    assert publisher_client.get(withdraw_url(article, "en")).status_code == 404
    assert publisher_client.post(withdraw_url(article, "en")).status_code == 404
    assert releases_of(article) == before
