"""A webhook receiver on 127.0.0.1 for the dispatcher's tests: a small Starlette app served
by uvicorn in a thread, recording every request and answering as a test scripts it."""

from __future__ import annotations

import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    # Status codes of the next answers, in order; 200 once they run out.
    script: deque[int] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.script.clear()

    def answer(self, *statuses: int) -> None:
        with self.lock:
            self.script.extend(statuses)

    async def endpoint(self, request: Request) -> Response:
        body = await request.body()
        with self.lock:
            self.requests.append(Received(dict(request.headers), body))
            status = self.script.popleft() if self.script else 200
        return Response(status_code=status)


@contextmanager
def running_receiver(tls: tuple[str, str] | None = None) -> Iterator[Receiver]:
    """A receiver on 127.0.0.1; with TLS (certificate file, key file), over https."""
    receiver = Receiver()
    app = Starlette(routes=[Route("/hooks", receiver.endpoint, methods=["POST"])])
    certificate, key = tls or (None, None)
    config = uvicorn.Config(
        app,
        log_level="warning",
        lifespan="off",
        ws="none",
        ssl_certfile=certificate,
        ssl_keyfile=key,
    )
    server = uvicorn.Server(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    scheme = "https" if tls else "http"
    receiver.url = f"{scheme}://127.0.0.1:{sock.getsockname()[1]}/hooks"
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test receiver did not start")
        time.sleep(0.01)
    try:
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
