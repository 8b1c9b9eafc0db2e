"""One page in one target language, as the Translate view shows and saves it.

Loading reads the page's latest revision, its segments in English, the records of the
target language (one query) and the target text the page already holds. Saving
checks every changed target, records it, and writes a draft revision whose target
fields are rebuilt from the segments and whose English values are left untouched.
"""

import difflib
import json
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Q
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Revision

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from cms.translations import field_value
from revisions import concurrency
from revisions.models import HeldEdit

from . import inline
from .models import SegmentTranslation
from .segments import (
    adopt_ids,
    existing_targets,
    extra_items,
    page_segments,
    pair,
    pair_by_position,
    rich_text_extras,
    segment_fields,
    stream_segments,
    target_values,
)

TRANSLATED, MISSING, STALE, MACHINE = "translated", "missing", "stale", "machine"
# What ``SegmentTranslation.record`` changes, for bulk updates.
RECORD_FIELDS = [
    "segment_id",
    "target",
    "source_text",
    "source_digest",
    "status",
    "updated_by",
    "updated_at",
]


class SaveRefused(Exception):
    """Nothing was saved; ``errors`` maps segment ids (or None: the page) to messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class ConflictHeld(SaveRefused):
    """Nothing was saved: another save changed the same text; ``held`` keeps the typed text."""

    def __init__(self, held):
        self.held = held
        super().__init__(
            {
                None: [
                    format_html(
                        '{} <a href="{}">{}</a>',
                        gettext(
                            "Someone saved this page after you opened the workspace and "
                            "changed the same text. Nothing was saved yet."
                        ),
                        held.url,
                        gettext("Choose which version to keep"),
                    )
                ]
            }
        )


class _Unresolved(Exception):
    def __init__(self, content):
        super().__init__()
        self.content = content


@dataclass
class Row:
    """A segment as the workspace shows it."""

    segment: object
    target: str
    status: str
    old_source: str = ""
    error: str = ""

    @property
    def source_html(self):
        if self.segment.rich:
            return mark_safe(inline.display_html(self.segment.text, self.segment.codes))
        return escape(self.segment.text)

    @property
    def change_html(self):
        """The English change since the translation, words removed and added marked."""
        return word_diff(self.old_source, self.segment.text) if self.status == STALE else ""


def word_diff(old, new):
    old_words, new_words = old.split(), new.split()
    out = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            out.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(out))


@dataclass(frozen=True)
class TargetBlock:
    """A block only the target body has, or a list item only the target's version of a shared
    block has; ``removed``: its English twin was deleted."""

    address: str
    label: str
    texts: list
    removed: bool


@dataclass(frozen=True)
class SeparatePairing:
    """A StreamField whose target was written separately and is paired by position here."""

    field: str
    label: str
    pairs: int
    unpaired_source: tuple
    unpaired_target: tuple


def pair_separate_bodies(page, lang):
    """Give ``page``'s ``lang`` bodies that share no block id with the source the source's ids
    of their position pairing (in memory); ``[(field name, model field, pairing)]``."""
    found = []
    for name, model_field in segment_fields(type(page)):
        if not isinstance(model_field, StreamField):
            continue
        source_raw = _raw(field_value(page, name, DEFAULT_LANGUAGE))
        target_raw = _raw(field_value(page, name, lang))
        if not pair(source_raw, target_raw).shares_nothing:
            continue
        pairing = pair_by_position(source_raw, target_raw)
        setattr(page, f"{name}_{lang}", adopt_ids(target_raw, pairing))
        found.append((name, model_field, pairing))
    return found


class Workspace:
    """The segments of one page and one target language, with their targets and status."""

    def __init__(self, real_page, lang, page=None, records=None):
        """``page`` (the latest revision as a page) and ``records`` may come preloaded, so a
        report can read many workspaces in a fixed number of queries."""
        self.real_page = real_page
        self.lang = lang
        self.revision_id = real_page.latest_revision_id
        self.page = page if page is not None else real_page.get_latest_revision_as_object()
        self.adopted = {}  # target field → {source block id: the target block's own id}
        self.separate = self._pair_separate_bodies()
        self.segments = page_segments(self.page, DEFAULT_LANGUAGE)
        self.existing = existing_targets(self.page, lang, self.segments)
        if records is None:
            records = SegmentTranslation.objects.filter(page_id=real_page.pk, lang=lang)
        self.records = {record.segment_id: record for record in records}
        self.left_empty = []
        self.dropped = []
        self.merged = None  # a save merged with a newer revision: what was merged

    def _pair_separate_bodies(self):
        """Bodies sharing no block id are paired once by position and type (in memory)."""
        found = []
        for name, model_field, pairing in pair_separate_bodies(self.page, self.lang):
            self.adopted[f"{name}_{self.lang}"] = dict(pairing.pairs)
            labels = {
                n: str(b.label or n) for n, b in model_field.stream_block.child_blocks.items()
            }
            found.append(
                SeparatePairing(
                    field=name,
                    label=str(model_field.verbose_name),
                    pairs=len(pairing.pairs),
                    unpaired_source=tuple(labels.get(t, t) for _i, t in pairing.unpaired_source),
                    unpaired_target=tuple(labels.get(t, t) for _i, t in pairing.unpaired_target),
                )
            )
        return found

    @cached_property
    def target_only(self):
        """Blocks, list items and rich-text paragraphs only the target has, each marked
        ``removed`` when English once had it.

        A removed block leaves the target only when the editor ticks it on save; the
        others were written for the target alone and are never dropped. Computed on
        demand: the report reads many workspaces and needs no revision history.
        """
        bodies, candidates, rich = [], [], []
        for name, model_field in segment_fields(type(self.page)):
            if isinstance(model_field, RichTextField):
                # Paragraphs of the target text that the English text lacks.
                items = rich_text_extras(
                    name,
                    field_value(self.page, name, DEFAULT_LANGUAGE) or "",
                    field_value(self.page, name, self.lang),
                )
                rich += [(name, model_field, item) for item in items]
                candidates += [(name, i.address.rsplit("/", 1)[1]) for i in items]
                continue
            if not isinstance(model_field, StreamField):
                continue
            source_raw = _raw(field_value(self.page, name, DEFAULT_LANGUAGE))
            target_raw = _raw(field_value(self.page, name, self.lang))
            only = pair(source_raw, target_raw).target_only
            items = extra_items(name, model_field.stream_block, source_raw, target_raw)
            bodies.append((name, model_field, source_raw, target_raw, items))
            candidates += [(name, block_id) for block_id in only]
            candidates += [(name, i.address.rsplit("/", 1)[1]) for i in items if i.identified]
        history = self._once_in_source(candidates)
        found = []
        for name, model_field, item in rich:
            key = item.address.rsplit("/", 1)[1]
            label = str(model_field.verbose_name)
            found.append(
                TargetBlock(item.address, label, list(item.texts), key in history.get(name, ()))
            )
        for name, model_field, source_raw, target_raw, items in bodies:
            # Items of a block both languages share, which the English block lacks.
            for item in items:
                item_id = item.address.rsplit("/", 1)[1]
                # Without an id nobody can tell: ask, as for an item removed from English.
                removed = not item.identified or item_id in history.get(name, ())
                found.append(TargetBlock(item.address, item.label, list(item.texts), removed))
            pairing = pair(source_raw, target_raw, history.get(name, frozenset()))
            removed = set(pairing.removed)
            for item in target_raw:
                block_id = item.get("id")
                if block_id not in removed and block_id not in pairing.target_only:
                    continue
                child = model_field.stream_block.child_blocks.get(item.get("type"))
                found.append(
                    TargetBlock(
                        address=f"{name}/{block_id}",
                        label=str(child.label if child else item.get("type")),
                        texts=[
                            s.text for s in stream_segments(name, model_field.stream_block, [item])
                        ],
                        removed=block_id in removed,
                    )
                )
        return found

    def _once_in_source(self, candidates):
        """``{field: ids}`` of ``candidates`` the English body held in the live page or any
        revision: one query, none when there is no candidate."""
        if not candidates:
            return {}
        found = {}
        for name, block_id in candidates:
            live = _raw(field_value(self.real_page, name, DEFAULT_LANGUAGE))
            if block_id in json.dumps(live, cls=DjangoJSONEncoder):  # a block's or an item's id
                found.setdefault(name, set()).add(block_id)
        counts = self.real_page.revisions.aggregate(
            **{
                f"c{n}": Count(
                    "pk",
                    filter=Q(**{f"content__{name}_{DEFAULT_LANGUAGE}__icontains": block_id}),
                )
                for n, (name, block_id) in enumerate(candidates)
            }
        )
        for n, (name, block_id) in enumerate(candidates):
            if counts[f"c{n}"]:
                found.setdefault(name, set()).add(block_id)
        return found

    @property
    def removed_blocks(self):
        return [block for block in self.target_only if block.removed]

    @property
    def kept_blocks(self):
        return [block for block in self.target_only if not block.removed]

    # -- reading --------------------------------------------------------------------------

    def record_for(self, segment):
        return self.records.get(segment.id) or self.records.get(segment.alias)

    def target_for(self, segment):
        record = self.record_for(segment)
        if record is not None and record.target:
            return record.target
        # No record, or a segment laid out by "Copy structure" and not translated yet.
        return self.existing.get(segment.id, "")

    def status_for(self, segment):
        record = self.record_for(segment)
        if not self.target_for(segment):
            return MISSING
        if record is None:
            return TRANSLATED
        if not record.translates(segment):
            return STALE
        if record.status == SegmentTranslation.Status.MACHINE:
            return MACHINE
        return TRANSLATED

    def rows(self, typed=None, errors=None):
        typed, errors = typed or {}, errors or {}
        rows = []
        for segment in self.segments:
            record = self.record_for(segment)
            status = self.status_for(segment)
            rows.append(
                Row(
                    segment=segment,
                    target=typed.get(segment.id, self.target_for(segment)),
                    status=status,
                    old_source=record.source_text if record is not None else "",
                    error=" ".join(errors.get(segment.id, [])),
                )
            )
        return rows

    def progress(self):
        statuses = [self.status_for(segment) for segment in self.segments]
        return {
            # An unreviewed suggestion is not in the page yet: not done.
            "done": sum(1 for status in statuses if status not in (MISSING, MACHINE)),
            "total": len(statuses),
            "stale": statuses.count(STALE),
            "missing": statuses.count(MISSING),
            "machine": statuses.count(MACHINE),
        }

    # -- saving ---------------------------------------------------------------------------

    def save(self, typed, confirmed, user, loaded_revision_id, sources=None, remove=(), hold=True):
        """Record the typed targets and save a draft revision; ``SaveRefused`` changes nothing.

        ``typed`` maps segment ids to what the form posted; ``confirmed`` holds ids of
        stale segments the translator confirms as still right; ``sources`` maps segment
        ids to an older English text their target translates (recorded as stale);
        ``remove`` holds addresses of blocks removed in English the editor removes too
        (any other address is ignored: a block written for the target alone stays).

        A save based on an older revision than the latest (``loaded_revision_id``) is
        merged with it (``revisions.concurrency``); when both changed the same text,
        ``ConflictHeld`` is raised and the typed text waits in the conflict view
        (``hold``), or, without ``hold``, the save is refused naming the places.
        """
        lock = self.real_page.get_lock()
        if lock and lock.for_user(user):
            # Locked by someone else, or by a workflow task: the edit form refuses too.
            raise SaveRefused({None: [lock.get_message(user)]})
        held = None
        try:
            with transaction.atomic():
                latest = concurrency.lock_latest(self.real_page.pk)
                if not concurrency.is_stale(latest, loaded_revision_id):
                    return self._save_latest(typed, confirmed, user, sources or {}, remove)
                base = concurrency.base_revision(self.real_page.pk, loaded_revision_id)
                saved = self._save_merged(
                    base, latest, typed, confirmed, user, sources or {}, remove, hold
                )
                if not isinstance(saved, HeldEdit):
                    return saved
                held = saved
        except ValidationError as error:
            raise SaveRefused({None: error.messages}) from error
        raise ConflictHeld(held)

    def _prepare(self, typed, remove):
        cleaned, errors = self._clean(typed)
        if errors:
            raise SaveRefused(errors)
        # An emptied box had a translation (unchanged ones are not in ``cleaned``).
        self.left_empty = [segment_id for segment_id, text in cleaned.items() if not text]
        self.dropped = [b.address for b in self.removed_blocks if b.address in set(remove)]
        return cleaned

    def _write_targets(self, cleaned, confirmed, user, sources):
        self._record(cleaned, confirmed, user, sources)
        values = target_values(self.page, self.lang, self._translation, remove=set(self.dropped))
        for name, value in values.items():
            setattr(self.page, name, value)

    def _save_latest(self, typed, confirmed, user, sources, remove):
        cleaned = self._prepare(typed, remove)
        if not self._changes(cleaned, confirmed, sources):
            return None  # nothing to record: no revision that repeats the last one
        self._write_targets(cleaned, confirmed, user, sources)
        with translation.override(DEFAULT_LANGUAGE):
            return self.page.save_revision(user=user, log_action=True)

    def _save_merged(self, base, latest, typed, confirmed, user, sources, remove, hold):
        """The typed text applied to the revision the translator loaded, merged with the
        latest: a revision, or a ``HeldEdit`` when both changed the same text."""
        loaded = Workspace(
            self.real_page,
            self.lang,
            page=base.as_object() if base is not None else None,
            records=list(self.records.values()),
        )
        cleaned = loaded._prepare(typed, remove)
        self.left_empty, self.dropped = loaded.left_empty, loaded.dropped
        if not loaded._changes(cleaned, confirmed, sources):
            return None  # the translator changed nothing: the latest revision stands
        try:
            with transaction.atomic():
                loaded._write_targets(cleaned, confirmed, user, sources)
                mine = _with_own_ids(concurrency.page_content(loaded.page), loaded.adopted)
                self.merged = concurrency.combine(type(loaded.page), base, latest, mine)
                if self.merged.result.unresolved:
                    raise _Unresolved(mine)
                return concurrency.save_content(self.real_page, self.merged.content, user)
        except _Unresolved as unresolved:
            if not hold:
                raise SaveRefused({None: [self._conflict_message()]}) from None
            return concurrency.reconcile(
                self.real_page,
                base,
                latest,
                unresolved.content,
                user,
                HeldEdit.Origin.WORKSPACE,
            ).held

    def _conflict_message(self):
        places = self.merged.labels(c.path for c in self.merged.result.unresolved)
        name, at = concurrency.who_and_when(self.merged.latest)
        return gettext(
            "Page %(page)s: %(name)s changed the same text at %(time)s, after this file was "
            "exported (%(places)s). Nothing was written: export the page again, or "
            "translate it in the workspace."
        ) % {"page": self.real_page.pk, "name": name, "time": at, "places": "; ".join(places)}

    def _changes(self, cleaned, confirmed, sources):
        """True when a save would record a translation or change the target's values."""
        if any(cleaned.values()) or sources or self.dropped or self.separate:
            return True
        for segment in self.segments:
            record = self.record_for(segment)
            if segment.id in confirmed and record is not None and record.target:
                if self.status_for(segment) in (STALE, MACHINE):
                    return True
        values = target_values(self.page, self.lang, self._translation)
        return any(
            _comparable(value) != _comparable(getattr(self.page, name))
            for name, value in values.items()
        )

    def _clean(self, typed):
        cleaned, errors = {}, {}
        for segment in self.segments:
            if segment.id not in typed:
                continue
            text = typed[segment.id]
            if (text or "").strip() == self.target_for(segment).strip():
                continue  # unchanged: nothing to check or record
            try:
                cleaned[segment.id] = segment.clean(text)
            except ValidationError as error:
                errors[segment.id] = error.messages
        return cleaned, errors

    def _record(self, cleaned, confirmed, user, sources):
        new, changed = [], []
        for segment in self.segments:
            record = self.record_for(segment)
            text = cleaned.get(segment.id)
            if text is None and segment.id in confirmed and record is not None:
                text = record.target  # "still right": the translation now covers this source
            if not text:
                continue
            if record is None:
                record = SegmentTranslation(page_id=self.real_page.pk, lang=self.lang)
                new.append(record)
            else:
                changed.append(record)
            record.record(segment, text, user, sources.get(segment.id))
            self.records[segment.id] = record
        SegmentTranslation.objects.bulk_create(new)
        SegmentTranslation.objects.bulk_update(
            changed,
            RECORD_FIELDS,
        )

    # -- copying the structure -----------------------------------------------------------

    def offers_copy_structure(self):
        """For a new or empty translation, or one whose body was written separately: while
        no target body shares a block id with English and there is something to lay out."""
        for name, model_field in segment_fields(type(self.page)):
            if isinstance(model_field, StreamField) and not self.separate:
                source = _raw(field_value(self.page, name, DEFAULT_LANGUAGE))
                if pair(source, _raw(field_value(self.page, name, self.lang))).paired:
                    return False
        return bool(self.separate or self.structure_to_copy())

    def structure_to_copy(self):
        """Segments "Copy structure from English" records as missing: those with no text."""
        return [
            segment
            for segment in self.segments
            if self.record_for(segment) is None and not self.existing.get(segment.id)
        ]

    def copy_structure(self, user, loaded_revision_id):
        """Record every untranslated segment as missing, with the source's block ids.

        Blocks enter the target body only as they are translated (``build_stream``); a
        body written separately gets the English block ids of its position pairing in a
        draft revision, its text unchanged. Nothing is overwritten or removed. Returns
        the number of segments laid out; ``SaveRefused`` changes nothing.
        """
        laid_out = self.structure_to_copy() if self.offers_copy_structure() else []
        with transaction.atomic():
            if self.separate:
                self.save({}, set(), user, loaded_revision_id)
            records = [
                SegmentTranslation(page_id=self.real_page.pk, lang=self.lang).record(
                    segment, "", user
                )
                for segment in laid_out
            ]
            SegmentTranslation.objects.bulk_create(records)
        self.records.update({record.segment_id: record for record in records})
        return len(records)

    # -- machine suggestions ------------------------------------------------------------

    def missing_segments(self):
        return [segment for segment in self.segments if self.status_for(segment) == MISSING]

    def store_suggestions(self, suggestions, user):
        """Record ``suggestions`` (segment id → text) as unreviewed machine output.

        The page itself is not saved: a suggestion enters the page only once an editor
        edits or confirms it (see ``_translation``).
        """
        new, changed = [], []
        for segment in self.segments:
            text = suggestions.get(segment.id)
            if not text:
                continue
            record = self.record_for(segment)
            if record is None:
                record = SegmentTranslation(page_id=self.real_page.pk, lang=self.lang)
                new.append(record)
            else:
                changed.append(record)
            record.record(segment, text, user)
            record.status = SegmentTranslation.Status.MACHINE
            self.records[segment.id] = record
        with transaction.atomic():
            SegmentTranslation.objects.bulk_create(new)
            SegmentTranslation.objects.bulk_update(
                changed,
                RECORD_FIELDS,
            )

    def _translation(self, segment):
        """The text a segment's target gets in the page, or None while it has none usable.

        An unreviewed machine suggestion never enters the page: the page keeps the text
        it had before the suggestion.
        """
        record = self.record_for(segment)
        if record is not None and record.status == SegmentTranslation.Status.MACHINE:
            return self.existing.get(segment.id) or None
        text = self.target_for(segment)
        if not text:
            return None
        if segment.rich:
            try:
                inline.check_codes(segment.text, text)
            except inline.InlineCodeError:
                return None  # an older text whose links no longer match: not written
        return text


