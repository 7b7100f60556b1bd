"""DNS rebinding: each delivery resolves the receiver's host once, refuses it when any of
its addresses is not public, and connects to the address it checked, keeping the Host
header, the TLS server name and the certificate's check on the endpoint's host."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import trustme

from db import clock
from db.engine import Database
from db.models import WebhookDelivery
from resolvers.webhooks.pinning import REFUSED, Refused, is_public, pin
from tests.helpers import Api
from tests.issue_helpers import report
from tests.resolvers.webhooks.test_dispatch import make_dispatcher
from tests.webhook_helpers import partner_token, register
from tests.webhook_receiver import running_receiver

PUBLIC = "93.184.216.34"


class Resolver:
    """Answers each look-up with the next of ANSWERS (the last one again once they run out)
    and notes what was asked: a name that rebinds between two look-ups."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "::1", "10.0.0.5", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "fe80::1", "fc00::1", "100.64.0.1", "0.0.0.0", "::", "224.0.0.1", "239.255.255.250",  # noqa: S104
        "ff02::1", "240.0.0.1", "255.255.255.255", "203.0.113.7", "::ffff:127.0.0.1",
        "64:ff9b::a00:5",  # NAT64 of 10.0.0.5
    ],
)  # fmt: skip
def test_addresses_inside_or_special_are_not_public(address: str) -> None:
    import ipaddress

    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:4700:4700::1111"])
def test_addresses_on_the_internet_are_public(address: str) -> None:
    import ipaddress

    assert is_public(ipaddress.ip_address(address))


async def test_one_private_address_among_public_ones_refuses_the_host() -> None:
    with pytest.raises(Refused):
        await pin(
            "https://partner.example/hooks",
            resolve=Resolver([PUBLIC, "10.0.0.5"]),
            allow_private=False,
        )


async def test_an_address_in_the_url_is_checked_without_resolving() -> None:
    resolver = Resolver([PUBLIC])
    with pytest.raises(Refused):
        await pin("https://[::ffff:10.0.0.5]/hooks", resolve=resolver, allow_private=False)
    allowed = await pin("http://127.0.0.1:8080/hooks", resolve=resolver, allow_private=True)
    assert (str(allowed.url), allowed.headers, allowed.extensions) == (
        "http://127.0.0.1:8080/hooks",
        {"Host": "127.0.0.1:8080", "Connection": "close"},
        {},
    )
    assert resolver.asked == []


async def test_a_name_rebound_to_a_private_address_is_never_called(
    api: Api, db: Database, frozen_clock: clock.FrozenClock
) -> None:
    sent: list[httpx.Request] = []

    def receive(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    resolver = Resolver([PUBLIC], ["10.0.0.5"])
    dispatcher = make_dispatcher(
        db,
        transport=httpx.MockTransport(receive),
        resolve=resolver,
        allow_private_addresses=False,
    )
    try:
        token = await partner_token(api)
        await register(api, as_=token["secret"], url="https://partner.example/hooks/jinlin")
        await report(api)
        assert (await dispatcher.run_once()).attempted == 1
        # Resolved once, and the POST went to that very address, named for its host.
        assert resolver.asked == [("partner.example", 443)]
        (request,) = sent
        assert request.url == httpx.URL(f"https://{PUBLIC}/hooks/jinlin")
        assert request.headers["host"] == "partner.example"
        assert request.extensions["sni_hostname"] == "partner.example"
        # The name now points into the server's network: looked up again, refused, not sent.
        await report(api)
        assert (await dispatcher.run_once()).attempted == 1
        assert len(resolver.asked) == 2 and len(sent) == 1
        async with api.db.read_sessions() as session:
            last = (
                await session.execute(
                    sa.select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(1)  # type: ignore[union-attr]
                )
            ).scalar_one()
        assert (last.status, last.last_status_code, last.last_error) == ("PENDING", None, REFUSED)
    finally:
        await dispatcher.aclose()


async def test_tls_to_the_pinned_address_checks_the_endpoints_host(
    api: Api, db: Database, frozen_clock: clock.FrozenClock, tmp_path: Path
) -> None:
    authority = trustme.CA()
    issued = authority.issue_cert("partner.example")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    issued.cert_chain_pems[0].write_to_path(str(certificate))
    issued.private_key_pem.write_to_path(str(key))
    trusted = ssl.create_default_context()
    authority.configure_trust(trusted)
    with running_receiver(tls=(str(certificate), str(key))) as receiver:
        port = httpx.URL(receiver.url).port
        dispatcher = make_dispatcher(
            db,
            # A transport that would keep connections: the pinned requests close theirs.
            transport=httpx.AsyncHTTPTransport(verify=trusted),
            resolve=Resolver(["127.0.0.1"]),  # both names: this machine (allowed in tests)
        )
        try:
            for host in ("partner.example", "impostor.example"):
                token = await partner_token(api)
                await register(api, as_=token["secret"], url=f"https://{host}:{port}/hooks")
            await report(api)
            assert (await dispatcher.run_once()).attempted == 2
        finally:
            await dispatcher.aclose()
    # The certificate names partner.example: its POST went through, the impostor's did not.
    (received,) = receiver.requests
    assert received.headers["host"] == f"partner.example:{port}"
    async with api.db.read_sessions() as session:
        outcomes = (
            await session.execute(
                sa.select(WebhookDelivery.last_status_code, WebhookDelivery.last_error).order_by(
                    WebhookDelivery.id
                )
            )
        ).all()
    assert outcomes[0] == (200, None)
    assert outcomes[1][0] is None and "CERTIFICATE_VERIFY_FAILED" in (outcomes[1][1] or "")
