"""Approving and releasing the languages of a page: the rule, and what editors and the gate call.

A language's content goes live only when it is **approved** (``approval``): complete,
not out of date against the default language, without unreviewed machine suggestions,
and, for the page types of ``RELEASE_REVIEW_REQUIRED_FOR``, medically reviewed in that
language with the digest of that very text. The default language follows the same
review rule; a page whose default language never went live is not visible.

- ``release_published`` is the gate: whatever published the page (the publish button,
  workflow approval, bulk or scheduled publishing, ``revision.publish()`` in code, a copy
  kept live), it releases each language approved in the published revision; the others
  keep their previous release.
- ``release_language`` ("Publish Vietnamese") releases one language of a revision (the
  latest by default) without publishing the page; ``withdraw_language`` takes one
  language offline (readers get the default language).
- ``language_states`` is what the edit screen shows: each language's state, its release,
  and why the latest revision is not approved.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext, ngettext
from wagtail.log_actions import log

from cms import clock
from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_in_sentence
from cms.translations import content_fields, field_value, is_filled, required_fields
from cms.visibility import reader_languages_changed, reader_page

from .models import LanguageRelease

DEFAULT_REVIEW_REQUIRED_FOR = ("therapies.TherapyPage", "therapies.ArticlePage")

INCOMPLETE = "incomplete"
STALE = "stale"
MACHINE_UNREVIEWED = "machine_unreviewed"
REVIEW_MISSING = "review_missing"

LIVE = "live"
PENDING = "pending"
MISSING = "missing"


@dataclass(frozen=True)
class Reason:
    """Why one language of some content is not approved: a code and a sentence for editors."""

    code: str
    message: str


@dataclass
class LanguageState:
    """One language of a page as its readers get it, and why its latest text is not live.

    ``state``: ``live`` (readers get the latest text, approved), ``pending`` (newer text
    exists and is not released), ``missing`` (nothing released, or withdrawn: readers get
    the default language). ``reasons``: why the latest revision's text in this language
    is not approved (empty when it is).
    """

    lang: str
    state: str
    released_revision: object = None
    live_since: datetime | None = None
    released_by: object = None
    reasons: list[Reason] = field(default_factory=list)


class NotApproved(Exception):
    """The content of a language is not approved: ``reasons`` says why."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__("; ".join(reason.message for reason in self.reasons))


# -- the rule -----------------------------------------------------------------------------


def review_required(page):
    """True when pages of ``page``'s type go live only once medically reviewed per language."""
    labels = getattr(settings, "RELEASE_REVIEW_REQUIRED_FOR", DEFAULT_REVIEW_REQUIRED_FOR)
    return type(page)._meta.label_lower in {label.lower() for label in labels}


def _labels(page, names):
    from editorial.panels import field_label

    return ", ".join(field_label(type(page), name) for name in names)


def _incomplete(page, lang):
    """Fields a reader of ``lang`` would get in the default language: every content or
    required field the default language has and ``lang`` lacks. The default language is the
    source: what it holds is what a translation must hold (Wagtail's validation decides
    what a page needs before it can be published at all)."""
    if lang == DEFAULT_LANGUAGE:
        return []
    names = dict.fromkeys([*content_fields(page), *required_fields(page)])
    return [
        name
        for name in names
        if is_filled(field_value(page, name, DEFAULT_LANGUAGE))
        and not is_filled(field_value(page, name, lang))
    ]


def _reviewed(page, lang):
    from editorial.models import MedicalReview
    from editorial.status import text_digest

    digest = text_digest(page, lang)
    return MedicalReview.objects.filter(page_id=page.pk, lang=lang, text_digest=digest).exists()


def _unreviewed_machine_segments(page, lang):
    from workspace.workspace import unreviewed_machine_counts

    return unreviewed_machine_counts(page, text=page).get(lang, 0)


