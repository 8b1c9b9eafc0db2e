"""Saves based on an older revision than the latest: detect, merge, or hold for the editor.

Every path that writes a page revision from what an editor saw (the page editor, the
translation workspace, translation file imports) calls this module inside one
transaction: ``lock_latest`` locks the page row and reads its latest revision, so two
saves of one page are checked and written one after the other; ``reconcile`` merges a
stale save with the newer revision (``merge.merge``) or keeps it as a ``HeldEdit`` for
the conflict view when both changed the same text.
"""

import json
import re
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, override
from modelcluster.models import get_all_child_relations
from wagtail.admin.panels import InlinePanel
from wagtail.blocks import ListBlock, StreamBlock, StructBlock
from wagtail.fields import StreamField
from wagtail.models import Page, Revision

from cms.language import DEFAULT_LANGUAGE
from cms.translations import translatable_fields

from .merge import MISSING, merge
from .models import HeldEdit

# Values that belong to the page as a whole or that a save recomputes: never merged.
PAGE_KEYS = frozenset(
    {
        "pk",
        "id",
        "page_ptr",
        "path",
        "depth",
        "numchild",
        "url_path",
        "draft_title",
        "live",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "live_revision",
        "first_published_at",
        "last_published_at",
        "locked",
        "locked_at",
        "locked_by",
        "owner",
        "content_type",
        "translation_key",
        "locale",
        "alias_of",
        "comments",
        "wagtail_admin_comments",
    }
)


