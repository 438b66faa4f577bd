"""Create the editorial groups and the "Study review" workflow with its second-person task.

Permissions are given to the groups by ``research.roles.roles_ensure`` (they exist only
after migrate has finished); the workflow needs only the groups.
"""

from django.db import migrations

GROUPS = ("Editors", "Reviewers", "Administrators")
WORKFLOW = "Study review"
TASK = "Second-person review"


def create_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReviewTask = apps.get_model("research", "ReviewTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUPS}
    task_type, _ = ContentType.objects.get_or_create(app_label="research", model="reviewtask")
    study_type, _ = ContentType.objects.get_or_create(app_label="research", model="study")
    task = ReviewTask.objects.filter(name=TASK).first()
    if task is None:
        task = ReviewTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.set([groups["Reviewers"], groups["Administrators"]])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(
        content_type=study_type, defaults={"workflow": workflow}
    )


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("research", "ReviewTask").objects.filter(name=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0002_certainty_summaries_syntheses_review"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
