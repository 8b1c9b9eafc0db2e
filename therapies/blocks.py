"""StreamField blocks of therapy and article bodies.

Each block carries its template, its validation and (where the API needs more
than the raw value) its API representation; pages never special-case a block.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from cms import reference
from cms.blocks import WidgetPerLanguageMixin

# An opening or closing heading tag in rendered HTML (editors' text is escaped, so a ``<h3``
# in it is markup: a block template's or a rich-text paragraph's).
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s/>])", re.IGNORECASE)


def fit_headings(html, top=2):
    """``html`` with heading levels that never skip one, for a body under the page's ``h1``.

    The first heading is at most ``top``, each next one at most one level deeper
    than the one before, none above ``top``: an editor's "Subsection" heading
    (or a rich-text ``h3``) before any section becomes a section, whatever block
    it sits in. Levels that already follow on are left as they are.
    """
    previous, current = top - 1, top

    def fit(match):
        nonlocal previous, current
        closing, level = match.group(1), int(match.group(2))
        if not closing:
            current = previous = max(top, min(level, previous + 1))
        return f"<{closing}h{current}"

    return mark_safe(_HEADING_TAG.sub(fit, str(html)))  # noqa: S308 - only tag names change


def _in_order(objects, ids):
    return [objects.get(pk) if pk is not None else None for pk in ids]


# Renditions the content API offers for body images and doctors' portraits.
API_IMAGE_FILTERS = ("max-800x800|format-webp", "max-1600x1600|format-webp")
API_PORTRAIT_FILTERS = ("fill-240x240|format-webp",)
# Every rendition of a doctor's portrait: the API's and templates/blocks/doctor_quote.html's.
PORTRAIT_FILTERS = (*API_PORTRAIT_FILTERS, "fill-96x96|format-webp")


def load_doctors(reference_data):
    """Every doctor by id, with portrait and its renditions (reference data ``"doctors"``).

    Quoted in article bodies and named by every medical review: a clinic has a
    handful, read on almost every page, so they are read at once.
    """
    from .models import Doctor

    doctors = Doctor.objects.select_related("photo").prefetch_related("photo__renditions").in_bulk()
    # Every portrait rendition the API and the templates use is made now, in one place.
    for doctor in doctors.values():
        if doctor.photo is not None and reference_data.is_public_image(doctor.photo):
            try:
                doctor.photo.get_renditions(*PORTRAIT_FILTERS)
            except OSError:  # the file is gone: pages show no portrait, as before
                pass
    return doctors


def _api(context):
    return (context or {}).get("api")


def _reference():
    """The reference data of the API response being built (read once), else the current one."""
    from cms.api.context import current

    api = current()
    return api.reference if api is not None else reference.current()


def image_api_representation(image, context=None, alt="", filters=API_IMAGE_FILTERS):
    """``{id, alt, width, height, renditions[]}`` with absolute URLs.

    None for no image, and for an image in a private collection: those are never
    published, wherever an editor placed them.
    """
    if image is None:
        return None
    api = _api(context)
    if not (api.reference if api else reference.current()).is_public_image(image):
        return None
    try:
        renditions = image.get_renditions(*filters)
    except OSError:  # wagtail's SourceImageIOError is an OSError
        renditions = {}  # the file is gone: say so by offering no rendition, not by failing
    return {
        "id": image.pk,
        "alt": alt,
        "width": image.width,
        "height": image.height,
        "renditions": [
            {
                "filter": spec,
                "url": api.absolute(rendition.url) if api else rendition.full_url,
                "width": rendition.width,
                "height": rendition.height,
                "format": spec.rsplit("format-", 1)[-1] if "format-" in spec else "original",
            }
            for spec, rendition in renditions.items()
        ],
    }


def doctor_api_representation(doctor, context=None):
    """A doctor as the API shows them: name, credentials and portrait in the active language."""
    if doctor is None:
        return None
    return {
        "id": doctor.pk,
        "name": doctor.name,
        "credentials": doctor.credentials or "",
        "bio": doctor.bio or "",
        "photo": image_api_representation(
            doctor.photo, context, alt=doctor.name, filters=API_PORTRAIT_FILTERS
        ),
    }


class RenditionPrefetchingImageChooserBlock(WidgetPerLanguageMixin, ImageChooserBlock):
    """Loads all images of a body with their renditions in two queries, however many blocks."""

    def bulk_to_python(self, values):
        values = list(values)
        images = (
            get_image_model()
            .objects.prefetch_renditions()
            .in_bulk([pk for pk in values if pk is not None])
        )
        return _in_order(images, values)

    def get_api_representation(self, value, context=None):
        return image_api_representation(value, context)


class DoctorChooserBlock(WidgetPerLanguageMixin, SnippetChooserBlock):
    """Quoted doctors (with photo and renditions) from the reference data: no query per body."""

    def __init__(self, **kwargs):
        super().__init__("therapies.Doctor", **kwargs)

    def bulk_to_python(self, values):
        return _in_order(_reference().read("doctors"), list(values))

    def get_api_representation(self, value, context=None):
        return doctor_api_representation(value, context)


class TherapyChooserBlock(WidgetPerLanguageMixin, blocks.PageChooserBlock):
    """A therapy column of a comparison: loaded in bulk with only what a column shows.

    A column shows the therapy's title and links to it; the stock block loads
    each whole therapy page, both languages' StreamField bodies included. Here
    the columns come from the page table alone, with the fields a title, a URL
    in either language and the visibility check read (no extra query for them).
    """

    COLUMN_FIELDS = (
        "id",
        "path",
        "depth",
        "live",
        "content_type_id",
        "locale_id",
        "go_live_at",
        "expire_at",
        "title",
        "title_en",
        "title_vi",
        "draft_title",
        "slug",
        "slug_en",
        "slug_vi",
        "url_path",
        "url_path_en",
        "url_path_vi",
        # Which revision each language's readers get (cms.visibility.reader_pages).
        "live_revision_id",
        "latest_revision_id",
        "alias_of_id",  # an alias's row is not its released text (releases.compose)
    )

    def __init__(self, page_type="therapies.TherapyPage", **kwargs):
        super().__init__(page_type=page_type, **kwargs)

    def bulk_to_python(self, values):
        values = list(values)
        ids = [pk for pk in values if pk is not None]
        return _in_order(self._columns(ids).in_bulk() if ids else {}, values)

    def _columns(self, ids):
        from wagtail.models import Page

        return Page.objects.type(self.model_class).only(*self.COLUMN_FIELDS).filter(pk__in=ids)


class TextStructBlock(blocks.StructBlock):
    """A struct block whose missing or empty texts reach the API as ``""``, never null.

    Content stored without an optional text (an import, an older block definition)
    has ``None`` there; the API documents every text as a string.
    """

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        for name, child in self.child_blocks.items():
            if isinstance(child, blocks.CharBlock | blocks.TextBlock):
                if representation.get(name) is None:
                    representation[name] = ""
        return representation


class HeadingBlock(TextStructBlock):
    """A section heading (h2 or h3)."""

    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"


PRIVATE_IMAGE = _(
    "This image is in a private collection, so readers would not see it. "
    "Move it to a public collection or choose another image."
)


class ImageBlock(TextStructBlock):
    """An image with the alt text a screen reader reads and an optional caption."""

    image = RenditionPrefetchingImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for readers who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        image = value.get("image")
        if image is not None and not reference.current().is_public_image(image):
            raise StructBlockValidationError(block_errors={"image": ValidationError(PRIVATE_IMAGE)})
        return value

    def for_readers(self, value, visible_ids):
        """Left out when its image is deleted or private (``cms.references``)."""
        image = value.get("image")
        if image is None or not reference.current().is_public_image(image):
            return None
        return value

    def share_image(self, value):
        """The picture and alt text a sharing card of the page may show."""
        return value["image"], value["alt_text"] or ""

    def get_api_representation(self, value, context=None):
        image = image_api_representation(value["image"], context, alt=value["alt_text"] or "")
        return {
            "image": image,
            "alt_text": value["alt_text"] or "",
            "caption": value["caption"] or "",
        }


class KeyPointsBlock(TextStructBlock):
    """A short bulleted list of the points a reader should remember."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    points = blocks.ListBlock(blocks.CharBlock(label=_("Point")), label=_("Points"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Key points")
        template = "blocks/key_points.html"