def lock_latest(page_id):
    """The page's latest revision, read after locking the page row until the transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_latest needs a transaction: the lock must last until the save")
    latest_id = (
        Page.objects.select_for_update()
        .filter(pk=page_id)
        .values_list("latest_revision_id", flat=True)
        .first()
    )
    return Revision.objects.filter(pk=latest_id).first() if latest_id else None


def is_stale(latest, loaded_revision_id, loaded_created_at=None):
    """Whether a save based on ``loaded_revision_id`` would overwrite ``latest``.

    ``loaded_created_at`` (as Wagtail's edit form posts it) also catches a revision
    another session overwrote in place (Wagtail's autosave keeps the id).
    """
    if latest is None:
        return False
    if str(latest.pk) != str(loaded_revision_id or ""):
        return True
    return bool(loaded_created_at) and loaded_created_at != latest.created_at.isoformat()


def base_revision(page_id, revision_id):
    """The revision an editor started from, or None when it is unknown."""
    if not str(revision_id or "").isdigit():
        return None
    return Revision.page_revisions.filter(object_id=str(page_id), pk=revision_id).first()


# -- content ----------------------------------------------------------------------------------


def _stream_fields(model):
    return {f.name for f in model._meta.concrete_fields if isinstance(f, StreamField)}


def decode(model, content):
    """Revision JSON with StreamFields as lists (Wagtail stores them as JSON text)."""
    streams = _stream_fields(model)
    return {
        key: json.loads(value) if key in streams and isinstance(value, str) and value else value
        for key, value in content.items()
    }


def encode(model, content):
    streams = _stream_fields(model)
    return {
        key: json.dumps(value) if key in streams and isinstance(value, list) else value
        for key, value in content.items()
    }


_BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


def _markup_free(value):
    if isinstance(value, str):
        return _BLOCK_KEY.sub("", value)
    if isinstance(value, dict):
        return {k: _markup_free(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_markup_free(v) for v in value]
    return value


def same(a, b):
    """Equal for an editor: rich text differing only in the block keys Draftail adds is equal."""
    return a == b or _markup_free(a) == _markup_free(b)


def skipped_keys(model):
    """Keys never merged: the page's own state, and the untranslated columns of translated
    fields (they mirror whichever language was active, and would overwrite it on load)."""
    return PAGE_KEYS | set(translatable_fields(model))


def page_content(page):
    """A page object's content as a revision stores it (dates as text, as read back)."""
    return json.loads(json.dumps(page.serializable_data(), cls=DjangoJSONEncoder))


@dataclass
class Reconciled:
    """A stale save merged with the latest revision; ``held`` when conflicts wait for the editor."""

    model: type
    result: object
    base: object
    latest: object
    held: HeldEdit | None = None

    @property
    def content(self):
        """The merged content as a revision stores it (untranslated columns left out)."""
        skip = skipped_keys(self.model) - PAGE_KEYS
        return encode(self.model, {k: v for k, v in self.result.content.items() if k not in skip})

    def label(self, path):
        """What an editor calls the place ``path`` names (``label``), read from every side."""
        sides = [self.result.content.get(path[0])]
        for revision in (self.latest, self.base):
            if revision is not None:
                sides.append(decode(self.model, revision.content).get(path[0]))
        return label(self.model, path, *sides)

    def labels(self, paths):
        return list(dict.fromkeys(self.label(path) for path in paths))

    def changed_fields(self, mine):
        """Names of model fields whose merged value differs from ``mine`` (decoded)."""
        skip = skipped_keys(self.model)
        return [
            key
            for key, value in self.result.content.items()
            if key not in skip and mine.get(key, MISSING) != value
        ]


def child_relations(model):
    """Names of the model's inline children (related articles…): merged as one unit each,
    as an inline panel writes them back whole."""
    return frozenset(rel.get_accessor_name() for rel in get_all_child_relations(model))


def combine(model, base, latest, mine_content, choices=None):
    """``mine_content`` (a save based on revision ``base``) merged with revision ``latest``."""
    result = merge(
        decode(model, base.content) if base is not None else {},
        decode(model, latest.content),
        decode(model, mine_content),
        choices,
        whole=child_relations(model),
        skip=skipped_keys(model),
        same=same,
    )
    return Reconciled(model, result, base, latest)


def reconcile(real_page, base, latest, mine_content, user, origin, action="", choices=None):
    """Merge ``mine_content`` (a save based on ``base``) with ``latest``; hold it on conflict."""
    reconciled = combine(real_page.specific_class, base, latest, mine_content, choices)
    if reconciled.result.unresolved:
        reconciled.held = HeldEdit.objects.create(
            page_id=real_page.pk,
            user=user if user is not None and user.is_authenticated else None,
            base_revision=base,
            theirs_revision=latest,
            content=mine_content,
            origin=origin,
            action=action or "",
        )
    return reconciled


def as_page(real_page, content):
    """A page object holding ``content`` (revision JSON) in ``real_page``'s tree position."""
    with override(DEFAULT_LANGUAGE):
        return real_page.with_content_json(content)


def save_content(real_page, content, user):
    """Save ``content`` as a new draft revision of ``real_page``; ValidationError saves nothing."""
    page = as_page(real_page, content)
    with override(DEFAULT_LANGUAGE):
        return page.save_revision(user=user, log_action=True)


# -- what the editor reads ----------------------------------------------------------------------


def who_and_when(revision):
    """``(name, time)`` of a revision's author and save, for messages and the conflict view."""
    user = revision.user if revision is not None else None
    name = (user.get_full_name() or user.get_username()) if user is not None else gettext("someone")
    at = revision.created_at if revision is not None else None
    return name, formats.date_format(timezone.localtime(at), "DATETIME_FORMAT") if at else ""


def label(model, path, *sides):
    """What an editor calls the place ``path`` names: field, then block, struct child, item."""
    from editorial.panels import field_label

    if path[0] in child_relations(model):
        return inline_label(model, path[0])
    parts = [field_label(model, path[0])]
    try:
        block = model._meta.get_field(path[0])
    except Exception:  # noqa: BLE001 - a key that is no model field is shown by name
        return " › ".join(parts + list(path[1:]))
    block = block.stream_block if isinstance(block, StreamField) else None
    values = list(sides)
    for step in path[1:]:
        if isinstance(block, StreamBlock | ListBlock):
            found = [_find(v, step) for v in values]
            item = next((f for f in found if f is not None), None)
            if isinstance(block, ListBlock):
                position = next(
                    (
                        [i.get("id") for i in v].index(step) + 1
                        for v in values
                        if isinstance(v, list) and step in [i.get("id") for i in v]
                    ),
                    None,
                )
                parts.append(gettext("item %(number)s") % {"number": position or "?"})
                block = block.child_block
            else:
                child = block.child_blocks.get(item.get("type")) if item else None
                parts.append(str(capfirst(child.label)) if child else step)
                block = child
            values = [f.get("value") if f is not None else None for f in found]
        elif isinstance(block, StructBlock):
            child = block.child_blocks.get(step)
            parts.append(str(capfirst(child.label)) if child else step)
            block = child
            values = [v.get(step) if isinstance(v, dict) else None for v in values]
        else:
            parts.append(step)
    return " › ".join(parts)


def inline_label(model, name):
    """The label of the inline panel that edits the children ``name`` (related articles…)."""
    panels = [model.get_edit_handler()]
    while panels:
        panel = panels.pop()
        if isinstance(panel, InlinePanel) and panel.relation_name == name:
            return str(capfirst(panel.label))
        panels.extend(getattr(panel, "children", ()))
    return name


def _find(value, item_id):
    if isinstance(value, list):
        return next((i for i in value if isinstance(i, dict) and i.get("id") == item_id), None)
    return None


def merged_message(reconciled):
    """The message telling an editor what of a newer revision was merged into their save."""
    labels = reconciled.labels(reconciled.result.taken)
    name, at = who_and_when(reconciled.latest)
    if not labels:
        return gettext(
            "%(name)s saved this page at %(time)s after you opened it; your changes were "
            "combined with theirs."
        ) % {"name": name, "time": at}
    return gettext(
        "%(name)s saved this page at %(time)s after you opened it. Their changes were merged "
        "with yours: %(fields)s."
    ) % {"name": name, "time": at, "fields": "; ".join(labels)}
