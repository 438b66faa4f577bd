"""Who may open what: every URL in the URLconf, for five kinds of user.

The URLs are found by walking the resolver, so a URL added later is covered without
editing this file: it falls under the first rule whose prefix matches (public when none
does) and the test fails if it does not behave as its rule says. Path parameters are
filled with real objects where the URL names them (a published study, a practitioner)
and with values that match nothing elsewhere (which must give 404, not an error).

Rules (GET requests):

- public pages: every role gets 200, a redirect or 404/405; never 401/403 or an error;
- practitioner account pages: anonymous readers are sent to sign in; practitioners get in;
- editors' admin (Wagtail): anonymous readers and practitioners are sent to sign in or
  refused; editors, reviewers and administrators are let in (and refused where their
  permissions stop, e.g. user management is for superusers only);
- background jobs (Reports > Background jobs): administrators only;
- Django's admin: only staff accounts (none of these roles);
- the imports API takes bearer tokens only, never a session;
- no URL answers 500 to anyone (except Wagtail's deliberate error-test page, for staff).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "practitioner", "editor", "reviewer", "administrator"]
STAFF = {"editor", "reviewer", "administrator"}
SIGN_IN_PAGES = (
    "/admin/login/",
    "/admin/logout/",
    "/admin/password_reset/",
    "/admin/jsi18n/",
    "/admin/sprite/",
    "/django-admin/login/",
    "/django-admin/logout/",
    "/for-practitioners/sign-in/",
    "/for-practitioners/sign-out/",
    "/for-practitioners/sign-up/",
    "/for-practitioners/claim/",
    "/_util/",
    "/documents/authenticate_with_password/",
)
SUPERUSER_ONLY = ("/admin/users/", "/admin/groups/", "/admin/sites/", "/admin/settings/")
SIGNED_IN_PRACTITIONER = ("/for-practitioners/",)
IMPORTS_API = ("/api/v1/imports/",)
# Opening every Wagtail admin screen is slow; the administrator (whose permissions include
# the editor's and the reviewer's) opens them all, editors and reviewers every other URL.
PARTIAL_ADMIN_ROLES = {"editor", "reviewer"}


@dataclass(frozen=True)
class Rule:
    name: str
    allowed: dict[str, set[int]]


OK = {200, 301, 302, 400, 404, 405}  # 400: e.g. an invalid sign-up token
SENT_AWAY = {302, 403, 404, 405}  # to the sign-in page, refused, or nothing to show
ENTER = {200, 302, 400, 404, 405}  # 302: admin views that redirect onwards (e.g. to a list)

RULES: list[tuple[tuple[str, ...], Rule]] = [
    # Wagtail's page for checking error reporting fails on purpose, for staff only.
    (
        ("/admin/failwhale/",),
        Rule("error test", {r: {500} if r in STAFF else SENT_AWAY for r in ROLES}),
    ),
    (SIGN_IN_PAGES, Rule("sign-in pages", dict.fromkeys(ROLES, OK))),
    (SUPERUSER_ONLY, Rule("superuser admin", dict.fromkeys(ROLES, SENT_AWAY))),
    # Background jobs carry e-mail addresses and messages: administrators only.
    (
        ("/admin/jobs/",),
        Rule("background jobs", {r: ENTER if r == "administrator" else SENT_AWAY for r in ROLES}),
    ),
    (
        ("/admin/",),
        Rule("editors' admin", {r: (ENTER | {403} if r in STAFF else SENT_AWAY) for r in ROLES}),
    ),
    (("/django-admin/",), Rule("django admin", dict.fromkeys(ROLES, SENT_AWAY))),
    (
        SIGNED_IN_PRACTITIONER,
        Rule("practitioner account", {r: ({302} if r == "anonymous" else ENTER) for r in ROLES}),
    ),
    # Bearer tokens only: a signed-in session, even an editor's, is not enough.
    (IMPORTS_API, Rule("imports API", dict.fromkeys(ROLES, frozenset({401, 405})))),
]
PUBLIC = Rule("public", dict.fromkeys(ROLES, OK))


def rule_for(path: str) -> Rule:
    return next((rule for prefixes, rule in RULES if path.startswith(prefixes)), PUBLIC)


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + _route(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _route(entry.pattern), entry.pattern


def _route(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, RegexPattern):
        return pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
    return str(pattern)


_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\((?:\?P<\w+>)?[^()]*(?:\([^()]*\)[^()]*)*\)[*?]?")


def concrete_path(route: str, samples: dict[str, str]) -> str:
    """A URL for ``route``: real slugs where the route names their kind, else no-match values."""

    def fill(match: re.Match[str]) -> str:
        name, conv = match["name"], match["conv"] or "str"
        if name == "slug":
            kind = next((k for k in samples if f"{k}/" in route or f"{k}." in route), None)
            return samples[kind] if kind else "no-such-thing"
        if name == "fmt":
            return "csv"
        if conv in ("int",) or name.endswith("id") or name == "pk":
            return "999999"
        return "no-such-thing"

    path = _PARAM.sub(fill, route)
    path = _GROUP.sub("999999", path).replace("\\", "")
    return "/" + path


@pytest.fixture
def samples(published_seed_study: Any, vocab: None) -> dict[str, str]:
    from acuevidence.directory.models import Practitioner

    published = Practitioner.objects.create(name="Pat Public", slug="pat-public")
    return {
        "studies": published_seed_study.slug,
        "practitioners": published.slug,
        "conditions": "stroke",
        "therapies": "acupuncture",
        "outcome-measures": "no-such-thing",
    }


def _user(role: str) -> Any:
    from django.contrib.auth import get_user_model

    from acuevidence.directory.models import Practitioner
    from acuevidence.research.roles import ADMINISTRATORS, EDITORS, REVIEWERS, roles_ensure

    user = get_user_model().objects.create_user(username=f"matrix-{role}", password="x" * 16)
    groups = roles_ensure()
    group = {"editor": EDITORS, "reviewer": REVIEWERS, "administrator": ADMINISTRATORS}.get(role)
    if group:
        user.groups.add(groups[group])
    else:
        Practitioner.objects.create(name="Own Profile", slug="own-profile", user=user)
    return user


def all_paths(samples: dict[str, str]) -> list[str]:
    paths = {concrete_path(route, samples) for route, _ in walk(get_resolver().url_patterns)}
    return sorted(paths)


def test_the_walk_finds_every_kind_of_url(samples: dict[str, str]) -> None:
    paths = all_paths(samples)
    assert len(paths) > 300
    assert f"/studies/{samples['studies']}/" in paths
    assert "/exports/studies/seed-acupotomy-stroke.csv" in paths
    assert "/for-practitioners/profile/" in paths
    assert "/admin/" in paths and "/django-admin/" in paths and "/api/v1/studies/" in paths
    assert "/admin/research/synthesis-texts/" in paths
    assert "/admin/research/synthesis-versions/999999/approve/" in paths
    assert "/api/v1/conditions/stroke/syntheses/" in paths


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_its_rule_says(role: str, samples: dict[str, str]) -> None:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(_user(role))
    violations = []
    for path in all_paths(samples):
        if path.endswith("/sign-out/") or path.endswith("/logout/"):
            continue  # would end this client's session for the URLs after it
        rule = rule_for(path)
        if role in PARTIAL_ADMIN_ROLES and rule.name == "editors' admin" and "999999" not in path:
            continue  # the administrator's pass opens these screens; see the module docstring
        status = client.get(path).status_code
        if status not in rule.allowed[role]:
            violations.append(f"{path} [{rule.name}] -> {status}")
    assert not violations, "\n".join(violations)


def test_practitioners_download_only_their_own_data(samples: dict[str, str]) -> None:
    from acuevidence.directory.models import Practitioner

    Practitioner.objects.filter(slug="pat-public").update(email="pat@other.example")
    own = _user("practitioner")
    Practitioner.objects.filter(user=own).update(email="own@mine.example")
    client = Client()
    client.force_login(own)
    data = client.get("/for-practitioners/my-data.json").content.decode()
    assert "own@mine.example" in data
    assert "pat@other.example" not in data and "Pat Public" not in data


def test_unpublished_profiles_are_hidden_from_everyone_but_staff_screens(
    samples: dict[str, str],
) -> None:
    from acuevidence.directory.models import Practitioner

    Practitioner.objects.create(name="Hidden Person", slug="hidden-person", is_published=False)
    client = Client()
    client.force_login(_user("practitioner"))
    assert client.get("/practitioners/hidden-person/").status_code == 404
    assert client.get("/api/v1/practitioners/hidden-person/").status_code == 404


def test_editors_cannot_publish_or_delete_but_reviewers_can_publish(
    samples: dict[str, str],
) -> None:
    from acuevidence.research.models import Study

    editor, reviewer = _user("editor"), _user("reviewer")
    study = Study.objects.get(slug=samples["studies"])
    assert editor.has_perm("research.change_study")
    assert not editor.has_perm("research.publish_study")
    assert reviewer.has_perm("research.publish_study")
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    delete_url = f"/admin/snippets/research/study/delete/{study.pk}/"
    assert client.get(delete_url).status_code in {302, 403}
    assert client.post(delete_url).status_code in {302, 403}
    assert Study.objects.filter(pk=study.pk).exists()


def test_synthesis_texts_editors_edit_reviewers_approve_never_their_own(
    samples: dict[str, str], editor: Any
) -> None:
    """The synthesis texts screens with a real synthesis, for each role (POSTs included)."""
    from acuevidence.research.models import SynthesisVersion
    from acuevidence.research.syntheses import syntheses_refresh_all
    from tests.research.demo_data import demo_entries, load

    load(demo_entries("lee2004-")[:2], editor=editor)
    (version,) = syntheses_refresh_all(trigger="test")
    listing = "/admin/research/synthesis-texts/"
    texts = f"/admin/research/synthesis-versions/{version.pk}/texts/"
    approve = f"/admin/research/synthesis-versions/{version.pk}/approve/"

    def approved() -> bool:
        return SynthesisVersion.objects.get(pk=version.pk).approved_at is not None

    users = {role: _user(role) for role in ROLES if role != "anonymous"}
    clients = {role: Client(raise_request_exception=False) for role in ROLES}
    for role, user in users.items():
        clients[role].force_login(user)
    for role in ("anonymous", "practitioner"):
        for path in (listing, texts):
            assert clients[role].get(path).status_code in SENT_AWAY, (role, path)
        assert clients[role].post(texts, {"key_finding": "x"}).status_code in SENT_AWAY
        assert clients[role].post(approve).status_code in SENT_AWAY
    for role in STAFF:
        assert clients[role].get(listing).status_code == 200, role
        assert clients[role].get(texts).status_code == 200, role
    assert SynthesisVersion.objects.get(pk=version.pk).words_edited_by is None

    # Editors edit but do not approve; the reviewer who edited last cannot approve either.
    assert clients["editor"].post(approve).status_code in {302, 403}
    assert not approved()
    clients["reviewer"].post(texts, {"key_finding": "Edited.", "what_it_means": "Edited."})
    assert SynthesisVersion.objects.get(pk=version.pk).words_edited_by == users["reviewer"]
    clients["reviewer"].post(approve)
    assert not approved()
    assert clients["administrator"].post(approve).status_code == 302
    assert approved()
