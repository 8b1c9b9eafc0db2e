"""The steps of the releases tests: edit, review, publish a page and read it as readers do."""

from django.utils import translation
from wagtail.models import Page

from editorial.review import record_review


def latest(page):
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()


def edit(page, **fields):
    """A new revision of ``page`` with ``fields`` changed (a draft, as "Save draft" makes)."""
    draft = latest(page)
    for name, value in fields.items():
        setattr(draft, name, value)
    with translation.override("en"):
        return draft.save_revision()


def review(page, doctor, *langs):
    """A doctor reviews ``langs`` of the page's latest revision (the Medical review task)."""
    revision = Page.objects.get(pk=page.pk).latest_revision
    return record_review(revision.as_object(), doctor, revision=revision, languages=list(langs))


def publish(revision):
    with translation.override("en"):
        revision.publish()


def detail(client, page, lang):
    response = client.get(f"/api/v1/pages/{page.pk}/?lang={lang}")
    assert response.status_code == 200, response.content
    return response.json()
