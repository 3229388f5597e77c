"""Who is using the web UI: the session cookie, the CSRF cookie and page permissions."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Form, Request

from api.deps import article, check_csrf, user_for_token
from api.security import CSRF_COOKIE, SESSION_COOKIE, TOKEN_SECONDS, ForbiddenError, UnauthorizedError
from archive.models import User
from archive.users import Action, may

LANG_COOKIE = "phienhieu_lang"


class LoginRequiredError(UnauthorizedError):
    """A page for staff was opened without a session: the UI answers with the sign-in page."""


def session_user(request: Request) -> User | None:
    """The staff member signed in with this browser, or None (an expired or revoked
    session simply counts as signed out)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        return user_for_token(request, cookie)
    except UnauthorizedError:
        return None


SessionUser = Annotated[User | None, Depends(session_user)]


def require_page(action: Action) -> object:
    """A dependency for pages: staff whose role may do ``action``; others are sent to
    sign in (nobody signed in) or told they may not (the wrong role)."""

    def check(user: SessionUser) -> User:
        if user is None:
            raise LoginRequiredError("Sign in to open this page.")
        if not may(user, action):
            raise ForbiddenError(f"{article(user.role)} {user.role} may not {action.value}.")
        return user

    return Depends(check)


def csrf_token(request: Request) -> str:
    """This visitor's CSRF token; a new one is made (and set by ``render``) on first use."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if token is None:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def verify_csrf(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> None:
    """A dependency for every form post: the hidden ``csrf_token`` field must match."""
    check_csrf(request, csrf_token)


CsrfChecked = Depends(verify_csrf)


def secure_cookies(request: Request) -> bool:
    """Mark cookies Secure when the site is reached over HTTPS."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


SESSION_MAX_AGE = TOKEN_SECONDS
