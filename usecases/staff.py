"""Staff use cases: accounts, sign-in and sign-out, and the audit log's check."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from archive.audit import AuditReport, record_event, verify_audit_log
from archive.models import User
from archive.users import Role, authenticate, create_user, end_sessions, list_users, set_active


def find_account(user_id: int, *, sessions: sessionmaker[Session]) -> User | None:
    """A staff account by id."""
    with sessions() as session:
        return session.get(User, user_id)


def check_password(username: str, password: str, *, sessions: sessionmaker[Session]) -> User | None:
    """The active account with this name and password, or None."""
    with sessions() as session:
        return authenticate(session, username, password)


def sign_out(user_id: int, *, sessions: sessionmaker[Session], actor: str) -> None:
    """End every token and browser session of an account."""
    with sessions.begin() as session:
        end_sessions(session, user_id, actor=actor)


def add_account(username: str, password: str, role: Role, *, sessions: sessionmaker[Session],
                actor: str) -> User:
    """Add a staff account, audited.

    Raises:
        DuplicateUserError, InvalidInputError.
    """
    with sessions.begin() as session:
        return create_user(session, username, password, role, actor=actor)


def accounts(*, sessions: sessionmaker[Session]) -> list[User]:
    """Every staff account, by name."""
    with sessions() as session:
        return list_users(session)


def set_account_active(username: str, active: bool, *, sessions: sessionmaker[Session], actor: str) -> None:
    """Enable or disable a staff account, audited.

    Raises:
        NotFoundError, InvalidInputError (disabling oneself).
    """
    with sessions.begin() as session:
        set_active(session, username, active, actor=actor)


def check_audit_log(*, sessions: sessionmaker[Session]) -> AuditReport:
    """Check the audit log's hash chain from the first entry to the head."""
    with sessions() as session:
        return verify_audit_log(session)


def record_sign_in(user: User, *, sessions: sessionmaker[Session]) -> None:
    """Audit a sign-in to the web UI."""
    with sessions.begin() as session:
        record_event(session, actor=user.username, action="user.sign_in", subject=f"user:{user.id}")
