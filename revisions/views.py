"""The page editor's save with concurrent-edit detection, and the conflict view.

``EditView`` is Wagtail's page edit view with one change: a save (draft, publish,
submit, any workflow action) whose form was loaded from an older revision than the
latest is merged with the latest (``concurrency.reconcile``) before Wagtail's action runs;
when both changed the same text, nothing is saved and the editor goes to the conflict
view, where their text waits as a ``HeldEdit``. Autosave keeps Wagtail's own refusal.
"""

import html

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext, ngettext
from modelcluster.fields import ParentalKey
from modelcluster.models import model_from_serializable_data
from wagtail.admin.views.pages.edit import EditView as WagtailEditView

from cms.clock import now
from cms.language import SUPPORTED_LANGUAGES

from . import concurrency
from .merge import MINE, THEIRS
from .models import HeldEdit
from .signals import conflict_resolved

CHOICE_PREFIX = "choice:"


class EditView(WagtailEditView):
    stale = False
    reconciled = None

    def post(self, request, *args, **kwargs):
        if self.expects_json_response or self.page.alias_of_id:
            return super().post(request, *args, **kwargs)
        with transaction.atomic():
            latest = concurrency.lock_latest(self.real_page_record.pk)
            if latest is not None and latest.pk != getattr(self.latest_revision, "pk", None):
                # Saved by someone between dispatch and the lock: edit the newest.
                self.real_page_record.refresh_from_db()
                self.latest_revision = latest
                self.page = self.get_object()
            base_id = request.POST.get("overwrite_revision_id") or request.POST.get(
                "loaded_revision_id"
            )
            self.stale = bool(base_id) and concurrency.is_stale(
                latest,
                base_id,
                None
                if request.POST.get("overwrite_revision_id")
                else request.POST.get("loaded_revision_created_at"),
            )
            if self.stale:
                self.base_revision = concurrency.base_revision(self.real_page_record.pk, base_id)
                self.latest_revision = latest
                # The form is bound to what the editor loaded, so it shows what they changed.
                if self.base_revision is not None:
                    self.page = self.base_revision.as_object()
                post = request.POST.copy()
                post.pop("overwrite_revision_id", None)  # never overwrite someone else's revision
                request.POST = post
            return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if not self.stale:
            return super().form_valid(form)
        mine = form.save(commit=False)
        mine_content = concurrency.page_content(mine)
        self.reconciled = concurrency.reconcile(
            self.real_page_record,
            self.base_revision,
            self.latest_revision,
            mine_content,
            self.request.user,
            HeldEdit.Origin.EDIT_FORM,
            action=self.action_name,
        )
        if self.reconciled.held is not None:
            messages.warning(
                self.request,
                gettext(
                    "Someone saved this page after you opened it and changed the same text. "
                    "Nothing was saved yet: choose which version to keep."
                ),
            )
            return redirect(self.reconciled.held.url)
        # Clean merge: put the newer revision's changes into the form's page, then let
        # Wagtail's action (save, publish, submit…) save it as it always does.
        decoded = concurrency.decode(type(mine), mine_content)
        changed = self.reconciled.changed_fields(decoded)
        if changed:
            merged = concurrency.as_page(self.real_page_record, self.reconciled.content)
            children = concurrency.child_relations(type(mine))
            for name in set(changed) - children:
                field = type(mine)._meta.get_field(name)
                setattr(mine, field.attname, getattr(merged, field.attname))
            _save_children_from(form, merged, set(changed) & children)
        messages.info(self.request, concurrency.merged_message(self.reconciled))
        return super().form_valid(form)

    def form_invalid(self, form):
        if self.stale and self.base_revision is not None:
            # Show the errors, and keep the revision the editor started from in the form.
            self.page.latest_revision_id = self.base_revision.pk
            self.__dict__["latest_revision_created_at"] = self.base_revision.created_at.isoformat()
        return super().form_invalid(form)

    def get(self, request, *args, **kwargs):
        held = HeldEdit.objects.filter(
            page_id=self.real_page_record.pk, user=request.user, resolved_at__isnull=True
        ).order_by("-created_at")
        first = held.first()
        if first is not None:
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    gettext("A save of yours on this page is waiting for your choice."),
                    first.url,
                    gettext("Choose which version to keep"),
                ),
            )
        return super().get(request, *args, **kwargs)


def _save_children_from(form, merged, names):
    """Make ``form.save`` give the page the inline children (``names``) ``merged`` holds.

    Wagtail's actions save the form themselves, and its inline formsets put back the
    children the editor loaded: the newer revision's children replace them after that,
    before the page (and, when ``commit``, its children) is written.
    """
    if not names:
        return
    save = form.save

    def save_with_merged_children(commit=True):
        instance = save(commit=False)
        for name in names:
            setattr(instance, name, list(getattr(merged, name).all()))
        if commit:
            instance.save()
            form.save_m2m()
        return instance

    form.save = save_with_merged_children


# -- the conflict view ------------------------------------------------------------------------