def load_workspaces(pairs):
    """``(page id, lang)`` → Workspace of the latest revision, for ``(page, lang)`` pairs.

    Reads revisions and records in bulk, so a listing or a report costs the same few
    queries whatever its length. Pages without a revision are read as they are, in bulk.
    """
    pairs = [(page, lang) for page, lang in pairs if lang != DEFAULT_LANGUAGE]
    if not pairs:
        return {}
    pages = {page.pk: page for page, _lang in pairs}
    revisions = Revision.objects.in_bulk(
        {page.latest_revision_id for page in pages.values() if page.latest_revision_id}
    )
    unrevised = [pk for pk, page in pages.items() if page.latest_revision_id not in revisions]
    current = Page.objects.filter(pk__in=unrevised).specific().in_bulk() if unrevised else {}
    records = {}
    for record in SegmentTranslation.objects.filter(
        page_id__in=pages, lang__in={lang for _page, lang in pairs}
    ):
        records.setdefault((record.page_id, record.lang), []).append(record)
    workspaces = {}
    for real_page, lang in pairs:
        revision = revisions.get(real_page.latest_revision_id)
        model = real_page.specific_class
        if revision is not None and model is not None:
            # Text only: no query per foreign key to check it still exists.
            page = model.from_serializable_data(revision.content, check_fks=False)
        else:
            page = current.get(real_page.pk)
        if page is None:
            continue
        key = (real_page.pk, lang)
        workspaces[key] = Workspace(real_page, lang, page, records.get(key, []))
    return workspaces


