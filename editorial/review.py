"""Medical review per language: recording a review, and reading the one that applies to a page.

A review applies to a language while that language's text is the text the doctor
reviewed (same digest); it lapses as soon as the text changes. The public page, the
API and JSON-LD read ``current_review`` / ``json_ld_review``.
"""

from wagtail import hooks
from wagtail.log_actions import log

from cms import clock
from cms.language import SUPPORTED_LANGUAGES
from cms.translations import is_available

from .models import PREFETCHED_REVIEWS, MedicalReview, doctor_for
from .status import (
    content_changed,
    latest_reviews,
    refresh_reviews,
    supports_review,
    text_digest,
)


def record_review(page, doctor, *, revision=None, user=None, reviewed_on=None, languages=None):
    """Record ``doctor``'s review of ``page`` (its in-memory content) for each written language."""
    reviewed_on = reviewed_on or clock.today()
    languages = languages or [lang for lang in SUPPORTED_LANGUAGES if is_available(page, lang)]
    reviews = MedicalReview.objects.bulk_create(
        MedicalReview(
            page_id=page.pk,
            lang=lang,
            doctor=doctor,
            reviewed_on=reviewed_on,
            revision=revision,
            text_digest=text_digest(page, lang),
            approved_by=user,
        )
        for lang in languages
    )
    # The summary columns: newest review of the page (kept out of revisions, see the page mixin).
    if hasattr(type(page), "reviewed_by"):
        type(page).objects.filter(pk=page.pk).update(reviewed_by=doctor, last_reviewed=reviewed_on)
    refresh_reviews(page)
    content_changed(page)  # the public review line and the API's review are cached
    log(
        instance=page,
        action="editorial.medical_review",
        user=user,
        revision=revision,
        data={
            "doctor": {"id": doctor.pk, "name": doctor.name},
            "languages": list(languages),
            "reviewed_on": reviewed_on.isoformat(),
        },
    )
    return reviews


APPROVAL_BLOCKERS_HOOK = "medical_review_approval_blockers"


def approval_blockers(page):
    """Why ``page`` cannot be approved in medical review now: messages, empty when it can.

    Apps add reasons with the ``medical_review_approval_blockers`` hook: a function of
    the page returning messages (the translate app refuses unreviewed machine text).
    """
    return [
        message for blocker in hooks.get_hooks(APPROVAL_BLOCKERS_HOOK) for message in blocker(page)
    ]


def record_approval(task_state, user):
    """A Medical review task was approved: the approving doctor reviewed the task's revision."""
    revision = task_state.revision
    page = revision.as_object()
    doctor = doctor_for(user)
    if doctor is None or not supports_review(page):
        return []
    return record_review(page, doctor, revision=revision, user=user)


def current_review(page, lang):
    """The review that applies to ``page``'s text in ``lang`` now, or None.

    Uses ``prefetch_related(Prefetch("medical_reviews", ..., to_attr=PREFETCHED_REVIEWS))``
    when present: no query per page in listings.
    """
    if not getattr(page, "pk", None) or not supports_review(page):
        return None
    if hasattr(page, PREFETCHED_REVIEWS):
        reviews = getattr(page, PREFETCHED_REVIEWS)
    elif not getattr(page, "reviewed_by_id", None):
        return None  # recording a review sets reviewed_by: never reviewed, no query needed
    else:
        reviews = page.medical_reviews.select_related("doctor").filter(lang=lang)
    review = latest_reviews(reviews).get(lang)
    if review is None or review.text_digest != text_digest(page, lang):
        return None
    return review


_UNSET = object()


def json_ld_review(page, lang, review=_UNSET):
    """schema.org ``reviewedBy``/``lastReviewed`` of ``page`` in ``lang``; {} when not reviewed.

    ``review``: ``current_review(page, lang)`` when the caller has it already.
    """
    from django.utils.translation import override

    from cms.translations import field_value

    if review is _UNSET:
        review = current_review(page, lang)
    if review is None:
        return {}
    doctor = review.doctor
    with override(lang):
        credentials = field_value(doctor, "credentials", lang) or doctor.credentials
    person = {"@type": "Person", "name": doctor.name}
    if credentials:
        person["jobTitle"] = credentials
    return {"reviewedBy": person, "lastReviewed": review.reviewed_on.isoformat()}
