"""schema.org JSON-LD of the home page: the front page of the clinic's web site."""

from cms.sharing import site_name
from cms.structured_data import clinic, web_page


def home_page(page, api):
    """A ``WebPage`` that is part of the clinic's ``WebSite``, published by the clinic."""
    node = web_page(page, api, "WebPage", page.intro)
    website = {"@type": "WebSite", "name": site_name(api), "url": node["url"]}
    website["inLanguage"] = api.lang
    publisher = clinic(api)
    if publisher:
        website["publisher"] = publisher
    node["isPartOf"] = website
    return node