def follow_saved_revision(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a page revision is written, the records of the target texts it changes follow it.

    Connected to ``pre_save`` of Wagtail's ``Revision``, so every way a revision is saved
    (the edit form, its autosave overwriting a revision in place, workflows, reverts, code)
    is followed in one place. A segment whose target text this revision changes gets, when
    its record says otherwise, the new text as a reviewed translation of the current
    English, by the revision's user; an emptied one loses its record (the workspace shows it
    missing). Other records are left alone: an unreviewed machine suggestion is never in the
    page, and survives a save that did not touch its segment. The workspace records before
    it saves, so its own saves change nothing here. A few queries whatever the page's size:
    its records (the only one for a page without any), the text before, and the writes.
    """
    if raw or (update_fields is not None and "content" not in update_fields):
        return
    if instance.base_content_type_id != ContentType.objects.get_for_model(Page).pk:
        return
    records = {}
    for record in SegmentTranslation.objects.filter(page_id=instance.object_id):
        records.setdefault(record.lang, {})[record.segment_id] = record
    records.pop(DEFAULT_LANGUAGE, None)
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if not records or model is None:
        return
    before = _content_before(instance, model)
    if before is None:
        return
    followed, gone = [], []
    for lang, own in records.items():
        for segment, text in changed_targets(model, before, instance.content, lang):
            record = own.get(segment.id) or own.get(segment.alias)
            if record is None:
                continue  # the workspace reads the page's text
            if not text:
                if record.target:
                    gone.append(record.pk)
                continue
            if record.target == text and record.status == SegmentTranslation.Status.TRANSLATED:
                continue
            record.record(segment, text, None)
            record.updated_by_id = instance.user_id
            followed.append(record)
    SegmentTranslation.objects.bulk_update(followed, RECORD_FIELDS)
    if gone:
        SegmentTranslation.objects.filter(pk__in=gone).delete()


def _content_before(instance, model):
    """The content ``instance`` (a page revision about to be written) replaces: the page's
    latest revision, which is also the one an autosave overwrites in place."""
    content = (
        Page.objects.filter(pk=instance.object_id)
        .values_list("latest_revision__content", flat=True)
        .first()
    )
    if content is not None:
        return content
    page = model.objects.filter(pk=instance.object_id).first()  # its first revision
    return page.serializable_data() if page is not None else None


def changed_targets(model, before, after, lang):
    """``[(segment, text)]``: the source segments of content ``after`` whose ``lang`` text
    differs in content ``before``, with their text in ``after`` ("" when it has none).

    Both sides are read against ``after``'s English, as the workspace reads them (a body
    written separately paired by position), so an English change alone changes nothing.
    """
    page = model.from_serializable_data(after, check_fks=False)
    keys = {f"{name}_{lang}" for name, _field in segment_fields(model)}
    earlier = model.from_serializable_data(
        {**after, **{key: before.get(key) for key in keys}}, check_fks=False
    )
    segments = page_segments(page, DEFAULT_LANGUAGE)
    texts = []
    for side in (earlier, page):
        pair_separate_bodies(side, lang)
        texts.append(existing_targets(side, lang, segments))
    old, new = texts
    return [
        (segment, _text(new.get(segment.id)))
        for segment in segments
        if _text(old.get(segment.id)) != _text(new.get(segment.id))
    ]


def _text(value):
    """A target text as the workspace records it: composed, trimmed."""
    return unicodedata.normalize("NFC", (value or "").strip())


def follow_resolved_conflict(sender, held, revision, **kwargs):
    """After the conflict view saved an editor's choices, the records hold what was saved.

    A record whose target differs from the target text of the saved revision would show
    (and, on the next workspace save, write back) a version the editor did not keep. Such a
    record, and the record of every text the save changed (``follow_saved_revision`` made
    it a translation of the current English), takes the saved text as a translation of the
    English the editor saw in the revision they opened (so an English change made since
    still shows as stale).
    """
    real_page = Page.objects.get(pk=held.page_id)
    base = held.base_revision.as_object() if held.base_revision is not None else None
    seen = {s.id: s.text for s in page_segments(base, DEFAULT_LANGUAGE)} if base else {}
    saved = revision.as_object()
    before = (
        Revision.page_revisions.filter(object_id=str(held.page_id), pk__lt=revision.pk)
        .order_by("-pk")
        .values_list("content", flat=True)
        .first()
    )
    model = type(saved)
    for lang in SUPPORTED_LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        workspace = Workspace(real_page, lang, page=saved)
        changed = set()
        if before is not None:
            changed = {s.id for s, _new in changed_targets(model, before, revision.content, lang)}
        followed = []
        for segment in workspace.segments:
            record = workspace.record_for(segment)
            text = workspace.existing.get(segment.id, "")
            if record is None or not text:
                continue
            if record.target == text and segment.id not in changed:
                continue
            if record.status == SegmentTranslation.Status.MACHINE:
                continue  # an unreviewed suggestion is not in the page: nothing to follow
            followed.append(record.record(segment, text, held.user, seen.get(segment.id)))
        SegmentTranslation.objects.bulk_update(
            followed,
            RECORD_FIELDS,
        )


def unreviewed_machine_counts(page, text=None):
    """Language → number of the page's segments whose target is an unreviewed suggestion.

    Records of segments the English text no longer has are not counted: nobody can
    review them. ``text``: the content whose English decides that (default: the latest
    revision). One query when there is no machine record.
    """
    records = list(
        SegmentTranslation.objects.filter(
            page_id=page.pk, status=SegmentTranslation.Status.MACHINE
        ).values_list("lang", "segment_id")
    )
    if not records:
        return {}
    if text is None:
        text = page.get_latest_revision_as_object() if page.latest_revision_id else page.specific
    ids = set()
    for segment in page_segments(text, DEFAULT_LANGUAGE):
        ids.update({segment.id, segment.alias} - {""})
    counts = {}
    for lang, segment_id in records:
        if segment_id in ids:
            counts[lang] = counts.get(lang, 0) + 1
    return counts


def _comparable(value):
    """A field value as data: a StreamField's raw blocks (JSON-equal), a text as it is."""
    if hasattr(value, "get_prep_value"):
        return json.loads(json.dumps(value.get_prep_value(), sort_keys=True, cls=DjangoJSONEncoder))
    if isinstance(value, list):
        return json.loads(json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder))
    return value or ""


