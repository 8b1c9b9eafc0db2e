"""Recording what is live today as released, so that deploying releases changes nothing readers see.

Run by the data migration ``0002_release_what_is_live`` (and by its test) with the models
of the migration's state: every live page gets a release of its live revision in every
language that revision is written in (its content fields are filled, as
``cms.translations.is_available`` says), the default language always. A live page
without revisions (created in code) gets its languages released as the row holds them.
Every document is then rebuilt after ``migrate`` (the API reports each language's state).
"""

import json

from django.apps import apps as global_apps
from django.db import connection
from django.utils import timezone

from cms.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from cms.translations import DEFAULT_CONTENT_FIELDS


def _filled(value):
    if value is None:
        return False
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):  # a StreamField's JSON in a revision
            try:
                return len(json.loads(text)) > 0
            except ValueError:
                return True
        return bool(text)
    try:
        return len(value) > 0
    except TypeError:
        return True


def _content_fields(content_type):
    """The page type's content fields (a class attribute of today's model: no database)."""
    try:
        model = global_apps.get_model(content_type.app_label, content_type.model)
    except LookupError:
        return DEFAULT_CONTENT_FIELDS
    return getattr(model, "translation_content_fields", DEFAULT_CONTENT_FIELDS)


def _row_titles(page_ids):
    """``{page id: {lang: title}}`` read from the translated title columns, where they exist
    (wagtail-modeltranslation adds them outside migrations)."""
    table = "wagtailcore_page"
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
        langs = [lang for lang in SUPPORTED_LANGUAGES if f"title_{lang}" in columns]
        if not langs or not page_ids:
            return {}
        names = ", ".join(connection.ops.quote_name(f"title_{lang}") for lang in langs)
        marks = ", ".join(["%s"] * len(page_ids))
        cursor.execute(f"SELECT id, {names} FROM {table} WHERE id IN ({marks})", list(page_ids))
        return {row[0]: dict(zip(langs, row[1:], strict=True)) for row in cursor.fetchall()}


def release_what_is_live(apps, schema_editor=None):
    """Release the live content of every live page in the languages it is written in."""
    Page = apps.get_model("wagtailcore", "Page")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LanguageRelease = apps.get_model("releases", "LanguageRelease")
    now = timezone.now()
    done = set(LanguageRelease.objects.values_list("page_id", flat=True))
    pages = list(
        Page.objects.filter(live=True, depth__gt=1)
        .exclude(pk__in=done)
        .values_list("pk", "live_revision_id", "content_type_id", "last_published_at")
    )
    revisions = Revision.objects.in_bulk({rev for _pk, rev, _ct, _at in pages if rev})
    types = ContentType.objects.in_bulk({ct for _pk, _rev, ct, _at in pages})
    titles = _row_titles([pk for pk, rev, _ct, _at in pages if rev not in revisions])
    releases = []
    for pk, revision_id, content_type_id, published_at in pages:
        revision = revisions.get(revision_id)
        if revision is not None:
            fields = _content_fields(types[content_type_id])
            langs = [
                lang
                for lang in SUPPORTED_LANGUAGES
                if lang == DEFAULT_LANGUAGE
                or all(_filled(revision.content.get(f"{name}_{lang}")) for name in fields)
            ]
        else:
            row = titles.get(pk, {})
            langs = [
                lang
                for lang in SUPPORTED_LANGUAGES
                if lang == DEFAULT_LANGUAGE or _filled(row.get(lang))
            ]
        releases += [
            LanguageRelease(
                page_id=pk,
                lang=lang,
                revision_id=revision.pk if revision is not None else None,
                released_at=published_at or now,
            )
            for lang in langs
        ]
    LanguageRelease.objects.bulk_create(releases)
    if releases:
        DocumentChange = apps.get_model("readmodel", "DocumentChange")
        DocumentChange.objects.create(reason="language states added")
    return len(releases)
