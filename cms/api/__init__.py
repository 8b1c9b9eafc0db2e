"""The content API (``/api/v1/``): typed, localised, cacheable, read-only.

Cross-cutting machinery lives here (router, language negotiation glue,
visibility, caching headers, errors, preview tokens); each app describes its
own content in its ``api.py``.
"""
