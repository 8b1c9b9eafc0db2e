"""Editors see, per page and language, what is missing and what is out of date against English."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry

from cms import translations
from editorial.claims import check_page
from editorial.models import PageLanguageStatus
from editorial.status import record_page_status
from therapies.models import ArticlePage

from . import factories
from .admin_forms import article_form, paragraph
from .editorial_fixtures import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def form_for(article, action=None, body_en=None, body_vi=None, **extra):
    extra.setdefault("lead_en", article.lead_en)
    extra.setdefault("lead_vi", article.lead_vi)
    extra.setdefault("search_description_en", "PRP and exosomes compared.")
    extra.setdefault("search_description_vi", "So sánh PRP và exosome.")
    return article_form(
        article.title_en,
        article.slug_en,
        article.title_vi,
        article.slug_vi,
        body_en=body_en or [paragraph("<p>PRP comes from your own blood.</p>")],
        body_vi=body_vi or [paragraph("<p>PRP được lấy từ chính máu của bạn.</p>")],
        action=action,
        **extra,
    )


def status(page, lang, scope="draft"):
    return PageLanguageStatus.objects.get(page=page, lang=lang, scope=scope)


def panel_cell(html, lang, scope):
    """The translation status panel's cell for ``lang`` and ``scope`` (live or draft)."""
    panel = html[html.index("data-editorial-translation-status") :]
    panel = panel[: panel.index("</table>")]
    row = panel[panel.index(f'data-lang="{lang}"') :]
    row = row[: row.index("</tr>")]
    cell = row[row.index(f'data-scope="{scope}"') :]
    return cell[: cell.index("</td>")]


def test_edit_screen_panel_lists_missing_fields_per_language(admin_client, article_index):
    page = factories.make_article(
        article_index,
        "Hair loss and PRP",
        "hair-loss-prp",
        "Rụng tóc và PRP",
        "rung-toc-prp",
        lead_vi="",
        body_en=[{"type": "paragraph", "value": "<p>Text.</p>"}],
    )
    html = admin_client.get(edit_url(page)).content.decode()
    assert "Translation status" in html
    panel = html[html.index("data-editorial-translation-status") :]
    panel = panel[: panel.index("</table>")]
    vietnamese = panel[panel.index('data-lang="vi"') :]
    assert "Incomplete" in vietnamese
    for label in ("Lead", "Body", "Meta description"):
        assert label in vietnamese
    english = panel[panel.index('data-lang="en"') : panel.index('data-lang="vi"')]
    assert "Lead" not in english and "Body" not in english


def test_changing_english_flags_vietnamese_out_of_date_until_confirmed(
    admin_client, publisher_client, article
):
    # The article as the edit form below posts it, published in both languages.
    response = publisher_client.post(edit_url(article), form_for(article, action="action-publish"))
    assert response.status_code == 302
    assert not translations.stale(article, "vi")
    response = admin_client.post(
        edit_url(article), form_for(article, lead_en="A new English lead.")
    )
    assert response.status_code == 302

    # A draft: readers' flags stay; the editor sees the draft's, labelled as the draft's.
    assert translations.stale(article, "vi") is False
    html = admin_client.get(edit_url(article)).content.decode()
    confirm = reverse("editorial:confirm_translation", args=(article.pk, "vi"))
    assert "Out of date" in panel_cell(html, "vi", "draft") and confirm in html
    assert "Out of date" not in panel_cell(html, "vi", "live")
    assert "Draft:" in panel_cell(html, "vi", "draft")
    assert "Live:" in panel_cell(html, "vi", "live")

    # Published: now what readers see is out of date.
    response = publisher_client.post(
        edit_url(article),
        form_for(article, action="action-publish", lead_en="A new English lead."),
    )
    assert response.status_code == 302
    assert translations.stale(article, "vi") is True
    assert translations.stale_fields(article, "vi") == ["lead"]
    assert translations.stale(article, "en") is False
    html = admin_client.get(edit_url(article)).content.decode()
    assert "Out of date" in panel_cell(html, "vi", "live")

    page = admin_client.get(confirm).content.decode()
    assert "A new English lead." in page and article.lead_vi in page
    response = admin_client.post(confirm)
    assert response.status_code == 302 and response["Location"] == edit_url(article)
    assert translations.stale(article, "vi") is False
    assert PageLogEntry.objects.filter(
        page=article, action="editorial.translation_confirmed"
    ).exists()


