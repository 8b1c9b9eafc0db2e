"""External sites are told, with a signed POST, when a page is published, unpublished or deleted."""

import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.db import transaction

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

    def __init__(self, statuses=(200,), delay=0.0, body=None, headers=None, tls=None):
        self.requests = []
        self.statuses = list(statuses)
        self.delay = delay
        self.answer = body
        self.answer_headers = headers or {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                time.sleep(receiver.delay)
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
    site = receiver(delay=1.0)
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
    site = receiver(delay=1.0)
    endpoint_for(site)
    index = factories.make_therapy_index(home)
    started = time.monotonic()
    factories.make_therapy(index, "Laser", "laser")
    assert time.monotonic() - started < 0.9  # the receiver takes a full second
    deadline = time.monotonic() + 10
    # Two events (section and therapy): wait for both, so no thread outlives the test.
    while WebhookDelivery.objects.filter(status="succeeded").count() < 2:
        assert time.monotonic() < deadline, "deliveries never recorded"
        time.sleep(0.05)
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
