"""X-Forwarded-For is honoured only from trusted proxies, walked right to left."""

from __future__ import annotations

import pytest

from kisum.adapters.http.common.client_ip import UNKNOWN_CLIENT, client_ip

PROXIES = ("10.0.0.0/8", "192.168.1.5", "2001:db8::/32")


def test_header_from_an_untrusted_peer_is_ignored() -> None:
    assert client_ip("203.0.113.9", "1.2.3.4", PROXIES) == "203.0.113.9"


def test_no_trusted_proxies_means_the_peer() -> None:
    assert client_ip("10.1.2.3", "1.2.3.4", ()) == "10.1.2.3"


def test_trusted_peer_gives_the_forwarded_client() -> None:
    assert client_ip("10.1.2.3", "198.51.100.7", PROXIES) == "198.51.100.7"


def test_walks_past_every_trusted_hop_from_the_right() -> None:
    assert client_ip("10.1.2.3", "198.51.100.7, 192.168.1.5, 10.9.9.9", PROXIES) == "198.51.100.7"


def test_spoofed_left_entries_are_ignored() -> None:
    # The client wrote "1.1.1.1" itself; the proxy appended the real address.
    assert client_ip("10.1.2.3", "1.1.1.1, 198.51.100.7", PROXIES) == "198.51.100.7"


def test_all_hops_trusted_gives_the_leftmost() -> None:
    assert client_ip("10.1.2.3", "10.2.2.2, 10.3.3.3", PROXIES) == "10.2.2.2"


@pytest.mark.parametrize("header", ["garbage", "198.51.100.7, not-an-ip", ""])
def test_malformed_entries_stop_at_the_last_readable_hop(header: str) -> None:
    assert client_ip("10.1.2.3", header, PROXIES) == "10.1.2.3"


def test_ipv6_and_ports_are_understood() -> None:
    assert client_ip("2001:db8::1", "[2001:db9::5]:443", PROXIES) == "2001:db9::5"
    assert client_ip("10.1.2.3", "198.51.100.7:5123", PROXIES) == "198.51.100.7"
    assert client_ip("::ffff:10.1.2.3", "198.51.100.7", PROXIES) == "198.51.100.7"


def test_missing_or_bad_peer_is_unknown() -> None:
    assert client_ip(None, "198.51.100.7", PROXIES) == UNKNOWN_CLIENT
    assert client_ip("testclient", None, PROXIES) == UNKNOWN_CLIENT


def test_overlong_chains_cannot_smuggle_an_address() -> None:
    header = "6.6.6.6, " + ", ".join(["10.0.0.1"] * 100)
    assert client_ip("10.1.2.3", header, PROXIES) == "10.0.0.1"
