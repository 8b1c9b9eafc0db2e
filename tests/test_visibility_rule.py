"""One visibility rule: a hidden page never shows, wherever readers or clients look.

A page is hidden while it is a draft, unpublished, private (itself or a section above
it), expired or not yet live. Every reader path is tried in both languages: the site
(home, sections, menu, the article that links to it, its own URL, the sitemap) and
the API (list, search, detail, find, the home and section documents, the article's
comparison columns, rich-text links and related articles). None may show its title,
slug or URL.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

from cms import clock
from cms.visibility import visible_pages
from therapies.models import RelatedArticle, TherapyIndexPage

from . import factories
from .conftest import comparison_block

pytestmark = pytest.mark.django_db

SECRETS = ("Secret Laser", "Laser Bí Mật", "secret-laser", "laser-bi-mat")
SECRET_ARTICLE = ("Hidden Findings", "Phát Hiện Ẩn", "hidden-findings", "phat-hien-an")
NOW = timezone.now().replace(microsecond=0)


def _hide_draft(page, home):
    page.unpublish()  # then saved again as a draft, never published since
    page.save_revision()


def _hide_unpublished(page, home):
    page.unpublish()


def _hide_private(page, home):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret-pw"
    )


def _hide_expired(page, home):
    Page.objects.filter(pk=page.pk).update(expire_at=NOW - datetime.timedelta(minutes=1))


def _hide_not_yet_live(page, home):
    Page.objects.filter(pk=page.pk).update(go_live_at=NOW + datetime.timedelta(days=1))


HIDE = {
    "draft": _hide_draft,
    "unpublished": _hide_unpublished,
    "private": _hide_private,
    "expired": _hide_expired,
    "not yet live": _hide_not_yet_live,
}


def _in_factory_order(names):
    title_en, title_vi, slug_en, slug_vi = names
    return title_en, slug_en, title_vi, slug_vi


@pytest.fixture
def scene(home, therapy_index, article_index, prp, clinic):
    """A visible article pointing at a therapy and an article that a test then hides."""
    secret = factories.make_therapy(therapy_index, *_in_factory_order(SECRETS))
    hidden_article = factories.make_article(article_index, *_in_factory_order(SECRET_ARTICLE))

    def body(lang):
        link_text = "laser words" if lang == "en" else "chữ về laser"
        return [
            comparison_block([prp, secret], [("Source", ("Own blood", "Light"))]),
            {
                "type": "paragraph",
                "value": f'<p>See <a linktype="page" id="{secret.pk}">{link_text}</a>.</p>',
            },
        ]

    article = factories.make_article(
        article_index,
        "Open Guide",
        "open-guide",
        "Hướng Dẫn Mở",
        "huong-dan-mo",
        body_en=body("en"),
        body_vi=body("vi"),
    )
    RelatedArticle.objects.create(article=article, page=hidden_article, sort_order=0)
    article.save_revision().publish()
    return {"home": home, "secret": secret, "hidden_article": hidden_article, "article": article}


def _reader_responses(client, scene):
    article, secret = scene["article"], scene["secret"]
    urls = [
        "/en/",
        "/vi/",
        "/en/therapies/",
        "/vi/lieu-phap/",
        "/en/articles/",
        "/vi/bai-viet/",
        "/en/articles/open-guide/",
        "/vi/bai-viet/huong-dan-mo/",
        "/sitemap.xml",
    ]
    for lang in ("en", "vi"):
        urls += [
            f"/api/v1/pages/?lang={lang}",
            f"/api/v1/pages/?lang={lang}&type=therapy",
            f"/api/v1/pages/?lang={lang}&search=laser",
            f"/api/v1/pages/?lang={lang}&child_of={secret.get_parent().pk}",
            f"/api/v1/pages/{article.pk}/?lang={lang}",
            f"/api/v1/pages/{scene['home'].pk}/?lang={lang}",
            f"/api/v1/pages/{secret.get_parent().pk}/?lang={lang}",
            f"/api/v1/pages/{scene['hidden_article'].get_parent().pk}/?lang={lang}",
        ]
    return {url: client.get(url) for url in urls}


@pytest.mark.parametrize("state", list(HIDE))
def test_a_hidden_page_shows_nowhere(client, scene, state):
    HIDE[state](scene["secret"], scene["home"])
    HIDE[state](scene["hidden_article"], scene["home"])
    for url, response in _reader_responses(client, scene).items():
        assert response.status_code == 200, url
        text = response.content.decode()
        for secret in SECRETS + SECRET_ARTICLE:
            assert secret not in text, (state, url, secret)
        assert f"/pages/{scene['secret'].pk}/" not in text, (state, url)
    # The link keeps its text, unlinked; the comparison keeps only the visible column.
    en = client.get(f"/api/v1/pages/{scene['article'].pk}/?lang=en").json()
    assert "See <a>laser words</a>." in en["body"][1]["value"]
    assert [t["title"] for t in en["body"][0]["value"]["therapies"]] == ["PRP"]
    assert en["body"][0]["value"]["rows"] == [{"dimension": "Source", "values": ["Own blood"]}]
    assert en["related"] == []
    vi_page = client.get("/vi/bai-viet/huong-dan-mo/").content.decode()
    assert "<a>chữ về laser</a>" in vi_page
    # The hidden pages themselves: not found by id or address (a private page asks for its
    # password on the site instead, and never shows its content).
    for page in (scene["secret"], scene["hidden_article"]):
        for lang in ("en", "vi"):
            assert client.get(f"/api/v1/pages/{page.pk}/?lang={lang}").status_code == 404
        path = page.get_url_parts()[2] if page.get_url_parts() else None
        if path and state != "private":
            assert client.get(path).status_code == 404, (state, path)
    assert client.get("/api/v1/pages/find/?path=/vi/lieu-phap/laser-bi-mat/").status_code == 404
    # An editor's redirect to it answers the 404 it replaces, without its address.
    for old in ("/en/old-laser/", "/vi/laser-cu/"):
        Redirect.objects.create(old_path=old.rstrip("/"), redirect_page=scene["secret"])
        response = client.get(old)
        assert response.status_code == 404, (state, old)
        assert "laser" not in response.get("Location", ""), (state, old)


def test_the_same_pages_are_visible_before_hiding(client, scene):
    """The scene's pages show everywhere while visible: the test above can fail."""
    responses = _reader_responses(client, scene)
    assert "Secret Laser" in responses["/en/therapies/"].content.decode()
    assert "Laser Bí Mật" in responses["/vi/lieu-phap/"].content.decode()
    assert "Hidden Findings" in responses["/en/"].content.decode()
    assert "secret-laser" in responses["/sitemap.xml"].content.decode()
    Redirect.objects.create(old_path="/en/old-laser", redirect_page=scene["secret"])
    assert client.get("/en/old-laser/")["Location"].endswith("/en/therapies/secret-laser/")
    en = client.get(f"/api/v1/pages/{scene['article'].pk}/?lang=en").json()
    assert [t["title"] for t in en["body"][0]["value"]["therapies"]] == ["PRP", "Secret Laser"]
    assert "/en/therapies/secret-laser/" in en["body"][1]["value"]
    assert [r["title"] for r in en["related"]] == ["Hidden Findings"]


