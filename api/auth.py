"""Who may do what: staff tokens, the one table of permissions, and login rate limits.

Tokens are signed (itsdangerous) with the service's secret from the data dir; they name
the user, a fingerprint of the password hash and the account's token generation, so
changing a password, signing out, or disabling or enabling an account ends every token
it had. They expire after ``TOKEN_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from api.deps import ServicesDep
from api.services import Services
from archive.models import User
from archive.users import Role
from decoder.errors import ErrorKind, PhienhieuError

TOKEN_SECONDS = 12 * 3600
_SALT = "phienhieu-api-token"
#: The web UI's cookies: the signed session token, the CSRF token, the language.
SESSION_COOKIE = "phienhieu_session"
CSRF_COOKIE = "phienhieu_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnauthorizedError(PhienhieuError):
    """No valid credentials were given."""

    kind = ErrorKind.UNAUTHORIZED
    code = "unauthorized"


class ForbiddenError(PhienhieuError):
    """The credentials are valid but the role may not do this."""

    kind = ErrorKind.FORBIDDEN
    code = "forbidden"


class TooManyAttemptsError(PhienhieuError):
    """Too many tries in a short time."""

    kind = ErrorKind.TOO_MANY_REQUESTS
    code = "too_many_requests"


class Action(StrEnum):
    """Everything a staff member can be allowed to do."""

    UPLOAD_SCANS = "upload scans"
    READ_SCANS = "read scans and pages"
    READ_JOBS = "follow jobs"
    WRITE_PERSONS = "write person records"
    READ_PERSONS = "read person records"
    IMPORT_REGISTRY = "import the registry"
    HANDLE_REQUESTS = "handle family requests"
    EDIT_PAGES = "correct page text"
    ISSUE_EXTRACTS = "issue certified extracts"
    REVOKE_EXTRACTS = "revoke certified extracts"
    MANAGE_USERS = "manage staff accounts"


#: The one table of who may do what; the authorisation test tries every endpoint with
#: every role against it.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.UPLOAD_SCANS: frozenset({Role.ARCHIVIST, Role.ADMIN}),
    Action.READ_SCANS: frozenset({Role.ARCHIVIST, Role.OFFICER, Role.ADMIN}),
    Action.READ_JOBS: frozenset({Role.ARCHIVIST, Role.OFFICER, Role.ADMIN}),
    Action.WRITE_PERSONS: frozenset({Role.ARCHIVIST, Role.OFFICER, Role.ADMIN}),
    Action.READ_PERSONS: frozenset({Role.ARCHIVIST, Role.OFFICER, Role.ADMIN}),
    Action.IMPORT_REGISTRY: frozenset({Role.OFFICER, Role.ADMIN}),
    Action.HANDLE_REQUESTS: frozenset({Role.OFFICER, Role.ADMIN}),
    Action.EDIT_PAGES: frozenset({Role.ARCHIVIST, Role.ADMIN}),
    Action.ISSUE_EXTRACTS: frozenset({Role.OFFICER, Role.ADMIN}),
    Action.REVOKE_EXTRACTS: frozenset({Role.OFFICER, Role.ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
}


def load_secret(data_dir: Path) -> bytes:
    """The service's signing secret, created (readable by its owner only) on first use."""
    path = data_dir / "keys" / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".secret.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)  # the first process to get here wins; the others read it
        temporary.unlink()
    return path.read_text().strip().encode()


class TokenSigner:
    """Issues and checks staff tokens."""

    def __init__(self, secret: bytes) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=_SALT)

    def issue(self, user: User) -> str:
        """A token for ``user``."""
        return self._serializer.dumps({"u": user.id, "p": user.password_hash[-16:],
                                       "g": user.token_generation})

    def user_id(self, token: str) -> tuple[int, str]:
        """The user id and the account's fingerprint in a token: its password hash's last
        characters and its token generation.

        Raises:
            UnauthorizedError: forged, malformed or expired.
        """
        try:
            data = self._serializer.loads(token, max_age=TOKEN_SECONDS)
        except SignatureExpired:
            raise UnauthorizedError("The token has expired; ask for a new one.") from None
        except BadSignature:
            raise UnauthorizedError("The token is not valid.") from None
        if not isinstance(data, dict) or not isinstance(data.get("u"), int):
            raise UnauthorizedError("The token is not valid.")
        return data["u"], f"{data.get('p')}:{data.get('g')}"


