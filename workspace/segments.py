"""Segments: every translatable text of a page, addressed by a stable id.

A segment is one text a translator translates: a plain field (``title``, ``summary``),
one paragraph of a rich text (``what_it_is/<key>``), or one text inside a StreamField
block, addressed by block ids rather than positions so it survives reordering and
edits: ``body/<block-id>/quote``, ``body/<block-id>/rows/<item-id>/values/<item-id>``.
Only CharBlock, TextBlock and rich text hold segments; chosen pages, doctors, images,
choices and switches are context and always come from the English structure.

Everything here is pure: it reads StreamField raw data (no chooser queries) and
returns new raw data; the view decides where targets come from and saves.
"""

import difflib
import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField

from cms.language import DEFAULT_LANGUAGE
from cms.stream_data import is_list_item
from cms.translations import field_value, translatable_fields

from . import inline

# Fields that are derived, not written (Wagtail builds url_path from the slugs).
NOT_SEGMENTED = {"url_path"}


@dataclass(frozen=True, eq=False)
class Segment:
    """One translatable text of the source language.

    ``alias`` is the same address with list items and rich-text paragraphs numbered
    by position: content saved without item ids or Draftail keys gets them on its
    first round trip through the edit form, and a translation recorded before that
    is still found. ``required`` says whether the block is invalid without it.
    """

    id: str
    field: str
    text: str
    label: str
    rich: bool = False
    multiline: bool = False
    required: bool = True
    alias: str = ""
    codes: dict = field(default_factory=dict)
    validator: Any = field(default=None, repr=False)

    @property
    def digest(self):
        return source_digest(self.text)

    def clean(self, target):
        """The target as it will be stored (NFC, trimmed), or a ``ValidationError``."""
        target = unicodedata.normalize("NFC", (target or "").strip())
        if self.rich:
            try:
                inline.check_codes(self.text, target)
            except inline.InlineCodeError as error:
                raise ValidationError(str(error)) from error
        elif self.validator is not None and target:
            self.validator(target)
        return target


def source_digest(text):
    """What a translation was made from: changes when the source text changes."""
    text = unicodedata.normalize("NFC", text or "")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _raw(value):
    """StreamField raw data (list of dicts) from a StreamValue, a list or None."""
    if value is None:
        return []
    if hasattr(value, "get_prep_value"):
        return value.get_prep_value()
    return list(value)


def _label(block, fallback=""):
    return str(capfirst(block.label or fallback or block.name or ""))


def _block_validator(block):
    def validate(value):
        block.clean(value)

    return validate


def _field_validator(model_field):
    def validate(value):
        model_field.clean(value, None)

    return validate


# -- walking a StreamField -------------------------------------------------------------------


