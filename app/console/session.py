"""The console's cookies and CSRF rules.

The session cookie holds a token secret: HttpOnly (no script reads it), SameSite=Strict
(no other site's page sends it), Secure in production, scoped to /console. Every
state-changing request must also carry the CSRF token in a header: an HMAC of the
session secret, handed to the page in a readable cookie (a double submit that a cookie
planted by another site cannot forge), and, when the browser names one, come from this
origin.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "jinlin_console"
CSRF_COOKIE = "jinlin_console_csrf"
CSRF_HEADER = "x-csrf-token"
COOKIE_PATH = "/console"


def csrf_token(secret: str, key: str) -> str:
    return hmac.new(key.encode(), b"console-csrf:" + secret.encode(), hashlib.sha256).hexdigest()


def same_origin(request: Request) -> bool:
    """Whether the browser says the request came from this site (or says nothing)."""
    if request.headers.get("sec-fetch-site") not in (None, "same-origin"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


@dataclass(frozen=True)
class CookiePolicy:
    secure: bool
    max_age: int

    def set_session(self, response: Response, secret: str, key: str) -> None:
        common = {"path": COOKIE_PATH, "secure": self.secure, "samesite": "strict"}
        response.set_cookie(
            SESSION_COOKIE,
            secret,
            max_age=self.max_age,
            httponly=True,
            **common,  # type: ignore[arg-type]
        )
        response.set_cookie(
            CSRF_COOKIE,
            csrf_token(secret, key),
            max_age=self.max_age,
            **common,  # type: ignore[arg-type]
        )

    def clear(self, response: Response) -> None:
        for name in (SESSION_COOKIE, CSRF_COOKIE):
            response.delete_cookie(
                name, path=COOKIE_PATH, secure=self.secure, httponly=True, samesite="strict"
            )


def session_secret(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def csrf_holds(request: Request, secret: str, key: str) -> bool:
    sent = request.headers.get(CSRF_HEADER, "")
    return same_origin(request) and hmac.compare_digest(sent, csrf_token(secret, key))
