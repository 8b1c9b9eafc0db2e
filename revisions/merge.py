"""Three-way merge of page content: what an editor loaded, the latest revision, their save.

Content is decoded revision JSON: a dict of field values, where a StreamField is a list
of blocks ``{"type", "value", "id"}`` and a ListBlock's value a list of items
``{"type": "item", "value", "id"}``. Lists whose items all carry an id are merged item by
item, so two editors changing different blocks, or different items of one block, both
keep their change; a struct value is merged child by child; any other value is one unit.
A unit changed differently on both sides is a ``Conflict``: the editor's version is kept
provisionally until ``choices`` (conflict key → ``"mine"`` or ``"theirs"``) settles it.
"""

import uuid
from dataclasses import dataclass, field

MINE, THEIRS = "mine", "theirs"


class _Missing:
    """A block or item one side does not have (added or deleted)."""

    def __repr__(self):
        return "MISSING"


MISSING = _Missing()


@dataclass(frozen=True)
class Conflict:
    """One unit both sides changed differently; ``path`` starts with the field name."""

    path: tuple
    base: object
    theirs: object
    mine: object

    @property
    def key(self):
        return "/".join(self.path)


@dataclass
class MergeResult:
    content: dict
    conflicts: list = field(default_factory=list)
    taken: list = field(default_factory=list)  # paths where the latest revision's change was kept
    chosen: dict = field(default_factory=dict)  # conflict key → the side a choice settled it for

    @property
    def unresolved(self):
        return [c for c in self.conflicts if c.key not in self.chosen]


def merge(base, theirs, mine, choices=None, whole=frozenset(), skip=frozenset(), same=None):
    """Merge ``theirs`` and ``mine`` (dicts of field values) made from ``base``.

    ``whole``: keys merged as one unit, never piece by piece (values the caller can only
    write back whole): the side that changed it wins, and both changing it differently is
    a conflict. ``skip``: keys kept
    from ``mine`` untouched (derived values the save recomputes). ``same(a, b)`` says
    whether two values are equal (default ``==``), e.g. ignoring editor markup.
    """
    merger = _Merger(choices or {}, same or _equal)
    content = dict(mine)
    for key in sorted(set(base) | set(theirs) | set(mine)):
        if key in skip:
            continue
        value = merger.merge(
            (key,),
            base.get(key, MISSING),
            theirs.get(key, MISSING),
            mine.get(key, MISSING),
            whole=key in whole,
        )
        if value is MISSING:
            content.pop(key, None)
        else:
            content[key] = value
    return MergeResult(content, merger.conflicts, merger.taken, merger.chosen)


def _is_id_list(value):
    return isinstance(value, list) and all(
        isinstance(item, dict) and item.get("id") for item in value
    )


def _is_legacy_list(*values):
    """Lists of which some hold ListBlock items without ids (the old storage format)."""
    return all(isinstance(v, list) for v in values) and any(
        v and not _is_id_list(v) for v in values
    )


def _positional(value):
    return [
        {
            "type": "item",
            "value": item["value"] if _is_block(item) else item,
            "id": f"#{position}",
        }
        for position, item in enumerate(value)
    ]


def _is_block(value):
    return isinstance(value, dict) and "value" in value and "type" in value


def _equal(a, b):
    return a == b


