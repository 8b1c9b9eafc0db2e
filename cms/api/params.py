"""Query-parameter rules shared by every endpoint."""

import re
from typing import Annotated

from django.utils.functional import SimpleLazyObject
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError
from wagtail.models import Site

from cms.sites import site_id_for_request

from .context import ApiContext
from .errors import ApiError

# Ids are 32-bit in the schema: a larger number is a 4xx, not a database overflow.
MAX_ID = 2**31 - 1

# What JSON Schema calls an integer, as a URL writes it: digits, and ``10.0`` is 10.
_DIGITS = re.compile(r"[0-9]+(?:\.0+)?")


def _digits_only(value):
    """A number in a URL is its ASCII digits: pydantic alone also reads ``1_0`` as 10, and
    ``+1`` and `` 1 `` as 1, each one more address of the same answer for caches."""
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise PydanticCustomError(
            "int_parsing", "Input should be a whole number written with the digits 0-9"
        )
    return value


# Every integer an endpoint reads from its path or query string (ids, limit, offset).
Number = Annotated[int, BeforeValidator(_digits_only)]
OptionalNumber = Annotated[int | None, BeforeValidator(_digits_only)]


def reject_unknown_params(request, allowed):
    """A misspelt filter (``?typ=therapy``) is a 400 naming the allowed ones, not ignored."""
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise ApiError(
            400,
            f"Unknown query parameter(s): {', '.join(unknown)}. "
            f"Allowed: {', '.join(sorted(allowed))}.",
        )


def _site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise ApiError(404, "No site is configured for this host.")
    return site


def api_context(request, lang):
    """The request's context; its site is read only when used (document reads name it in SQL)."""
    site = SimpleLazyObject(lambda: _site(request))
    return ApiContext(request, site, lang, site_id=site_id_for_request(request))
