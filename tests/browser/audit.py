"""`make audit`: Lighthouse and the Nu HTML Checker on the demo site, served as in production.

A fresh SQLite database gets the demo content; the Site is set to the loopback address
gunicorn serves (production settings refuse the placeholder). Then:

- Lighthouse (npm ``lighthouse``, on Debian's chromium) on the home, a therapy and the
  article page in both languages must score 100 in accessibility, best practices and SEO;
- vnu (npm ``vnu-jar``, on Java) must find no error on any page type in either language:
  home, therapy index, therapy, article index, article, 404 and 500.

Both tools are pinned by ``tests/browser/package-lock.json`` and installed by
``make browser-deps`` into ``.cache/npm`` (``AUDIT_NPM`` points elsewhere). Reports go to
``artifacts/audit/``. Exits non-zero on any score below 100 or any vnu error.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
NPM = Path(os.environ.get("AUDIT_NPM", BASE_DIR / ".cache" / "npm"))
LIGHTHOUSE = NPM / "node_modules" / "lighthouse" / "cli" / "index.js"
VNU = NPM / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REPORTS = BASE_DIR / "artifacts" / "audit"
CATEGORIES = ("accessibility", "best-practices", "seo")

LIGHTHOUSE_PAGES = {
    "home-en": "/en/",
    "home-vi": "/vi/",
    "therapy-en": "/en/therapies/prp/",
    "therapy-vi": "/vi/lieu-phap/prp/",
    "article-en": "/en/articles/exosomes-vs-prp/",
    "article-vi": "/vi/bai-viet/exosome-va-prp/",
}
# Every page type in both languages (the 500 page is rendered by its handler, see below).
VNU_PAGES = {
    **LIGHTHOUSE_PAGES,
    "therapy-index-en": "/en/therapies/",
    "therapy-index-vi": "/vi/lieu-phap/",
    "article-index-en": "/en/articles/",
    "article-index-vi": "/vi/bai-viet/",
    "404-en": "/en/khong-co-trang-nay/",
    "404-vi": "/vi/khong-co-trang-nay/",
}
RENDER_500 = (
    "import sys; from django.test import RequestFactory; from home.views import server_error; "
    "sys.stdout.write(server_error(RequestFactory().get({path!r})).content.decode())"
)


def log(message):
    print(f"[audit] {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, input_text=None):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        input=input_text,
    )
    if result.returncode != 0:
        raise SystemExit(f"audit: manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def serve(env, port, workdir):
    """The production stack (gunicorn, cms.wsgi) on loopback; returns the process."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [gunicorn, "cms.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=BASE_DIR,
        env=env,
        stdout=open(workdir / "gunicorn.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"audit: gunicorn exited:\n{(workdir / 'gunicorn.log').read_text()}")
        try:
            if fetch(f"http://127.0.0.1:{port}/en/")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit("audit: gunicorn did not answer /en/")


def lighthouse(url, name):
    """{category: score 0–100} and the failing audits of one page."""
    output = REPORTS / f"lighthouse-{name}.json"
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "chromium"
    result = subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-path={chromium}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 or not output.exists():
        raise SystemExit(f"audit: lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    report = json.loads(output.read_text())
    scores, failing = {}, []
    for category in CATEGORIES:
        data = report["categories"][category]
        scores[category] = round((data["score"] or 0) * 100)
        for ref in data["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{category}: {ref['id']} — {audit['title']}")
    return scores, failing


def vnu(files):
    """Errors the Nu HTML Checker finds, as "file: line: message"."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    (REPORTS / "vnu.json").write_text(json.dumps(messages, indent=2, ensure_ascii=False))
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]


def main():
    for tool, path in (("lighthouse", LIGHTHOUSE), ("vnu-jar", VNU)):
        if not path.exists():
            raise SystemExit(f"audit: {tool} is missing at {path}: run `make browser-deps`")
    REPORTS.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="cms-audit-"))
    port = free_port()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{workdir / 'audit.sqlite3'}",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="ERROR",
    )
    env.pop("REDIS_URL", None)
    log(f"demo content in {workdir}; serving on 127.0.0.1:{port}")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "update_translation_fields")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "load_demo_content")
    manage(env, "set_site_address", "127.0.0.1", str(port))
    server = serve(env, port, workdir)
    problems = []
    try:
        base = f"http://127.0.0.1:{port}"
        pages = workdir / "pages"
        pages.mkdir()
        files = []
        for name, path in VNU_PAGES.items():
            status, html = fetch(base + path)
            expected = 404 if name.startswith("404") else 200
            if status != expected:
                problems.append(f"{path}: HTTP {status}, expected {expected}")
            files.append(pages / f"{name}.html")
            files[-1].write_text(html)
        for lang in ("en", "vi"):
            html = manage(
                env, "shell", "-v", "0", "-c", RENDER_500.format(path=f"/{lang}/"), input_text=""
            )
            files.append(pages / f"500-{lang}.html")
            files[-1].write_text(html)
        if shutil.which("java"):
            errors = vnu(files)
            log(f"vnu: {len(errors)} error(s) on {len(files)} pages")
            problems += [f"vnu: {error}" for error in errors]
        else:  # make browser-deps installs it; only a machine without apt lacks it
            log("vnu SKIPPED: java is not installed and could not be (default-jre-headless)")
        for name, path in LIGHTHOUSE_PAGES.items():
            scores, failing = lighthouse(base + path, name)
            log(f"lighthouse {path}: " + ", ".join(f"{c} {s}" for c, s in scores.items()))
            problems += [f"lighthouse {path}: {item}" for item in failing]
            problems += [
                f"lighthouse {path}: {category} {score} < 100"
                for category, score in scores.items()
                if score < 100
            ]
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    if problems:
        print("\n".join(problems))
        raise SystemExit(f"audit: {len(problems)} problem(s); reports in {REPORTS}")
    log(f"all pages: 100 in {', '.join(CATEGORIES)}; no vnu errors. Reports in {REPORTS}")


if __name__ == "__main__":
    main()
