"""What records document changes: signals of pages, view restrictions, sites, images, snippets.

Every receiver writes outbox rows in the transaction of the change (``readmodel.outbox``).
Pages are recorded on every save (a publish, an unpublish, a draft save that changes
nothing readers see costs one rebuild that writes nothing). Deletes are recorded in
``pre_delete``, while the reference index still says which pages show what is deleted.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import dependencies, outbox


def _page_saved(sender, instance, raw=False, **kwargs):
    if isinstance(instance, Page) and not raw:
        outbox.record_pages([instance.pk], "page saved")


def _page_published(sender, instance, **kwargs):
    outbox.record_pages([instance.pk], "page published")


def _page_unpublished(sender, instance, **kwargs):
    outbox.record_pages([instance.pk], "page unpublished")


def _page_moved(sender, instance, parent_page_before=None, **kwargs):
    before = getattr(parent_page_before, "pk", None)
    outbox.record_pages([instance.pk, before], "page moved")


def _page_deleted(sender, instance, **kwargs):
    if not isinstance(instance, Page) or type(instance) is not Page:
        return  # once per page: for its base row
    shown_by = dependencies.pages_showing_page(instance.pk)
    outbox.record_pages([instance.pk, *sorted(shown_by)], "page deleted")


def _restriction_changed(sender, instance, **kwargs):
    outbox.record_pages([instance.page_id], "privacy changed", subtree=True)


def _everything_changed(sender, instance, **kwargs):
    outbox.record_everything(f"{sender.__name__} changed")


def _shown_object_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and set(update_fields) <= _BOOKKEEPING.get(sender, set()):
        return
    outbox.record_pages(sorted(dependencies.pages_showing(instance)), f"{sender.__name__} saved")


def _shown_object_deleted(sender, instance, **kwargs):
    pages = sorted(dependencies.pages_showing(instance))
    outbox.record_pages(pages, f"{sender.__name__} deleted")


def _rendition_deleted(sender, instance, **kwargs):
    image = getattr(instance, "image", None)
    if image is not None:
        outbox.record_pages(sorted(dependencies.pages_showing(image)), "rendition deleted")


def _site_setting_changed(sender, instance, **kwargs):
    outbox.record_site(instance.site_id, f"{sender.__name__} changed")


# Saves that only record bookkeeping (an image's file size and hash, read lazily).
_BOOKKEEPING = {}
_connected = set()


def connect_model(model):
    """Record changes of ``model``'s rows by what shows them (``dependencies.watch``)."""
    if model in _connected:
        return
    _connected.add(model)
    uid = f"readmodel-{model._meta.label_lower}"
    post_save.connect(_shown_object_saved, sender=model, dispatch_uid=f"{uid}-save")
    pre_delete.connect(_shown_object_deleted, sender=model, dispatch_uid=f"{uid}-delete")


def connect():
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.snippets.models import get_snippet_models

    post_save.connect(_page_saved, dispatch_uid="readmodel-page-saved")
    page_published.connect(_page_published, dispatch_uid="readmodel-page-published")
    page_unpublished.connect(_page_unpublished, dispatch_uid="readmodel-page-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="readmodel-page-moved")
    pre_delete.connect(_page_deleted, sender=Page, dispatch_uid="readmodel-page-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed, sender=PageViewRestriction, dispatch_uid=f"readmodel-pvr-{signal}"
        )
        for model in (Site, Collection, CollectionViewRestriction):
            signal.connect(
                _everything_changed,
                sender=model,
                dispatch_uid=f"readmodel-all-{model.__name__}-{id(signal)}",
            )
    image = get_image_model()
    _BOOKKEEPING[image] = {"file_size", "file_hash"}
    connect_model(image)
    post_delete.connect(
        _rendition_deleted,
        sender=image.get_rendition_model(),
        dispatch_uid="readmodel-rendition-deleted",
    )
    for model in get_snippet_models():
        connect_model(model)
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, BaseSiteSetting):
            for signal in (post_save, post_delete):
                signal.connect(
                    _site_setting_changed,
                    sender=model,
                    dispatch_uid=f"readmodel-setting-{model._meta.label_lower}-{id(signal)}",
                )
