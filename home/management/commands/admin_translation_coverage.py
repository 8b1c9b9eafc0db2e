"""Measure how much of the admin an editor reads in Vietnamese, source by source.

The sources and the scope of each are described in home/admin_i18n/coverage.py and
docs/ADMIN_TRANSLATION.md: Django's own catalogues (what the admin shows), Wagtail's apps,
the other installed apps, the project's apps and templates, and text written into templates or
scripts without gettext (listed on its own). Two figures per row: "without project" (the upstream
catalogues alone) and "with project" (the catalogue actually served).

It also checks that every msgid of the project's own vi catalogues has a msgstr; --check exits
non-zero if one is missing.

    manage.py admin_translation_coverage            # both figures, per row, source and total
    manage.py admin_translation_coverage --before   # the upstream catalogues alone
    manage.py admin_translation_coverage --check    # fail on untranslated project strings
    manage.py admin_translation_coverage --json     # machine-readable, used by the tests
    manage.py admin_translation_coverage --missing  # list what is still untranslated
"""

import json

from django.core.management.base import BaseCommand, CommandError

from home.admin_i18n.coverage import check_catalogues, measure, total
from home.admin_i18n.po import parse_po

__all__ = ["Command", "coverage_report", "parse_po"]  # parse_po: for older imports

TITLES = {
    "django": "Django (forms, validation, dates, auth; what the admin shows)",
    "wagtail": "Wagtail",
    "apps": "Other installed apps",
    "project": "The project's apps and templates",
    "literals": "Text outside gettext, in templates and scripts (translated by overriding)",
}


def coverage_report():
    """{"sources": {source: {"rows": [...], "total": {...}}}, "total": {...}} as plain data."""
    measured = measure()
    sources = {
        source: {"rows": [row.as_dict() for row in rows], "total": total(rows, source)}
        for source, rows in measured.items()
    }
    every_row = [row for rows in measured.values() for row in rows]
    return {"sources": sources, "total": total(every_row)}


class Command(BaseCommand):
    help = (
        "Measure the Vietnamese coverage of every string an editor reads in the admin "
        "and check the project's vi catalogues."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            action="store_true",
            help="Only the figure for the upstream catalogues, without the project's.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit non-zero if a string of the project's vi catalogues is untranslated.",
        )
        parser.add_argument("--json", action="store_true", help="Print the measurements as JSON.")
        parser.add_argument(
            "--missing", action="store_true", help="List what is still untranslated at runtime."
        )

    def handle(self, *args, before=False, check=False, json=False, missing=False, **options):
        coverage = coverage_report()
        catalogues = check_catalogues()
        untranslated = sum(len(item["untranslated"]) for item in catalogues)

        if json:
            self.stdout.write(_dumps(coverage | {"project_catalogues": catalogues}))
        else:
            self._report(coverage, catalogues, before)
            if missing:
                self.stdout.write("")
                self.stdout.write("Untranslated at runtime:")
                for source in coverage["sources"].values():
                    for row in source["rows"]:
                        for msgid in row["missing"]:
                            self.stdout.write(f"  {row['app']}: {msgid!r}")

        if check and untranslated:
            raise CommandError(
                f"{untranslated} string(s) of the project's vi catalogues are untranslated."
            )

    def _report(self, coverage, catalogues, before):
        def figure(row, key):
            return f"{row[key]:>4}/{row['total']:<4} {row[f'{key}_percent']:5.1f}%"

        every = [row for s in coverage["sources"].values() for row in [*s["rows"], s["total"]]]
        width = max(len(row["app"]) for row in every) + 2
        header = f"{'':<{width}}{'without project':<18}"
        self.stdout.write("Vietnamese coverage of what an editor reads in the admin")
        self.stdout.write(header.rstrip() if before else header + "with project catalogues")

        def line(row):
            text = f"{row['app']:<{width}}{figure(row, 'without_project'):<18}"
            self.stdout.write((text if before else text + figure(row, "with_project")).rstrip())

        for source, data in coverage["sources"].items():
            self.stdout.write("")
            self.stdout.write(f"{TITLES[source]}:")
            for row in data["rows"]:
                line(row)
            line(data["total"] | {"app": f"{source} (all)"})
        self.stdout.write("")
        line(coverage["total"])
        if before:
            return

        literals = coverage["sources"]["literals"]["rows"]
        self.stdout.write("")
        self.stdout.write("Text outside gettext (file: texts found, still shown untranslated):")
        for row in literals:
            self.stdout.write(f"  {row['app']}: {row['total']} found, {len(row['missing'])} shown")
            for text in row["missing"]:
                self.stdout.write(f"      {text}")

        self.stdout.write("")
        self.stdout.write("Project vi catalogues (every msgid needs a msgstr):")
        for item in catalogues:
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
