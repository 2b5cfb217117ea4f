"""The client's address: ``X-Forwarded-For`` is believed only from configured proxies.

Walk the chain from the right (the hop nearest to us): the direct peer first, then each
forwarded address, skipping every hop that is a trusted proxy; the first untrusted address is
the client. Anything a client writes on the left of the header is therefore ignored once an
untrusted hop is reached, and a header sent straight to us (peer not trusted) is ignored whole.
A malformed entry stops the walk at the last trusted hop we could read: never trust garbage.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_FORWARDED_HOPS = 32
UNKNOWN_CLIENT = "unknown"


@lru_cache(maxsize=64)
def parse_trusted_proxies(trusted: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """CIDRs or single addresses (``10.0.0.0/8``, ``127.0.0.1``, ``::1``); bad entries raise ValueError."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted if entry.strip())


def _address(text: str) -> IPAddress | None:
    candidate = text.strip()
    if candidate.startswith("[") and "]" in candidate:  # "[2001:db8::1]:443"
        candidate = candidate[1 : candidate.index("]")]
    elif candidate.count(":") == 1:  # "203.0.113.7:5123"
        candidate = candidate.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(
    scope_client_host: str | None,
    x_forwarded_for: str | None,
    trusted_proxies: Iterable[str],
) -> str:
    """The address to throttle and log: the peer, or the first untrusted hop of X-Forwarded-For."""
    peer = _address(scope_client_host) if scope_client_host else None
    if peer is None:
        return UNKNOWN_CLIENT
    networks = parse_trusted_proxies(tuple(trusted_proxies))
    if not networks or not x_forwarded_for or not _trusted(peer, networks):
        return str(peer)
    hops = x_forwarded_for.rsplit(",", MAX_FORWARDED_HOPS)  # a longer chain leaves junk on the left
    client = peer
    for raw in reversed(hops):
        address = _address(raw)
        if address is None:
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
