"""schema.org JSON-LD of therapies, articles and their sections: one builder per page type.

The API's ``json_ld`` field and the public page's ``<head>`` call the same
builder (registered in ``api.py``). A therapy page is a ``MedicalWebPage`` whose
``mainEntity`` (and ``about``) is the ``MedicalTherapy``: ``reviewedBy``,
``lastReviewed`` and ``inLanguage`` are properties of web pages and creative
works in schema.org, not of therapies.
"""

from cms.structured_data import web_page
from editorial.review import current_review, json_ld_review


def current_review_of(page, api):
    """``current_review`` once per page and language of a response (its digest is not cheap)."""
    key = ("current_review", page.pk, api.lang)
    if key not in api.memo:
        api.memo[key] = current_review(page, api.lang)
    return api.memo[key]


def _reviewed(node, page, api):
    """``reviewedBy``/``lastReviewed`` of the review that applies to ``api.lang`` now."""
    node.update(json_ld_review(page, api.lang, review=current_review_of(page, api)))
    return node


def therapy_page(page, api):
    """A ``MedicalWebPage`` about one ``MedicalTherapy``."""
    node = web_page(page, api, "MedicalWebPage", page.summary)
    therapy_id = f"{node['url']}#therapy"
    therapy = {"@type": "MedicalTherapy", "@id": therapy_id, "name": node["name"]}
    if "description" in node:
        therapy["description"] = node["description"]
    therapy["url"] = node["url"]
    node["mainEntity"] = therapy
    node["about"] = {"@id": therapy_id}
    return _reviewed(node, page, api)


def article_page(page, api):
    """A ``MedicalWebPage`` with its headline and medical review."""
    node = web_page(page, api, "MedicalWebPage", page.lead)
    node["headline"] = node["name"]
    return _reviewed(node, page, api)


def section_page(page, api):
    """A ``CollectionPage``: the therapies or the articles."""
    return web_page(page, api, "CollectionPage", page.intro)
