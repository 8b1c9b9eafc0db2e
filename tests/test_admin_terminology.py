"""One term per concept: a key admin term reads the same in Vietnamese wherever an editor sees it.

Every msgid an editor can read (Django's, Wagtail's after the project's overrides, the other
apps', the project's: the sources of `admin_translation_coverage`) that contains a key term must
carry the glossary's Vietnamese for it in the msgstr served. The glossary is the "Terms" table of
docs/ADMIN_TRANSLATION.md; KEY_TERMS says which English forms each term covers.
"""

import re

import pytest

from home.admin_i18n.coverage import catalogues, measure

from .admin_glossary import glossary

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfi]|\{\w*\}")

# glossary term: the English forms it covers (plurals, tenses, "-ing"), case-insensitive.
KEY_TERMS = {
    "page": r"pages?",
    "publish": r"publish(?:es|ed|ing)?",
    "unpublish": r"unpublish(?:es|ed|ing)?",
    "draft": r"drafts?",
    "revision": r"revisions?",
    "workflow": r"workflows?",
    "approve": r"approv(?:e|es|ed|ing)",
    "snippet": r"snippets?",
    "collection": r"collections?",
    "site": r"sites?",
    "settings": r"settings",  # "setting X" (to set) is another word
    "document": r"documents?",
    "locale": r"locales?",
    "form submission": r"form submissions?",
}
# English phrases read before the terms inside them, and the Vietnamese each may take: a workflow
# task is a step ("bước duyệt"); "saved as a draft" is the verb "lưu nháp".
COMPOUNDS = {
    r"workflow tasks?": ("bước duyệt",),
    r"draft revisions?": ("bản nháp",),  # a revision that is a draft: one word in Vietnamese
    r"saved? as a draft": ("lưu nháp", "lưu bản nháp", "lưu thành bản nháp"),
}
# An English form with a second meaning, and the Vietnamese that meaning takes.
OTHER_MEANINGS = {"unpublished": "chưa xuất bản"}  # "not yet published", not "withdrawn"


def inconsistencies(pairs, terms):
    """(msgid, term, expected, msgstr) for each pair whose msgstr lacks the glossary's term."""
    found = []
    for msgid, msgstr in pairs:
        english, vietnamese = PLACEHOLDER.sub(" ", msgid).lower(), msgstr.lower()
        for compound, accepted in COMPOUNDS.items():
            if re.search(rf"\b{compound}\b", english):
                if not any(word in vietnamese for word in accepted):
                    found.append((msgid, compound, accepted[0], msgstr))
                english = re.sub(rf"\b{compound}\b", " ", english)
        for term, forms in KEY_TERMS.items():
            for match in re.finditer(rf"(?<![\w-])(?:{forms})(?![\w-])", english):
                accepted = [terms[term], OTHER_MEANINGS.get(match.group())]
                if not any(word and word in vietnamese for word in accepted):
                    found.append((msgid, term, terms[term], msgstr))
    return found


def served_pairs():
    """(msgid, Vietnamese served) for every message an editor can read, both domains."""
    served = catalogues()
    pairs = {}
    for source, rows in measure().items():
        if source == "literals":
            continue  # texts outside gettext are counted, and translated, by file overrides
        for row in rows:
            catalogue = served[row.domain][1]
            for key, msgid in zip(row.keys, row.labels, strict=True):
                if key in catalogue:
                    pairs[(msgid, row.domain)] = catalogue[key]
    return [(msgid, msgstr) for (msgid, _domain), msgstr in pairs.items()]


def test_glossary_names_every_key_term():
    terms = glossary()
    assert set(KEY_TERMS) <= set(terms), set(KEY_TERMS) - set(terms)
    assert terms["site"] == "trang web" and terms["settings"] == "cài đặt"
    assert terms["workflow"] == "quy trình duyệt" and terms["approve"] == "phê duyệt"


def test_each_key_term_reads_one_way_everywhere_an_editor_looks():
    pairs = served_pairs()
    assert len(pairs) > 2000  # every source was read (msgids shared by apps counted once)
    checked = [pair for pair in pairs if inconsistencies([pair], {t: "" for t in KEY_TERMS})]
    assert len(checked) > 500  # key terms are everywhere in the admin
    assert inconsistencies(pairs, glossary()) == []


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Publishing", "Đang đăng"),  # "-ing", capitalised
        ("Sites", "Trang"),  # plural; "trang" is page, not site
        ("Edit %(site_name)s settings", "Sửa tùy chỉnh %(site_name)s"),
        ("Workflow tasks", "Các tác vụ"),
        ("Unpublish", "Chưa xuất bản"),  # withdrawing is not "not yet published"
    ],
)
def test_a_second_translation_of_a_key_term_is_caught(msgid, msgstr):
    assert inconsistencies([(msgid, msgstr)], glossary())


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Publishing", "Đang xuất bản"),
        ("has unpublished changes", "có thay đổi chưa xuất bản"),
        ("Workflow tasks", "Các bước duyệt"),
        ("The page was saved as a draft.", "Trang đã được lưu nháp."),
        ("Set up the website", "Thiết lập website"),  # "website" is not "site"
    ],
)
def test_the_glossary_term_or_a_second_meaning_passes(msgid, msgstr):
    assert inconsistencies([(msgid, msgstr)], glossary()) == []
