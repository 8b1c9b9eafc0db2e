"""Wagtail's published security advisories, turned into tests against this project.

* ReDoS in search parsing (CVE-2024-39317): no admin search reads more than 255 characters
  of a 10 KB query; the API refuses a search over 200 with a JSON 422.
* Client-chosen image filter specs (CVE-2026-54260): no public image serve view; the API
  offers fixed renditions only and refuses any parameter that would pick one.
* Private collections: documents honour collection restrictions; no endpoint lists images
  or documents; an image in a private collection is left out of every page and API
  response, wherever it was placed, and editors are told when they place one.
* Preview only for who may see it (CVE-2026-25517): the admin preview needs a login and
  edit rights; the API preview needs a valid token (see test_security_api_visibility).
* Revision compare, history, copy and revision view refuse editors without permission on
  the page.
"""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images.models import Rendition
from wagtail.models import Collection, CollectionViewRestriction, GroupPagePermission
from wagtail.search.backends.base import BaseSearchBackend
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH

from cms.sharing import SHARE_FILTER
from readmodel.models import DocumentChange
from therapies.blocks import API_IMAGE_FILTERS, PORTRAIT_FILTERS
from therapies.models import ArticlePage

from .admin_forms import article_form
from .api_fixtures import make_image
from .test_site_cache import URL_EN, URL_VI

pytestmark = pytest.mark.django_db

LONG_QUERIES = {
    "letters": "a" * 10_240,
    "vietnamese": "ệ" * 5_120,  # 10 KB of UTF-8
    "quotes": '"' * 10_240,
    "filters": "a:" * 5_120,
    "mixed": ('"x:' + "y" * 30 + '"') * 300,
}


def queries_reaching_the_backend(monkeypatch):
    """The text of every query Wagtail's search backend is asked to run, as it receives it."""
    seen = []

    def text_of(query):
        if isinstance(query, str):
            return query
        parts = [getattr(query, "query_string", "")]
        parts += [text_of(sub) for sub in getattr(query, "subqueries", ())]
        if getattr(query, "subquery", None) is not None:
            parts.append(text_of(query.subquery))
        return " ".join(part for part in parts if part)

    for name in ("search", "autocomplete"):
        original = getattr(BaseSearchBackend, name)

        def spy(self, query, *args, _original=original, **kwargs):
            seen.append(text_of(query))
            return _original(self, query, *args, **kwargs)

        monkeypatch.setattr(BaseSearchBackend, name, spy)
    return seen


# ReDoS (CVE-2024-39317) ----------------------------------------------------------------
# A parse or index scan that grows with the query is the class; the guard is that no
# search reads more than a bounded query, which these tests check without a clock.


@pytest.mark.parametrize("kind", LONG_QUERIES)
@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/search/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/therapies/doctor/",  # searched by the ORM, not the search backend
        "/admin/choose-page/search/",
    ],
)
def test_long_admin_search_reads_at_most_255_characters(
    admin_client, article, url, kind, monkeypatch
):
    seen = queries_reaching_the_backend(monkeypatch)
    query = LONG_QUERIES[kind]
    parameters = []

    def record(execute, sql, params, many, context):
        if params and not many:
            parameters.extend(str(p) for p in params if isinstance(p, str))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = admin_client.get(url, {"q": query})
    assert response.status_code == 200
    searched = seen + [p for p in parameters if query[:50] in p]
    assert searched, f"{url} did not search"
    assert all(len(text) <= MAX_QUERY_STRING_LENGTH for text in seen), [len(t) for t in seen]
    too_long = query[: MAX_QUERY_STRING_LENGTH + 1]
    assert not any(too_long in p for p in parameters), "a query parameter holds > 255 characters"
    # The search box shows what was searched for: the query's first 255 characters.
    if "choose-page" not in url:  # the chooser's results fragment has no search box
        shown = [
            field.get("value", "")
            for field in BeautifulSoup(response.content, "html.parser").select("input[name=q]")
        ]
        assert query[:MAX_QUERY_STRING_LENGTH] in shown, [len(value) for value in shown]


