"""A reader opens pages in English and Vietnamese and switches between them."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readmodel import outbox

from .conftest import comparison_block
from .factories import call_to_action_block, make_article

pytestmark = pytest.mark.django_db


def html_of(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_vietnamese_article_renders_with_diacritics(client, article):
    html = html_of(client, "/vi/bai-viet/exosome-va-prp/")
    assert '<html lang="vi">' in html
    assert "<h1>Exosome và PRP khác nhau thế nào</h1>" in html
    assert "Túi ngoại bào từ người hiến" in html
    assert "Hãy kỳ vọng thực tế." in html


def test_english_article_renders_in_english(client, article):
    html = html_of(client, "/en/articles/exosomes-vs-prp/")
    assert '<html lang="en">' in html
    assert "<h1>Exosomes vs PRP</h1>" in html
    assert "Túi ngoại bào" not in html


def test_switcher_links_to_same_article_in_vietnamese(client, article):
    html = html_of(client, "/en/articles/exosomes-vs-prp/")
    switcher = html[html.index('class="language-switcher"') :]
    assert 'href="/vi/bai-viet/exosome-va-prp/" hreflang="vi"' in switcher
    assert ">Tiếng Việt</a>" in switcher
    back = html_of(client, "/vi/bai-viet/exosome-va-prp/")
    assert 'href="/en/articles/exosomes-vs-prp/" hreflang="en"' in back
    assert ">English</a>" in back


def test_switcher_on_therapy_uses_translated_section_slug(client, exosomes):
    html = html_of(client, "/en/therapies/exosomes/")
    assert 'href="/vi/lieu-phap/exosome/"' in html
    assert "Những túi ngoại bào siêu nhỏ" in html_of(client, "/vi/lieu-phap/exosome/")


def test_hreflang_canonical_and_x_default(client, article):
    html = html_of(client, "/vi/bai-viet/exosome-va-prp/")
    assert '<link rel="canonical" href="http://testserver/vi/bai-viet/exosome-va-prp/">' in html
    assert (
        '<link rel="alternate" hreflang="vi" href="http://testserver/vi/bai-viet/exosome-va-prp/">'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/en/articles/exosomes-vs-prp/">'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/en/articles/exosomes-vs-prp/">'
        in html
    )


def test_english_fallback_is_shown_noted_and_not_announced_as_vietnamese(
    client, article_index, prp, exosomes
):
    make_article(
        article_index,
        "Only in English",
        "only-english",
        None,
        None,
        body_en=[{"type": "paragraph", "value": "<p>Written in English only.</p>"}],
    )
    html = html_of(client, "/vi/bai-viet/only-english/")
    assert '<html lang="vi">' in html
    assert "Written in English only." in html
    assert "Một số phần của trang này chưa được dịch và đang hiển thị bằng tiếng Anh." in html
    assert 'hreflang="vi"' not in re.sub(
        r'<nav class="language-switcher".*?</nav>', "", html, flags=re.S
    )
    assert 'hreflang="en"' in html
    english = html_of(client, "/en/articles/only-english/")
    assert "have not been translated" not in english


def test_interface_strings_come_from_the_vietnamese_catalogue(client, article):
    html = html_of(client, "/vi/bai-viet/exosome-va-prp/")
    for text in (
        "Đặt lịch tư vấn",
        "Nhắn tin qua Zalo",
        "Gọi 079 7479 222",
        "Điều hướng chính",
        "Nội dung mang tính giáo dục, không thay thế việc thăm khám trực tiếp với bác sĩ.",
    ):
        assert text in html, text
    english = html_of(client, "/en/articles/exosomes-vs-prp/")
    assert "Book a consultation" in english and "Đặt lịch tư vấn" not in english


def test_comparison_is_an_accessible_table(client, article):
    html = html_of(client, "/en/articles/exosomes-vs-prp/")
    table = html[html.index("<table>") : html.index("</table>")]
    assert "<caption>PRP vs exosomes</caption>" in table
    assert '<th scope="col"><a href="/en/therapies/prp/">PRP</a></th>' in table
    assert '<th scope="row">Nature</th><td>Own blood</td><td>Donor vesicles</td>' in table
    vi = html_of(client, "/vi/bai-viet/exosome-va-prp/")
    assert '<a href="/vi/lieu-phap/exosome/">Exosome</a>' in vi


def test_root_redirects_by_accept_language(client, home):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9,en;q=0.5")["Location"] == "/vi/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR")["Location"] == "/en/"


def test_home_lists_therapies_and_articles_in_vietnamese(client, article):
    html = html_of(client, "/vi/")
    assert "PRP (huyết tương giàu tiểu cầu)" in html
    assert "Exosome và PRP khác nhau thế nào" in html
    assert 'href="/vi/lieu-phap/"' in html and ">Liệu pháp</a>" in html


def test_drafts_and_unpublished_pages_are_not_served(client, article_index, article):
    make_article(
        article_index, "Draft only", "draft-only", "Chỉ bản nháp", "chi-ban-nhap", publish=False
    )
    assert client.get("/en/articles/draft-only/").status_code == 404
    assert client.get("/vi/bai-viet/chi-ban-nhap/").status_code == 404
    article.unpublish()
    assert client.get("/vi/bai-viet/exosome-va-prp/").status_code == 404
    assert "Exosome và PRP" not in html_of(client, "/vi/bai-viet/")


def test_static_files_are_local_not_a_cdn(client, article):
    html = html_of(client, "/en/articles/exosomes-vs-prp/")
    assert not re.search(r'(src|href)="https?://(?!testserver)[^"]+\.(css|js)"', html)
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html


def test_pages_name_an_icon_that_is_served(client, article):
    # Without one, browsers ask for /favicon.ico and log a 404 on every first visit.
    for url in ("/en/articles/exosomes-vs-prp/", "/vi/"):
        html = html_of(client, url)
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    icon = finders.find("favicon.svg")  # collected and served by whitenoise like site.css
    assert icon and "<svg" in Path(icon).read_text()
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 302 and legacy["Location"] == "/static/favicon.svg"


def _render_queries(client, url):
    client.get(url)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_article_render_queries_do_not_grow_with_blocks(
    client, settings, article_index, prp, exosomes, doctor, clinic
):
    settings.PAGE_CACHE_SECONDS = 0  # count rendering, not a cache replay

    def body(copies):
        blocks = []
        for _ in range(copies):
            blocks += [
                comparison_block([prp, exosomes], [("Nature", ("Own blood", "Donor"))]),
                {
                    "type": "doctor_quote",
                    "value": {"doctor": doctor.pk, "quote": "Q", "context": ""},
                },
                {"type": "paragraph", "value": "<p>Text</p>"},
                call_to_action_block("Book"),
            ]
        return blocks

    make_article(article_index, "Small", "small", "Nhỏ", "nho", body_en=body(1), body_vi=body(1))
    make_article(article_index, "Large", "large", "Lớn", "lon", body_en=body(12), body_vi=body(12))
    small = _render_queries(client, "/vi/bai-viet/nho/")
    large = _render_queries(client, "/vi/bai-viet/lon/")
    assert small == large
    # Routing: the site, the document at the path, the page (cms.serving). Quoted doctors are
    # read once per request (cms.reference), the clinic's settings once for the templates and
    # the body alike (Wagtail's copy on the request). The visibility rule runs once for the
    # body's referenced pages (cms.references) and once for the page's own Cache-Control
    # (cms.crawlers: private pages are private to their reader). One query reads the page's
    # language releases, one the menu's and one the compared therapies' (what readers get
    # of each language: cms.visibility.reader_pages).
    assert large == 16, large


def test_a_page_reads_the_clinic_settings_once(client, settings, article, clinic):
    settings.PAGE_CACHE_SECONDS = 0
    clinic.hotline = "028 3822 1234"
    clinic.save()
    client.get("/vi/bai-viet/exosome-va-prp/")  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        html = html_of(client, "/vi/bai-viet/exosome-va-prp/")
    # The templates (footer, call to action) and the JSON-LD's publisher (cms.reference)
    # share the row Wagtail keeps on the request.
    assert html.count("028 3822 1234") >= 2 and "079 7479 222" not in html
    reads = [q for q in ctx.captured_queries if "home_clinicsettings" in q["sql"]]
    assert len(reads) == 1, reads


def test_sitemap_lists_each_language_with_alternates_and_no_fallbacks(
    client, article, article_index
):
    make_article(
        article_index,
        "Only in English",
        "only-english",
        None,
        None,
        body_en=[{"type": "paragraph", "value": "<p>English only.</p>"}],
    )
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/vi/bai-viet/exosome-va-prp/</loc>" in xml
    assert "<loc>http://testserver/en/articles/exosomes-vs-prp/</loc>" in xml
    assert 'hreflang="vi" href="http://testserver/vi/bai-viet/exosome-va-prp/"' in xml
    assert 'hreflang="x-default" href="http://testserver/en/articles/exosomes-vs-prp/"' in xml
    assert "<loc>http://testserver/en/articles/only-english/</loc>" in xml
    assert "/vi/bai-viet/only-english/" not in xml


def test_page_expiring_soon_is_not_cached_past_its_expiry(client, article):
    from datetime import timedelta

    from django.utils import timezone

    from cms import clock

    now = timezone.now()
    article.expire_at = now + timedelta(seconds=3)
    article.save_revision().publish()
    with clock.frozen_at(now):
        assert client.get("/vi/bai-viet/exosome-va-prp/").status_code == 200
        assert client.get("/vi/bai-viet/exosome-va-prp/")["X-Cache"] == "hit"
    # The expiry passes without any publish (nothing bumps the cache version).
    with clock.frozen_at(now + timedelta(seconds=3)):
        assert client.get("/vi/bai-viet/exosome-va-prp/").status_code == 404


def test_routing_loads_one_child_not_the_whole_section(client, settings, article_index, article):
    """A section with many articles routes by an indexed path lookup, not a walk in Python."""
    from django.db.models.signals import post_init
    from wagtail.models import Page

    settings.PAGE_CACHE_SECONDS = 0
    for n in range(40):
        make_article(
            article_index, f"Sibling {n}", f"sibling-{n}", f"Bài anh em {n}", f"bai-anh-em-{n}"
        )
    outbox.drain()  # the siblings' documents, as after their commit (not counted below)
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance.pk)

    post_init.connect(count, sender=Page)
    try:
        assert client.get("/vi/bai-viet/bai-anh-em-39/").status_code == 200
        assert client.get("/en/articles/sibling-39/").status_code == 200
        assert client.get("/vi/bai-viet/sibling-39/").status_code == 404  # English slug under /vi/
    finally:
        post_init.disconnect(count, sender=Page)
    # A few pages per request (site root, the article, what it shows); a walk would load all 40.
    assert len(loaded) <= 3 * 8, len(loaded)


def test_vietnamese_url_falls_back_to_the_english_slug_when_none_is_set(client, article_index):
    make_article(article_index, "No Vietnamese slug", "no-vi-slug", "Chưa có đường dẫn", None)
    assert client.get("/vi/bai-viet/no-vi-slug/").status_code == 200


def test_the_header_never_names_the_clinic_after_a_pages_unreleased_title(
    client, article, home, clinic
):
    """Without a clinic name the brand reads "Home page" in the reader's language, never the
    home page's own row (which holds text no language may have released yet)."""
    clinic.clinic_name_en = clinic.clinic_name_vi = ""
    clinic.save()
    type(home).objects.filter(pk=home.pk).update(title_vi="Tiêu đề chưa được duyệt")
    html = html_of(client, "/vi/bai-viet/exosome-va-prp/")
    brand = re.search(r'<a class="brand" href="/vi/">(.*?)</a>', html)
    assert brand is not None and brand.group(1) == "Trang chủ", html[:600]
    assert "Tiêu đề chưa được duyệt" not in html
    english = html_of(client, "/en/articles/exosomes-vs-prp/")
    assert '<a class="brand" href="/en/">Home page</a>' in english
