"""The publish confirmation: which languages went live, which did not, and why.

Every admin path that publishes (the edit and create views, workflow approval, bulk
publish, publishing an older revision) runs the gate (``releases.signals``) inside the
request, and the gate records each language's outcome in the page history under the
request's log context. Wagtail has hooks after some of those paths and none after a
workflow approval, so one middleware reports them all: a ``page_published`` receiver notes
the pages an admin request publishes, and once the request's transaction is over
(committed, or rolled back by a refusal, which leaves nothing to report) the middleware
words what the history says, in the editor's language.
"""

from contextvars import ContextVar

from django.contrib import messages
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry
from wagtail.signals import page_published
from wagtail.users.models import UserProfile

from cms.language import ADMIN_PATH, DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_in_sentence

from .service import MISSING, language_states
from .wagtail_hooks import REASON_NAMES

RELEASED = "releases.release"
PENDING = "releases.pending"
READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")

# {page id: log context uuid} of the pages published by the admin request being served.
_published = ContextVar("releases_published_pages", default=None)


def note_publish(sender, instance, **kwargs):
    pages = _published.get()
    uuid = get_active_log_context().uuid
    if pages is not None and uuid is not None:
        pages[instance.pk] = uuid


class PublishOutcomeMiddleware:
    """Adds the publish confirmation's messages to admin requests that published pages.

    Sits above ``cms.middleware.AdminRefusalMiddleware``: it reads the history once the
    request's transaction has ended.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        page_published.connect(note_publish, dispatch_uid="releases_publish_outcome")

    def __call__(self, request):
        if request.method in READ_ONLY_METHODS or not request.path_info.startswith(ADMIN_PATH):
            return self.get_response(request)
        token = _published.set({})
        # Messages still waiting from earlier requests: the ones after them are this request's.
        waiting = len(messages.get_messages(request))
        try:
            response = self.get_response(request)
            published = _published.get()
        finally:
            _published.reset(token)
        if published:
            report(request, published, waiting)
        return response


def outcomes(published):
    """``{page id: {lang: (RELEASED | PENDING, reason codes)}}`` recorded by the gate for
    ``published``."""
    found = {}
    entries = PageLogEntry.objects.filter(
        page_id__in=published, uuid__in=set(published.values()), action__in=(RELEASED, PENDING)
    ).order_by("timestamp", "pk")
    for entry in entries:
        data = entry.data or {}
        lang = data.get("language")
        if lang in SUPPORTED_LANGUAGES and str(entry.uuid) == str(published[entry.page_id]):
            found.setdefault(entry.page_id, {})[lang] = (entry.action, data.get("reasons", []))
    return found


def report(request, published, waiting):
    """Adds the messages, worded in the editor's admin language (Wagtail's views switch to
    it only while they run).

    They come before the messages of the view that published, so the first line the editor
    reads says what readers get. When no language of any page went live, the view's own
    success messages ("Page … has been published.") are left out: readers see nothing new,
    and a green "published" above the warning would say the opposite. Messages ``waiting``
    from earlier requests keep their place at the top.
    """
    found = outcomes(published)
    if not found:
        return
    several = len(found) > 1
    language = UserProfile.get_for_user(request.user).get_preferred_language()
    with translation.override(language):
        ours = [
            confirmation(page, found[page.pk], with_title=several)
            for page in Page.objects.filter(pk__in=found).specific().order_by("path")
        ]
    went_live = any(
        action == RELEASED for outcome in found.values() for action, _codes in outcome.values()
    )
    # Reading the storage marks every message shown; those added again below are the ones
    # the next page shows, in this order.
    shown = list(messages.get_messages(request))
    earlier, views = shown[:waiting], shown[waiting:]
    if not went_live:
        views = [message for message in views if message.level != messages.SUCCESS]
    for message in earlier:
        messages.add_message(request, message.level, message.message, message.extra_tags)
    for level, message in ours:
        messages.add_message(request, level, message)
    for message in views:
        messages.add_message(request, message.level, message.message, message.extra_tags)


def join_languages(codes):
    """Language names joined as a sentence lists them: "English and Vietnamese"."""
    names = [str(language_in_sentence(code)) for code in codes]
    if len(names) == 1:
        return names[0]
    return gettext("%(languages)s and %(last)s") % {
        "languages": ", ".join(names[:-1]),
        "last": names[-1],
    }


def _not_live(lang, state, codes):
    """One language that did not go live: what its readers get now, and why (the reasons of
    the latest revision; the gate's reason codes when that revision is approved by now)."""
    language = language_in_sentence(lang)
    if lang == DEFAULT_LANGUAGE and state.state == MISSING:
        sentence = gettext(
            "%(language)s did not go live, so readers do not see the page yet. Why:"
        ) % {"language": language}
    elif state.state == MISSING:
        sentence = gettext(
            "%(language)s did not go live: its readers get the %(default)s text. Why:"
        ) % {"language": language, "default": language_in_sentence(DEFAULT_LANGUAGE)}
    else:
        sentence = gettext(
            "%(language)s did not go live: readers keep the %(language)s text released before. Why:"
        ) % {"language": language}
    reasons = [reason.message for reason in state.reasons] or [
        capfirst(REASON_NAMES.get(code, code)) for code in codes
    ]
    return format_html(
        "{} <ul>{}</ul>",
        capfirst(sentence),
        format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons)),
    )


def confirmation(page, outcome, with_title=False):
    """``(level, message)`` for one published page: ``outcome`` is ``{lang: (action, codes)}``."""
    actions = {lang: action for lang, (action, _codes) in outcome.items()}
    went_live = [lang for lang in SUPPORTED_LANGUAGES if actions.get(lang) == RELEASED]
    pending = [lang for lang in SUPPORTED_LANGUAGES if actions.get(lang) == PENDING]
    parts = []
    if with_title:
        parts.append(format_html("“{}”:", page.get_admin_display_title()))
    if went_live:
        parts.append(
            capfirst(gettext("%(languages)s went live.") % {"languages": join_languages(went_live)})
        )
    if pending:
        states = language_states(page)
        parts.extend(_not_live(lang, states[lang], outcome[lang][1]) for lang in pending)
    level = messages.WARNING if pending else messages.SUCCESS
    return level, format_html_join(" ", "{}", ((part,) for part in parts))
