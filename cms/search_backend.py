"""Wagtail's database search backend, safe for whatever an editor types.

The admin's searches (page chooser, listings, the page search) hand their text to
Wagtail's database backend. Two things go wrong there with raw input:

* On SQLite (the embedded default), a plain-text query holding a double quote ends
  inside FTS5's own quoting: ``a"b`` is an "unterminated string" and ``"x:y"`` a
  column filter ("no such column: x"), so the page chooser failed with a database
  error. In plain text a quote is punctuation, which FTS5's tokenizer drops anyway;
  it becomes a space here, so the words searched for are the same. (Phrases typed
  between quotes reach the backend as ``Phrase`` queries without the quotes.)
* Nothing bounds a query's length: a 10 KB query costs a 10 KB parse and scan (the
  class of CVE-2024-39317). Every query string is cut to Wagtail's own bound,
  ``MAX_QUERY_STRING_LENGTH`` (255). ``cms.middleware.AdminSearchLengthMiddleware``
  cuts the admin's ``q`` to the same length before a view parses it.

``WAGTAILSEARCH_BACKENDS`` names this module; it builds the backend Wagtail's own
``wagtail.search.backends.database`` chooses for the database in use and only
overrides the two public entry points, ``search`` and ``autocomplete``.
"""

from functools import cache

from wagtail.search.backends import database
from wagtail.search.query import Phrase, PlainText
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH

from cms.text import nfc


def safe_text(text):
    # Composed (NFC), as the text it searches is stored (cms.text): PostgreSQL's full-text
    # search does not match a query pasted with decomposed Vietnamese letters otherwise.
    return nfc(text[:MAX_QUERY_STRING_LENGTH]).replace('"', " ").strip()


def safe_query(query):
    """The same query, its plain text bounded and free of double quotes.

    Text left empty (the editor typed only quotes) is the empty string, which Wagtail
    answers with no results instead of building an empty FTS5 match.
    """
    if isinstance(query, str):
        return safe_text(query)
    if isinstance(query, PlainText):
        text = safe_text(query.query_string)
        return PlainText(text, operator=query.operator, boost=query.boost) if text else ""
    if isinstance(query, Phrase):
        text = safe_text(query.query_string)
        return Phrase(text) if text else ""
    return query


class SafeQueries:
    def search(self, query, *args, **kwargs):
        return super().search(safe_query(query), *args, **kwargs)

    def autocomplete(self, query, *args, **kwargs):
        return super().autocomplete(safe_query(query), *args, **kwargs)


@cache
def safe_class(backend_class):
    return type(backend_class.__name__, (SafeQueries, backend_class), {})


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks for in a backend module)
    return safe_class(type(database.SearchBackend(params)))(params)