def test_a_search_of_255_characters_or_fewer_is_untouched(admin_client, article, monkeypatch):
    seen = queries_reaching_the_backend(monkeypatch)
    query = "liệu pháp " * 25 + "prp"  # 253 characters
    response = admin_client.get("/admin/pages/search/", {"q": query})
    assert response.status_code == 200
    assert seen and all(text == query for text in seen), seen


@pytest.mark.parametrize("kind", LONG_QUERIES)
def test_long_api_search_is_a_json_422_that_names_the_limit(client, article, kind):
    response = client.get("/api/v1/pages/", {"search": LONG_QUERIES[kind], "lang": "vi"})
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert "200" in response.content.decode(), response.content[:300]


@pytest.mark.parametrize("kind", LONG_QUERIES)
def test_doctors_have_no_search_and_say_so_in_json(client, article, kind):
    response = client.get("/api/v1/doctors/", {"search": LONG_QUERIES[kind], "lang": "vi"})
    assert response.status_code == 400, response.content[:300]
    assert response.json()["detail"].startswith("Unknown query parameter(s): search.")


def test_longest_accepted_api_search_is_one_bounded_read(
    client, article, django_assert_max_num_queries
):
    """The longest search the API accepts runs for real against the document table."""
    client.get("/api/v1/pages/", {"search": "warm up", "lang": "vi"})
    for query, found in (("ệ" * 200, 0), ("a" * 200, 0), (" ".join(["liệu"] * 40)[:200], 3)):
        with django_assert_max_num_queries(2):
            response = client.get("/api/v1/pages/", {"search": query, "lang": "vi"})
        assert response.status_code == 200, response.content[:300]
        assert response.json()["count"] == found, query


# Image filter specs (CVE-2026-54260) -----------------------------------------------------


def test_no_public_image_serve_view_is_mounted(client, home):
    for name in ("wagtailimages_serve", "wagtailimages_serve_action"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=("signature", 1, "fill-4000x4000"))
    image = make_image()
    for path in (
        f"/images/abc/{image.pk}/fill-4000x4000/",
        f"/en/images/abc/{image.pk}/original/",
        f"/api/v2/images/{image.pk}/",
        f"/api/v1/images/{image.pk}/",
    ):
        assert client.get(path, follow=True).status_code == 404, path


def test_admin_image_preview_with_any_filter_needs_a_login(client, home):
    image = make_image()
    url = reverse("wagtailimages:preview", args=(image.pk, "fill-3000x3000"))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not Rendition.objects.filter(filter_spec="fill-3000x3000").exists()


@pytest.fixture
def article_with_image(article_index, prp, exosomes, doctor):
    from .factories import make_article

    image = make_image("Clinic room")
    doctor.photo = make_image("Portrait")
    doctor.save()
    return make_article(
        article_index,
        "With image",
        "with-image",
        "Có ảnh",
        "co-anh",
        body_en=[
            {"type": "image", "value": {"image": image.pk, "alt_text": "Room", "caption": ""}},
            {"type": "doctor_quote", "value": {"doctor": doctor.pk, "quote": "Hi", "context": ""}},
        ],
        body_vi=[
            {"type": "image", "value": {"image": image.pk, "alt_text": "Phòng", "caption": ""}}
        ],
    )


