"""Per-language status of a page: completeness, freshness (out of date against English), review due.

Each page has two sets of rows. The live rows describe what readers and API clients
see: ``record_live_status`` runs when a revision is published (``page_published``) and
``forget_live_status`` when the page is unpublished; the site and the API read only
them. The draft rows describe the latest revision: ``record_page_status`` runs on every
``save_revision``; the editor's panels and reports show them next to the live ones.

Each row compares a digest of each translatable field with the one stored before, so it
knows, per language and per field, when the text last changed, without keeping old
revisions around. Cost: a fixed number of queries (read statuses, read reviews, write
statuses), however many blocks the bodies have.
"""

import calendar
import hashlib
import json
import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation
from wagtail import hooks

from cms import clock
from cms import rows as rows_written
from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, normalize_code
from cms.translations import (
    DRAFT,
    LIVE,
    PREFETCHED_STATUSES,
    content_fields,
    field_value,
    is_available,
    is_filled,
    missing_fields,
    translatable_fields,
)
from cms.visibility import reader_page

# Fields whose changes do not make a translation out of date or lapse a review.
NOT_TRACKED = {"url_path"}
NOT_REVIEWED = {"url_path", "slug"}
DUE_SOON_DAYS = 30


def _strip_ids(value):
    # Not text changes: block ids (regenerated when raw data without ids is loaded) and the
    # ListBlock storage format (plain values become {"type": "item", "value": …} on a round trip).
    if isinstance(value, dict):
        value = {k: _strip_ids(v) for k, v in value.items() if k != "id"}
        if value.keys() == {"type", "value"} and value["type"] == "item":
            return value["value"]
        return value
    if isinstance(value, list):
        return [_strip_ids(v) for v in value]
    return value


# Draftail adds block keys to rich text the first time the editor round-trips it: not a text change.
_BLOCK_KEY = re.compile(r'\s+data-block-key=\\?"[^"\\]*\\?"')


def _canonical(value):
    if value is None:
        return ""
    if hasattr(value, "get_prep_value"):  # StreamValue: raw data, no conversion, no queries
        value = value.get_prep_value()
    if isinstance(value, (list, dict)):
        value = json.dumps(_strip_ids(value), sort_keys=True, ensure_ascii=False)
    elif hasattr(value, "source"):  # RichText
        value = value.source
    return _BLOCK_KEY.sub("", str(value)).strip()


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def tracked_fields(model):
    return [name for name in translatable_fields(model) if name not in NOT_TRACKED]


def field_digests(page, lang):
    """``{field: (digest, filled)}`` for the translatable fields of ``page`` in ``lang``."""
    result = {}
    for name in tracked_fields(type(page)):
        value = field_value(page, name, lang)
        result[name] = (_digest(_canonical(value)), is_filled(value))
    return result


def text_digest(page, lang, digests=None):
    """One digest of everything a medical reviewer reads in ``lang`` (slug excluded)."""
    digests = digests if digests is not None else field_digests(page, lang)
    joined = "|".join(
        f"{name}={digests[name][0]}" for name in sorted(digests) if name not in NOT_REVIEWED
    )
    return _digest(joined)


def supports_review(page):
    return hasattr(page, "review_interval_months")


def _parse(moment):
    return datetime.fromisoformat(moment) if moment else None


def compute_stale(default_fields, lang_fields, confirmed_at):
    """Fields of a translation whose English counterpart changed after it and after confirmation."""
    stale = []
    for name, info in lang_fields.items():
        source = default_fields.get(name)
        if not info.get("filled") or not source or not source.get("filled"):
            continue  # empty translations are "missing", not out of date
        source_changed = _parse(source.get("changed_at"))
        own_changed = _parse(info.get("changed_at"))
        newest_own = max(filter(None, [own_changed, confirmed_at]), default=None)
        if source_changed and newest_own and source_changed > newest_own:
            stale.append(name)
    return stale


