"""Machine translation suggestions: an editor asks DeepL or LibreTranslate (here a local
server speaking their APIs) for Vietnamese suggestions, reviews them, and medical review
waits until every suggestion is reviewed."""

import json
import logging
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page
from wagtail.users.models import UserProfile

from editorial.models import MedicalReview
from workspace.models import SegmentTranslation, Term
from workspace.segments import page_segments
from workspace.workspace import Workspace

from . import factories
from .editorial_fixtures import *  # noqa: F403 - fixtures
from .test_editorial_review import approve_url, edit_url, submit

pytestmark = pytest.mark.django_db

MACHINE = SegmentTranslation.Status.MACHINE

# What the local "service" answers, by the markup it receives.
DICTIONARY = {
    "Why PRP": "Vì sao chọn PRP",
    "Read about <x1>PRP</x1> and <x2>the studies</x2>.": (
        "Đọc về <x1>PRP</x1> và <x2>các nghiên cứu</x2>."
    ),
    "First line<x1/>second line": "Dòng đầu<x1/>dòng thứ hai",
    "Platelet-rich plasma, explained": "Huyết tương giàu tiểu cầu, giải thích",
    "An introduction to platelets.": "Giới thiệu về tiểu cầu.",
    "platelets": "tieu-cau",
}


class Provider:
    """A local HTTP server implementing one provider's endpoint and recording requests."""

    def __init__(self, path):
        self.path = path
        self.requests = []
        self.status = 200
        self.answer = None  # a function of the texts received, or None: the dictionary
        self.hold = threading.Event()  # set to release a request held for the timeout test
        self.holding = False
        self.routes = {}  # (method, path) -> function of the JSON received -> (status, JSON)
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                provider.requests.append(
                    {"method": "GET", "path": self.path, "headers": dict(self.headers)}
                )
                route = provider.routes.get(("GET", self.path))
                if route is None:
                    self.send_error(404)
                    return
                self.answer(*route(None))

            def do_DELETE(self):
                provider.requests.append(
                    {"method": "DELETE", "path": self.path, "headers": dict(self.headers)}
                )
                folder, _, name = self.path.rpartition("/")
                route = provider.routes.get(("DELETE", folder + "/"))
                if route is None:
                    self.send_error(404)
                    return
                status = route(name)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                provider.requests.append(
                    {
                        "method": "POST",
                        "path": self.path,
                        "headers": dict(self.headers),
                        "json": json.loads(body),
                    }
                )
                if provider.holding:
                    provider.hold.wait(10)
                    return
                route = provider.routes.get(("POST", self.path))
                if route is not None:
                    self.answer(*route(provider.requests[-1]["json"]))
                    return
                if self.path != provider.path:
                    self.send_error(404)
                    return
                texts = provider.texts(provider.requests[-1]["json"])
                if provider.status != 200:
                    self.answer(provider.status, {"message": "no"})
                    return
                refusal = provider.refuse(provider.requests[-1]["json"])
                if refusal:
                    self.answer(400, {"message": refusal})
                    return
                answer = provider.answer or (lambda text: DICTIONARY.get(text, f"[vi] {text}"))
                self.answer(200, provider.payload([answer(text) for text in texts]))

            def answer(self, status, payload):
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def refuse(self, request):
        """Why the service would refuse this translate request (None: it would not)."""
        return None

    def translations(self):
        """The translate requests received (glossary requests left out)."""
        return [r for r in self.requests if r["path"] == self.path]

    def stop(self):
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


# DeepL's documented v2 glossary languages: Vietnamese is not among them.
DEEPL_GLOSSARY_LANGUAGES = "da de en es fr it ja ko nb nl pl pt ro ru sv zh".split()


