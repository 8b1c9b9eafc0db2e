"""Admin additions of the editorial safeguards.

- Publishing (edit and create views, bulk publish) is refused while a page has red-flag
  claims, unless the user holds ``editorial.publish_despite_claims``; the override is
  logged on the page. Saving a draft or submitting only warns.
- Publishing with an incomplete translation is refused when
  ``EDITORIAL_BLOCK_INCOMPLETE_TRANSLATION_PUBLISH`` is True (otherwise that language does
  not go live, and the publish confirmation says why).
- Reports "Missing translations", "Reviews due" and "Red-flag claims in drafts", the admin
  home's panels of the same, a translation column in the page explorer, and the RedFlagClaim
  snippet.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BaseColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, IndexView
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from cms.next_url import next_url
from cms.translations import DRAFT, LIVE, missing_fields

from . import dashboard, views
from .claims import check_page
from .edit_languages import save_edit_languages
from .models import RedFlagClaim
from .panels import field_label, language_name
from .progress import progress_label, segment_progress
from .status import all_statuses_prefetch, statuses_by_scope

OVERRIDE_PERMISSION = "editorial.publish_despite_claims"


class RedFlagClaimViewSet(SnippetViewSet):
    model = RedFlagClaim
    icon = "warning"
    menu_order = 310
    add_to_admin_menu = True
    menu_label = _("Red-flag claims")
    list_display = ["phrase", "language", "why"]
    list_filter = ["language"]
    search_fields = ["phrase"]


register_snippet(RedFlagClaimViewSet)


# -- messages ---------------------------------------------------------------------------------


def _hit_list(hits):
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{}: {} — “{}” — “{}”</li>",
            ((language_name(h.lang), h.location, h.phrase, h.snippet) for h in hits),
        ),
    )


def _missing_list(missing):
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "", "<li>{}: {}</li>", ((name, ", ".join(fields)) for name, fields in missing)
        ),
    )


def _incomplete_translations(page):
    model = type(page)
    result = []
    for lang in SUPPORTED_LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        missing = missing_fields(page, lang)
        if missing:
            result.append((language_name(lang), [field_label(model, f) for f in missing]))
    return result


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


# -- publish guard ----------------------------------------------------------------------------


@hooks.register("before_publish_page")
def guard_publish(request, page):
    """Runs after the revision is saved and before it goes live: refuse or warn."""
    page = page.specific if not hasattr(page, "translation_required_fields") else page
    refused = False
    hits = check_page(page)
    if hits:
        if request.user.has_perm(OVERRIDE_PERMISSION):
            log(
                instance=page,
                action="editorial.publish_despite_claims",
                user=request.user,
                revision=page.latest_revision,
                data={"hits": [hit.as_dict() for hit in hits]},
            )
            messages.warning(
                request,
                format_html(
                    "{} {}",
                    gettext(
                        "Published despite red-flag claims; the override is recorded in the page "
                        "history:"
                    ),
                    _hit_list(hits),
                ),
            )
        else:
            refused = True
            messages.error(
                request,
                format_html(
                    "{} {}",
                    gettext(
                        "The page was saved as a draft but not published: it contains red-flag "
                        "claims. "
                        "Rephrase them, or quote them inside a “Claims warning” block:"
                    ),
                    _hit_list(hits),
                ),
            )

    # Otherwise an incomplete language simply does not go live: the publish confirmation
    # (``releases``) says so, with what it lacks.
    incomplete = _incomplete_translations(page)
    if incomplete and getattr(settings, "EDITORIAL_BLOCK_INCOMPLETE_TRANSLATION_PUBLISH", False):
        refused = True
        messages.error(
            request,
            format_html(
                "{} {}",
                gettext(
                    "The page was saved as a draft but not published: its translation is "
                    "incomplete."
                ),
                _missing_list(incomplete),
            ),
        )

    if refused:
        if page.live and not page.live_revision_id:
            # A page being created: the create view added it with live=True before publishing.
            type(page).objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
            page.live = False
        return redirect(_edit_url(page))
    return None


def _warn_on_draft(request, page):
    if request.method != "POST" or request.POST.get("action-publish"):
        return None  # publishing is handled by guard_publish
    if not request.accepts("text/html"):
        return None  # autosave: nothing to show a message to
    hits = check_page(page.specific if not hasattr(page, "translation_required_fields") else page)
    if hits:
        messages.warning(
            request,
            format_html(
                "{} {}",
                gettext(
                    "Saved, but this text contains red-flag claims and cannot be published as it "
                    "is:"
                ),
                _hit_list(hits),
            ),
        )
    return None


hooks.register("after_edit_page", _warn_on_draft)
hooks.register("after_create_page", _warn_on_draft)


@hooks.register("before_bulk_action")
def guard_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish" or request.user.has_perm(OVERRIDE_PERMISSION):
        return None
    flagged = []
    for page in objects:
        latest = (
            page.get_latest_revision_as_object() if page.has_unpublished_changes else page.specific
        )
        if check_page(latest):
            flagged.append(page.get_admin_display_title())
    if flagged:
        messages.error(
            request,
            format_html(
                "{} {}",
                gettext("Nothing was published: these pages contain red-flag claims:"),
                format_html(
                    "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((t,) for t in flagged))
                ),
            ),
        )
        return redirect(next_url(request, reverse("wagtailadmin_home")))
    return None


# -- log actions and permissions --------------------------------------------------------------


@hooks.register("register_log_actions")
def register_editorial_log_actions(actions):
    actions.register_action(
        "editorial.publish_despite_claims",
        _("Publish despite red-flag claims"),
        _("Published despite red-flag claims"),
    )
    actions.register_action(
        "editorial.translation_confirmed",
        _("Confirm translation"),
        _("Confirmed the translation still matches"),
    )
    actions.register_action(
        "editorial.medical_review",
        _("Medical review"),
        _("Medically reviewed"),
    )


@hooks.register("register_permissions")
def register_override_permission():
    return Permission.objects.filter(
        content_type__app_label="editorial", codename="publish_despite_claims"
    )


# -- admin URLs and reports -------------------------------------------------------------------


editorial_urls = (
    [
        path(
            "reports/missing-translations/",
            views.MissingTranslationsView.as_view(),
            name="missing_translations",
        ),
        path(
            "reports/missing-translations/results/",
            views.MissingTranslationsView.as_view(results_only=True),
            name="missing_translations_results",
        ),
        path("reports/reviews-due/", views.ReviewsDueView.as_view(), name="reviews_due"),
        path(
            "reports/reviews-due/results/",
            views.ReviewsDueView.as_view(results_only=True),
            name="reviews_due_results",
        ),
        path("edit-languages/", save_edit_languages, name="edit_languages"),
        path("reports/red-flag-drafts/", views.RedFlagDraftsView.as_view(), name="red_flag_drafts"),
        path(
            "reports/red-flag-drafts/results/",
            views.RedFlagDraftsView.as_view(results_only=True),
            name="red_flag_drafts_results",
        ),
        path(
            "pages/<int:page_id>/translation/<str:lang>/confirm/",
            views.confirm_translation,
            name="confirm_translation",
        ),
    ],
    "editorial",
)


@hooks.register("register_admin_urls")
def register_editorial_urls():
    return [path("editorial/", include(editorial_urls))]


class _PageReportMenuItem(MenuItem):
    def is_shown(self, request):
        from wagtail.permission_policies.pages import PagePermissionPolicy

        from .views import REPORT_PERMISSIONS

        return PagePermissionPolicy().user_has_any_permission(request.user, REPORT_PERMISSIONS)


@hooks.register("register_reports_menu_item")
def register_missing_translations_report():
    return _PageReportMenuItem(
        _("Missing translations"),
        reverse("editorial:missing_translations"),
        name="missing-translations",
        icon_name="globe",
        order=720,
    )


@hooks.register("register_reports_menu_item")
def register_reviews_due_report():
    return _PageReportMenuItem(
        _("Reviews due"),
        reverse("editorial:reviews_due"),
        name="reviews-due",
        icon_name="calendar-alt",
        order=730,
    )


@hooks.register("register_reports_menu_item")
def register_red_flag_drafts_report():
    return _PageReportMenuItem(
        _("Red-flag claims in drafts"),
        reverse("editorial:red_flag_drafts"),
        name="red-flag-drafts",
        icon_name="warning",
        order=740,
    )


hooks.register("construct_homepage_panels", dashboard.add_panels)


# -- page explorer: a translation column ------------------------------------------------------


def _explorer_label(row):
    if not row.is_complete:
        return gettext("incomplete"), ", ".join(row.missing)
    if row.is_stale:
        return gettext("out of date"), ", ".join(row.stale_fields)
    return gettext("complete"), ""


class TranslationStatusColumn(BaseColumn):
    """Per language: complete, incomplete (what is missing) or out of date, from prefetched rows.

    The live status (what readers see) comes first; the latest draft's is added, labelled,
    when it differs or the page is not live.
    """

    cell_template_name = "editorial/listing/translation_status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        rows = statuses_by_scope(instance)
        statuses = []
        for lang in SUPPORTED_LANGUAGES:
            live, draft = rows[LIVE].get(lang), rows[DRAFT].get(lang)
            live_label = _explorer_label(live) if live else None
            if live:
                label, title = live_label
                statuses.append({"lang": lang, "label": label, "title": title, "ok": not title})
            if draft and (not live or _explorer_label(draft) != live_label):
                label, title = _explorer_label(draft)
                statuses.append(
                    {
                        "lang": lang,
                        "draft": True,
                        "label": label,
                        "title": title,
                        "ok": not title,
                    }
                )
        context["statuses"] = statuses
        context["progress"] = self._progress(instance, parent_context)
        return context

    def _progress(self, instance, parent_context):
        """Segment progress per language, counted once for every page of the listing."""
        if not hasattr(instance, "editorial_segment_progress"):
            pages = list(parent_context["table"].data)
            counts = {
                lang: segment_progress(pages, lang)
                for lang in SUPPORTED_LANGUAGES
                if lang != DEFAULT_LANGUAGE
            }
            for page in pages:
                page.editorial_segment_progress = [
                    {"lang": lang, "label": progress_label(found[page.pk]), **found[page.pk]}
                    for lang, found in counts.items()
                    if page.pk in found
                ]
        progress = getattr(instance, "editorial_segment_progress", [])
        user = getattr(parent_context.get("request"), "user", None)
        linked = user is not None and instance.permissions_for_user(user).can_edit()
        # The workspace is for editors: others see the counts without the link.
        return [
            {
                **item,
                "html": format_html(
                    '<a href="{}" title="{}">{}</a>',
                    item["url"],
                    gettext("Open the translation workspace"),
                    item["label"],
                )
                if linked
                else item["label"],
            }
            for item in progress
        ]


_COLUMN = TranslationStatusColumn("translations", label=_("Translations"), width="14%")
for _view in (ExplorableIndexView, IndexView):
    if not any(column.name == _COLUMN.name for column in _view.base_columns):
        _view.base_columns = [*_view.base_columns, _COLUMN]


@hooks.register("construct_explorer_page_queryset")
def prefetch_translation_statuses(parent_page, pages, request):
    return pages.prefetch_related(all_statuses_prefetch())
