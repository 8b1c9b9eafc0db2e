"""Deleting from the admin: what the database would refuse, told to the editor first.

Wagtail's delete views learn that an object is protected from its ``ReferenceIndex``,
which only records references held by pages, snippets and other indexed models. A
``PROTECT`` or ``RESTRICT`` foreign key on any other model (a medical review's doctor)
was invisible to them: the confirmation page offered "Yes, delete" and the delete
raised ``ProtectedError``, a 500. This module asks Django's own deletion collector
instead, without deleting anything, and words the answer.

A model whose rows can block a deletion may describe them in the editor's words:

- ``describe_deletion_blockers(rows)`` (classmethod): one line (text or safe HTML) per row;
- ``deletion_blocker_advice``: what the editor can do about them.
"""

from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

# Rows listed in one message; the rest are counted.
MAX_LISTED = 20


def blocking_references(objects):
    """The rows whose ``PROTECT``/``RESTRICT`` foreign keys refuse deleting ``objects``.

    A dry run of the collector Django's ``delete()`` uses, cascades included; nothing
    is deleted.
    """
    objects = list(objects)
    if not objects:
        return []
    collector = Collector(using=router.db_for_write(type(objects[0])), origin=objects[0])
    try:
        collector.collect(objects)
    except ProtectedError as error:
        return list(error.protected_objects)
    except RestrictedError as error:
        return list(error.restricted_objects)
    return []


def blocked(objects):
    """``[(object, rows that refuse its deletion)]`` for each of ``objects`` that cannot go."""
    objects = list(objects)
    if not blocking_references(objects):
        return []  # one dry run for the usual case
    return [(obj, rows) for obj in objects if (rows := blocking_references([obj]))]


def _describe(rows):
    by_model = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    lines, advice = [], []
    for model, model_rows in by_model.items():
        describe = getattr(model, "describe_deletion_blockers", None)
        if describe is not None:
            lines.extend(describe(model_rows))
        else:
            name = capfirst(model._meta.verbose_name)
            lines.extend(format_html("{}: {}", name, row) for row in model_rows)
        advice.append(
            str(
                getattr(model, "deletion_blocker_advice", None)
                or gettext("Change or delete them first, then delete this item.")
            )
        )
    return lines, advice


def refusal_message(obj, rows):
    """Why ``obj`` (None: unknown) cannot be deleted, which rows hold it and what to do."""
    lines, advice = _describe(rows)
    shown = lines[:MAX_LISTED]
    more = len(lines) - len(shown)
    if obj is None:  # the database refused a deletion the checks did not foresee
        headline = ngettext(
            "Nothing was deleted: %(count)d record still refers to it.",
            "Nothing was deleted: %(count)d records still refer to it.",
            len(lines),
        ) % {"count": len(lines)}
    else:
        headline = ngettext(
            "“%(object)s” cannot be deleted: %(count)d record still refers to it.",
            "“%(object)s” cannot be deleted: %(count)d records still refer to it.",
            len(lines),
        ) % {"object": obj, "count": len(lines)}
    rest = (
        ngettext("and %(count)d more.", "and %(count)d more.", more) % {"count": more}
        if more
        else ""
    )
    return format_html(
        "{}<ul>{}</ul>{} {}",
        headline,
        format_html_join("", "<li>{}</li>", ((line,) for line in shown)),
        rest,
        " ".join(dict.fromkeys(advice)),
    )
