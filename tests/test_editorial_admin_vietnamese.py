"""A Vietnamese-speaking editor sees the editorial safeguards in Vietnamese."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.users.models import UserProfile

from .admin_forms import article_form, paragraph
from .editorial_fixtures import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def vietnamese_publisher_client(publisher, publisher_client):
    profile = UserProfile.get_for_user(publisher)
    profile.preferred_language = "vi"
    profile.save()
    return publisher_client


def test_panel_reports_and_refusal_are_in_vietnamese(vietnamese_publisher_client, article):
    client = vietnamese_publisher_client
    edit = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    html = client.get(edit).content.decode()
    assert "Tình trạng bản dịch" in html and "Tình trạng thẩm định y khoa" in html
    assert "Tiếng Việt" in html

    form = article_form(
        article.title_en,
        article.slug_en,
        article.title_vi,
        article.slug_vi,
        body_en=[paragraph("<p>PRP comes from your own blood.</p>")],
        body_vi=[paragraph("<p>Cam kết hiệu quả sau một lần.</p>")],
    )
    response = client.post(edit, form)
    [error] = [
        str(m.message) for m in get_messages(response.wsgi_request) if m.level_tag == "error"
    ]
    assert "chưa xuất bản vì có lời quảng cáo bị gắn cờ" in error
    assert "Tiếng Việt" in error and "cam kết hiệu quả" in error

    assert (
        "Bản dịch còn thiếu"
        in client.get(reverse("editorial:missing_translations")).content.decode()
    )
    assert "Thẩm định đến hạn" in client.get(reverse("editorial:reviews_due")).content.decode()