class RateLimiter:
    """At most ``limit`` events per key in ``window_s`` seconds (in this process)."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, *keys: str) -> None:
        """Count one event for each key.

        Raises:
            TooManyAttemptsError: a key is over its limit.
        """
        now = time.monotonic()
        with self._lock:
            for key in keys:
                events = self._events[key]
                while events and events[0] < now - self.window_s:
                    events.popleft()
                if len(events) >= self.limit:
                    wait = int(events[0] + self.window_s - now) + 1
                    raise TooManyAttemptsError(f"Too many attempts; try again in {wait} seconds.")
                events.append(now)


class SignInDelay:
    """A growing wait before answering any sign-in to a name that keeps failing.

    It slows guessing at one account from many addresses, where a per-name limit would
    let anyone lock the owner out: the owner's right password from a new address still
    succeeds, after at most ``longest_s``. The per-address limit refuses as before.
    """

    def __init__(self, free_failures: int = 5, longest_s: float = 8.0, window_s: float = 900,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free_failures = free_failures
        self.longest_s = longest_s
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait_s(self, name: str) -> float:
        """How long to wait before checking a password for ``name``."""
        with self._lock:
            failures = self._recent(name)
        if failures < self.free_failures:
            return 0.0
        return min(self.longest_s, 0.25 * 2.0 ** (failures - self.free_failures))

    def failed(self, name: str) -> None:
        """Count a wrong password for ``name``."""
        with self._lock:
            self._recent(name)
            self._failures[name].append(self._clock())

    def _recent(self, name: str) -> int:
        events = self._failures[name]
        while events and events[0] < self._clock() - self.window_s:
            events.popleft()
        if not events:
            del self._failures[name]
            return 0
        return len(events)


async def check_sign_in(services: Services, request: Request, username: str, password: str) -> User | None:
    """The account for a sign-in, or None: counted against the caller's address (refused
    past the limit) and slowed by the name's recent failures (never refused).

    Raises:
        TooManyAttemptsError: too many tries from this address.
    """
    services.login_limiter.hit(f"address:{client_address(request)}")
    name = username.strip().lower()[:100]
    await asyncio.sleep(services.sign_in_delay.wait_s(name))
    user = await run_in_threadpool(services.authenticate, username[:100], password[:1000])
    if user is None:
        services.sign_in_delay.failed(name)
    return user


def count_family_try(services: Services, request: Request) -> None:
    """Count a try at a tracking code and secret (page or API) against the caller's address.

    Raises:
        TooManyAttemptsError: ten tries in five minutes already.
    """
    services.login_limiter.hit(f"track:{client_address(request)}")


def client_address(request: Request) -> str:
    """The address rate limits count against ("unknown" when the server cannot tell).

    ``X-Forwarded-For`` counts only from the proxies named in PHIENHIEU_TRUSTED_PROXIES
    (``phienhieu serve`` hands them to uvicorn); from anyone else it is ignored."""
    return request.client.host if request.client else "unknown"


def account_fingerprint(user: User) -> str:
    """What a token must still match: a password change or a sign-out changes it."""
    return f"{user.password_hash[-16:]}:{user.token_generation}"


def user_for_token(services: Services, token: str) -> User:
    """The active staff member a token names.

    Raises:
        UnauthorizedError: forged, expired, or the account changed since it was issued.
    """
    user_id, fingerprint = services.token_signer.user_id(token)
    user = services.get_user(user_id)
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


def current_user(request: Request, services: ServicesDep) -> User | None:
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
        return user_for_token(services, token.strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        user = user_for_token(services, cookie)
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
            raise ForbiddenError(f"A {user.role} may not {action.value}.")
        return user

    return Depends(check)


def may(user: User | None, action: Action) -> bool:
    """Whether ``user`` (None: nobody signed in) may do ``action``."""
    return user is not None and Role(user.role) in PERMISSIONS[action]
