"""Schemas shared by every page type; each app adds its own fields in its ``api.py``."""

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field


class OutSchema(Schema):
    """A response schema: what the API documents (OpenAPI) and validates each body against."""


class SeoOut(OutSchema):
    """What a search engine should show: the SEO title (or the title) and the meta description."""

    title: str
    description: str


class SegmentCountsOut(OutSchema):
    """Segments (every translatable text, one per field, paragraph or block text) of the
    published page in one language, counted when it was published."""

    total: int = Field(description="Translatable segments of the English text.")
    translated: int = Field(description="Segments this language's published text translates.")
    missing: int = Field(description="Segments this language's published text lacks.")
    stale: int = Field(
        description="Segments whose translation was made for an earlier English text."
    )


class TranslationOut(OutSchema):
    """The page in one language: where it lives, its title there, and whether it is written."""

    lang: str
    url: str | None = Field(description="Absolute public URL in this language.")
    path: str | None = Field(description="The same URL without scheme and host.")
    title: str = Field(description="Title in this language (English when not translated).")
    available: bool = Field(description="Title and main content exist in this language.")
    complete: bool = Field(description="Every field editors must translate is filled.")
    missing: list[str] = Field(description="Required fields still empty in this language.")
    stale: bool = Field(
        description="Out of date against English: an English field changed after this "
        "language's text and an editor has not confirmed the translation since. Always "
        "false for English. Describes the published text, never an unpublished draft."
    )
    stale_fields: list[str] = Field(
        description="The fields whose English text changed after this language's (empty when "
        "not stale)."
    )
    segments: SegmentCountsOut | None = Field(
        description="Segment counts of the published text (the translation workspace's "
        "units); null when none were recorded (a page type without segments, or a page not "
        "published since the counts were introduced)."
    )
    state: Literal["live", "pending", "missing"] = Field(
        description="What readers of this language get. `live`: this language's latest text, "
        "approved (complete, up to date, machine text reviewed and, for therapies and "
        "articles, medically reviewed in this language). `pending`: newer text exists but "
        "is not approved yet; readers keep the text released before. `missing`: nothing "
        "approved yet, or withdrawn; readers get the English page, and `fallbacks` lists "
        "its fields."
    )
    live_since: datetime | None = Field(
        description="When the text readers get in this language went live; null when "
        "`state` is `missing`."
    )


class PageRefOut(OutSchema):
    """A reference to another page; ``url`` is null when that page is not publicly visible."""

    id: int
    title: str
    url: str | None


class RenditionOut(OutSchema):
    """A resized copy of an image."""

    filter: str = Field(description="Wagtail filter spec, e.g. max-800x800|format-webp.")
    url: str = Field(description="Absolute URL.")
    width: int
    height: int
    format: str


class ImageOut(OutSchema):
    """An image with its alt text and resized WebP renditions."""

    id: int
    alt: str
    width: int = Field(description="Width of the original upload.")
    height: int = Field(description="Height of the original upload.")
    renditions: list[RenditionOut]


class PageBaseOut(OutSchema):
    """Fields every page has, in the requested language."""

    id: int
    type: str
    lang: str = Field(description="Language of this response.")
    title: str
    slug: str
    url: str | None = Field(description="Absolute public URL in this language.")
    seo: SeoOut
    first_published_at: datetime | None
    last_published_at: datetime | None
    translations: dict[str, TranslationOut]
    fallbacks: list[str] = Field(
        description="Fields served in English because they are empty in this language."
    )


class PageSummaryOut(PageBaseOut):
    """A page in a listing: the common fields and a short summary."""

    summary: str = Field(description="Therapy summary, article lead or section introduction.")


class PageListOut(OutSchema):
    """One page of results; ``count`` is the total matching the filters."""

    count: int
    limit: int
    offset: int
    items: list[PageSummaryOut]


JsonLdOut = dict[str, Any]  # schema.org JSON-LD: "@context", "@type", "inLanguage", …