def stale_fields_of(page, lang, now=None):
    """Fields of ``lang`` out of date against the default language in ``page``'s in-memory
    content (any revision), judged as recording its status would judge it, without writing.

    Text either scope of the status rows already recorded keeps its time; other text counts
    as written ``now``. A confirmation recorded for this same text (both languages) applies.
    One query (the page's status rows of both languages).
    """
    from .models import PageLanguageStatus

    if lang == DEFAULT_LANGUAGE:
        return []
    stamp = (now or clock.now()).isoformat()
    rows = list(
        PageLanguageStatus.objects.filter(page_id=page.pk, lang__in={lang, DEFAULT_LANGUAGE})
    )

    def fields_of(of_lang):
        known = [
            row.fields or {} for row in sorted(rows, key=lambda r: r.scope) if row.lang == of_lang
        ]
        fields = {}
        for name, (digest, filled) in field_digests(page, of_lang).items():
            before = next(
                (source[name] for source in known if source.get(name, {}).get("digest") == digest),
                None,
            )
            fields[name] = before or {"digest": digest, "filled": filled, "changed_at": stamp}
        return fields

    default_fields, own = fields_of(DEFAULT_LANGUAGE), fields_of(lang)
    by_scope = {(row.scope, row.lang): row for row in rows}
    confirmed = [
        row.confirmed_at
        for (scope, row_lang), row in by_scope.items()
        if row_lang == lang
        and row.confirmed_at is not None
        and (scope, DEFAULT_LANGUAGE) in by_scope
        and _same_text(row.fields, own)
        and _same_text(by_scope[(scope, DEFAULT_LANGUAGE)].fields, default_fields)
    ]
    return compute_stale(default_fields, own, max(confirmed, default=None))


def add_months(day, months):
    """``day`` plus ``months`` calendar months (31 January + 1 month = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def review_due_on(review, interval_months):
    return add_months(review.reviewed_on, interval_months or 12)


def latest_reviews(reviews):
    """``{lang: newest MedicalReview}`` from reviews ordered newest first."""
    latest = {}
    for review in reviews:
        latest.setdefault(review.lang, review)
    return latest


def freshness_prefetch(scope):
    """The freshness rows ``cms.translations.stale_fields`` reads (only what it reads).

    Registered for every page the API shows (``cms.api.representation``). The live rows:
    flags describe what readers see, never an unpublished draft (the preview of a draft
    reads the draft rows).
    """
    from django.db.models import Prefetch

    from .models import PageLanguageStatus

    return Prefetch(
        "editorial_statuses",
        PageLanguageStatus.objects.filter(scope=scope)
        .exclude(lang=DEFAULT_LANGUAGE)
        .only("id", "page", "lang", "scope", "stale_fields", "segments"),
        to_attr=PREFETCHED_STATUSES,
    )


def all_statuses_prefetch():
    """Every status row of each page (both scopes), for the admin's listings."""
    from django.db.models import Prefetch

    return Prefetch("editorial_statuses", to_attr=PREFETCHED_STATUSES)


def record_page_status(page, revision=None, now=None):
    """Record the draft status of ``page`` (its latest revision, in memory): ``save_revision``."""
    return _record(page, DRAFT, revision, now or clock.now())


def record_live_status(page, revision=None, now=None):
    """Record the live status of ``page`` (the content just published, in memory).

    Readers and API clients see only this status. A field whose text is the draft's
    keeps the time the draft recorded for it, so publishing an English change that was
    saved before the Vietnamese one does not flag the Vietnamese text. Text neither
    scope knows (an older revision published) counts as written when its revision was
    saved, and so does text recorded later than that (``_record``).
    """
    if not page.live:  # published with a go-live date still ahead: nothing is live yet
        return forget_live_status(page)
    now = now or clock.now()
    written = getattr(revision, "created_at", None) or now
    return _record(page, LIVE, revision, now, stamp=min(written, now))


def forget_live_status(page):
    """The page is no longer live: it has no live status (its draft status stays)."""
    from .models import PageLanguageStatus

    PageLanguageStatus.objects.filter(page_id=page.pk, scope=LIVE).delete()
    return {}