class DeepLServer(Provider):
    """DeepL's translate endpoint and its glossary endpoints (language pairs, list, create).

    A translate request naming a glossary is refused unless that glossary was created
    here for the request's language pair, as DeepL does.
    """

    def __init__(self):
        super().__init__("/v2/translate")
        self.glossary_languages = list(DEEPL_GLOSSARY_LANGUAGES)
        self.glossaries = {}
        self.routes = {
            ("GET", "/v2/glossary-language-pairs"): self.language_pairs,
            ("GET", "/v2/glossaries"): self.list_glossaries,
            ("POST", "/v2/glossaries"): self.create_glossary,
            ("DELETE", "/v2/glossaries/"): self.delete_glossary,
        }

    def language_pairs(self, _request):
        langs = self.glossary_languages
        pairs = [{"source_lang": s, "target_lang": t} for s in langs for t in langs if s != t]
        return 200, {"supported_languages": pairs}

    def list_glossaries(self, _request):
        return 200, {"glossaries": list(self.glossaries.values())}

    def create_glossary(self, request):
        pair = (request["source_lang"], request["target_lang"])
        if not all(lang in self.glossary_languages for lang in pair):
            return 400, {"message": "Unsupported glossary source and target pair"}
        assert request["entries_format"] == "tsv"
        glossary_id = f"glossary-{len(self.glossaries) + 1}"
        self.glossaries[glossary_id] = {
            "glossary_id": glossary_id,
            "name": request["name"],
            "ready": True,
            "source_lang": pair[0],
            "target_lang": pair[1],
            "entries": request["entries"],
            "entry_count": len(request["entries"].splitlines()),
        }
        return 201, self.glossaries[glossary_id]

    def delete_glossary(self, glossary_id):
        """DeepL answers 204 with no body, or 404 for a glossary it does not have."""
        return 204 if self.glossaries.pop(glossary_id, None) is not None else 404

    def refuse(self, request):
        glossary_id = request.get("glossary_id")
        if glossary_id is None:
            return None
        glossary = self.glossaries.get(glossary_id)
        pair = (request["source_lang"].lower(), request["target_lang"].lower())
        if glossary is None or (glossary["source_lang"], glossary["target_lang"]) != pair:
            return "Invalid glossary_id"
        return None

    def texts(self, request):
        return request["text"]

    def payload(self, texts):
        return {"translations": [{"detected_source_language": "EN", "text": t} for t in texts]}


class LibreTranslateServer(Provider):
    def __init__(self):
        super().__init__("/translate")

    def texts(self, request):
        return request["q"]

    def payload(self, texts):
        # An HTML parser writes <x1/> as an empty pair.
        return {"translatedText": [re.sub(r"<x(\d+)/>", r"<x\1></x\1>", t) for t in texts]}


@pytest.fixture
def deepl(settings):
    server = DeepLServer()
    settings.MACHINE_TRANSLATION = {"BACKEND": "deepl", "URL": server.url, "API_KEY": "key:fx"}
    yield server
    server.stop()


@pytest.fixture
def libretranslate(settings):
    server = LibreTranslateServer()
    settings.MACHINE_TRANSLATION = {
        "BACKEND": "libretranslate",
        "URL": server.url,
        "API_KEY": "libre-key",
    }
    yield server
    server.stop()


@pytest.fixture
def page(article_index):
    """An article whose Vietnamese body is still missing; its lead is translated."""
    return factories.make_article(
        article_index,
        "Platelet-rich plasma, explained",
        "prp-explained",
        "Huyết tương giàu tiểu cầu",
        "huyet-tuong-giau-tieu-cau",
        lead_en="An introduction to platelets.",
        lead_vi="Giới thiệu về tiểu cầu.",
        body_en=[
            {"type": "heading", "id": "h1", "value": {"text": "Why PRP", "level": "h2"}},
            {
                "type": "paragraph",
                "id": "p1",
                "value": '<p>Read about <b>PRP</b> and <a href="https://example.org/">the '
                "studies</a>.</p><p>First line<br/>second line</p>",
            },
        ],
        body_vi=[],
    )


def url(page):
    return reverse("translate:page", args=[page.pk, "vi"])


def messages_of(response):
    return [str(message.message) for message in get_messages(response.wsgi_request)]


