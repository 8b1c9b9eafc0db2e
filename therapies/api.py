"""The API shape of therapies, articles, their sections, their body blocks and doctors.

Blocks build their own values (``get_api_representation`` in ``blocks.py``);
the schemas here document those values so the OpenAPI document types every
block, and register the page types with the API.
"""

from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Path, Query, Router
from pydantic import Field

from cms import clock
from cms.api import registry
from cms.api.caching import json_response
from cms.api.errors import ErrorOut
from cms.api.language import lang_query, request_language
from cms.api.params import MAX_ID, Number, api_context, reject_unknown_params
from cms.api.rich_text import api_rich_text
from cms.api.schemas import ImageOut, JsonLdOut, OutSchema, PageBaseOut, PageRefOut
from cms.references import for_readers
from cms.translations import fallbacks
from cms.visibility import reader_list, visible_pages
from editorial.models import PREFETCHED_REVIEWS, MedicalReview
from editorial.status import review_due_on

from . import structured_data
from .blocks import doctor_api_representation
from .models import ArticleIndexPage, ArticlePage, Doctor, TherapyIndexPage, TherapyPage

# --- Blocks ---------------------------------------------------------------------------------


class DoctorOut(OutSchema):
    """A doctor: name, credentials and short bio in the requested language, and a portrait."""

    id: int
    name: str
    credentials: str
    bio: str
    photo: ImageOut | None


class HeadingValue(OutSchema):
    text: str
    level: Literal["h2", "h3"]


class ImageValue(OutSchema):
    image: ImageOut | None
    alt_text: str
    caption: str


class KeyPointsValue(OutSchema):
    title: str
    points: list[str]


class ComparisonRowOut(OutSchema):
    dimension: str
    values: list[str] = Field(description="One value per therapy, in the order of `therapies`.")


class ComparisonValue(OutSchema):
    title: str
    therapies: list[PageRefOut]
    rows: list[ComparisonRowOut]
    takeaway: str


class DoctorQuoteValue(OutSchema):
    doctor: DoctorOut | None
    quote: str
    context: str


class ClaimOut(OutSchema):
    claim: str
    why: str


class ClaimsWarningValue(OutSchema):
    title: str
    intro: str
    claims: list[ClaimOut]


class SafetyGroupOut(OutSchema):
    heading: str
    points: list[str]


class SafetyNotesValue(OutSchema):
    title: str
    groups: list[SafetyGroupOut]
    principle: str


class ButtonOut(OutSchema):
    kind: Literal["hotline", "zalo", "booking"]
    url: str
    text: str | None = Field(description="The hotline as the clinic writes it; null otherwise.")


class CallToActionValue(OutSchema):
    title: str
    text: str
    show_hotline: bool
    show_zalo: bool
    show_booking: bool
    buttons: list[ButtonOut] = Field(description="Resolved from the clinic's contact settings.")


def _block(name, value_type, doc):
    return type(
        f"{''.join(p.title() for p in name.split('_'))}Block",
        (OutSchema,),
        {
            "__doc__": doc,
            "__annotations__": {"type": Literal[name], "id": str | None, "value": value_type},
        },
    )


HeadingBlockOut = _block("heading", HeadingValue, "A section heading.")
ParagraphBlockOut = _block(
    "paragraph", str, "Rich text as HTML; internal links are absolute URLs in this language."
)
ImageBlockOut = _block("image", ImageValue, "An image with alt text, caption and WebP renditions.")
KeyPointsBlockOut = _block("key_points", KeyPointsValue, "A bulleted list of key points.")
ComparisonBlockOut = _block(
    "comparison", ComparisonValue, "Therapies side by side: one row per dimension."
)
DoctorQuoteBlockOut = _block("doctor_quote", DoctorQuoteValue, "A doctor's perspective.")
ClaimsWarningBlockOut = _block(
    "claims_warning", ClaimsWarningValue, "Advertising claims to distrust, each with why."
)
SafetyNotesBlockOut = _block("safety_notes", SafetyNotesValue, "Safety notes in groups.")
CallToActionBlockOut = _block(
    "call_to_action", CallToActionValue, "An invitation to contact or book the clinic."
)

BodyBlockOut = Annotated[
    HeadingBlockOut
    | ParagraphBlockOut
    | ImageBlockOut
    | KeyPointsBlockOut
    | ComparisonBlockOut
    | DoctorQuoteBlockOut
    | ClaimsWarningBlockOut
    | SafetyNotesBlockOut
    | CallToActionBlockOut,
    Field(discriminator="type"),
]


def body_representation(page, api):
    """The body in the active language as typed blocks ``{type, id, value}``."""
    if page.body is None:
        return []
    api.prefetch_links(str(page.body.raw_data))
    body = for_readers(page.body, site=api.site)
    return body.stream_block.get_api_representation(body, context=api.block_context())


