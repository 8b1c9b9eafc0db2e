"""The medical glossary: find its terms in English segments, flag translations that skip them.

Matching is the red-flag matcher's (``editorial.claims``): case, diacritics, look-alike
letters and whitespace are folded the same way, and only whole words match, so
"prp" finds "PRP" but nothing is found inside "PRPX". An English term also matches its
plural ("exosome" finds "exosomes"). A translation uses a term when it contains the
approved Vietnamese on whole words, folded alike ("huyet tuong" counts for "huyết
tương"); a term kept as is must appear itself.

Everything here is pure except ``load_glossary`` (one query) and ``term_errors`` (one
query for duplicates); a view loads the glossary once per request.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from django.db import transaction
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from editorial.claims import ClaimMatcher, Phrase, fold

from . import inline

# English plurals an English term also matches in the source ("exosome" → "exosomes").
PLURAL_ENDINGS = ("", "s", "es")


def term_key(english):
    """One key per term however it is cased, accented or spaced."""
    return fold(english)


def _forms(english):
    return [english + ending for ending in PLURAL_ENDINGS] if english[-1:].isalpha() else [english]


@dataclass(frozen=True)
class GlossaryTerm:
    """What matching needs of a term (a ``Term`` row, or a row of an imported file)."""

    english: str
    vietnamese: str = ""
    keep_as_is: bool = False
    note: str = ""

    @property
    def approved(self):
        return self.english if self.keep_as_is else self.vietnamese


class Glossary:
    """Compiled terms: one pattern for the source, one small pattern per approved term."""

    def __init__(self, terms):
        self.terms = [term for term in terms if term_key(term.english)]
        self._by_phrase = {}
        for term in self.terms:
            for phrase in _forms(term.english):
                self._by_phrase.setdefault(term_key(phrase), term)
        self._source = ClaimMatcher(
            tuple(Phrase(phrase, "en") for term in self.terms for phrase in _forms(term.english))
        )
        self._usage = {}

    def __bool__(self):
        return bool(self.terms)

    def find(self, text):
        """``(term, start, end)`` for each term found in ``text`` (indexes into ``text``)."""
        return [
            (self._by_phrase[term_key(phrase)], start, end)
            for phrase, start, end in self._source.find(text, "en")
        ]

    def uses(self, text, term):
        """True when ``text`` contains the term's approved translation on whole words."""
        approved = term.approved
        if not approved:
            return True  # nothing approved yet: nothing to flag
        if approved not in self._usage:
            phrases = _forms(approved) if term.keep_as_is else [approved]
            self._usage[approved] = ClaimMatcher(tuple(Phrase(p, "vi") for p in phrases))
        return bool(self._usage[approved].find(text, "vi"))

    def check(self, segment, target):
        """The glossary's view of one segment: its terms, highlighted source, flagged terms."""
        return SegmentGlossary(self, segment, target)


def reader_text(segment_or_text, rich=False):
    """A segment's text without its inline codes (``{1}PRP{/1}`` reads "PRP")."""
    text = getattr(segment_or_text, "text", segment_or_text)
    rich = getattr(segment_or_text, "rich", rich)
    if not rich:
        return text or ""
    return "".join(value for kind, value in inline.tokens(text) if kind == "text")


@dataclass
class SegmentGlossary:
    """The glossary terms of one segment and whether its target uses them."""

    glossary: Glossary
    segment: object
    target: str
    terms: list = field(init=False)
    flags: list = field(init=False)

    def __post_init__(self):
        seen, self.terms = set(), []
        for term, _start, _end in self.glossary.find(reader_text(self.segment)):
            if term.english not in seen:
                seen.add(term.english)
                self.terms.append(term)
        target = reader_text(self.target, self.segment.rich) if self.target else ""
        self.flags = [
            term for term in self.terms if target.strip() and not self.glossary.uses(target, term)
        ]

    @cached_property
    def source_html(self):
        """The source as shown, each term in a ``<mark>`` titled with its approved translation."""
        if self.segment.rich:
            return mark_safe(
                inline.display_html(self.segment.text, self.segment.codes, self._highlight)
            )
        return self._highlight(self.segment.text)

    def _highlight(self, text):
        out, last = [], 0
        for term, start, end in self.glossary.find(text):
            out.append(escape(text[last:start]))
            out.append(
                format_html(
                    '<mark class="translate-term" title="{}">{}</mark>',
                    term_title(term),
                    text[start:end],
                )
            )
            last = end
        out.append(escape(text[last:]))
        return mark_safe("".join(out))


