"""Measure how much of the Wagtail admin an editor sees in Vietnamese.

For every installed Wagtail app (INSTALLED_APPS starting with "wagtail") the msgids of its
English source catalogue (<app>/locale/en/LC_MESSAGES/django.po) are looked up in the "vi"
catalogue Django really uses at runtime: Django's own, every installed app's, and this
project's LOCALE_PATHS (locale/ and locale/wagtail/, the supplement for Wagtail's strings).

Two figures per app:
  * "Wagtail only": the same runtime catalogue built without this project's catalogues
    (no LOCALE_PATHS, no project apps' locale/), i.e. what Wagtail's vi catalogue gives alone;
  * "with project": the catalogue actually served (trans_real.translation("vi")).
The admin's JavaScript strings (djangojs domain of wagtail.admin, served by its jsi18n view) are
reported on their own line, outside the total.

It also checks that every msgid of the project's own vi catalogues (LOCALE_PATHS and any project
app's <app>/locale/vi/LC_MESSAGES/*.po) has a msgstr; --check exits non-zero if one is missing.

    manage.py admin_translation_coverage            # both figures, per app and total
    manage.py admin_translation_coverage --before   # Wagtail's vi catalogue alone
    manage.py admin_translation_coverage --check    # fail on untranslated project strings
    manage.py admin_translation_coverage --json     # machine-readable, used by the tests
    manage.py admin_translation_coverage --missing  # list what is still untranslated
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import trans_real

LANGUAGE = "vi"
CONTEXT_SEPARATOR = "\x04"  # how gettext stores msgctxt + msgid as one catalogue key
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


# --- a small .po parser --------------------------------------------------------------------------


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    # "msgstr" is stored as {0: ...}, "msgstr[n]" as {n: ...}
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self):
        """The key gettext uses in a compiled catalogue (context joined with \\x04)."""
        return (
            f"{self.msgctxt}{CONTEXT_SEPARATOR}{self.msgid}"
            if self.msgctxt is not None
            else self.msgid
        )

    @property
    def translated(self):
        """True when the entry would reach a compiled .mo: not fuzzy, every msgstr form filled."""
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text, path, lineno):
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{path}:{lineno}: expected a quoted string, got {text!r}")
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def parse_po(path):
    """Entries of a .po file: multi-line strings, msgctxt, msgid_plural and msgstr[n] handled;
    the header (empty msgid) and obsolete "#~" entries are skipped."""
    entries, entry, target = [], None, None

    def finish():
        if entry is not None and entry.msgid != "":
            entries.append(entry)

    for lineno, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            entry, target = None, None
            continue
        if line.startswith("#"):
            if line.startswith("#~"):  # obsolete entry
                continue
            # A comment after an entry's strings starts the next entry.
            if entry is not None and target is not None:
                finish()
                entry, target = None, None
            if line.startswith("#,"):
                entry = entry or PoEntry(line=lineno)
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith('"'):
            if entry is None or target is None:
                raise ValueError(f"{path}:{lineno}: continuation line outside an entry")
            kind, index = target
            value = _unquote(line, path, lineno)
            if kind == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, kind, (getattr(entry, kind) or "") + value)
            continue
        keyword, _, rest = line.partition(" ")
        after_msgstr = entry is not None and target is not None and target[0] == "msgstr"
        if keyword in ("msgctxt", "msgid") and after_msgstr:
            finish()  # entries not separated by a blank line
            entry = None
        entry = entry or PoEntry(line=lineno)
        value = _unquote(rest, path, lineno)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, value)
            if keyword == "msgid":
                entry.line = lineno
            target = (keyword, None)
        elif keyword == "msgstr":
            entry.msgstr[0] = value
            target = ("msgstr", 0)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[7:-1])
            entry.msgstr[index] = value
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}:{lineno}: unexpected line {raw!r}")
    finish()
    return entries


# --- catalogues ----------------------------------------------------------------------------------


def _is_project_path(path):
    """True for code living in this project (not in a virtualenv's site-packages)."""
    path = Path(path).resolve()
    try:
        relative = path.relative_to(Path(settings.BASE_DIR).resolve())
    except ValueError:
        return False
    vendored = ("site-packages", "dist-packages")
    return not any(part.startswith(".") or part in vendored for part in relative.parts)


class _WithoutProjectCatalogues(trans_real.DjangoTranslation):
    """The runtime catalogue minus this project's: no LOCALE_PATHS, no project apps' locale/."""

    def _add_installed_apps_translations(self):
        for app_config in reversed(apps.get_app_configs()):
            localedir = os.path.join(app_config.path, "locale")
            if os.path.exists(localedir) and not _is_project_path(app_config.path):
                self.merge(self._new_gnu_trans(localedir))

    def _add_local_translations(self):
        pass


class _JsWithoutProjectCatalogues(trans_real.DjangoTranslation):
    def _add_local_translations(self):
        pass


def runtime_catalogue(domain="django", js_packages=()):
    """The catalogue Django serves for Vietnamese (what gettext / the jsi18n view use)."""
    if domain == "django":
        return trans_real.translation(LANGUAGE)._catalog
    return trans_real.DjangoTranslation(
        LANGUAGE, domain=domain, localedirs=_js_localedirs(js_packages)
    )._catalog


def wagtail_only_catalogue(domain="django", js_packages=()):
    if domain == "django":
        return _WithoutProjectCatalogues(LANGUAGE)._catalog
    return _JsWithoutProjectCatalogues(
        LANGUAGE, domain=domain, localedirs=_js_localedirs(js_packages)
    )._catalog


def _js_localedirs(packages):
    # As django.views.i18n.JavaScriptCatalog(packages=[...]) does: each package's locale/.
    by_name = {app.name: app for app in apps.get_app_configs()}
    return [os.path.join(by_name[name].path, "locale") for name in packages]


def is_translated(entry, catalogue):
    if entry.msgid_plural is not None:
        return (entry.key, 0) in catalogue
    return entry.key in catalogue


# --- measuring -----------------------------------------------------------------------------------


def wagtail_apps():
    return [app for app in apps.get_app_configs() if app.name.startswith("wagtail")]


def _row(label, entries, before, after):
    total = len(entries)
    translated_before = sum(is_translated(e, before) for e in entries)
    translated_after = sum(is_translated(e, after) for e in entries)
    return {
        "app": label,
        "total": total,
        "wagtail_only": translated_before,
        "with_project": translated_after,
        "wagtail_only_percent": round(100 * translated_before / total, 1) if total else 0.0,
        "with_project_percent": round(100 * translated_after / total, 1) if total else 0.0,
        "missing": [e.msgid for e in entries if not is_translated(e, after)],
    }


def measure_wagtail():
    before, after = wagtail_only_catalogue(), runtime_catalogue()
    rows, without_catalogue = [], []
    for app in wagtail_apps():
        source = Path(app.path) / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if not source.exists():
            without_catalogue.append(app.name)
            continue
        rows.append(_row(app.name, parse_po(source), before, after))
    total = {"app": "TOTAL"}
    for key in ("total", "wagtail_only", "with_project"):
        total[key] = sum(row[key] for row in rows)
    total["missing"] = [msgid for row in rows for msgid in row["missing"]]
    for key in ("wagtail_only", "with_project"):
        total[f"{key}_percent"] = (
            round(100 * total[key] / total["total"], 1) if total["total"] else 0.0
        )

    js_rows = []
    for app in wagtail_apps():
        source = Path(app.path) / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"
        if source.exists():
            packages = [app.name]
            js_rows.append(
                _row(
                    f"{app.name} (JavaScript)",
                    parse_po(source),
                    wagtail_only_catalogue("djangojs", packages),
                    runtime_catalogue("djangojs", packages),
                )
            )
    return {"apps": rows, "total": total, "javascript": js_rows, "no_catalogue": without_catalogue}


def project_catalogues():
    """The project's own vi catalogues: LOCALE_PATHS and each project app's locale/vi."""
    found = []
    for localedir in settings.LOCALE_PATHS:
        found += sorted((Path(localedir) / LANGUAGE / "LC_MESSAGES").glob("*.po"))
    base = Path(settings.BASE_DIR)
    found += sorted(base.glob(f"*/locale/{LANGUAGE}/LC_MESSAGES/*.po"))
    for app in apps.get_app_configs():
        if _is_project_path(app.path):
            found += sorted((Path(app.path) / "locale" / LANGUAGE / "LC_MESSAGES").glob("*.po"))
    unique = []
    for path in found:  # LOCALE_PATHS are the project's by definition, wherever they live
        path = path.resolve()
        if path not in unique:
            unique.append(path)
    return unique


def measure_project():
    base = Path(settings.BASE_DIR).resolve()
    results = []
    for path in project_catalogues():
        entries = parse_po(path)
        untranslated = [e for e in entries if not e.translated]
        mo = path.with_suffix(".mo")
        results.append(
            {
                "catalogue": str(path.relative_to(base))
                if path.is_relative_to(base)
                else str(path),
                "total": len(entries),
                "translated": len(entries) - len(untranslated),
                "untranslated": [
                    f"line {e.line}: {e.msgid!r}" + (" (fuzzy)" if "fuzzy" in e.flags else "")
                    for e in untranslated
                ],
                "compiled": mo.exists() and mo.stat().st_mtime >= path.stat().st_mtime,
            }
        )
    return results


# --- the command ---------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Measure the Vietnamese coverage of the Wagtail admin "
        "and check the project's vi catalogues."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            action="store_true",
            help="Only the figure for Wagtail's own vi catalogue, without the project's.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit non-zero if a string of the project's vi catalogues is untranslated.",
        )
        parser.add_argument("--json", action="store_true", help="Print the measurements as JSON.")
        parser.add_argument(
            "--missing",
            action="store_true",
            help="List the Wagtail msgids still untranslated at runtime.",
        )

    def handle(self, *args, before=False, check=False, json=False, missing=False, **options):
        wagtail = measure_wagtail()
        project = measure_project()
        untranslated = sum(len(item["untranslated"]) for item in project)

        if json:
            self.stdout.write(_dumps({"wagtail": wagtail, "project": project}))
        else:
            self._report(wagtail, project, before)
            if missing:
                self.stdout.write("")
                self.stdout.write("Untranslated at runtime:")
                for row in wagtail["apps"] + wagtail["javascript"]:
                    for msgid in row["missing"]:
                        self.stdout.write(f"  {row['app']}: {msgid!r}")

        if check and untranslated:
            raise CommandError(
                f"{untranslated} string(s) of the project's vi catalogues are untranslated."
            )

    def _report(self, wagtail, project, before):
        def figure(row, key):
            return f"{row[key]:>4}/{row['total']:<4} {row[f'{key}_percent']:5.1f}%"

        rows = wagtail["apps"] + [wagtail["total"]] + wagtail["javascript"]
        width = max(len(row["app"]) for row in rows) + 2
        self.stdout.write(
            "Vietnamese coverage of the Wagtail admin (msgids of each app's English catalogue)"
        )
        header = f"{'app':<{width}}{'Wagtail only':<18}"
        self.stdout.write(header.rstrip() if before else header + "with project catalogues")
        for row in rows:
            line = f"{row['app']:<{width}}{figure(row, 'wagtail_only'):<18}"
            self.stdout.write((line if before else line + figure(row, "with_project")).rstrip())
        if wagtail["no_catalogue"]:
            self.stdout.write("No English catalogue: " + ", ".join(wagtail["no_catalogue"]))
        if before:
            return

        self.stdout.write("")
        self.stdout.write("Project vi catalogues (every msgid needs a msgstr):")
        for item in project:
            missing = len(item["untranslated"])
            status = f"{missing} untranslated" if missing else "ok"
            counts = f"{item['translated']}/{item['total']} translated"
            self.stdout.write(f"  {item['catalogue']}: {counts}, {status}")
            for message in item["untranslated"][:20]:
                self.stdout.write(f"      {message}")
            if not item["compiled"]:
                self.stderr.write(
                    f"  warning: {item['catalogue']} is not compiled (or its .mo is older); "
                    "run `manage.py compilemessages` before trusting the runtime figures."
                )


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2)