class _Walk:
    """Walks a block value, handing each text to ``on_text`` and rebuilding the value.

    ``on_text(segment)`` returns the text to put in its place, or None when it has
    none (then the value gets ``""`` and, for a required text, ``incomplete`` is set).
    Extraction and building are the same walk, so they can never disagree on ids.
    """

    def __init__(self, field_name, on_text, remove=frozenset()):
        self.field_name = field_name
        self.on_text = on_text
        self.incomplete = False
        # Building over a target block: list items the target has and the source lacks are
        # kept after the item they followed, unless their address is in ``remove``.
        self.remove = remove
        self.extras = []
        self.merged = False

    def value(self, block, value, path, alias, label, target=None):
        """``target``: the target's value at the same place (a paired block), or None."""
        if value is None:
            return value
        if isinstance(block, blocks.StreamBlock):
            return self.stream(block, value, path, alias, label)
        if isinstance(block, blocks.StructBlock):
            if not isinstance(value, dict):
                return value
            result = dict(value)
            for name, child in block.child_blocks.items():
                if name in value:
                    result[name] = self.value(
                        child,
                        value[name],
                        (*path, name),
                        (*alias, name),
                        (*label, _label(child, name)),
                        target.get(name) if isinstance(target, dict) else None,
                    )
            return result
        if isinstance(block, blocks.ListBlock):
            return self.list(block, value, path, alias, label, target)
        if isinstance(block, blocks.RichTextBlock):
            return self.rich(
                getattr(value, "source", value),
                path,
                alias,
                label,
                block.required,
                getattr(target, "source", target),
            )
        if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
            return self.text(block, value, path, alias, label)
        return value

    def stream(self, block, raw, path, alias, label):
        result = []
        for item in raw or []:
            child = block.child_blocks.get(item.get("type"))
            if child is None:
                result.append(item)
                continue
            block_id = item.get("id") or ""
            result.append(
                {
                    **item,
                    "value": self.value(
                        child,
                        item.get("value"),
                        (*path, block_id),
                        (*alias, block_id),
                        (*label, _label(child, item.get("type"))),
                    ),
                }
            )
        return result

    def list(self, block, items, path, alias, label, target=None):
        items = list(items or [])
        twins, extras = _pair_items(block, items, target if isinstance(target, list) else [])
        result = list(self._extras(block, extras.get(None, []), path, label))
        for position, item in enumerate(items):
            item_id, item_value = _item(block, item, position)
            numbered = (*label[:-1], f"{label[-1]} {position + 1}") if label else label
            value = self.value(
                block.child_block,
                item_value,
                (*path, item_id),
                (*alias, str(position)),
                numbered,
                twins.get(position),
            )
            in_block_format = is_list_item(item)
            result.append({**item, "value": value} if in_block_format else value)
            result += self._extras(block, extras.get(position, []), path, label)
        return result

    def _extras(self, block, extras, path, label):
        """The target's own items (in ``extras``) that stay, recorded in ``self.extras``."""
        kept = []
        for position, item in extras:
            item_id, item_value = _item(block, item, position)
            address = "/".join((*path, item_id))
            texts = _texts(self.field_name, block.child_block, item_value, (*path, item_id))
            if not texts:
                continue  # no text (a chosen therapy): it follows English like every choice
            numbered = f"{' › '.join(label)} {position + 1}" if label else str(position + 1)
            identified = is_list_item(item) and bool(item.get("id"))
            self.extras.append(TargetItem(address, numbered, texts, identified))
            if address not in self.remove:
                kept.append(item)
                self.merged = True
        return kept

    def text(self, block, value, path, alias, label):
        if not isinstance(value, str) or not value.strip():
            return value
        segment = Segment(
            id="/".join(path),
            field=self.field_name,
            text=value,
            label=" › ".join(label),
            multiline=isinstance(block, blocks.TextBlock),
            required=block.required,
            alias="/".join(alias),
            validator=_block_validator(block),
        )
        return self._take(segment)

    def rich(self, html, path, alias, label, required, target=None):
        """``target``: the target's rich text at the same place; its paragraphs the source
        lacks (``inline.target_only``) are recorded in ``self.extras`` and stay where they
        were, unless their address is in ``self.remove``."""
        layout = inline.split(html or "")
        if not layout.units:
            return html
        kept = []
        for unit in inline.target_only(html, target) if isinstance(target, str) else ():
            address = "/".join((*path, unit.key))
            self.extras.append(TargetItem(address, " › ".join(label), (unit.text,), True))
            if address not in self.remove:
                kept.append(unit)
        texts = []
        for unit in layout.units:
            many = len(layout.units) > 1
            segment = Segment(
                id="/".join((*path, unit.key)),
                field=self.field_name,
                text=unit.text,
                label=" › ".join((*label, str(int(unit.position) + 1)))
                if many
                else " › ".join(label),
                rich=True,
                multiline=True,
                required=required,
                alias="/".join((*alias, unit.position)),
                codes=unit.codes,
            )
            target = self.on_text(segment)
            texts.append(target)
        if any(text is None for text in texts):
            if required:
                self.incomplete = True
            return ""
        if kept:
            self.merged = True
        return inline.with_target_only(layout.render(texts), kept)

    def _take(self, segment):
        target = self.on_text(segment)
        if target is None:
            if segment.required:
                self.incomplete = True
            return ""
        return target


@dataclass(frozen=True)
class TargetItem:
    """A list item of a paired block that the target has and the source does not.

    ``identified``: it has an item id, so revision history can tell whether English once
    had it; an item stored without one is numbered by position and could be either.
    """

    address: str
    label: str
    texts: tuple
    identified: bool = True


