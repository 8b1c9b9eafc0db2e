"""Hostile input posted through the real admin forms is stored and served harmless.

The payloads go through Wagtail's page editor view (the POST the editor's browser
sends), so the whole path is tested: form → Draftail converter → database → template
or API. Two routes are covered: HTML pasted into the editor (converted by Wagtail the
way Draftail's paste does) and editor JSON crafted by hand, which skips any filtering
the browser would do.
"""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from therapies.models import ArticlePage

from .admin_forms import article_form, comparison, paragraph, rich_text

pytestmark = pytest.mark.django_db

PASTED_HTML = (
    '<p>Before<script>alert("script")</script>'
    "<a href=\"javascript:alert('href')\" onclick=\"alert('click')\">a link</a>"
    '<img src="x" onerror="alert(\'img\')"/>'
    '<svg onload="alert(\'svg\')"><script>alert("svg-script")</script><circle r="1"/></svg>'
    "<iframe src=\"javascript:alert('frame')\"></iframe>"
    "<b onmouseover=\"alert('b')\">bold</b> after</p>"
)
# Every way of smuggling a script into an href that browsers accept.
HOSTILE_URLS = [
    "javascript:alert(1)",
    "  JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
]
ACTIVE_ELEMENTS = {"script", "svg", "iframe", "object", "embed", "img", "math", "base", "form"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
# What a browser does to a URL before reading its scheme: drop tabs, newlines and leading blanks.
_URL_NOISE = re.compile(r"[\x00-\x20]")


def _inert_json_ld(element):
    """The page's JSON-LD: a data block browsers never run, whose text cannot end it early."""
    return (
        element.name == "script"
        and element.get("type") == "application/ld+json"
        and "<" not in element.decode_contents()
    )


def assert_harmless(markup, where):
    """No element or attribute in ``markup`` (parsed as a browser would) can run a script."""
    if "<" not in markup:
        return  # plain text: no element at all
    soup = BeautifulSoup(markup, "html.parser")
    for element in soup.find_all(True):
        if _inert_json_ld(element):
            continue
        assert element.name not in ACTIVE_ELEMENTS, f"<{element.name}> in {where}: {element}"
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), f"{name}= in {where}: {element}"
            if name.lower() in URL_ATTRIBUTES:
                url = _URL_NOISE.sub("", str(value)).lower()
                assert not url.startswith(("javascript:", "vbscript:", "data:")), (
                    f"script URL in {where}: {element}"
                )


def assert_harmless_json(text, where):
    """Every string in an API response, parsed as HTML, is harmless."""

    def strings(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, str):
            yield value

    for string in strings(json.loads(text)):
        assert_harmless(string, where)


@pytest.mark.parametrize(
    "markup",
    [
        "<p><script>x()</script></p>",
        '<a href=" java\tscript:x()">a</a>',
        '<b onclick="x()">b</b>',
        "<svg><circle/></svg>",
        '<a href="DATA:text/html,x">a</a>',
    ],
)
def test_the_checker_itself_catches_each_kind_of_payload(markup):
    with pytest.raises(AssertionError):
        assert_harmless(markup, "sample")


def add_article(admin_client, index, **form):
    url = reverse("wagtailadmin_pages:add", args=("therapies", "articlepage", index.pk))
    return admin_client.post(url, article_form(**form))


def contentstate_link(text, url=None, page_id=None):
    data = {"url": url} if page_id is None else {"id": page_id, "url": "/"}
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "k1",
                    "type": "unstyled",
                    "text": text,
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": len(text), "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": data}},
        }
    )


def body_html(html):
    """The article's body on the public page (header, footer and switcher left out)."""
    start = html.index('<div class="body">')
    return html[start : html.index("</article>", start)]


def public_and_api(page):
    """Anonymous responses: the page in both languages and the API detail in both languages."""
    reader = Client()
    responses = {}
    for path in ("/en/articles/{en}/", "/vi/bai-viet/{vi}/"):
        url = path.format(en=page.slug_en, vi=page.slug_vi)
        response = reader.get(url)
        assert response.status_code == 200, url
        responses[url] = response.content.decode()
    for lang in ("en", "vi", "all"):
        url = f"/api/v1/pages/{page.pk}/?lang={lang}"
        response = reader.get(url)
        assert response.status_code == 200, url
        responses[url] = response.content.decode()
    return responses


