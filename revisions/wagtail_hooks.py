"""The page editor's edit view with concurrent-edit merging, and the conflict view's URL."""

from django.urls import include, path
from wagtail import hooks
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from . import views


class MergingPageViewSet(PageViewSet):
    """Every page type's admin views, with the edit view that merges concurrent saves."""

    model = Page
    edit_view_class = views.EditView


# After Wagtail's own base viewset (order 0), so this one is the one registered for Page.
@hooks.register("register_admin_viewset", order=10)
def register_merging_page_viewset():
    return MergingPageViewSet()


@hooks.register("register_admin_urls")
def register_conflict_url():
    urls = [path("<int:held_id>/", views.conflict, name="conflict")]
    return [path("conflicts/", include((urls, "revisions"), namespace="revisions"))]
