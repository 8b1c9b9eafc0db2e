"""The ORM side of bench/faults.py, run as its own process with the production settings.

  faults_publisher.py setup  OUT.json            extra bilingual articles; ids of the pages to edit
  faults_publisher.py publish OUT.json IDS SECS  publish both languages of IDS every second for SECS
  faults_publisher.py revisions OUT.json IDS     revision counts and the live revision per page
  faults_publisher.py hot IDS.txt HOT SECS       one publish a second of a random hot article
                                                 (make bench's mixed load, bench/run.py)

Every publish is ``page.save_revision().publish()`` with a counter in both titles and in the
lead or summary, as an editor's publish from the admin would be, after the demo doctor's
review of both languages (recorded as the Medical review workflow does), so that both go
live with the production rule (docs/RELEASES.md).
"""

import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

import django  # noqa: E402

django.setup()

from django.db import close_old_connections, transaction  # noqa: E402
from django.utils import translation  # noqa: E402
from wagtail.models import Page  # noqa: E402

from editorial.review import record_review  # noqa: E402
from therapies.models import ArticleIndexPage, ArticlePage, Doctor, TherapyPage  # noqa: E402


def reviewed_publish(page):
    """Save ``page`` as a revision, record the doctor's review of it, publish it."""
    revision = page.save_revision()
    doctor = Doctor.objects.order_by("pk").first()
    if doctor is not None:
        record_review(page, doctor, revision=revision)
    revision.publish()
    return revision


EXTRA_ARTICLES = [
    ("Aftercare for skin boosters", "Chăm sóc sau tiêm dưỡng chất cho da"),
    ("Questions to ask before PRP", "Những câu hỏi nên đặt ra trước khi làm PRP"),
    ("Reading a clinic's claims", "Đọc hiểu lời quảng cáo của phòng khám"),
    ("Sun protection after procedures", "Chống nắng sau thủ thuật"),
]
MARK_EN, MARK_VI = " · edit ", " · bản sửa "


def write(path, data):
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def paragraph(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def setup(out):
    index = ArticleIndexPage.objects.first()
    with translation.override("en"):
        for n, (title_en, title_vi) in enumerate(EXTRA_ARTICLES, 1):
            slug_en = f"faults-{n}-en"
            if ArticlePage.objects.filter(slug_en=slug_en).exists():
                continue
            page = ArticlePage(
                title=title_en,
                title_en=title_en,
                title_vi=title_vi,
                slug=slug_en,
                slug_en=slug_en,
                slug_vi=f"faults-{n}-vi",
                lead_en=f"{title_en}: what to expect.",
                lead_vi=f"{title_vi}: những điều cần biết.",
                body_en=paragraph(f"{title_en}, explained for readers."),
                body_vi=paragraph(f"{title_vi}, giải thích cho người đọc."),
            )
            index.add_child(instance=page)
            reviewed_publish(page)
    articles = list(ArticlePage.objects.live().order_by("path").values_list("pk", flat=True))
    therapies = list(TherapyPage.objects.live().order_by("path").values_list("pk", flat=True))
    # Several pages of both kinds: the demo article, a therapy, and two extra articles.
    edit = articles[:3] + therapies[:1]
    write(out, {"edit": edit, "articles": articles, "therapies": therapies})


def bases(page):
    """The titles without an earlier run's counter."""
    return page.title_en.split(MARK_EN)[0], page.title_vi.split(MARK_VI)[0]


def publish_once(page_id, counter):
    page = Page.objects.get(pk=page_id).specific
    base_en, base_vi = bases(page)
    page.title_en = f"{base_en}{MARK_EN}{counter}"
    page.title_vi = f"{base_vi}{MARK_VI}{counter}"
    field = "lead" if hasattr(page, "lead_en") else "summary"
    setattr(page, f"{field}_en", f"Edit {counter} in English.")
    setattr(page, f"{field}_vi", f"Bản sửa {counter} bằng tiếng Việt.")
    revision = reviewed_publish(page)
    return revision.pk, page.title_en, page.title_vi


def publish(out, ids, seconds):
    ids = [int(i) for i in ids.split(",")]
    before = {pid: revision_count(pid) for pid in ids}
    log = {"before": before, "publishes": [], "failures": [], "rounds": 0}
    start = time.monotonic()
    deadline = start + seconds
    counter = 0
    # Bounded: one round a second for `seconds`, at most seconds + 5 rounds.
    while time.monotonic() < deadline and log["rounds"] < seconds + 5:
        round_start = time.monotonic()
        counter += 1
        close_old_connections()
        for pid in ids:
            try:
                rev, title_en, title_vi = publish_once(pid, counter)
                log["publishes"].append(
                    {
                        "page": pid,
                        "n": counter,
                        "revision": rev,
                        "en": title_en,
                        "vi": title_vi,
                        "t": round(time.monotonic() - start, 3),
                    }
                )
            except Exception as exc:  # recorded, never hidden: the summary reports it
                log["failures"].append({"page": pid, "n": counter, "error": repr(exc)[:300]})
        log["rounds"] += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - round_start)))
    log["seconds"] = round(time.monotonic() - start, 2)
    write(out, log)


