"""A reader opens pages in English and Vietnamese."""

import pytest


@pytest.mark.django_db
def test_vietnamese_article_renders_with_diacritics(client, article):
    response = client.get("/vi/bai-viet/exosome-va-prp/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Exosome và PRP khác nhau thế nào" in html
    assert "Túi ngoại bào từ người hiến" in html
