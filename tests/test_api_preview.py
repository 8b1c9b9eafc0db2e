"""An editor previews a draft on the external site through a signed, expiring token."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import override_settings

from cms.api.preview import SALT, make_token

from . import factories

pytestmark = pytest.mark.django_db


def test_preview_returns_the_latest_draft_in_the_published_shape(client, prp):
    prp.summary_vi = "Bản nháp chưa xuất bản."
    prp.save_revision()  # a draft, not published
    public = client.get(f"/api/v1/pages/{prp.pk}/?lang=vi").json()
    assert public["summary"] == "Huyết tương giàu tiểu cầu được tách từ máu của chính bạn."
    response = client.get(f"/api/v1/preview/?token={make_token(prp)}&lang=vi")
    assert response.status_code == 200
    data = response.json()
    assert data["summary"] == "Bản nháp chưa xuất bản."
    assert data["type"] == "therapy" and data["lang"] == "vi"
    assert set(data) == set(public)


def test_preview_of_a_never_published_page(client, therapy_index):
    draft = factories.make_therapy(
        therapy_index, "Draft", "draft", "Bản nháp", "ban-nhap", publish=False
    )
    draft.save_revision()
    assert client.get(f"/api/v1/pages/{draft.pk}/").status_code == 404
    response = client.get(f"/api/v1/preview/?token={make_token(draft)}&lang=all")
    assert response.status_code == 200
    assert response.json()["languages"]["vi"]["title"] == "Bản nháp"


def test_tampered_and_expired_tokens_are_refused(client, prp):
    token = make_token(prp)
    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    response = client.get(f"/api/v1/preview/?token={tampered}")
    assert response.status_code == 403 and response.json()["detail"] == "Invalid preview token."
    other_salt = signing.TimestampSigner(salt="something-else").sign_object({"page": prp.pk})
    assert client.get(f"/api/v1/preview/?token={other_salt}").status_code == 403
    with override_settings(HEADLESS_PREVIEW_TOKEN_MAX_AGE=-1):
        response = client.get(f"/api/v1/preview/?token={token}")
    assert response.status_code == 403 and "expired" in response.json()["detail"]


def test_token_for_a_deleted_page_is_a_404(client, prp):
    token = make_token(prp)
    prp.delete()
    response = client.get(f"/api/v1/preview/?token={token}")
    assert response.status_code == 404 and response.json()["detail"]


@override_settings(HEADLESS_PREVIEW_URL="https://front.example/preview?site=clinic")
def test_editor_opens_headless_preview_from_the_page_editor(admin_client, prp):
    edit = admin_client.get(f"/admin/pages/{prp.pk}/edit/")
    assert edit.status_code == 200
    preview_link = f"/admin/headless-preview/{prp.pk}/"
    assert preview_link.encode() in edit.content
    assert b"Headless preview" in edit.content
    response = admin_client.get(preview_link + "?lang=vi")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "front.example", "/preview")
    query = parse_qs(target.query)
    assert query["site"] == ["clinic"] and query["lang"] == ["vi"]
    token = query["token"][0]
    assert signing.TimestampSigner(salt=SALT).unsign_object(token) == {"page": prp.pk}
    api = admin_client.get(f"/api/v1/preview/?token={token}&lang=vi")
    assert api.json()["title"] == "PRP (huyết tương giàu tiểu cầu)"


def test_only_editors_get_preview_tokens(client, prp, django_user_model):
    assert client.get(f"/admin/headless-preview/{prp.pk}/").status_code == 302  # to login
    user = django_user_model.objects.create_user("reader", "r@example.com", "pw")
    client.force_login(user)
    response = client.get(f"/admin/headless-preview/{prp.pk}/")
    assert response.status_code in (302, 403)
    assert "token=" not in response.get("Location", "")
