"""The set-up commands a new user runs through `make run`, and the production checks."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
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
    assert "Thẩm định y khoa: Võ Thanh Sang, Bác sĩ Chuyên khoa I — Ngày " in html
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
    db.write_bytes(b"SQLite format 3\x00 pretend content")
    call_command("backup_sqlite", source=str(db), dir=str(tmp_path / "backups"), stdout=StringIO())
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1 and backups[0].read_bytes() == db.read_bytes()


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
