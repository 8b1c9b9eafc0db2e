"""A moved or renamed page redirects from its old address in every language (cms.redirects)."""

import unicodedata

import pytest
from django.utils import translation
from django.utils.encoding import iri_to_uri
from wagtail.contrib.redirects.models import Redirect

from therapies.models import ArticlePage

from .test_site_cache import URL_EN, URL_VI

pytestmark = pytest.mark.django_db


def publish(page):
    with translation.override("en"):
        page.save_revision().publish()


def redirects_to(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new
    assert client.get(new).status_code == 200, new


def test_a_new_vietnamese_slug_redirects_the_old_vietnamese_address(client, article):
    assert client.get(URL_VI).status_code == 200
    article.slug_vi = "exosome-hay-prp"
    publish(article)
    redirects_to(client, URL_VI, "/vi/bai-viet/exosome-hay-prp/")
    assert (
        "Exosome và PRP khác nhau thế nào"
        in client.get("/vi/bai-viet/exosome-hay-prp/").content.decode()
    )
    assert client.get(URL_EN).status_code == 200  # English did not move


def test_a_renamed_vietnamese_section_redirects_its_pages_too(client, article, article_index):
    article_index.slug_vi = "kien-thuc"
    publish(article_index)
    redirects_to(client, "/vi/bai-viet/", "/vi/kien-thuc/")
    redirects_to(client, URL_VI, "/vi/kien-thuc/exosome-va-prp/")
    assert client.get("/en/articles/").status_code == 200 and client.get(URL_EN).status_code == 200


def test_an_editors_own_redirect_from_the_old_address_is_kept(client, article, prp):
    Redirect.objects.create(old_path=URL_VI.rstrip("/"), redirect_page=prp, is_permanent=False)
    other = Redirect.objects.create(
        old_path="/vi/cu/", redirect_page=prp, automatically_created=True
    )
    article.slug_vi = "exosome-hay-prp"
    publish(article)
    (kept,) = Redirect.objects.filter(old_path=URL_VI.rstrip("/"))
    assert kept.redirect_page_id == prp.pk and not kept.automatically_created
    assert Redirect.objects.filter(pk=other.pk).exists()  # nothing else was replaced


def test_a_draft_with_a_new_slug_redirects_nothing_until_it_is_published(client, article):
    article.slug_vi = "ban-nhap"
    with translation.override("en"):
        article.save_revision()
    assert client.get(URL_VI).status_code == 200
    assert not Redirect.objects.exists()
    assert ArticlePage.objects.get(pk=article.pk).url_path_vi.endswith("/exosome-va-prp/")


@pytest.mark.parametrize("admin_language", ["en", "vi"])
def test_a_new_english_slug_redirects_the_old_english_address_whatever_the_admin_language(
    client, article, admin_language, django_capture_on_commit_callbacks
):
    # Wagtail's own handler ran after the commit under the editor's admin language, and an
    # editor working in Vietnamese got a redirect from /vi/articles/exosomes-vs-prp instead.
    article.slug_en = "exosomes-or-prp"
    with django_capture_on_commit_callbacks(execute=True), translation.override(admin_language):
        article.save_revision().publish()
    redirects_to(client, URL_EN, "/en/articles/exosomes-or-prp/")
    assert client.get(URL_VI).status_code == 200  # Vietnamese did not move
    assert sorted(Redirect.objects.values_list("old_path", flat=True)) == [
        "/en/articles/exosomes-vs-prp"
    ]


def test_a_moved_page_redirects_its_old_address_in_both_languages(
    client, home, article, django_capture_on_commit_callbacks
):
    from therapies.models import ArticleIndexPage

    from .factories import _page, publish_child

    other = publish_child(
        home, _page(ArticleIndexPage, "Guides", "guides", "Hướng dẫn", "huong-dan")
    )
    with django_capture_on_commit_callbacks(execute=True), translation.override("vi"):
        article.move(other, pos="last-child")
    redirects_to(client, URL_EN, "/en/guides/exosomes-vs-prp/")
    redirects_to(client, URL_VI, "/vi/huong-dan/exosome-va-prp/")
    assert sorted(Redirect.objects.values_list("old_path", flat=True)) == sorted(
        [URL_EN.rstrip("/"), URL_VI.rstrip("/")]
    )


# The content API's find follows the same redirects: a front end holding an old address
# (a bookmark, a partner's link) is told where the page is now, as the site tells a reader.

FIND = "/api/v1/pages/find/"


def find(client, path, **params):
    return client.get(FIND, {"path": path, **params})


def test_find_with_an_old_vietnamese_address_redirects_to_the_page_in_vietnamese(client, article):
    article.slug_vi = "exosome-hay-prp"
    publish(article)
    moved = find(client, URL_VI)
    assert moved.status_code == 301
    new = "/vi/bai-viet/exosome-hay-prp/"
    assert moved["Location"] == f"{FIND}?path=%2Fvi%2Fbai-viet%2Fexosome-hay-prp%2F"
    assert moved.json() == {
        "detail": f"Moved to {new}.",
        "path": new,
        "location": moved["Location"],
    }
    assert moved["Cache-Control"] == "private, no-store"
    page = client.get(moved["Location"])
    assert page.status_code == 200
    assert page.json()["title"] == "Exosome và PRP khác nhau thế nào"
    assert page.json()["lang"] == "vi"


def test_find_keeps_the_requested_language_across_the_redirect(client, article):
    article.slug_vi = "exosome-hay-prp"
    publish(article)
    moved = find(client, URL_VI, lang="en")
    assert moved.status_code == 301 and "lang=en" in moved["Location"]
    assert client.get(moved["Location"]).json()["title"] == "Exosomes vs PRP"


def test_find_follows_an_english_move_with_or_without_the_language_prefix(client, article):
    article.slug_en = "exosomes-or-prp"
    publish(article)
    for old in (URL_EN, "/articles/exosomes-vs-prp/"):
        moved = find(client, old)
        assert moved.status_code == 301, old
        assert moved.json()["path"] == "/en/articles/exosomes-or-prp/"
        assert client.get(moved["Location"]).json()["title"] == "Exosomes vs PRP"


def test_find_answers_an_editors_temporary_redirect_with_302(client, article, prp):
    Redirect.objects.create(old_path="/vi/khuyen-mai", redirect_page=prp, is_permanent=False)
    moved = find(client, "/vi/khuyen-mai/")
    assert moved.status_code == 302
    assert moved.json()["path"] == "/vi/lieu-phap/prp/"


def stem_cells(therapy_index):
    from . import factories

    return factories.make_therapy(
        therapy_index, "Stem cells", "stem-cells", "Tế bào gốc", "tế-bào-gốc"
    )


def test_find_takes_the_url_the_api_gives_when_the_slug_has_vietnamese_letters(
    client, therapy_index
):
    page = stem_cells(therapy_index)
    url = client.get(f"/api/v1/pages/{page.pk}/?lang=vi").json()["url"]
    assert url == "http://testserver/vi/lieu-phap/t%E1%BA%BF-b%C3%A0o-g%E1%BB%91c/"
    path = url.removeprefix("http://testserver")
    assert client.get(path).status_code == 200  # the site serves it
    for sent in (url, path, "/vi/lieu-phap/tế-bào-gốc/"):
        found = find(client, sent)
        assert found.status_code == 200, sent
        assert found.json()["title"] == "Tế bào gốc"
    # A control character sent percent-encoded is refused like one sent as it is.
    refused = find(client, "/vi/lieu-phap/%00/")
    assert refused.status_code == 400
    assert refused.json() == {"detail": "path must not contain control characters."}


def test_an_address_typed_with_decomposed_vietnamese_letters_reaches_the_page(
    client, therapy_index
):
    stem_cells(therapy_index)
    composed = "/vi/lieu-phap/tế-bào-gốc/"
    decomposed = unicodedata.normalize("NFD", composed)  # "e" + combining marks
    assert decomposed != composed
    # The site sends the reader to the address as pages link to it (composed), query kept.
    response = client.get(iri_to_uri(decomposed), {"utm_source": "zalo"})
    assert response.status_code == 301
    assert response["Location"] == iri_to_uri(composed) + "?utm_source=zalo"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Tế bào gốc" in page.content.decode()
    # The API finds the same page from either form, percent-encoded or not.
    for sent in (decomposed, iri_to_uri(decomposed)):
        found = find(client, sent)
        assert found.status_code == 200, sent
        assert found.json()["title"] == "Tế bào gốc"
    # An address already composed is served as it is.
    assert client.get(iri_to_uri(composed)).status_code == 200
    # The redirect stays on the site, whatever the path holds (no //host, no /\\host).
    for path in ("//evil.example/bài-viết/", "/\\evil.example/bài-viết/"):
        sent = unicodedata.normalize("NFD", path).encode().decode("iso-8859-1")  # as WSGI has it
        response = client.get("/", PATH_INFO=sent)
        location = response["Location"]
        assert response.status_code == 301
        assert location.startswith("/") and location[1] not in "/\\", location


def test_following_finds_redirect_after_a_vietnamese_slug_change_reaches_the_page(
    client, therapy_index
):
    page = stem_cells(therapy_index)
    page.slug_vi = "tế-bào-gốc-mới"
    publish(page)
    for old in ("/vi/lieu-phap/tế-bào-gốc/", "/vi/lieu-phap/t%E1%BA%BF-b%C3%A0o-g%E1%BB%91c/"):
        moved = find(client, old)
        assert moved.status_code == 301, old
        assert moved.json()["path"] == "/vi/lieu-phap/t%E1%BA%BF-b%C3%A0o-g%E1%BB%91c-m%E1%BB%9Bi/"
        followed = client.get(moved["Location"])
        assert followed.status_code == 200, old
        assert followed.json()["slug"] == "tế-bào-gốc-mới"


def test_find_follows_an_editors_redirect_typed_percent_encoded(client, article, prp):
    Redirect.objects.create(old_path="/vi/khuy%E1%BA%BFn-m%C3%A3i", redirect_page=prp)
    for old in ("/vi/khuyến-mãi/", "/vi/khuy%E1%BA%BFn-m%C3%A3i/"):
        moved = find(client, old)
        assert moved.status_code == 301, old
        assert moved.json()["path"] == "/vi/lieu-phap/prp/"


def test_an_editors_redirect_typed_with_decomposed_letters_is_stored_composed(client, article, prp):
    typed = unicodedata.normalize("NFD", "/vi/khuyến-mãi")  # pasted from a macOS file name
    redirect = Redirect.objects.create(old_path=typed, redirect_page=prp)
    redirect.refresh_from_db()
    assert redirect.old_path == "/vi/khuyến-mãi" != typed
    for sent in ("/vi/khuyến-mãi/", typed + "/"):
        moved = find(client, sent)
        assert moved.status_code == 301, sent
        assert moved.json()["path"] == "/vi/lieu-phap/prp/"
    # On the site, the decomposed address is composed first, then redirected to the page.
    composed = client.get(iri_to_uri(typed + "/"))
    assert composed.status_code == 301
    followed = client.get(composed["Location"])
    assert followed.status_code in (301, 302)
    assert followed["Location"].endswith("/vi/lieu-phap/prp/")


def test_find_never_redirects_to_a_hidden_page_or_away_from_the_site(client, article, prp):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=prp, restriction_type=PageViewRestriction.PASSWORD, password="bí mật"
    )
    Redirect.objects.create(old_path="/vi/rieng-tu", redirect_page=prp)
    Redirect.objects.create(old_path="/vi/ben-ngoai", redirect_link="https://example.com/")
    article.unpublish()
    Redirect.objects.create(old_path="/vi/da-go", redirect_page=article)
    for old in ("/vi/rieng-tu/", "/vi/ben-ngoai/", "/vi/da-go/"):
        response = find(client, old)
        assert response.status_code == 404, old
        assert response.json() == {"detail": f"No live, public page at {old}."}
        assert "Location" not in response