def refresh_page_status(page):
    """Both statuses of ``page`` (its specific live row), from what is stored: the command."""
    latest = page.get_latest_revision_as_object() if page.latest_revision_id else page
    record_page_status(latest, revision=page.latest_revision)
    reader = reader_page(page)  # what readers get, each language as released
    if reader is not None:
        record_live_status(reader, revision=page.live_revision)
    else:
        forget_live_status(page)


@transaction.atomic
def _record(page, scope, revision, now, stamp=None):
    """Update the ``scope`` rows of ``page`` from its in-memory content.

    Text identical to what either scope already recorded keeps its time (and a
    confirmation given for that same text applies); other text is stamped ``stamp``.
    No text counts as written after ``stamp``, when its revision was saved: the draft
    stamps text a moment after its revision is saved, so a revision whose Vietnamese
    text the draft has since replaced would otherwise look translated before its
    English was written. Queries: statuses read, reviews read, statuses written.
    """
    from .models import MedicalReview, PageLanguageStatus

    written = stamp or now
    stamp = written.isoformat()
    rows, others = {}, {}
    for row in PageLanguageStatus.objects.filter(page_id=page.pk):
        (rows if row.scope == scope else others)[row.lang] = row
    stale_before = {lang: list(row.stale_fields) for lang, row in rows.items()}
    reviews = (
        latest_reviews(
            MedicalReview.objects.filter(page_id=page.pk).order_by("-reviewed_on", "-pk")
        )
        if supports_review(page)
        else {}
    )
    if supports_review(page) and not reviews:
        reviews = _import_legacy_review(page, revision, now)

    new, changed = [], []
    for lang in SUPPORTED_LANGUAGES:
        row = rows.get(lang)
        if row is None:
            row = rows[lang] = PageLanguageStatus(page_id=page.pk, lang=lang, scope=scope)
            new.append(row)
        else:
            changed.append(row)
        digests = field_digests(page, lang)
        known = [row.fields or {}, getattr(others.get(lang), "fields", None) or {}]
        fields = {}
        for name, (digest, filled) in digests.items():
            before = next(
                (source[name] for source in known if source.get(name, {}).get("digest") == digest),
                None,
            )
            known_at = _parse(before.get("changed_at")) if before else None
            if before is None:
                before = {"digest": digest, "filled": filled, "changed_at": stamp}
            elif known_at and known_at > written:
                before = {**before, "changed_at": stamp}
            fields[name] = before
        if fields != row.fields:
            times = [_parse(info.get("changed_at")) for info in fields.values()]
            row.changed_at = max(filter(None, times), default=now)
        row.fields = fields
        if revision is not None:
            row.revision = revision
        row.text_digest = text_digest(page, lang, digests)
        row.missing = missing_fields(page, lang)
        row.is_complete = not row.missing
        _apply_review(row, page, reviews.get(lang), is_available(page, lang))

    default = rows[DEFAULT_LANGUAGE]
    for lang, row in rows.items():
        if lang == DEFAULT_LANGUAGE:
            row.stale_fields = []
        else:
            _adopt_confirmation(row, default, others.get(lang), others.get(DEFAULT_LANGUAGE))
            row.stale_fields = compute_stale(default.fields, row.fields, row.confirmed_at)
        row.is_stale = bool(row.stale_fields)

    flags = red_flags_by_language(page) if scope == DRAFT else {}
    for lang, row in rows.items():
        row.red_flags = flags.get(lang, [])
        row.has_red_flags = bool(row.red_flags)

    counts = live_segment_counts(page) if scope == LIVE else {}
    for lang, row in rows.items():
        row.segments = counts.get(lang, {})

    if new:
        PageLanguageStatus.objects.bulk_create(new)
    if changed:
        rows_written.update_fields(changed, STATUS_UPDATE_FIELDS)
    if scope == LIVE and any(
        stale_before.get(lang, []) != row.stale_fields for lang, row in rows.items()
    ):
        content_changed(page)  # the API shows translations[lang].stale
    return rows


