"""What the edit screen shows of each language's release, and the actions on it.

A section of the "Translation status" panel (``editorial_translation_status_sections``):
per language, its state for readers (live, pending, missing), the revision readers get
(when it went live, who released it), a link comparing it with the latest revision, why
the latest text cannot go live yet, and "Publish <language>" / "Withdraw <language>"
for editors who may publish the page. The page header's menu has the same two actions.
"""

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import get_user_display_name

from cms import translations
from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_in_sentence
from editorial.panels import language_name

from .service import LIVE, MISSING, PENDING, language_states
from .views import release_url, withdraw_url

STATE_LABELS = {
    LIVE: pgettext_lazy("language release state", "Live"),
    PENDING: pgettext_lazy("language release state", "Pending"),
    MISSING: pgettext_lazy("language release state", "Missing"),
}


def publish_label(lang):
    return capfirst(gettext("Publish %(language)s") % {"language": language_in_sentence(lang)})


def withdraw_label(lang):
    return capfirst(gettext("Withdraw %(language)s") % {"language": language_in_sentence(lang)})


def may_release(page, state):
    """ "Publish <language>" applies: the page is live and readers do not get the latest text."""
    return page.live and state != LIVE


def may_withdraw(lang, state):
    """ "Withdraw <language>" applies: a language other than the default that readers get."""
    return lang != DEFAULT_LANGUAGE and state != MISSING


def _compare_url(page, released_revision):
    if released_revision is None or page.latest_revision_id in (None, released_revision.pk):
        return ""
    return reverse(
        "wagtailadmin_pages:revisions_compare",
        kwargs={
            "pk": page.pk,
            "revision_id_a": released_revision.pk,
            "revision_id_b": page.latest_revision_id,
        },
    )


class LanguageReleasesSection(Component):
    """The section under the translation status table (see the module's docstring)."""

    template_name = "releases/language_releases.html"

    def __init__(self, page, user):
        self.page = page.specific
        self.user = user

    def get_context_data(self, parent_context=None):
        page = self.page
        can_publish = page.permissions_for_user(self.user).can_publish()
        languages = []
        for lang, state in language_states(page).items():
            revision = state.released_revision
            languages.append(
                {
                    "lang": lang,
                    "name": language_name(lang),
                    "state": state.state,
                    "state_label": STATE_LABELS[state.state],
                    "revision": revision,
                    "live_since": state.live_since,
                    "released_by": (
                        get_user_display_name(state.released_by) if state.released_by else ""
                    ),
                    "compare_url": (_compare_url(page, revision) if state.state == PENDING else ""),
                    "reasons": [reason.message for reason in state.reasons],
                    "release_url": (
                        release_url(page.pk, lang)
                        if can_publish and not state.reasons and may_release(page, state.state)
                        else ""
                    ),
                    "release_label": publish_label(lang),
                    "withdraw_url": (
                        withdraw_url(page.pk, lang)
                        if can_publish and may_withdraw(lang, state.state)
                        else ""
                    ),
                    "withdraw_label": withdraw_label(lang),
                }
            )
        return {
            "languages": languages,
            "page_live": page.live,
            "default_language": language_in_sentence(DEFAULT_LANGUAGE),
        }


def edit_screen_section(page, request):
    """The section for ``page`` (the edit form's instance), or None before it is created."""
    if not page.pk:
        return None
    return LanguageReleasesSection(page, request.user)


def header_actions(page, user):
    """``[(label, url, kind)]``: "Publish <language>" (``release``, a POST) and "Withdraw
    <language>" (``withdraw``, a confirmation page) for the page header's menu."""
    if page.is_root() or not page.live or not page.permissions_for_user(user).can_publish():
        return []
    states = translations.reader_states(page.specific)
    actions = []
    for lang in SUPPORTED_LANGUAGES:
        state = states[lang]["state"]
        if may_release(page, state):
            actions.append((publish_label(lang), release_url(page.pk, lang), "release"))
        if may_withdraw(lang, state):
            actions.append((withdraw_label(lang), withdraw_url(page.pk, lang), "withdraw"))
    return actions