def _texts(field_name, block, value, path):
    found = []
    _Walk(field_name, lambda segment: found.append(segment.text) or segment.text).value(
        block, value, path, path, ()
    )
    return tuple(found)


def _item(block, item, position):
    """``(id, value)`` of a list item in either of ListBlock's raw formats."""
    if is_list_item(item):
        return item.get("id") or str(position), item["value"]
    return str(position), item


def _pair_items(block, source, target):
    """Pair a list's target items with the source's: ``({source position: target value},
    {source position or None: [(target position, target item)] that follow it})``.

    By item id; when the two lists share no id (written separately, or saved before items
    had ids) by position, the target's items beyond the source's being its own.
    """
    source_ids = [_item(block, item, n)[0] for n, item in enumerate(source)]
    target_ids = [_item(block, item, n)[0] for n, item in enumerate(target)]
    if set(source_ids) & set(target_ids):
        where = {item_id: n for n, item_id in enumerate(source_ids)}
        twin_of = [where.get(item_id) for item_id in target_ids]
    else:
        twin_of = [n if n < len(source) else None for n in range(len(target))]
    twins, extras, anchor = {}, {}, None
    for n, (item, twin) in enumerate(zip(target, twin_of, strict=True)):
        if twin is None:
            extras.setdefault(anchor, []).append((n, item))
        else:
            twins[twin] = _item(block, item, n)[1]
            anchor = twin
    return twins, extras


def stream_segments(field_name, stream_block, raw, label=""):
    """The segments of one StreamField's raw data."""
    found = []
    walk = _Walk(field_name, lambda segment: found.append(segment) or segment.text)
    walk.stream(stream_block, raw, (field_name,), (field_name,), (label,) if label else ())
    return found


def rich_text_segments(field_name, html, label, required=False):
    found = []
    walk = _Walk(field_name, lambda segment: found.append(segment) or segment.text)
    walk.rich(html, (field_name,), (field_name,), (label,), required)
    return found


# -- a page ----------------------------------------------------------------------------------


def segment_fields(model):
    """``(name, model field)`` of the translatable fields of ``model`` that hold segments."""
    for name in translatable_fields(model):
        if name not in NOT_SEGMENTED:
            yield name, model._meta.get_field(name)


def page_segments(page, lang=DEFAULT_LANGUAGE):
    """Every segment of ``page`` in ``lang``, in the order the page shows them."""
    model = type(page)
    found = []
    for name, model_field in segment_fields(model):
        value = field_value(page, name, lang)
        label = str(capfirst(model_field.verbose_name))
        if isinstance(model_field, StreamField):
            found += stream_segments(name, model_field.stream_block, _raw(value), label)
        elif isinstance(model_field, RichTextField):
            found += rich_text_segments(name, value, label)
        elif isinstance(value, str) and value.strip():
            localized = model._meta.get_field(f"{name}_{DEFAULT_LANGUAGE}")
            found.append(
                Segment(
                    id=name,
                    field=name,
                    text=value,
                    label=label,
                    multiline=_is_multiline(model_field),
                    required=False,
                    alias=name,
                    validator=_field_validator(localized),
                )
            )
    return found


def _is_multiline(model_field):
    from django.db import models

    return isinstance(model_field, models.TextField)


def existing_targets(page, lang, source_segments):
    """``{source segment id: text}`` already in ``page``'s ``lang`` fields.

    Found by id, else by alias (position); a rich text's codes are renumbered to the
    source's, matched by tag and attributes.
    """
    by_id, by_alias = {}, {}
    for segment in page_segments(page, lang):
        by_id.setdefault(segment.id, segment)
        by_alias.setdefault(segment.alias, segment)
    result = {}
    for source in source_segments:
        found = by_id.get(source.id) or by_alias.get(source.alias)
        if found is None:
            continue
        text = found.text
        if source.rich and found.rich:
            text = inline.renumber(found.text, found.codes, source.codes)
        result[source.id] = text
    return result


