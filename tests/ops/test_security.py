"""Security settings: deploy checks, headers, a CSP without inline code, login lockouts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_ROOTS = [REPO / "src" / "acuevidence"]
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def production_settings() -> dict[str, Any]:
    """The security-related values of settings/production.py, read in a fresh interpreter."""
    names = [
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
        "CONTENT_SECURITY_POLICY",
    ]  # fmt: skip
    code = (
        "import json; from acuevidence.config.settings import production as p; "
        f"print(json.dumps({{n: getattr(p, n) for n in {names!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SECRET_KEY": "x" * 60},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    values = json.loads(done.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_check_deploy_is_clean_with_production_settings() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "acuevidence.config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "-Zq9!x7#pL2@wR5$tY8%uI3^oP6&aS1*dF4",
        "DATABASE_URL": "",
    }
    # The browser fixtures allow Django's sync ORM inside Playwright's event loop for the
    # test process only; a deployment never sets it, so this check must not inherit it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


@pytest.mark.django_db
def test_production_responses_carry_hsts_csp_referrer_and_permissions_policies(
    client: Client, production_settings: dict[str, Any]
) -> None:
    with override_settings(**production_settings):
        insecure = client.get("/ops/ping")
        response = client.get("/ops/ping", HTTP_X_FORWARDED_PROTO="https")
    assert insecure.status_code == 301
    assert insecure["Location"] == "https://testserver/ops/ping"
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    csp = response["Content-Security-Policy"]
    assert "upgrade-insecure-requests" in csp


@pytest.mark.django_db
def test_production_session_and_csrf_cookies_are_secure(
    client: Client, production_settings: dict[str, Any], admin_user_with_password: Any
) -> None:
    with override_settings(**production_settings):
        login_page = client.get("/admin/login/", secure=True)
        response = client.post(
            "/admin/login/",
            {
                "username": "boss",
                "password": PASSWORD,
                "csrfmiddlewaretoken": login_page.cookies["csrftoken"].value,
            },
            secure=True,
        )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert login_page.cookies["csrftoken"]["secure"]


def _directives(csp: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in csp.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/studies/", "/studies/seed-acupotomy-stroke/"])
def test_public_pages_forbid_inline_scripts_and_styles(
    client: Client, published_seed_study: Any, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    directives = _directives(response["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_only_the_admin_is_allowed_inline_code(client: Client) -> None:
    admin = _directives(client.get("/admin/login/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in admin["script-src"]
    public = _directives(client.get("/ops/ping")["Content-Security-Policy"])
    assert "'unsafe-inline'" not in public["script-src"]


# Executable inline code: <script> without src (data blocks such as JSON-LD are not run and
# CSP does not apply to them), style attributes, <style> elements and on* handlers.
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_DATA_BLOCK = re.compile(r"""type=["']application/(ld\+)?json["']""", re.IGNORECASE)
_INLINE_STYLE = re.compile(r"""\sstyle\s*=\s*["']|<style\b""", re.IGNORECASE)
_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def inline_code(text: str) -> list[str]:
    found = [
        f"inline <script{attrs}>"
        for attrs in _SCRIPT.findall(text)
        if "src=" not in attrs and not _DATA_BLOCK.search(attrs)
    ]
    found += [f"inline style: {m.group().strip()}" for m in _INLINE_STYLE.finditer(text)]
    found += [f"event handler: {m.group().strip()}" for m in _HANDLER.finditer(text)]
    return found


def test_the_inline_code_finder_finds_what_csp_would_block() -> None:
    assert inline_code('<script>alert(1)</script><p style="color:red" onclick="x()">') == [
        "inline <script>",
        'inline style: style="',
        'event handler: onclick="',
    ]
    assert inline_code('<script type="application/ld+json">{}</script>') == []
    assert inline_code('<script src="/static/js/a.js" defer></script>') == []


def test_no_site_template_has_inline_scripts_styles_or_handlers() -> None:
    problems = [
        f"{path.relative_to(REPO)}: {finding}"
        for root in TEMPLATE_ROOTS
        for path in sorted(root.rglob("templates/**/*.html"))
        if "/admin/" not in path.as_posix()  # admin screens get the admin policy
        for finding in inline_code(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


def _failed_logins(client: Client, url: str, username: str, times: int) -> list[int]:
    return [
        client.post(url, {"username": username, "password": "wrong"}).status_code
        for _ in range(times)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/admin/login/", "/django-admin/login/", "/for-practitioners/sign-in/"]
)
def test_every_login_locks_out_after_repeated_failures(
    client: Client, admin_user_with_password: Any, url: str
) -> None:
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3):
        statuses = _failed_logins(client, url, "boss", 3)
        locked = client.post(url, {"username": "boss", "password": PASSWORD})
        other_user = client.post(url, {"username": "someone-else", "password": "wrong"})
    assert 429 not in statuses[:2]
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert settings.SESSION_COOKIE_NAME not in locked.cookies
    assert other_user.status_code != 429


@pytest.mark.django_db
def test_a_successful_login_before_the_limit_resets_the_count(
    client: Client, admin_user_with_password: Any
) -> None:
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3):
        _failed_logins(client, "/admin/login/", "boss", 2)
        assert (
            client.post("/admin/login/", {"username": "boss", "password": PASSWORD}).status_code
            == 302
        )
        client.logout()
        statuses = _failed_logins(client, "/admin/login/", "boss", 2)
    assert 429 not in statuses
