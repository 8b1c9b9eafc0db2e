"""Files for translators' tools: a page or a section goes out as XLIFF 2.1 or PO, comes back
translated by an independent implementation (translate-toolkit), and lands as a draft."""

import io
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page, PageLogEntry, Revision

from workspace.files import IMPORT_ACTION
from workspace.models import SegmentTranslation
from workspace.workspace import STALE, TRANSLATED, Workspace

from . import factories
from .api_fixtures import link_to

pytestmark = pytest.mark.django_db

TOOL = Path(__file__).with_name("translate_toolkit_tool.py")


def toolkit(*args):
    """Run the translate-toolkit tool in an interpreter of its own (see its docstring)."""
    result = subprocess.run(
        [sys.executable, "-I", str(TOOL), *args], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout) if result.stdout.strip() else None


def export(page, file_format, tmp_path, section=False):
    path = tmp_path / f"page.{'xlf' if file_format == 'xliff' else 'po'}"
    where = "--section" if section else "--page"
    call_command(
        "export_translations", "--lang", "vi", "--format", file_format, where, str(page.pk),
        "-o", str(path), stderr=io.StringIO(),
    )  # fmt: skip
    return path


def import_file(path, *options):
    out = io.StringIO()
    call_command("import_translations", str(path), *options, stdout=out)
    return out.getvalue()


def refused(path, *options):
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_translations", str(path), *options, stdout=out)
    return out.getvalue() + str(error.value)


def latest(page):
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()


def revisions(page):
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


@pytest.fixture
def english_article(article_index, prp, exosomes):
    """An article written in English only: every Vietnamese segment is missing."""
    body = [
        {"type": "heading", "id": "h1", "value": {"text": "How PRP works", "level": "h2"}},
        {
            "type": "paragraph",
            "id": "p1",
            "value": f"<p>Read about {link_to(prp, 'PRP')} and <b>be careful</b>.</p>",
        },
    ]
    return factories.make_article(article_index, "Healing with plasma", "plasma", body_en=body)


def xliff_id(segment_id):
    return segment_id.replace("/", ":")


def unit_ids(page):
    return [segment.id for segment in Workspace(page, "vi").segments]


# -- XLIFF --------------------------------------------------------------------------------------


def test_xliff_export_is_read_by_translate_toolkit_with_inline_codes(english_article, tmp_path):
    path = export(english_article, "xliff", tmp_path)
    seen = toolkit("read", str(path))
    assert seen["target_language"] == "vi"
    units = seen["units"]
    assert set(units) == {xliff_id(s) for s in unit_ids(english_article)}
    paragraph = units["body:p1:0"]
    # Plain text flattens the codes; the rich source keeps them as <pc> with our ids.
    assert paragraph["source"] == "Read about PRP and be careful."
    assert paragraph["codes"] == [["1", "pc"], ["2", "pc"]]
    assert paragraph["target"] == ""
    # translate-toolkit looks for notes inside <segment>; XLIFF 2 puts them in <unit>.
    assert '<note category="location">Body › Paragraph</note>' in path.read_text()
    assert units["title"]["source"] == "Healing with plasma"


def test_xliff_translated_by_translate_toolkit_imports_as_one_draft_with_links_kept(
    english_article, prp, tmp_path
):
    path = export(english_article, "xliff", tmp_path)
    toolkit(
        "translate",
        str(path),
        json.dumps(
            {
                "title": {"texts": {"Healing with plasma": "Chữa lành bằng huyết tương"}},
                "body:h1:text": {"texts": {"How PRP works": "PRP hoạt động thế nào"}},
                "body:p1:0": {
                    "texts": {"Read about ": "Đọc về ", " and ": " và ", "be careful": "thận trọng"}
                },
            }
        ),
    )
    before = revisions(english_article)
    live_before = Page.objects.get(pk=english_article.pk).live_revision_id

    output = import_file(path)

    assert "3 segments in 1 pages saved as draft revisions (vi)" in output
    assert revisions(english_article) == before + 1
    page = latest(english_article)
    assert page.title_vi == "Chữa lành bằng huyết tương"
    body = page.body_vi.get_prep_value()
    assert [b["id"] for b in body] == ["h1", "p1"]
    assert body[0]["value"]["text"] == "PRP hoạt động thế nào"
    assert body[1]["value"] == (
        f'<p>Đọc về <a linktype="page" id="{prp.pk}">PRP</a> và <b>thận trọng</b>.</p>'
    )
    assert page.body_en.get_prep_value()[1]["value"].startswith("<p>Read about")
    # A draft: what readers see does not change.
    assert Page.objects.get(pk=english_article.pk).live_revision_id == live_before
    entry = PageLogEntry.objects.get(page=english_article, action=IMPORT_ACTION)
    assert entry.data["file"] == "page.xlf" and entry.data["user"] == "command line"
    assert "page.xlf" in entry.message and "command line" in entry.message
    with translation.override("vi"):
        entry = PageLogEntry.objects.get(pk=entry.pk)
        assert entry.message == "Đã nhập 3 phân đoạn vi từ “page.xlf” (bởi command line)"