# --- Medical review and advertising confirmation ---------------------------------------------


class ReviewOut(OutSchema):
    """The medical review of this language's text (``editorial.review``), null fields when none.

    A review applies to the text the doctor read: it lapses (all fields null,
    ``current`` false) as soon as this language's text changes after it.
    """

    reviewed_by: DoctorOut | None = Field(description="The reviewing doctor, in this language.")
    reviewed_on: date | None
    due_on: date | None = Field(description="When the review interval ends.")
    current: bool = Field(
        description="A review applies to this language's text as it is now, and it is not overdue."
    )


# What ``_review`` and the JSON-LD's review read, in one query whatever the languages: the
# page's reviews; their doctors (with portrait and renditions) come from the reference data.
REVIEW_PREFETCH = Prefetch(
    "medical_reviews", MedicalReview.objects.all(), to_attr=PREFETCHED_REVIEWS
)


def _attach_doctors(page, api):
    """Each prefetched review's doctor from the reference data (no query)."""
    doctors = api.reference.read("doctors")
    for review in getattr(page, PREFETCHED_REVIEWS, ()):
        if not MedicalReview.doctor.is_cached(review):
            doctor = doctors.get(review.doctor_id)
            if doctor is not None:
                MedicalReview.doctor.field.set_cached_value(review, doctor)


def _review(page, api):
    review = structured_data.current_review_of(page, api)
    if review is None:
        return {"reviewed_by": None, "reviewed_on": None, "due_on": None, "current": False}
    due_on = review_due_on(review, page.review_interval_months)
    return {
        "reviewed_by": doctor_api_representation(review.doctor, api.block_context()),
        "reviewed_on": review.reviewed_on,
        "due_on": due_on,
        "current": due_on >= clock.today(),
    }


def _medical_fields(page, api):
    if hasattr(page, PREFETCHED_REVIEWS):
        _attach_doctors(page, api)
    return {
        "review": _review(page, api),
        "advertising_confirmation_number": (page.advertising_confirmation_number or "").strip()
        or None,
    }


# --- Pages ----------------------------------------------------------------------------------


class TherapyPageOut(PageBaseOut):
    """A therapy (PRP, exosomes, …): what it is, its evidence and its safety, in one language."""

    type: Literal["therapy"]
    summary: str
    what_it_is: str = Field(description="HTML; internal links are absolute URLs.")
    source: Literal["autologous", "donor", "synthetic"]
    source_label: str
    personalisation: str
    common_uses: str
    evidence_level: Literal["established", "emerging", "early"]
    evidence_level_label: str
    regulatory_status: str
    safety_notes: str
    review: ReviewOut
    advertising_confirmation_number: str | None = Field(
        description="Advertising confirmation number (Circular 09/2015/TT-BYT); null when none."
    )
    body: list[BodyBlockOut]
    json_ld: JsonLdOut


class ArticlePageOut(PageBaseOut):
    """An educational article with its medical review and related articles."""

    type: Literal["article"]
    lead: str
    reviewed_by: DoctorOut | None = Field(
        description="Same as `review.reviewed_by` (kept for older clients)."
    )
    last_reviewed: date | None = Field(
        description="Same as `review.reviewed_on` (kept for older clients)."
    )
    review: ReviewOut
    advertising_confirmation_number: str | None = Field(
        description="Advertising confirmation number (Circular 09/2015/TT-BYT); null when none."
    )
    related: list[PageRefOut] = Field(description="Live, public related articles in order.")
    body: list[BodyBlockOut]
    json_ld: JsonLdOut


# A section's document names its first children, not all of them: a section of 10,000
# articles would be a document of 10,000 references, rebuilt at each publish in it. The
# list reads them all, a page at a time (``children_url``), in the same order.
SECTION_CHILDREN = 20


class SectionPageOut(PageBaseOut):
    """A section (therapies or articles) with its introduction and its first visible children."""

    type: Literal["therapy_index", "article_index"]
    intro: str
    children: list[PageRefOut] = Field(
        description=f"The first {SECTION_CHILDREN} live, public children, in the section's "
        "order (therapies: as in the admin; articles: newest first). `children_url` lists "
        "them all, a page at a time."
    )
    children_count: int = Field(description="How many live, public children the section has.")
    children_url: str = Field(
        description="`GET /api/v1/pages/` of this section's children in the same order and "
        "language (`child_of`, `order`, `lang`)."
    )
    json_ld: JsonLdOut


