"""What contentsearch adds to the read model: a document's accent-folded search text, and
the same folding of a reader's query."""

from readmodel import builder, reads

from .indexing import fold, page_text


@builder.register_search_text
def folded_text(page, lang):
    _title, text = page_text(page, lang)
    return fold(text)


@reads.register_search_words
def folded_words(query):
    """A reader's query as the words ``folded_text`` holds (accents optional)."""
    return fold(query).split()
