"""The admin `make run` creates can switch itself to Vietnamese from its account page.

The test posts the account page the way a browser does: every field with the value the page
shows, and only the language changed.
"""

from html.parser import HTMLParser
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db


class AccountForm(HTMLParser):
    """The values a browser would post from the account page's form."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def switch_to_vietnamese(user):
    client = Client()
    client.force_login(user)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    form = AccountForm()
    form.feed(page.content.decode())
    assert "locale-preferred_language" in form.data
    form.data["locale-preferred_language"] = "vi"
    return client, client.post("/admin/account/", form.data, follow=True)


def local_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "chosen-by-the-user-42")
    call_command("ensure_local_admin", stdout=StringIO())
    return get_user_model().objects.get(username="admin")


def test_make_run_admin_switches_the_admin_to_vietnamese(monkeypatch, home):
    admin = local_admin(monkeypatch)
    client, response = switch_to_vietnamese(admin)
    html = response.content.decode()
    assert response.redirect_chain == [("/admin/account/", 302)]
    assert "Bắt buộc" not in html and "This field is required." not in html
    assert UserProfile.get_for_user(admin).preferred_language == "vi"
    assert '<html lang="vi"' in client.get("/admin/").content.decode()


def test_rerun_names_an_admin_created_without_a_name(monkeypatch, home):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "chosen-by-the-user-42")
    old = get_user_model().objects.create_superuser("admin", "admin@localhost", "old-password-1")
    out = StringIO()
    call_command("ensure_local_admin", stdout=out)
    old.refresh_from_db()
    assert old.first_name and old.last_name
    assert old.check_password("old-password-1")  # the password is not touched
    assert "already exists" in out.getvalue()
    assert UserProfile.get_for_user(old).preferred_language != "vi"
    _, response = switch_to_vietnamese(old)
    assert response.redirect_chain == [("/admin/account/", 302)]
    assert UserProfile.get_for_user(old).preferred_language == "vi"


def test_rerun_keeps_a_name_the_admin_chose(monkeypatch):
    admin = local_admin(monkeypatch)
    admin.first_name, admin.last_name = "Thanh Sang", "Võ"
    admin.save()
    call_command("ensure_local_admin", stdout=StringIO())
    admin.refresh_from_db()
    assert (admin.first_name, admin.last_name) == ("Thanh Sang", "Võ")