def test_a_section_made_private_hides_everything_inside_it(client, scene, home):
    members = factories.publish_child(
        home,
        factories._page(TherapyIndexPage, "Members", "members", "Thành viên", "thanh-vien"),
    )
    scene["secret"].move(members, pos="last-child")
    PageViewRestriction.objects.create(
        page=members, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    for url, response in _reader_responses(client, scene).items():
        text = response.content.decode()
        assert "Secret Laser" not in text and "Laser Bí Mật" not in text, url


def test_expiry_by_the_injected_clock_hides_a_page_without_a_publish(client, scene):
    Page.objects.filter(pk=scene["secret"].pk).update(expire_at=NOW + datetime.timedelta(hours=1))
    with clock.frozen_at(NOW):
        assert "Secret Laser" in client.get("/en/therapies/").content.decode()
    with clock.frozen_at(NOW + datetime.timedelta(hours=1)):
        assert "Secret Laser" not in client.get("/en/therapies/").content.decode()
        assert client.get("/en/therapies/secret-laser/").status_code == 404


def test_pages_of_another_site_are_not_on_this_one(client, scene, root_page):
    from wagtail.models import Site

    other_home = factories.publish_child(
        root_page,
        factories._page(type(scene["home"]), "Other", "other", "Khác", "khac"),
    )
    other_index = factories.make_therapy_index(other_home)
    stranger = factories.make_therapy(other_index, "Far Therapy", "far", "Liệu Pháp Xa", "xa")
    Site.objects.create(hostname="other.example", port=80, root_page=other_home)
    for url in ("/api/v1/pages/?lang=en", "/sitemap.xml", f"/api/v1/pages/{stranger.pk}/"):
        response = client.get(url)
        assert "Far Therapy" not in response.content.decode(), url
    assert client.get(f"/api/v1/pages/{stranger.pk}/").status_code == 404
    assert stranger.pk not in visible_pages(
        site=Site.objects.get(hostname="testserver")
    ).values_list("pk", flat=True)
