"""Admin additions of language releases, in the editor's admin language: the page history's
entries, the edit screen's section and header actions ("Publish Vietnamese", "Withdraw
Vietnamese") and their views."""

from django.urls import include, path
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from cms.language import language_in_sentence

from . import views
from .panels import edit_screen_section, header_actions

# What the reason codes of a pending language are called in the history.
REASON_NAMES = {
    "incomplete": pgettext_lazy("why a language is not live", "incomplete"),
    "stale": pgettext_lazy("why a language is not live", "out of date"),
    "machine_unreviewed": pgettext_lazy(
        "why a language is not live", "machine translation not reviewed"
    ),
    "review_missing": pgettext_lazy("why a language is not live", "medical review missing"),
}


def _language(log_entry):
    return language_in_sentence(log_entry.data.get("language", ""))


@hooks.register("register_log_actions")
def register_release_log_actions(actions):
    @actions.register_action("releases.release")
    class ReleaseFormatter(LogFormatter):
        label = _("Language went live")

        def format_message(self, log_entry):
            return gettext("The %(language)s text went live") % {"language": _language(log_entry)}

    @actions.register_action("releases.pending")
    class PendingFormatter(LogFormatter):
        label = _("Language stays pending")

        def format_message(self, log_entry):
            reasons = ", ".join(
                str(REASON_NAMES.get(code, code)) for code in log_entry.data.get("reasons", [])
            )
            return gettext(
                "The %(language)s text did not go live (%(reasons)s): readers keep the "
                "text released before"
            ) % {"language": _language(log_entry), "reasons": reasons}

    @actions.register_action("releases.withdraw")
    class WithdrawFormatter(LogFormatter):
        label = _("Language withdrawn")

        def format_message(self, log_entry):
            return gettext(
                "The %(language)s text was withdrawn: its readers get the default language"
            ) % {"language": _language(log_entry)}


# -- the edit screen: each language's release, "Publish <language>", "Withdraw <language>" ------


@hooks.register("register_admin_urls")
def register_release_urls():
    urls = [
        path("pages/<int:page_id>/<str:lang>/release/", views.release, name="release"),
        path("pages/<int:page_id>/<str:lang>/withdraw/", views.withdraw, name="withdraw"),
    ]
    return [path("releases/", include((urls, "releases")))]


@hooks.register("editorial_translation_status_sections")
def language_releases_section(page, request):
    return edit_screen_section(page, request)


@hooks.register("register_page_header_buttons")
def language_release_buttons(page, user, view_name, next_url=None):
    """ "Publish Vietnamese" (a POST, as Wagtail's own lock buttons do) and "Withdraw
    Vietnamese…" (a confirmation page) in the page header's menu."""
    for label, url, kind in header_actions(page, user):
        if kind == "release":
            yield Button(
                label,
                icon_name="upload",
                attrs={
                    "data-controller": "w-action",
                    "data-action": "w-action#post",
                    "data-w-action-url-value": url,
                },
                priority=47,
            )
        else:
            yield Button(f"{label}…", url, icon_name="cross", priority=48)
