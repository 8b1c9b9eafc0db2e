"""Backup and restore: dumpdata of the bilingual content, loaddata into an emptied database,
and every page's API responses in both languages are byte-identical afterwards.

The dump keeps primary keys and includes content types and permissions, and is loaded into
tables emptied without recreating them (``flush`` with post-migrate inhibited). Natural keys
are not an option: ``--natural-foreign`` fails with "Page matching query does not exist" as
soon as a page has been deleted, because Wagtail keeps the page's log entries (a foreign key
without a constraint) and ``Page`` has a natural key. Wagtail's own search index entries are
derived data (the admin's search; rebuilt here with ``update_index``, as after any restore); the
API's search reads contentsearch's table, which is dumped. Sessions and login-attempt records are
not content.
"""

import io
import json
import os
import tempfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page, Revision, Site

from home.models import ClinicSettings
from therapies.models import ArticlePage, Doctor, TherapyPage

pytestmark = pytest.mark.django_db

# Derived or per-install rows, which a backup does not carry.
EXCLUDE = [
    "sessions",
    "wagtailsearch",  # index entries (and SQLite's full-text table): derived, rebuilt
    "axes",
]


def dump(*labels, exclude=()):
    out = io.StringIO()
    call_command("dumpdata", *labels, exclude=list(exclude), stdout=out)
    return out.getvalue()


def backup():
    """Content types first: loading a Wagtail task or page before its content type exists
    would create that content type under a new id, and the dump's own row then clashes."""
    return [dump("contenttypes"), dump(exclude=EXCLUDE + ["contenttypes"])]


def restore(fixtures):
    if connection.vendor == "postgresql":
        # Inside the test's transaction: check the deferred foreign keys now, or TRUNCATE
        # refuses ("pending trigger events"); loaddata needs them deferred again.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert not Page.objects.exists() and not ContentType.objects.exists(), "flush left rows behind"
    ContentType.objects.clear_cache()
    cache.clear()
    for data in fixtures:
        handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
        with handle:
            handle.write(data)
        try:
            call_command("loaddata", handle.name, verbosity=0)
        finally:
            os.unlink(handle.name)
    ContentType.objects.clear_cache()
    Site.clear_site_root_paths_cache()
    call_command("update_index", verbosity=0, stdout=io.StringIO())
    cache.clear()


def api_snapshot(client):
    """Every live page through the API in en, vi and all, plus listings and finds: raw bytes."""
    snapshot = {}
    for page in Page.objects.live().filter(depth__gt=1).order_by("path"):
        for lang in ("en", "vi", "all"):
            response = client.get(f"/api/v1/pages/{page.pk}/", {"lang": lang})
            assert response.status_code == 200, (page, lang, response.content[:200])
            snapshot[f"detail {page.pk} {lang}"] = (response["ETag"], response.content)
            if lang != "all":
                url = json.loads(response.content)["url"]
                found = client.get("/api/v1/pages/find/", {"path": url})
                snapshot[f"find {url}"] = (found.status_code, found.content)
    for query in (
        {"type": "article"},
        {"type": "therapy", "lang": "vi"},
        {"search": "PRP"},
        {"search": "huyết tương", "lang": "vi"},
    ):
        response = client.get("/api/v1/pages/", query)
        snapshot[f"list {sorted(query.items())}"] = (response.status_code, response.content)
    for path in ("/api/v1/settings/?lang=vi", "/api/v1/settings/?lang=en"):
        response = client.get(path)
        snapshot[path] = (response.status_code, response.content)
    return snapshot


@pytest.fixture
def demo_site(db):
    call_command("load_demo_content", stdout=io.StringIO())
    # A second revision in both languages, so the restore must keep the live one, not the first.
    article = ArticlePage.objects.get()
    article.title_vi = "Exosome và PRP khác nhau thế nào (bản 2)"
    article.title_en = "How exosomes and PRP differ (revision 2)"
    article.save_revision().publish()
    cache.clear()
    return Site.objects.get(is_default_site=True)


def test_dumpdata_loaddata_gives_byte_identical_api_responses(client, demo_site):
    before = api_snapshot(client)
    counts = {
        model: model.objects.count()
        for model in (Page, TherapyPage, ArticlePage, Doctor, Revision, ClinicSettings, Site)
    }
    assert counts[ArticlePage] >= 1 and counts[TherapyPage] >= 2
    assert any(b"Exosome v\xc3\xa0 PRP" in body for _, body in before.values())

    restore(backup())

    assert {model: model.objects.count() for model in counts} == counts
    after = api_snapshot(client)
    assert after.keys() == before.keys()
    different = [key for key in before if before[key] != after[key]]
    assert not different, f"{len(different)} responses differ after restore, e.g. {different[:3]}"
    # The restored database keeps working: a publish in both languages still shows at once.
    article = ArticlePage.objects.get()
    article.title_vi = "Sau khi khôi phục"
    article.save_revision().publish()
    response = client.get(f"/api/v1/pages/{article.pk}/", {"lang": "vi"})
    assert response.json()["title"] == "Sau khi khôi phục"
    assert client.get(f"/api/v1/pages/{article.pk}/", {"lang": "en"}).json()["title"] == (
        "How exosomes and PRP differ (revision 2)"
    )
