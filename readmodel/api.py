"""``GET /api/v1/sync/``: a full sync of one language, then deltas from signed tokens.

The walk itself (what a full sync and a delta contain, tokens, cursors, why no change is
skipped) is ``readmodel.sync``; this module reads the request and writes the response: the
stored detail bodies, byte for byte, joined into one JSON document.
"""

from ninja import Query, Router
from pydantic import Field

from cms.api import registry
from cms.api.caching import body_response, to_json
from cms.api.errors import ApiError, ErrorOut
from cms.api.language import lang_query, request_language
from cms.api.pages import PageDetailOut
from cms.api.params import api_context, reject_unknown_params
from cms.api.schemas import OutSchema

from . import builder, sync

router = Router(tags=["sync"])
registry.register_router(router)

TOKEN_MAX_LENGTH = 1000


class SyncOut(OutSchema):
    """One page of a sync: documents to store, ids to drop, and how to go on."""

    lang: str = Field(description="The language of every document of this sync.")
    documents: list[PageDetailOut] = Field(
        description="Pages created or changed (all visible pages in a full sync), each exactly "
        "as `/pages/{id}/` returns it: replace your copy of the page with this id."
    )
    removed: list[int] = Field(
        description="Ids of pages readers can no longer see (unpublished, deleted, made "
        "private, expired, moved to another site): drop them. May name pages you never "
        "received; always empty in a full sync."
    )
    next_page: str | None = Field(
        description="More of this sync remains: ask `/sync/?cursor=<next_page>`. Null on the "
        "last page."
    )
    next_sync_token: str | None = Field(
        description="On the last page only: keep it, and later ask `/sync/?token=<it>` for "
        "what changed since."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "lang": "vi",
                    "documents": [],
                    "removed": [42],
                    "next_page": None,
                    "next_sync_token": "eyJ2IjoxLCJsIjoidmkiLCJzIjoxLCJxIjo5MTJ9:1uX…",
                }
            ]
        }
    }


def _start_over(lang, reason):
    return ApiError(
        400,
        f"{reason} Start over with a full sync: GET /api/v1/sync/?lang={lang} "
        "(replace your copy with what it returns).",
    )


@router.get(
    "/sync/",
    response={200: SyncOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="sync",
)
def sync_documents(
    request,
    lang: str | None = lang_query(
        description="Language of a full sync (`en`, `vi`); with a token or cursor, optional "
        "and it must be the token's. Default: Accept-Language, then English."
    ),
    token: str | None = Query(
        None,
        max_length=TOKEN_MAX_LENGTH,
        description="The `next_sync_token` of your last sync: only what changed since.",
    ),
    cursor: str | None = Query(
        None,
        max_length=TOKEN_MAX_LENGTH,
        description="The `next_page` of the previous response: the next page of the same sync.",
    ),
):
    """Mirror the site's pages in one language: everything once, then only what changed.

    Without a token: every live, public page (at most 100 per response; follow `next_page`
    with `?cursor=`), and on the last page a `next_sync_token`. With `?token=`: only pages
    created or changed since that token (whole, as `/pages/{id}/` returns them), including
    pages whose publication window opened, and in `removed` the ids of pages that left.
    Tokens are signed and good for `SYNC_DELETIONS_RETENTION_DAYS` (35 by default); a bad,
    changed or older token, or one of another site, is a 400 that says to start over.
    Responses are never cached (`Cache-Control: private, no-store`).
    """
    reject_unknown_params(request, {"lang", "token", "cursor"})
    if token is not None and cursor is not None:
        raise ApiError(400, "Send either token or cursor, not both.")
    asked = request_language(request, lang) if lang is not None else None
    api = api_context(request, asked or request_language(request))
    fallback = asked or api.lang
    try:
        if cursor is not None:
            walk = sync.resume(cursor, api.site.pk)
        else:
            walk = sync.start(fallback, api.site.pk, token)
    except sync.StartOver as error:
        # The full sync of the token's own language, when it could be read; else the one asked.
        raise _start_over(asked or error.lang or fallback, str(error)) from None
    if asked is not None and asked != walk.lang:
        raise _start_over(asked, f"This token is for lang={walk.lang}, not lang={asked}.")
    batch = sync.next_batch(walk)
    bodies = [_body(row, api.site, walk) for row in batch.documents]
    head = to_json(
        dict,
        {
            "lang": walk.lang,
            "removed": batch.removed,
            "next_page": batch.next_page,
            "next_sync_token": batch.next_sync_token,
        },
    )
    body = head[:-1] + b',"documents":[' + b",".join(bodies) + b"]}"
    return body_response(request, body, content_language=walk.lang)


def _body(row, site, walk):
    """The stored detail, or (past its ``valid_until``) the detail as it is built now."""
    if row.valid_until is None or row.valid_until > walk.at:
        return bytes(row.body)
    for document in builder.build(row.page_id, sites=[site], now=walk.at):
        if document.lang == row.lang and document.body:
            return bytes(document.body)
    return bytes(row.body)