def term_title(term):
    if term.keep_as_is:
        return gettext("Keep as is: %(term)s") % {"term": term.english}
    return gettext("Approved: %(term)s") % {"term": term.vietnamese}


def load_glossary():
    """The glossary as it is now, in one query; load it once per request."""
    from .models import Term

    return Glossary(list(Term.objects.all()))


def annotate(rows, glossary):
    """Attach ``row.glossary`` to each workspace row; returns the number of flagged terms."""
    flags = 0
    for row in rows:
        row.glossary = glossary.check(row.segment, row.target) if glossary else None
        if row.glossary:
            flags += len(row.glossary.flags)
    return flags


# -- validation ------------------------------------------------------------------------------


def term_errors(term, taken=None):
    """``{field: [message]}`` of a term; ``taken`` maps keys already used to their terms
    (default: the saved terms other than this one, one query)."""
    errors = {}
    english, vietnamese = (term.english or "").strip(), (term.vietnamese or "").strip()
    key = term_key(english)
    if not key:
        errors["english"] = [gettext("Type the English term.")]
    else:
        if taken is None:
            from .models import Term

            same = Term.objects.filter(key=key).exclude(pk=getattr(term, "pk", None)).first()
            taken = {key: same.english} if same else {}
        if key in taken:
            errors["english"] = [
                gettext("“%(term)s” is already in the glossary as “%(existing)s”.")
                % {"term": english, "existing": taken[key]}
            ]
    if not term.keep_as_is and not vietnamese:
        errors["vietnamese"] = [
            gettext("Type the approved Vietnamese term, or tick “keep as is” for a name.")
        ]
    elif term.keep_as_is and vietnamese and key:
        if not Glossary([GlossaryTerm(english, keep_as_is=True)]).uses(
            vietnamese, GlossaryTerm(english, keep_as_is=True)
        ):
            errors["vietnamese"] = [
                gettext("A term kept as is must contain “%(term)s” itself.") % {"term": english}
            ]
    return errors


# -- CSV files for translators ---------------------------------------------------------------

CSV_HEADER = ["english", "vietnamese", "note", "keep_as_is"]
_YES = {"yes", "y", "true", "1", "x", "co"}  # "có" folds to "co"
_NO = {"", "no", "n", "false", "0", "khong"}


def write_csv(terms, out):
    """Write ``terms`` to the text stream ``out`` (the caller encodes it as UTF-8 with BOM)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for term in terms:
        writer.writerow(
            [term.english, term.vietnamese, term.note, "yes" if term.keep_as_is else "no"]
        )


def read_csv(data):
    """``(terms, errors)`` from CSV bytes or text.

    Every row is checked before anything is written: a row error (empty term, missing
    Vietnamese, a term twice in the file) is reported as "Row n: …".
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [gettext("The file is not UTF-8 text: save it as “CSV UTF-8”.")]
    data = unicodedata.normalize("NFC", data.lstrip("\ufeff"))
    reader = csv.reader(io.StringIO(data, newline=""))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header[: len(CSV_HEADER)] != CSV_HEADER:
        return [], [
            gettext("The first row must be the header: %(header)s.")
            % {"header": ",".join(CSV_HEADER)}
        ]
    terms, errors, seen = [], [], {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        english, vietnamese, note, keep = (cells + [""] * 4)[:4]
        keep_key = fold(keep)
        if keep_key not in _YES | _NO:
            errors.append(
                gettext("Row %(row)d: keep_as_is must be yes or no, not “%(value)s”.")
                % {"row": number, "value": keep}
            )
            continue
        term = GlossaryTerm(english.strip(), vietnamese.strip(), keep_key in _YES, note.strip())
        key = term_key(term.english)
        # Updating a saved term is allowed; naming the same term twice in the file is not.
        row_errors = term_errors(term, taken=seen)
        for messages in row_errors.values():
            errors.extend(
                gettext("Row %(row)d: %(message)s") % {"row": number, "message": message}
                for message in messages
            )
        if not row_errors:
            seen[key] = term.english
            terms.append(term)
    return terms, errors


def import_terms(data):
    """Create or update the terms of a CSV file; writes nothing when a row has an error.

    Returns ``(created, updated, errors)``.
    """
    from .models import Term

    existing = {term.key: term for term in Term.objects.all()}
    terms, errors = read_csv(data)
    if errors:
        return 0, 0, errors
    created = updated = 0
    with transaction.atomic():
        for item in terms:
            term = existing.get(term_key(item.english)) or Term()
            created += term.pk is None
            updated += term.pk is not None
            term.english, term.vietnamese = item.english, item.vietnamese
            term.note, term.keep_as_is = item.note, item.keep_as_is
            term.save()
    return created, updated, []