def red_flags_by_language(page):
    """``{lang: [{"phrase", "snippet", "location": {admin language: label}}]}``: the red-flag
    claims in ``page``'s text.

    Recorded with the draft status so the dashboard and its report read them, not the text;
    the place of each claim is named in every admin language (labels are translated).
    """
    from .claims import check_page

    runs = {}
    for admin_lang in SUPPORTED_LANGUAGES:
        with translation.override(admin_lang):
            runs[admin_lang] = check_page(page)  # the same hits in the same order, labelled
    found = {}
    for i, hit in enumerate(runs[DEFAULT_LANGUAGE]):
        found.setdefault(hit.lang, []).append(
            {
                "phrase": hit.phrase,
                "snippet": hit.snippet,
                "location": {admin_lang: run[i].location for admin_lang, run in runs.items()},
            }
        )
    return found


def red_flag_location(flag):
    """Where a recorded claim is, in the editor's admin language."""
    names = flag.get("location") or {}
    return names.get(normalize_code(translation.get_language())) or names.get(DEFAULT_LANGUAGE, "")


LIVE_SEGMENT_COUNTS_HOOK = "editorial_live_segment_counts"


def live_segment_counts(page):
    """``{lang: {"total", "translated", "missing", "stale"}}`` of the content just published.

    Editorial knows no segments: apps that do (the translate workspace) answer the
    ``editorial_live_segment_counts`` hook with ``page`` (the live content, in memory).
    Recorded on the live rows at publish time, so the API reads them with the rows it
    already prefetches (no query of its own).
    """
    found = {}
    for count in hooks.get_hooks(LIVE_SEGMENT_COUNTS_HOOK):
        found.update(count(page) or {})
    return found


@transaction.atomic
def refresh_reviews(page):
    """Review flags of the rows of ``page`` (both scopes) after a review was recorded.

    Each row is judged against the text it recorded, so reviewing the draft does not
    mark the different live text reviewed. A page with no draft rows yet gets them
    from ``page``. Queries: statuses read, reviews read, statuses written.
    """
    from .models import MedicalReview, PageLanguageStatus

    rows = list(PageLanguageStatus.objects.filter(page_id=page.pk))
    if not any(row.scope == DRAFT for row in rows):
        record_page_status(page)
        rows = [row for row in rows if row.scope == LIVE]
    reviews = latest_reviews(
        MedicalReview.objects.filter(page_id=page.pk).order_by("-reviewed_on", "-pk")
    )
    for row in rows:
        available = all((row.fields or {}).get(f, {}).get("filled") for f in content_fields(page))
        _apply_review(row, page, reviews.get(row.lang), available)
    rows_written.update_fields(
        rows, ["review_required", "review_due_on", "review_lapsed", "updated_at"]
    )


def _same_text(fields, other_fields):
    digests = {name: info.get("digest") for name, info in (fields or {}).items()}
    return digests == {name: info.get("digest") for name, info in (other_fields or {}).items()}


def _adopt_confirmation(row, default, other, other_default):
    """A confirmation recorded in the other scope for this same text (both languages) applies."""
    if other is None or other_default is None or other.confirmed_at is None:
        return
    if row.confirmed_at is not None and row.confirmed_at >= other.confirmed_at:
        return
    if _same_text(row.fields, other.fields) and _same_text(default.fields, other_default.fields):
        row.confirmed_at, row.confirmed_by_id = other.confirmed_at, other.confirmed_by_id


def content_changed(page):
    """The API shows these flags and reviews of ``page``: rebuild its documents (no publish).

    Rows written in bulk send no signal, so the read model is told here.
    """
    from readmodel.outbox import record_pages

    record_pages([page.pk], "editorial flags changed")


STATUS_UPDATE_FIELDS = [
    "revision",
    "fields",
    "text_digest",
    "changed_at",
    "missing",
    "is_complete",
    "stale_fields",
    "is_stale",
    "segments",
    "red_flags",
    "has_red_flags",
    "confirmed_at",
    "confirmed_by",
    "review_required",
    "review_due_on",
    "review_lapsed",
    "updated_at",
]


