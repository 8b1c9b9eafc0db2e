"""The read model: documents equal what the builder makes, follow every change, read in one form.

Both forms of the visibility rule (over pages, ``cms.visibility``; over document columns,
``readmodel.reads``) select the same pages and languages whatever hides a page; a change
recorded in the outbox rebuilds the page and what shows it; the commands rebuild and verify.
"""

import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from cms import clock
from cms.api.visibility import visible_pages
from cms.language import SUPPORTED_LANGUAGES
from cms.sites import SiteOfHost
from home.models import HomePage
from readmodel import outbox
from readmodel.models import DocumentChange, PageDocument
from readmodel.reads import DocumentStore, visible_documents
from releases.models import LanguageRelease

from . import factories
from .api_fixtures import make_rich_article

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _both_forms(site, now):
    by_rule = {
        (pk, lang)
        for pk in visible_pages(site).values_list("pk", flat=True)
        for lang in SUPPORTED_LANGUAGES
    }
    by_documents = set(visible_documents(site, now).values_list("page_id", "lang"))
    # Detail and find read through the rule's SQL (readmodel.reads._VISIBLE_SQL): asked for
    # every page that has a document, on the site by its id and by its host, they answer
    # exactly the visible ones.
    store = DocumentStore()
    by_host = SiteOfHost(site.hostname, site.port)
    for where in (site.pk, by_host):
        by_detail, by_find = set(), set()
        for document in PageDocument.objects.exclude(state=PageDocument.State.DELETED):
            by_detail |= {
                (d.page_id, d.lang)
                for d in store.detail(where, document.page_id, SUPPORTED_LANGUAGES)
            }
            by_find |= {
                (d.page_id, d.lang)
                for d in store.find(where, document.lang, document.url_path, [document.lang])
            }
        assert by_detail == by_documents
        assert by_find <= by_documents
        assert {pk for pk, _lang in by_find} == {pk for pk, _lang in by_documents}
    return by_rule, by_documents


def test_both_forms_of_the_visibility_rule_select_the_same_pages_and_languages(
    home, therapy_index, article_index, prp, exosomes, root_page
):
    draft = factories.make_therapy(therapy_index, "Draft", "draft", "Nháp", "nhap", publish=False)
    unpublished = factories.make_therapy(therapy_index, "Gone", "gone", "Đã gỡ", "da-go")
    unpublished.unpublish()
    private = factories.make_article(article_index, "Private", "private", "Riêng", "rieng")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    expired = factories.make_therapy(therapy_index, "Expired", "expired", "Hết hạn", "het-han")
    later = factories.make_therapy(therapy_index, "Later", "later", "Sau này", "sau-nay")
    # Live, but its English never went live (releases): not visible.
    unreleased = factories.make_therapy(therapy_index, "Unreleased", "unreleased", "Chưa", "chua")
    LanguageRelease.objects.filter(page=unreleased).delete()
    outbox.record_pages([unreleased.pk])
    for page, window in (
        (expired, {"expire_at": NOW - datetime.timedelta(minutes=1)}),
        (later, {"go_live_at": NOW + datetime.timedelta(days=1)}),
    ):
        Page.objects.filter(pk=page.pk).update(**window)
    outbox.record_pages([expired.pk, later.pk])
    # Another site, whose pages the first site never shows.
    other_home = factories.publish_child(
        root_page, factories._page(HomePage, "Other", "other", "Khác", "khac")
    )
    other_site = Site.objects.create(hostname="other.example", root_page=other_home)
    other = factories.make_therapy_index(other_home)
    outbox.drain()
    site = Site.objects.get(is_default_site=True)
    for moment in (NOW, NOW + datetime.timedelta(days=2)):  # before and after `later` goes live
        with clock.frozen_at(moment):
            by_rule, by_documents = _both_forms(site, moment)
            assert by_rule == by_documents
            assert (prp.pk, "vi") in by_documents
            hidden = {draft.pk, unpublished.pk, private.pk, expired.pk, other.pk, unreleased.pk}
            assert not hidden & {pk for pk, _lang in by_documents}
            assert ((later.pk, "en") in by_documents) == (moment > NOW)
            other_rule, other_documents = _both_forms(other_site, moment)
            assert other_rule == other_documents and (other.pk, "vi") in other_documents