def textarea(response, segment_id):
    match = re.search(
        r'<textarea[^>]*name="t:' + re.escape(segment_id) + r'"[^>]*>(.*?)</textarea>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no textarea for {segment_id}"
    return match.group(1)


def status_label(response, segment_id):
    match = re.search(
        r'data-segment="' + re.escape(segment_id) + r'" data-status="(\w+)"',
        response.content.decode(),
    )
    return match.group(1)


def records(page):
    return {
        r.segment_id: (r.target, r.status)
        for r in SegmentTranslation.objects.filter(page_id=page.pk, lang="vi")
    }


def revision_count(page):
    return Page.objects.get(pk=page.pk).revisions.count()


# -- off unless configured ---------------------------------------------------------------------


def test_machine_translation_is_off_by_default_and_the_workspace_says_how_to_enable_it(
    admin_client, page
):
    response = admin_client.get(url(page))
    html = response.content.decode()
    assert "Machine suggestions are off: no text is sent to any service." in html
    assert "MACHINE_TRANSLATION_BACKEND" in html
    assert 'name="suggest"' not in html and 'name="suggest_missing"' not in html

    refused = admin_client.post(url(page), {"suggest_missing": "1"})
    assert "Machine translation is off: nothing was sent." in messages_of(refused)
    assert records(page) == {}


def test_vietnamese_admin_reads_the_notice_and_the_refusal_in_vietnamese(
    admin_client, django_user_model, page, settings
):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    html = admin_client.get(url(page)).content.decode()
    assert "Gợi ý dịch máy đang tắt: không văn bản nào được gửi đi." in html

    server = DeepLServer()
    try:
        settings.MACHINE_TRANSLATION = {"BACKEND": "deepl", "URL": server.url, "API_KEY": "bad"}
        server.status = 403
        response = admin_client.post(url(page), {"suggest_missing": "1"})
        assert "Gợi ý dịch máy được gửi tới DeepL tại 127.0.0.1:" in response.content.decode()
        assert any("DeepL từ chối khóa API (HTTP 403)" in m for m in messages_of(response))
    finally:
        server.stop()


# -- DeepL ---------------------------------------------------------------------------------------


def test_deepl_suggests_every_missing_segment_with_inline_codes_as_xml_tags(
    admin_client, page, deepl
):
    html = admin_client.get(url(page)).content.decode()
    host = deepl.url.removeprefix("http://")
    assert f"Machine suggestions are sent to DeepL at {host}" in html
    revisions = revision_count(page)

    response = admin_client.post(url(page), {"suggest_missing": "1", "t:title": "typed, unsaved"})
    assert response.status_code == 200

    (request,) = deepl.translations()
    assert request["path"] == "/v2/translate"
    assert request["headers"]["Authorization"] == "DeepL-Auth-Key key:fx"
    sent = request["json"]
    assert (sent["source_lang"], sent["target_lang"], sent["tag_handling"]) == ("EN", "VI", "xml")
    # Only the missing segments: the body's texts (title and lead are translated).
    assert sent["text"] == [
        "Why PRP",
        "Read about <x1>PRP</x1> and <x2>the studies</x2>.",
        "First line<x1/>second line",
    ]

    # The suggestions come back as codes, shown as unreviewed machine output.
    assert textarea(response, "body/p1/0") == "Đọc về {1}PRP{/1} và {2}các nghiên cứu{/2}."
    assert textarea(response, "body/p1/1") == "Dòng đầu{1/}dòng thứ hai"
    assert textarea(response, "body/h1/text") == "Vì sao chọn PRP"
    assert status_label(response, "body/p1/0") == "machine"
    assert "Machine suggestion, not reviewed" in response.content.decode()
    assert "Reviewed: the suggestion is right as it stands" in response.content.decode()
    # What the editor typed elsewhere is still in its box, unsaved.
    assert textarea(response, "title") == "typed, unsaved"
    assert any("3 machine suggestions from DeepL" in m for m in messages_of(response))

    assert records(page) == {
        "body/h1/text": ("Vì sao chọn PRP", MACHINE),
        "body/p1/0": ("Đọc về {1}PRP{/1} và {2}các nghiên cứu{/2}.", MACHINE),
        "body/p1/1": ("Dòng đầu{1/}dòng thứ hai", MACHINE),
    }
    # A suggestion is not a save: no revision, the page's Vietnamese body untouched.
    assert revision_count(page) == revisions
    assert list(Page.objects.get(pk=page.pk).specific.body_vi.get_prep_value()) == []


def test_suggest_one_segment_sends_only_that_segment(admin_client, page, deepl):
    response = admin_client.post(url(page), {"suggest": "lead"})
    assert [r["json"]["text"] for r in deepl.translations()] == [["An introduction to platelets."]]
    assert textarea(response, "lead") == "Giới thiệu về tiểu cầu."
    assert records(page) == {"lead": ("Giới thiệu về tiểu cầu.", MACHINE)}


def test_a_suggestion_with_broken_codes_is_refused_and_the_others_are_kept(
    admin_client, page, deepl
):
    deepl.answer = lambda text: text.replace("</x2>", "") if "<x2>" in text else f"[vi] {text}"
    response = admin_client.post(url(page), {"suggest_missing": "1"})
    assert any("1 suggestion was refused" in m for m in messages_of(response))
    html = response.content.decode()
    assert "The suggestion was refused because its codes do not match the English text" in html
    assert "{/2}" in html  # the message names the missing code
    assert "body/p1/0" not in records(page)
    assert records(page)["body/h1/text"] == ("[vi] Why PRP", MACHINE)


def test_a_suggestion_with_markup_in_a_plain_field_is_refused(admin_client, page, deepl):
    deepl.answer = lambda text: f"<b>{text}</b>"
    response = admin_client.post(url(page), {"suggest": "lead"})
    assert "markup that is not in the English text" in response.content.decode()
    assert records(page) == {}


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (403, "DeepL refused the API key (HTTP 403)"),
        (429, "DeepL is receiving too many requests or its quota is used up (HTTP 429)"),
        (456, "DeepL is receiving too many requests or its quota is used up (HTTP 456)"),
        (500, "DeepL failed (HTTP 500). Try again later."),
        (503, "DeepL failed (HTTP 503). Try again later."),
    ],
)
def test_provider_failures_show_a_clear_message_and_change_nothing(
    admin_client, page, deepl, status, message
):
    deepl.status = status
    revisions = revision_count(page)
    response = admin_client.post(url(page), {"suggest_missing": "1", "t:body/h1/text": "Gõ dở"})
    assert response.status_code == 200
    assert any(message in m and "Nothing was changed." in m for m in messages_of(response))
    assert textarea(response, "body/h1/text") == "Gõ dở"  # typed text kept
    assert records(page) == {}
    assert revision_count(page) == revisions


