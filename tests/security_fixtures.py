"""Pages a reader must never see, each carrying marker words in both languages.

Every hidden page has a title, lead and body with ``SECRET`` / ``BÍ MẬT`` markers, so a
test can search any response (page, list, sitemap, JSON) for a leak by text, not only by
status code.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from . import factories

PASSWORD = "clinic-private-2024"


def secret_article(index, key, publish=True, **fields):
    """An article whose every text names ``key`` and the SECRET / BÍ MẬT markers."""
    words = key.replace("-", " ")
    fields.setdefault("lead_en", f"SECRET lead of the {words} article.")
    fields.setdefault("lead_vi", f"Phần mở đầu BÍ MẬT của bài {words}.")
    fields.setdefault(
        "body_en", [{"type": "paragraph", "value": f"<p>SECRET body of the {words} article.</p>"}]
    )
    fields.setdefault(
        "body_vi", [{"type": "paragraph", "value": f"<p>Nội dung BÍ MẬT của bài {words}.</p>"}]
    )
    return factories.make_article(
        index,
        f"SECRET {words}",
        f"secret-{key}",
        f"BÍ MẬT {words}",
        f"bi-mat-{key}",
        publish=publish,
        **fields,
    )


def _restrict(page, restriction_type, **extra):
    return PageViewRestriction.objects.create(page=page, restriction_type=restriction_type, **extra)


@pytest.fixture
def hidden_pages(article_index, therapy_index, article):
    """One page of each kind that must stay invisible, next to a public ``article``.

    Returns ``{kind: page}``; ``live_with_draft`` is public but its newer draft is not.
    """
    pages = {}
    pages["draft"] = secret_article(article_index, "draft", publish=False)

    unpublished = secret_article(article_index, "unpublished")
    unpublished.unpublish()
    pages["unpublished"] = unpublished

    # Scheduled: "Publish" pressed with a go-live date in the future, never live yet.
    scheduled = secret_article(article_index, "scheduled", publish=False)
    scheduled.go_live_at = timezone.now() + timedelta(days=3)
    with translation.override("en"):
        scheduled.save_revision().publish()
    scheduled.refresh_from_db()
    assert not scheduled.live
    pages["scheduled"] = scheduled

    # Expired: published, then its expiry passed and Wagtail's scheduler ran.
    expired = secret_article(article_index, "expired")
    expired.expire_at = timezone.now() - timedelta(minutes=5)
    with translation.override("en"):
        expired.save_revision().publish()
    call_command("publish_scheduled")
    expired.refresh_from_db()
    assert expired.expired and not expired.live
    pages["expired"] = expired

    pages["password"] = secret_article(article_index, "password")
    _restrict(pages["password"], PageViewRestriction.PASSWORD, password=PASSWORD)

    pages["login"] = secret_article(article_index, "login")
    _restrict(pages["login"], PageViewRestriction.LOGIN)

    # A private section: its child has no restriction of its own but inherits it.
    private_therapy = factories.make_therapy(
        therapy_index,
        "SECRET therapy",
        "secret-therapy",
        "Liệu pháp BÍ MẬT",
        "lieu-phap-bi-mat",
        summary_en="SECRET summary.",
        summary_vi="Tóm tắt BÍ MẬT.",
    )
    _restrict(private_therapy, PageViewRestriction.LOGIN)
    pages["private_section"] = private_therapy

    # A live page whose newer draft must not leak before it is published.
    with translation.override("en"):
        article.title_en = "SECRET draft title"
        article.title_vi = "Tiêu đề nháp BÍ MẬT"
        article.lead_vi = "Phần mở đầu nháp BÍ MẬT."
        article.save_revision()
    article.refresh_from_db()
    pages["live_with_draft"] = article
    return pages


HIDDEN_KINDS = (
    "draft",
    "unpublished",
    "scheduled",
    "expired",
    "password",
    "login",
    "private_section",
)
MARKERS = ("SECRET", "BÍ MẬT")


def assert_no_secret(text, where):
    for marker in MARKERS:
        assert marker not in text, f"{marker!r} leaked in {where}"


def urls_of(page):
    """The page's public paths in both languages (from its translated slugs and parents)."""
    with translation.override("en"):
        en = page.specific.get_url()
    with translation.override("vi"):
        vi = page.specific.get_url()
    return [u for u in (en, vi) if u]


def public_paths(page):
    """Public paths of a page that may not be routable: built from the parent's URL."""
    specific = page.specific
    parent = page.get_parent().specific
    paths = []
    for lang in ("en", "vi"):
        with translation.override(lang):
            parent_url = parent.get_url()
        slug = getattr(specific, f"slug_{lang}") or specific.slug_en
        paths.append(f"{parent_url}{slug}/")
    return paths
