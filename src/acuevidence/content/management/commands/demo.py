"""``acuevidence demo``: load the demo corpus into the current database (idempotent)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import Progress

from acuevidence.content import services as content_services
from acuevidence.directory import services as directory_services
from acuevidence.research import services as research_services
from acuevidence.research import syntheses as research_syntheses
from acuevidence.research.models import Condition, OutcomeMeasure, Study
from acuevidence.research.roles import REVIEWERS, roles_ensure

PACKAGE_DIR = Path(__file__).resolve().parents[3]
STUDIES_FILE = PACKAGE_DIR / "research" / "demo" / "studies.json"
SYNTHESES_FILE = PACKAGE_DIR / "research" / "demo" / "syntheses.json"
ARTICLES_FILE = PACKAGE_DIR / "content" / "demo" / "articles.json"
CITIES_FILE = PACKAGE_DIR / "directory" / "demo" / "cities.json"
BOARDS_FILE = PACKAGE_DIR / "directory" / "demo" / "boards.json"
DEMO_EDITOR = "demo-editor"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CommandError(f"cannot read demo data {path}: {exc}") from exc


class Command(BaseCommand):
    help = "Load the demo corpus: vocabularies, real studies, articles and synthetic practitioners."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practitioners", type=int, default=240)
        parser.add_argument("--admin-username", default="admin")
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not create an admin account."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        studies = _read_json(STUDIES_FILE)
        articles = _read_json(ARTICLES_FILE)
        cities = _read_json(CITIES_FILE)
        boards = _read_json(BOARDS_FILE)
        counts = research_services.vocabulary_sync()
        self.stdout.write(
            f"Vocabularies: {counts['conditions']} conditions, {counts['therapies']} therapies, "
            f"{counts['outcomes']} outcome measures."
        )
        editor = self._demo_editor()
        created = 0
        with Progress(transient=True) as progress:
            task = progress.add_task("Studies", total=len(studies))
            for entry in studies:
                try:
                    study, was_created = research_services.study_save_curated(
                        data=entry, source=Study.Source.PUBLISHED_REVIEW, editor=editor
                    )
                except (KeyError, ValueError) as exc:
                    raise CommandError(f"demo study {entry.get('key', '?')}: {exc}") from exc
                # Drafts are generated as for any import; the demo reviewer then approves them.
                research_services.study_drafts_generate(study=study, user=editor)
                research_services.study_publish(
                    study=study, reviewer=editor, refresh_syntheses=False
                )
                created += was_created
                progress.advance(task)
        self.stdout.write(f"Studies: {len(studies)} published ({created} new).")
        self._syntheses(_read_json(SYNTHESES_FILE), editor)
        content_services.site_pages_ensure()
        hubs = content_services.condition_hubs_ensure(
            conditions=Condition.objects.filter(studies__live=True).distinct()
        )
        self.stdout.write(f"Condition hubs: {hubs} new.")
        for article in articles:
            content_services.article_save(data=article)
        self.stdout.write(f"Articles: {len(articles)} published.")
        made = directory_services.demo_practitioners_create(
            count=options["practitioners"], cities=cities, boards=boards
        )
        self.stdout.write(f"Practitioners: {made} new synthetic (demo) profiles.")
        if not options["no_admin"]:
            self._admin(options["admin_username"])

    def _syntheses(self, entries: list[dict[str, Any]], editor: Any) -> None:
        """Editors' plain words for the demo syntheses, then one pooled computation."""
        for entry in entries:
            try:
                research_syntheses.synthesis_words_set(
                    condition=Condition.objects.get(slug=entry["condition"]),
                    outcome=OutcomeMeasure.objects.get(slug=entry["outcome"]),
                    comparator=entry["comparator_type"],
                    words=entry["words"],
                )
            except (
                KeyError,
                ValueError,
                Condition.DoesNotExist,
                OutcomeMeasure.DoesNotExist,
            ) as exc:
                raise CommandError(f"demo synthesis {entry.get('condition', '?')}: {exc}") from exc
        versions = research_syntheses.syntheses_refresh_all(trigger="Demo corpus loaded")
        for version in versions:
            if version.approved_by_id is None:
                research_syntheses.synthesis_version_approve(version=version, reviewer=editor)
        pooled = sum(v.pooled for v in versions)
        self.stdout.write(f"Syntheses: {len(versions)} current ({pooled} pooled).")

    def _demo_editor(self) -> Any:
        """The account that approves the demo corpus; it has no usable password, so no login."""
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_EDITOR, defaults={"first_name": "Demo", "last_name": "editor"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(roles_ensure()[REVIEWERS])
        return user

    def _admin(self, username: str) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(f"Admin account {username!r} already exists (password unchanged).")
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin account created. Log in at /admin/ as {username!r} with password: {password}\n"
                "This password is shown once; change it under Account settings."
            )
        )
