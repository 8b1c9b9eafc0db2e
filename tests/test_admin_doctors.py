"""Editors manage the Doctor snippet in the admin."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_editor_finds_a_doctor_by_name_or_vietnamese_credentials(admin_client, doctor):
    url = reverse("wagtailsnippets_therapies_doctor:list")
    for query in ("Võ Thanh", "Chuyên khoa", "Level I"):
        response = admin_client.get(url, {"q": query})
        assert response.status_code == 200, query
        assert "Võ Thanh Sang" in response.content.decode(), query
    assert "Võ Thanh Sang" not in admin_client.get(url, {"q": "zzz"}).content.decode()
    assert admin_client.get(url, {"q": "x" * 10000}).status_code == 200
