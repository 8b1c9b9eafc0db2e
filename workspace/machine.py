"""Machine translation suggestions: pluggable backends chosen by ``settings.MACHINE_TRANSLATION``.

Sending unpublished medical text to an outside service is a privacy decision, so
nothing is sent unless ``MACHINE_TRANSLATION["BACKEND"]`` names a backend. The URL
and key come from settings (operators configure them), so no private-address check
applies here, unlike webhook destinations that editors enter.

Inline codes travel as XML tags the services leave in place (``{1}PRP{/1}`` is sent
as ``<x1>PRP</x1>``, ``{2/}`` as ``<x2/>``) and come back as codes; a suggestion
whose codes do not match its source's is refused, never stored.
"""

import hashlib
import html
import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from . import inline

logger = logging.getLogger(__name__)

# DeepL accepts at most 50 texts per request; LibreTranslate has no documented limit.
BATCH = 50
DEFAULT_TIMEOUT = 10.0
# How long DeepL's glossary language pairs are remembered.
GLOSSARY_CACHE_SECONDS = 24 * 60 * 60


class MachineTranslationError(Exception):
    """The service gave no usable answer; the message is for the editor. Nothing is stored."""


# -- inline codes as XML -----------------------------------------------------------------


def to_markup(text, rich):
    """The text as the service receives it: XML-escaped, codes as ``<xN>`` tags."""
    if not rich:
        return html.escape(text, quote=False)
    out = []
    for kind, value in inline.tokens(text):
        if kind == "text":
            out.append(html.escape(value, quote=False))
        elif kind == "open":
            out.append(f"<x{value}>")
        elif kind == "close":
            out.append(f"</x{value}>")
        else:
            out.append(f"<x{value}/>")
    return "".join(out)


_TAG = re.compile(r"<\s*(/?)\s*x(\d+)\s*(/?)\s*>|<[^>]*>", re.I)


def from_markup(markup, source, rich):
    """The service's answer back in our form; raises ``InlineCodeError`` for broken codes."""
    void = {value for kind, value in inline.tokens(source) if kind == "void"}
    # HTML parsers (LibreTranslate's) write a self-closing tag as an empty pair.
    markup = re.sub(
        r"<\s*x(\d+)\s*>\s*<\s*/\s*x\1\s*>",
        lambda m: f"<x{m.group(1)}/>" if int(m.group(1)) in void else m.group(0),
        markup,
    )
    out, position = [], 0
    for match in _TAG.finditer(markup):
        out.append(_text(markup[position : match.start()], rich))
        position = match.end()
        if match.group(2) is None or not rich:
            raise inline.InlineCodeError(
                gettext("The suggestion contains markup that is not in the English text.")
            )
        closing, number, selfclosing = match.group(1), match.group(2), match.group(3)
        out.append(
            f"{{/{number}}}" if closing else f"{{{number}/}}" if selfclosing else f"{{{number}}}"
        )
    out.append(_text(markup[position:], rich))
    text = "".join(out).strip()
    if rich:
        inline.check_codes(source, text)
    return text


def _text(part, rich):
    text = html.unescape(part)
    return text.replace("{", "{{").replace("}", "}}") if rich else text


# -- backends ------------------------------------------------------------------------------


