"""Someone guessing an editor's password at /admin/login/ is stopped after a few tries.

django-axes counts failures per (username, address) and refuses that pair, right password
included, once AXES_FAILURE_LIMIT is reached.
"""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-42"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("lan", "lan@example.com", PASSWORD)


def login(client, password, username="lan"):
    return client.post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
    )


def is_logged_in(client):
    return client.get("/admin/").status_code == 200


def test_the_limit_is_five_failures():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert "axes.middleware.AxesMiddleware" == settings.MIDDLEWARE[-1]


def test_right_password_is_refused_after_five_wrong_ones(editor):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(attacker, f"guess-{attempt}")
        assert response.status_code == 200  # the login form again, with an error
        assert not is_logged_in(attacker)
    locked = login(attacker, "guess-last")
    assert locked.status_code == 429
    refused = login(attacker, PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in attacker.session
    assert not is_logged_in(attacker)


def test_fewer_failures_than_the_limit_still_let_the_editor_in_and_reset_the_count(editor):
    client = Client(REMOTE_ADDR="198.51.100.20")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, f"typo-{attempt}")
    response = login(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert is_logged_in(client)
    # The success reset the count: the editor again has the full number of tries.
    client.logout()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, f"typo-again-{attempt}").status_code == 200
    assert login(client, PASSWORD).status_code == 302


def test_lockout_is_for_that_username_from_that_address(editor, django_user_model):
    django_user_model.objects.create_superuser("minh", "minh@example.com", PASSWORD)
    attacker = Client(REMOTE_ADDR="203.0.113.8")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, f"guess-{attempt}")
    assert login(attacker, PASSWORD).status_code == 429
    # The real editor at the clinic, and a colleague at the attacker's address, are not locked out.
    assert login(Client(REMOTE_ADDR="198.51.100.21"), PASSWORD).status_code == 302
    assert login(attacker, PASSWORD, username="minh").status_code == 302


def test_unknown_usernames_are_throttled_too(db):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, f"guess-{attempt}", username="admin")
    assert login(attacker, "anything", username="admin").status_code == 429


def test_force_login_in_tests_is_not_affected(admin_client):
    assert admin_client.get("/admin/").status_code == 200
