"""The project's URL map with Wagtail's stock v2 pages API in front (benchmark only).

Two stock endpoints on the same content:

* ``/stock-api/v2/pages/`` — the v2 pages endpoint as Wagtail ships it, on our models,
  which declare no ``api_fields``: a detail is the page's metadata and title.
* ``/stock-api/v2/pages-content/`` — the same endpoint told to serve the article's
  content too (``lead`` and the StreamField ``body``, each block through its own
  ``get_api_representation``), as a Wagtail user who wanted the article from v2 would
  configure it. Only the benchmark mounts it; it measures like-for-like content.

And ``/bench-empty/``: an empty django-ninja endpoint (it answers ``{}``), served by the
same server, WSGI layer and middleware stack as the content API. What a django-ninja
endpoint costs before it does any work: the ceiling the uncached API figures are
compared with.

And ``/bench-empty/one-query/``: the same empty endpoint after one database round trip, a
``SELECT 1`` prepared on the connection like the API's frequent reads
(``readmodel.reads``). What any answer that reads the database once costs at least: the
ceiling of an uncached detail through this stack, whatever its query.
"""

from django.urls import path
from ninja import NinjaAPI
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.urls import urlpatterns as project_urlpatterns
from readmodel.reads import _fetch
from therapies.models import ArticlePage

CONTENT_FIELDS = {ArticlePage: ["lead", "body"]}


class PagesWithContentAPIViewSet(PagesAPIViewSet):
    @classmethod
    def get_body_fields(cls, model):
        fields = super().get_body_fields(model)
        return fields + cls._convert_api_fields(CONTENT_FIELDS.get(model, []))


stock_api = WagtailAPIRouter("stockapi")
stock_api.register_endpoint("pages", PagesAPIViewSet)
stock_api.register_endpoint("pages-content", PagesWithContentAPIViewSet)

empty_api = NinjaAPI(urls_namespace="bench-empty", docs_url=None, openapi_url=None)


@empty_api.get("/")
def empty(request):
    return {}


@empty_api.get("/one-query/")
def empty_after_one_query(request):
    _fetch("SELECT 1", [], prepared=True)  # the reads' own prepared path (benchmark only)
    return {}


urlpatterns = [
    path("stock-api/v2/", stock_api.urls),
    path("bench-empty/", empty_api.urls),
    *project_urlpatterns,
]