def approval(page, lang):
    """Why the content of ``page`` (in memory: any revision) in ``lang`` is not approved.

    An empty list means approved. Messages are in the active (admin) language.
    """
    from editorial.status import stale_fields_of

    reasons = []
    missing = _incomplete(page, lang)
    if missing:
        reasons.append(
            Reason(
                INCOMPLETE,
                gettext("Not complete: %(fields)s empty.") % {"fields": _labels(page, missing)},
            )
        )
    if lang != DEFAULT_LANGUAGE and page.pk:
        stale = stale_fields_of(page, lang)
        if stale:
            reasons.append(
                Reason(
                    STALE,
                    gettext(
                        "Out of date: %(fields)s changed in the %(source)s text since this "
                        "translation; update it or confirm it still matches."
                    )
                    % {
                        "fields": _labels(page, stale),
                        "source": language_in_sentence(DEFAULT_LANGUAGE),
                    },
                )
            )
        count = _unreviewed_machine_segments(page, lang)
        if count:
            reasons.append(
                Reason(
                    MACHINE_UNREVIEWED,
                    ngettext(
                        "%(count)d machine-translated segment is not reviewed.",
                        "%(count)d machine-translated segments are not reviewed.",
                        count,
                    )
                    % {"count": count},
                )
            )
    if review_required(page) and not (page.pk and _reviewed(page, lang)):
        reasons.append(
            Reason(
                REVIEW_MISSING,
                gettext(
                    "No medical review of this text: a doctor must review it in this language."
                ),
            )
        )
    return reasons


# -- releasing ----------------------------------------------------------------------------


def _stored(page):
    """``page`` as stored now (its specific row): an instance in hand may be out of date."""
    from wagtail.models import Page

    return Page.objects.get(pk=page.pk).specific


def _record(page, lang, revision, content, user, now):
    """Make ``revision``'s ``lang`` text (``content``) the one readers get; True when they get
    other text than before (a new text, or the language was not live)."""
    from editorial.status import text_digest

    digest = text_digest(content, lang)
    release = LanguageRelease.objects.select_for_update().filter(page_id=page.pk, lang=lang).first()
    if release is None:
        LanguageRelease.objects.create(
            page_id=page.pk,
            lang=lang,
            revision=revision,
            text_digest=digest,
            released_at=now,
            released_by=user,
        )
        return True
    same = release.in_force and release.text_digest == digest
    release.revision = revision
    release.text_digest = digest
    if not same:  # the same text released again (another language changed) stays live since
        release.released_at = now
        release.released_by = user
        release.withdrawn_at = None
        release.withdrawn_by = None
    release.save()
    return not same


def _language_data(lang, reasons=()):
    data = {"language": lang}
    if reasons:
        data["reasons"] = [reason.code for reason in reasons]
    return data


def _after_change(page, languages, action):
    """What follows a change of what readers get outside a publish: documents, the live
    status (``editorial``: what readers see is flagged stale or not), webhooks.

    A publish does the first two itself (the read model's and editorial's receivers of
    ``page_published``, which run after the gate).
    """
    from editorial.pages import EditorialPageMixin
    from editorial.status import forget_live_status, record_live_status
    from readmodel.outbox import record_pages

    if action != "published":
        record_pages([page.pk], f"languages {action}")
        # A publish reaches the aliases itself (Wagtail's ``update_aliases``, then the gate).
        _mirror_aliases(page, languages, action)
        if page.live and isinstance(page, EditorialPageMixin):
            reader = reader_page(page)
            if reader is None:
                forget_live_status(page)
            else:
                record_live_status(reader, revision=page.live_revision)
    reader_languages_changed.send(
        sender=type(page), instance=page, languages=list(languages), action=action
    )


def release_published(page, revision=None, user=None, now=None):
    """The gate: ``page`` (its specific row, holding ``revision``'s content) was published.

    Releases each language whose content in it is approved; the others keep what readers
    had. Returns ``{lang: reasons}`` (empty reasons: released). Logged in the page history.
    """
    now = now or clock.now()
    outcome, changed = {}, []
    with transaction.atomic():
        for lang in SUPPORTED_LANGUAGES:
            reasons = approval(page, lang)
            outcome[lang] = reasons
            if reasons:
                if is_filled(field_value(page, "title", lang)):
                    log(
                        instance=page,
                        action="releases.pending",
                        user=user,
                        revision=revision,
                        data=_language_data(lang, reasons),
                    )
                continue
            if _record(page, lang, revision, page, user, now):
                changed.append(lang)
                log(
                    instance=page,
                    action="releases.release",
                    user=user,
                    revision=revision,
                    data=_language_data(lang),
                )
        _after_change(page, changed, "published")
    return outcome


