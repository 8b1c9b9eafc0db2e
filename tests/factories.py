"""Factories for the few pages and snippets a test needs (factory_boy).

Pages are built in memory and attached with ``add_child`` + a published revision,
the way the admin creates them, so translated columns and url paths are real.
"""

import factory
from django.utils import translation

from home.models import HomePage
from therapies.models import ArticleIndexPage, ArticlePage, Doctor, TherapyIndexPage, TherapyPage


def call_to_action_block(title, show_booking=True):
    """A body's call-to-action block showing the hotline, Zalo and (by default) booking."""
    return {
        "type": "call_to_action",
        "value": {
            "title": title,
            "text": "",
            "show_hotline": True,
            "show_zalo": True,
            "show_booking": show_booking,
        },
    }


class DoctorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Doctor

    name = factory.Sequence(lambda n: f"Doctor {n}")
    credentials_en = "Level I Specialist"
    credentials_vi = "Bác sĩ Chuyên khoa I"


def publish_child(parent, page):
    """Add ``page`` under ``parent`` and publish it, as the admin's publish button does."""
    with translation.override("en"):
        parent.add_child(instance=page)
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def draft_child(parent, page):
    """Add ``page`` as a never-published draft, as the admin's "Save draft" does."""
    page.live = False
    with translation.override("en"):
        parent.add_child(instance=page)
        page.save_revision()
    page.refresh_from_db()
    return page


def _page(model, title_en, slug_en, title_vi=None, slug_vi=None, **fields):
    return model(
        title=title_en,
        slug=slug_en,
        title_en=title_en,
        slug_en=slug_en,
        title_vi=title_vi or "",
        slug_vi=slug_vi or "",
        **fields,
    )


def make_home(root, **fields):
    fields.setdefault("intro_en", "Careful guides to regenerative therapies.")
    fields.setdefault("intro_vi", "Hướng dẫn cẩn trọng về các liệu pháp tái tạo.")
    return publish_child(root, _page(HomePage, "Home", "home", "Trang chủ", "trang-chu", **fields))


def make_therapy_index(home):
    return publish_child(
        home,
        _page(
            TherapyIndexPage, "Therapies", "therapies", "Liệu pháp", "lieu-phap", show_in_menus=True
        ),
    )


def make_article_index(home):
    return publish_child(
        home,
        _page(ArticleIndexPage, "Articles", "articles", "Bài viết", "bai-viet", show_in_menus=True),
    )


def make_therapy(index, title_en, slug_en, title_vi=None, slug_vi=None, publish=True, **fields):
    fields.setdefault("summary_en", f"What {title_en} is and how well it is studied.")
    if title_vi:
        fields.setdefault("summary_vi", f"{title_vi} là gì và đã được nghiên cứu đến đâu.")
    fields.setdefault("source", "autologous")
    fields.setdefault("evidence_level", "established")
    page = _page(TherapyPage, title_en, slug_en, title_vi, slug_vi, **fields)
    return publish_child(index, page) if publish else draft_child(index, page)


def make_article(index, title_en, slug_en, title_vi=None, slug_vi=None, publish=True, **fields):
    fields.setdefault("lead_en", f"An introduction to {title_en}.")
    if title_vi:
        fields.setdefault("lead_vi", f"Giới thiệu về {title_vi}.")
    page = _page(ArticlePage, title_en, slug_en, title_vi, slug_vi, **fields)
    return publish_child(index, page) if publish else draft_child(index, page)
