"""Someone guessing a page's or a collection's privacy password is stopped like at the admin login.

Wagtail's privacy password forms (a page with a password restriction, a document in a
password-protected collection) are counted by django-axes per restriction and address
(cms.privacy_passwords): after AXES_FAILURE_LIMIT wrong passwords the address is refused for
that restriction, right password included, with the lockout page in the reader's language.
"""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from .security_fixtures import PASSWORD, secret_article

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
LOCKED_EN = "For your security, this form is locked for 15 minutes. Please try again later."
LOCKED_VI = "Để bảo mật, biểu mẫu này tạm khóa trong 15 phút. Vui lòng thử lại sau."


@pytest.fixture
def private_page(article_index):
    page = secret_article(article_index, "members")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    return page, restriction


@pytest.fixture
def other_private_page(article_index):
    page = secret_article(article_index, "staff")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    return page, restriction


def page_password(client, private_page, password, lang="en"):
    page, restriction = private_page
    url = f"/{lang}/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    return client.post(url, {"password": password, "return_url": page.get_url()})


def sees_page(client, private_page, lang="en"):
    page, _ = private_page
    with translation.override(lang):
        url = page.get_url()
    html = client.get(url).content.decode()
    return "SECRET" in html or "BÍ MẬT" in html


def test_the_limit_is_the_admin_logins(private_page):
    assert LIMIT == 5 and settings.AXES_LOCKOUT_TEMPLATE == "lockout.html"


def test_right_page_password_is_refused_after_five_wrong_ones(private_page):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(LIMIT - 1):
        response = page_password(attacker, private_page, f"guess-{attempt}")
        assert response.status_code == 200  # the form again, with an error
        assert "The password you have entered is not correct" in response.content.decode()
    locked = page_password(attacker, private_page, "guess-last")
    assert locked.status_code == 429
    assert LOCKED_EN in locked.content.decode()
    refused = page_password(attacker, private_page, PASSWORD)
    assert refused.status_code == 429 and "SECRET" not in refused.content.decode()
    assert not sees_page(attacker, private_page)
    # Another address with the right password is not affected.
    reader = Client(REMOTE_ADDR="198.51.100.20")
    assert page_password(reader, private_page, PASSWORD).status_code == 302
    assert sees_page(reader, private_page)


def test_vietnamese_reader_is_told_in_vietnamese(private_page):
    attacker = Client(REMOTE_ADDR="203.0.113.8")
    for attempt in range(LIMIT):
        page_password(attacker, private_page, f"đoán-{attempt}", lang="vi")
    refused = page_password(attacker, private_page, PASSWORD, lang="vi")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert LOCKED_VI in html and '<html lang="vi">' in html
    assert "Nhập sai mật khẩu quá nhiều lần" in html
    assert not sees_page(attacker, private_page, lang="vi")


def test_lockout_is_for_that_restriction(private_page, other_private_page):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for attempt in range(LIMIT):
        page_password(attacker, private_page, f"guess-{attempt}")
    assert page_password(attacker, private_page, PASSWORD).status_code == 429
    assert page_password(attacker, other_private_page, PASSWORD).status_code == 302
    assert sees_page(attacker, other_private_page)


def test_a_right_password_resets_the_count(private_page):
    reader = Client(REMOTE_ADDR="198.51.100.21")
    for attempt in range(LIMIT - 1):
        page_password(reader, private_page, f"typo-{attempt}")
    assert page_password(reader, private_page, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    # The full number of tries again (a new browser, without the first one's session).
    again = Client(REMOTE_ADDR="198.51.100.21")
    for attempt in range(LIMIT - 1):
        assert page_password(again, private_page, f"typo-again-{attempt}").status_code == 200
    assert page_password(again, private_page, PASSWORD).status_code == 302
    assert sees_page(again, private_page)
    # Counting goes on from zero: the limit's worth of failures locks again.
    late = Client(REMOTE_ADDR="198.51.100.21")
    for attempt in range(LIMIT):
        page_password(late, private_page, f"typo-late-{attempt}")
    assert page_password(late, private_page, PASSWORD).status_code == 429


# Documents in a password-protected collection ---------------------------------------------


@pytest.fixture
def staff_document(db):
    staff = Collection.get_first_root_node().add_child(name="Staff only")
    restriction = CollectionViewRestriction.objects.create(
        collection=staff, restriction_type=CollectionViewRestriction.PASSWORD, password=PASSWORD
    )
    document = get_document_model().objects.create(
        title="Rota", collection=staff, file=ContentFile(b"CONFIDENTIAL rota", name="rota.txt")
    )
    return document, restriction


def document_password(client, staff_document, password):
    document, restriction = staff_document
    url = f"/documents/authenticate_with_password/{restriction.pk}/"
    return client.post(url, {"password": password, "return_url": document.url})


def reads_document(client, staff_document):
    response = client.get(staff_document[0].url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body == b"CONFIDENTIAL rota"


def test_right_document_password_is_refused_after_five_wrong_ones(staff_document):
    attacker = Client(REMOTE_ADDR="203.0.113.10", HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9")
    for attempt in range(LIMIT - 1):
        assert document_password(attacker, staff_document, f"đoán-{attempt}").status_code == 200
    assert document_password(attacker, staff_document, "đoán-cuối").status_code == 429
    refused = document_password(attacker, staff_document, PASSWORD)
    assert refused.status_code == 429 and LOCKED_VI in refused.content.decode()
    assert not reads_document(attacker, staff_document)
    # English readers get English; another address is not affected.
    english = Client(REMOTE_ADDR="203.0.113.10", HTTP_ACCEPT_LANGUAGE="en")
    assert LOCKED_EN in document_password(english, staff_document, PASSWORD).content.decode()
    reader = Client(REMOTE_ADDR="198.51.100.22")
    assert document_password(reader, staff_document, PASSWORD).status_code == 302
    assert reads_document(reader, staff_document)


def test_a_right_document_password_resets_the_count(staff_document):
    for round_ in range(2):
        reader = Client(REMOTE_ADDR="198.51.100.23")
        for attempt in range(LIMIT - 1):
            document_password(reader, staff_document, f"typo-{round_}-{attempt}")
        assert document_password(reader, staff_document, PASSWORD).status_code == 302
        assert reads_document(reader, staff_document)
    for attempt in range(LIMIT):
        document_password(reader, staff_document, f"typo-late-{attempt}")
    assert document_password(reader, staff_document, PASSWORD).status_code == 429


def test_admin_login_lockout_page_is_translated_too(db):
    attacker = Client(REMOTE_ADDR="203.0.113.11")
    for attempt in range(LIMIT):
        attacker.post("/admin/login/", {"username": "lan", "password": f"guess-{attempt}"})
    response = attacker.post("/admin/login/", {"username": "lan", "password": "x"})
    assert response.status_code == 429 and LOCKED_EN in response.content.decode()
