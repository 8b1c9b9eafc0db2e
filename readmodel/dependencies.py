"""Which pages show what: the one place that decides which documents a change rebuilds.

Wagtail's ``ReferenceIndex`` knows what a page or a snippet points at (comparison columns,
rich-text links, related articles, quoted doctors, images, a doctor's portrait). The rules
it does not know are here:

- **listings**: a page's ancestors list it (a section its children, the home page its
  therapies and latest articles), under its old parent too after a move;
- **descendants**: a page whose URL or privacy changed changes theirs (found by comparing
  what was built with what was stored, so a slug change, a move and a new view restriction
  all reach the subtree);
- **chains**: an image shown by a doctor shown by a page (followed through the index and
  the apps' rules, each object once);
- **settings and sites**: a site setting changes every page of its site, a Site every page;
- **the text readers get**: a language whose newer text is not released shows an older
  revision's, whose links, comparisons and quotes the index (built from the row) does not
  have; the builder records what each page shows its readers (``ShownReference``), and
  both are followed;
- **aliases**: an alias shows its original's content (Wagtail copies it; ``releases``
  gives it its original's languages), which the index leaves out;
- **deletions**: a deleted object's dependents are found before the delete
  (``pre_delete``), while the index still has its rows.

Apps add what only they know with ``watch`` (``<app>/documents.py``): the model whose
saves and deletes change pages, and which pages (or objects, followed further) show it.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex

from .models import ShownReference

_rules = defaultdict(list)


def watch(model, shown_by=None):
    """Rebuild what shows ``model``'s rows when one is saved or deleted.

    ``shown_by(instance)`` gives page ids or model instances (whose dependents are followed
    in turn) that show ``instance``, on top of what the reference index knows.
    """
    from . import signals

    if shown_by is not None:
        _rules[model].append(shown_by)
    signals.connect_model(model)


def ancestors(tree_path, steplen=Page.steplen):
    """Ids of the pages above ``tree_path`` (below the tree's root): the listings that show it."""
    paths = [tree_path[:i] for i in range(2 * steplen, len(tree_path), steplen)]
    return set(Page.objects.filter(path__in=paths).values_list("pk", flat=True))


def recorded_shown(page_id):
    """``{(content type id, object id)}`` that page ``page_id`` was last built showing."""
    rows = ShownReference.objects.filter(page_id=page_id)
    return set(rows.values_list("to_content_type_id", "to_object_id"))


def remember_shown(page_id, shown):
    """Store what page ``page_id`` shows its readers (``builder.shown_by``), when it changed."""
    if recorded_shown(page_id) == shown:
        return
    ShownReference.objects.filter(page_id=page_id).delete()
    ShownReference.objects.bulk_create(
        ShownReference(page_id=page_id, to_content_type_id=type_id, to_object_id=object_id)
        for type_id, object_id in sorted(shown)
    )


def _referrers(content_type_id, object_id):
    """``(page ids, other objects)`` that point at an object: by their reference index rows,
    and pages by what they show their readers."""
    page_type = ContentType.objects.get_for_model(Page)
    target = {"to_content_type_id": content_type_id, "to_object_id": str(object_id)}
    rows = ReferenceIndex.objects.filter(**target).values_list("base_content_type_id", "object_id")
    shown = ShownReference.objects.filter(**target).values_list("page_id", flat=True)
    pages, others = set(shown), defaultdict(set)
    for base_type_id, source_id in rows:
        if base_type_id == page_type.pk:
            pages.add(int(source_id))
        else:
            others[base_type_id].add(source_id)
    objects = []
    for base_type_id, ids in others.items():
        model = ContentType.objects.get_for_id(base_type_id).model_class()
        if model is not None:
            objects.extend(model._default_manager.filter(pk__in=ids))
    return pages, objects


def pages_showing(instance):
    """Ids of the pages that show ``instance`` (not a page), through chains of objects."""
    pages, seen, todo = set(), set(), [instance]
    while todo:
        obj = todo.pop()
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        key = (content_type.pk, str(obj.pk))
        if key in seen:
            continue
        seen.add(key)
        found, others = _referrers(content_type.pk, obj.pk)
        pages |= found
        todo.extend(others)
        for model, rules in _rules.items():
            if isinstance(obj, model):
                for rule in rules:
                    for shown in rule(obj):
                        if isinstance(shown, int):
                            pages.add(shown)
                        else:
                            todo.append(shown)
    return pages


def pages_showing_page(page_id):
    """Ids of the pages that show page ``page_id``: what links to, compares or relates it,
    and its aliases."""
    page_type = ContentType.objects.get_for_model(Page)
    pages, others = _referrers(page_type.pk, page_id)
    for obj in others:  # a snippet that points at a page, shown by pages
        pages |= pages_showing(obj)
    pages |= set(Page.objects.filter(alias_of_id=page_id).values_list("pk", flat=True))
    pages.discard(page_id)
    return pages
