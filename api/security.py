"""Security primitives with no web framework: the signing secret, staff tokens, rate
limits and the sign-in delay, and the errors they raise.

Tokens are signed (itsdangerous) with the service's secret from the data dir; they name
the user, a fingerprint of the password hash and the account's token generation, so
changing a password, signing out, or disabling or enabling an account ends every token
it had. They expire after ``TOKEN_SECONDS``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from archive.models import User
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


def account_fingerprint(user: User) -> str:
    """What a token must still match: a password change or a sign-out changes it."""
    return f"{user.password_hash[-16:]}:{user.token_generation}"


@dataclass
class Guards:
    """The guards of one process: its token signer, rate limits and sign-in delay."""

    token_signer: TokenSigner
    #: Ten sign-in (or tracking) tries in five minutes per address: enough for typos,
    #: not for guessing.
    login_limiter: RateLimiter
    #: Twenty requests an hour from one address: plenty for a family, little for a bot.
    request_limiter: RateLimiter
    sign_in_delay: SignInDelay

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> Guards:
        """Guards signing with the data dir's secret (created on first use)."""
        return cls(token_signer=TokenSigner(load_secret(data_dir)),
                   login_limiter=RateLimiter(limit=10, window_s=300),
                   request_limiter=RateLimiter(limit=20, window_s=3600), sign_in_delay=SignInDelay())
