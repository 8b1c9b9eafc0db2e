"""Which page models the API publishes, under which ``type`` name, with which shape.

Each app registers its page types from its own ``api.py``; the router and the
webhooks only ask the registry, so no code special-cases a model by name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor


@dataclass(frozen=True)
class PageType:
    name: str
    model: type
    detail_schema: type
    fields: Callable[[Any, Any], dict]
    summary: Callable[[Any], str]
    # schema.org JSON-LD of a page in the context's language, for the API's ``json_ld``
    # and the public page's <head> alike (``cms.structured_data``).
    json_ld: Callable[[Any, Any], dict]
    # Lookups (names or ``Prefetch`` objects) the detail of this type reads, loaded before
    # ``fields`` and ``json_ld`` run so that they cost a fixed number of queries.
    detail_prefetch: tuple = ()


_by_name: dict[str, PageType] = {}
_routers = []


def register(name, model, detail_schema, *, fields, summary, json_ld, detail_prefetch=()):
    for lookup in detail_prefetch:
        # cms.api.representation.prefetch_detail loads each with one query.
        if (
            not isinstance(lookup, Prefetch)
            or lookup.queryset is None
            or "__" in lookup.prefetch_through
            # Django's own reverse foreign keys only (a ParentalKey's manager reads its own cache)
            or type(getattr(model, lookup.prefetch_through, None)) is not ReverseManyToOneDescriptor
        ):
            raise ValueError(
                f"{name}: detail_prefetch takes Prefetch(<reverse foreign key of "
                f"{model.__name__}>, <queryset>) objects, got {lookup!r}."
            )
    _by_name[name] = PageType(
        name, model, detail_schema, fields, summary, json_ld, tuple(detail_prefetch)
    )


def names():
    return tuple(_by_name)


def for_name(name):
    return _by_name[name]


def models():
    return tuple(t.model for t in _by_name.values())


def for_page(page):
    """The registered type of a page (specific or not), or None."""
    model = getattr(page, "specific_class", None) or type(page)
    for page_type in _by_name.values():
        if page_type.model is model:
            return page_type
    return None


def detail_schemas():
    return tuple(t.detail_schema for t in _by_name.values())


def register_router(router):
    """Mount an app's django-ninja ``router`` under ``/api/v1/`` (``cms.api.urls``)."""
    _routers.append(router)


def routers():
    return tuple(_routers)