def test_codes_moved_by_the_translator_keep_their_tags(
    english_article, prp, tmp_path, admin_client
):
    """The tool reverses the runs: Vietnamese order differs, each code keeps its tag."""
    path = export(english_article, "xliff", tmp_path)
    # Vietnamese word order: the second code comes first.
    toolkit("translate", str(path), json.dumps({"body:p1:0": {"texts": {}, "reverse": True}}))
    import_file(path, "--user", "editor")
    html = latest(english_article).body_vi.get_prep_value()
    html = next(b["value"] for b in html if b["id"] == "p1")
    assert (
        html == f'<p>.<b>be careful</b> and <a linktype="page" id="{prp.pk}">PRP</a>Read about</p>'
    )
    entry = PageLogEntry.objects.get(page=english_article, action=IMPORT_ACTION)
    assert entry.user.username == "editor" and entry.data["user"] == "editor"


def test_round_trip_without_changes_changes_nothing(rich_article, tmp_path):
    for file_format in ("xliff", "po"):
        before = revisions(rich_article)
        path = export(rich_article, file_format, tmp_path)
        output = import_file(path)
        assert "0 segments in 0 pages" in output
        assert revisions(rich_article) == before
        assert not SegmentTranslation.objects.exists()
        assert not PageLogEntry.objects.filter(action=IMPORT_ACTION).exists()


# -- PO -----------------------------------------------------------------------------------------


def test_po_translated_by_translate_toolkit_imports_with_placeholders(
    english_article, prp, tmp_path
):
    path = export(english_article, "po", tmp_path)
    text = path.read_text()
    assert f'msgctxt "{english_article.pk}:body/p1/0"' in text
    assert 'msgid "Read about {1}PRP{/1} and {2}be careful{/2}."' in text
    seen = toolkit("read", str(path))["units"]
    assert seen[f"{english_article.pk}:title"]["source"] == "Healing with plasma"

    toolkit(
        "translate",
        str(path),
        json.dumps(
            {
                f"{english_article.pk}:body/p1/0": {
                    "texts": {"Read about": "Đọc về", " and ": " và ", "be careful": "thận trọng"}
                }
            }
        ),
    )
    output = import_file(path)
    assert "1 segments in 1 pages saved" in output
    html = next(b["value"] for b in latest(english_article).body_vi.get_prep_value())
    assert html == f'<p>Đọc về <a linktype="page" id="{prp.pk}">PRP</a> và <b>thận trọng</b>.</p>'


def test_stale_segments_go_out_fuzzy_and_come_back_confirmed(english_article, tmp_path):
    Workspace(english_article, "vi").save(
        {"body/h1/text": "PRP hoạt động thế nào"}, set(), None, english_article.latest_revision_id
    )
    page = latest(english_article)
    body = page.body_en.get_prep_value()
    body[0]["value"]["text"] = "How PRP really works"
    page.body_en = body
    with translation.override("en"):
        page.save_revision()

    po = export(english_article, "po", tmp_path).read_text()
    assert re.search(r'#, fuzzy\n#\| msgid "How PRP works"\nmsgctxt "\d+:body/h1/text"', po)
    xlf = export(english_article, "xliff", tmp_path).read_text()
    assert re.search(r'name="body/h1/text">\s*<notes>.*</notes>\s*<segment state="initial" '
                     r'subState="cms:stale">', xlf)  # fmt: skip

    # The translator confirms it in the tool (fuzzy flag removed): no longer stale.
    texts = {"How PRP really works": "PRP hoạt động thế nào"}
    spec = {f"{english_article.pk}:body/h1/text": {"texts": texts}}
    toolkit("translate", str(tmp_path / "page.po"), json.dumps(spec))
    assert "1 segments in 1 pages saved" in import_file(tmp_path / "page.po")
    workspace = Workspace(Page.objects.get(pk=english_article.pk).specific, "vi")
    segment = next(s for s in workspace.segments if s.id == "body/h1/text")
    assert workspace.status_for(segment) == TRANSLATED


# -- checks before writing ----------------------------------------------------------------------