def test_api_offers_fixed_renditions_and_refuses_filter_parameters(client, article_with_image):
    url = f"/api/v1/pages/{article_with_image.pk}/"
    data = client.get(url, {"lang": "en"}).json()
    image_block = next(block for block in data["body"] if block["type"] == "image")
    assert [r["filter"] for r in image_block["value"]["image"]["renditions"]] == list(
        API_IMAGE_FILTERS
    )

    for name in ("filter", "filter_spec", "rendition", "image_filter", "fields", "size", "spec"):
        response = client.get(url, {name: "fill-5000x5000"})
        assert response.status_code == 400, name
    for other in ("/api/v1/doctors/", "/api/v1/pages/", "/api/v1/pages/find/"):
        assert client.get(other, {"rendition": "fill-5000x5000"}).status_code in (400, 422), other
    # Only the project's fixed specs: the API's, the portrait renditions of every page
    # (API and templates), made when the doctors are loaded (cms.reference), and the
    # sharing card's picture that JSON-LD names (cms.sharing).
    allowed = set(API_IMAGE_FILTERS) | set(PORTRAIT_FILTERS) | {SHARE_FILTER}
    made = set(Rendition.objects.values_list("filter_spec", flat=True))
    assert made <= allowed, made - allowed


# Private collections -------------------------------------------------------------------


@pytest.fixture
def private_collections(db):
    root = Collection.get_first_root_node()
    login_only = root.add_child(name="Patients' records")
    CollectionViewRestriction.objects.create(
        collection=login_only, restriction_type=CollectionViewRestriction.LOGIN
    )
    password = root.add_child(name="Staff only")
    CollectionViewRestriction.objects.create(
        collection=password,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="staff-2024",
    )
    return {"login": login_only, "password": password}


def make_document(collection, name, content=b"CONFIDENTIAL patient notes"):
    return get_document_model().objects.create(
        title=name, collection=collection, file=ContentFile(content, name=name)
    )


