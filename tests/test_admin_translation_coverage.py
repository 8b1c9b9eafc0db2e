"""The Wagtail admin in Vietnamese: how much of it is translated, and editors really see it.

Wagtail's own vi catalogue covers about a fifth of the admin; locale/wagtail/vi/ supplies the rest.
Figures come from `manage.py admin_translation_coverage` (see docs/ADMIN_TRANSLATION.md); the
.mo files must be compiled first (`make test` runs `manage.py compilemessages`).
"""

import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from home.management.commands.admin_translation_coverage import parse_po

# Measured with Wagtail 8.0.1: Wagtail alone 360/1789 msgids (20.1%); with locale/wagtail
# 1788/1789 (99.9%). The floor leaves room for a Wagtail upgrade adding a few strings, not for
# losing the supplement.
COVERAGE_FLOOR = 95.0
MIN_GAIN_POINTS = 50.0
SUPPLEMENT = Path(settings.BASE_DIR) / "locale" / "wagtail" / "vi" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfi]|\{\w*\}")


def run(*args):
    out = io.StringIO()
    call_command("admin_translation_coverage", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def coverage():
    return json.loads(run("--json"))


def test_supplement_is_compiled(coverage):
    compiled = {item["catalogue"]: item["compiled"] for item in coverage["project"]}
    for name in ("django.po", "djangojs.po"):
        key = f"locale/wagtail/vi/LC_MESSAGES/{name}"
        assert compiled.get(key), f"{key} is not compiled: run `manage.py compilemessages` first"


def test_vietnamese_coverage_is_well_above_wagtail_alone(coverage):
    total = coverage["wagtail"]["total"]
    assert total["total"] > 1000  # the English catalogues were found and parsed
    assert total["with_project_percent"] >= COVERAGE_FLOOR
    assert total["with_project_percent"] - total["wagtail_only_percent"] >= MIN_GAIN_POINTS
    apps = {row["app"]: row for row in coverage["wagtail"]["apps"]}
    expected = {
        "wagtail",
        "wagtail.admin",
        "wagtail.images",
        "wagtail.documents",
        "wagtail.snippets",
    }
    assert expected <= set(apps)
    assert apps["wagtail.admin"]["with_project_percent"] >= COVERAGE_FLOOR
    for row in coverage["wagtail"]["apps"]:
        # The supplement never takes a translation away.
        assert row["with_project"] >= row["wagtail_only"], row
    (js,) = coverage["wagtail"]["javascript"]
    assert js["with_project_percent"] >= COVERAGE_FLOOR > js["wagtail_only_percent"]


def test_before_reports_wagtail_alone(coverage):
    total = coverage["wagtail"]["total"]
    text = run("--before")
    assert re.search(rf"TOTAL\s+{total['wagtail_only']}/{total['total']}\s", text)
    assert f"{total['with_project']}/{total['total']}" not in text
    both = run()
    before, after = total["wagtail_only"], total["with_project"]
    assert re.search(rf"TOTAL\s+{before}/{total['total']}\s.*{after}/", both)


def test_every_project_string_is_translated(coverage):
    run("--check")  # raises CommandError (exit status 1) on an untranslated project string
    catalogues = {item["catalogue"]: item for item in coverage["project"]}
    assert "locale/vi/LC_MESSAGES/django.po" in catalogues
    assert "locale/wagtail/vi/LC_MESSAGES/django.po" in catalogues
    for item in catalogues.values():
        assert item["untranslated"] == [], item["catalogue"]


def test_check_fails_on_an_untranslated_or_fuzzy_string(tmp_path, settings):
    catalogue = tmp_path / "vi" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    (catalogue / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: vi\\n"\n\n'
        'msgid "Translated"\nmsgstr "Đã dịch"\n\n'
        'msgid "Forgotten"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guessed"\nmsgstr "Đoán"\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, tmp_path]
    with pytest.raises(CommandError, match="2 string"):
        run("--check")
    project = json.loads(run("--json"))["project"]
    (item,) = [i for i in project if i["catalogue"].startswith(str(tmp_path))]
    assert (item["total"], item["translated"]) == (3, 1)


def test_po_parser_handles_multiline_plural_and_context(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        '# header comment\nmsgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Deleted %(n)s "\n"\\"page\\""\n'
        'msgid_plural "Deleted %(n)s pages"\nmsgstr[0] ""\n"Đã xóa %(n)s trang"\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "Mở"\n\n'
        '#~ msgid "Old"\n#~ msgstr "Cũ"\n',
        encoding="utf-8",
    )
    plural, context = parse_po(po)
    assert plural.msgid == 'Deleted %(n)s "page"'
    assert plural.msgid_plural == "Deleted %(n)s pages"
    assert plural.msgstr == {0: "Đã xóa %(n)s trang"} and plural.translated
    assert "python-format" in plural.flags
    assert context.key == "menu\x04Open"


@pytest.mark.parametrize("name", ["django.po", "djangojs.po"])
def test_supplement_keeps_placeholders_and_is_nfc(name):
    entries = parse_po(SUPPLEMENT / name)
    assert len(entries) > (1000 if name == "django.po" else 50)
    header = (SUPPLEMENT / name).read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in header
    for entry in entries:
        source = entry.msgid_plural or entry.msgid
        assert list(entry.msgstr) == [0], entry.msgid  # Vietnamese has a single plural form
        text = entry.msgstr[0]
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), entry.msgid
        assert unicodedata.normalize("NFC", text) == text, entry.msgid


@pytest.fixture
def vietnamese_editor(admin_client, django_user_model):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    return admin_client


@pytest.mark.django_db
def test_page_explorer_in_vietnamese(vietnamese_editor, article):
    url = reverse("wagtailadmin_explore", args=(article.get_parent().pk,))
    html = vietnamese_editor.get(url).content.decode()
    assert "Thêm trang con" in html  # "Add child page", missing from Wagtail's vi catalogue
    assert "Add child page" not in html


@pytest.mark.django_db
def test_page_editor_in_vietnamese(vietnamese_editor, article):
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    html = vietnamese_editor.get(url).content.decode()
    assert "Lưu bản nháp" in html  # "Save draft"
    assert "Save draft" not in html


@pytest.mark.django_db
def test_streamfield_javascript_strings_in_vietnamese(vietnamese_editor):
    js = vietnamese_editor.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    strings = [("Duplicate", "Nhân bản"), ("Move up", "Chuyển lên"), ("Move down", "Chuyển xuống")]
    for english, vietnamese in strings:
        assert json.dumps(english) in js and json.dumps(vietnamese, ensure_ascii=True) in js


def test_gettext_uses_the_supplement():
    with translation.override("vi"):
        assert translation.gettext("Save draft") == "Lưu bản nháp"
        deleted = translation.ngettext("Delete 1 page", "Delete %(counter)s pages", 3)
        assert deleted % {"counter": 3} == "Xóa 3 trang"