class ComparisonRowBlock(TextStructBlock):
    """One dimension of a comparison with one value per compared therapy, in column order."""

    dimension = blocks.CharBlock(label=_("Dimension"), max_length=120)
    values = blocks.ListBlock(
        blocks.TextBlock(label=_("Value")),
        label=_("Values"),
        help_text=_("One value per therapy, in the same order as the therapies above."),
    )

    class Meta:
        icon = "table"
        label = _("Row")


class ComparisonBlock(TextStructBlock):
    """Two or more therapies side by side, one row per dimension, shown as a table."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    therapies = blocks.ListBlock(
        TherapyChooserBlock(label=_("Therapy")),
        label=_("Therapies"),
    )
    rows = blocks.ListBlock(ComparisonRowBlock(), label=_("Rows"))
    takeaway = blocks.TextBlock(label=_("Takeaway"), required=False)

    class Meta:
        icon = "table"
        label = _("Comparison")
        template = "blocks/comparison.html"

    def referenced_pages(self, value):
        return [page for page in value["therapies"] if page is not None]

    def for_readers(self, value, readers):
        """Each therapy as readers see it, without the columns (and their cells) of therapies
        readers may not see.

        ``cms.references`` decides this for the site and the API alike; a
        comparison with no column left is left out.
        """
        therapies = list(value["therapies"])
        shown = [i for i, page in enumerate(therapies) if page is not None and page.pk in readers]
        if not shown:
            return None
        rows = [
            {
                "dimension": row["dimension"],
                "values": [row["values"][i] for i in shown if i < len(row["values"])],
            }
            for row in value["rows"]
        ]
        return blocks.StructValue(
            self,
            [
                ("title", value["title"]),
                ("therapies", [readers[therapies[i].pk] for i in shown]),
                ("rows", rows),
                ("takeaway", value["takeaway"]),
            ],
        )

    def get_context(self, value, parent_context=None):
        """Adds ``cards``: per therapy, its ``(dimension, value)`` pairs (small screens)."""
        context = super().get_context(value, parent_context=parent_context)
        context["cards"] = [
            {
                "therapy": therapy,
                "facts": [
                    (row["dimension"], row["values"][column])
                    for row in value["rows"]
                    if column < len(row["values"])
                ],
            }
            for column, therapy in enumerate(value["therapies"])
            if therapy is not None
        ]
        return context

    def get_api_representation(self, value, context=None):
        """Therapies as ``{id, title, url}`` columns; rows as ``{dimension, values[]}``."""
        api = _api(context)
        therapies = []
        for page in value["therapies"]:
            if page is None:
                continue
            if api:
                therapies.append(api.page_ref(page))
            else:
                therapies.append({"id": page.pk, "title": page.title, "url": page.url})
        return {
            "title": value["title"] or "",
            "therapies": therapies,
            "rows": [
                {"dimension": row["dimension"], "values": list(row["values"])}
                for row in value["rows"]
            ],
            "takeaway": value["takeaway"] or "",
        }

    def clean(self, value):
        value = super().clean(value)
        therapies = [page for page in value["therapies"] if page is not None]
        errors = {}
        if len(therapies) < 2:
            errors["therapies"] = ListBlockValidationError(
                non_block_errors=[ValidationError(_("Compare at least two therapies."))]
            )
        row_errors = {}
        for index, row in enumerate(value["rows"]):
            if len(row["values"]) != len(value["therapies"]):
                row_errors[index] = StructBlockValidationError(
                    block_errors={
                        "values": ValidationError(
                            _(
                                "This row has %(values)d value(s) but the comparison has "
                                "%(therapies)d therapies: give exactly one value per therapy."
                            )
                            % {"values": len(row["values"]), "therapies": len(value["therapies"])}
                        )
                    }
                )
        if row_errors:
            errors["rows"] = ListBlockValidationError(block_errors=row_errors)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class DoctorQuoteBlock(TextStructBlock):
    """A doctor's perspective, attributed by name and credentials from the Doctor snippet."""

    doctor = DoctorChooserBlock(label=_("Doctor"))
    quote = blocks.TextBlock(label=_("Quote"))
    context = blocks.CharBlock(
        label=_("Context"),
        required=False,
        max_length=250,
        help_text=_(
            "Shown to readers under the doctor's name: where or when the doctor said this."
        ),
    )

    class Meta:
        icon = "openquote"
        label = _("Doctor quote")
        template = "blocks/doctor_quote.html"

    def for_readers(self, value, visible_ids):
        """Left out when its doctor is deleted: an unattributed medical quote misleads."""
        return value if value.get("doctor") is not None else None


