"""What the Lighthouse / Nu HTML Checker gate (`make audit`, tests/browser/audit.py) relies on."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/vi/lieu-phap/", "/en/articles/"])
def test_index_pages_do_not_skip_a_heading_level(client, article, url):
    html = client.get(url).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels[0] == 1 and len(levels) > 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


@pytest.mark.django_db
def test_home_cards_stay_below_their_section_heading(client, article):
    html = client.get("/vi/").content.decode()
    assert re.search(r'<li class="card"><h3><a href="/vi/lieu-phap/prp/">', html)


def test_audit_tools_are_pinned_and_run_once_per_ci_run():
    package = json.loads((BASE_DIR / "tests/browser/package.json").read_text())["dependencies"]
    assert package["lighthouse"].startswith("12.") and package["vnu-jar"]
    lock = json.loads((BASE_DIR / "tests/browser/package-lock.json").read_text())["packages"]
    assert lock["node_modules/lighthouse"]["version"] == package["lighthouse"]
    assert lock["node_modules/vnu-jar"]["version"] == package["vnu-jar"]
    ci = (BASE_DIR / ".ci/run").read_text()
    commands = [line for line in ci.splitlines() if not line.lstrip().startswith(("#", "echo"))]
    assert sum(re.findall(r"\bmake audit\b", line) != [] for line in commands) == 1
    dry = subprocess.run(
        ["make", "-n", "audit"], cwd=BASE_DIR, capture_output=True, text=True, timeout=60
    )
    assert "tests/browser/audit.py" in dry.stdout
