"""Where a webhook may go: public internet addresses, plus the networks settings allow.

An endpoint URL is checked when it is saved and again before every delivery, after its
host name is resolved (a name can point somewhere else by then). ``check`` returns the
addresses it approved, and delivery connects to exactly those, so no second lookup
can swap in another address between the check and the connection.

``WEBHOOK_ALLOWED_NETWORKS`` (a list of CIDR strings, empty in every shipped settings
module) opens chosen networks, e.g. a front end on the clinic's own private network.
Cloud metadata services stay refused even inside an allowed network.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SCHEMES = {"http": 80, "https": 443}
# Below 1024 only the web's own ports: the others are services (SSH, SMTP, DNS, LDAP …),
# never webhook receivers.
LOWEST_FREE_PORT = 1024

METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, Azure, GCP, Oracle, DigitalOcean …
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.170.23",  # AWS EKS pod identity
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS over IPv6
        "fd00:ec2::23",  # AWS EKS pod identity over IPv6
    )
)
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
NAT64 = ipaddress.ip_network("64:ff9b::/96")

KINDS = {
    "metadata": _("cloud metadata service"),
    "unspecified": _("unspecified address"),
    "loopback": _("loopback, this machine"),
    "link-local": _("link-local"),
    "unique-local": _("unique local network"),
    "shared": _("shared address space (CGNAT)"),
    "multicast": _("multicast"),
    "private": _("private network"),
    "reserved": _("reserved or not public"),
}


class Refused(Exception):
    """A URL a webhook may not go to; ``message`` (translatable) says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotFound(Refused):
    """The host name resolves to nothing (now): worth another try at delivery."""


@dataclass(frozen=True)
class Destination:
    """A checked URL: where to connect (``addresses``) and what to ask for."""

    scheme: str
    host: str
    port: int
    target: str
    addresses: tuple


def resolve(host, port):
    """Every address ``host`` has in DNS; tests replace this function, so they need no DNS."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def _numeric(host, port):
    """The address of a host written as an address (``127.1`` and ``0x7f.1`` too), or None.

    Asks the system's own parser without DNS, so an unusual spelling is read exactly as
    the connection would read it.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError):
        return None
    return [info[4][0] for info in infos]


def _embedded_ipv4(ip):
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo, NAT64), or None."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def kind_of(ip):
    """Which kind of non-public address ``ip`` is (a key of ``KINDS``), or None if public."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        inner_kind = kind_of(inner)
        # A mapped or NAT64 address is only a spelling of its IPv4 address.
        if inner_kind or ip.ipv4_mapped or ip in NAT64:
            return inner_kind
    if ip in METADATA:
        return "metadata"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.version == 6 and ip in UNIQUE_LOCAL:
        return "unique-local"
    if ip.version == 4 and ip in SHARED:
        return "shared"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved or getattr(ip, "is_site_local", False) or not ip.is_global:
        return "reserved"
    return None


def allowed_networks():
    """The networks ``WEBHOOK_ALLOWED_NETWORKS`` opens; a malformed entry stops delivery loudly."""
    networks = []
    for entry in getattr(settings, "WEBHOOK_ALLOWED_NETWORKS", []):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"WEBHOOK_ALLOWED_NETWORKS: {exc}") from exc
    return networks


def _is_allowed(ip, kind, networks):
    if kind is None:
        return True
    if kind == "metadata":
        return False
    inner = _embedded_ipv4(ip)
    return any(ip in net or (inner is not None and inner in net) for net in networks)


def check(url):
    """The ``Destination`` for ``url``, or ``Refused`` saying why a webhook may not go there.

    Refuses schemes other than http and https, a user name or password in the URL, ports
    below 1024 other than 80 and 443, and a host any of whose addresses is not public
    (unless in an allowed network).
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused(_("This is not a valid web address.")) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise Refused(_("Only http:// and https:// addresses can receive webhooks."))
    if parts.username is not None or parts.password is not None:
        raise Refused(
            _("The address may not contain a user name or password; the secret signs each request.")
        )
    host = parts.hostname
    if not host:
        raise Refused(_("This is not a valid web address."))
    if port is None:
        port = SCHEMES[scheme]
    if port < LOWEST_FREE_PORT and port not in SCHEMES.values():
        raise Refused(
            _("Port %(port)s is not allowed: use 80, 443 or a port from 1024 up.") % {"port": port}
        )
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise Refused(_("This is not a valid web address.")) from None

    literal = _numeric(host, port)
    if literal is None:
        try:
            found = resolve(host, port)
        except (OSError, UnicodeError):
            found = []
        if not found:
            raise NotFound(_("The host name %(host)s could not be found.") % {"host": host})
    addresses = []
    networks = allowed_networks()
    for address in literal or found:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        kind = kind_of(ip)
        if not _is_allowed(ip, kind, networks):
            values = {"host": host, "address": ip, "kind": KINDS[kind]}
            if literal is not None:
                message = _(
                    "%(address)s is not a public internet address (%(kind)s): "
                    "webhooks only go to public addresses."
                )
            else:
                message = _(
                    "%(host)s points to %(address)s, which is not a public internet address "
                    "(%(kind)s): webhooks only go to public addresses."
                )
            raise Refused(message % values)
        if str(ip) not in addresses:
            addresses.append(str(ip))
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return Destination(scheme, host, port, target, tuple(addresses))
