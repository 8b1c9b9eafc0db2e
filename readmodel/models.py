"""The read model: one stored document per page, language and site, and the outbox that feeds it.

A ``PageDocument`` holds what the API answers for a page (the exact JSON body of the detail
and its ETag) with the columns every read filters or sorts on. Documents are written by one
writer (``readmodel.outbox.drain``) from ``DocumentChange`` rows that changes record in their
own transaction; reads never build anything.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class PageDocument(models.Model):
    """A page as readers of one language on one site get it, built when its content changed.

    ``body`` is stored only while the page is live and public (``state`` live, not
    ``view_restricted``); the publication window is applied when a document is read
    (``readmodel.reads.visible_documents``), so a go-live or expiry needs no rebuild. A page
    that is deleted keeps its rows as ``state`` deleted (no body) so that a later sync can
    tell clients it left.
    """

    class State(models.TextChoices):
        LIVE = "live", _("live")
        DRAFT = "draft", _("draft")
        DELETED = "deleted", _("deleted")

    # Not foreign keys: a document outlives its page (a deleted page is remembered).
    site_id = models.PositiveIntegerField(_("site"))
    page_id = models.PositiveIntegerField(_("page"))
    lang = models.CharField(_("language"), max_length=8)
    state = models.CharField(_("state"), max_length=8, choices=State.choices)
    view_restricted = models.BooleanField(_("private"), default=False)
    go_live_at = models.DateTimeField(_("go-live date/time"), null=True, blank=True)
    expire_at = models.DateTimeField(_("expiry date/time"), null=True, blank=True)

    page_type = models.CharField(_("type"), max_length=32)  # the API's type name
    content_type_id = models.PositiveIntegerField(_("content type"), null=True)
    parent_id = models.PositiveIntegerField(_("parent"), null=True)
    tree_path = models.CharField(_("tree path"), max_length=255)  # Page.path: order, descendants
    depth = models.PositiveIntegerField(_("depth"))
    # The public path in this language, below the site root, without the language prefix
    # ("/therapies/prp/"; the home page is "/"); empty when no URL of the site reaches it.
    url_path = models.CharField(_("URL path"), max_length=1024, blank=True)

    first_published_at = models.DateTimeField(null=True)
    last_published_at = models.DateTimeField(null=True)
    title_sort = models.CharField(_("title"), max_length=255, blank=True)  # title readers see
    search_text = models.TextField(_("search text"), blank=True)  # accent-folded

    body = models.BinaryField(_("JSON body"), blank=True)
    etag = models.CharField(_("ETag"), max_length=40, blank=True)
    # The page as an item of the API's list (``PageSummaryOut``), built with the body.
    item = models.BinaryField(_("JSON list item"), blank=True, default=b"")
    # When the body changes with time alone (a medical review falls due, a page it shows goes
    # live or expires); null: never. A document past this moment is rebuilt.
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    seq = models.BigIntegerField(_("change sequence number"))
    built_at = models.DateTimeField(_("built at"))

    class Meta:
        verbose_name = _("page document")
        verbose_name_plural = _("page documents")
        constraints = [
            models.UniqueConstraint(
                fields=["site_id", "page_id", "lang"], name="readmodel_document_site_page_lang"
            )
        ]
        indexes = [
            # find: the page at a public path in one language
            models.Index(fields=["site_id", "lang", "url_path"], name="readmodel_doc_path"),
            # list: a site's pages in one language, in tree order or by type
            models.Index(fields=["site_id", "lang", "tree_path"], name="readmodel_doc_tree"),
            # list: of one type or one parent's children, in tree order, read in index order
            # up to the slice whatever the type or parent (a prepared statement's one plan
            # fits a type of 2 pages and one of 10,000: ``reads.list``)
            models.Index(
                fields=["site_id", "lang", "page_type", "tree_path"], name="readmodel_doc_type_tree"
            ),
            models.Index(
                fields=["site_id", "lang", "parent_id", "tree_path"],
                name="readmodel_doc_parent_tree",
            ),
            # list: the other orders, read in index order up to the slice
            models.Index(fields=["site_id", "lang", "title_sort"], name="readmodel_doc_title"),
            models.Index(
                fields=["site_id", "lang", "first_published_at"], name="readmodel_doc_first_pub"
            ),
            models.Index(
                fields=["site_id", "lang", "last_published_at"], name="readmodel_doc_last_pub"
            ),
            # the list's total: documents with a publication window, the only ones the
            # stored count (``ListCount``) can be wrong about at a given moment
            models.Index(
                fields=["site_id", "lang", "page_type", "parent_id"],
                condition=models.Q(go_live_at__isnull=False) | models.Q(expire_at__isnull=False),
                name="readmodel_doc_windowed",
            ),
            models.Index(fields=["page_id"], name="readmodel_doc_page"),
            models.Index(fields=["seq"], name="readmodel_doc_seq"),
            models.Index(fields=["valid_until"], name="readmodel_doc_valid_until"),
        ]

    def __str__(self):
        return f"{self.page_id} [{self.lang}] @{self.site_id}"


class ShownReference(models.Model):
    """An object that a page shows its readers, as the builder last built it.

    Wagtail's ``ReferenceIndex`` knows what a page's row points at, and the row holds the
    latest published text; readers of a language whose newer text is not released get the
    text of an older revision (``cms.visibility.reader_page``), which may link to, compare
    or quote other pages, doctors and images. The builder records what the page as readers
    get it shows, each time it builds it (none while it is not live and public), so that a
    change to one of them rebuilds the page (``readmodel.dependencies``).
    """

    # Not a foreign key: the rows of a deleted page go with its documents' rebuild.
    page_id = models.PositiveIntegerField(_("page"))
    to_content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("shown type")
    )
    to_object_id = models.CharField(_("shown object"), max_length=255)

    class Meta:
        verbose_name = _("shown reference")
        verbose_name_plural = _("shown references")
        constraints = [
            models.UniqueConstraint(
                fields=["page_id", "to_content_type", "to_object_id"],
                name="readmodel_shown_page_object",
            )
        ]
        # what shows an object (the constraint's index finds what a page shows)
        indexes = [
            models.Index(fields=["to_content_type", "to_object_id"], name="readmodel_shown_object")
        ]

    def __str__(self):
        return f"{self.page_id} shows {self.to_content_type_id}:{self.to_object_id}"


class ListCount(models.Model):
    """How many documents of one list's scope are live and public, whatever their window.

    A scope is a site and language, and a page type or all types (``""``), and a parent or
    all parents (``0``): every list the API answers without a search. Written with the
    documents (``readmodel.outbox.write``, under the writer's lock, so from what has been
    committed), so a list's total is one row instead of counting every page of the scope.
    The publication window is applied when the total is read: the documents of the scope
    outside their window now (``readmodel_doc_windowed``, usually none) are subtracted.
    """

    ANY_TYPE = ""
    ANY_PARENT = 0

    site_id = models.PositiveIntegerField(_("site"))
    lang = models.CharField(_("language"), max_length=8)
    page_type = models.CharField(_("type"), max_length=32, blank=True)
    parent_id = models.PositiveIntegerField(_("parent"))
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("list count")
        verbose_name_plural = _("list counts")
        constraints = [
            models.UniqueConstraint(
                fields=["site_id", "lang", "page_type", "parent_id"],
                name="readmodel_list_count_scope",
            )
        ]

    def __str__(self):
        return f"{self.site_id} [{self.lang}] {self.page_type or '*'} {self.parent_id or '*'}"


class DocumentChange(models.Model):
    """An outbox row: something documents show changed; written in the change's transaction.

    ``page_id``: that page changed (its documents are rebuilt, and, when they came out
    different, every page that shows it). ``subtree``: its descendants too (a view
    restriction). ``site_id`` alone: every page of that site (its settings). Neither:
    every page (a Site or a collection's privacy changed).
    """

    page_id = models.PositiveIntegerField(null=True)
    subtree = models.BooleanField(default=False)
    site_id = models.PositiveIntegerField(null=True)
    reason = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("document change")
        verbose_name_plural = _("document changes")

    def __str__(self):
        return f"{self.reason} page={self.page_id} site={self.site_id}"


class DocumentSequence(models.Model):
    """One row: the last change sequence number given to a document (see ``outbox.write``)."""

    value = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.value)
