"""Security headers: a strict Content Security Policy on the public site, nosniff and
Referrer-Policy everywhere, and HTTPS-only behaviour (HSTS, secure cookies) in production.

Production settings are loaded in a subprocess with the variables production requires,
as a deploy would, so nothing here depends on the test settings.
"""

import json
import os
import secrets
import subprocess
import sys
import textwrap

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/en/",
    "/vi/",
    "/en/therapies/prp/",
    "/vi/lieu-phap/prp/",
    "/en/articles/exosomes-vs-prp/",
    "/vi/bai-viet/exosome-va-prp/",
]


def csp_of(response):
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_a_csp_without_inline_or_eval_scripts(client, article, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = csp_of(response)
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert "frame-ancestors" in csp


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_need_no_inline_script_or_style(client, article, path):
    """The templates keep to the policy: every script and style is a same-origin file."""
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":  # data, never run (structured data)
            assert "<" not in script.string, script
            continue
        assert script.get("src", "").startswith("/static/"), script
    assert not soup.find_all("style")
    for element in soup.find_all(True):
        assert "style" not in element.attrs, element
        assert not [a for a in element.attrs if a.startswith("on")], element
    for link in soup.find_all("link", rel="stylesheet"):
        assert link["href"].startswith("/static/"), link


def test_not_found_pages_have_the_policy_too(client, article):
    assert "script-src 'self'" in client.get("/en/no-such-page/")["Content-Security-Policy"]


def test_admin_is_excluded_from_the_site_policy_and_still_works(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    login = admin_client.get("/admin/login/")
    assert "Content-Security-Policy" not in login


def test_editor_userbar_on_the_public_site_loads_only_same_origin_scripts(admin_client, article):
    """Logged-in editors get Wagtail's userbar on public pages, under the same strict policy."""
    response = admin_client.get("/en/articles/exosomes-vs-prp/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("wagtail-userbar") is not None
    for script in soup.find_all("script"):
        if script.get("type") in ("application/json", "application/ld+json"):
            continue  # data, never executed
        # build_absolute_url gives a scheme-relative URL of this host: still 'self'.
        assert script["src"].startswith(("//testserver/static/", "/static/")), script


@pytest.mark.parametrize("path", ["/en/", "/api/v1/pages/", "/admin/login/", "/sitemap.xml"])
def test_nosniff_and_referrer_policy_everywhere(client, home, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_api_json_is_not_sniffable(client, home):
    response = client.get("/api/v1/pages/")
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"


# Production settings, loaded as a deploy would ---------------------------------------------


def production_env(**extra):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cms.example.org",
        DATABASE_URL="sqlite:////tmp/never-opened.sqlite3",
    )
    env.update(extra)
    return env


def run_production(code, **env):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=settings.BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_turn_on_https_only_behaviour():
    result = run_production(
        """
        import json, django
        django.setup()
        from django.conf import settings as s
        from django.http import HttpResponse
        from django.middleware.security import SecurityMiddleware
        from django.test import RequestFactory
        middleware = SecurityMiddleware(lambda request: HttpResponse("ok"))
        factory = RequestFactory(HTTP_HOST="cms.example.org")
        secure = middleware(factory.get("/en/", secure=True))
        plain = middleware(factory.get("/en/"))
        print(json.dumps({
            "DEBUG": s.DEBUG,
            "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
            "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
            "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
            "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
            "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
            "hsts": secure.get("Strict-Transport-Security"),
            "nosniff": secure.get("X-Content-Type-Options"),
            "referrer": secure.get("Referrer-Policy"),
            "plain_status": plain.status_code,
            "plain_location": plain.get("Location"),
            "csp": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"],
            "axes": "axes.middleware.AxesMiddleware" in s.MIDDLEWARE,
        }))
        """
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["DEBUG"] is False
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"]
    assert found["SESSION_COOKIE_HTTPONLY"]
    assert found["SECURE_HSTS_SECONDS"] >= 31536000
    assert found["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert found["nosniff"] == "nosniff"
    assert found["referrer"] == "strict-origin-when-cross-origin"
    assert (found["plain_status"], found["plain_location"]) == (301, "https://cms.example.org/en/")
    assert found["csp"] == ["'self'"]
    assert found["axes"]


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/15"])
def test_production_keeps_content_per_process_only_with_a_shared_cache(redis_url):
    """Local-memory caches are per worker: a publish in one could not reach the others."""
    result = run_production(
        """
        import json, django
        django.setup()
        from django.conf import settings as s
        caches = s.CACHES["default"]["BACKEND"]
        print(json.dumps([s.PAGE_CACHE_SECONDS, s.API_CACHE_SECONDS, caches]))
        """,
        REDIS_URL=redis_url,
    )
    assert result.returncode == 0, result.stderr
    page, api, backend = json.loads(result.stdout.strip().splitlines()[-1])
    if redis_url:
        # One shared cache: a purge by tag in one worker reaches every worker.
        assert page == api == 300 and "redis" in backend.lower()
    else:
        assert page == api == 0


def test_production_check_deploy_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_production("import django; django.setup()", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_pages_replayed_from_the_cache_keep_every_security_header(client, article):
    first = client.get("/vi/bai-viet/exosome-va-prp/")
    again = client.get("/vi/bai-viet/exosome-va-prp/")
    assert again["X-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
    ):
        assert again[header] == first[header], header
