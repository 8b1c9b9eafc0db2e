"""Backup and restore: dumpdata of the bilingual content, loaddata into an emptied database,
and every page's API responses in both languages are byte-identical afterwards.

The dump keeps primary keys and includes content types and permissions, and is loaded into
tables emptied without recreating them (``flush`` with post-migrate inhibited). Natural keys
are not an option: ``--natural-foreign`` fails with "Page matching query does not exist" as
soon as a page has been deleted, because Wagtail keeps the page's log entries (a foreign key
without a constraint) and ``Page`` has a natural key. Wagtail's own search index entries are
derived data (the admin's search; rebuilt here with ``update_index``, as after any restore); the
API's search reads the read model's documents, which are dumped. Sessions and login-attempt
records are not content.
"""

import io
import json
import os
import sqlite3
import tempfile
import threading
from contextlib import closing

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import CommandError, call_command
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


# backup_sqlite / restore_sqlite: SQLite's online backup, while the site keeps writing --------

ROWS_PER_BATCH = 50
BATCHES = 4


def visits(path):
    """The ids in a copy, after checking it opens and passes integrity_check."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return [row[0] for row in db.execute("SELECT id FROM visit ORDER BY id")]


def new_backup(source, backups):
    before = set(backups.glob("*.sqlite3")) if backups.exists() else set()
    out = io.StringIO()
    call_command("backup_sqlite", source=str(source), dir=str(backups), stdout=out)
    assert "integrity_check: ok" in out.getvalue()
    (made,) = set(backups.glob("*.sqlite3")) - before
    return made


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_backups_taken_while_another_connection_writes_restore_a_consistent_prefix(
    tmp_path, journal_mode
):
    """A writer commits batches of visits; between its steps, with a batch inserted but not yet
    committed, a backup is taken. Each backup holds exactly the committed batches (no torn or
    uncommitted rows, nothing left behind in the -wal file) and restores into a working database.

    The two threads take turns at a barrier, so the interleaving is the same on every run."""
    live = tmp_path / "db.sqlite3"
    with closing(sqlite3.connect(live)) as db:
        assert db.execute(f"PRAGMA journal_mode={journal_mode}").fetchone()[0] == journal_mode
        db.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        db.commit()
    turn = threading.Barrier(2, timeout=60)
    failures = []

    def writer():
        try:
            with closing(sqlite3.connect(live, isolation_level=None)) as db:
                if journal_mode == "wal":
                    db.execute("PRAGMA wal_autocheckpoint=0")  # commits stay in the -wal file
                for batch in range(BATCHES):
                    db.execute("BEGIN IMMEDIATE")
                    first = batch * ROWS_PER_BATCH + 1
                    db.executemany(
                        "INSERT INTO visit (id, note) VALUES (?, ?)",
                        [(i, f"Lượt khám {i}") for i in range(first, first + ROWS_PER_BATCH)],
                    )
                    turn.wait()  # the batch is written but not committed: a backup runs now
                    turn.wait()  # the backup is done
                    db.execute("COMMIT")
                    turn.wait()  # committed
        except Exception as exc:  # reported by the test thread, not lost in this one
            failures.append(exc)
            turn.abort()

    thread = threading.Thread(target=writer)
    thread.start()
    backups = tmp_path / "backups"
    taken = []
    try:
        for batch in range(BATCHES):
            turn.wait()
            taken.append((new_backup(live, backups), batch * ROWS_PER_BATCH))
            turn.wait()
            turn.wait()
    finally:
        thread.join(timeout=60)
    assert not failures and not thread.is_alive()
    taken.append((new_backup(live, backups), BATCHES * ROWS_PER_BATCH))

    for copy, committed in taken:
        assert visits(copy) == list(range(1, committed + 1)), copy.name
    assert not list(backups.glob("*.partial")) and not list(backups.glob("*-wal"))

    # Restore the second backup over the live database (still in its journal mode).
    copy, committed = taken[1]
    out = io.StringIO()
    call_command(
        "restore_sqlite", str(copy), target=str(live), dir=str(tmp_path / "before"), stdout=out
    )
    assert "Restored" in out.getvalue()
    assert visits(live) == list(range(1, committed + 1))
    # The restored database takes writes, and what was replaced was backed up first.
    with closing(sqlite3.connect(live)) as db:
        db.execute("INSERT INTO visit (note) VALUES ('Sau khi khôi phục')")
        db.commit()
        assert db.execute("SELECT note FROM visit ORDER BY id DESC").fetchone() == (
            "Sau khi khôi phục",
        )
    (previous,) = (tmp_path / "before").glob("*.sqlite3")
    assert visits(previous) == list(range(1, BATCHES * ROWS_PER_BATCH + 1))


def test_a_damaged_database_is_refused_and_leaves_no_backup(tmp_path):
    damaged = tmp_path / "db.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(CommandError):
        call_command("backup_sqlite", source=str(damaged), dir=str(tmp_path / "backups"))
    assert not list((tmp_path / "backups").iterdir())
    with pytest.raises(CommandError, match="not a SQLite database|integrity_check"):
        call_command("restore_sqlite", str(damaged), target=str(tmp_path / "restored.sqlite3"))
    assert not (tmp_path / "restored.sqlite3").exists()