class _Merger:
    def __init__(self, choices, same):
        self.choices = choices
        self.same = same
        self.conflicts = []
        self.taken = []
        self.chosen = {}

    def merge(self, path, base, theirs, mine, whole=False):
        same = self.same
        if same(theirs, mine):
            return mine
        if same(mine, base):
            self.taken.extend([path] if whole else self.changes(path, base, theirs))
            return theirs
        if same(theirs, base):
            return mine
        if whole:
            return self.conflict(path, base, theirs, mine)
        if MISSING not in (base, theirs, mine):
            if _is_id_list(base) and _is_id_list(theirs) and _is_id_list(mine):
                return self.merge_list(path, base, theirs, mine)
            if _is_legacy_list(base, theirs, mine):
                return self.merge_legacy_list(path, base, theirs, mine)
            if _is_block(base) and _is_block(theirs) and _is_block(mine):
                if base["type"] == theirs["type"] == mine["type"]:
                    value = self.merge(path, base["value"], theirs["value"], mine["value"])
                    return {**mine, "value": value}
            elif all(isinstance(v, dict) for v in (base, theirs, mine)):
                return {
                    key: value
                    for key in _ordered_keys(mine, theirs, base)
                    if (
                        value := self.merge(
                            path + (key,),
                            base.get(key, MISSING),
                            theirs.get(key, MISSING),
                            mine.get(key, MISSING),
                        )
                    )
                    is not MISSING
                }
        return self.conflict(path, base, theirs, mine)

    def changes(self, path, base, theirs):
        """The paths where ``theirs`` differs from ``base``, as finely as blocks and items go."""
        if self.same(base, theirs):
            return []
        if MISSING not in (base, theirs):
            if _is_id_list(base) and _is_id_list(theirs):
                sides = [{item["id"]: item for item in side} for side in (base, theirs)]
                found = []
                for item_id in _ordered_keys(sides[1], sides[0]):
                    found += self.changes(
                        path + (item_id,), *[side.get(item_id, MISSING) for side in sides]
                    )
                return found or [path]
            if _is_block(base) and _is_block(theirs) and base["type"] == theirs["type"]:
                return self.changes(path, base["value"], theirs["value"])
            if isinstance(base, dict) and isinstance(theirs, dict):
                found = []
                for key in _ordered_keys(theirs, base):
                    found += self.changes(
                        path + (key,), base.get(key, MISSING), theirs.get(key, MISSING)
                    )
                return found or [path]
        return [path]

    def merge_list(self, path, base, theirs, mine):
        by_id = [{item["id"]: item for item in side} for side in (base, theirs, mine)]
        order = self.merge_order(
            path, *[[item["id"] for item in side] for side in (base, theirs, mine)]
        )
        if order is None:
            return self.conflict(path, base, theirs, mine)
        merged = []
        for item_id in order:
            value = self.merge(path + (item_id,), *[side.get(item_id, MISSING) for side in by_id])
            if value is not MISSING:
                merged.append(value)
        return merged

    def merge_legacy_list(self, path, base, theirs, mine):
        """A ListBlock stored before items had ids: every load gives its items new random
        ids, so the sides' items are matched by position and keep the ids the save sent."""
        sides = [_positional(side) for side in (base, theirs, mine)]
        sent = {}
        for side in (theirs, mine):
            for position, item in enumerate(side):
                if isinstance(item, dict) and item.get("id"):
                    sent[f"#{position}"] = item["id"]
        merged = self.merge_list(path, *sides)
        if not sent:
            return [item["value"] for item in merged]
        return [{**item, "id": sent.get(item["id"]) or str(uuid.uuid4())} for item in merged]

    def merge_order(self, path, base, theirs, mine):
        """The merged order of ids, or None when both sides reordered differently."""
        common = set(theirs) & set(mine)
        base_rel = [i for i in base if i in common]
        theirs_rel = [i for i in theirs if i in common]
        mine_rel = [i for i in mine if i in common]
        if mine_rel == base_rel or mine_rel == theirs_rel:
            skeleton, other = theirs, mine
        elif theirs_rel == base_rel:
            skeleton, other = mine, theirs
        else:
            choice = self.choices.get("/".join(path))
            if choice not in (MINE, THEIRS):
                return None
            skeleton, other = (mine, theirs) if choice == MINE else (theirs, mine)
        order = list(skeleton)
        for position, item_id in enumerate(other):
            if item_id in order:
                continue
            before = next((i for i in reversed(other[:position]) if i in order), None)
            order.insert(order.index(before) + 1 if before is not None else 0, item_id)
        return order

    def conflict(self, path, base, theirs, mine):
        conflict = Conflict(path, base, theirs, mine)
        self.conflicts.append(conflict)
        choice = self.choices.get(conflict.key)
        if choice == THEIRS:
            self.chosen[conflict.key] = THEIRS
            return theirs
        if choice == MINE:
            self.chosen[conflict.key] = MINE
        return mine


def _ordered_keys(*dicts):
    keys = []
    for d in dicts:
        keys += [k for k in d if k not in keys]
    return keys
