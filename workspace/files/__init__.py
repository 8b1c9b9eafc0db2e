"""Files for translators' tools (CAT tools): XLIFF 2.1 and PO, out and back in.

A file holds *units*: one segment of one page, addressed by page id and segment id
(``workspace.segments``), with the English source, the current target and its state.
Export reads the pages with ``.iterator()`` a chunk at a time (their latest revisions
and records in bulk per chunk) and yields each page's units as soon as they are read,
so a large section never sits in memory and a download streams. Import reads the whole file,
checks every unit against the pages as they are now, and writes nothing unless all of
it is sound; then it saves one draft revision per changed page through the
workspace's own save path (``Workspace.save``) and logs the file and the user.

Rich text travels as our inline codes: ``{1}…{/1}`` around text, ``{2/}`` alone, literal
braces doubled. XLIFF writes them as ``<pc id="1">``/``<ph id="2"/>`` so tools protect
them; PO keeps them as written, as gettext tools do with placeholders.
"""

import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from wagtail.log_actions import log
from wagtail.models import Page

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

from ..glossary import load_glossary
from ..workspace import (
    MACHINE,
    MISSING,
    STALE,
    TRANSLATED,
    SaveRefused,
    Workspace,
    load_workspaces,
)

IMPORT_ACTION = "workspace.import_file"
COMMAND_LINE = "command line"


class FileError(ValueError):
    """The file cannot be read at all (not XLIFF 2 / PO, no language): nothing is written."""


@dataclass(frozen=True)
class ExportUnit:
    """One segment as a file carries it out: ``state`` is a workspace status."""

    page_id: int
    segment_id: str
    source: str
    target: str
    state: str
    note: str
    codes: dict = field(default_factory=dict, compare=False)
    old_source: str = ""  # the English a stale target translates
    terms: tuple = field(default=(), compare=False)  # glossary terms in the source

    @property
    def context(self):
        return f"{self.page_id}:{self.segment_id}"


@dataclass(frozen=True)
class ImportUnit:
    """One unit as a file brings it back; ``confirmed``: the tool marks it done (not fuzzy)."""

    page_id: object
    segment_id: str
    source: str
    target: str
    confirmed: bool
    where: str  # for messages: "line 12", "page-12 body:abc:text"
    error: str = ""  # the unit could not be read (broken inline codes)


@dataclass(frozen=True)
class ParsedFile:
    lang: str
    units: list
    source_lang: str = DEFAULT_LANGUAGE
    revisions: dict = field(default_factory=dict)  # page id → the revision it was exported at


# -- export -------------------------------------------------------------------------------------

# Pages read per query while exporting: memory holds one chunk of pages (and their latest
# revisions and records), never the whole section.
CHUNK = 100


def pages_to_export(page_id=None, section_id=None, page_ids=None, user=None):
    """The pages of one page, a section (the page and its descendants) or a list of ids, in
    tree order; with ``user``, only those the user may edit. Plain pages: the text comes
    from each page's latest revision, read in bulk per chunk (``export_units``)."""
    if page_ids is not None:
        pages = Page.objects.filter(pk__in=page_ids)
    elif page_id is not None:
        pages = Page.objects.filter(pk=page_id)
    else:
        section = Page.objects.get(pk=section_id)
        pages = Page.objects.descendant_of(section, inclusive=True)
    if user is not None:
        pages = pages.filter(pk__in=editable_pages(user).values("pk"))
    return pages.filter(depth__gt=1).order_by("path")


def editable_pages(user):
    """The pages ``user`` may edit (a queryset: no query until it is read)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return PagePermissionPolicy().instances_user_has_permission_for(user, "change")


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def export_units(pages, lang, glossary=None):
    """``(page, [ExportUnit])`` per page, one chunk of pages at a time.

    The pages are iterated ``CHUNK`` at a time, each chunk's latest revisions and
    records read in bulk (``load_workspaces``): the queries grow with the chunks, not
    with the pages, and only one chunk is in memory. ``glossary`` (default: loaded
    once) names the terms of each unit's source.
    """
    from ..wagtail_hooks import is_translatable

    if glossary is None:
        glossary = load_glossary()
    for chunk in _chunks(pages.iterator(chunk_size=CHUNK), CHUNK):
        workspaces = load_workspaces((page, lang) for page in chunk if is_translatable(page))
        for page in chunk:
            workspace = workspaces.get((page.pk, lang))
            if workspace is None:
                continue
            units = [
                ExportUnit(
                    page_id=page.pk,
                    segment_id=row.segment.id,
                    source=row.segment.text,
                    target=row.target,
                    state=row.status,
                    note=row.segment.label,
                    codes=row.segment.codes,
                    old_source=row.old_source if row.status == STALE else "",
                    terms=tuple(glossary.check(row.segment, "").terms) if glossary else (),
                )
                for row in workspace.rows()
            ]
            draft = workspace.page
            # The file names the revision it was exported at (an import merges from it); the
            # copy of the page a revision holds may predate that revision.
            draft.latest_revision_id = workspace.revision_id
            yield draft, units


def term_note(term):
    """A glossary term as a file's note carries it: "platelet-rich plasma = huyết tương…"."""
    if term.keep_as_is:
        text = gettext("%(term)s = %(term)s (keep as is)") % {"term": term.english}
    else:
        text = f"{term.english} = {term.vietnamese}"
    note = " ".join((term.note or "").split())
    return f"{text} ({note})" if note else text