def test_a_source_changed_since_export_is_imported_as_stale_and_reported(english_article, tmp_path):
    path = export(english_article, "xliff", tmp_path)
    toolkit("translate", str(path), json.dumps(
        {"body:h1:text": {"texts": {"How PRP works": "PRP hoạt động thế nào"}}}
    ))  # fmt: skip
    page = latest(english_article)
    body = page.body_en.get_prep_value()
    body[0]["value"]["text"] = "How PRP works, in detail"
    page.body_en = body
    with translation.override("en"):
        page.save_revision()

    output = import_file(path)
    assert "the English text changed since export; imported as stale" in output
    workspace = Workspace(Page.objects.get(pk=english_article.pk).specific, "vi")
    segment = next(s for s in workspace.segments if s.id == "body/h1/text")
    assert workspace.status_for(segment) == STALE
    assert workspace.target_for(segment) == "PRP hoạt động thế nào"
    assert workspace.record_for(segment).source_text == "How PRP works"


def _po_with(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


PARAGRAPH = 'msgid "Read about {1}PRP{/1} and {2}be careful{/2}."\nmsgstr ""'


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Language: vi", "Language: fr", "The file is for language “fr”"),
        ('msgctxt "{pk}:title"', 'msgctxt "999999:title"', "Unknown page: 999999"),
        ('msgctxt "{pk}:title"', 'msgctxt "{pk}:body/x/text"', "has no segment “body/x/text”"),
        (
            PARAGRAPH,
            PARAGRAPH[:-2] + '"Đọc về {1}PRP{/1} và thận trọng."',
            "lacks these codes from the English text: {2}, {/2}",
        ),
    ],
)  # fmt: skip
def test_a_structural_error_anywhere_writes_nothing(english_article, tmp_path, old, new, message):
    path = export(english_article, "po", tmp_path)
    pk = english_article.pk
    # A valid translation in the same file is not written either.
    _po_with(
        path,
        'msgid "Healing with plasma"\nmsgstr ""',
        'msgid "Healing with plasma"\nmsgstr "Chữa lành"',
    )
    _po_with(path, old.replace("{pk}", str(pk)), new.replace("{pk}", str(pk)))
    before = revisions(english_article)
    output = refused(path)
    assert message in output and "Nothing was written" in output
    assert revisions(english_article) == before
    assert not SegmentTranslation.objects.exists()  # fmt: skip


def test_broken_xliff_codes_are_refused(english_article, tmp_path):
    path = export(english_article, "xliff", tmp_path)
    toolkit(
        "translate", str(path), json.dumps({"body:p1:0": {"texts": {"be careful": "thận trọng"}}})
    )
    text = path.read_text()
    target = text.index("<target", text.index('name="body/p1/0"'))
    path.write_text(text[:target] + text[target:].replace('<pc id="2"', '<pc id="7"', 1))
    output = refused(path)
    assert "lacks these codes from the English text: {2}, {/2}" in output
    assert not SegmentTranslation.objects.exists()


def test_dry_run_reports_and_writes_nothing(english_article, tmp_path):
    path = export(english_article, "po", tmp_path)
    _po_with(
        path,
        'msgid "Healing with plasma"\nmsgstr ""',
        'msgid "Healing with plasma"\nmsgstr "Chữa lành"',
    )
    before = revisions(english_article)
    output = import_file(path, "--dry-run")
    assert "Dry run: " in output and "1 segments in 1 pages would change" in output
    assert revisions(english_article) == before
    assert not SegmentTranslation.objects.exists()


def test_decomposed_vietnamese_is_stored_composed(english_article, tmp_path):
    path = export(english_article, "po", tmp_path)
    decomposed = unicodedata.normalize("NFD", "Chữa lành bằng huyết tương")
    _po_with(
        path,
        'msgid "Healing with plasma"\nmsgstr ""',
        f'msgid "Healing with plasma"\nmsgstr "{decomposed}"',
    )
    import_file(path)
    title = latest(english_article).title_vi
    assert title == unicodedata.normalize("NFC", title) == "Chữa lành bằng huyết tương"


# -- sections and cost --------------------------------------------------------------------------


def test_section_export_costs_the_same_queries_per_page(article_index, tmp_path):
    def add(count, start):
        for n in range(start, start + count):
            factories.make_article(article_index, f"Article {n}", f"article-{n}")

    counts = []
    for start in (0, 5):
        add(5, start)
        with CaptureQueriesContext(connection) as queries:
            path = export(article_index, "xliff", tmp_path, section=True)
        counts.append(len(queries))
    text = path.read_text()
    assert text.count("<file ") == 11  # the index and its ten articles
    assert "Article 9" in text
    per_page = (counts[1] - counts[0]) / 5
    assert per_page == int(per_page) and per_page <= 4, counts
