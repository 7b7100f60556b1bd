"""Ping a pooled PostgreSQL connection only when it has sat idle, not at every checkout.

SQLAlchemy's `pool_pre_ping` sends `SELECT 1` each time a connection leaves the pool: one
round trip of the three a small request makes (the ping, the token, the answer). A
connection handed back a moment ago is as alive as the request that just used it, so here
only one idle for IDLE_SECONDS or more is pinged; a dead one is replaced before the request
sees it, as with `pool_pre_ping`.

What this gives up: a connection the server dropped within the last IDLE_SECONDS (a restart
under load) fails the one request that draws it, answered 503 UNAVAILABLE. That failure
invalidates the whole pool (SQLAlchemy's default on a disconnect), so the next requests
reconnect rather than each finding a dead connection.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc

# The pool record's info key for the moment its connection was last handed back.
_CHECKED_IN_AT = "jinlin_checked_in_at"


def install_idle_ping(sync_engine: Any, idle_seconds: float) -> None:
    """Ping on checkout a connection that has been back in the pool for IDLE_SECONDS or
    longer; a connection that fails the ping is replaced (the pool retries the checkout)."""
    dialect = sync_engine.dialect

    @event.listens_for(sync_engine.pool, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(sync_engine.pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_CHECKED_IN_AT)
        if returned is None or time.monotonic() - returned < idle_seconds:
            return  # just opened, or in use a moment ago
        if not dialect._do_ping_w_event(dbapi_connection):
            # Disconnected: SQLAlchemy discards this connection and checks out another.
            raise exc.DisconnectionError("the pooled connection did not answer a ping")