def export_pieces(pages, lang, file_format, counter=None):
    """The file as text pieces, one per page, for a streaming response.

    ``counter["units"]``, when given, counts the units written so far.
    """
    from . import po, xliff

    writer = {"xliff": xliff, "po": po}[file_format]

    def counted():
        for page, units in export_units(pages, lang):
            if counter is not None:
                counter["units"] = counter.get("units", 0) + len(units)
            yield page, units

    yield from writer.pieces(counted(), lang)


def export(pages, lang, out, file_format):
    """Write the units of ``pages`` in ``lang`` to the text stream ``out``; returns a count."""
    counter = {"units": 0}
    for piece in export_pieces(pages, lang, file_format, counter):
        out.write(piece)
    return counter["units"]


# -- import -------------------------------------------------------------------------------------


@dataclass
class PagePlan:
    """What an import changes in one page."""

    workspace: Workspace
    revision: object = None  # the revision the file was exported at, when it says
    typed: dict = field(default_factory=dict)
    confirmed: set = field(default_factory=set)
    sources: dict = field(default_factory=dict)
    by_id: dict = field(default_factory=dict)

    @property
    def changes(self):
        return len(self.typed) + len(self.confirmed)


@dataclass
class ImportReport:
    """What an import found and did; ``errors`` stop it before anything is written."""

    file_name: str
    lang: str = ""
    errors: list = field(default_factory=list)
    stale: list = field(default_factory=list)  # imported, but English changed since export
    unconfirmed: list = field(default_factory=list)  # changed but left fuzzy/initial by the tool
    plans: dict = field(default_factory=dict)
    units: int = 0
    saved_pages: list = field(default_factory=list)

    @property
    def changed_segments(self):
        return sum(plan.changes for plan in self.plans.values())

    def summary_lines(self, dry_run=False):
        lines = []
        for error in self.errors:
            lines.append(gettext("Error: %(error)s") % {"error": error})
        if self.errors:
            lines.append(gettext("Nothing was written."))
            return lines
        for where in self.stale:
            lines.append(
                gettext("%(where)s: the English text changed since export; imported as stale.")
                % {"where": where}
            )
        for where in self.unconfirmed:
            lines.append(
                gettext("%(where)s: not marked as translated in the file; left as it was.")
                % {"where": where}
            )
        pages = [plan for plan in self.plans.values() if plan.changes]
        values = {
            "units": self.units,
            "segments": self.changed_segments,
            "pages": len(pages),
            "lang": self.lang,
        }
        if dry_run:
            lines.append(
                gettext(
                    "Dry run: %(units)s units read, %(segments)s segments in %(pages)s pages "
                    "would change (%(lang)s). Nothing was written."
                )
                % values
            )
        else:
            lines.append(
                gettext(
                    "%(units)s units read, %(segments)s segments in %(pages)s pages saved as "
                    "draft revisions (%(lang)s)."
                )
                % values
            )
        return lines


def _nfc(text):
    return unicodedata.normalize("NFC", (text or "").strip())