def _apply_review(row, page, review, available):
    row.updated_at = timezone.now()
    if not supports_review(page):
        row.review_required = False
        row.review_due_on = None
        row.review_lapsed = False
        return
    row.review_required = bool(review) or available
    row.review_due_on = review_due_on(review, page.review_interval_months) if review else None
    row.review_lapsed = bool(review) and review.text_digest != row.text_digest


def _import_legacy_review(page, revision, now):
    """A page created with ``reviewed_by``/``last_reviewed`` (e.g. by the demo loader) and no
    review records yet: record that review for each language the page is written in."""
    from .models import MedicalReview

    doctor_id = getattr(page, "reviewed_by_id", None)
    reviewed_on = getattr(page, "last_reviewed", None)
    if not doctor_id or not reviewed_on or not page.pk:
        return {}
    reviews = {}
    for lang in SUPPORTED_LANGUAGES:
        if is_available(page, lang):
            reviews[lang] = MedicalReview(
                page_id=page.pk,
                lang=lang,
                doctor_id=doctor_id,
                reviewed_on=reviewed_on,
                revision=revision,
                text_digest=text_digest(page, lang),
            )
    MedicalReview.objects.bulk_create(reviews.values())
    return reviews


def confirm_translation(page, lang, user, now=None):
    """The editor confirms the latest ``lang`` text still matches English: clear its flag.

    ``page`` is the latest revision, the text the editor compared. Its draft row is
    confirmed, and the live row too when the live text of both languages is that same
    text; otherwise the confirmation reaches the live row when the draft is published.
    Returns the fields that were flagged.
    """
    from .models import PageLanguageStatus

    now = now or clock.now()
    langs = {lang, DEFAULT_LANGUAGE}
    rows = {
        (row.scope, row.lang): row
        for row in PageLanguageStatus.objects.filter(page_id=page.pk, lang__in=langs)
    }
    if (DRAFT, lang) not in rows:
        for row_lang, row in record_page_status(page, now=now).items():
            rows[(DRAFT, row_lang)] = row
    draft, live = rows[(DRAFT, lang)], rows.get((LIVE, lang))
    targets = [draft]
    if live is not None and (LIVE, DEFAULT_LANGUAGE) in rows:
        same = _same_text(live.fields, draft.fields) and _same_text(
            rows[(LIVE, DEFAULT_LANGUAGE)].fields, rows[(DRAFT, DEFAULT_LANGUAGE)].fields
        )
        if same:
            targets.append(live)
    cleared, live_was_stale = [], bool(live in targets and live.stale_fields)
    for row in targets:
        cleared += [name for name in row.stale_fields if name not in cleared]
        row.confirmed_at = now
        row.confirmed_by = user
        row.stale_fields = []
        row.is_stale = False
        row.save(
            update_fields=[
                "confirmed_at",
                "confirmed_by",
                "stale_fields",
                "is_stale",
                "updated_at",
            ]
        )
    if live_was_stale:
        content_changed(page)  # the API shows the live row's flag
    return cleared


def statuses_by_scope(page):
    """``{"live": {lang: row}, "draft": {lang: row}}`` of ``page``.

    Uses ``prefetch_related("editorial_statuses")`` when present; one query otherwise.
    A page never published (or unpublished) has no live rows.
    """
    result = {LIVE: {}, DRAFT: {}}
    rows = getattr(page, PREFETCHED_STATUSES, None)
    for row in page.editorial_statuses.all() if rows is None else rows:
        result.setdefault(row.scope, {})[row.lang] = row
    return result


def review_state(row, today=None):
    """Review state of a status row: current, due_soon, overdue, lapsed or never."""
    today = today or clock.today()
    if row.review_due_on is None:
        return "never"
    if row.review_lapsed:
        return "lapsed"
    if row.review_due_on < today:
        return "overdue"
    if (row.review_due_on - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "current"
