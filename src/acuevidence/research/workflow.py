"""Review rules: a study moves draft -> in review -> published, and a second person approves.

The Wagtail workflow "Study review" (created by migration ``0002``) has one
:class:`~acuevidence.research.models.ReviewTask` for the Reviewers and Administrators
groups. The rules here are what that task enforces:

* the person who submitted the study for review cannot approve it;
* approval publishes the submitted revision and records who reviewed it and when
  (through :func:`acuevidence.research.services.study_after_publish`, which also
  stores the certainty ratings and refreshes the condition syntheses);
* in the editor, studies are published through review only; the "Publish" button is
  kept for Administrators (corrections and withdrawals that cannot wait).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from wagtail.models import TaskState, Workflow, WorkflowState

from acuevidence.research.roles import ADMINISTRATORS

WORKFLOW_NAME = "Study review"
TASK_NAME = "Second-person review"


def submitter_of(obj: Any) -> Any:
    """Who submitted the object's current review (``None`` when it is not in review)."""
    state = WorkflowState.objects.active().for_instance(obj).first()
    return state.requested_by if state is not None else None


def is_submitter(*, obj: Any, user: Any) -> bool:
    submitter = submitter_of(obj)
    return submitter is not None and getattr(user, "pk", None) == submitter.pk


def review_approve(*, task: Any, task_state: TaskState, user: Any, **kwargs: Any) -> None:
    """Approve ``task_state`` as ``user`` unless ``user`` submitted it; then record the review."""
    from acuevidence.research.services import study_after_publish

    obj = task_state.workflow_state.content_object
    if is_submitter(obj=obj, user=user):
        raise PermissionDenied(
            "You submitted this study for review; a second person must approve it."
        )
    if not task.get_actions(obj, user):
        raise PermissionDenied("You are not a reviewer for this task.")
    task_state.approve(user=user, **kwargs)
    obj.refresh_from_db()
    if obj.live:
        study_after_publish(study=obj, reviewer=user, trigger=f"Published after review: {obj}")


def can_publish_directly(user: Any) -> bool:
    """Only Administrators (and superusers) may bypass review."""
    return bool(user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists())


def study_review_workflow() -> Workflow:
    return Workflow.objects.get(name=WORKFLOW_NAME)
