"""What contentsearch adds to the read model: a document's accent-folded search text."""

from readmodel import builder

from .indexing import page_text
from .models import fold


@builder.register_search_text
def folded_text(page, lang):
    _title, text = page_text(page, lang)
    return fold(text)
