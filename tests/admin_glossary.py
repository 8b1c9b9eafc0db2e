"""The glossary of admin terms (the "Terms" table of docs/ADMIN_TRANSLATION.md), for the tests."""

import re
from pathlib import Path

from django.conf import settings

GLOSSARY = Path(settings.BASE_DIR) / "docs" / "ADMIN_TRANSLATION.md"


def glossary():
    """English term -> Vietnamese, from the "Terms" table (rows like "a / b | x / y")."""
    terms = {}
    table = GLOSSARY.read_text(encoding="utf-8").split("## Terms", 1)[1]
    for row in re.findall(r"^\| (.+?) \| (.+?) \|$", table, re.M):
        english, vietnamese = (cell.split(" / ") for cell in row)
        if len(english) == len(vietnamese) and row[0] != "English":
            terms.update(zip(english, vietnamese, strict=True))
    return terms