def test_a_provider_that_does_not_answer_in_time_changes_nothing(
    admin_client, page, deepl, settings
):
    settings.MACHINE_TRANSLATION = dict(settings.MACHINE_TRANSLATION, TIMEOUT=0.2)
    deepl.holding = True
    response = admin_client.post(url(page), {"suggest_missing": "1"})
    assert any("DeepL did not answer within 0.2 seconds" in m for m in messages_of(response))
    assert records(page) == {}


def test_an_unreachable_provider_changes_nothing(admin_client, page, deepl, settings):
    deepl.stop()
    response = admin_client.post(url(page), {"suggest_missing": "1"})
    host = deepl.url.removeprefix("http://")
    assert any(f"DeepL at {host} could not be reached" in m for m in messages_of(response))
    assert records(page) == {}


# -- the glossary ----------------------------------------------------------------------------------


def test_deepl_gets_no_glossary_where_it_has_none_for_english_to_vietnamese(
    admin_client, page, deepl
):
    """DeepL's v2 glossaries do not cover Vietnamese: no glossary is made or named, and the
    workspace's glossary flags check the suggestion against the approved term instead."""
    deepl.answer = lambda text: "Plasma giàu tiểu cầu, giải thích" if "plasma" in text else text
    response = admin_client.post(url(page), {"suggest": "title"})

    assert [(r["method"], r["path"]) for r in deepl.requests] == [
        ("GET", "/v2/glossary-language-pairs"),
        ("POST", "/v2/translate"),
    ]
    assert deepl.requests[0]["headers"]["Authorization"] == "DeepL-Auth-Key key:fx"
    assert "glossary_id" not in deepl.translations()[0]["json"]
    assert not deepl.glossaries
    # The suggestion skips "huyết tương giàu tiểu cầu": flagged in the workspace.
    html = response.content.decode()
    assert textarea(response, "title") == "Plasma giàu tiểu cầu, giải thích"
    assert 'data-glossary-flag="platelet-rich plasma"' in html


