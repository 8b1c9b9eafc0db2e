"""Medical review per language: workflow, public line, JSON-LD and the "Reviews due" report."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, PageLogEntry, WorkflowPage

from editorial.models import MedicalReview, PageLanguageStatus
from editorial.review import current_review, json_ld_review, record_review
from editorial.status import add_months
from therapies.models import ArticlePage

from . import factories
from .admin_forms import article_form, nested_form_data, stream_form_data
from .editorial_fixtures import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def form_for(article, action=None, **extra):
    """The edit form as posted, bodies unchanged unless given."""
    extra.setdefault("lead_en", article.lead_en)
    extra.setdefault("lead_vi", article.lead_vi)
    extra.setdefault("search_description_en", article.search_description_en or "")
    extra.setdefault("search_description_vi", article.search_description_vi or "")
    data = article_form(
        article.title_en, article.slug_en, article.title_vi, article.slug_vi, action=action, **extra
    )
    data.update(
        nested_form_data(
            {
                "body_en": stream_form_data(article.body_en),
                "body_vi": stream_form_data(article.body_vi),
            }
        )
    )
    return data


def with_body(**fields):
    fields.setdefault("body_en", [{"type": "paragraph", "value": "<p>What the evidence says.</p>"}])
    fields.setdefault("body_vi", [{"type": "paragraph", "value": "<p>Bằng chứng nói gì.</p>"}])
    return fields


def submit(client, page, **extra):
    response = client.post(edit_url(page), form_for(page, action="action-submit", **extra))
    assert response.status_code == 302, response.content.decode()[:500]
    page.refresh_from_db()
    return page.current_workflow_task_state


def approve_url(page, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))


def test_migration_sets_up_groups_and_the_medical_review_workflow(root_page):
    assignment = WorkflowPage.objects.get(page=root_page)
    assert assignment.workflow.name == "Medical review" and assignment.workflow.active
    task = assignment.workflow.tasks.get().specific
    assert type(task).__name__ == "MedicalReviewTask"
    assert list(task.groups.values_list("name", flat=True)) == ["Medical reviewers"]
    editors = GroupPagePermission.objects.filter(group__name="Editors").values_list(
        "permission__codename", flat=True
    )
    assert "change_page" in editors and "publish_page" not in editors
    assert "publish_page" in GroupPagePermission.objects.filter(
        group__name="Medical reviewers"
    ).values_list("permission__codename", flat=True)
    assert (
        Group.objects.get(name="Medical reviewers")
        .permissions.filter(codename="change_redflagclaim")
        .exists()
    )


def test_editor_submits_and_a_doctor_approves_recording_a_review_per_language(
    editor_client, reviewer_client, reviewer, article
):
    task_state = submit(editor_client, article, lead_vi="Lời dẫn đã được biên tập.")
    assert task_state.task.specific.name == "Medical review"

    response = reviewer_client.post(approve_url(article, task_state), {"comment": ""})
    assert response.status_code == 302

    article = ArticlePage.objects.get(pk=article.pk)
    assert (
        article.live and article.lead_vi == "Lời dẫn đã được biên tập."
    )  # published by the approval
    doctor = reviewer.doctor
    reviews = {r.lang: r for r in MedicalReview.objects.filter(page=article)}
    assert set(reviews) == {"en", "vi"}
    for review in reviews.values():
        assert review.doctor == doctor
        assert review.reviewed_on == timezone.localdate()
        assert review.revision_id == task_state.revision_id
        assert review.approved_by == reviewer
    assert article.reviewed_by == doctor and article.last_reviewed == timezone.localdate()
    assert current_review(article, "vi").doctor == doctor
    assert PageLogEntry.objects.filter(
        page=article, action="editorial.medical_review", user=reviewer
    ).exists()

    panel = reviewer_client.get(edit_url(article)).content.decode()
    assert "Nguyễn Thị Lan" in panel and 'data-review-state="current"' in panel


def test_an_editor_cannot_approve_and_a_reviewer_cannot_approve_her_own_submission(
    editor_client, reviewer_client, article
):
    task_state = submit(editor_client, article)
    refused = editor_client.post(approve_url(article, task_state))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"

    reviewer_client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "reject", task_state.pk)),
        {"comment": "Please cite the trial."},
    )
    task_state = submit(reviewer_client, article)  # the doctor now submits her own edit
    response = reviewer_client.post(approve_url(article, task_state))
    assert response["Location"] == reverse("wagtailadmin_home")
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"
    assert not MedicalReview.objects.filter(page=article).exists()


def test_approval_is_refused_while_the_text_has_red_flag_claims(
    editor_client, reviewer_client, article
):
    task_state = submit(editor_client, article, lead_vi="Liệu trình trẻ hóa vĩnh viễn.")
    assert reviewer_client.post(approve_url(article, task_state))["Location"] == reverse(
        "wagtailadmin_home"
    )
    assert not MedicalReview.objects.filter(page=article).exists()
    assert not ArticlePage.objects.get(pk=article.pk).lead_vi.startswith("Liệu trình")


def test_public_page_shows_the_review_in_the_readers_language_until_the_text_changes(
    client, publisher_client, reviewer, article
):
    doctor = reviewer.doctor
    record_review(article, doctor, reviewed_on=datetime.date(2026, 3, 5))

    english = client.get("/en/articles/exosomes-vs-prp/").content.decode()
    assert "Medically reviewed by Nguyễn Thị Lan, Level II Specialist, on" in english
    vietnamese = client.get("/vi/bai-viet/exosome-va-prp/").content.decode()
    assert "Nguyễn Thị Lan, Bác sĩ Chuyên khoa II" in vietnamese
    assert "Medically reviewed" not in vietnamese

    assert json_ld_review(article, "vi") == {
        "reviewedBy": {
            "@type": "Person",
            "name": "Nguyễn Thị Lan",
            "jobTitle": "Bác sĩ Chuyên khoa II",
        },
        "lastReviewed": "2026-03-05",
    }

    # The Vietnamese text changes and is published: its review lapses, the English one stands.
    response = publisher_client.post(
        edit_url(article),
        form_for(
            article,
            action="action-publish",
            lead_en=article.lead_en,
            lead_vi="Một lời dẫn hoàn toàn mới.",
        ),
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=article.pk)
    assert current_review(article, "vi") is None and json_ld_review(article, "vi") == {}
    assert "Nguyễn Thị Lan" not in client.get("/vi/bai-viet/exosome-va-prp/").content.decode()
    for scope in ("live", "draft"):
        assert PageLanguageStatus.objects.get(page=article, lang="vi", scope=scope).review_lapsed
        assert not PageLanguageStatus.objects.get(
            page=article, lang="en", scope=scope
        ).review_lapsed


def test_advertising_confirmation_number_is_shown_when_present(client, publisher_client, article):
    response = publisher_client.post(
        edit_url(article),
        form_for(
            article, action="action-publish", advertising_confirmation_number="123/2026/XNQC-SYT"
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.advertising_confirmation_number == "123/2026/XNQC-SYT"
    assert "123/2026/XNQC-SYT" in client.get("/en/articles/exosomes-vs-prp/").content.decode()
    assert "123/2026/XNQC-SYT" in client.get("/vi/bai-viet/exosome-va-prp/").content.decode()


def test_reviews_due_report_lists_overdue_and_soon_due_reviews(
    admin_client, reviewer, article_index, prp
):
    doctor = reviewer.doctor
    today = timezone.localdate()
    due_soon = factories.make_article(
        article_index, "Due soon", "due-soon", "Sắp đến hạn", "sap-den-han", **with_body()
    )
    overdue = factories.make_article(
        article_index, "Overdue", "overdue", "Quá hạn", "qua-han", **with_body()
    )
    fresh = factories.make_article(
        article_index, "Fresh", "fresh", "Mới duyệt", "moi-duyet", **with_body()
    )
    record_review(
        due_soon, doctor, reviewed_on=add_months(today, -12) + datetime.timedelta(days=20)
    )
    record_review(overdue, doctor, reviewed_on=add_months(today, -13))
    record_review(fresh, doctor, reviewed_on=today - datetime.timedelta(days=60))

    url = reverse("editorial:reviews_due")
    html = admin_client.get(url).content.decode()
    assert "Reviews due" in html
    assert edit_url(due_soon) in html and "Review due soon" in html
    assert edit_url(overdue) in html and "Review overdue" in html
    assert edit_url(prp) in html and "Not reviewed" in html  # a therapy never reviewed
    assert edit_url(fresh) not in html

    html = admin_client.get(
        url, {"lang": "vi", "content_type": overdue.content_type_id}
    ).content.decode()
    assert edit_url(overdue) in html and edit_url(prp) not in html


def test_a_page_loaded_with_a_reviewer_and_date_gets_a_review_per_language(article_index, doctor):
    page = factories.make_article(
        article_index,
        "Loaded",
        "loaded",
        "Đã nạp",
        "da-nap",
        **with_body(reviewed_by=doctor, last_reviewed=datetime.date(2026, 1, 10)),
    )
    assert sorted(MedicalReview.objects.filter(page=page).values_list("lang", flat=True)) == [
        "en",
        "vi",
    ]
    assert current_review(page, "en").reviewed_on == datetime.date(2026, 1, 10)
    assert Page.objects.get(pk=page.pk).specific.last_reviewed == datetime.date(2026, 1, 10)
