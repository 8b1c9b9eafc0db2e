"""The red-flag claims matcher: case, Vietnamese diacritics, spacing and whole words."""

import unicodedata

import pytest

from editorial.claims import ClaimMatcher, Phrase, fold, snippet

PHRASES = (
    Phrase("trẻ hóa vĩnh viễn", "vi"),
    Phrase("vinh vien", "vi"),  # typed without diacritics by an editor
    Phrase("không có tác dụng phụ", "vi"),
    Phrase("an toàn 100%", "vi"),
    Phrase("guaranteed", "en"),
    Phrase("guaranteed results", "en"),
    Phrase("100% safe", "en"),
    Phrase("miracle", "both"),
    Phrase("a replacement for surgery", "en"),
)
MATCHER = ClaimMatcher(PHRASES)


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        # diacritics are ignored, both ways
        ("vi", "Liệu trình giúp trẻ hóa vĩnh viễn làn da", ["trẻ hóa vĩnh viễn"]),
        ("vi", "cam ket tre hoa vinh vien", ["trẻ hóa vĩnh viễn"]),
        ("vi", "Hiệu quả vĩnh viễn", ["vinh vien"]),
        ("vi", "Sản phẩm KHÔNG CÓ TÁC DỤNG PHỤ nào", ["không có tác dụng phụ"]),
        ("vi", "khong co tac dung phu", ["không có tác dụng phụ"]),
        # đ folds to d; decomposed (NFD) input matches too
        ("vi", unicodedata.normalize("NFD", "Trẻ hoá vĩnh viễn"), ["trẻ hóa vĩnh viễn"]),
        # case and extra whitespace (spaces, tabs, line breaks, no-break spaces)
        ("en", "GUARANTEED   Results\tfor all", ["guaranteed results"]),
        ("en", "guaranteed\nresults", ["guaranteed results"]),
        ("en", "a\u00a0replacement  for\u00a0surgery", ["a replacement for surgery"]),
        ("vi", "An  toàn   100% cho mọi làn da", ["an toàn 100%"]),
        ("en", "It is 100% safe.", ["100% safe"]),
        # whole words only
        ("en", "unguaranteedly mild", []),
        ("en", "the guaranteedresults page", []),
        ("en", "miracles happen", []),
        ("en", "Not a miracle.", ["miracle"]),
        ("en", "1100% safe", []),
        ("vi", "vinh viens", []),
        # language: a Vietnamese phrase is not looked for in English text, "both" is
        ("en", "trẻ hóa vĩnh viễn", []),
        ("vi", "Không phải miracle", ["miracle"]),
        # several hits in one text, in order
        ("en", "A miracle with guaranteed results", ["miracle", "guaranteed results"]),
        ("en", "", []),
    ],
)
def test_matcher_finds_phrases(lang, text, expected):
    assert [phrase for phrase, _start, _end in MATCHER.find(text, lang)] == expected


def test_match_positions_point_into_the_original_text():
    text = "Quảng cáo hứa   trẻ hoá vĩnh viễn ngay."
    [(phrase, start, end)] = MATCHER.find(text, "vi")
    assert text[start:end] == "trẻ hoá vĩnh viễn"


def test_fold_removes_diacritics_case_and_spacing():
    assert fold("  Đảm  bảo\tHIỆU quả ") == "dam bao hieu qua"


def test_snippet_shows_surrounding_words_with_ellipses():
    text = "Một đoạn văn dài " * 5 + "trẻ hóa vĩnh viễn" + " và còn nhiều chữ nữa" * 5
    start = text.index("trẻ")
    piece = snippet(text, start, start + len("trẻ hóa vĩnh viễn"))
    assert "trẻ hóa vĩnh viễn" in piece
    assert piece.startswith("…") and piece.endswith("…")
    assert len(piece) < len(text)
