"""Where a webhook POST goes: the receiver's host resolved once, checked, and pinned.

An endpoint's host could resolve to a public address when checked and to a private one a
moment later, when the connection is made (DNS rebinding), turning the dispatcher against
the server's own network. So each delivery resolves the host exactly once, refuses it if
any address it resolves to is loopback, private, link-local, multicast, reserved or
otherwise not globally reachable (unless private addresses are allowed, for development
and tests), and then connects to the address it checked: the request's URL names that
address, while the Host header and, for https, the TLS server name (SNI) and the
certificate's check stay the endpoint's host (httpx's `sni_hostname` request extension),
and the connection is not kept for another request.

httpx-secure (an httpx add-on) was weighed and not taken: it patches httpx's and httpcore's
private internals, picks an address by opening a TCP connection to it (denied ones
included), caches its verdicts for minutes, and offers no resolver a test can stand in for.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# host, port -> the addresses it resolves to, as text (the system's resolver by default)
Resolver = Callable[[str, int], Awaitable[list[str]]]

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
REFUSED = "the URL resolves to a private or loopback address"


class Refused(Exception):
    """The host resolves (also) to an address the dispatcher must not call."""


async def system_resolver(host: str, port: int) -> list[str]:
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in found]


def _address(text: str) -> IPAddress:
    # A link-local IPv6 address may come with its zone ("fe80::1%eth0").
    return ipaddress.ip_address(text.split("%", 1)[0])


def _embedded(address: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped or NAT64 IPv6 address, else ADDRESS."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in NAT64:
            return ipaddress.IPv4Address(address.packed[-4:])
    return address


def is_public(address: IPAddress) -> bool:
    """Whether ADDRESS is one the open internet routes to (and no multicast group)."""
    inner = _embedded(address)
    return all(
        a.is_global and not (a.is_multicast or a.is_reserved or a.is_unspecified)
        for a in (address, inner)
    )


@dataclass(frozen=True)
class Pinned:
    """A request to the checked address that still names the endpoint's host."""

    url: httpx.URL
    address: str
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)


async def pin(url: str, *, resolve: Resolver, allow_private: bool) -> Pinned:
    """URL's host resolved once and checked. Raises Refused for a forbidden address, OSError
    when the host does not resolve."""
    target = httpx.URL(url)
    host = target.raw_host.decode("ascii")  # an international name as DNS and TLS see it
    port = target.port or (443 if target.scheme == "https" else 80)
    try:
        addresses = [_address(host)]  # an address already: nothing to resolve
        literal = True
    except ValueError:
        addresses = [_address(found) for found in await resolve(host, port)]
        literal = False
    if not addresses:
        raise OSError(f"{host} resolves to no address")
    if not allow_private and not all(is_public(a) for a in addresses):
        raise Refused(REFUSED)
    chosen = str(addresses[0])
    # One connection per request: pooled connections are keyed by the address in the URL,
    # and one verified for another host at the same address must not carry this request.
    headers = {"Host": target.netloc.decode("ascii"), "Connection": "close"}
    extensions: dict[str, Any] = {}
    if target.scheme == "https" and not literal:
        extensions["sni_hostname"] = host
    return Pinned(target.copy_with(host=chosen), chosen, headers, extensions)
