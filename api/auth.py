"""Who may do what: staff tokens, the one table of permissions, and login rate limits.

Tokens are signed (itsdangerous) with the service's secret from the data dir; they name
the user and a fingerprint of the password hash, so changing a password or disabling an
account ends every token it had. They expire after ``TOKEN_SECONDS``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from api.deps import ServicesDep
from archive.models import User
from archive.users import Role
from decoder.errors import ErrorKind, PhienhieuError

TOKEN_SECONDS = 12 * 3600
_SALT = "phienhieu-api-token"


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
        return self._serializer.dumps({"u": user.id, "p": user.password_hash[-16:]})

    def user_id(self, token: str) -> tuple[int, str]:
        """The user id and password fingerprint in a token.

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
        return data["u"], str(data.get("p"))


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


def current_user(request: Request, services: ServicesDep) -> User | None:
    """The staff member the request's bearer token names, or None without a token.

    Raises:
        UnauthorizedError: a token was given and is not valid.
    """
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not token:
        raise UnauthorizedError("Send the token as 'Authorization: Bearer <token>'.")
    user_id, fingerprint = services.token_signer.user_id(token.strip())
    user = services.get_user(user_id)
    if user is None or not user.active or user.password_hash[-16:] != fingerprint:
        raise UnauthorizedError("The token is no longer valid.")
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