def read(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_document_in_a_login_collection_redirects_anonymous_readers(client, private_collections):
    document = make_document(private_collections["login"], "records.txt")
    response = client.get(document.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert b"CONFIDENTIAL" not in read(response)


def test_document_in_a_password_collection_shows_only_the_password_form(
    client, private_collections
):
    document = make_document(private_collections["password"], "staff.txt")
    response = client.get(document.url)
    assert response.status_code == 200
    body = read(response)
    assert b'type="password"' in body and b"CONFIDENTIAL" not in body


def test_document_in_a_private_collection_opens_for_a_logged_in_editor(
    admin_client, private_collections
):
    document = make_document(private_collections["login"], "records.txt")
    response = admin_client.get(document.url)
    assert response.status_code == 200
    assert read(response) == b"CONFIDENTIAL patient notes"


def test_private_files_are_not_served_from_media_by_django(client, private_collections):
    document = make_document(private_collections["login"], "records.txt")
    image = make_image("Scan")
    image.collection = private_collections["login"]
    image.save()
    for path in (f"/media/{document.file.name}", f"/media/{image.file.name}"):
        response = client.get(path, follow=True)
        assert response.status_code == 404, path
        assert b"CONFIDENTIAL" not in read(response)


def test_no_endpoint_lists_images_or_documents(client, private_collections, home):
    make_document(private_collections["login"], "records.txt")
    image = make_image("Scan")
    image.collection = private_collections["login"]
    image.save()
    for path in (
        "/api/v1/images/",
        "/api/v1/documents/",
        "/api/v2/images/",
        "/api/v2/documents/",
        "/api/v3/images/",
        "/documents/",
        "/images/",
    ):
        response = client.get(path, follow=True)
        assert response.status_code == 404, path
        assert b"records" not in read(response) and b"Scan" not in read(response)
    api_text = client.get("/api/v1/pages/?limit=100").content.decode()
    assert "records" not in api_text and image.file.name not in api_text


def _file_stem(image):
    return Path(image.file.name).stem  # renditions keep the original's name: scan.2e16….webp


def _show_image(article, image):
    """An image block in both bodies, placed through code (no form validation ran)."""
    for lang, alt in (("en", "Ultrasound scan"), ("vi", "Ảnh siêu âm")):
        getattr(article, f"body_{lang}").append(
            ("image", {"image": image, "alt_text": alt, "caption": f"{alt} caption"})
        )
    article.save_revision().publish()


def _api_images(client, article, lang):
    data = client.get(f"/api/v1/pages/{article.pk}/", {"lang": lang}).json()
    return [block["value"]["image"] for block in data["body"] if block["type"] == "image"]


def test_an_image_moved_into_a_private_collection_leaves_every_page_at_once(
    client, private_collections, article
):
    image = make_image("Scan")
    _show_image(article, image)
    urls = (URL_EN, URL_VI)
    for lang in ("en", "vi"):
        (shown,) = _api_images(client, article, lang)
        assert shown["renditions"] and _file_stem(image) in shown["renditions"][0]["url"]
    for url in urls:
        assert _file_stem(image) in client.get(url).content.decode(), url  # cached now

    image.collection = private_collections["login"]
    image.save()  # nothing republished: the move alone takes it off the site and the API

    for lang in ("en", "vi"):
        assert _api_images(client, article, lang) == []  # the block is left out (cms.references)
        text = client.get(f"/api/v1/pages/{article.pk}/", {"lang": lang}).content.decode()
        assert _file_stem(image) not in text
    for url in urls:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200 and _file_stem(image) not in html, url
    assert "Hai liệu pháp khác nhau" in client.get(urls[1]).content.decode()  # the rest stays


def test_only_a_real_change_to_an_image_empties_the_cache(private_collections):
    image = make_image("Scan")
    type(image).objects.filter(pk=image.pk).update(file_size=None)
    image.refresh_from_db()
    changes = DocumentChange.objects.count()
    assert image.get_file_size() > 0  # Wagtail records the size: save(update_fields=["file_size"])
    assert DocumentChange.objects.count() == changes  # nothing to rebuild or purge


def test_a_doctor_portrait_in_a_private_collection_is_never_published(
    client, private_collections, article, doctor
):
    portrait = make_image("Portrait")
    portrait.collection = private_collections["password"]
    portrait.save()
    doctor.photo = portrait
    doctor.save()
    data = client.get(f"/api/v1/pages/{article.pk}/", {"lang": "vi"}).json()
    quote = next(block for block in data["body"] if block["type"] == "doctor_quote")
    assert quote["value"]["doctor"]["name"] == doctor.name
    assert quote["value"]["doctor"]["photo"] is None
    for url in ("/api/v1/doctors/", f"/api/v1/doctors/{doctor.pk}/"):
        text = client.get(url, {"lang": "vi"}).content.decode()
        assert doctor.name in text and _file_stem(portrait) not in text, url
    html = client.get(URL_VI).content.decode()
    assert "Hãy kỳ vọng thực tế." in html and _file_stem(portrait) not in html
    assert _file_stem(portrait) not in client.get("/api/v1/pages/?limit=100").content.decode()


def test_editor_placing_a_private_image_gets_a_form_error_and_keeps_the_text(
    admin_client, private_collections, article_index
):
    image = make_image("Scan")
    image.collection = private_collections["login"]
    image.save()
    block = {"image": str(image.pk), "alt_text": "Ảnh siêu âm", "caption": "Chú thích đầy đủ"}
    form = article_form(
        "With a private scan",
        "private-scan",
        "Có ảnh riêng tư",
        "co-anh-rieng-tu",
        body_vi=[("image", block)],
    )
    add = reverse("wagtailadmin_pages:add", args=("therapies", "articlepage", article_index.pk))
    response = admin_client.post(add, form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This image is in a private collection" in html
    # The block's values come back inside the editor's JSON (non-ASCII escaped there).
    assert json.dumps("Chú thích đầy đủ")[1:-1] in html and "Có ảnh riêng tư" in html
    assert not ArticlePage.objects.filter(slug_en="private-scan").exists()


def test_a_private_portrait_cannot_be_given_to_a_doctor(private_collections, doctor):
    portrait = make_image("Portrait")
    portrait.collection = private_collections["login"]
    portrait.save()
    doctor.photo = portrait
    with pytest.raises(ValidationError) as error:
        doctor.full_clean()
    assert "private collection" in str(error.value.message_dict["photo"])


# Preview (CVE-2026-25517) --------------------------------------------------------------


@pytest.fixture
def reviewer(django_user_model, therapy_index):
    """An editor who may use the admin and edit therapies, but has no rights on articles."""
    group = Group.objects.create(name="Therapy editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=therapy_index, permission=Permission.objects.get(codename=permission)
        )
    user = django_user_model.objects.create_user("reviewer", "r@example.com", "pw")
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def article_with_draft(article):
    with translation.override("en"):
        article.title_en = "SECRET draft title"
        article.lead_vi = "Nháp BÍ MẬT"
        article.save_revision()
    article.refresh_from_db()
    return article


def preview_urls(page):
    first, latest = page.revisions.order_by("created_at")[:1].get(), page.get_latest_revision()
    return {
        "preview": reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,)),
        "view_draft": reverse("wagtailadmin_pages:view_draft", args=(page.pk,)),
        "revision": reverse("wagtailadmin_pages:revisions_view", args=(page.pk, latest.pk)),
        "compare": reverse(
            "wagtailadmin_pages:revisions_compare", args=(page.pk, first.pk, latest.pk)
        ),
        "history": reverse("wagtailadmin_pages:history", args=(page.pk,)),
        "copy": reverse("wagtailadmin_pages:copy", args=(page.pk,)),
        "headless": reverse("cms_api_headless_preview", args=(page.pk,)),
    }


def refused(response):
    body = response.content.decode(errors="replace")
    return response.status_code in (302, 403, 404) and "SECRET" not in body and "BÍ MẬT" not in body


@pytest.mark.parametrize(
    "view", ["preview", "view_draft", "revision", "compare", "history", "copy", "headless"]
)
def test_anonymous_reader_gets_no_admin_preview_or_history(client, article_with_draft, view):
    url = preview_urls(article_with_draft)[view]
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
    assert refused(response)
    if view == "preview":
        assert refused(client.post(url, {"title_en": "x"}))


@pytest.mark.parametrize(
    "view", ["preview", "view_draft", "revision", "compare", "history", "copy", "headless"]
)
def test_editor_without_rights_on_the_page_is_refused(reviewer, article_with_draft, view):
    url = preview_urls(article_with_draft)[view]
    response = reviewer.get(url)
    assert refused(response), (url, response.status_code)
    assert response.status_code != 200


def test_copy_post_by_editor_without_rights_copies_nothing(
    reviewer, article_with_draft, article_index, therapy_index
):
    from wagtail.models import Page

    before = Page.objects.count()
    response = reviewer.post(
        reverse("wagtailadmin_pages:copy", args=(article_with_draft.pk,)),
        {
            "new_title": "Stolen",
            "new_slug": "stolen",
            "new_parent_page": therapy_index.pk,
            "copy_subpages": "",
            "publish_copies": "on",
        },
    )
    assert refused(response)
    assert Page.objects.count() == before


def test_the_same_editor_may_use_history_on_their_own_section(reviewer, prp):
    """The control: the refusals above come from page permissions, not from a broken login."""
    assert reviewer.get(reverse("wagtailadmin_pages:history", args=(prp.pk,))).status_code == 200
    assert reviewer.get(reverse("wagtailadmin_pages:view_draft", args=(prp.pk,))).status_code == 200


def test_doctor_search_in_the_admin_works_with_a_short_query(admin_client, doctor):
    """The same snippet search with an everyday query finds the doctor (on SQLite too)."""
    response = admin_client.get("/admin/snippets/therapies/doctor/", {"q": "Võ"})
    assert response.status_code == 200
    assert "Võ Thanh Sang" in response.content.decode()
