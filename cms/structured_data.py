"""schema.org JSON-LD: the properties every page node shares, and the ``<script>`` that embeds it.

Each app's page types build their node here-shaped (``therapies/structured_data.py``,
``home/structured_data.py``) and register the builder with ``cms.api.registry``;
the API's ``json_ld`` field and the ``<head>`` of the public page both call that
builder, so the two never differ.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from . import sharing

CONTEXT = "https://schema.org"

# Embedded JSON must not end the element (``</script>``) or open a comment (``<!--``):
# <, > and & are written as JSON escapes, which parse to the same text.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script(data):
    """``data`` as a ``<script type="application/ld+json">`` element, safe to embed in HTML."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(  # noqa: S308 - the JSON's <, > and & are escaped above
        f'<script type="application/ld+json">{text.translate(_SCRIPT_ESCAPES)}</script>'
    )


def clinic(api):
    """The clinic as a ``MedicalClinic`` node (name, telephone, site address), or None."""
    settings = api.clinic
    name = (settings.clinic_name or "").strip() if settings else ""
    if not name:
        return None
    node = {"@type": "MedicalClinic", "name": name, "url": api.absolute("/")}
    if settings.hotline:
        node["telephone"] = settings.hotline
    return node


def web_page(page, api, schema_type, description, **extra):
    """A ``WebPage`` (or subtype) node of ``page`` in ``api.lang`` with what every page has.

    Name, description, URL, language, publication dates, the page's own picture
    and the clinic as publisher; ``extra`` adds or overrides type-specific properties.
    """
    node = {"@context": CONTEXT, "@type": schema_type, "name": page.title or ""}
    if description and description.strip():
        node["description"] = description.strip()  # an empty text says nothing
    node["url"] = page.get_full_url(request=api.request)
    node["inLanguage"] = api.lang
    for prop, value in (
        ("datePublished", page.first_published_at),
        ("dateModified", page.last_published_at),
    ):
        if value:
            node[prop] = value.isoformat()
    image = sharing.own_image(page, api)
    if image:
        node["image"] = image["url"]
    publisher = clinic(api)
    if publisher:
        node["publisher"] = publisher
    node.update(extra)
    return node
