"""External sites are told, with a signed POST, when a page is published, unpublished or deleted."""

import hashlib
import hmac
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.users.models import UserProfile

import webhooks.delivery as sending
from webhooks import destinations
from webhooks.models import WebhookDelivery, WebhookEndpoint

from . import factories

pytestmark = pytest.mark.django_db

FAST_RETRIES = {"TIMEOUT": 0.5, "MAX_ATTEMPTS": 3, "BACKOFF_SECONDS": 0}
IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}


class Receiver:
    """A real HTTP server on 127.0.0.1 that records requests and answers from a script.

    ``body`` and ``headers`` replace its answer; ``tls`` (an ``ssl.SSLContext``) makes it HTTPS.
    """

    def __init__(self, statuses=(200,), body=None, headers=None, tls=None):
        self.requests = []
        self.statuses = list(statuses)
        # Cleared by a test that needs the receiver to hold its answers until it says so.
        self.gate = threading.Event()
        self.gate.set()
        self.answer = body
        self.answer_headers = headers or {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    {"headers": dict(self.headers), "body": body, "path": self.path}
                )
                receiver.gate.wait(10)
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain")
                    for name, value in receiver.answer_headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if receiver.answer is not None:
                        self.wfile.write(receiver.answer)
                    else:
                        self.wfile.write(b"ok" if status < 300 else b"receiver is down")
                except BrokenPipeError:
                    pass  # the sender timed out first, as the test intended

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}/hooks/cms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.gate.set()  # answers still held are let go, so the server can stop
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receivers = []

    def make(**kwargs):
        r = Receiver(**kwargs)
        receivers.append(r)
        return r

    yield make
    for r in receivers:
        r.close()


@pytest.fixture(autouse=True)
def _fast_background_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.WEBHOOKS = FAST_RETRIES
    # The local receiver listens on 127.0.0.1: the one address these tests open.
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    """Host names resolve from ``dns.names``, never from DNS; ``dns.lookups`` lists each lookup."""
    table = SimpleNamespace(names={"localhost": ["127.0.0.1", "::1"]}, lookups=[])

    def resolve(host, port):
        table.lookups.append(host)
        if host not in table.names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(table.names[host])

    monkeypatch.setattr(destinations, "resolve", resolve)
    return table


def endpoint_for(receiver, **fields):
    return WebhookEndpoint.objects.create(
        name="Front end", url=receiver.url, secret="s3cret", **fields
    )


def test_publish_sends_a_signed_post(receiver, therapy_index, django_capture_on_commit_callbacks):
    site = receiver()
    endpoint_for(site)
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_therapy(therapy_index, "Laser", "laser", "Tia laser", "tia-laser")
    assert len(site.requests) == 1
    request = site.requests[0]
    payload = json.loads(request["body"])
    assert payload["event"] == "page.published"
    assert payload["id"] == page.pk and payload["type"] == "therapy"
    assert payload["urls"] == {
        "en": "http://testserver/en/therapies/laser/",
        "vi": "http://testserver/vi/lieu-phap/tia-laser/",
    }
    assert payload["timestamp"]
    expected = hmac.new(b"s3cret", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Webhook-Signature"] == f"sha256={expected}"
    assert request["headers"]["X-Webhook-Event"] == "page.published"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempt) == ("succeeded", 200, 1)
    assert delivery.payload == payload
    assert str(delivery.event_id) == request["headers"]["X-Webhook-Id"]


def test_failures_are_retried_and_every_attempt_recorded(
    receiver, therapy_index, django_capture_on_commit_callbacks
):
    site = receiver(statuses=(500, 502, 200))
    endpoint_for(site)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Laser", "laser", "Tia laser", "tia-laser")
    attempts = list(WebhookDelivery.objects.order_by("attempt"))
    assert [(a.attempt, a.status, a.response_code) for a in attempts] == [
        (1, "retrying", 500),
        (2, "retrying", 502),
        (3, "succeeded", 200),
    ]
    assert attempts[0].error == "HTTP 500"
    assert attempts[0].response_excerpt == "receiver is down"
    assert attempts[0].next_attempt_at is not None
    assert len({a.event_id for a in attempts}) == 1
    assert len({r["headers"]["X-Webhook-Id"] for r in site.requests}) == 1


