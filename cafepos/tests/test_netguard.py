"""Outbound targets: each kind's allow-list of networks and ports, checked after DNS, connected to as checked."""

import ipaddress
import os
import ssl
import subprocess
import sys

import pytest

from cafepos import netguard
from delivery.tests.receiver import Receiver
from testing.netguard import PRODUCTION


@pytest.fixture
def production(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    return settings


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:9808/metrics",
        "http://[::1]:8000/",
        "http://[::ffff:127.0.0.1]:8000/",
        "http://10.0.0.5/hook",
        "http://0.0.0.0:8000/",
        "http://2130706433:8000/",  # 127.0.0.1 written as one number
    ],
)
def test_internal_targets_are_refused_for_webhooks_in_production(production, url):
    with pytest.raises(netguard.Refused):
        netguard.check_url(url, kind=netguard.WEBHOOK)


def test_a_public_address_on_an_allowed_port_passes_and_other_ports_do_not(production):
    target = netguard.check_url("https://93.184.215.14/hooks?x=1", kind=netguard.WEBHOOK)

    assert (target.host, target.port, str(target.address), target.path) == (
        "93.184.215.14",
        443,
        "93.184.215.14",
        "/hooks?x=1",
    )
    with pytest.raises(netguard.Refused, match="Port 25"):
        netguard.check_url("http://93.184.215.14:25/", kind=netguard.WEBHOOK)


@pytest.mark.parametrize("url", ["ftp://93.184.215.14/", "http://user:pw@93.184.215.14/", "http://[::1/", "no-scheme"])
def test_malformed_or_credentialed_urls_are_refused(production, url):
    with pytest.raises(netguard.Refused):
        netguard.check_url(url, kind=netguard.WEBHOOK)


def test_development_allows_loopback_and_a_listed_cidr_widens_production(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["public", "loopback"]
    assert str(netguard.check_url("http://localhost:8000/", kind=netguard.WEBHOOK).address) in ("127.0.0.1", "::1")

    settings.WEBHOOK_ALLOWED_NETWORKS = ["public", "10.1.0.0/16"]
    assert str(netguard.check_url("http://10.1.2.3:8080/", kind=netguard.WEBHOOK).address) == "10.1.2.3"
    with pytest.raises(netguard.Refused):
        netguard.check_url("http://10.2.0.1:8080/", kind=netguard.WEBHOOK)


def test_printers_have_their_own_list_lan_on_9100_never_public_or_loopback():
    assert str(netguard.resolve("192.168.1.50", 9100, kind=netguard.PRINTER)) == "192.168.1.50"
    for host, port in (("192.168.1.50", 80), ("93.184.215.14", 9100), ("127.0.0.1", 9100), ("169.254.1.1", 9100)):
        with pytest.raises(netguard.Refused):
            netguard.resolve(host, port, kind=netguard.PRINTER)


def test_the_connection_goes_to_the_checked_address_without_resolving_the_name_again(settings):
    """A rebinding name cannot redirect it: the name here does not even resolve, yet the POST reaches the address
    checked before, with the name in the Host header."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["loopback"]
    with Receiver() as receiver:
        checked = netguard.check_url(receiver.url, kind=netguard.WEBHOOK)
        rebinding = netguard.Target("http", "rebind.invalid", checked.port, checked.address, "/hooks")
        connection = netguard.PinnedConnection(rebinding, timeout=5)
        connection.request("POST", rebinding.path, body=b"{}", headers={"Content-Type": "application/json"})
        status = connection.getresponse().status
        connection.close()

    assert status == 200
    assert receiver.requests[0]["headers"]["Host"] == f"rebind.invalid:{checked.port}"


def test_the_allow_lists_parse_ranges_and_refuse_bad_ports():
    assert netguard.parse_ports(["80", "1024-65535"]) == ((80, 80), (1024, 65535))
    with pytest.raises(ValueError):
        netguard.parse_ports(["0-70000"])


@pytest.mark.parametrize("name, value", [("WEBHOOK_ALLOWED_PORTS", "0-99999"), ("PRINTER_ALLOWED_NETWORKS", "lan")])
def test_a_bad_allow_list_stops_cafepos_at_start(name, value):
    environment = {**os.environ, name: value, "DJANGO_SETTINGS_MODULE": "cafepos.settings"}
    started = subprocess.run(  # noqa: S603 (our interpreter, fixed arguments)
        [sys.executable, "-c", "import django; django.setup()"], env=environment, capture_output=True, text=True
    )

    assert started.returncode != 0
    assert "CafePOS configuration error: allowed networks or ports" in started.stderr


@pytest.fixture
def tls_receiver(tmp_path):
    """An HTTPS receiver on loopback with a self-signed certificate for `localhost`."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    with Receiver() as receiver:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        receiver.server.socket = context.wrap_socket(receiver.server.socket, server_side=True)
        yield receiver, cert


def post_over_tls(target: netguard.Target, ca) -> int:
    connection = netguard.PinnedConnection(target, timeout=5)
    connection.tls.load_verify_locations(ca)
    try:
        connection.request("POST", target.path, body=b"{}", headers={"Content-Type": "application/json"})
        return connection.getresponse().status
    finally:
        connection.close()


def test_tls_to_the_checked_address_verifies_the_certificate_against_the_name(settings, tls_receiver):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["loopback"]
    receiver, cert = tls_receiver
    port = receiver.server.server_address[1]
    target = netguard.check_url(f"https://localhost:{port}/hooks", kind=netguard.WEBHOOK)
    pinned = netguard.Target("https", "localhost", port, ipaddress.ip_address("127.0.0.1"), "/hooks")

    assert post_over_tls(pinned, cert) == 200
    assert target.host == "localhost"
    with pytest.raises(ssl.SSLCertVerificationError):  # the same address under another name: refused
        post_over_tls(netguard.Target("https", "rebind.invalid", port, pinned.address, "/hooks"), cert)
    with pytest.raises(ssl.SSLCertVerificationError):  # and an unknown issuer is never trusted
        connection = netguard.PinnedConnection(pinned, timeout=5)
        connection.request("POST", "/hooks", body=b"{}")
