"""A small denormalised table: one row per page and language with accent-folded text.

Wagtail's search indexes both language columns together and does not fold
accents, so "lieu phap" would not find "liệu pháp". Folding with Unidecode at
write time makes the query a plain ``LIKE`` that behaves the same on SQLite and
PostgreSQL without extensions (no ``unaccent``), and keeps search inside the
database instead of filtering candidates in Python.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text):
    """``"Liệu pháp PRP!"`` → ``"lieu phap prp"``: lower-case ASCII words separated by spaces."""
    return _NON_WORD.sub(" ", unidecode(text or "").lower()).strip()


class PageSearchText(models.Model):
    """The folded text a reader of ``lang`` sees on ``page`` (English where not translated)."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    lang = models.CharField(_("language"), max_length=8)
    title = models.TextField(_("folded title"))
    text = models.TextField(_("folded text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "lang"], name="contentsearch_page_lang")
        ]
        indexes = [models.Index(fields=["lang", "page"])]
        verbose_name = _("page search text")

    def __str__(self):
        return f"{self.page_id} [{self.lang}]"
