"""Staff accounts: names, roles and argon2 password hashes."""

from __future__ import annotations

from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.audit import record_event
from archive.errors import DuplicateUserError
from archive.models import User
from decoder.errors import InvalidInputError, NotFoundError

_HASHER = PasswordHasher()
# Verified when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password anyone has")
MIN_PASSWORD_CHARS = 10


class Role(StrEnum):
    """What a staff member is."""

    ARCHIVIST = "archivist"
    OFFICER = "officer"
    LAB = "lab"
    ADMIN = "admin"


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
    WRITE_GRAVES = "write cemeteries, graves and initial burials"
    IMPORT_LISTS = "import source lists"
    REVIEW_LINKS = "review linkage pairs and join or separate records"
    WRITE_RELATIVES = "register and erase martyrs' relatives, and read their contacts"
    READ_SAMPLES = "read DNA samples and their chains of custody"
    CREATE_SAMPLES = "create DNA samples"
    RECORD_CUSTODY = "record DNA samples' custody events"
    RECORD_MATCHES = "record laboratory comparisons"
    IDENTIFY_GRAVES = "name a grave after a person, and undo it"
    PLAN_SAMPLING = "read sampling plans"
    MANAGE_AREAS = "draw search areas and record their search"


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
    Action.WRITE_GRAVES: frozenset({Role.ARCHIVIST, Role.OFFICER, Role.ADMIN}),
    Action.IMPORT_LISTS: frozenset({Role.ARCHIVIST, Role.OFFICER, Role.ADMIN}),
    Action.REVIEW_LINKS: frozenset({Role.OFFICER, Role.ADMIN}),
    Action.WRITE_RELATIVES: frozenset({Role.OFFICER, Role.ADMIN}),
    Action.READ_SAMPLES: frozenset({Role.OFFICER, Role.LAB, Role.ADMIN}),
    Action.CREATE_SAMPLES: frozenset({Role.OFFICER, Role.LAB, Role.ADMIN}),
    Action.RECORD_CUSTODY: frozenset({Role.OFFICER, Role.LAB, Role.ADMIN}),
    Action.RECORD_MATCHES: frozenset({Role.LAB, Role.ADMIN}),
    Action.IDENTIFY_GRAVES: frozenset({Role.OFFICER, Role.ADMIN}),
    Action.PLAN_SAMPLING: frozenset({Role.OFFICER, Role.LAB, Role.ADMIN}),
    Action.MANAGE_AREAS: frozenset({Role.OFFICER, Role.ADMIN}),
}


def may(user: User | None, action: Action) -> bool:
    """Whether ``user`` (None: nobody signed in) may do ``action``."""
    return user is not None and Role(user.role) in PERMISSIONS[action]


def validate_username(name: str) -> str:
    """A user name: 3 to 100 letters, digits, dots, dashes or underscores.

    Raises:
        InvalidInputError: otherwise.
    """
    cleaned = name.strip()
    if not 3 <= len(cleaned) <= 100 or not all(c.isalnum() or c in "._-" for c in cleaned):
        raise InvalidInputError("A user name has 3 to 100 letters, digits, dots, dashes or underscores.")
    return cleaned


def create_user(session: Session, username: str, password: str, role: Role, *, actor: str) -> User:
    """Add a staff account in the caller's transaction.

    Raises:
        InvalidInputError: a bad name or a password shorter than 10 characters.
        DuplicateUserError: the name is taken.
    """
    name = validate_username(username)
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidInputError(f"A password has at least {MIN_PASSWORD_CHARS} characters.")
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise DuplicateUserError(f"The user {name!r} exists already.")
    user = User(username=name, password_hash=_HASHER.hash(password), role=role.value)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # created meanwhile by another process
        raise DuplicateUserError(f"The user {name!r} exists already.") from None
    record_event(session, actor=actor, action="user.add", subject=f"user:{name}",
                 details={"role": role.value})
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    try:
        _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if user is not None and user.active else None


def list_users(session: Session) -> list[User]:
    """Every staff account, by name."""
    return list(session.scalars(select(User).order_by(User.username)))


def set_active(session: Session, username: str, active: bool, *, actor: str) -> User:
    """Enable or disable an account (a disabled account's sessions and tokens stop working).

    Raises:
        NotFoundError: no such account. InvalidInputError: an administrator disabling
            their own account (someone must be left to turn it back on).
    """
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFoundError(f"There is no user {username.strip()[:100]!r}.")
    if not active and user.username == actor:
        raise InvalidInputError("You cannot disable your own account.")
    # Compare-and-set: of two admins disabling one account at once, only one changes it
    # and is audited (SQLite ignores row locks, so a lock alone would not do).
    changed = session.execute(
        update(User).where(User.id == user.id, User.active != active)
        .values(active=active, token_generation=User.token_generation + 1)
        .execution_options(synchronize_session=False))
    if changed.rowcount == 1:  # type: ignore[attr-defined]
        record_event(session, actor=actor, action="user.enable" if active else "user.disable",
                     subject=f"user:{user.username}")
    session.refresh(user)
    return user


def end_sessions(session: Session, user_id: int, *, actor: str) -> None:
    """End every token and session of an account (signing out does this), audited."""
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFoundError(f"There is no user {user_id}.")
    user.token_generation += 1
    session.flush()
    record_event(session, actor=actor, action="user.sign_out", subject=f"user:{user.id}")
