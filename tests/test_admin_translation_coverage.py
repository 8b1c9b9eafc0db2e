"""The admin in Vietnamese: every string an editor reads is counted, and all are translated.

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
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from home.admin_i18n.coverage import measure
from home.admin_i18n.extract import script_literals, template_literals
from home.admin_i18n.po import parse_po

SUPPLEMENT = Path(settings.BASE_DIR) / "locale" / "wagtail" / "vi" / "LC_MESSAGES"
APPS_SUPPLEMENT = Path(settings.BASE_DIR) / "locale" / "apps" / "vi" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfi]|\{\w*\}")
# A message of each source that an editor reads: each source is really counted.
COUNTED = {
    ("django", "django"): ["This field is required.", ("%(num)d minute", 0)],
    ("django", "django.contrib.auth"): [
        ("This password is too short. It must contain at least %d character.", 0)
    ],
    ("wagtail", "wagtail.admin"): ["Save draft", "Submit to %(workflow_name)s"],
    ("wagtail", "wagtail.admin (JavaScript)"): ["Delete error"],
    ("apps", "wagtail_modeltranslation"): ["View / edit fields for", "New parent page"],
    ("apps", "taggit"): ["A comma-separated list of tags."],
    ("apps", "axes"): ["Account locked: too many login attempts. Please try again later."],
    ("project", "editorial"): [],
    ("project", "webhooks"): ["Webhook deliveries"],
    ("literals", "wagtail_modeltranslation/js/copy_stream_fields.js (overridden)"): [
        "Copy content from"
    ],
    ("literals", "wagtailembeds/embed_editor.html (overridden)"): ["Provider:"],
}


def run(*args):
    out = io.StringIO()
    call_command("admin_translation_coverage", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def coverage():
    return json.loads(run("--json"))


@pytest.fixture(scope="module")
def measured():
    return measure()


def test_supplements_are_compiled(coverage):
    compiled = {item["catalogue"]: item["compiled"] for item in coverage["project_catalogues"]}
    for directory in ("wagtail", "apps"):
        for name in ("django.po", "djangojs.po"):
            key = f"locale/{directory}/vi/LC_MESSAGES/{name}"
            assert compiled.get(key), f"{key} is not compiled: run `manage.py compilemessages`"


def test_every_string_an_editor_reads_is_vietnamese(coverage):
    total = coverage["total"]
    assert total["total"] > 2500, total  # every source was found and parsed
    assert total["missing"] == [] and total["with_project_percent"] == 100.0
    for source, data in coverage["sources"].items():
        assert data["rows"], f"nothing counted for {source}"
        assert data["total"]["with_project_percent"] == 100.0, (source, data["total"]["missing"])
        for row in data["rows"]:
            # The project's catalogues never take a translation away.
            assert row["with_project"] >= row["without_project"], row


@pytest.mark.parametrize(("source", "row"), COUNTED)
def test_each_source_counts_what_editors_read(measured, source, row):
    rows = {r.name: r for r in measured[source]}
    assert row in rows, sorted(rows)
    assert rows[row].total > 0
    for key in COUNTED[(source, row)]:
        assert key in rows[row].keys, key


def test_sources_leave_out_what_no_editor_reads(measured):
    apps = {row.name for row in measured["apps"]}
    assert not apps & {"ninja", "corsheaders", "csp"}
    (django,) = [row for row in measured["django"] if row.name == "django"]
    assert "The install worked successfully! Congratulations!" not in django.keys
    assert "Vietnamese" in django.keys and "Afrikaans" not in django.keys
    # Django's admin is not installed: axes' records and taggit's admin screen are never shown.
    axes = {label for row in measured["apps"] if row.name == "axes" for label in row.labels}
    assert "access attempt" not in axes
    literals = {row.name for row in measured["literals"]}
    assert not any(name.startswith("admin/") for name in literals)


def test_before_reports_upstream_alone(coverage):
    total = coverage["total"]
    text = run("--before")
    assert re.search(rf"TOTAL\s+{total['without_project']}/{total['total']}\s", text)
    assert f"{total['with_project']}/{total['total']}" not in text
    both = run()
    before, after = total["without_project"], total["with_project"]
    assert re.search(rf"TOTAL\s+{before}/{total['total']}\s.*{after}/", both)
    assert "Text outside gettext" in both and "copy_stream_fields.js (overridden)" in both


def test_text_outside_gettext_is_found():
    template = (
        '{% load i18n %}<nav aria-label="Actions" class="w-flex">{{ actions }}</nav>\n'
        '<p>{% translate "URL" %}: {{ url }}</p><p>Provider: {{ name }}</p>'
        "{% blocktranslate %}Copy {{ title }}{% endblocktranslate %}"
        "{% fragment as icon_name %}doc-full-inverse{% endfragment %}"
        '<script>var a = "Hi there";</script>'
    )
    assert [text for _line, text in template_literals(template)] == ["Actions", "Provider:"]
    script = (
        "var label = 'Copy content from';\n"
        "var ok = gettext('Copy content from');\n"
        "$('form .tab-content'); console.log('Something went wrong');\n"
        "el.innerHTML = '<div>' + 'Save the page' + '</div>';\n"
    )
    assert script_literals(script) == [(1, "Copy content from"), (4, "Save the page")]


def test_every_project_string_is_translated(coverage):
    run("--check")  # raises CommandError (exit status 1) on an untranslated project string
    catalogues = {item["catalogue"]: item for item in coverage["project_catalogues"]}
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
    project = json.loads(run("--json"))["project_catalogues"]
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


@pytest.mark.parametrize(
    "path",
    [SUPPLEMENT / "django.po", SUPPLEMENT / "djangojs.po", APPS_SUPPLEMENT / "django.po"],
    ids=lambda path: f"{path.parents[2].name}/{path.name}",
)
def test_supplement_keeps_placeholders_and_is_nfc(path):
    entries = parse_po(path)
    assert len(entries) > 50
    header = path.read_text(encoding="utf-8")
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
    # wagtail-modeltranslation's language picker and copy buttons (it ships no catalogue)
    assert "Xem / sửa các trường của ngôn ngữ" in html and "View / edit fields for" not in html
    assert "/static/wagtail_modeltranslation/js/copy_stream_fields.js" in html


def test_modeltranslation_script_is_the_translated_override(client):
    # The project's copy is served in place of wagtail-modeltranslation's; its label goes
    # through the admin's JavaScript catalogue.
    served = finders.find("wagtail_modeltranslation/js/copy_stream_fields.js")
    assert Path(served).is_relative_to(Path(settings.BASE_DIR) / "static")
    assert "gettext('Copy content from')" in Path(served).read_text(encoding="utf-8")


@pytest.mark.django_db
def test_streamfield_javascript_strings_in_vietnamese(vietnamese_editor):
    js = vietnamese_editor.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    strings = [
        ("Duplicate", "Nhân bản"),
        ("Move up", "Chuyển lên"),
        ("Move down", "Chuyển xuống"),
        ("Copy content from", "Sao chép nội dung từ"),
    ]
    for english, vietnamese in strings:
        assert json.dumps(english) in js and json.dumps(vietnamese, ensure_ascii=True) in js


def test_gettext_uses_the_supplement():
    with translation.override("vi"):
        assert translation.gettext("Save draft") == "Lưu bản nháp"
        deleted = translation.ngettext("Delete 1 page", "Delete %(counter)s pages", 3)
        assert deleted % {"counter": 3} == "Xóa 3 trang"