def _with_own_ids(content, adopted):
    """``content`` with target blocks paired by position given back their own ids, so a
    merge lines them up with the same blocks in other revisions."""
    for key, own in adopted.items():
        raw = content.get(key)
        raw = json.loads(raw) if isinstance(raw, str) else raw
        content[key] = json.dumps(
            [{**item, "id": own.get(item.get("id"), item.get("id"))} for item in raw or []]
        )
    return content


def _ids(raw):
    return {item.get("id") for item in raw if item.get("id")}


def _raw(value):
    if value is None:
        return []
    if hasattr(value, "get_prep_value"):
        return list(value.get_prep_value())
    return list(value)


def live_segment_counts(page):
    """``{lang: {"total", "translated", "missing", "stale"}}`` of ``page`` as published.

    ``page`` is the live content (in memory, as ``page_published`` sends it). A segment
    is missing when the live target text lacks it, stale when the workspace recorded its
    translation for another English text than the live one, translated otherwise.
    Unreviewed machine suggestions are never in the page, so they count as what the
    page holds. One query (the workspace's records of the page).
    """
    segments = page_segments(page, DEFAULT_LANGUAGE)
    records = {}
    for record in SegmentTranslation.objects.filter(page_id=page.pk):
        records.setdefault(record.lang, {})[record.segment_id] = record
    total = len(segments)
    counts = {DEFAULT_LANGUAGE: {"total": total, "translated": total, "missing": 0, "stale": 0}}
    for lang in SUPPORTED_LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        existing = existing_targets(page, lang, segments)
        own = records.get(lang, {})
        missing = stale = 0
        for segment in segments:
            if not (existing.get(segment.id) or "").strip():
                missing += 1
                continue
            record = own.get(segment.id) or own.get(segment.alias)
            if record is not None and not record.translates(segment):
                stale += 1
        counts[lang] = {
            "total": total,
            "translated": total - missing - stale,
            "missing": missing,
            "stale": stale,
        }
    return counts
