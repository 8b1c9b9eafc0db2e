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
    # Searched with the database (icontains) rather than Wagtail's search backend: the
    # SQLite backend cannot restrict a search to fields ("no such column: name").
    search_fields = ["name", "credentials_en", "credentials_vi"]
    search_backend_name = None


register_snippet(DoctorViewSet)