# -- pairing bodies ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    """How a target body lines up with its source by block id.

    ``missing``: source blocks the target lacks (to translate); ``removed``: target
    blocks whose source twin was removed (dropped only when the editor confirms);
    ``target_only``: blocks that never had a source twin (kept, never dropped).
    """

    paired: tuple
    missing: tuple
    target_only: tuple
    removed: tuple = ()

    @property
    def shares_nothing(self):
        return not self.paired and bool(self.missing) and bool(self.target_only or self.removed)


def _ids(raw):
    return [item.get("id") for item in raw if item.get("id")]


def pair(source_raw, target_raw, once_in_source=frozenset()):
    """Pair two bodies' top-level blocks by id.

    ``once_in_source`` holds ids the source had in an earlier version: a target block
    with one of them lost its twin, rather than being written for the target alone.
    """
    source_ids, target_ids = _ids(_raw(source_raw)), _ids(_raw(target_raw))
    source_set, target_set = set(source_ids), set(target_ids)
    only = [i for i in target_ids if i not in source_set]
    return Pairing(
        paired=tuple(i for i in source_ids if i in target_set),
        missing=tuple(i for i in source_ids if i not in target_set),
        target_only=tuple(i for i in only if i not in once_in_source),
        removed=tuple(i for i in only if i in once_in_source),
    )


@dataclass(frozen=True)
class PositionalPairing:
    """A one-time pairing of bodies written separately: by position and block type.

    ``pairs`` are ``(source id, target id)``; the unpaired lists hold ``(id, type)``
    of the blocks that found no partner, for the report.
    """

    pairs: tuple
    unpaired_source: tuple
    unpaired_target: tuple


def pair_by_position(source_raw, target_raw):
    """Line up blocks of the same type in order, skipping what one side has and not the other.

    The longest common run of block types wins (``difflib``), so one extra heading on
    either side shifts nothing after it.
    """
    source, target = _raw(source_raw), _raw(target_raw)
    matcher = difflib.SequenceMatcher(
        None, [b.get("type") for b in source], [b.get("type") for b in target], autojunk=False
    )
    pairs, used_source, used_target = [], set(), set()
    for start_s, start_t, size in matcher.get_matching_blocks():
        for offset in range(size):
            pairs.append((source[start_s + offset].get("id"), target[start_t + offset].get("id")))
            used_source.add(start_s + offset)
            used_target.add(start_t + offset)
    return PositionalPairing(
        pairs=tuple(pairs),
        unpaired_source=tuple(
            (b.get("id"), b.get("type")) for i, b in enumerate(source) if i not in used_source
        ),
        unpaired_target=tuple(
            (b.get("id"), b.get("type")) for i, b in enumerate(target) if i not in used_target
        ),
    )


def adopt_ids(target_raw, pairing):
    """The target body with each positionally paired block renamed to its source block's id."""
    rename = {target_id: source_id for source_id, target_id in pairing.pairs}
    return [{**item, "id": rename.get(item.get("id"), item.get("id"))} for item in _raw(target_raw)]


# -- building the target -----------------------------------------------------------------------


@dataclass(frozen=True)
class StreamBuild:
    """A built target body and what happened to each source block.

    ``entered``: built from the translations; ``kept``: left as the target had it
    (its translation is unfinished but the target's block still validates);
    ``waiting``: not in the target until its required texts are translated.
    """

    raw: list
    entered: tuple
    kept: tuple
    waiting: tuple


def build_stream(field_name, stream_block, source_raw, target_raw, translate, remove=frozenset()):
    """The target body: the source's structure with translated texts, valid at every step.

    A source block enters once every required text in it has a translation
    (``translate(segment)`` returns the text or None); it keeps the source's id, type
    and non-text values (chosen therapies, doctors, images, levels). A block whose
    translation is unfinished keeps the target's current version if it has one.
    Target-only blocks stay where they were, after the block they followed, unless
    their id is in ``remove`` (the editor confirmed removing them).
    """
    source, target = _raw(source_raw), _raw(target_raw)
    source_ids = {item.get("id") for item in source}
    current = {item.get("id"): item for item in target if item.get("id")}

    # Target-only blocks, grouped under the shared block they follow (None: the start).
    following, anchor = {}, None
    for item in target:
        if item.get("id") in source_ids:
            anchor = item.get("id")
        elif item.get("id") not in remove:
            following.setdefault(anchor, []).append(item)

    built, entered, kept, waiting = list(following.get(None, [])), [], [], []
    for item in source:
        child = stream_block.child_blocks.get(item.get("type"))
        block_id = item.get("id")
        if child is None:
            continue
        walk = _walk_block(field_name, child, item, current.get(block_id), translate, remove)
        value = walk.built
        if not walk.incomplete and walk.merged and not _validates(child, value):
            walk.incomplete = True  # the target's own items do not fit the new structure
        if not walk.incomplete:
            built.append({**item, "value": value})
            entered.append(block_id)
        elif block_id in current:
            built.append(current[block_id])
            kept.append(block_id)
        else:
            waiting.append(block_id)
        built += following.get(block_id, [])
    return StreamBuild(built, tuple(entered), tuple(kept), tuple(waiting))


