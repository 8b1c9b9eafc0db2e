"""Each language of a page goes live on its own, and only when it is approved.

Readers (the site, the API, the sitemap, sync, webhooks) get each language as it was
released: a publish releases the languages whose content is approved (complete, up to
date, machine text reviewed and, for therapies and articles, medically reviewed in that
language); the others keep what readers had. These tests set the production rule (the
suite's settings turn medical review off for the tests of other features).
"""

import datetime
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page, PageLogEntry, Revision

from cms import clock
from editorial.status import confirm_translation
from readmodel.models import DocumentChange
from releases.migration import release_what_is_live
from releases.models import LanguageRelease
from releases.service import (
    NotApproved,
    approval,
    language_states,
    release_language,
    withdraw_language,
)
from workspace.models import SegmentTranslation
from workspace.segments import page_segments

from . import factories
from .conftest import comparison_block
from .editorial_fixtures import *  # noqa: F403 - fixtures
from .release_steps import detail, edit, latest, publish, review
from .sync_client import Mirror, api_pages


def webhook_events(monkeypatch):
    """The events an external site listening on a webhook is sent (queued, not delivered)."""
    from webhooks.models import WebhookEndpoint

    WebhookEndpoint.objects.create(name="Front end", url="https://example.com/hook", secret="s")
    sent = []
    monkeypatch.setattr("webhooks.signals.enqueue_event", sent.append)
    return sent


pytestmark = pytest.mark.django_db

SUMMARY_EN = "Fine needles make tiny wounds that the skin repairs."
SUMMARY_VI = "Kim nhỏ tạo những vết thương li ti để da tự phục hồi."
FIXED_EN = "Fine needles make tiny, controlled wounds that the skin repairs."
NEW_VI = "Kim siêu nhỏ tạo vi tổn thương có kiểm soát, da tự lành và tăng collagen."
FALLBACK_NOTICE = "notice--fallback"
VI_URL = "/vi/lieu-phap/lan-kim/"
EN_URL = "/en/therapies/microneedling/"


@pytest.fixture(autouse=True)
def _review_rule(settings):
    settings.RELEASE_REVIEW_REQUIRED_FOR = ("therapies.TherapyPage", "therapies.ArticlePage")


