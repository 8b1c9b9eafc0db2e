"""Content for the API tests: images and a richer article (the fixtures are in conftest.py)."""

import datetime
import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from . import factories


def make_image(title="Injection", size=(1200, 800), color=(200, 120, 90)):
    """A real PNG upload, so renditions are really resized and encoded."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png")
    )


def link_to(page, text):
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def rich_body(prp, exosomes, doctors, images, repeat=1, lang="en"):
    """A body with every block kind; ``repeat`` copies it to show costs do not grow."""
    words = {
        "en": ("Read about", "What the evidence says", "Be realistic.", "A photo", "Booking"),
        "vi": ("Đọc về", "Bằng chứng nói gì", "Hãy kỳ vọng thực tế.", "Một bức ảnh", "Đặt lịch"),
    }[lang]
    body = []
    for n in range(repeat):
        doctor = doctors[n % len(doctors)]
        image = images[n % len(images)]
        body += [
            {"type": "heading", "value": {"text": f"{words[1]} {n}", "level": "h2"}},
            {
                "type": "paragraph",
                "value": f"<p>{words[0]} {link_to(prp, 'PRP')} {link_to(exosomes, 'exosome')}.</p>",
            },
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": f"{words[3]} {n}", "caption": ""},
            },
            {"type": "key_points", "value": {"title": "", "points": ["one", "two"]}},
            {
                "type": "comparison",
                "value": {
                    "title": "",
                    "therapies": [prp.pk, exosomes.pk],
                    "rows": [{"dimension": "Source", "values": ["Blood", "Donor"]}],
                    "takeaway": "Different.",
                },
            },
            {
                "type": "doctor_quote",
                "value": {"doctor": doctor.pk, "quote": words[2], "context": ""},
            },
            {
                "type": "claims_warning",
                "value": {
                    "title": "",
                    "intro": "",
                    "claims": [{"claim": "permanent", "why": "No."}],
                },
            },
            {
                "type": "safety_notes",
                "value": {
                    "title": "",
                    "principle": "",
                    "groups": [{"heading": "Sterility", "points": ["Sterile kit"]}],
                },
            },
            factories.call_to_action_block(words[4], show_booking=False),
        ]
    return body


def make_rich_article(article_index, prp, exosomes, doctors, images, slug, repeat=1):
    return factories.make_article(
        article_index,
        f"Rich article {slug}",
        slug,
        f"Bài viết đầy đủ {slug}",
        f"bai-viet-{slug}",
        body_en=rich_body(prp, exosomes, doctors, images, repeat, "en"),
        body_vi=rich_body(prp, exosomes, doctors, images, repeat, "vi"),
        reviewed_by=doctors[0],
        last_reviewed=datetime.date(2026, 1, 10),  # recorded as a review per language
    )
