"""Admin additions of the therapies app."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Doctor


class DoctorViewSet(SnippetViewSet):
    model = Doctor
    icon = "user"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "credentials"]
    search_fields = ["name"]


register_snippet(DoctorViewSet)