def test_timeouts_give_up_after_max_attempts_without_breaking_publish(
    receiver, therapy_index, django_capture_on_commit_callbacks
):
    site = receiver()
    site.gate.clear()  # it never answers while the sender waits (its timeout is 0.5 s)
    endpoint_for(site)
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_therapy(therapy_index, "Laser", "laser", "Tia laser", "tia-laser")
    page.refresh_from_db()
    assert page.live
    attempts = list(WebhookDelivery.objects.order_by("attempt"))
    assert [(a.status, a.response_code) for a in attempts] == [
        ("retrying", None),
        ("retrying", None),
        ("failed", None),
    ]
    assert all("Timed out" in a.error for a in attempts)


def closed_port():
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_endpoint_is_recorded(therapy_index, django_capture_on_commit_callbacks):
    url = f"http://127.0.0.1:{closed_port()}/hook"
    WebhookEndpoint.objects.create(name="Gone", url=url, secret="x")
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Laser", "laser")
    last = WebhookDelivery.objects.order_by("-attempt").first()
    assert last.status == "failed" and last.attempt == 3
    assert "ConnectionRefusedError" in last.error


def test_a_private_page_published_is_announced_as_gone_without_its_addresses(
    receiver, prp, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    site = receiver()
    endpoint_for(site)
    PageViewRestriction.objects.create(page=prp, restriction_type="password", password="pw")
    prp.title_vi = "PRP bí mật"
    with django_capture_on_commit_callbacks(execute=True):
        prp.save_revision().publish()
    (event,) = [json.loads(r["body"]) for r in site.requests]
    assert event["event"] == "page.unpublished" and event["id"] == prp.pk
    assert event["urls"] == {"en": None, "vi": None}


def test_unpublish_and_delete_are_announced(receiver, prp, django_capture_on_commit_callbacks):
    site = receiver()
    endpoint_for(site)
    with django_capture_on_commit_callbacks(execute=True):
        prp.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        prp.delete()
    events = [json.loads(r["body"]) for r in site.requests]
    assert [e["event"] for e in events] == ["page.unpublished", "page.deleted"]
    assert all(e["id"] == prp.pk and e["type"] == "therapy" for e in events)
    assert events[1]["urls"]["vi"] == "http://testserver/vi/lieu-phap/prp/"


def test_inactive_endpoints_and_rolled_back_publishes_send_nothing(
    receiver, therapy_index, django_capture_on_commit_callbacks
):
    site = receiver()
    endpoint_for(site, active=False)
    active = receiver()
    endpoint_for(active)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                factories.make_therapy(therapy_index, "Laser", "laser")
                raise RuntimeError("the editor's save failed")
        except RuntimeError:
            pass
    assert site.requests == [] and active.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Peel", "peel")
    assert site.requests == [] and len(active.requests) == 1


def test_without_an_active_endpoint_a_publish_builds_no_event(
    receiver, therapy_index, django_capture_on_commit_callbacks, monkeypatch
):
    """Building an event reads each language's URL and state: not done when nobody listens."""
    from webhooks import signals

    built = []
    page_event = signals.page_event

    def counted(event, page, **kwargs):
        built.append(event)
        return page_event(event, page, **kwargs)

    monkeypatch.setattr(signals, "page_event", counted)
    site = receiver()
    endpoint = endpoint_for(site, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_therapy(therapy_index, "Laser", "laser")
        page.unpublish()
    assert built == [] and site.requests == []
    endpoint.active = True
    endpoint.save()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert built == ["page.published"]
    assert json.loads(site.requests[0]["body"])["event"] == "page.published"


def test_a_broken_queue_never_breaks_the_publish(
    receiver, therapy_index, django_capture_on_commit_callbacks, monkeypatch
):
    from webhooks import tasks

    class BrokenQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue unavailable")

    monkeypatch.setattr(tasks, "deliver_webhook", BrokenQueue())
    endpoint_for(receiver())
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_therapy(therapy_index, "Laser", "laser")
    page.refresh_from_db()
    assert page.live


def test_editors_manage_endpoints_and_read_deliveries_in_the_admin(
    admin_client, receiver, therapy_index, django_capture_on_commit_callbacks
):
    site = receiver(statuses=(503, 200))
    endpoint_for(site)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Laser", "laser")
    endpoints = admin_client.get("/admin/snippets/webhooks/webhookendpoint/")
    assert endpoints.status_code == 200 and site.url.encode() in endpoints.content
    deliveries = admin_client.get("/admin/snippets/webhooks/webhookdelivery/")
    assert deliveries.status_code == 200
    assert b"page.published" in deliveries.content and b"503" in deliveries.content
    first = WebhookDelivery.objects.get(attempt=1)
    inspect = admin_client.get(f"/admin/snippets/webhooks/webhookdelivery/inspect/{first.pk}/")
    assert inspect.status_code == 200 and b"receiver is down" in inspect.content
    # The log cannot be edited by hand.
    assert admin_client.get("/admin/snippets/webhooks/webhookdelivery/add/").status_code in (
        302,
        403,
    )


@pytest.mark.django_db(transaction=True)
def test_thread_backend_delivers_without_holding_up_the_publish(receiver, home, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "webhooks": {"BACKEND": "webhooks.backends.ThreadBackend"},
    }
    settings.WEBHOOKS = {**FAST_RETRIES, "TIMEOUT": 5}
    site = receiver()
    site.gate.clear()  # the receiver holds every answer until the publish is over
    endpoint_for(site)
    index = factories.make_therapy_index(home)
    page = factories.make_therapy(index, "Laser", "laser")
    # The publish is done while no delivery has been answered: it did not wait for them.
    assert page.live
    assert not WebhookDelivery.objects.filter(status="succeeded").exists()
    site.gate.set()
    # Two events (section and therapy): join the delivery threads, so none outlives the test.
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.join(10)
    assert WebhookDelivery.objects.filter(status="succeeded").count() == 2
    assert {json.loads(r["body"])["type"] for r in site.requests} == {"therapy_index", "therapy"}


@pytest.mark.django_db
def test_thread_backend_closes_the_database_connection_its_thread_opened():
    from webhooks.backends import ThreadBackend

    backend = ThreadBackend("webhooks", {})
    seen = {}

    def execute(result):
        from django.db import connections

        wrapper = connections["default"]  # this thread's own, not the proxy
        wrapper.ensure_connection()  # what a delivery does when it records its attempt
        seen["wrapper"] = wrapper
        close = wrapper.close
        wrapper.close = lambda: (seen.setdefault("closed", True), close())

    backend._execute_task = execute
    thread = threading.Thread(target=backend._run, args=(None,))
    thread.start()
    thread.join(timeout=10)
    # SQLite's in-memory test database ignores close(), so ask whether close() was called; on
    # PostgreSQL the session itself is gone (before the fix, test teardown found it still open).
    assert seen.get("closed")
    if seen["wrapper"].vendor == "postgresql":
        assert seen["wrapper"].connection is None


# Private networks: endpoints reach public internet addresses only, unless settings allow more.

ADD_ENDPOINT = "/admin/snippets/webhooks/webhookendpoint/add/"

# One URL per kind of address a webhook may not reach, spelled as an editor might paste it.
FORBIDDEN = {
    "loopback": "http://127.0.0.1:8080/hook",
    "loopback by name": "http://localhost:3000/hook",
    "loopback IPv6": "http://[::1]:8080/hook",
    "loopback as a number": "http://2130706433:8080/hook",
    "loopback short form": "http://127.1:8080/hook",
    "IPv4-mapped loopback": "http://[::ffff:127.0.0.1]:8080/hook",
    "private 10/8": "http://10.0.3.7/hook",
    "private 172.16/12": "http://172.16.5.4/hook",
    "private 192.168/16": "http://192.168.1.20/hook",
    "private by name": "https://intranet.clinic.test/hook",
    "link-local": "http://169.254.10.1/hook",
    "link-local IPv6": "http://[fe80::1]/hook",
    "unique-local IPv6": "http://[fd12:3456::1]/hook",
    "cloud metadata": "http://169.254.169.254/latest/meta-data/",
    "cloud metadata IPv6": "http://[fd00:ec2::254]/latest/meta-data/",
    "carrier-grade NAT": "http://100.64.0.9/hook",
    "unspecified": "http://0.0.0.0:8080/hook",
    "multicast": "http://224.0.0.1/hook",
    "6to4 around a private address": "http://[2002:a00:1::1]/hook",
}


@pytest.fixture
def closed_networks(settings, dns):
    """No network opened, as every shipped settings module has it; a name that is private."""
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    dns.names["intranet.clinic.test"] = ["10.20.30.40"]
    dns.names["hooks.example.com"] = ["93.184.216.34"]


@pytest.mark.parametrize("url", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_an_endpoint_cannot_point_into_a_private_network(closed_networks, url):
    endpoint = WebhookEndpoint(name="Internal", url=url, secret="s3cret")
    with pytest.raises(ValidationError) as refused:
        endpoint.full_clean()
    assert refused.value.message_dict["url"]
    # Delivery asks the same question of every stored URL, however it was stored.
    with pytest.raises(destinations.Refused) as at_delivery:
        destinations.check(url)
    assert "not a public internet address" in str(at_delivery.value.message)


@pytest.mark.parametrize(
    "url, reason",
    [
        ("ftp://hooks.example.com/hook", "Only http:// and https://"),
        ("https://user:pw@hooks.example.com/hook", "user name or password"),
        ("https://hooks.example.com:22/hook", "Port 22 is not allowed"),
        ("https://nowhere.example.com/hook", "could not be found"),
    ],
)
def test_an_endpoint_needs_a_plain_web_address_that_exists(closed_networks, url, reason):
    with pytest.raises(ValidationError) as refused:
        WebhookEndpoint(name="Odd", url=url, secret="s3cret").full_clean()
    assert reason in refused.value.message_dict["url"][0]


def test_a_public_endpoint_is_accepted(closed_networks):
    WebhookEndpoint(name="Front end", url="https://hooks.example.com/cms", secret="s").full_clean()
    WebhookEndpoint(name="Port", url="https://hooks.example.com:8443/cms", secret="s").full_clean()


@pytest.mark.parametrize(
    "url",
    [FORBIDDEN[k] for k in ("loopback", "private by name", "cloud metadata", "unique-local IPv6")],
)
def test_the_admin_refuses_a_private_address_and_keeps_the_input(
    admin_client, closed_networks, url
):
    response = admin_client.post(
        ADD_ENDPOINT, {"name": "Bộ dựng giao diện", "url": url, "secret": "s3cret", "active": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "not a public internet address" in html
    assert f'value="{url}"' in html and 'value="Bộ dựng giao diện"' in html
    assert not WebhookEndpoint.objects.exists()


def test_a_vietnamese_editor_reads_the_refusal_in_vietnamese(
    admin_client, django_user_model, closed_networks
):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "vi"
    profile.save()
    url = "http://169.254.169.254/latest/meta-data/"
    response = admin_client.post(
        ADD_ENDPOINT, {"name": "Kho dữ liệu", "url": url, "secret": "s3cret", "active": "on"}
    )
    html = response.content.decode()
    assert "không phải địa chỉ Internet công khai" in html
    assert "dịch vụ metadata của đám mây" in html
    assert f'value="{url}"' in html
    assert not WebhookEndpoint.objects.exists()


def test_a_name_that_turns_private_after_saving_is_refused_at_delivery_without_connecting(
    receiver, closed_networks, dns, therapy_index, django_capture_on_commit_callbacks, monkeypatch
):
    site = receiver()
    dns.names["hooks.example.com"] = ["93.184.216.34"]
    endpoint = WebhookEndpoint(
        name="Front end", url=f"http://hooks.example.com:{site.port}/cms", secret="s3cret"
    )
    endpoint.full_clean()
    endpoint.save()
    # The name now points at this machine, where the local receiver listens.
    dns.names["hooks.example.com"] = ["127.0.0.1"]
    connections = []
    monkeypatch.setattr(
        sending.socket, "create_connection", lambda *a, **k: connections.append(a) or 1 / 0
    )
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Laser", "laser")
    assert connections == [] and site.requests == []
    [attempt] = WebhookDelivery.objects.all()  # refused for good: no retry
    assert (attempt.status, attempt.response_code) == ("failed", None)
    assert attempt.error.startswith("Refused: hooks.example.com points to 127.0.0.1")
    assert "loopback" in attempt.error


def test_only_the_allowed_networks_open_for_the_local_receiver(
    receiver, settings, therapy_index, django_capture_on_commit_callbacks
):
    site = receiver()
    endpoint = WebhookEndpoint(name="Local", url=site.url, secret="s3cret")
    endpoint.full_clean()  # 127.0.0.1/32 is open in these tests
    endpoint.save()
    assert pytest.raises(
        ValidationError,
        WebhookEndpoint(name="Next door", url="http://127.0.0.2:8080/", secret="s").full_clean,
    )
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Laser", "laser")
    assert len(site.requests) == 1

    settings.WEBHOOK_ALLOWED_NETWORKS = []
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Peel", "peel")
    assert len(site.requests) == 1
    refused = WebhookDelivery.objects.get(status="failed")
    assert refused.error.startswith("Refused: 127.0.0.1 is not a public internet address")


def test_cloud_metadata_stays_closed_even_when_every_network_is_allowed(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["0.0.0.0/0", "::/0"]
    WebhookEndpoint(name="Anything", url="http://10.1.2.3:8080/", secret="s").full_clean()
    for url in (FORBIDDEN["cloud metadata"], FORBIDDEN["cloud metadata IPv6"]):
        with pytest.raises(ValidationError):
            WebhookEndpoint(name="Metadata", url=url, secret="s").full_clean()


def test_delivery_connects_to_the_address_it_checked_and_names_the_host(
    receiver, dns, therapy_index, django_capture_on_commit_callbacks
):
    site = receiver()
    dns.names["hooks.example.com"] = ["127.0.0.1"]
    WebhookEndpoint.objects.create(
        name="Front end", url=f"http://hooks.example.com:{site.port}/cms?v=2", secret="s3cret"
    )
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Laser", "laser")
    [request] = site.requests
    assert request["headers"]["Host"] == f"hooks.example.com:{site.port}"
    assert request["path"] == "/cms?v=2"
    assert dns.lookups == ["hooks.example.com"]  # one lookup, the one that was checked
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_redirects_are_recorded_not_followed(
    receiver, therapy_index, django_capture_on_commit_callbacks
):
    elsewhere = receiver()
    site = receiver(statuses=(302,), headers={"Location": elsewhere.url})
    endpoint_for(site)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Laser", "laser")
    assert elsewhere.requests == [] and len(site.requests) == 3
    attempts = list(WebhookDelivery.objects.order_by("attempt"))
    assert [(a.status, a.response_code) for a in attempts] == [
        ("retrying", 302),
        ("retrying", 302),
        ("failed", 302),
    ]
    assert attempts[0].error == "HTTP 302: redirects are not followed"


def test_the_log_keeps_a_short_clean_excerpt_of_a_failed_answer(
    admin_client, receiver, therapy_index, django_capture_on_commit_callbacks
):
    noisy = ("Máy chủ\r\nđang bảo trì\x00\x1b[31m \u202eđỏ\t" + "chi tiết lỗi " * 20_000).encode()
    site = receiver(statuses=(503, 200), body=noisy)
    endpoint_for(site)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Laser", "laser")
    failed = WebhookDelivery.objects.get(attempt=1)
    assert (failed.response_code, failed.error) == (503, "HTTP 503")
    text = failed.response_excerpt
    assert text.startswith("Máy chủ đang bảo trì [31m đỏ chi tiết lỗi chi tiết lỗi")
    assert len(text) <= 200 and text.endswith("…")
    assert unicodedata.is_normalized("NFC", text)
    assert not [c for c in text if unicodedata.category(c).startswith("C")]
    inspect = admin_client.get(f"/admin/snippets/webhooks/webhookdelivery/inspect/{failed.pk}/")
    assert "Máy chủ đang bảo trì" in inspect.content.decode()


def test_every_shipped_settings_module_opens_no_network_by_default():
    modules = ["cms.settings.dev", "cms.settings.production", "cms.settings.test", "bench.settings"]
    script = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    print(name, importlib.import_module(name).WEBHOOK_ALLOWED_NETWORKS)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "WEBHOOK_ALLOWED_NETWORKS"}
    env.update(SECRET_KEY="x", ALLOWED_HOSTS="cms.example.com", DATABASE_URL="sqlite:///unused")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", script, *modules],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines() == [f"{name} []" for name in modules]


# HTTPS: the connection goes to the checked address, the TLS handshake names the host.


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A throwaway authority and a certificate it signed for hooks.example.com."""
    folder = tmp_path_factory.mktemp("tls")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
             "ca.pem", "-days", "2", "-subj", "/CN=Test authority", cwd=folder)  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "site.key", "-out", "site.csr",
             "-subj", "/CN=hooks.example.com", cwd=folder)  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=DNS:hooks.example.com\n")
    _openssl("x509", "-req", "-in", "site.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "site.pem", "-days", "2", "-extfile", "san.ext",
             cwd=folder)  # fmt: skip
    return folder


@pytest.fixture
def https_receiver(receiver, certificates, monkeypatch):
    names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / "site.pem", certificates / "site.key")
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    # Deliveries trust the throwaway authority, with the usual hostname check.
    monkeypatch.setattr(
        sending,
        "tls_context",
        lambda: ssl.create_default_context(cafile=str(certificates / "ca.pem")),
    )
    site = receiver(tls=context)
    site.server_names = names
    return site


def test_https_delivery_checks_the_certificate_for_the_host_name(
    https_receiver, dns, therapy_index, django_capture_on_commit_callbacks
):
    dns.names["hooks.example.com"] = ["127.0.0.1"]
    dns.names["other.example.com"] = ["127.0.0.1"]
    port = https_receiver.port
    WebhookEndpoint.objects.create(
        name="Front end", url=f"https://hooks.example.com:{port}/cms", secret="s"
    )
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Laser", "laser")
    assert WebhookDelivery.objects.get().status == "succeeded"
    assert https_receiver.server_names == ["hooks.example.com"]
    assert https_receiver.requests[0]["headers"]["Host"] == f"hooks.example.com:{port}"

    WebhookEndpoint.objects.update(url=f"https://other.example.com:{port}/cms")
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_therapy(therapy_index, "Peel", "peel")
    wrong_name = WebhookDelivery.objects.filter(status="failed").first()
    assert (
        "SSLCertVerificationError" in wrong_name.error and "other.example.com" in wrong_name.error
    )
    assert len(https_receiver.requests) == 1
