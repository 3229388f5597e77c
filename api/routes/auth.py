"""``POST /api/v1/auth/token``: a staff token for API clients (OAuth2 password flow)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from api.deps import CurrentUser, GuardsDep, ResourcesDep, check_sign_in
from api.guarded_route import guarded_router
from api.responses import AUTH_RESPONSES
from api.security import UnauthorizedError
from usecases.staff import sign_out

router = guarded_router(prefix="/api/v1", tags=["auth"])


class TokenPublic(BaseModel):
    """``{"access_token": …, "token_type": "bearer"}``."""

    access_token: str
    token_type: str = "bearer"


@router.post("/auth/token", response_model=TokenPublic, responses=AUTH_RESPONSES)
async def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request,
                guards: GuardsDep) -> TokenPublic:
    """Exchange a staff name and password for a bearer token (valid 12 hours). Ten tries in
    five minutes from one address; a name that keeps failing is answered more slowly."""
    user = await check_sign_in(request, form.username, form.password)
    if user is None:
        raise UnauthorizedError("The name or the password is wrong.")
    return TokenPublic(access_token=guards.token_signer.issue(user))


@router.post("/auth/logout", status_code=204, responses=AUTH_RESPONSES)
def logout(resources: ResourcesDep, user: CurrentUser) -> Response:
    """End every token and browser session of the signed-in account."""
    if user is None:
        raise UnauthorizedError("Sign in first: this needs a staff token.")
    sign_out(user.id, sessions=resources.sessions, actor=user.username)
    return Response(status_code=204)