def check(parsed, file_name, editor=None):
    """An ``ImportReport`` with every error and change of ``parsed``, nothing written.

    ``editor``: the admin user importing; a page they may not edit is an error (the
    command line, run by the site's operators, may import into any page).
    """
    report = ImportReport(file_name=file_name, lang=parsed.lang, units=len(parsed.units))
    targets = [lang for lang in SUPPORTED_LANGUAGES if lang != DEFAULT_LANGUAGE]
    if parsed.lang not in targets:
        report.errors.append(
            gettext("The file is for language “%(lang)s”; this site translates into: %(langs)s.")
            % {"lang": parsed.lang or "?", "langs": ", ".join(targets)}
        )
        return report
    if parsed.source_lang != DEFAULT_LANGUAGE:
        report.errors.append(
            gettext("The file's source language is “%(lang)s”, not “%(default)s”.")
            % {"lang": parsed.source_lang, "default": DEFAULT_LANGUAGE}
        )
        return report

    page_ids = {unit.page_id for unit in parsed.units}
    numeric = {int(p) for p in page_ids if str(p).isdigit()}
    pages = Page.objects.filter(pk__in=numeric).specific().in_bulk()
    for page_id in sorted(page_ids, key=str):
        if not str(page_id).isdigit() or int(page_id) not in pages:
            report.errors.append(gettext("Unknown page: %(id)s.") % {"id": page_id})
    if editor is not None and pages:
        allowed = set(editable_pages(editor).filter(pk__in=pages).values_list("pk", flat=True))
        for page_id in sorted(set(pages) - allowed):
            report.errors.append(
                gettext("You may not edit page %(id)s (“%(title)s”).")
                % {"id": page_id, "title": pages[page_id].title_en or pages[page_id].title}
            )
    if report.errors:
        return report

    seen = set()
    for unit in parsed.units:
        page = pages[int(unit.page_id)]
        plan = report.plans.get(page.pk)
        if plan is None:
            workspace = Workspace(page, parsed.lang)
            plan = report.plans[page.pk] = PagePlan(
                workspace,
                revision=parsed.revisions.get(str(page.pk)),
                by_id={segment.id: segment for segment in workspace.segments},
            )
        segment = plan.by_id.get(unit.segment_id)
        if unit.error:
            report.errors.append(f"{unit.where}: {unit.error}")
            continue
        if segment is None:
            report.errors.append(
                gettext("%(where)s: page %(page)s has no segment “%(segment)s”.")
                % {"where": unit.where, "page": page.pk, "segment": unit.segment_id}
            )
            continue
        if (page.pk, segment.id) in seen:
            report.errors.append(
                gettext("%(where)s: segment “%(segment)s” appears twice.")
                % {"where": unit.where, "segment": segment.id}
            )
            continue
        seen.add((page.pk, segment.id))
        _plan_unit(report, plan, segment, unit)
    return report


def _plan_unit(report, plan, segment, unit):
    workspace = plan.workspace
    target = _nfc(unit.target)
    if not target:
        return  # an empty target brings nothing; it never erases a translation
    source_changed = _nfc(unit.source) != _nfc(segment.text)
    current = workspace.target_for(segment).strip()
    if target == current:
        status = workspace.status_for(segment)
        if unit.confirmed and not source_changed and status in (STALE, MACHINE):
            plan.confirmed.add(segment.id)  # the tool confirmed it as still right
        return
    if not unit.confirmed:
        report.unconfirmed.append(unit.where)
        return
    try:
        cleaned = segment.clean(target)
    except ValidationError as error:
        report.errors.append(f"{unit.where}: {' '.join(error.messages)}")
        return
    plan.typed[segment.id] = cleaned
    if source_changed:
        plan.sources[segment.id] = _nfc(unit.source)
        report.stale.append(unit.where)


def apply(report, user=None):
    """Save one draft revision per changed page and log the file; all or nothing."""
    by = user.get_username() if user is not None else COMMAND_LINE
    try:
        with transaction.atomic():
            for plan in report.plans.values():
                if not plan.changes:
                    continue
                workspace = plan.workspace
                # Based on the export's revision: a page saved since is merged, not overwritten.
                revision = workspace.save(
                    plan.typed,
                    plan.confirmed,
                    user,
                    plan.revision or workspace.revision_id,
                    plan.sources,
                    hold=False,
                )
                log(
                    instance=workspace.real_page,
                    action=IMPORT_ACTION,
                    user=user,
                    revision=revision,
                    data={
                        "file": report.file_name,
                        "user": by,
                        "lang": report.lang,
                        "segments": plan.changes,
                    },
                )
                report.saved_pages.append(workspace.real_page.pk)
    except SaveRefused as refused:
        report.saved_pages = []
        for messages in refused.errors.values():
            report.errors += list(messages)
    return report


def import_file(parsed, file_name, user=None, dry_run=False, check_permissions=False):
    """Check ``parsed`` and, unless there is an error or it is a dry run, write it.

    The command and the admin both import through here; the admin asks for
    ``check_permissions`` (only pages ``user`` may edit).
    """
    report = check(parsed, file_name, editor=user if check_permissions else None)
    if report.errors or dry_run:
        return report
    return apply(report, user)


def read(data, file_name):
    """A ``ParsedFile`` from the bytes of an XLIFF or PO file (told apart by content)."""
    from . import po, xliff

    head = data.lstrip()[:200]
    if head.startswith(b"<") or file_name.lower().endswith((".xlf", ".xliff")):
        return xliff.read(data)
    return po.read(data)


__all__ = [
    "MISSING",
    "STALE",
    "TRANSLATED",
    "MACHINE",
    "FileError",
    "export",
    "import_file",
    "pages_to_export",
    "read",
]