def _text(value):
    """The readable text of a value: rich text without tags, a block's texts one per line."""
    if value is None or value is concurrency.MISSING:
        return ""
    if isinstance(value, str):
        # Shown escaped by format_html: "&amp;" in the source is "&" to the editor.
        return html.unescape(strip_tags(value.replace("</p>", "</p>\n"))).strip()
    if isinstance(value, dict):
        inner = value.get("value", value) if "type" in value else value
        if inner is not value:
            return _text(inner)
        return "\n".join(t for t in (_text(v) for v in value.values()) if t)
    if isinstance(value, list):
        return "\n".join(t for t in (_text(v) for v in value) if t)
    return str(value)


def _children_text(model, name, value):
    """Inline children (related articles…) as the objects they point to, one per line."""
    if not isinstance(value, list):
        return ""
    child_model = getattr(model, name).rel.related_model
    links = [
        f.name
        for f in child_model._meta.concrete_fields
        if f.is_relation and not isinstance(f, ParentalKey)
    ]
    lines = []
    for data in value:
        child = model_from_serializable_data(child_model, data, check_fks=False)
        names = [str(getattr(child, link, "") or "") for link in links]
        lines.append(", ".join(n for n in names if n) or str(child))
    return "\n".join(lines)


def _side_text(model, path, value):
    if path[0] in concurrency.child_relations(model):
        return _children_text(model, path[0], value)
    return _text(value)


def _load(request, held_id):
    held = get_object_or_404(HeldEdit.objects.select_related("page", "user"), pk=held_id)
    if held.user_id != request.user.pk:
        raise Http404
    page = held.page.specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return held, page


def conflict(request, held_id):
    """GET shows each conflict side by side; POST saves the chosen versions as a draft."""
    held, page = _load(request, held_id)
    if held.resolved_at is not None:
        messages.info(request, gettext("This conflict is already settled."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    choices = {}
    if request.method == "POST":
        choices = {
            key[len(CHOICE_PREFIX) :]: value
            for key, value in request.POST.items()
            if key.startswith(CHOICE_PREFIX) and value in (MINE, THEIRS)
        }
        try:
            with transaction.atomic():
                latest = concurrency.lock_latest(page.pk)
                reconciled = _reconcile(held, page, latest, choices)
                if not reconciled.result.unresolved:
                    revision = concurrency.save_content(page, reconciled.content, request.user)
                    held.resolved_revision = revision
                    held.resolved_at = now()
                    held.save(update_fields=["resolved_revision", "resolved_at"])
                    conflict_resolved.send(HeldEdit, held=held, revision=revision)
                    messages.success(request, _saved_message(held))
                    return redirect("wagtailadmin_pages:edit", page.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return _render(request, held, page, _reconcile(held, page, None, choices), choices)
        messages.error(
            request,
            gettext(
                "The page changed again while you chose: choose for the text marked as new, "
                "then save."
            ),
        )
    else:
        reconciled = _reconcile(held, page, None, choices)
    return _render(request, held, page, reconciled, choices)


def _reconcile(held, page, latest, choices):
    """The held save merged with the page's latest revision (or the one it conflicted with)."""
    if latest is None:
        latest = page.get_latest_revision() or held.theirs_revision
    return concurrency.combine(
        page.specific_class, held.base_revision, latest, held.content, choices
    )


def _language_of(name):
    lang = name.rsplit("_", 1)[-1] if "_" in name else ""
    return lang if lang in SUPPORTED_LANGUAGES else ""


def _saved_message(held):
    if held.action and held.action != "save":
        return gettext(
            "Your choices are saved as a new draft revision. Nothing was published or "
            "submitted: check the page, then do it again."
        )
    return gettext("Your choices are saved as a new draft revision.")


def _render(request, held, page, reconciled, choices):
    theirs_name, theirs_at = concurrency.who_and_when(reconciled.latest)
    mine_name = request.user.get_full_name() or request.user.get_username()
    mine_at = formats.date_format(timezone.localtime(held.created_at), "DATETIME_FORMAT")
    items, model = [], page.specific_class
    for item in reconciled.result.conflicts:
        items.append(
            {
                "key": item.key,
                "name": CHOICE_PREFIX + item.key,
                "label": reconciled.label(item.path),
                "theirs": _side_text(model, item.path, item.theirs) or gettext("(deleted)"),
                "mine": _side_text(model, item.path, item.mine) or gettext("(deleted)"),
                "choice": choices.get(item.key, MINE),
                "lang": _language_of(item.path[0]),
                "new": bool(choices) and item.key not in reconciled.result.chosen,
            }
        )
    merged = reconciled.labels(reconciled.result.taken)
    title = page.get_admin_display_title()  # in the editor's language, the other as a hint
    return TemplateResponse(
        request,
        "revisions/conflict.html",
        {
            "page": page,
            "held": held,
            "items": items,
            "merged": merged,
            "theirs_name": theirs_name,
            "theirs_at": theirs_at,
            "mine_name": mine_name,
            "mine_at": mine_at,
            "MINE": MINE,
            "THEIRS": THEIRS,
            "page_title": gettext("Conflicting changes: %(title)s") % {"title": title},
            "header_icon": "warning",
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            "action_url": reverse("revisions:conflict", args=[held.pk]),
            "count": ngettext(
                "%(count)d place was changed both by you and by %(name)s.",
                "%(count)d places were changed both by you and by %(name)s.",
                len(items),
            )
            % {"count": len(items), "name": theirs_name},
        },
    )
