"""What editorial adds to the read model (``readmodel``): reviews and freshness rows shown by pages.

A page's API document shows its medical reviews (with the reviewing doctor) and its
translations' freshness flags; a review falls due with time alone.
"""

import datetime

from django.utils import timezone

from cms import clock
from readmodel import builder, dependencies

from .models import MedicalReview, PageLanguageStatus
from .status import review_due_on

dependencies.watch(MedicalReview, shown_by=lambda review: [review.page_id])
dependencies.watch(PageLanguageStatus, shown_by=lambda row: [row.page_id])


@builder.register_valid_until
def review_falls_due(page):
    """The first moment a review of ``page`` is no longer current (the day after it is due)."""
    interval = getattr(page, "review_interval_months", None)
    if not hasattr(page, "medical_reviews"):
        return None
    now = clock.now()
    moments = []
    for reviewed_on in set(page.medical_reviews.values_list("reviewed_on", flat=True)):
        review = MedicalReview(reviewed_on=reviewed_on)
        day_after = review_due_on(review, interval) + datetime.timedelta(days=1)
        moment = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))
        if moment > now:
            moments.append(moment)
    return min(moments) if moments else None
