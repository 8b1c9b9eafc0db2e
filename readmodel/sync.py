"""Delta sync: every visible document once, then only what changed, from signed tokens.

A client mirrors the API in one language: ``GET /api/v1/sync/?lang=vi`` walks every visible
document (pages of at most ``PAGE_SIZE``, a ``next_page`` cursor between them) and the last
page gives a ``next_sync_token``; ``GET /api/v1/sync/?token=…`` walks only the documents
that changed since, and names the pages that left.

Why "changed since" is safe (``readmodel.outbox.write``): every document written gets the
next number of one sequence, taken under a row lock held until its transaction commits,
so documents become visible in sequence order. A walk reads the sequence's committed value
(the high-water mark) *before* any document; every document numbered up to it is already
visible, and the token it ends with carries that mark. A document committed later has a
higher number and is in the next delta, never skipped; one committed during a walk may also
be sent in it (sending twice is harmless: a client replaces a page by id).

Time alone changes what readers see (a page goes live or expires): visibility is decided at
the walk's moment by ``cms.clock`` (``readmodel.reads.visible_documents``), the token records
that moment, and a delta adds the documents whose window opened or closed since (``go_live_at``
or ``expire_at`` between the two moments) and those whose body changed with time alone
(``valid_until`` passed: sent as detail builds them now).

Deleted pages keep their documents as tombstones (state ``deleted``) for
``SYNC_DELETIONS_RETENTION_DAYS`` (35 by default); ``forget_deletions`` (run by
``manage.py drain_documents``) removes older ones, and a token or cursor older than the
retention is refused (``StartOver``): its client might have missed a deletion.
"""

import dataclasses
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef, Q

from cms import clock
from cms.language import SUPPORTED_LANGUAGES

from .models import DocumentSequence, PageDocument
from .reads import visible_documents

PAGE_SIZE = 100
DEFAULT_RETENTION_DAYS = 35
_TOKEN_SALT = "readmodel.sync.token"
_CURSOR_SALT = "readmodel.sync.cursor"
_VERSION = 1


class StartOver(Exception):
    """A token or cursor that cannot be continued: the client must sync from scratch.

    ``lang``: the language the token or cursor was issued for, when it could be read (it is
    signed by us, but too old or of another site): the full sync to start over with.
    """

    def __init__(self, message, lang=None):
        super().__init__(message)
        self.lang = lang


