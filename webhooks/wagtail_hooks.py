"""Admin: manage webhook endpoints; read the log of every delivery attempt."""

from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointViewSet(SnippetViewSet):
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    menu_order = 900
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Deliveries are a log: they can be viewed and pruned, never written by hand."""

    def user_has_permission(self, user, action):
        if action in {"add", "change"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery), exact_class=True)


class WebhookDeliveryViewSet(SnippetViewSet):
    model = WebhookDelivery
    icon = "list-ul"
    menu_label = _("Webhook deliveries")
    add_to_settings_menu = True
    menu_order = 901
    inspect_view_enabled = True
    list_display = [
        "created_at",
        "event",
        "page_id",
        "endpoint",
        "attempt",
        "status",
        "response_code",
        "error",
    ]
    list_filter = ["status", "event", "endpoint"]
    inspect_view_fields = [
        "endpoint",
        "event",
        "event_id",
        "page_id",
        "attempt",
        "status",
        "response_code",
        "error",
        "response_excerpt",
        "duration_ms",
        "next_attempt_at",
        "created_at",
        "payload",
    ]


register_snippet(WebhookEndpointViewSet)
register_snippet(WebhookDeliveryViewSet)
