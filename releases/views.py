"""The admin's "Publish Vietnamese" and "Withdraw Vietnamese" (one view each, any language).

Both need the editor's permission to publish the page, change nothing but the language
named, and end on the edit screen (or the ``next`` the button sent) with a message in the
editor's language. The service logs each change in the page history.
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_in_sentence
from cms.next_url import next_url

from .service import NotApproved, release_language, withdraw_language


def release_url(page_id, lang):
    return reverse("releases:release", args=[page_id, lang])


def withdraw_url(page_id, lang):
    return reverse("releases:withdraw", args=[page_id, lang])


def _page_to_publish(request, page_id, lang):
    """The page, once the language is one the site publishes in and the editor may publish.

    A refusal is a message in the editor's language (Wagtail's own permission message is
    worded after its views switched back to the default admin language).
    """
    if lang not in SUPPORTED_LANGUAGES:
        raise Http404
    page = get_object_or_404(Page, id=page_id).specific
    if not page.permissions_for_user(request.user).can_publish():
        raise NotAllowed
    return page


class NotAllowed(Exception):
    """The editor may not publish the page, so may not release or withdraw its languages."""


def refuse_without_publish_permission(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotAllowed:
            messages.error(
                request,
                gettext(
                    "You cannot publish this page, so you cannot publish or withdraw one of "
                    "its languages either."
                ),
            )
            return redirect(next_url(request, reverse("wagtailadmin_home")))

    return checked


def _edit_screen(request, page):
    return redirect(next_url(request, reverse("wagtailadmin_pages:edit", args=[page.pk])))


def reasons_html(intro, reasons):
    """``intro`` followed by the reasons as a list (messages and the edit screen)."""
    return format_html(
        "{} <ul>{}</ul>",
        intro,
        format_html_join("", "<li>{}</li>", ((reason.message,) for reason in reasons)),
    )


@require_POST
@refuse_without_publish_permission
def release(request, page_id, lang):
    """Release ``lang`` of the latest revision; refused, with the reasons, while not approved."""
    page = _page_to_publish(request, page_id, lang)
    language = language_in_sentence(lang)
    if not page.live:
        messages.error(
            request,
            gettext(
                "The page is not published: publish it first; each language that is ready "
                "goes live with it."
            ),
        )
        return _edit_screen(request, page)
    try:
        release_language(page, lang, request.user)
    except NotApproved as refusal:
        messages.error(
            request,
            reasons_html(
                gettext("Nothing changed: the %(language)s text cannot go live yet.")
                % {"language": language},
                refusal.reasons,
            ),
        )
        return _edit_screen(request, page)
    messages.success(
        request,
        gettext("The %(language)s text went live. The other languages are unchanged.")
        % {"language": language},
    )
    return _edit_screen(request, page)


@require_http_methods(["GET", "POST"])
@refuse_without_publish_permission
def withdraw(request, page_id, lang):
    """Asks, then takes ``lang`` offline: its readers get the default language."""
    if lang == DEFAULT_LANGUAGE:
        raise Http404  # the default language goes offline by unpublishing the page
    page = _page_to_publish(request, page_id, lang)
    language = language_in_sentence(lang)
    default = language_in_sentence(DEFAULT_LANGUAGE)
    if request.method == "POST":
        if withdraw_language(page, lang, request.user) is None:
            messages.info(
                request,
                gettext("The %(language)s text was not live: nothing was withdrawn.")
                % {"language": language},
            )
        else:
            messages.success(
                request,
                gettext(
                    "The %(language)s text was withdrawn: its readers get the %(default)s "
                    "text, marked as a fallback, until %(language)s goes live again."
                )
                % {"language": language, "default": default},
            )
        return _edit_screen(request, page)
    return TemplateResponse(
        request,
        "releases/confirm_withdraw.html",
        {
            "page": page,
            "language": language,
            "default_language": default,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            "next": next_url(request, ""),
            "header_icon": "globe",
            "page_title": capfirst(
                gettext("Withdraw %(language)s") % {"language": language},
            ),
        },
    )
