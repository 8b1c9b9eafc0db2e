"""The project's URL map with Wagtail's stock v2 pages API in front (benchmark only)."""

from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.urls import urlpatterns as project_urlpatterns

stock_api = WagtailAPIRouter("stockapi")
stock_api.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [path("stock-api/v2/", stock_api.urls), *project_urlpatterns]