def test_pasted_script_svg_and_event_attributes_are_stripped(admin_client, article_index):
    response = add_article(
        admin_client,
        article_index,
        title_en="Pasted",
        slug_en="pasted",
        title_vi="Dán",
        slug_vi="dan",
        body_en=[("paragraph", rich_text(PASTED_HTML))],
        body_vi=[("paragraph", rich_text(PASTED_HTML.replace("Before", "Trước")))],
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(slug_en="pasted")
    stored = page.body_en[0].value.source + page.body_vi[0].value.source
    assert_harmless(stored, "stored rich text")
    assert "a link" in stored and "<b>bold</b>" in stored  # the harmless text is kept

    for where, text in public_and_api(page).items():
        (assert_harmless_json if "/api/" in where else assert_harmless)(text, where)
    assert "Trước" in public_and_api(page)["/vi/bai-viet/dan/"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_crafted_editor_json_with_a_script_link_loses_the_link_target(
    admin_client, article_index, url
):
    """A POST built by hand (not by Draftail) still cannot store a script URL."""
    response = add_article(
        admin_client,
        article_index,
        title_en="Crafted",
        slug_en="crafted",
        title_vi="Giả mạo",
        slug_vi="gia-mao",
        body_en=[("paragraph", contentstate_link("click me", url=url))],
        body_vi=[("paragraph", contentstate_link("bấm vào đây", url=url))],
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug_en="crafted")
    stored = page.body_en[0].value.source
    assert "click me" in stored
    assert_harmless(stored, "stored rich text")
    for where, text in public_and_api(page).items():
        (assert_harmless_json if "/api/" in where else assert_harmless)(text, where)


def test_plain_text_fields_with_markup_are_escaped_on_the_site(
    admin_client, article_index, prp, exosomes
):
    """Titles, leads and block text are text: shown as typed, never parsed as HTML."""
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = add_article(
        admin_client,
        article_index,
        title_en=f"Title {payload}",
        slug_en="markup",
        title_vi=f"Tiêu đề {payload}",
        slug_vi="ma-html",
        lead_en=f"Lead {payload}",
        lead_vi=f"Mở đầu {payload}",
        body_en=[
            comparison(
                [prp, exosomes],
                [(f"Row {payload}", (payload, "Plain"))],
                title=payload,
                takeaway=payload,
            )
        ],
        body_vi=[
            comparison([prp, exosomes], [(f"Hàng {payload}", ("Thường", payload))], title=payload)
        ],
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(slug_en="markup")
    assert page.title_en == f"Title {payload}"  # stored exactly as typed

    reader = Client()
    for url in ("/en/articles/markup/", "/vi/bai-viet/ma-html/"):
        html = reader.get(url).content.decode()
        assert_harmless(html, url)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&quot;&gt;&lt;script&gt;" in body_html(html)  # the comparison title and cells
    # The API returns the text as JSON data, never as a page a browser would run.
    api = reader.get(f"/api/v1/pages/{page.pk}/?lang=vi")
    assert api.json()["title"] == f"Tiêu đề {payload}"
    assert api["Content-Type"] == "application/json; charset=utf-8"
    assert api["X-Content-Type-Options"] == "nosniff"


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def test_svg_and_html_uploads_are_refused_as_images_and_documents(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Evil",
            "file": SimpleUploadedFile("evil.svg", SVG, content_type="image/svg+xml"),
        },
    )
    assert response.status_code == 200  # the form again, with an error
    assert not get_image_model().objects.filter(title="Evil").exists()

    for name, content, mime in (
        ("evil.svg", SVG, "image/svg+xml"),
        ("evil.html", b"<script>alert(1)</script>", "text/html"),
    ):
        response = admin_client.post(
            reverse("wagtaildocs:add"),
            {"title": name, "file": SimpleUploadedFile(name, content, content_type=mime)},
        )
        assert response.status_code == 200, name
        assert not get_document_model().objects.filter(title=name).exists(), name


def test_served_documents_are_attachments_that_cannot_run_scripts(client):
    document = get_document_model().objects.create(
        title="Notes", file=SimpleUploadedFile("notes.txt", b"<script>alert(1)</script>")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_crafted_page_link_id_is_stored_escaped_and_the_api_serves_it_harmless(
    admin_client, article_index
):
    response = add_article(
        admin_client,
        article_index,
        title_en="Link id",
        slug_en="link-id",
        title_vi="Mã liên kết",
        slug_vi="ma-lien-ket",
        body_en=[("paragraph", contentstate_link("x", page_id='1" onclick="alert(1)'))],
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug_en="link-id")
    assert 'id="1&quot; onclick' in page.body_en[0].value.source  # a value, not an attribute
    api = Client().get(f"/api/v1/pages/{page.pk}/?lang=en")
    assert api.status_code == 200
    assert_harmless_json(api.content.decode(), "API with a crafted link id")


def test_crafted_page_link_id_with_an_event_attribute_does_not_break_the_page(
    admin_client, article_index
):
    response = add_article(
        admin_client,
        article_index,
        title_en="Link id",
        slug_en="link-id",
        title_vi="Mã liên kết",
        slug_vi="ma-lien-ket",
        body_en=[("paragraph", contentstate_link("x", page_id='1" onclick="alert(1)'))],
    )
    assert response.status_code == 302
    stored = ArticlePage.objects.get(slug_en="link-id").body_en[0].value.source
    assert 'id="1&quot; onclick' in stored  # stored escaped: an attribute value, not an attribute
    reader = Client(raise_request_exception=False)
    page_response = reader.get("/en/articles/link-id/")
    assert page_response.status_code == 200
    assert_harmless(page_response.content.decode(), "page with a crafted link id")


@pytest.mark.parametrize("value", ["<p>raw HTML</p>", "[]", '{"blocks": "nope"}'])
def test_malformed_rich_text_post_is_a_form_error(article_index, django_user_model, value):
    user = django_user_model.objects.create_superuser("malformed", "m@example.com", "pw")
    editor = Client(raise_request_exception=False)
    editor.force_login(user)
    response = add_article(
        editor,
        article_index,
        title_en="Malformed",
        slug_en="malformed",
        title_vi="Hỏng",
        slug_vi="hong",
        body_en=[paragraph("<p>ok</p>"), ("paragraph", value)],
    )
    assert response.status_code in (200, 400)
    assert not ArticlePage.objects.filter(slug_en="malformed").exists()
