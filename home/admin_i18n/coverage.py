"""Every string an editor can read in the admin, and whether it reads in Vietnamese.

Five sources, each a list of rows (one per app, catalogue or file):

* ``django``: Django's own catalogues, limited to what the admin shows an editor
  (``DJANGO_SCOPE``): form and model validation, dates and relative times, file sizes, the
  CSRF failure page, the names of the site's languages, and django.contrib.auth / contenttypes
  outside Django's own admin (which is not installed).
* ``wagtail``: the English catalogue of every installed Wagtail app, both domains.
* ``apps``: other installed apps (wagtail-modeltranslation, modeltranslation, taggit, axes, …):
  their messages read from the source, as makemessages would, since most ship no English
  catalogue; files only Django's admin uses are left out, and so are apps in ``NOT_SHOWN``.
* ``project``: the messages of the project's apps and templates, read from the source, so a new
  string missing from the project's .po files counts as untranslated.
* ``literals``: text written into a template or a script without gettext. Each file an editor can
  be served counts its texts; a project file overriding it (templates/ or static/) translates
  them, and what the file actually served still shows counts as missing.

A message counts as translated when the catalogue Django serves for "vi" has it: the
``django`` domain's catalogue for everything on the server, the admin's JavaScript catalogue
(``wagtailadmin_javascript_catalog``, which includes ``LOCALE_PATHS``) for scripts.
"Without project" is the same catalogue built without this project's catalogues.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import engines
from django.utils.translation import trans_real

from .extract import extract_messages, script_literals, template_literals
from .po import parse_po

LANGUAGE = "vi"
DJANGO_DIR = Path(trans_real.__file__).resolve().parents[2]

# Django's catalogues: which of the files a msgid is used in (its "#:" references) reach an editor.
DJANGO_SCOPE = {
    "django": (
        DJANGO_DIR / "conf" / "locale",
        (
            "forms/",  # form fields, widgets, formsets: every validation message
            "core/validators.py",
            "core/paginator.py",
            "db/models/",  # model validation when a page or snippet is saved
            "utils/dates.py",  # month and weekday names in dates
            "utils/dateformat.py",
            "utils/timesince.py",  # "4 minutes" in "4 minutes ago"
            "utils/text.py",
            "utils/ipv6.py",
            "template/defaultfilters.py",  # file sizes, yes/no
            "views/csrf.py",  # the page an editor meets when a form outlives the session
        ),
    ),
    "django.contrib.auth": (
        DJANGO_DIR / "contrib" / "auth" / "locale",
        (
            "contrib/auth/forms.py",  # login, password reset and change
            "contrib/auth/password_validation.py",
            "contrib/auth/validators.py",
            "contrib/auth/models.py",  # user, group and permission fields
            "contrib/auth/base_user.py",
            "contrib/auth/views.py",
            "contrib/auth/templates/",
        ),
    ),
    "django.contrib.contenttypes": (
        DJANGO_DIR / "contrib" / "contenttypes" / "locale",
        ("contrib/contenttypes/models.py",),
    ),
}
# Other installed apps an editor never reads in the admin.
NOT_SHOWN = {
    "ninja": "serves the content API and its documentation page, not the admin",
    "corsheaders": "HTTP headers only",
    "csp": "HTTP headers only",
}
# Files of other apps whose strings an editor never reads: Django's admin, which is not installed,
# is the only place that shows them.
NOT_SHOWN_FILES = {"axes": ("models.py",)}
# Files of an app that an editor never sees.
_SKIPPED_PARTS = {"tests", "migrations", "management", "__pycache__"}
_ADMIN_ONLY = re.compile(
    r"(^|/)admin\.py$|(^|/)templates/admin/"
)  # Django's admin is not installed
# Templates no installed view renders.
UNUSED_TEMPLATES = {
    "wagtailsearch/search_results.html": "the front-end search view it belonged to is gone",
}
SOURCES = ("django", "wagtail", "apps", "project", "literals")


@dataclass
class Row:
    """One app, catalogue or file: the msgids (or texts) an editor can read there."""

    source: str
    name: str
    domain: str
    keys: list = field(default_factory=list)  # catalogue keys: msgid, (msgid, 0), "ctx\x04msgid"
    labels: list = field(default_factory=list)  # how each one reads in a report
    translated_without_project: int = 0
    missing: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.keys)

    def as_dict(self):
        translated = self.total - len(self.missing)
        return {
            "source": self.source,
            "app": self.name,
            "domain": self.domain,
            "total": self.total,
            "without_project": self.translated_without_project,
            "with_project": translated,
            "without_project_percent": _percent(self.translated_without_project, self.total),
            "with_project_percent": _percent(translated, self.total),
            "missing": self.missing,
        }


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else 100.0


def _key(entry):
    return (entry.key, 0) if entry.msgid_plural is not None else entry.key


def _message_row(source, name, domain, entries, catalogues):
    before, after = catalogues[domain]
    keys, labels = [], []
    for entry in entries:
        if _key(entry) not in keys:
            keys.append(_key(entry))
            labels.append(entry.msgid)
    return Row(
        source,
        name,
        domain,
        keys,
        labels,
        translated_without_project=sum(key in before for key in keys),
        missing=[label for key, label in zip(keys, labels, strict=True) if key not in after],
    )


# --- catalogues ----------------------------------------------------------------------------------


def is_project_path(path):
    """True for code living in this project (not in a virtualenv's site-packages)."""
    try:
        relative = Path(path).resolve().relative_to(Path(settings.BASE_DIR).resolve())
    except ValueError:
        return False
    vendored = ("site-packages", "dist-packages")
    return not any(part.startswith(".") or part in vendored for part in relative.parts)


class _WithoutProjectCatalogues(trans_real.DjangoTranslation):
    """The runtime catalogue minus this project's: no LOCALE_PATHS, no project apps' locale/."""

    def _add_installed_apps_translations(self):
        for app_config in reversed(apps.get_app_configs()):
            localedir = os.path.join(app_config.path, "locale")
            if os.path.exists(localedir) and not is_project_path(app_config.path):
                self.merge(self._new_gnu_trans(localedir))

    def _add_local_translations(self):
        pass


class _ScriptsWithoutProjectCatalogues(trans_real.DjangoTranslation):
    def _add_local_translations(self):
        pass


def _admin_script_localedirs():
    # As the admin's JavaScriptCatalog(packages=["wagtail.admin"]) does.
    return [os.path.join(apps.get_app_config("wagtailadmin").path, "locale")]


def catalogues():
    """{domain: (catalogue without the project's, catalogue served)} for Vietnamese."""
    localedirs = _admin_script_localedirs()
    return {
        "django": (
            _WithoutProjectCatalogues(LANGUAGE)._catalog,
            trans_real.translation(LANGUAGE)._catalog,
        ),
        "djangojs": (
            _ScriptsWithoutProjectCatalogues(
                LANGUAGE, domain="djangojs", localedirs=localedirs
            )._catalog,
            trans_real.DjangoTranslation(
                LANGUAGE, domain="djangojs", localedirs=localedirs
            )._catalog,
        ),
    }


# --- the sources ---------------------------------------------------------------------------------


def django_rows(found):
    rows = []
    for name, (localedir, scope) in DJANGO_SCOPE.items():
        source = Path(localedir) / "en" / "LC_MESSAGES" / "django.po"
        if name != "django" and not apps.is_installed(name):
            continue
        entries = [
            entry
            for entry in parse_po(source)
            if any(ref.startswith(scope) for ref in entry.references)
        ]
        if name == "django":
            entries += _site_language_names(source)
        rows.append(_message_row("django", name, "django", entries, found))
    return rows


def _site_language_names(source):
    names = {str(name) for _code, name in settings.LANGUAGES}
    with_english_names = {
        entry.msgid: entry
        for entry in parse_po(source)
        if "conf/global_settings.py" in entry.references
    }
    return [with_english_names[name] for name in sorted(names) if name in with_english_names]


def wagtail_apps():
    return [
        app
        for app in apps.get_app_configs()
        if app.name.startswith("wagtail.") or app.name == "wagtail"
    ]


def wagtail_rows(found):
    rows = []
    for domain in ("django", "djangojs"):
        for app in wagtail_apps():
            source = Path(app.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
            if source.exists():
                label = app.name if domain == "django" else f"{app.name} (JavaScript)"
                rows.append(_message_row("wagtail", label, domain, parse_po(source), found))
    return rows


def _is_django_or_wagtail(app):
    return (
        app.name == "django"
        or app.name.startswith(("django.", "wagtail."))
        or app.name == "wagtail"
    )


def _shown_files(root, relative_to):
    """An app's .py, template and script files that can reach an editor."""
    for path in sorted(Path(root).rglob("*")):
        parts = path.relative_to(relative_to).parts
        if not path.is_file() or _SKIPPED_PARTS & set(parts):
            continue
        relative = "/".join(parts)
        if _ADMIN_ONLY.search(relative) or _is_vendored_script(relative):
            continue
        if path.suffix in (".py", ".html", ".txt", ".js"):
            yield path


def _is_vendored_script(relative):
    return relative.endswith(".js") and (".min." in relative or "/vendor/" in relative)


def _messages_rows(source, name, files, found):
    files = list(files)
    rows = []
    for domain, suffixes in (("django", (".py", ".html", ".txt")), ("djangojs", (".js",))):
        chosen = [path for path in files if path.suffix in suffixes]
        entries = extract_messages(chosen, domain)
        if entries:
            label = name if domain == "django" else f"{name} (JavaScript)"
            rows.append(_message_row(source, label, domain, entries, found))
    return rows


def other_app_rows(found):
    rows, roots = [], set()
    for app in apps.get_app_configs():
        if _is_django_or_wagtail(app) or is_project_path(app.path) or app.name in NOT_SHOWN:
            continue
        root = Path(app.path).resolve()
        if any(root.is_relative_to(seen) for seen in roots):
            continue  # a sub-app (wagtail_modeltranslation.migrate) counted with its package
        roots.add(root)
        skipped = {root / name for name in NOT_SHOWN_FILES.get(app.name, ())}
        files = [path for path in _shown_files(root, root.parent) if path not in skipped]
        rows += _messages_rows("apps", app.name, files, found)
    return rows


def project_roots():
    """The project's apps (a sub-app within its package's) and template directories."""
    roots = []
    for app in apps.get_app_configs():
        if is_project_path(app.path):
            roots.append((app.name, Path(app.path).resolve()))
    for engine in settings.TEMPLATES:
        for directory in engine.get("DIRS", []):
            roots.append(("templates", Path(directory).resolve()))
    return [
        (name, root)
        for name, root in roots
        if not any(root != other and root.is_relative_to(other) for _name, other in roots)
    ]


def project_rows(found):
    rows = []
    for name, root in project_roots():
        rows += _messages_rows("project", name, _shown_files(root, root), found)
    return rows


# --- text outside gettext ------------------------------------------------------------------------


def _template_dirs():
    """(owner, directory) of every template an editor can be served, in lookup order."""
    dirs = []
    for engine in settings.TEMPLATES:
        dirs += [("templates", Path(directory)) for directory in engine.get("DIRS", [])]
    for app in apps.get_app_configs():
        if app.name not in NOT_SHOWN:
            dirs.append((app.name, Path(app.path) / "templates"))
    return [(owner, directory) for owner, directory in dirs if directory.is_dir()]


def _served_template(name):
    engine = engines["django"].engine
    for loader in engine.template_loaders:
        for origin in loader.get_template_sources(name):
            if os.path.exists(origin.name):
                return Path(origin.name)
    return None


def _static_dirs():
    dirs = [("static", Path(directory)) for directory in settings.STATICFILES_DIRS]
    for app in apps.get_app_configs():
        # Wagtail's and Django's scripts are built bundles whose gettext calls are renamed on
        # minifying; their strings are counted through their JavaScript catalogues instead.
        if not _is_django_or_wagtail(app) and app.name not in NOT_SHOWN:
            dirs.append((app.name, Path(app.path) / "static"))
    return [(owner, directory) for owner, directory in dirs if directory.is_dir()]


def _literal_row(name, original, served, find):
    texts = [text for _line, text in find(original.read_text(encoding="utf-8"))]
    if not texts:
        return None
    remaining = find(served.read_text(encoding="utf-8")) if served else []
    overridden = served is not None and served != original and is_project_path(served)
    return Row(
        "literals",
        f"{name} (overridden)" if overridden else name,
        "template" if find is template_literals else "script",
        keys=texts,
        labels=texts,
        missing=[f"line {line}: {text}" for line, text in remaining],
    )


def _originals(dirs, pattern):
    """{name: file} for every file under these directories; the app's file, not the project's
    override, is the original of a name both ship."""
    originals = {}
    for _owner, directory in dirs:
        for path in sorted(directory.rglob(pattern)):
            name = path.relative_to(directory).as_posix()
            if name not in originals or is_project_path(originals[name]):
                originals[name] = path
    return originals


def literal_rows():
    rows = []
    django_admin = apps.is_installed("django.contrib.admin")
    for name, path in sorted(_originals(_template_dirs(), "*.html").items()):
        if name in UNUSED_TEMPLATES or (name.startswith("admin/") and not django_admin):
            continue
        row = _literal_row(name, path, _served_template(name), template_literals)
        rows += [row] if row else []
    for name, path in sorted(_originals(_static_dirs(), "*.js").items()):
        if _is_vendored_script(name):
            continue
        served = finders.find(name)
        row = _literal_row(name, path, Path(served) if served else None, script_literals)
        rows += [row] if row else []
    return rows


# --- measuring -----------------------------------------------------------------------------------


def measure():
    """{source: [Row, …]} for every source an editor reads."""
    found = catalogues()
    return {
        "django": django_rows(found),
        "wagtail": wagtail_rows(found),
        "apps": other_app_rows(found),
        "project": project_rows(found),
        "literals": literal_rows(),
    }


def total(rows, label="TOTAL"):
    """The figures of several rows added up, as Row.as_dict() gives them."""
    dicts = [row.as_dict() for row in rows]
    summed = {"source": "", "app": label, "domain": ""}
    for key in ("total", "without_project", "with_project"):
        summed[key] = sum(data[key] for data in dicts)
    for key in ("without_project", "with_project"):
        summed[f"{key}_percent"] = _percent(summed[key], summed["total"])
    summed["missing"] = [msgid for data in dicts for msgid in data["missing"]]
    return summed


def project_catalogues():
    """The project's own vi catalogues: LOCALE_PATHS and each project app's locale/vi."""
    found = []
    for localedir in settings.LOCALE_PATHS:
        found += sorted((Path(localedir) / LANGUAGE / "LC_MESSAGES").glob("*.po"))
    for app in apps.get_app_configs():
        if is_project_path(app.path):
            found += sorted((Path(app.path) / "locale" / LANGUAGE / "LC_MESSAGES").glob("*.po"))
    unique = []
    for path in found:  # LOCALE_PATHS are the project's by definition, wherever they live
        if path.resolve() not in unique:
            unique.append(path.resolve())
    return unique


def check_catalogues():
    """Each project catalogue: how many entries, which untranslated, and whether it is compiled."""
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