def test_deepl_uses_a_glossary_of_the_approved_terms_where_the_pair_allows(
    admin_client, page, deepl
):
    deepl.glossary_languages.append("vi")
    admin_client.post(url(page), {"suggest": "title"})

    (glossary,) = deepl.glossaries.values()
    assert (glossary["source_lang"], glossary["target_lang"]) == ("en", "vi")
    entries = dict(line.split("\t") for line in glossary["entries"].splitlines())
    assert entries["platelet-rich plasma"] == "huyết tương giàu tiểu cầu"
    assert "PRP" not in entries  # kept as is: nothing to map it to
    (request,) = deepl.translations()
    assert request["json"]["glossary_id"] == glossary["glossary_id"]

    # The next request reuses it (found by its name), not made again.
    admin_client.post(url(page), {"suggest": "lead"})
    assert len(deepl.glossaries) == 1
    assert deepl.translations()[-1]["json"]["glossary_id"] == glossary["glossary_id"]

    # A changed glossary is a new DeepL glossary, and the one it replaces is deleted there
    # (an account holds a limited number). Glossaries this CMS did not make are left alone.
    deepl.glossaries["theirs"] = {"glossary_id": "theirs", "name": "clinic-brochure", "ready": True}
    Term.objects.create(english="fibrin matrix", vietnamese="khung fibrin")
    admin_client.post(url(page), {"suggest": "lead"})
    (new,) = set(deepl.glossaries) - {"theirs"}
    assert new != glossary["glossary_id"] and "theirs" in deepl.glossaries
    assert "fibrin matrix\tkhung fibrin" in deepl.glossaries[new]["entries"]
    assert deepl.translations()[-1]["json"]["glossary_id"] == new
    deleted = [r["path"] for r in deepl.requests if r["method"] == "DELETE"]
    assert deleted == [f"/v2/glossaries/{glossary['glossary_id']}"]


def test_a_glossary_deepl_will_not_delete_does_not_stop_the_suggestion(
    admin_client, page, deepl, caplog
):
    deepl.glossary_languages.append("vi")
    admin_client.post(url(page), {"suggest": "title"})
    deepl.routes[("DELETE", "/v2/glossaries/")] = lambda glossary_id: 500
    Term.objects.create(english="fibrin matrix", vietnamese="khung fibrin")
    with caplog.at_level(logging.WARNING, logger="workspace.machine"):  # whatever LOG_LEVEL says
        response = admin_client.post(url(page), {"suggest": "lead"})
    assert response.status_code == 200
    assert records(page)["lead"] == ("Giới thiệu về tiểu cầu.", MACHINE)
    assert deepl.translations()[-1]["json"]["glossary_id"] == "glossary-2"
    assert "Could not delete the older DeepL glossary" in caplog.text


def test_a_glossary_deleted_at_deepl_is_made_again(admin_client, page, deepl):
    deepl.glossary_languages.append("vi")
    admin_client.post(url(page), {"suggest": "title"})
    deepl.glossaries.clear()
    response = admin_client.post(url(page), {"suggest": "lead"})
    assert records(page)["lead"] == ("Giới thiệu về tiểu cầu.", MACHINE)
    assert list(deepl.glossaries) == ["glossary-1"]
    assert deepl.translations()[-1]["json"]["glossary_id"] == "glossary-1"
    assert response.status_code == 200


def test_the_local_server_refuses_a_glossary_it_does_not_know(deepl):
    """The check the tests above rely on: a wrong glossary id is refused, as DeepL does."""
    from workspace.machine import DeepL, MachineTranslationError

    backend = DeepL(url=deepl.url, api_key="key:fx")
    with pytest.raises(MachineTranslationError, match="HTTP 400"):
        backend.post_json(
            "/v2/translate",
            {"text": ["x"], "source_lang": "EN", "target_lang": "VI", "glossary_id": "nope"},
        )


# -- LibreTranslate ------------------------------------------------------------------------------


