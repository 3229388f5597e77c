"""FastAPI dependencies, declared once so routes stay thin and tests can override them:
the process's context and its parts, and who the caller is."""

from __future__ import annotations

import asyncio
import secrets
from functools import partial
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from api.context import AppContext
from api.security import (
    CSRF_COOKIE,
    SAFE_METHODS,
    SESSION_COOKIE,
    ForbiddenError,
    Guards,
    UnauthorizedError,
    account_fingerprint,
)
from api.settings import Settings
from archive.models import User
from archive.users import PERMISSIONS, Action, Role
from usecases.extracts import ExtractDesk
from usecases.registry import Decoder, decode_text
from usecases.resources import Resources
from usecases.staff import check_password, find_account


def get_context(request: Request) -> AppContext:
    """The process's context, created by the app factory."""
    context: AppContext = request.app.state.context
    return context


def get_resources(request: Request) -> Resources:
    """The process's database, blobs, registry and index."""
    return get_context(request).resources


def get_guards(request: Request) -> Guards:
    """The process's token signer and rate limits."""
    return get_context(request).guards


def get_extracts(request: Request) -> ExtractDesk:
    """The office's extract desk."""
    return get_context(request).extracts


def get_settings(request: Request) -> Settings:
    """The settings the process started with."""
    return get_context(request).settings


def get_decoder(request: Request) -> Decoder:
    """Decoding against the process's registry, within the settings' length limit."""
    context = get_context(request)
    return partial(decode_text, registry=context.resources.registry,
                   max_chars=context.settings.max_decode_chars)


ResourcesDep = Annotated[Resources, Depends(get_resources)]
GuardsDep = Annotated[Guards, Depends(get_guards)]
ExtractsDep = Annotated[ExtractDesk, Depends(get_extracts)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
DecoderDep = Annotated[Decoder, Depends(get_decoder)]


def client_address(request: Request) -> str:
    """The address rate limits count against ("unknown" when the server cannot tell).

    ``X-Forwarded-For`` counts only from the proxies named in PHIENHIEU_TRUSTED_PROXIES
    (``phienhieu serve`` hands them to uvicorn); from anyone else it is ignored."""
    return request.client.host if request.client else "unknown"


async def check_sign_in(request: Request, username: str, password: str) -> User | None:
    """The account for a sign-in, or None: counted against the caller's address (refused
    past the limit) and slowed by the name's recent failures (never refused).

    Raises:
        TooManyAttemptsError: too many tries from this address.
    """
    guards, sessions = get_guards(request), get_resources(request).sessions
    guards.login_limiter.hit(f"address:{client_address(request)}")
    name = username.strip().lower()[:100]
    await asyncio.sleep(guards.sign_in_delay.wait_s(name))
    user = await run_in_threadpool(check_password, username[:100], password[:1000], sessions=sessions)
    if user is None:
        guards.sign_in_delay.failed(name)
    return user


def count_family_try(request: Request) -> None:
    """Count a try at a tracking code and secret (page or API) against the caller's address.

    Raises:
        TooManyAttemptsError: ten tries in five minutes already.
    """
    get_guards(request).login_limiter.hit(f"track:{client_address(request)}")


def user_for_token(request: Request, token: str) -> User:
    """The active staff member a token names.

    Raises:
        UnauthorizedError: forged, expired, or the account changed since it was issued.
    """
    user_id, fingerprint = get_guards(request).token_signer.user_id(token)
    user = find_account(user_id, sessions=get_resources(request).sessions)
    if user is None or not user.active or account_fingerprint(user) != fingerprint:
        raise UnauthorizedError("The token is no longer valid.")
    return user


def check_csrf(request: Request, sent: str | None) -> None:
    """Refuse a state-changing request whose CSRF token is not the visitor's cookie.

    The token is a random value in a SameSite cookie, repeated in the form or in the
    ``X-CSRF-Token`` header: another site can make a browser send the cookie, but it
    cannot read it to repeat it.

    Raises:
        ForbiddenError: the token is missing or differs.
    """
    expected = request.cookies.get(CSRF_COOKIE, "")
    if not expected or not sent or not secrets.compare_digest(expected.encode(), sent.encode()):
        raise ForbiddenError("The form has expired or did not come from this site; "
                             "reload the page and try again.")


def current_user(request: Request) -> User | None:
    """The staff member the request comes from, or None.

    API clients send a bearer token; the web UI's own scripts send the session cookie,
    and then any method that changes something must carry the CSRF token too.

    Raises:
        UnauthorizedError: a token was given and is not valid.
        ForbiddenError: a cookie-authenticated change without its CSRF token.
    """
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise UnauthorizedError("Send the token as 'Authorization: Bearer <token>'.")
        return user_for_token(request, token.strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        user = user_for_token(request, cookie)
    except UnauthorizedError:
        return None
    if request.method not in SAFE_METHODS:
        check_csrf(request, request.headers.get("x-csrf-token"))
    return user


CurrentUser = Annotated[User | None, Depends(current_user)]


def require(action: Action) -> object:
    """A dependency that lets through only staff whose role may do ``action``."""

    def check(user: CurrentUser) -> User:
        if user is None:
            raise UnauthorizedError("Sign in first: this needs a staff token.")
        if Role(user.role) not in PERMISSIONS[action]:
            raise ForbiddenError(f"{article(user.role)} {user.role} may not {action.value}.")
        return user

    return Depends(check)


def article(word: str) -> str:
    """"An" before a vowel sound, "A" otherwise (for roles: "An officer", "An admin")."""
    return "An" if word[:1].lower() in "aeiou" else "A"