def _walk_block(field_name, child, item, twin, translate, remove=frozenset()):
    """Walk a source block over its target twin (or None); ``walk.built`` is the value."""
    block_id = item.get("id")
    walk = _Walk(field_name, translate, {f"{field_name}/{a}" for a in remove})
    twin_value = twin.get("value") if twin and twin.get("type") == item.get("type") else None
    walk.built = walk.value(
        child,
        item.get("value"),
        (field_name, block_id),
        (field_name, block_id),
        (_label(child, item.get("type")),),
        twin_value,
    )
    return walk


def _validates(child, raw_value):
    try:
        child.clean(child.to_python(raw_value))
    except ValidationError:
        return False
    return True


def extra_items(field_name, stream_block, source_raw, target_raw):
    """``TargetItem``s: list items of paired blocks that the target has and the source lacks."""
    current = {item.get("id"): item for item in _raw(target_raw) if item.get("id")}
    found = []
    for item in _raw(source_raw):
        child = stream_block.child_blocks.get(item.get("type"))
        twin = current.get(item.get("id"))
        if child is not None and twin is not None:
            found += _walk_block(field_name, child, item, twin, lambda s: s.text).extras
    return found


def build_rich_text(field_name, html, translate, target=None, remove=frozenset()):
    """A rich text field's target HTML, or None until every paragraph is translated.

    The paragraphs of ``target`` (the field's current target text) that the source lacks
    stay where they were, unless their ``field/key`` address is in ``remove``.
    """
    walk = _Walk(field_name, translate, remove)
    result = walk.rich(html, (field_name,), (field_name,), (), True, target)
    return None if walk.incomplete else result


def rich_text_extras(field_name, html, target):
    """``TargetItem``s: the paragraphs of a rich text field's ``target`` the source lacks."""
    walk = _Walk(field_name, lambda segment: segment.text)
    walk.rich(html, (field_name,), (field_name,), (), True, target)
    return walk.extras


def target_values(page, lang, translate, target_raw=None, remove=frozenset()):
    """``{localized field name: value}`` for ``lang`` built from the translations.

    Only values that change are returned: an untranslated plain field, a partly
    translated rich text field keep their current value. ``target_raw`` overrides
    a StreamField's current target raw data (``{field: raw}``), for bodies paired by
    position. ``remove`` holds ``field/block id`` addresses of target-only blocks to drop.
    """
    model = type(page)
    target_raw = target_raw or {}
    values = {}
    for name, model_field in segment_fields(model):
        source = field_value(page, name, DEFAULT_LANGUAGE)
        localized = f"{name}_{lang}"
        if isinstance(model_field, StreamField):
            current = target_raw.get(name, _raw(field_value(page, name, lang)))
            dropped = {a.split("/", 1)[1] for a in remove if a.split("/", 1)[0] == name}
            build = build_stream(
                name, model_field.stream_block, _raw(source), current, translate, dropped
            )
            values[localized] = build.raw
        elif isinstance(model_field, RichTextField):
            dropped = {a for a in remove if a.split("/", 1)[0] == name}
            current = field_value(page, name, lang)
            html = build_rich_text(name, source or "", translate, current, dropped)
            if html is not None and source:
                values[localized] = html
        elif isinstance(source, str) and source.strip():
            text = translate(Segment(id=name, field=name, text=source, label="", alias=name))
            if text is not None:
                values[localized] = text
    return values