def test_libretranslate_suggests_with_html_format_and_the_api_key(
    admin_client, page, libretranslate
):
    response = admin_client.post(url(page), {"suggest_missing": "1"})
    (request,) = libretranslate.requests  # no glossary request: LibreTranslate has no glossaries
    assert request["path"] == "/translate"
    sent = request["json"]
    assert (sent["source"], sent["target"], sent["format"]) == ("en", "vi", "html")
    assert sent["api_key"] == "libre-key"
    assert sent["q"][1] == "Read about <x1>PRP</x1> and <x2>the studies</x2>."
    # The void code came back as an empty pair and is a void code again.
    assert textarea(response, "body/p1/1") == "Dòng đầu{1/}dòng thứ hai"
    assert records(page)["body/p1/0"] == ("Đọc về {1}PRP{/1} và {2}các nghiên cứu{/2}.", MACHINE)


# -- review of suggestions -----------------------------------------------------------------------


def test_suggestions_enter_the_page_only_once_edited_or_confirmed(admin_client, page, deepl):
    response = admin_client.post(url(page), {"suggest_missing": "1"})
    revision = re.search(r'name="revision" value="(\d+)"', response.content.decode()).group(1)
    form = {"revision": revision}
    form["t:body/h1/text"] = "Vì sao chọn PRP"  # unchanged, not confirmed
    form["t:body/p1/0"] = "Đọc về {1}PRP{/1} và {2}những nghiên cứu{/2}."  # edited
    form["t:body/p1/1"] = "Dòng đầu{1/}dòng thứ hai"
    form["confirm:body/p1/1"] = "on"  # confirmed as it stands
    saved = admin_client.post(url(page), form)
    assert saved.status_code == 302

    statuses = {key: status for key, (_text, status) in records(page).items()}
    assert statuses == {
        "body/h1/text": MACHINE,
        "body/p1/0": "translated",
        "body/p1/1": "translated",
    }
    draft = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    body_vi = json.dumps(list(draft.body_vi.get_prep_value()), ensure_ascii=False)
    assert "những nghiên cứu" in body_vi and "Dòng đầu<br>dòng thứ hai" in body_vi
    assert "Vì sao chọn PRP" not in body_vi  # the unreviewed heading stays out of the page

    shown = admin_client.get(url(page) + "?filter=machine")
    assert re.findall(r'data-segment="([^"]+)"', shown.content.decode()) == ["body/h1/text"]
    assert "1 machine suggestion is not reviewed yet" in shown.content.decode()
    # The unreviewed heading does not count as translated.
    total = len(page_segments(Page.objects.get(pk=page.pk).specific, "en"))
    assert f"{total - 1} of {total} segments translated" in shown.content.decode()


# -- medical review ------------------------------------------------------------------------------


def test_medical_review_cannot_approve_a_language_with_unreviewed_machine_suggestions(
    editor_client, reviewer_client, editor, article
):
    task_state = submit(editor_client, article)
    workspace = Workspace(Page.objects.get(pk=article.pk).specific, "vi")
    lead = next(s for s in page_segments(workspace.page, "en") if s.id == "lead")
    workspace.store_suggestions({lead.id: "Gợi ý của máy cho lời dẫn."}, editor)

    panel = reviewer_client.get(edit_url(article)).content.decode()
    assert (
        "Vietnamese has 1 machine-translated segment not reviewed: edit or confirm it in the "
        "Translate workspace before approving." in panel
    )
    assert approve_url(article, task_state) not in panel
    refused = reviewer_client.post(approve_url(article, task_state))
    assert refused.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"
    assert not MedicalReview.objects.filter(page=article).exists()

    # Once it is reviewed (the workspace's confirm, tested above), the doctor can approve.
    SegmentTranslation.objects.filter(page_id=article.pk).update(status="translated")
    assert "machine-translated" not in reviewer_client.get(edit_url(article)).content.decode()
    reviewer_client.post(approve_url(article, task_state))
    task_state.refresh_from_db()
    assert task_state.status == "approved"
    assert MedicalReview.objects.filter(page=article, lang="vi").exists()


@pytest.mark.parametrize(
    "config",
    [
        {"BACKEND": "google", "URL": "https://translate.example.org"},
        {"BACKEND": "libretranslate", "URL": ""},
        {"BACKEND": "libretranslate", "URL": "file:///etc/passwd"},
    ],
)
def test_an_unknown_backend_or_address_leaves_machine_translation_off(
    admin_client, page, settings, config
):
    settings.MACHINE_TRANSLATION = config
    html = admin_client.get(url(page)).content.decode()
    assert "Machine suggestions are off" in html and 'name="suggest"' not in html
