"""Admin additions of the project itself: refusals the database would make, said first.

- Deleting a snippet that a ``PROTECT``/``RESTRICT`` foreign key holds (``cms.deletion``).
- Moving, copying or bulk-publishing a page whose slug would clash with a sibling's in
  either language (``cms.slugs``); the page editor's form checks the same in its ``clean``.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.utils import get_valid_next_url_from_request

from cms import deletion, slugs
from cms.language import SUPPORTED_LANGUAGES


@hooks.register("before_delete_snippet")
def refuse_protected_snippet_deletion(request, instances):
    """Runs for the delete view and the bulk delete, on the confirmation and on the POST."""
    refused = deletion.blocked(instances)
    if not refused:
        return None
    for obj, rows in refused:
        messages.error(request, deletion.refusal_message(obj, rows))
    target = get_valid_next_url_from_request(request)
    if not target and len(instances) == 1:
        target = AdminURLFinder(request.user).get_edit_url(instances[0])
    return redirect(target or reverse("wagtailadmin_home"))


def _slug_refusal(request, page, found):
    messages.error(
        request,
        format_html(
            "{} {}",
            gettext("“%(title)s” was not moved or published: its slug is taken.")
            % {"title": page.title},
            slugs.conflict_list(found),
        ),
    )


@hooks.register("before_move_page")
def refuse_move_onto_taken_slug(request, page, destination):
    """Wagtail checks the slug of the admin's language only; readers use both."""
    found = slugs.page_conflicts(page, parent=destination)
    if not found:
        return None
    _slug_refusal(request, page, found)
    return redirect("wagtailadmin_pages:move", page.id)


@hooks.register("before_copy_page", order=-1)
def refuse_copy_onto_taken_slug(request, page):
    """Before wagtail-modeltranslation's copy view (a hook too): an empty slug's fallback counts.

    Only an otherwise valid copy form is checked here; anything else is left to that view.
    """
    if request.method != "POST":
        return None
    from wagtail_modeltranslation.patch_wagtailadmin_forms import PatchedCopyForm

    can_publish = page.get_parent().permissions_for_user(request.user).can_publish_subpage()
    form = PatchedCopyForm(request.POST, user=request.user, page=page, can_publish=can_publish)
    if not form.is_valid():
        return None
    parent = form.cleaned_data.get("new_parent_page") or page.get_parent()
    wanted = {
        lang: form.cleaned_data.get(f"new_{slugs.slug_field(lang)}") or ""
        for lang in SUPPORTED_LANGUAGES
    }
    found = slugs.conflicts(parent, wanted)
    if not found:
        return None
    for conflict in found:
        form.add_error(f"new_{conflict.field}", conflict.message())
    return render(
        request,
        "modeltranslation_copy.html",
        {"page": page, "form": form, "next": get_valid_next_url_from_request(request)},
    )


@hooks.register("before_bulk_action")
def refuse_bulk_onto_taken_slugs(request, action_type, objects, action_class_instance):
    """Bulk move checks one language's slugs, bulk publish none: check every language."""
    if action_type == "move":
        destination = action_class_instance.cleaned_form.cleaned_data.get("chooser")
        pages = [(page.specific_deferred, destination) for page in objects]
    elif action_type == "publish":
        # A draft's slug was checked against the siblings of its day; one may have taken it since.
        pages = [(_latest(page), None) for page in objects]
    else:
        return None
    refused = False
    for page, parent in pages:
        found = slugs.page_conflicts(page, parent=parent)
        if found:
            refused = True
            _slug_refusal(request, page, found)
    if refused:
        return redirect(get_valid_next_url_from_request(request) or reverse("wagtailadmin_home"))
    return None


def _latest(page):
    return page.get_latest_revision_as_object() if page.has_unpublished_changes else page.specific


@hooks.register("construct_help_menu")
def help_menu_in_the_editors_language(request, menu_items):
    """Build the Help menu's items for this request, in the editor's language.

    Wagtail builds each menu's items once per process and one of them formats its label
    eagerly ("What's new in Wagtail %(version)s"), so the first editor a worker served fixed
    it in their language for everyone. The items are made again from the same hooks here
    (a handful of objects, no query).
    """
    fresh = [make() for make in hooks.get_hooks("register_help_menu_item")]
    menu_items[:] = [item for item in fresh if item.is_shown(request)]
