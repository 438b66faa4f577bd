"""Editorial roles as Django groups with the Wagtail permissions each needs.

- Editors import, write and edit studies and submit them for review.
- Reviewers may also publish (approve); the workflow stops them approving their own work.
- Administrators manage vocabularies, users and the directory, and see background jobs
  (Reports > Background jobs) and start failed ones again.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITORS = "Editors"
REVIEWERS = "Reviewers"
ADMINISTRATORS = "Administrators"

_EDIT_STUDIES = ["add_study", "change_study", "lock_study"]
_VOCABULARIES = [
    f"{action}_{model}"
    for model in ("condition", "therapy", "outcomemeasure")
    for action in ("add", "change", "delete")
]
_DIRECTORY = [
    f"{action}_{model}"
    for model in ("practitioner", "licence", "verificationevent", "location")
    for action in ("add", "change")
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: ["access_admin", *_EDIT_STUDIES],
    REVIEWERS: ["access_admin", *_EDIT_STUDIES, "publish_study"],
    ADMINISTRATORS: [
        "access_admin",
        *_EDIT_STUDIES,
        "publish_study",
        "delete_study",
        *_VOCABULARIES,
        *_DIRECTORY,
        "view_job",  # Reports > Background jobs (acuevidence.ops)
        "retry_job",
    ],
}


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create the editorial groups and give each exactly its permissions."""
    groups = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = list(Permission.objects.filter(codename__in=codenames))
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise LookupError(
                f"role {name}: permissions not found: {sorted(missing)} (run migrate)"
            )
        group.permissions.set(permissions)
        groups[name] = group
    return groups
