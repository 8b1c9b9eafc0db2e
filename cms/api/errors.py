"""Every API error is JSON ``{"detail": ...}``; bad input is a 4xx, never a 500."""

from django.http import Http404, JsonResponse
from ninja.errors import HttpError, ValidationError

from .schemas import OutSchema


class ErrorOut(OutSchema):
    """An error: ``detail`` says what was wrong; ``errors`` lists invalid parameters."""

    detail: str
    errors: list[dict] | None = None


class ApiError(HttpError):
    """An error with a status and a message meant for the client developer."""

    def __init__(self, status_code, detail, errors=None):
        super().__init__(status_code, detail)
        self.errors = errors


def _clean_error(error):
    loc = [str(part) for part in error.get("loc", ())]
    # "query", "path", "header" prefixes tell where; the rest names the parameter.
    return {"loc": loc, "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))}


def _validation_error(request, exc, api):
    errors = [_clean_error(e) for e in exc.errors]
    for error in errors:
        if error["loc"] == ["query", "lang"]:
            # The same answer for "fr" and "f r": a 400 naming the supported languages.
            from .language import ALL, unsupported_language

            code = request.GET.get("lang", "")
            if code.strip().lower() == ALL:
                raise_as = ApiError(
                    400, "lang=all is only available for a single page, not for listings."
                )
            else:
                raise_as = unsupported_language(code)
            return _api_error(request, raise_as, api)
    parts = []
    for error in errors:
        name = ".".join(p for p in error["loc"] if p not in {"query", "path", "header", "body"})
        parts.append(f"{name or 'request'}: {error['msg']}")
    detail = "Invalid request. " + "; ".join(parts) if parts else "Invalid request."
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


def _api_error(request, exc, api):
    body = {"detail": str(exc)}
    if getattr(exc, "errors", None):
        body["errors"] = exc.errors
    return api.create_response(request, body, status=exc.status_code)


def _not_found(request, exc, api):
    message = str(exc) if exc.args and str(exc) else "Not found."
    return api.create_response(request, {"detail": message}, status=404)


def install(api):
    api.add_exception_handler(ValidationError, lambda r, e: _validation_error(r, e, api))
    api.add_exception_handler(HttpError, lambda r, e: _api_error(r, e, api))
    api.add_exception_handler(Http404, lambda r, e: _not_found(r, e, api))


def not_found_view(request, *args, **kwargs):
    """Any unknown path under /api/ is a JSON 404, not the site's HTML page or a redirect."""
    detail = f"No API endpoint at {request.path}."
    if not request.path.endswith("/"):
        detail += " API paths end with a slash."
    return JsonResponse({"detail": detail}, status=404)
