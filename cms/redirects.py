"""Redirects from a page's old address in every language, after a move or a slug change.

Wagtail creates redirects automatically (``wagtail.contrib.redirects``) from the
old URL of a moved or renamed page, but it computes that URL from ``url_path``
alone, under whatever language is active when the change commits: an editor
working in the Vietnamese admin who renames an English slug got a redirect from
``/vi/articles/old/``, an address no reader had, and the English one answered
404. wagtail-modeltranslation keeps a ``url_path_<lang>`` per language, so this
module does the job for every language instead, and ``cms.apps`` disconnects
Wagtail's two handlers.

Before a live page is saved, its stored ``url_path_<lang>`` values are read; after
the save, each language whose path changed gets a permanent redirect from the old
public address to the page, for the page and for each of its live descendants
(their paths change with it). The redirects are ordinary Wagtail redirects, marked
as automatically created, so editors see and manage them in Settings → Redirects.
``WAGTAILREDIRECTS_AUTO_CREATE = False`` turns them off, as it does Wagtail's.
"""

import logging

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.http.response import HttpResponseRedirectBase
from wagtail.contrib.redirects.middleware import RedirectMiddleware
from wagtail.models import Page, Site

from cms.language import SUPPORTED_LANGUAGES
from cms.text import nfc
from cms.visibility import visible_ids

logger = logging.getLogger(__name__)

_OLD_PATHS = "_cms_old_url_paths"


def _path_fields():
    return [f"url_path_{lang}" for lang in SUPPORTED_LANGUAGES]


def remember_old_paths(sender, instance, update_fields=None, raw=False, **kwargs):
    """pre_save: the stored paths of a live page in each language, before they may change."""
    if raw or not isinstance(instance, Page) or not instance.pk:
        return
    fields = _path_fields()
    if update_fields is not None and not set(fields) & set(update_fields):
        return
    stored = Page.objects.filter(pk=instance.pk, live=True).values(*fields).first()
    if stored:
        setattr(instance, _OLD_PATHS, stored)


def redirect_old_paths(sender, instance, raw=False, **kwargs):
    """post_save: a redirect from each old public address whose path changed."""
    old = instance.__dict__.pop(_OLD_PATHS, None)
    if raw or old is None or not getattr(settings, "WAGTAILREDIRECTS_AUTO_CREATE", True):
        return
    for lang in SUPPORTED_LANGUAGES:
        field = f"url_path_{lang}"
        before, after = old.get(field), getattr(instance, field, None)
        if before and after and before != after:
            _create_redirects(instance, lang, before, after)


def _public_path(lang, url_path, root_path):
    """``/vi/bai-viet/…/`` for the page at ``url_path`` on the site rooted at ``root_path``."""
    return f"/{lang}/{url_path[len(root_path) :]}"


def _create_redirects(page, lang, before, after):
    """Redirects in ``lang`` for ``page`` and its live descendants, from under ``before``.

    Created in batches by Wagtail's own ``BatchRedirectCreator`` (as its English
    redirects are): it replaces automatically created redirects from the same
    addresses, so a renamed section with thousands of pages costs a few queries.
    """
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.contrib.redirects.signal_handlers import BatchRedirectCreator

    field = f"url_path_{lang}"
    # Descendants still hold their paths under ``before`` or already under ``after``
    # (wagtail-modeltranslation updates them right after this save): either gives the rest.
    pages = [(page, "")]
    for descendant in page.get_descendants().live().only("pk", field):
        path = getattr(descendant, field) or ""
        for prefix in (before, after):
            if path.startswith(prefix):
                pages.append((descendant, path[len(prefix) :]))
                break
    # An editor's own redirect from an address (for this site or for all sites) wins.
    editors = set(
        Redirect.objects.filter(automatically_created=False).values_list("site_id", "old_path")
    )
    batch = BatchRedirectCreator(max_size=2000, ignore_conflicts=True)
    for site in Site.objects.select_related("root_page"):
        root_path = getattr(site.root_page, field, None) or site.root_page.url_path
        if not (before.startswith(root_path) and after.startswith(root_path)):
            continue  # only addresses on the same site, as Wagtail's own redirects
        for target, rest in pages:
            old_path = Redirect.normalise_path(_public_path(lang, before + rest, root_path))
            if old_path == Redirect.normalise_path(_public_path(lang, after + rest, root_path)):
                continue
            if (site.pk, old_path) in editors or (None, old_path) in editors:
                continue
            batch.add(
                old_path=old_path,
                site=site,
                redirect_page=target,
                is_permanent=True,
                automatically_created=True,
            )
    if batch.items:  # process() with no items would delete every automatic redirect
        batch.process()
    if batch.created_count:
        logger.info("Created %d %s redirect(s) for page %s.", batch.created_count, lang, page.pk)


def connect_signals():
    """Ours in, Wagtail's out: called once every app is ready (``cms.apps``, the last app)."""
    from wagtail.contrib.redirects.signal_handlers import (
        autocreate_redirects_on_page_move,
        autocreate_redirects_on_slug_change,
    )
    from wagtail.signals import page_slug_changed, post_page_move

    page_slug_changed.disconnect(autocreate_redirects_on_slug_change)
    post_page_move.disconnect(autocreate_redirects_on_page_move)
    pre_save.connect(remember_old_paths, dispatch_uid="cms-redirects-remember")
    post_save.connect(redirect_old_paths, dispatch_uid="cms-redirects-create")
    from wagtail.contrib.redirects.models import Redirect

    pre_save.connect(compose_old_path, sender=Redirect, dispatch_uid="cms-redirects-nfc")


def compose_old_path(sender, instance, **kwargs):
    """pre_save of a Redirect: its old path stored composed (NFC), as the site's addresses
    are (``cms.serving.composed_address_redirect``) and as everything editors save is
    (``cms.text``): a path typed or pasted with decomposed Vietnamese letters still matches."""
    instance.old_path = nfc(instance.old_path)


class ReaderRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects, only to pages readers may see (``cms.visibility``).

    A redirect whose target page is a draft, unpublished, private, expired or not
    yet live answers the 404 it replaces: its ``Location`` would give away the
    hidden page's address (its slug) before any view checked it.
    """

    def process_response(self, request, response):
        redirected = super().process_response(request, response)
        if redirected is response or not isinstance(redirected, HttpResponseRedirectBase):
            return redirected
        target = _redirect_for(request)
        if target is not None and target.redirect_page_id is not None:
            site = Site.find_for_request(request)
            if not visible_ids([target.redirect_page_id], site=site):
                return response
        return redirected


def _redirect_for(request):
    """The Redirect Wagtail's middleware followed for ``request`` (same lookup, same order)."""
    from urllib.parse import urlparse

    from wagtail.contrib.redirects.middleware import get_redirect
    from wagtail.contrib.redirects.models import Redirect

    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    return get_redirect(request, path) or get_redirect(request, urlparse(path).path)
