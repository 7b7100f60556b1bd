"""Graceful stop: on SIGTERM go unready, keep serving while the load balancer notices, then stop.

uvicorn's own SIGTERM handling stops accepting at once and waits for requests in flight.
A load balancer still sending to the process in that moment gets refused connections, so
the process first answers /readyz with 503 for the drain period (still serving whatever
arrives), then hands the signal to uvicorn. A second SIGTERM stops at once.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from types import FrameType
from typing import Any

import structlog

log = structlog.get_logger("jinlin.http")


class Draining:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = False
        self._previous: Any = None
        self._handler: Any = None

    def install(self) -> None:
        """Stand in front of the server's SIGTERM handler (call from the running loop).

        Only where a server installed one: under a test's event loop SIGTERM keeps its
        default, and nothing changes."""
        previous = signal.getsignal(signal.SIGTERM)
        if threading.current_thread() is not threading.main_thread() or not callable(previous):
            return
        loop = asyncio.get_running_loop()

        def on_sigterm(sig: int, frame: FrameType | None) -> None:
            if self.active:
                previous(sig, frame)
                return
            self.active = True
            log.warning("draining", seconds=self.seconds)
            # Runs between bytecodes of the loop's thread: schedule, never block here.
            loop.call_soon_threadsafe(loop.call_later, self.seconds, previous, sig, None)

        self._previous, self._handler = previous, on_sigterm
        signal.signal(signal.SIGTERM, on_sigterm)

    def uninstall(self) -> None:
        if self._handler is not None and signal.getsignal(signal.SIGTERM) is self._handler:
            signal.signal(signal.SIGTERM, self._previous)
        self._previous = self._handler = None
