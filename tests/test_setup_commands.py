"""The set-up commands a new user runs through `make run`, and the production checks."""

import json
import os
import secrets
import sqlite3
import subprocess
import sys
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from wagtail.models import Site

from home.models import ClinicSettings, HomePage
from therapies.models import ArticlePage, Doctor, TherapyPage

BASE_DIR = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_demo_loader_runs_twice_and_builds_the_bilingual_site(client):
    # As `make run` does: fill the translation columns of Wagtail's placeholder page first.
    call_command("update_translation_fields", stdout=StringIO())
    call_command("load_demo_content", stdout=StringIO())
    call_command("load_demo_content", stdout=StringIO())

    assert HomePage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert set(TherapyPage.objects.values_list("slug_vi", flat=True)) == {"prp", "exosome"}
    assert ArticlePage.objects.count() == 1
    assert Doctor.objects.get().credentials_vi == "Bác sĩ Chuyên khoa I"
    assert Doctor.objects.get().name == "Võ Thanh Sang"

    article = ArticlePage.objects.get()
    types = [block.block_type for block in article.body_vi]
    for block_type in (
        "comparison",
        "doctor_quote",
        "claims_warning",
        "safety_notes",
        "call_to_action",
    ):
        assert block_type in types
    comparison = next(b for b in article.body_en if b.block_type == "comparison").value
    assert len(comparison["rows"]) == 5
    quote = next(b for b in article.body_en if b.block_type == "doctor_quote").value
    assert quote["context"] == "Summarised from the clinic's article on PRP and exosomes."

    # Every demo page is complete in both languages and passes the red-flag claims gate.
    from wagtail.models import Page as WagtailPage

    from cms.translations import missing_fields

    for page in WagtailPage.objects.live().filter(depth__gt=1).specific():
        assert missing_fields(page, "en") == [] and missing_fields(page, "vi") == [], page
    call_command("check_claims", stdout=StringIO())  # exits non-zero on any hit

    clinic = ClinicSettings.objects.get()
    assert clinic.hotline == "079 7479 222" and clinic.zalo_url.startswith("https://zalo.me/")

    html = client.get("/vi/bai-viet/exosome-va-prp/").content.decode()
    assert "Thẩm định y khoa: Võ Thanh Sang, Bác sĩ Chuyên khoa I — ngày " in html
    english = client.get("/en/articles/exosomes-vs-prp/").content.decode()
    assert "Medically reviewed by Võ Thanh Sang, Level I Specialist, on " in english
    assert "Chuẩn hóa và quản lý" in html  # a comparison dimension in Vietnamese
    assert client.get("/en/therapies/exosomes/").status_code == 200


@pytest.mark.django_db
def test_local_admin_password_is_random_and_shown_once(monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    first, second = StringIO(), StringIO()
    call_command("ensure_local_admin", stdout=first)
    call_command("ensure_local_admin", stdout=second)
    password = first.getvalue().split("password: ")[1].split()[0]
    assert len(password) >= 12
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert password not in second.getvalue() and "already exists" in second.getvalue()


@pytest.mark.django_db
def test_local_admin_password_from_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "chosen-by-the-user-42")
    out = StringIO()
    call_command("ensure_local_admin", stdout=out)
    assert "chosen-by-the-user-42" not in out.getvalue()
    assert get_user_model().objects.get(username="admin").check_password("chosen-by-the-user-42")


def test_sqlite_backup_copies_the_existing_database(tmp_path):
    db = tmp_path / "db.sqlite3"
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("CREATE TABLE page (title TEXT)")
        connection.execute("INSERT INTO page VALUES ('Liệu pháp PRP')")
        connection.commit()
    call_command("backup_sqlite", source=str(db), dir=str(tmp_path / "backups"), stdout=StringIO())
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1
    with closing(sqlite3.connect(backups[0])) as copy:
        assert copy.execute("SELECT title FROM page").fetchall() == [("Liệu pháp PRP",)]


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = dict(
        os.environ,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cms.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--settings=cms.settings.production"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--settings=cms.settings.production"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_make_run_sets_the_site_to_the_address_it_serves(client):
    """canonical, hreflang, sitemap, robots.txt and the API's urls all use http://127.0.0.1:8000/."""
    call_command("update_translation_fields", stdout=StringIO())
    call_command("load_demo_content", stdout=StringIO())
    out = StringIO()
    call_command("set_site_address", "127.0.0.1", "8000", stdout=out)
    assert "http://127.0.0.1:8000/" in out.getvalue()

    base = "http://127.0.0.1:8000"
    host = {"HTTP_HOST": "127.0.0.1:8000"}
    html = client.get("/vi/bai-viet/exosome-va-prp/", **host).content.decode()
    assert f'<link rel="canonical" href="{base}/vi/bai-viet/exosome-va-prp/">' in html
    assert f'hreflang="en" href="{base}/en/articles/exosomes-vs-prp/"' in html
    sitemap = client.get("/sitemap.xml", **host).content.decode()
    assert f"<loc>{base}/vi/lieu-phap/prp/</loc>" in sitemap and "localhost" not in sitemap
    assert f"Sitemap: {base}/sitemap.xml" in client.get("/robots.txt", **host).content.decode()
    page = client.get("/api/v1/pages/find/?path=/vi/lieu-phap/prp/", **host).json()
    assert page["url"] == f"{base}/vi/lieu-phap/prp/"
    assert "localhost" not in json.dumps(page)


def test_make_run_sets_the_site_address_before_serving():
    result = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=8123"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = result.stdout.splitlines()
    setting = next(i for i, line in enumerate(lines) if "set_site_address 127.0.0.1 8123" in line)
    serving = next(i for i, line in enumerate(lines) if "runserver 127.0.0.1:8123" in line)
    loading = next(i for i, line in enumerate(lines) if "load_demo_content" in line)
    assert loading < setting < serving


@pytest.mark.parametrize("hostname,port", [("", 8000), ("http://x.org", 80), ("x.org", 0)])
@pytest.mark.django_db
def test_set_site_address_refuses_what_is_not_an_address(hostname, port):
    with pytest.raises(CommandError):
        call_command("set_site_address", hostname, str(port), stdout=StringIO())


@pytest.mark.django_db
def test_check_deploy_fails_while_the_site_is_wagtails_placeholder():
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)  # as migrations create it
    with pytest.raises(SystemCheckError, match="cms.E001"):
        call_command("check", "--deploy", stdout=StringIO(), stderr=StringIO())
    call_command("set_site_address", "cms.example.org", "443", stdout=StringIO())
    call_command("check", "--deploy", "--fail-level=ERROR", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_production_start_up_refuses_the_placeholder_site(settings):
    import importlib
    import sys

    settings.REFUSE_PLACEHOLDER_SITE = True
    sys.modules.pop("cms.wsgi", None)
    try:
        with pytest.raises(ImproperlyConfigured, match="localhost"):
            importlib.import_module("cms.wsgi")
    finally:
        sys.modules.pop("cms.wsgi", None)
    from cms.checks import refuse_placeholder_site

    call_command("set_site_address", "127.0.0.1", "8000", stdout=StringIO())
    refuse_placeholder_site()  # a real (loopback) address: starts
