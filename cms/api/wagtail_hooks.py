"""Admin additions of the content API: absolute links in API rich text, headless preview."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem

from .preview import headless_preview_view
from .rich_text import ApiAwarePageLinkHandler


@hooks.register("register_rich_text_features", order=100)
def register_api_aware_page_links(features):
    # Runs after Wagtail's own registration (order 0) and replaces its "page" handler.
    features.register_link_type(ApiAwarePageLinkHandler)


@hooks.register("register_admin_urls")
def register_headless_preview_url():
    return [
        path(
            "headless-preview/<int:page_id>/",
            headless_preview_view,
            name="cms_api_headless_preview",
        )
    ]


class HeadlessPreviewMenuItem(ActionMenuItem):
    """Opens the external site's preview of the latest draft, with a signed, expiring token."""

    label = _("Headless preview")
    name = "action-headless-preview"
    icon_name = "view"
    order = 90

    def is_shown(self, context):
        return context["view"] == "edit"

    def get_url(self, context):
        return reverse("cms_api_headless_preview", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_headless_preview_menu_item():
    return HeadlessPreviewMenuItem()
