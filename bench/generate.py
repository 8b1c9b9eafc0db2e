"""Grow the demo's article section to N bilingual articles, fast.

``python -m bench.generate 10000`` (with DJANGO_SETTINGS_MODULE set) adds
generated ArticlePages under the demo's article index until it holds N articles.
Adding 10,000 pages one by one through ``add_child`` + publish costs minutes;
here treebeard paths are computed once, the Page rows go in with bulk_create
and the ArticlePage rows with one multi-row INSERT per batch. Each page is live,
has both languages (title, slug, url_path, lead, body, search description), both
released (``releases``); their documents (search text included) are built at the end by
draining the outbox, as the background task would, so nothing is left pending.
"""

import json
import sys
import time

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from wagtail.models import Page  # noqa: E402

from readmodel import outbox  # noqa: E402
from releases.migration import release_what_is_live  # noqa: E402
from therapies.models import ArticleIndexPage, ArticlePage  # noqa: E402

BATCH = 1000


def body(lang, n):
    text = {
        "en": f"<p>Generated article {n}: what the evidence says, who should be careful.</p>",
        "vi": f"<p>Bài viết số {n}: bằng chứng nói gì, ai cần thận trọng.</p>",
    }[lang]
    return json.dumps(
        [
            {
                "type": "heading",
                "value": {"text": "Tóm tắt" if lang == "vi" else "Summary", "level": "h2"},
            },
            {"type": "paragraph", "value": text},
        ]
    )


def build(parent, ct, n, path, now):
    fields = {
        "title_en": f"Generated article {n}",
        "title_vi": f"Bài viết tạo sẵn {n}",
        "slug_en": f"generated-article-{n}",
        "slug_vi": f"bai-viet-tao-san-{n}",
        "lead_en": f"Lead of generated article {n}.",
        "lead_vi": f"Phần mở đầu của bài viết {n}.",
        "search_description_en": f"Generated article {n}.",
        "search_description_vi": f"Bài viết {n}.",
    }
    page = ArticlePage(**fields)
    page.title = page.draft_title = fields["title_en"]
    page.slug = fields["slug_en"]
    page.body_en = body("en", n)
    page.body_vi = body("vi", n)
    page.path, page.depth, page.numchild = path, parent.depth + 1, 0
    page.url_path = parent.url_path + page.slug + "/"
    page.url_path_en = parent.url_path_en + fields["slug_en"] + "/"
    page.url_path_vi = (parent.url_path_vi or parent.url_path_en) + fields["slug_vi"] + "/"
    page.content_type = ct
    page.locale_id = parent.locale_id
    page.live, page.has_unpublished_changes = True, False
    page.first_published_at = page.last_published_at = now
    return page


@transaction.atomic
def grow(target):
    parent = ArticleIndexPage.objects.get()
    existing = ArticlePage.objects.child_of(parent).count()
    wanted = target - existing
    if wanted <= 0:
        return 0
    ct = ContentType.objects.get_for_model(ArticlePage)
    last = parent.get_last_child()
    steplen = Page.steplen
    first = Page._str2int(last.path[-steplen:]) + 1 if last else 1
    now = timezone.now()
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    local_fields = list(ArticlePage._meta.local_concrete_fields)
    made = 0
    with translation.override("en"):
        while made < wanted:
            count = min(BATCH, wanted - made)
            pages = [
                build(
                    parent,
                    ct,
                    existing + made + i + 1,
                    Page._get_path(parent.path, parent.depth + 1, first + made + i),
                    now,
                )
                for i in range(count)
            ]
            bases = Page.objects.bulk_create(
                [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages]
            )
            for page, base in zip(pages, bases, strict=True):
                page.pk = page.page_ptr_id = base.pk
            ArticlePage._base_manager._insert(pages, fields=local_fields, using="default")
            made += count
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + made)
    return made


if __name__ == "__main__":
    target = int(sys.argv[1])
    started = time.monotonic()
    made = grow(target)
    # Live in both languages, as an editor's approved publish would leave them.
    release_what_is_live(apps)
    # What that recorded in the outbox ("language states added": every page) is drained
    # now, as the background task would: left pending, it would make the first publish of
    # the measured mixed load rebuild every document (bench/run.py measure_mixed).
    outbox.drain()
    # Pages made without signals: their documents (and the section's) are built here
    # (the drain above built every page already; this catches what it did not).
    outbox.rebuild_pages(outbox.missing_documents(), cascade=True)
    cache.clear()
    print(
        f"generated {made} article(s) -> {target} in the section, {time.monotonic() - started:.1f}s"
    )
