"""A list's total is kept with the documents (``readmodel.counts``) and applied at read time.

Every list without a search reads its total from its scope's ``ListCount`` row, written
with the documents, minus the pages of the scope outside their publication window now. These
tests check what a client reads: the ``count`` of every kind of list equals the number of
items the list gives, page after page, in both languages, after each kind of change, and
when time alone moves a page out of its window. The module is one of those whose documents
and totals are compared with a fresh build and a count after each test
(``tests/readmodel_fixtures.py``).
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms import clock
from readmodel.models import ListCount

from . import factories

pytestmark = pytest.mark.django_db

LANGS = ("en", "vi")


@pytest.fixture(autouse=True)
def store_only(settings):
    """Each list read from the store (the cache of lists has its own tests: test_cache_lists)."""
    settings.API_CACHE_SECONDS = 0


def listed(client, lang, **params):
    """``(count, ids)``: the total the list says and every item it gives, 2 per page."""
    ids, offset, count = [], 0, None
    while True:
        response = client.get(
            "/api/v1/pages/", {"lang": lang, "limit": 2, "offset": offset, **params}
        )
        assert response.status_code == 200, response.content
        data = response.json()
        assert count in (None, data["count"])  # every page of the list tells the same total
        count = data["count"]
        ids += [item["id"] for item in data["items"]]
        if not data["items"]:
            return count, ids
        offset += 2


def totals(client, section):
    """``{(lang, list): count}`` of four kinds of list, each checked against its items."""
    kinds = {
        "every page": {},
        "articles": {"type": "article"},
        "children": {"child_of": section.pk},
        "articles there": {"type": "article", "child_of": section.pk},
    }
    found = {}
    for lang in LANGS:
        for name, params in kinds.items():
            count, ids = listed(client, lang, **params)
            assert count == len(ids) == len(set(ids)), (lang, name, count, ids)
            found[(lang, name)] = count
    return found


def articles_in(found):
    return {lang: found[(lang, "articles there")] for lang in LANGS}


@pytest.fixture
def articles(article_index):
    return [
        factories.make_article(
            article_index, f"Article {n}", f"article-{n}", f"Bài viết {n}", f"bai-viet-{n}"
        )
        for n in range(3)
    ]


def test_totals_follow_publish_unpublish_privacy_and_deletion_in_both_languages(
    client, article_index, therapy_index, articles
):
    factories.make_therapy(therapy_index, "Exosomes", "exosomes", "Exosome", "exosome")
    before = totals(client, article_index)
    assert articles_in(before) == {"en": 3, "vi": 3}
    assert before[("vi", "every page")] == before[("vi", "articles")] + 4  # home, 2 sections, 1

    factories.make_article(
        article_index, "Platelet-rich plasma", "prp", "Huyết tương", "huyet-tuong"
    )
    assert articles_in(totals(client, article_index)) == {"en": 4, "vi": 4}

    articles[0].unpublish()
    assert articles_in(totals(client, article_index)) == {"en": 3, "vi": 3}

    PageViewRestriction.objects.create(
        page=articles[1], restriction_type=PageViewRestriction.PASSWORD, password="bí-mật"
    )
    after = totals(client, article_index)
    assert articles_in(after) == {"en": 2, "vi": 2}
    assert after[("en", "every page")] == before[("en", "every page")] - 1

    articles[2].delete()
    assert articles_in(totals(client, article_index)) == {"en": 1, "vi": 1}

    # A section hidden: its children's list is a 404, the other lists lose it and them.
    article_index.unpublish()
    response = client.get("/api/v1/pages/", {"lang": "vi", "child_of": article_index.pk})
    assert response.status_code == 404
    assert listed(client, "vi", type="article")[0] == 1  # its children are still live


def test_a_total_follows_the_publication_window_with_no_rebuild(client, article_index, articles):
    now = timezone.now()
    ending = articles[0]
    ending.expire_at = now + datetime.timedelta(days=3)
    ending.save_revision().publish()
    starting = articles[1]
    starting.go_live_at = now - datetime.timedelta(days=1)  # went live yesterday
    starting.save_revision().publish()
    assert articles_in(totals(client, article_index)) == {"en": 3, "vi": 3}

    with clock.frozen_at(now + datetime.timedelta(days=4)):  # past the expiry
        found = totals(client, article_index)
        assert articles_in(found) == {"en": 2, "vi": 2}
        assert ending.pk not in listed(client, "vi", type="article")[1]
    with clock.frozen_at(now - datetime.timedelta(days=2)):  # before the go-live
        assert articles_in(totals(client, article_index)) == {"en": 2, "vi": 2}
        assert starting.pk not in listed(client, "en", child_of=article_index.pk)[1]
    assert articles_in(totals(client, article_index)) == {"en": 3, "vi": 3}


def test_a_list_past_its_end_still_tells_the_total(client, article_index, articles):
    response = client.get("/api/v1/pages/", {"lang": "vi", "type": "article", "offset": 50})
    assert response.status_code == 200
    assert response.json()["count"] == 3 and response.json()["items"] == []


def test_the_stored_total_is_what_lists_say_and_verify_documents_reports_a_wrong_one(
    client, article_index, articles
):
    assert listed(client, "vi", type="article")[0] == 3  # (the request drains the outbox first)
    row = ListCount.objects.get(
        site_id=article_index.get_site().pk, lang="vi", page_type="article", parent_id=0
    )
    row.count += 5
    row.save()
    assert listed(client, "vi", type="article")[0] == 8  # read from the row, not counted
    assert listed(client, "en", type="article")[0] == 3

    with pytest.raises(CommandError, match="1 list totals differ"):
        call_command("verify_documents")

    call_command("rebuild_documents")
    call_command("verify_documents")
    assert listed(client, "vi", type="article")[0] == 3


def test_an_upgrade_counts_the_documents_it_finds(client, article_index, articles):
    expected = totals(client, article_index)
    ListCount.objects.all().delete()
    assert listed(client, "vi", type="article")[0] == 0
    migration = importlib.import_module("readmodel.migrations.0005_list_counts")
    migration.count_existing(apps, None)
    assert totals(client, article_index) == expected