def test_changing_both_languages_together_or_only_vietnamese_is_not_out_of_date(
    admin_client, article
):
    admin_client.post(
        edit_url(article), form_for(article, lead_en="New lead.", lead_vi="Lời dẫn mới.")
    )
    assert not translations.stale(article, "vi")
    admin_client.post(
        edit_url(article), form_for(article, lead_en="New lead.", lead_vi="Lời dẫn mới hơn.")
    )
    assert not translations.stale(article, "vi")
    first_change = status(article, "en").fields["lead"]["changed_at"]
    admin_client.post(
        edit_url(article), form_for(article, lead_en="New lead.", lead_vi="Lời dẫn mới hơn.")
    )
    assert (
        status(article, "en").fields["lead"]["changed_at"] == first_change
    )  # unchanged text keeps its time


def test_missing_translations_report_filters_by_language_and_page_type(
    admin_client, article, prp, article_index
):
    incomplete = factories.make_article(
        article_index, "Hair loss", "hair-loss", "Rụng tóc", "rung-toc", lead_vi=""
    )
    url = reverse("editorial:missing_translations")

    html = admin_client.get(url, {"lang": "vi"}).content.decode()
    assert "Missing translations" in html
    assert "Hair loss" in html and edit_url(incomplete) in html
    assert "Lead" in html

    article_type = incomplete.content_type_id
    html = admin_client.get(url, {"lang": "vi", "content_type": article_type}).content.decode()
    assert "Hair loss" in html and ">PRP<" not in html

    admin_client.post(edit_url(article), form_for(article, lead_en="Changed in English only."))
    html = admin_client.get(url, {"lang": "vi", "problem": "stale"}).content.decode()
    assert edit_url(article) in html and edit_url(incomplete) not in html


def test_reports_menu_and_explorer_show_translation_status(admin_client, article_index):
    factories.make_article(
        article_index, "Hair loss", "hair-loss", "Rụng tóc", "rung-toc", lead_vi=""
    )
    html = admin_client.get(
        reverse("wagtailadmin_explore", args=(article_index.pk,))
    ).content.decode()
    assert "Translations" in html
    assert "VI: incomplete" in html
    assert (
        reverse("editorial:missing_translations")
        in admin_client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_incomplete_translation_is_published_without_going_live_by_default(
    publisher_client, article
):
    response = publisher_client.post(
        edit_url(article), form_for(article, action="action-publish", lead_vi="")
    )
    messages = [(m.level_tag, str(m.message)) for m in get_messages(response.wsgi_request)]
    assert any(
        level == "warning" and "Vietnamese did not go live" in text and "Lead empty" in text
        for level, text in messages
    )
    article.refresh_from_db()
    assert article.lead_vi == ""  # published; Vietnamese readers keep the released text


def test_incomplete_translation_is_refused_when_the_setting_says_so(
    publisher_client, article, settings
):
    settings.EDITORIAL_BLOCK_INCOMPLETE_TRANSLATION_PUBLISH = True
    response = publisher_client.post(
        edit_url(article), form_for(article, action="action-publish", lead_vi="")
    )
    assert response["Location"] == edit_url(article)
    messages = [
        str(m.message) for m in get_messages(response.wsgi_request) if m.level_tag == "error"
    ]
    assert "incomplete" in messages[0] and "Vietnamese: Lead" in messages[0]
    article.refresh_from_db()
    assert article.lead_vi  # still the published Vietnamese lead


def _paragraphs(n, lang):
    word = "Đoạn" if lang == "vi" else "Paragraph"
    return [paragraph(f"<p>{word} {i}.</p>") for i in range(n)]


def test_checks_add_a_fixed_number_of_queries_whatever_the_number_of_blocks(
    publisher_client, article
):
    url = edit_url(article)
    # Twice: the first draft makes the page's languages pending for readers of the API
    # (releases), which rebuilds its documents and the listings showing it once.
    for _ in range(2):
        publisher_client.post(
            url, form_for(article, body_en=_paragraphs(2, "en"), body_vi=_paragraphs(2, "vi"))
        )

    counts = {}
    for blocks in (3, 60):
        with CaptureQueriesContext(connection) as queries:
            response = publisher_client.post(
                url,
                form_for(
                    article, body_en=_paragraphs(blocks, "en"), body_vi=_paragraphs(blocks, "vi")
                ),
            )
        assert response.status_code == 302
        counts[blocks] = len(queries)
    assert counts[3] == counts[60], counts

    page = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert len(page.body_vi) == 60
    check_page(page)  # warm the phrase cache
    with CaptureQueriesContext(connection) as queries:
        assert check_page(page) == []
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        record_page_status(page)
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    # statuses read, reviews read, statuses written (one UPDATE per language: cms.rows)
    assert len(statements) == 2 + 2, "\n".join(sql[:150] for sql in statements)
