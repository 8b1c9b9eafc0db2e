"""Per-language status of a page: completeness, freshness (out of date against English), review due.

``record_page_status`` runs on every ``save_revision`` of an editorial page. It compares
a digest of each translatable field with the one stored for the previous revision, so
it knows, per language and per field, when the text last changed, without keeping
the previous revision around. Cost: a fixed number of queries (read statuses, read
reviews, write statuses), however many blocks the bodies have.
"""

import calendar
import hashlib
import json
import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from cms.translations import field_value, is_filled, missing_fields, translatable_fields

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


@transaction.atomic
def record_page_status(page, revision=None, now=None):
    """Update the per-language status rows of ``page`` from its current (in-memory) content."""
    from .models import MedicalReview, PageLanguageStatus

    now = now or timezone.now()
    stamp = now.isoformat()
    rows = {row.lang: row for row in PageLanguageStatus.objects.filter(page_id=page.pk)}
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
            row = rows[lang] = PageLanguageStatus(page_id=page.pk, lang=lang)
            new.append(row)
        else:
            changed.append(row)
        digests = field_digests(page, lang)
        fields = {}
        for name, (digest, filled) in digests.items():
            before = (row.fields or {}).get(name)
            if before and before.get("digest") == digest:
                fields[name] = before
            else:
                fields[name] = {"digest": digest, "filled": filled, "changed_at": stamp}
                row.changed_at = now
        row.fields = fields
        if revision is not None:
            row.revision = revision
        row.text_digest = text_digest(page, lang, digests)
        row.missing = missing_fields(page, lang)
        row.is_complete = not row.missing
        _apply_review(row, page, reviews.get(lang), lang)

    default = rows[DEFAULT_LANGUAGE]
    for lang, row in rows.items():
        row.stale_fields = (
            []
            if lang == DEFAULT_LANGUAGE
            else compute_stale(default.fields, row.fields, row.confirmed_at)
        )
        row.is_stale = bool(row.stale_fields)

    if new:
        PageLanguageStatus.objects.bulk_create(new)
    if changed:
        PageLanguageStatus.objects.bulk_update(changed, STATUS_UPDATE_FIELDS)
    if any(stale_before.get(lang, []) != row.stale_fields for lang, row in rows.items()):
        content_changed()  # the API shows translations[lang].stale
    return rows


def content_changed():
    """Cached API responses carry these flags and reviews: drop them (no publish happened)."""
    from cms.cache import bump_content_version

    bump_content_version()


STATUS_UPDATE_FIELDS = [
    "revision",
    "fields",
    "text_digest",
    "changed_at",
    "missing",
    "is_complete",
    "stale_fields",
    "is_stale",
    "review_required",
    "review_due_on",
    "review_lapsed",
    "updated_at",
]


def _apply_review(row, page, review, lang):
    from cms.translations import is_available

    row.updated_at = timezone.now()
    if not supports_review(page):
        row.review_required = False
        row.review_due_on = None
        row.review_lapsed = False
        return
    row.review_required = bool(review) or is_available(page, lang)
    row.review_due_on = review_due_on(review, page.review_interval_months) if review else None
    row.review_lapsed = bool(review) and review.text_digest != row.text_digest


def _import_legacy_review(page, revision, now):
    """A page created with ``reviewed_by``/``last_reviewed`` (e.g. by the demo loader) and no
    review records yet: record that review for each language the page is written in."""
    from cms.translations import is_available

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
    """The editor confirms ``lang`` still matches English: clear its out-of-date flag."""
    from .models import PageLanguageStatus

    now = now or timezone.now()
    row = PageLanguageStatus.objects.filter(page_id=page.pk, lang=lang).first()
    if row is None:
        rows = record_page_status(page, now=now)
        row = rows[lang]
    stale_before = list(row.stale_fields)
    row.confirmed_at = now
    row.confirmed_by = user
    row.stale_fields = []
    row.is_stale = False
    row.save(
        update_fields=["confirmed_at", "confirmed_by", "stale_fields", "is_stale", "updated_at"]
    )
    if stale_before:
        content_changed()
    return stale_before


def statuses_by_lang(page):
    """``{lang: PageLanguageStatus}``; uses ``prefetch_related("editorial_statuses")``."""
    return {row.lang: row for row in page.editorial_statuses.all()}


def stale_fields(page, lang):
    from cms.translations import stale_fields as shared

    return shared(page, lang)


def review_state(row, today=None):
    """Review state of a status row: current, due_soon, overdue, lapsed or never."""
    today = today or timezone.localdate()
    if row.review_due_on is None:
        return "never"
    if row.review_lapsed:
        return "lapsed"
    if row.review_due_on < today:
        return "overdue"
    if (row.review_due_on - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "current"
