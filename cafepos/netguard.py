"""Outbound connections to addresses that users type (webhook URLs, later printers): never "any address".

Each kind of target has an allow-list of networks and ports in settings (`WEBHOOK_ALLOWED_NETWORKS` /
`WEBHOOK_ALLOWED_PORTS`, `PRINTER_ALLOWED_NETWORKS` / `PRINTER_ALLOWED_PORTS`). A name is resolved once, every
address it resolves to must be allowed, and the connection goes to that checked address (the name is kept
for the Host header, SNI and the certificate check): a DNS answer that changes between the check and the
connection (rebinding) cannot redirect it. Networks are CIDRs or the words `public` (globally routable
unicast), `loopback` and `private` (RFC 1918 and IPv6 unique-local). Ports are numbers or ranges `a-b`.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

WEBHOOK = "WEBHOOK"
PRINTER = "PRINTER"

_LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
_PRIVATE = tuple(ipaddress.ip_network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))
_WORDS = {"public", "loopback", "private"}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The target is not allowed for its kind (or cannot be resolved); the message says why, for the user."""


@dataclass(frozen=True)
class Policy:
    kind: str
    words: frozenset[str]
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    ports: tuple[tuple[int, int], ...]

    def allows_address(self, address: Address) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
        if "public" in self.words and address.is_global and not address.is_multicast:
            return True
        if "loopback" in self.words and any(address in network for network in _LOOPBACK):
            return True
        if "private" in self.words and any(address in network for network in _PRIVATE):
            return True
        return any(address.version == network.version and address in network for network in self.networks)

    def allows_port(self, port: int) -> bool:
        return any(low <= port <= high for low, high in self.ports)


def parse_networks(values: list[str]) -> tuple[frozenset[str], tuple]:
    words = {value.strip().lower() for value in values if value.strip().lower() in _WORDS}
    cidrs = [value.strip() for value in values if value.strip() and value.strip().lower() not in _WORDS]
    return frozenset(words), tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def parse_ports(values: list[str]) -> tuple[tuple[int, int], ...]:
    ranges = []
    for value in (value.strip() for value in values if value.strip()):
        low, _, high = value.partition("-")
        ranges.append((int(low), int(high or low)))
    if any(not 1 <= low <= high <= 65535 for low, high in ranges):
        raise ValueError(f"ports must be within 1-65535: {values!r}")
    return tuple(ranges)


def policy(kind: str) -> Policy:
    """The allow-list of a kind of target, read from settings each time (tests and operators change them)."""
    words, networks = parse_networks(getattr(settings, f"{kind}_ALLOWED_NETWORKS"))
    return Policy(kind, words, networks, parse_ports(getattr(settings, f"{kind}_ALLOWED_PORTS")))


def resolve(host: str, port: int, *, kind: str) -> Address:
    """The one address to connect to: every address `host` resolves to must be allowed (else `Refused`)."""
    rules = policy(kind)
    if not rules.allows_port(port):
        raise Refused(_("Port %(port)s is not allowed for this kind of target.") % {"port": port})
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Refused(_("The name %(host)s does not resolve.") % {"host": host}) from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos))
    refused = [address for address in addresses if not rules.allows_address(address)]
    if refused or not addresses:
        message = _("The address %(address)s is not allowed for this kind of target.")
        raise Refused(message % {"address": refused[0] if refused else host})
    return addresses[0]


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (`address`) and what to call it (`host`, for Host, SNI and certificates)."""

    scheme: str
    host: str
    port: int
    address: Address
    path: str


def check_url(url: str, *, kind: str) -> Target:
    """Parse and check an http(s) URL of a kind of target; raises `Refused` with a message for the user."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused(_("Enter a valid URL.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(_("Enter an http or https URL."))
    if parts.username or parts.password:
        raise Refused(_("A URL with a user name or password is not allowed."))
    address = resolve(parts.hostname, port, kind=kind)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, address, path)


@deconstructible
class AllowedURLValidator:
    """A model field validator: the URL's target must be allowed for `kind` when it is saved (and it is checked
    again at every connection, since what a name resolves to can change)."""

    code = "netguard.refused"

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, value: str) -> None:
        try:
            check_url(value, kind=self.kind)
        except Refused as refused:
            raise ValidationError(str(refused), code=self.code) from None

    def __eq__(self, other):
        return isinstance(other, AllowedURLValidator) and other.kind == self.kind


class PinnedConnection(http.client.HTTPConnection):
    """HTTP(S) to a checked address: no second DNS lookup; TLS verifies the certificate against the name."""

    def __init__(self, target: Target, *, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target
        self.default_port = 443 if target.scheme == "https" else 80  # Host: name without its default port
        self.tls = ssl.create_default_context() if target.scheme == "https" else None

    def connect(self):
        sock = socket.create_connection((str(self.target.address), self.target.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.target.host) if self.tls else sock


def connect_tcp(host: str, port: int, *, kind: str, timeout: float) -> socket.socket:
    """A raw TCP connection to a checked address (printers speak raw TCP on 9100)."""
    return socket.create_connection((str(resolve(host, port, kind=kind)), port), timeout)
