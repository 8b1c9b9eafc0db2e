"""Groups "Editors" and "Medical reviewers", and the "Medical review" workflow.

- Editors add and edit pages but cannot publish: they submit pages to Medical review.
- Medical reviewers (doctors) edit, approve and publish; they manage the red-flag claim list.
- The workflow has one Medical review task for the Medical reviewers group. It is assigned
  to the root page, so it covers every ArticlePage and TherapyPage wherever they are created
  (Wagtail assigns page workflows by tree position). Approving records a review only for
  page types that carry one; a reviewer cannot approve a page they submitted.
"""

from django.db import migrations

WORKFLOW_NAME = "Medical review"
TASK_NAME = "Medical review"
EDITORS = "Editors"
REVIEWERS = "Medical reviewers"

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
MODEL_PERMISSIONS = {
    EDITORS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("editorial", "redflagclaim", "view_redflagclaim"),
        ("therapies", "doctor", "view_doctor"),
    ],
    REVIEWERS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("editorial", "redflagclaim", "add_redflagclaim"),
        ("editorial", "redflagclaim", "change_redflagclaim"),
        ("editorial", "redflagclaim", "delete_redflagclaim"),
        ("editorial", "redflagclaim", "view_redflagclaim"),
        ("therapies", "doctor", "view_doctor"),
    ],
}


def _ensure_permissions(apps):
    # Permissions are normally created after migrate; create them now so they can be granted.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def forwards(apps, schema_editor):
    _ensure_permissions(apps)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    MedicalReviewTask = apps.get_model("editorial", "MedicalReviewTask")

    page_type = ContentType.objects.get_for_model(Page)
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (EDITORS, REVIEWERS)}
    root = Page.objects.filter(depth=1).order_by("path").first()

    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            permission = Permission.objects.get(content_type=page_type, codename=codename)
            if root is not None:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page=root, permission=permission
                )
    for name, entries in MODEL_PERMISSIONS.items():
        for app_label, model, codename in entries:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            ).first()
            if permission is not None:
                groups[name].permissions.add(permission)

    task_type, _ = ContentType.objects.get_or_create(app_label="editorial", model="medicalreviewtask")
    task = MedicalReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = MedicalReviewTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(groups[REVIEWERS])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})

    if root is not None:
        assignment = WorkflowPage.objects.filter(page=root).first()
        if assignment is None:
            WorkflowPage.objects.create(page=root, workflow=workflow)
        else:
            assignment.workflow = workflow
            assignment.save()


def backwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    root = Page.objects.filter(depth=1).order_by("path").first()
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if root is not None and workflow is not None:
        previous = Workflow.objects.filter(name="Moderators approval").first()
        assignment = WorkflowPage.objects.filter(page=root, workflow=workflow).first()
        if assignment is not None:
            if previous is not None:
                assignment.workflow = previous
                assignment.save()
            else:
                assignment.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_seed_red_flag_claims"),
        ("therapies", "0002_medical_review_and_advertising_fields"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