def _therapy_fields(page, api):
    api.prefetch_links(page.what_it_is or "")
    return {
        "summary": page.summary or "",
        "what_it_is": api_rich_text(page.what_it_is),
        "source": page.source,
        "source_label": str(page.get_source_display()),
        "personalisation": page.personalisation or "",
        "common_uses": page.common_uses or "",
        "evidence_level": page.evidence_level,
        "evidence_level_label": str(page.get_evidence_level_display()),
        "regulatory_status": page.regulatory_status or "",
        "safety_notes": page.safety_notes or "",
        **_medical_fields(page, api),
        "body": body_representation(page, api),
    }


def _article_fields(page, api):
    medical = _medical_fields(page, api)
    return {
        "lead": page.lead or "",
        # The review of this language, not the page-wide summary columns, which name the
        # newest review even where this language's text changed after it.
        "reviewed_by": medical["review"]["reviewed_by"],
        "last_reviewed": medical["review"]["reviewed_on"],
        **medical,
        "related": [api.page_ref(p) for p in page.related_articles(api.site)],
        "body": body_representation(page, api),
    }


def _section_fields(child_model):
    # The list's own orders (``order=path``, ``order=-first_published_at``: ties by id).
    order = "-first_published_at" if child_model is ArticlePage else "path"

    def fields(page, api):
        children = visible_pages(child_model, api.site).child_of(page)
        if order == "path":
            children = children.order_by("path")
        else:
            children = children.order_by(F("first_published_at").desc(nulls_last=True), "pk")
        query = urlencode({"child_of": page.pk, "order": order, "lang": api.lang})
        return {
            "intro": page.intro or "",
            "children": [
                api.page_ref(child)
                for child in reader_list(children.defer_streamfields()[:SECTION_CHILDREN])
            ],
            "children_count": children.count(),
            "children_url": api.absolute(f"{reverse('content-api:list_pages')}?{query}"),
        }

    return fields


registry.register(
    "therapy",
    TherapyPage,
    TherapyPageOut,
    fields=_therapy_fields,
    summary=lambda page: page.summary,
    json_ld=structured_data.therapy_page,
    detail_prefetch=(REVIEW_PREFETCH,),
)
registry.register(
    "article",
    ArticlePage,
    ArticlePageOut,
    fields=_article_fields,
    summary=lambda page: page.lead,
    json_ld=structured_data.article_page,
    detail_prefetch=(REVIEW_PREFETCH,),
)
registry.register(
    "therapy_index",
    TherapyIndexPage,
    SectionPageOut,
    fields=_section_fields(TherapyPage),
    summary=lambda page: page.intro,
    json_ld=structured_data.section_page,
)
registry.register(
    "article_index",
    ArticleIndexPage,
    SectionPageOut,
    fields=_section_fields(ArticlePage),
    summary=lambda page: page.intro,
    json_ld=structured_data.section_page,
)


# --- Doctors endpoints ----------------------------------------------------------------------

router = Router(tags=["doctors"])
registry.register_router(router)


class DoctorDetailOut(DoctorOut):
    lang: str
    fallbacks: list[str] = Field(description="Fields served in English because they are empty.")


class DoctorListOut(OutSchema):
    count: int
    limit: int
    offset: int
    items: list[DoctorDetailOut]


def _doctor_out(doctor, api):
    with api.active():
        data = doctor_api_representation(doctor, api.block_context())
        data["lang"] = api.lang
        data["fallbacks"] = fallbacks(doctor, api.lang)
    return data


def _doctors():
    return Doctor.objects.select_related("photo").prefetch_related("photo__renditions")


ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/doctors/", response={200: DoctorListOut, 304: None, **ERRORS})
def list_doctors(
    request,
    lang: str | None = lang_query(),
    limit: Number = Query(20, ge=1, le=100),
    offset: Number = Query(0, ge=0, le=MAX_ID),
):
    """Doctors who write, are quoted or review articles: name, credentials, bio and portrait."""
    reject_unknown_params(request, {"lang", "limit", "offset"})
    lang = request_language(request, lang)
    api = api_context(request, lang)
    qs = _doctors().order_by("name", "pk")
    data = {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [_doctor_out(d, api) for d in qs[offset : offset + limit]],
    }
    return json_response(request, DoctorListOut, data, content_language=lang)


@router.get("/doctors/{id}/", response={200: DoctorDetailOut, 304: None, **ERRORS})
def get_doctor(
    request,
    id: Number = Path(..., ge=1, le=MAX_ID),
    lang: str | None = lang_query(),
):
    """One doctor in the requested language."""
    reject_unknown_params(request, {"lang"})
    lang = request_language(request, lang)
    api = api_context(request, lang)
    doctor = get_object_or_404(_doctors(), pk=id)
    return json_response(request, DoctorDetailOut, _doctor_out(doctor, api), content_language=lang)