def hot(ids_file, hot_count, seconds):
    """One publish a second, for ``seconds``, of a random article among the ``hot_count`` first ids.

    Each publish edits the lead of both languages of the article's latest revision (a token
    ``[bpN]`` in each) and publishes it reviewed, as ``publish_once`` does. At the commit
    (the first ``on_commit`` callback, before the outbox's drain, which the default task
    backend runs in this process right after, as in production) it prints
    ``PUBLISHED {"n", "page", "token", "began", "commit"}`` (``time.time()``), so that
    bench/run.py polls the API for the new lead from that moment, and ``DRAINED {"n", "at"}``
    once the publish (drain included) returned. The last three pages published are not picked
    again, so a token is never overwritten before the poller can see it. Ends with
    ``DONE {"publishes", "failures", "seconds"}``.
    """
    ids = [int(line) for line in Path(ids_file).read_text().split()][: int(hot_count)]
    rng = random.Random(14)
    recent = []
    done, failures = 0, []
    print("READY", flush=True)
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < seconds and n < seconds + 5:
        round_start = time.monotonic()
        n += 1
        page_id = rng.choice([pk for pk in ids if pk not in recent] or ids)
        recent = [*recent, page_id][-3:]
        token = f"[bp{os.getpid()}-{n}]"
        close_old_connections()
        began = time.time()
        try:
            with transaction.atomic():
                event = {"n": n, "page": page_id, "token": token, "began": began}
                transaction.on_commit(
                    lambda event=event: print(
                        "PUBLISHED " + json.dumps({**event, "commit": time.time()}), flush=True
                    )
                )
                page = Page.objects.get(pk=page_id).specific.get_latest_revision_as_object()
                page.lead_en = f"Lead edited by the benchmark {token}."
                page.lead_vi = f"Phần mở đầu do benchmark sửa {token}."
                reviewed_publish(page)
            done += 1
            print("DRAINED " + json.dumps({"n": n, "at": time.time()}), flush=True)
        except Exception as exc:  # reported by bench/run.py, never hidden
            failures.append({"page": page_id, "n": n, "error": repr(exc)[:300]})
        time.sleep(max(0.0, 1.0 - (time.monotonic() - round_start)))
    summary = {"publishes": done, "failures": failures, "seconds": time.monotonic() - start}
    print("DONE " + json.dumps(summary), flush=True)


def revision_count(page_id):
    return Page.objects.get(pk=page_id).revisions.count()


def revisions(out, ids):
    result = {}
    for pid in (int(i) for i in ids.split(",")):
        page = Page.objects.get(pk=pid).specific
        latest = page.revisions.order_by("-pk").first()
        result[pid] = {
            "count": revision_count(pid),
            "live_revision": page.live_revision_id,
            "latest_revision": latest.pk if latest else None,
            "title_en": page.title_en,
            "title_vi": page.title_vi,
        }
    write(out, result)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {
        "setup": setup,
        "publish": lambda o, i, s: publish(o, i, float(s)),
        "revisions": revisions,
        "hot": lambda f, h, s: hot(f, h, float(s)),
    }[command](*args)