def retention():
    """How long deletions are remembered, and so how long a token or cursor is good."""
    return timedelta(
        days=getattr(settings, "SYNC_DELETIONS_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    )


def forget_deletions(now=None):
    """Remove tombstones older than the retention; returns how many documents."""
    now = clock.now() if now is None else now
    old = PageDocument.objects.filter(
        state=PageDocument.State.DELETED, built_at__lt=now - retention()
    )
    return old.delete()[0]


def high_water_mark():
    """The last sequence number of a committed document (see the module's docstring)."""
    return DocumentSequence.objects.filter(pk=1).values_list("value", flat=True).first() or 0


@dataclasses.dataclass(frozen=True)
class Walk:
    """One full sync or one delta, page after page: what it covers and where it is.

    ``since_seq``/``since`` (None for a full sync): the token's sequence number and moment;
    ``high``: the high-water mark read when the walk began; ``at``: the walk's moment, at
    which every page of it decides visibility; ``after``: the last page id sent.
    """

    lang: str
    site_id: int
    since_seq: int | None
    since: datetime | None
    high: int
    at: datetime
    after: int = 0

    @property
    def is_delta(self):
        return self.since_seq is not None


@dataclasses.dataclass
class Batch:
    """One page of a walk: rows to send whole, ids that left, and how to go on."""

    documents: list  # PageDocument rows, visible at the walk's moment
    removed: list[int]
    next_page: str | None
    next_sync_token: str | None


def start(lang, site_id, token=None):
    """The walk a request without a cursor begins: a full sync, or a delta from ``token``."""
    high = high_water_mark()  # before any document is read
    at = clock.now()
    if token is None:
        return Walk(lang, site_id, None, None, high, at)
    data = _load(token, _TOKEN_SALT, site_id)
    return Walk(data["l"], site_id, data["q"], _moment(data["t"]), high, at)


def resume(cursor, site_id):
    """The walk a ``next_page`` cursor continues."""
    data = _load(cursor, _CURSOR_SALT, site_id)
    since_seq = data["q"]
    since = _moment(data["t"]) if since_seq is not None else None
    return Walk(data["l"], site_id, since_seq, since, data["h"], _moment(data["a"]), data["p"])


def next_batch(walk, size=None):
    """The next page of ``walk`` (one query), with the cursor or the token that follows."""
    size = PAGE_SIZE if size is None else size
    rows = list(_candidates(walk).order_by("page_id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if walk.is_delta:
        documents = [row for row in rows if row.visible]
        removed = [row.page_id for row in rows if not row.visible]
    else:
        documents, removed = rows, []
    if more:
        after = dataclasses.replace(walk, after=rows[-1].page_id)
        return Batch(documents, removed, _cursor(after), None)
    return Batch(documents, removed, None, _token(walk))


def _candidates(walk):
    mine = {"site_id": walk.site_id, "lang": walk.lang, "page_id__gt": walk.after}
    if not walk.is_delta:
        return visible_documents(now=walk.at).filter(**mine)
    low, high = sorted((walk.since, walk.at))  # a clock set back still sees every crossing
    changed = (
        Q(seq__gt=walk.since_seq)
        # the publication window opened or closed between the two moments
        | Q(go_live_at__gt=low, go_live_at__lte=high)
        | Q(expire_at__gt=low, expire_at__lte=high)
        # the body changed with time alone and is not rebuilt yet: sent as built now
        | Q(valid_until__lte=walk.at)
    )
    visible = visible_documents(now=walk.at).filter(pk=OuterRef("pk"))
    return PageDocument.objects.filter(changed, **mine).annotate(visible=Exists(visible))


# --- Tokens and cursors --------------------------------------------------------------------


def _stamp(moment):
    return int(moment.timestamp() * 1_000_000)


def _moment(stamp):
    return datetime.fromtimestamp(stamp / 1_000_000, tz=UTC)


def _token(walk):
    payload = {"v": _VERSION, "l": walk.lang, "s": walk.site_id, "q": walk.high}
    payload["t"] = _stamp(walk.at)
    return signing.dumps(payload, salt=_TOKEN_SALT, compress=True)


def _cursor(walk):
    payload = {"v": _VERSION, "l": walk.lang, "s": walk.site_id, "q": walk.since_seq}
    payload |= {"h": walk.high, "a": _stamp(walk.at), "p": walk.after}
    payload["t"] = _stamp(walk.since) if walk.is_delta else None
    return signing.dumps(payload, salt=_CURSOR_SALT, compress=True)


_FIELDS = {"v": int, "l": str, "s": int, "q": (int, type(None))}
_CURSOR_FIELDS = {"h": int, "a": int, "p": int, "t": (int, type(None))}


def _load(value, salt, site_id):
    kind = "sync token" if salt == _TOKEN_SALT else "next_page cursor"
    try:
        data = signing.loads(value, salt=salt)
    except (signing.BadSignature, ValueError):
        raise StartOver(f"This {kind} is not valid (changed, truncated or not ours).") from None
    fields = _FIELDS | (_CURSOR_FIELDS if salt == _CURSOR_SALT else {"t": int})
    valid = isinstance(data, dict) and all(
        isinstance(data.get(name), kind_) and not isinstance(data.get(name), bool)
        for name, kind_ in fields.items()
    )
    if not valid or data["v"] != _VERSION or data["l"] not in SUPPORTED_LANGUAGES:
        raise StartOver(f"This {kind} is not valid.")
    if salt == _TOKEN_SALT and data["q"] is None:
        raise StartOver(f"This {kind} is not valid.")
    lang = data["l"]
    if data["s"] != site_id:
        raise StartOver(f"This {kind} was issued for another site.", lang)
    try:
        issued = _moment(data["t"] if salt == _TOKEN_SALT else data["a"])
    except (OverflowError, ValueError, OSError):  # signed, but no moment a server writes
        raise StartOver(f"This {kind} is not valid.", lang) from None
    if clock.now() - issued > retention():
        days = retention().days
        raise StartOver(
            f"This {kind} is older than {days} days: deletions that old are forgotten.", lang
        )
    return data