def mirror_original(alias, languages=(), action="published"):
    """An alias (Wagtail's page shown at a second place) gets its original's releases: when it
    is published (its original was), and when a language of its original is released or
    withdrawn on its own. Its documents are rebuilt, and its section's with them."""
    from readmodel.outbox import record_pages

    with transaction.atomic():
        record_pages([alias.pk], "original's languages changed")
        LanguageRelease.objects.filter(page_id=alias.pk).delete()
        LanguageRelease.objects.bulk_create(
            LanguageRelease(
                page_id=alias.pk,
                lang=release.lang,
                revision_id=release.revision_id,
                text_digest=release.text_digest,
                released_at=release.released_at,
                released_by_id=release.released_by_id,
                withdrawn_at=release.withdrawn_at,
                withdrawn_by_id=release.withdrawn_by_id,
            )
            for release in LanguageRelease.objects.filter(page_id=alias.alias_of_id)
        )
        reader_languages_changed.send(
            sender=type(alias), instance=alias, languages=list(languages), action=action
        )


def _mirror_aliases(page, languages, action):
    """The aliases of ``page``, and theirs, get its releases again."""
    seen, originals = {page.pk}, [page.pk]
    while originals:
        aliases = type(page).objects.filter(alias_of_id__in=originals).exclude(pk__in=seen)
        originals = []
        for alias in aliases:
            mirror_original(alias, languages, action)
            seen.add(alias.pk)
            originals.append(alias.pk)


def release_language(page, lang, user, revision=None):
    """Release ``lang`` of ``revision`` (default: the latest) on its own ("Publish Vietnamese").

    The other languages and the page row are untouched. Raises ``NotApproved`` when that
    content is not approved. Returns the ``LanguageRelease``.
    """
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"Unsupported language {lang!r}.")
    page = _stored(page)
    revision = revision or page.latest_revision
    content = revision.as_object() if revision is not None else page
    reasons = approval(content, lang)
    if reasons:
        raise NotApproved(reasons)
    with transaction.atomic():
        changed = _record(page, lang, revision, content, user, clock.now())
        log(
            instance=page,
            action="releases.release",
            user=user,
            revision=revision,
            data=_language_data(lang),
        )
        _after_change(page, [lang] if changed else [], "released")
    return LanguageRelease.objects.get(page_id=page.pk, lang=lang)


def withdraw_language(page, lang, user):
    """Take ``lang`` offline: its readers get the default language (reported as a fallback).

    Not the default language (unpublish the page instead). Returns the release, or None
    when the language was not live.
    """
    if lang == DEFAULT_LANGUAGE:
        raise ValueError("The default language cannot be withdrawn: unpublish the page instead.")
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"Unsupported language {lang!r}.")
    page = _stored(page)
    with transaction.atomic():
        release = (
            LanguageRelease.objects.select_for_update().filter(page_id=page.pk, lang=lang).first()
        )
        if release is None or not release.in_force:
            return None
        release.withdrawn_at = clock.now()
        release.withdrawn_by = user
        release.save(update_fields=["withdrawn_at", "withdrawn_by"])
        log(instance=page, action="releases.withdraw", user=user, data=_language_data(lang))
        _after_change(page, [lang], "withdrawn")
    return release


# -- what editors see ---------------------------------------------------------------------


def language_states(page):
    """``{lang: LanguageState}`` of ``page``: what readers get, and why the latest revision
    of each language is not approved."""
    from .compose import reader_states

    page = _stored(page)
    latest = page.get_latest_revision_as_object() if page.latest_revision_id else page
    releases = {
        r.lang: r
        for r in LanguageRelease.objects.filter(page_id=page.pk).select_related(
            "revision", "released_by"
        )
    }
    readers = reader_states(page)
    states = {}
    for lang in SUPPORTED_LANGUAGES:
        release = releases.get(lang)
        info = readers[lang]
        live = info["state"] != MISSING
        states[lang] = LanguageState(
            lang=lang,
            state=info["state"],
            released_revision=release.revision if live and release is not None else None,
            live_since=info["live_since"],
            released_by=release.released_by if live and release is not None else None,
            reasons=approval(latest, lang),
        )
    return states