@dataclass
class Backend:
    """One service: where the text goes and how it is asked for."""

    url: str
    api_key: str = ""
    timeout: float = DEFAULT_TIMEOUT

    name = ""
    default_url = ""
    uses_glossary = False  # True: ``translate`` sends the glossary terms to the service

    @property
    def host(self):
        """The host (and port) that receives the text, as the workspace names it."""
        parts = urlsplit(self.url)
        return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else ""

    def translate(self, texts, source_lang, target_lang, glossary=()):
        """Translations of ``texts`` (markup, see ``to_markup``), in order; ``glossary``: the
        medical glossary's terms, for a service that takes them."""
        raise NotImplementedError

    def post_json(self, path, payload, headers=None):
        return self.request_json("POST", path, payload, headers)

    def request_json(self, method, path, payload=None, headers=None):
        request = urllib.request.Request(
            self.url.rstrip("/") + path,
            data=json.dumps(payload).encode("utf-8") if payload is not None else None,
            headers={"Content-Type": "application/json", "Accept": "application/json"}
            | (headers or {}),
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            raise MachineTranslationError(self._http_message(error.code)) from error
        except (TimeoutError, urllib.error.URLError, OSError) as error:
            if not _timed_out(error):
                raise MachineTranslationError(
                    gettext("%(service)s at %(host)s could not be reached. Nothing was changed.")
                    % {"service": self.name, "host": self.host}
                ) from error
            raise MachineTranslationError(
                gettext(
                    "%(service)s did not answer within %(seconds)s seconds. Nothing was changed."
                )
                % {"service": self.name, "seconds": f"{self.timeout:g}"}
            ) from error
        if not body:  # 204 No Content (a deletion)
            return None
        try:
            return json.loads(body.decode("utf-8"))
        except ValueError as error:
            raise self.unexpected() from error

    def _http_message(self, status):
        values = {"service": self.name, "status": status}
        if status in (401, 403):
            return (
                gettext(
                    "%(service)s refused the API key (HTTP %(status)s). Check "
                    "MACHINE_TRANSLATION_API_KEY. Nothing was changed."
                )
                % values
            )
        if status in (429, 456):
            return (
                gettext(
                    "%(service)s is receiving too many requests or its quota is used up "
                    "(HTTP %(status)s). Try again later. Nothing was changed."
                )
                % values
            )
        if status >= 500:
            return (
                gettext(
                    "%(service)s failed (HTTP %(status)s). Try again later. Nothing was changed."
                )
                % values
            )
        return (
            gettext("%(service)s refused the request (HTTP %(status)s). Nothing was changed.")
            % values
        )

    def unexpected(self):
        return MachineTranslationError(
            gettext("%(service)s gave an answer that could not be read. Nothing was changed.")
            % {"service": self.name}
        )


def _timed_out(error):
    # A connect timeout comes wrapped in URLError, a read timeout bare.
    return isinstance(error, TimeoutError) or isinstance(
        getattr(error, "reason", None), TimeoutError
    )


class DeepL(Backend):
    """DeepL's API v2 ``/v2/translate`` with XML tag handling (api.deepl.com by default).

    The medical glossary goes to DeepL's glossary feature where DeepL allows it for the
    language pair: the pairs are asked of ``/v2/glossary-language-pairs`` (DeepL's v2
    glossary list names 16 languages, Vietnamese not among them, while its v3 glossaries
    are said to cover every language: the answer, not a hard-coded list, decides). The
    glossary is created once per set of terms (``/v2/glossaries``, named after a digest
    of its entries, so a changed glossary is a new one) and its id sent with each
    request (the glossaries are listed each time, so one deleted at DeepL is made
    again; the glossary it replaces is deleted). Terms kept as is have no entry (DeepL
    glossaries map a term to another text). Where the pair has no glossary, nothing is
    sent: the workspace's glossary flags check every suggestion against the approved
    terms afterwards.
    """

    name = "DeepL"
    default_url = "https://api.deepl.com"
    uses_glossary = True

    @property
    def auth(self):
        return {"Authorization": f"DeepL-Auth-Key {self.api_key}"}

    def translate(self, texts, source_lang, target_lang, glossary=()):
        payload = {
            "text": list(texts),
            "source_lang": source_lang.upper(),
            "target_lang": target_lang.upper(),
            "tag_handling": "xml",
        }
        glossary_id = self.glossary_id(glossary, source_lang, target_lang)
        if glossary_id:
            payload["glossary_id"] = glossary_id
        answer = self.post_json("/v2/translate", payload, self.auth)
        try:
            translated = [item["text"] for item in answer["translations"]]
        except (KeyError, TypeError) as error:
            raise self.unexpected() from error
        if len(translated) != len(texts):
            raise self.unexpected()
        return translated

    def glossary_pairs(self):
        """``{(source, target)}`` DeepL supports for glossaries (lowercase), cached a day."""
        key = f"deepl-glossary-pairs:{self.url}"
        pairs = cache.get(key)
        if pairs is None:
            answer = self.request_json("GET", "/v2/glossary-language-pairs", headers=self.auth)
            try:
                pairs = {
                    (item["source_lang"].lower(), item["target_lang"].lower())
                    for item in answer["supported_languages"]
                }
            except (KeyError, TypeError, AttributeError) as error:
                raise self.unexpected() from error
            cache.set(key, pairs, GLOSSARY_CACHE_SECONDS)
        return pairs

    def glossary_id(self, terms, source_lang, target_lang):
        """The id of a DeepL glossary holding ``terms``, or None where there is none to send."""
        entries = sorted(
            {
                (" ".join(term.english.split()), " ".join(term.vietnamese.split()))
                for term in terms
                if not term.keep_as_is and term.english.strip() and term.vietnamese.strip()
            }
        )
        if not entries:
            return None
        source, target = source_lang.lower(), target_lang.lower()
        if (source, target) not in self.glossary_pairs():
            return None
        tsv = "\n".join(f"{english}\t{vietnamese}" for english, vietnamese in entries)
        digest = hashlib.sha256(tsv.encode("utf-8")).hexdigest()[:16]
        prefix = f"cms-glossary-{source}-{target}-"
        name = prefix + digest
        # Asked each time (one small request): a glossary deleted at DeepL is made again.
        found = None
        listing = self.request_json("GET", "/v2/glossaries", headers=self.auth)
        glossaries = (listing or {}).get("glossaries", [])
        for item in glossaries:
            if item.get("name") == name and item.get("ready", True):
                found = item.get("glossary_id")
                break
        if not found:
            created = self.post_json(
                "/v2/glossaries",
                {
                    "name": name,
                    "source_lang": source,
                    "target_lang": target,
                    "entries": tsv,
                    "entries_format": "tsv",
                },
                self.auth,
            )
            found = (created or {}).get("glossary_id")
            if not found:
                raise self.unexpected()
            self.delete_older_glossaries(glossaries, prefix, name)
        return found

    def delete_older_glossaries(self, glossaries, prefix, name):
        """Delete the glossaries made here for the pair before its terms last changed.

        DeepL keeps a glossary until it is deleted, and an account holds a limited number of
        them: without this, each change of the approved terms would leave one more behind
        until creating a glossary failed. Only this CMS's own (``prefix``) and only once the
        new one exists. A deletion that fails is logged; the suggestion goes on.
        """
        for item in glossaries:
            old, glossary_id = item.get("name", ""), item.get("glossary_id")
            if not glossary_id or not old.startswith(prefix) or old == name:
                continue
            try:
                self.request_json("DELETE", f"/v2/glossaries/{glossary_id}", headers=self.auth)
            except MachineTranslationError as error:
                logger.warning("Could not delete the older DeepL glossary %s: %s", old, error)


class LibreTranslate(Backend):
    """LibreTranslate's ``POST /translate`` with ``format=html`` (no default address).

    LibreTranslate has no glossary API: the glossary is not sent, and the workspace's
    glossary flags check its suggestions against the approved terms afterwards.
    """

    name = "LibreTranslate"

    def translate(self, texts, source_lang, target_lang, glossary=()):
        payload = {"q": list(texts), "source": source_lang, "target": target_lang}
        payload["format"] = "html"
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = self.post_json("/translate", payload)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise self.unexpected()
        return translated


BACKENDS = {"deepl": DeepL, "libretranslate": LibreTranslate}


def configured():
    """The backend ``settings.MACHINE_TRANSLATION`` turns on, or None when it is off."""
    config = getattr(settings, "MACHINE_TRANSLATION", None) or {}
    name = (config.get("BACKEND") or "").strip().lower()
    backend_class = BACKENDS.get(name)
    if backend_class is None:
        return None
    url = config.get("URL") or backend_class.default_url
    if urlsplit(url).scheme not in {"http", "https"}:
        return None  # urllib would also open file: and ftp: addresses
    return backend_class(
        url=url,
        api_key=config.get("API_KEY") or "",
        timeout=float(config.get("TIMEOUT") or DEFAULT_TIMEOUT),
    )


def suggest(backend, segments, source_lang, target_lang, glossary=None):
    """``(suggestions, refused)``: segment id → text, and segment id → why it was refused.

    Raises ``MachineTranslationError`` when any request fails, so a page's suggestions
    are stored all together or not at all.
    """
    suggestions, refused = {}, {}
    segments = list(segments)
    if glossary is None:
        glossary = _glossary_terms() if backend.uses_glossary else ()
    for start in range(0, len(segments), BATCH):
        batch = segments[start : start + BATCH]
        answers = backend.translate(
            [to_markup(segment.text, segment.rich) for segment in batch],
            source_lang,
            target_lang,
            glossary,
        )
        for segment, answer in zip(batch, answers, strict=True):
            try:
                text = from_markup(str(answer), segment.text, segment.rich)
            except inline.InlineCodeError as error:
                refused[segment.id] = gettext(
                    "The suggestion was refused because its codes do not match the English "
                    "text: %(reason)s"
                ) % {"reason": error}
                continue
            try:
                suggestions[segment.id] = segment.clean(text)
            except ValidationError as error:
                refused[segment.id] = " ".join(error.messages)
    return suggestions, refused


def _glossary_terms():
    from .models import Term

    return list(Term.objects.all())
