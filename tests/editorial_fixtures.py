"""Fixtures for the editorial safeguards: people in the groups the data migration creates."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client

from editorial.claims import forget_phrases

from . import factories


@pytest.fixture(autouse=True)
def _fresh_claim_cache():
    """The phrase list is cached; a test that adds a claim must not leak it into the next test."""
    forget_phrases()
    yield
    forget_phrases()
    cache.clear()


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def make_user(django_user_model, username, *groups, perms=()):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.com", "pw-for-tests-only"
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    for codename in perms:
        app_label, codename = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def publisher(django_user_model):
    """Can publish (Wagtail's Moderators group) but holds no override permission."""
    return make_user(django_user_model, "publisher", "Moderators")


@pytest.fixture
def publisher_client(publisher):
    return _client_for(publisher)


@pytest.fixture
def overrider(django_user_model):
    return make_user(
        django_user_model, "chief-editor", "Moderators", perms=["editorial.publish_despite_claims"]
    )


@pytest.fixture
def overrider_client(overrider):
    return _client_for(overrider)


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "editor-vi", "Editors")


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def reviewer(django_user_model):
    """A doctor in the Medical reviewers group, linked to her Doctor profile."""
    user = make_user(django_user_model, "dr-lan", "Medical reviewers")
    factories.DoctorFactory(
        name="Nguyễn Thị Lan",
        credentials_en="Level II Specialist",
        credentials_vi="Bác sĩ Chuyên khoa II",
        user=user,
    )
    return user


@pytest.fixture
def reviewer_client(reviewer):
    return _client_for(reviewer)