def test_a_document_is_the_detail_the_builder_makes_byte_for_byte(
    client, article_index, prp, exosomes, doctors, pictures, clinic
):
    article = make_rich_article(article_index, prp, exosomes, doctors, pictures, "rich")
    client.get("/api/v1/pages/")  # drains
    for lang in ("en", "vi"):
        document = PageDocument.objects.get(page_id=article.pk, lang=lang)
        response = client.get(f"/api/v1/pages/{article.pk}/?lang={lang}")
        assert response.content == bytes(document.body)
        assert response["ETag"] == document.etag
        assert response["Content-Language"] == lang
    assert document.url_path == "/bai-viet/bai-viet-rich/" and document.page_type == "article"
    assert "exosome" in document.search_text
    both = client.get(f"/api/v1/pages/{article.pk}/?lang=all").json()
    assert both["lang"] == "all" and both["languages"]["vi"]["title"] == "Bài viết đầy đủ rich"


def test_a_publish_rebuilds_the_page_and_the_pages_that_show_it(client, article_index, prp):
    comparing = factories.make_article(
        article_index,
        "Comparing",
        "comparing",
        "So sánh",
        "so-sanh",
        body_vi=[
            {
                "type": "comparison",
                "value": {
                    "title": "Bảng",
                    "therapies": [prp.pk],
                    "rows": [{"dimension": "Nguồn", "values": ["Máu"]}],
                    "takeaway": "",
                },
            }
        ],
    )
    client.get("/api/v1/pages/")
    prp.title_vi = "PRP mới"
    prp.save_revision().publish()
    body = client.get(f"/api/v1/pages/{comparing.pk}/?lang=vi").json()["body"]
    assert body[0]["value"]["therapies"][0]["title"] == "PRP mới"
    section = client.get(f"/api/v1/pages/{prp.get_parent().pk}/?lang=vi").json()
    assert "PRP mới" in [child["title"] for child in section["children"]]


def test_a_slug_change_rebuilds_the_subtree_and_a_deletion_leaves_a_tombstone(
    client, therapy_index, prp
):
    client.get("/api/v1/pages/")
    therapy_index.slug_vi = "cac-lieu-phap"
    therapy_index.save_revision().publish()
    client.get("/api/v1/pages/")
    assert PageDocument.objects.get(page_id=prp.pk, lang="vi").url_path == "/cac-lieu-phap/prp/"
    found = client.get("/api/v1/pages/find/?path=/vi/cac-lieu-phap/prp/")
    assert found.status_code == 200 and found.json()["id"] == prp.pk
    prp_id = prp.pk
    prp.delete()
    client.get("/api/v1/pages/")
    states = set(PageDocument.objects.filter(page_id=prp_id).values_list("state", flat=True))
    assert states == {PageDocument.State.DELETED}
    assert client.get(f"/api/v1/pages/{prp_id}/").status_code == 404
    section = client.get(f"/api/v1/pages/{therapy_index.pk}/").json()
    assert prp_id not in [child["id"] for child in section["children"]]


def test_a_doctor_edit_reaches_the_pages_that_quote_or_name_the_doctor(
    client, article_index, prp, exosomes, doctors, pictures, clinic
):
    article = make_rich_article(article_index, prp, exosomes, doctors, pictures, "rich")
    client.get("/api/v1/pages/")
    doctors[0].credentials_vi = "Giáo sư"
    doctors[0].save()
    data = client.get(f"/api/v1/pages/{article.pk}/?lang=vi").json()
    assert data["review"]["reviewed_by"]["credentials"] == "Giáo sư"


def test_a_failed_rebuild_keeps_the_change_for_the_next_drain(client, prp, monkeypatch):
    client.get("/api/v1/pages/")
    outbox.record_pages([prp.pk], "test")

    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("readmodel.builder.build", broken)
    assert outbox.drain() == (0, 1)
    change = DocumentChange.objects.get()
    assert change.attempts == 1 and "database hiccup" in change.last_error
    monkeypatch.undo()
    assert outbox.drain() == (1, 0)
    assert not DocumentChange.objects.exists()


