"""Segment progress of pages' latest drafts ("42 of 57 segments, 3 stale").

Editorial knows no segments: apps that do answer the ``editorial_translation_progress``
hook with ``(pages, lang)`` → ``{page id: {"done", "total", "stale", "url"}}``, reading a
whole listing in a fixed number of queries. The explorer column and the Missing
translations report show the answers.
"""

from django.utils.translation import gettext, ngettext
from wagtail import hooks


def segment_progress(pages, lang):
    """Page id → progress of the latest draft in ``lang``; pages no app counts are absent."""
    pages = list(pages)
    found = {}
    if not pages:
        return found
    for count in hooks.get_hooks("editorial_translation_progress"):
        found.update(count(pages, lang) or {})
    return found


def progress_label(progress):
    """ "42 of 57 segments, 3 stale" in the active language."""
    counts = {key: progress.get(key, 0) for key in ("done", "total", "stale")}
    if not counts["stale"]:
        return gettext("%(done)s of %(total)s segments") % counts
    return (
        ngettext(
            "%(done)s of %(total)s segments, %(stale)s stale",
            "%(done)s of %(total)s segments, %(stale)s stale",
            counts["stale"],
        )
        % counts
    )
