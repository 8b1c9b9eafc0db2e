"""What therapies add to the read model (``readmodel``): the pages that show a doctor.

A doctor is named by the medical reviews of pages (``editorial``), quoted in bodies (the
reference index finds those): a doctor edit rebuilds the pages whose reviews name them.
"""

from editorial.models import MedicalReview
from readmodel import dependencies

from .models import Doctor

dependencies.watch(
    Doctor,
    shown_by=lambda doctor: list(
        MedicalReview.objects.filter(doctor=doctor).values_list("page_id", flat=True).distinct()
    ),
)