def test_one_drain_is_queued_per_commit_however_many_changes_it_recorded(
    prp, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(outbox, "_enqueue", lambda: queued.append(DocumentChange.objects.count()))
    with django_capture_on_commit_callbacks(execute=True):
        prp.title_vi = "PRP (huyết tương giàu tiểu cầu)"
        prp.save_revision().publish()  # the page, its languages, its status: several changes
    assert DocumentChange.objects.count() > 1
    assert queued == [DocumentChange.objects.count()]
    # A rolled-back change queues nothing, and leaves the next commit its own drain.
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                outbox.record_pages([prp.pk], "rolled back")
                raise RuntimeError("the editor's save failed")
        except RuntimeError:
            pass
    assert len(queued) == 1
    with django_capture_on_commit_callbacks(execute=True):
        outbox.record_pages([prp.pk], "one")
        outbox.record_pages([prp.pk], "two")
    assert len(queued) == 2


def test_verify_documents_lists_a_difference_and_fails(client, prp, capsys):
    client.get("/api/v1/pages/")
    call_command("verify_documents")
    PageDocument.objects.filter(page_id=prp.pk, lang="vi").update(body=b"{}")
    with pytest.raises(CommandError):
        call_command("verify_documents")
    assert f"page {prp.pk} site" in capsys.readouterr().out
    call_command("rebuild_documents", "--page", str(prp.pk))
    call_command("verify_documents")


def test_documents_of_existing_content_are_built_after_migrate(prp):
    from readmodel.migration import build_missing

    PageDocument.objects.all().delete()
    DocumentChange.objects.all().delete()
    build_missing(verbosity=0)
    assert PageDocument.objects.filter(page_id=prp.pk, lang="vi", state="live").exists()


def test_documents_built_by_any_process_are_the_same():
    """The translated fields come in the model's order in every process.

    modeltranslation keeps them in a set, whose order follows the process's hash seed: a
    document's search text built by the publisher and checked by ``verify_documents`` in
    another process differed (``make faults`` found every document "different").
    """
    import os
    import subprocess
    import sys

    from django.conf import settings

    code = (
        "import django; django.setup()\n"
        "from cms.translations import translatable_fields\n"
        "from therapies.models import ArticlePage, TherapyPage\n"
        "print(translatable_fields(ArticlePage), translatable_fields(TherapyPage))\n"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={
                **os.environ,
                "PYTHONHASHSEED": seed,
                "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            },
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(seen) == 1
    assert seen.pop().startswith("('title', 'slug', 'url_path', 'seo_title', 'search_description'")


def test_a_review_falling_due_is_answered_as_due_before_any_rebuild(client, article_index, doctor):
    """A stored document past its ``valid_until`` (read by the detail's SQL) is answered as
    the builder makes it now, in both databases' datetime forms; the response cached before
    ends then too, and its ``Cache-Control`` does not outlive it."""
    from editorial.review import record_review

    article = factories.make_article(article_index, "Due soon", "due-soon", "Sắp đến hạn", "sap")
    revision = Page.objects.get(pk=article.pk).latest_revision
    record_review(revision.as_object(), doctor, revision=revision, languages=["en", "vi"])
    client.get("/api/v1/pages/")  # drains
    stored = PageDocument.objects.get(page_id=article.pk, lang="vi")
    assert stored.valid_until is not None
    url = f"/api/v1/pages/{article.pk}/?lang=vi"
    almost = stored.valid_until - datetime.timedelta(seconds=40)
    with clock.frozen_at(almost):
        cached = client.get(url)
        assert cached.json()["review"]["current"] is True and cached["X-Cache"] == "miss"
        lifetimes = dict(re.findall(r"([a-z-]+)=(\d+)", cached["Cache-Control"]))
        assert int(lifetimes["max-age"]) + int(lifetimes.get("stale-while-revalidate", 0)) <= 40
        assert client.get(url)["X-Cache"] == "hit"
    with clock.frozen_at(stored.valid_until + datetime.timedelta(minutes=1)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["review"]["current"] is False
    assert response.json()["title"] == "Sắp đến hạn"