def moment(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@pytest.fixture
def therapy(therapy_index, doctor):
    """Microneedling, written and reviewed in both languages, published: both live."""
    page = factories.make_therapy(
        therapy_index,
        "Microneedling",
        "microneedling",
        "Lăn kim",
        "lan-kim",
        publish=False,
        summary_en=SUMMARY_EN,
        summary_vi=SUMMARY_VI,
    )
    review(page, doctor, "en", "vi")
    publish(Page.objects.get(pk=page.pk).latest_revision)
    return Page.objects.get(pk=page.pk).specific


def searched(client, words, lang):
    found = client.get("/api/v1/pages/", {"search": words, "lang": lang}).json()
    return [item["id"] for item in found["items"]]


def test_both_languages_reviewed_go_live_together(client, therapy):
    for lang, summary in (("en", SUMMARY_EN), ("vi", SUMMARY_VI)):
        data = detail(client, therapy, lang)
        assert data["summary"] == summary
        assert data["translations"][lang]["state"] == "live"
        assert moment(data["translations"][lang]["live_since"]) is not None
    states = language_states(therapy)
    assert {lang: state.state for lang, state in states.items()} == {"en": "live", "vi": "live"}
    assert states["vi"].released_revision == therapy.live_revision
    assert states["vi"].reasons == []


def test_an_english_fix_goes_live_while_the_vietnamese_stays_pending(
    client, therapy, doctor, admin_user
):
    vi_since = detail(client, therapy, "vi")["translations"]["vi"]["live_since"]
    revision = edit(therapy, summary_en=FIXED_EN, summary_vi=NEW_VI)
    review(therapy, doctor, "en")  # the doctor has read the English fix only
    publish(revision)

    english = detail(client, therapy, "en")
    assert english["summary"] == FIXED_EN
    vietnamese = detail(client, therapy, "vi")
    assert vietnamese["summary"] == SUMMARY_VI  # the Vietnamese released before
    assert vietnamese["translations"]["vi"]["state"] == "pending"
    assert vietnamese["translations"]["vi"]["live_since"] == vi_since
    assert vietnamese["translations"]["en"]["state"] == "live"
    assert vietnamese["fallbacks"] == []
    html = client.get(VI_URL).content.decode()
    assert SUMMARY_VI in html and NEW_VI not in html and FALLBACK_NOTICE not in html
    assert FIXED_EN in client.get(EN_URL).content.decode()
    assert searched(client, "collagen", "vi") == []  # words of the pending text only
    # The edit form shows the latest revision, pending Vietnamese included.
    assert Page.objects.get(pk=therapy.pk).specific.summary_vi == NEW_VI

    states = language_states(therapy)
    assert states["vi"].state == "pending"
    assert [reason.code for reason in states["vi"].reasons] == ["review_missing"]
    with translation.override("vi"):
        [reason] = language_states(therapy)["vi"].reasons
    assert "bác sĩ" in reason.message
    pending = PageLogEntry.objects.filter(page=therapy, action="releases.pending").get()
    assert pending.data == {"language": "vi", "reasons": ["review_missing"]}
    with translation.override("vi"):
        message = pending.message
    assert "tiếng Việt" in message and "thẩm định y khoa" in message


def test_vietnamese_approved_later_goes_live_without_touching_english(
    client, therapy, doctor, admin_user
):
    revision = edit(therapy, summary_en=FIXED_EN, summary_vi=NEW_VI)
    review(therapy, doctor, "en")
    publish(revision)
    english_before = detail(client, therapy, "en")

    with pytest.raises(NotApproved) as refused:
        release_language(therapy, "vi", admin_user)
    assert [reason.code for reason in refused.value.reasons] == ["review_missing"]

    review(therapy, doctor, "vi")
    release = release_language(therapy, "vi", admin_user)
    assert release.revision_id == revision.pk and release.released_by == admin_user

    vietnamese = detail(client, therapy, "vi")
    assert vietnamese["summary"] == NEW_VI
    assert vietnamese["translations"]["vi"]["state"] == "live"
    assert searched(client, "collagen", "vi") == [therapy.pk]
    assert NEW_VI in client.get(VI_URL).content.decode()
    english = detail(client, therapy, "en")
    assert english["summary"] == FIXED_EN
    assert (
        english["translations"]["en"]["live_since"]
        == english_before["translations"]["en"]["live_since"]
    )
    entry = PageLogEntry.objects.filter(page=therapy, action="releases.release").latest("pk")
    assert entry.user == admin_user and entry.data == {"language": "vi"}
    with translation.override("vi"):
        assert "tiếng Việt" in entry.message


def test_a_new_page_with_vietnamese_missing_gives_vietnamese_readers_english(
    client, therapy_index, doctor
):
    page = factories.make_therapy(
        therapy_index, "Chemical peel", "chemical-peel", publish=False, summary_en=SUMMARY_EN
    )
    review(page, doctor, "en")
    publish(Page.objects.get(pk=page.pk).latest_revision)

    data = detail(client, page, "vi")
    assert data["title"] == "Chemical peel" and data["summary"] == SUMMARY_EN
    assert {"title", "summary"} <= set(data["fallbacks"])
    vi = data["translations"]["vi"]
    assert vi["state"] == "missing" and vi["live_since"] is None and vi["available"] is False
    response = client.get(data["translations"]["vi"]["path"])
    html = response.content.decode()
    assert response.status_code == 200 and "Chemical peel" in html and FALLBACK_NOTICE in html
    assert 'hreflang="vi"' not in html.split("</head>")[0]
    assert 'hreflang="en"' in html.split("</head>")[0]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/en/therapies/chemical-peel/" in sitemap
    assert "/vi/lieu-phap/chemical-peel/" not in sitemap
    entry = sitemap[sitemap.index("/en/therapies/chemical-peel/") :]
    entry = entry[: entry.index("</url>")]
    assert 'hreflang="vi"' not in entry


def test_a_page_whose_english_was_never_approved_is_not_visible(
    client, therapy_index, doctor, admin_user
):
    page = factories.make_therapy(
        therapy_index,
        "Laser toning",
        "laser-toning",
        "Laser toning",
        "laser-toning-vi",
        summary_vi="Laser năng lượng thấp làm đều màu da.",
    )  # published without any medical review
    assert page.live
    for lang in ("en", "vi"):
        assert client.get(f"/api/v1/pages/{page.pk}/?lang={lang}").status_code == 404
        listed = client.get(f"/api/v1/pages/?type=therapy&lang={lang}").json()
        assert page.pk not in [item["id"] for item in listed["items"]]
        assert client.get(f"/api/v1/pages/?search=laser&lang={lang}").json()["count"] == 0
    assert client.get("/en/therapies/laser-toning/").status_code == 404
    assert "laser-toning" not in client.get("/sitemap.xml").content.decode()
    assert "Laser toning" not in client.get("/en/therapies/").content.decode()

    review(page, doctor, "en", "vi")
    release_language(page, "en", admin_user)
    assert detail(client, page, "en")["title"] == "Laser toning"
    assert detail(client, page, "vi")["translations"]["vi"]["state"] == "missing"
    release_language(page, "vi", admin_user)
    assert detail(client, page, "vi")["summary"] == "Laser năng lượng thấp làm đều màu da."


def test_withdrawing_vietnamese_gives_its_readers_english_and_sync_reports_a_change(
    client, therapy, admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    mirror = Mirror(client, "vi")

    def found_in_vietnamese(words):
        found = client.get("/api/v1/pages/", {"search": words, "lang": "vi"}).json()
        return therapy.pk in [item["id"] for item in found["items"]]

    assert found_in_vietnamese("phục hồi") and found_in_vietnamese("phuc hoi")
    sent = webhook_events(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_language(therapy, "vi", admin_user)

    data = detail(client, therapy, "vi")
    assert data["summary"] == SUMMARY_EN and data["title"] == "Microneedling"
    assert data["translations"]["vi"]["state"] == "missing"
    assert {"title", "summary"} <= set(data["fallbacks"])
    html = client.get(VI_URL).content.decode()
    assert FALLBACK_NOTICE in html and SUMMARY_EN in html and SUMMARY_VI not in html
    assert 'hreflang="vi"' not in html.split("</head>")[0]
    assert VI_URL not in client.get("/sitemap.xml").content.decode()
    assert detail(client, therapy, "en")["translations"]["vi"]["state"] == "missing"
    # Search in Vietnamese no longer finds the withdrawn text, with or without diacritics.
    assert not found_in_vietnamese("phục hồi") and not found_in_vietnamese("phuc hoi")

    changed, removed = mirror.update()
    assert therapy.pk in changed and removed == []
    assert changed[therapy.pk]["translations"]["vi"]["state"] == "missing"
    assert mirror.pages == api_pages(client, "vi")

    [event] = sent
    assert event["event"] == "page.languages_changed" and event["id"] == therapy.pk
    assert event["changed_languages"] == ["vi"]
    assert event["languages"] == {"en": "live", "vi": "missing"}
    assert PageLogEntry.objects.filter(page=therapy, action="releases.withdraw").exists()
    with pytest.raises(ValueError):
        withdraw_language(therapy, "en", admin_user)


def test_a_publish_tells_webhooks_which_languages_went_live(
    client, therapy, doctor, monkeypatch, django_capture_on_commit_callbacks
):
    sent = webhook_events(monkeypatch)
    revision = edit(therapy, summary_en=FIXED_EN, summary_vi=NEW_VI)
    review(therapy, doctor, "en")
    with django_capture_on_commit_callbacks(execute=True):
        publish(revision)
    [event] = sent
    assert event["event"] == "page.published"
    assert event["changed_languages"] == ["en"]
    assert event["languages"] == {"en": "live", "vi": "pending"}


def test_scheduled_publishing_releases_what_is_approved_when_it_goes_live(client, therapy, doctor):
    revision = edit(
        therapy,
        summary_en=FIXED_EN,
        summary_vi=NEW_VI,
        go_live_at=timezone.now() + datetime.timedelta(days=1),
    )
    review(therapy, doctor, "en")
    publish(revision)  # scheduled: readers get nothing new yet
    assert detail(client, therapy, "en")["summary"] == SUMMARY_EN

    # The go-live moment passes (Wagtail's scheduler reads the real clock: move the dates).
    past = timezone.now() - datetime.timedelta(minutes=1)
    content = {**revision.content, "go_live_at": past.isoformat()}
    Revision.objects.filter(pk=revision.pk).update(content=content, approved_go_live_at=past)
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=5)
    with clock.frozen_at(at):
        call_command("publish_scheduled")

    english = detail(client, therapy, "en")
    assert english["summary"] == FIXED_EN
    assert moment(english["translations"]["en"]["live_since"]) == at
    vietnamese = detail(client, therapy, "vi")
    assert vietnamese["summary"] == SUMMARY_VI
    assert vietnamese["translations"]["vi"]["state"] == "pending"


def test_bulk_publish_releases_each_page_as_far_as_it_is_approved(
    admin_client, client, therapy, therapy_index, doctor
):
    other = factories.make_therapy(
        therapy_index,
        "Exosome facial",
        "exosome-facial",
        "Chăm sóc da exosome",
        "cham-soc-da-exosome",
        publish=False,
        summary_en="Vesicles from donor cells applied to the skin.",
        summary_vi="Túi ngoại bào từ tế bào hiến tặng được thoa lên da.",
    )
    review(other, doctor, "en", "vi")
    edit(therapy, summary_en=FIXED_EN, summary_vi=NEW_VI)
    review(therapy, doctor, "en")

    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = urlencode([("id", therapy.pk), ("id", other.pk)])
    assert admin_client.post(f"{url}?{query}").status_code == 302

    assert detail(client, therapy, "en")["summary"] == FIXED_EN
    assert detail(client, therapy, "vi")["summary"] == SUMMARY_VI
    assert detail(client, other, "vi")["summary"] == (
        "Túi ngoại bào từ tế bào hiến tặng được thoa lên da."
    )
    assert detail(client, other, "vi")["translations"]["vi"]["state"] == "live"


def test_publishing_in_code_keeps_an_unreviewed_vietnamese_back(client, therapy):
    revision = edit(therapy, summary_vi=NEW_VI)
    publish(revision)  # revision.publish() in code: the same gate
    assert detail(client, therapy, "vi")["summary"] == SUMMARY_VI
    assert LanguageRelease.objects.get(page=therapy, lang="vi").revision_id != revision.pk
    assert LanguageRelease.objects.get(page=therapy, lang="en").revision_id == revision.pk


def test_the_reasons_a_translation_is_not_approved(therapy, doctor, admin_user):
    # English changes after the Vietnamese: out of date, until an editor confirms it.
    edit(therapy, summary_en=FIXED_EN)
    review(therapy, doctor, "en", "vi")
    codes = [reason.code for reason in approval(latest(therapy), "vi")]
    assert codes == ["stale"]
    confirm_translation(latest(therapy), "vi", admin_user)
    assert approval(latest(therapy), "vi") == []

    # English gains a body the Vietnamese lacks: incomplete.
    edit(therapy, body_en=[{"type": "paragraph", "value": "<p>Who should avoid it.</p>"}])
    review(therapy, doctor, "en", "vi")
    reasons = approval(latest(therapy), "vi")
    assert "incomplete" in [reason.code for reason in reasons]
    with translation.override("vi"):
        message = approval(latest(therapy), "vi")[0].message
    assert "Chưa đầy đủ" in message

    # A machine suggestion nobody reviewed.
    segment = page_segments(latest(therapy), "en")[0]
    SegmentTranslation.objects.create(
        page=therapy,
        lang="vi",
        segment_id=segment.id,
        target="Bản dịch máy chưa ai xem lại.",
        source_text=segment.text,
        source_digest="x",
        status=SegmentTranslation.Status.MACHINE,
    )
    assert "machine_unreviewed" in [r.code for r in approval(latest(therapy), "vi")]

    # English is the source: never out of date nor incomplete; it needs its own review.
    assert approval(latest(therapy), "en") == []
    edit(therapy, summary_en="Fine needles, tiny wounds, new collagen.")
    assert [r.code for r in approval(latest(therapy), "en")] == ["review_missing"]


def test_the_migration_records_what_is_live_today(client, settings, therapy_index, article_index):
    settings.RELEASE_REVIEW_REQUIRED_FOR = ()  # pages published before the rule existed
    prp = factories.make_therapy(
        therapy_index, "PRP", "prp", "PRP (huyết tương giàu tiểu cầu)", "prp"
    )
    english_only = factories.make_therapy(therapy_index, "Cryotherapy", "cryotherapy")
    draft = factories.make_article(article_index, "Draft", "draft", "Bản nháp", "ban-nhap", False)
    before = {lang: detail(client, prp, lang) for lang in ("en", "vi")}
    LanguageRelease.objects.all().delete()  # as before the migration
    DocumentChange.objects.all().delete()

    assert release_what_is_live(django_apps) > 0
    released = set(LanguageRelease.objects.values_list("page_id", "lang", "revision_id"))
    assert (prp.pk, "en", prp.live_revision_id) in released
    assert (prp.pk, "vi", prp.live_revision_id) in released
    assert (english_only.pk, "en", english_only.live_revision_id) in released
    assert not any(page_id == english_only.pk and lang == "vi" for page_id, lang, _r in released)
    assert not any(page_id == draft.pk for page_id, _lang, _r in released)
    assert DocumentChange.objects.filter(page_id=None, site_id=None).exists()

    for lang in ("en", "vi"):
        after = detail(client, prp, lang)
        for data in (before[lang], after):
            for info in data["translations"].values():
                info.pop("live_since")
        assert after == before[lang]
        assert after["translations"]["vi"]["state"] == "live"
    assert detail(client, english_only, "vi")["translations"]["vi"]["state"] == "missing"
    assert release_what_is_live(django_apps) == 0  # once


def test_the_demo_content_goes_live_in_both_languages(client):
    from .test_site_demo_content import load_demo

    load_demo()
    load_demo()  # a second run puts right what an earlier demo showed: still live
    pages = Page.objects.filter(depth__gt=1).live().specific()
    assert len(pages) >= 6
    for page in pages:
        for lang in ("en", "vi"):
            data = detail(client, page, lang)
            assert data["translations"][lang]["state"] == "live", (page, lang)
            assert data["fallbacks"] == [] or lang == "en"
    therapy = next(page for page in pages if page.slug_en == "prp")
    assert detail(client, therapy, "vi")["title"] == "PRP (huyết tương giàu tiểu cầu)"


def test_listings_show_each_page_as_released(client, therapy, therapy_index):
    publish(edit(therapy, title_vi="Lăn kim vi điểm (bản nháp chưa thẩm định)"))
    section = detail(client, therapy_index, "vi")
    assert [child["title"] for child in section["children"]] == ["Lăn kim"]
    html = client.get("/vi/lieu-phap/").content.decode()
    assert "Lăn kim" in html and "chưa thẩm định" not in html
    home = detail(client, therapy_index.get_parent(), "vi")
    assert "Lăn kim" in [item["title"] for item in home["therapies"]]
    listed = client.get("/api/v1/pages/?type=therapy&lang=vi").json()
    assert [item["title"] for item in listed["items"]] == ["Lăn kim"]


def test_a_doctors_workflow_approval_takes_both_languages_live(
    client, editor_client, reviewer_client, article
):
    from .test_editorial_review import approve_url, submit

    # Published before any review: not visible with the production rule.
    assert client.get(f"/api/v1/pages/{article.pk}/?lang=vi").status_code == 404
    task_state = submit(editor_client, article, lead_vi="Lời dẫn đã được bác sĩ đọc lại.")
    response = reviewer_client.post(approve_url(article, task_state), {"comment": ""})
    assert response.status_code == 302
    vietnamese = detail(client, article, "vi")
    assert vietnamese["lead"] == "Lời dẫn đã được bác sĩ đọc lại."
    assert vietnamese["translations"]["vi"]["state"] == "live"
    assert detail(client, article, "en")["translations"]["en"]["state"] == "live"


def test_a_comparison_shows_each_therapy_as_its_readers_see_it(
    client, therapy, therapy_index, article_index, doctor
):
    """A therapy's pending Vietnamese title stays out of the comparisons other pages show."""
    peel = factories.make_therapy(
        therapy_index, "Chemical peel", "chemical-peel", "Lột da hoá học", "lot-da", publish=False
    )
    review(peel, doctor, "en", "vi")
    publish(Page.objects.get(pk=peel.pk).latest_revision)
    rows = [("Downtime", ("A day or two", "Up to a week"))]
    rows_vi = [("Thời gian hồi phục", ("Một hai ngày", "Tới một tuần"))]
    article = factories.make_article(
        article_index,
        "Needles or peel",
        "needles-or-peel",
        "Lăn kim hay lột da",
        "lan-kim-hay-lot-da",
        publish=False,
        body_en=[comparison_block([therapy, peel], rows)],
        body_vi=[comparison_block([therapy, peel], rows_vi)],
    )
    review(article, doctor, "en", "vi")
    publish(Page.objects.get(pk=article.pk).latest_revision)

    def columns(lang):
        body = detail(client, article, lang)["body"]
        [block] = [b for b in body if b["type"] == "comparison"]
        return [column["title"] for column in block["value"]["therapies"]]

    assert columns("vi") == ["Lăn kim", "Lột da hoá học"]
    # Microneedling's new Vietnamese title is published unreviewed: pending.
    publish(edit(therapy, title_vi="Lăn kim vi điểm"))
    assert detail(client, therapy, "vi")["translations"]["vi"]["state"] == "pending"

    assert columns("vi") == ["Lăn kim", "Lột da hoá học"]
    assert columns("en") == ["Microneedling", "Chemical peel"]
    html = client.get("/vi/bai-viet/lan-kim-hay-lot-da/").content.decode()
    assert "Lăn kim" in html and "Lăn kim vi điểm" not in html

    review(therapy, doctor, "vi")
    release_language(therapy, "vi", None)
    assert columns("vi") == ["Lăn kim vi điểm", "Lột da hoá học"]
    assert "Lăn kim vi điểm" in client.get("/vi/bai-viet/lan-kim-hay-lot-da/").content.decode()


def test_purging_revisions_keeps_the_text_each_language_released(client, therapy):
    """``purge_revisions`` keeps a revision readers get: the reviewed Vietnamese stays live."""
    publish(edit(therapy, title_vi="Lăn kim vi điểm (chưa thẩm định)"))  # pending
    released = LanguageRelease.objects.get(page_id=therapy.pk, lang="vi").revision_id
    old_draft = edit(therapy, summary_en="A draft nobody published.")
    edit(therapy, summary_en="The latest draft.")

    call_command("purge_revisions", stdout=StringIO())

    assert Revision.objects.filter(pk=released).exists()
    assert not Revision.objects.filter(pk=old_draft.pk).exists()
    vietnamese = detail(client, therapy, "vi")
    assert vietnamese["title"] == "Lăn kim"
    assert vietnamese["summary"] == SUMMARY_VI
    assert vietnamese["translations"]["vi"]["state"] == "pending"
    assert detail(client, therapy, "en")["title"] == "Microneedling"
    section = detail(client, therapy.get_parent(), "vi")
    assert [child["title"] for child in section["children"]] == ["Lăn kim"]


def test_released_revisions_deleted_in_code_are_kept_one_by_one_or_in_bulk(client, therapy):
    publish(edit(therapy, title_vi="Lăn kim vi điểm (chưa thẩm định)"))
    released = LanguageRelease.objects.get(page_id=therapy.pk, lang="vi").revision
    with pytest.raises(ProtectedError):
        released.delete()
    with pytest.raises(ProtectedError):
        Revision.objects.filter(pk=released.pk).delete()
    assert detail(client, therapy, "vi")["title"] == "Lăn kim"


def alias_of(page, home):
    """An alias of ``page`` in a second section (Wagtail's "Create alias")."""
    more = factories.publish_child(
        home, factories._page(factories.TherapyIndexPage, "More", "more", "Thêm", "them")
    )
    return page.create_alias(parent=more)


def test_an_alias_shows_each_language_as_its_original_shows_it(client, therapy, home, doctor):
    alias = alias_of(therapy, home)
    publish(edit(therapy, title_vi="Lăn kim vi điểm"))  # Vietnamese not reviewed: pending
    for page in (therapy, alias):
        vietnamese = detail(client, page, "vi")
        assert vietnamese["title"] == "Lăn kim"
        assert vietnamese["translations"]["vi"]["state"] == "pending"
        assert detail(client, page, "en")["title"] == "Microneedling"

    review(therapy, doctor, "vi")
    release_language(therapy, "vi", None)
    for page in (therapy, alias):
        vietnamese = detail(client, page, "vi")
        assert vietnamese["title"] == "Lăn kim vi điểm"
        assert vietnamese["translations"]["vi"]["state"] == "live"

    withdraw_language(therapy, "vi", None)
    for page in (therapy, alias):
        vietnamese = detail(client, page, "vi")
        assert vietnamese["title"] == "Microneedling"
        assert vietnamese["translations"]["vi"]["state"] == "missing"


def test_deleting_an_original_takes_its_alias_offline_with_the_released_revisions(
    client, therapy, home
):
    """The revisions its releases (and its alias's) point at go with the page."""
    alias = alias_of(therapy, home)
    publish(edit(therapy, title_vi="Lăn kim vi điểm"))  # Vietnamese not reviewed: pending
    assert detail(client, alias, "vi")["title"] == "Lăn kim"

    Page.objects.get(pk=therapy.pk).delete()  # Wagtail unpublishes its aliases
    for lang in ("vi", "en"):
        assert client.get(f"/api/v1/pages/{alias.pk}/?lang={lang}").status_code == 404
    assert not Revision.objects.filter(object_id=str(therapy.pk)).exists()
    assert set(
        LanguageRelease.objects.filter(page_id=alias.pk).values_list("revision_id", flat=True)
    ) == {None}
