"""Whatever an editor types into an admin search box, the admin answers with a page.

Wagtail's database backend on SQLite (the embedded default) quotes each word for FTS5
without escaping the double quote, so the page chooser failed on ``a"b`` ("unterminated
string") and on ``"x:y"`` ("no such column: x"). ``cms.search_backend`` makes every
query safe; these tests type FTS5's and Wagtail's syntax into every admin search.
"""

import unicodedata

import pytest

pytestmark = pytest.mark.django_db

# FTS5 syntax (quotes, columns, operators, prefixes, groups) and Wagtail's filter syntax.
TYPED = [
    '"',
    '""',
    'a"b',
    '"x:y"',
    '"liệu pháp',
    "x:'y'",
    "title:",
    ":",
    "(",
    ")",
    "*",
    "^prp",
    "-prp",
    "+",
    "AND",
    "OR prp",
    "NOT",
    "NEAR(prp exosome)",
    "{title}: prp",
    "'",
    "a'b",
    "\\",
    "ệ:",
    "prp*",
]

URLS = [
    "/admin/pages/search/",
    "/admin/choose-page/search/",
    "/admin/images/",
    "/admin/images/chooser/results/",
    "/admin/documents/",
    "/admin/documents/chooser/results/",
    "/admin/snippets/therapies/doctor/",
    "/admin/snippets/choose/therapies/doctor/results/",
    "/admin/snippets/choose/editorial/redflagclaim/results/",
    "/admin/users/",
]


@pytest.mark.parametrize("url", URLS)
def test_any_typed_search_answers_200(admin_client, article, url):
    refused = []
    for typed in TYPED:
        response = admin_client.get(url, {"q": typed})
        if response.status_code != 200:
            refused.append((typed, response.status_code))
    assert not refused, refused


def test_the_page_chooser_still_finds_a_page_typed_with_stray_quotes(admin_client, article):
    response = admin_client.get("/admin/choose-page/search/", {"q": '"Exosomes'})
    assert response.status_code == 200
    assert "Exosomes vs PRP" in response.content.decode()
    response = admin_client.get("/admin/choose-page/search/", {"q": 'Exosomes"vs'})
    assert "Exosomes vs PRP" in response.content.decode()


def test_a_search_typed_with_decomposed_vietnamese_letters_finds_the_page(admin_client, article):
    # Stored text is composed (cms.text); a query pasted decomposed ("e" + combining marks)
    # is composed before it is searched.
    for typed in ("khác nhau", unicodedata.normalize("NFD", "khác nhau")):
        response = admin_client.get("/admin/choose-page/search/", {"q": typed})
        assert response.status_code == 200
        assert "Exosomes vs PRP" in response.content.decode(), ascii(typed)