class ClaimBlock(TextStructBlock):
    claim = blocks.CharBlock(label=_("Claim"), max_length=200)
    why = blocks.TextBlock(label=_("Why to distrust it"))


class ClaimsWarningBlock(TextStructBlock):
    """Advertising claims readers should distrust, each with the reason."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    claims = blocks.ListBlock(ClaimBlock(), label=_("Claims"), min_num=1)

    class Meta:
        icon = "warning"
        label = _("Claims warning")
        template = "blocks/claims_warning.html"


class SafetyGroupBlock(TextStructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    points = blocks.ListBlock(blocks.TextBlock(label=_("Point")), label=_("Points"), min_num=1)


class SafetyNotesBlock(TextStructBlock):
    """Safety notes grouped by theme (constitution, sterility and source, unwanted effects)."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    groups = blocks.ListBlock(
        SafetyGroupBlock(), label=pgettext_lazy("safety notes", "Groups"), min_num=1
    )
    principle = blocks.TextBlock(label=_("Key safety principle"), required=False)

    class Meta:
        icon = "warning"
        label = _("Safety notes")
        template = "blocks/safety_notes.html"


class CallToActionBlock(TextStructBlock):
    """An invitation to book; buttons default to the clinic's hotline, Zalo and booking settings."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)
    show_hotline = blocks.BooleanBlock(label=_("Show hotline"), required=False, default=True)
    show_zalo = blocks.BooleanBlock(label=_("Show Zalo"), required=False, default=True)
    show_booking = blocks.BooleanBlock(label=_("Show booking link"), required=False, default=True)

    class Meta:
        icon = "mail"
        label = _("Call to action")
        template = "blocks/call_to_action.html"

    def get_api_representation(self, value, context=None):
        """The editor's text plus the buttons resolved from the clinic's contact settings."""
        representation = super().get_api_representation(value, context)
        api = _api(context)
        clinic = api.clinic if api else None
        buttons = []
        if clinic is not None:
            if value["show_hotline"] and clinic.hotline:
                buttons.append(
                    {"kind": "hotline", "url": f"tel:{clinic.hotline_dial}", "text": clinic.hotline}
                )
            if value["show_zalo"] and clinic.zalo_url:
                buttons.append({"kind": "zalo", "url": clinic.zalo_url, "text": None})
            if value["show_booking"] and clinic.booking_url:
                buttons.append({"kind": "booking", "url": clinic.booking_url, "text": None})
        representation["buttons"] = buttons
        return representation


class BodyBlock(blocks.StreamBlock):
    """The blocks an editor can use in a therapy or article body."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        template="blocks/paragraph.html",
        icon="pilcrow",
    )
    image = ImageBlock()
    key_points = KeyPointsBlock()
    comparison = ComparisonBlock()
    doctor_quote = DoctorQuoteBlock()
    claims_warning = ClaimsWarningBlock()
    safety_notes = SafetyNotesBlock()
    call_to_action = CallToActionBlock()

    def render_basic(self, value, context=None):
        """The blocks in order, headings fitted under the page's outline (no level skipped)."""
        return fit_headings(
            format_html_join("\n", "{}", ((child.render(context=context),) for child in value))
        )

    def share_image(self, value, is_public):
        """``(image, alt)`` of the first block that offers a picture readers may see, or None."""
        for child in value or ():
            offer = getattr(child.block, "share_image", None)
            found = offer(child.value) if offer else None
            if found and found[0] is not None and is_public(found[0]):
                return found
        return None
