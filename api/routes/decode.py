"""Public, read-only decoding: ``POST /api/v1/decode`` and ``/decode/batch``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from api.deps import DecoderDep
from api.guarded_route import guarded_router
from api.responses import ERROR_RESPONSES
from api.schemas import (
    DecodeBatchItem,
    DecodeBatchPublic,
    DecodeBatchRequest,
    DecodePublic,
    DecodeRequest,
)
from api.web.i18n import negotiate
from api.web.reasons import with_sentences
from decoder.errors import PhienhieuError

router = guarded_router(prefix="/api/v1", tags=["decode"])


def reader_language(request: Request, response: Response) -> str:
    """The language of the reasons: the one ``Accept-Language`` prefers, English by default."""
    locale = negotiate(request.headers.get("accept-language"), "en")
    response.headers["Content-Language"] = locale
    response.headers["Vary"] = "Accept-Language"
    return locale


Language = Annotated[str, Depends(reader_language)]


@router.post("/decode", response_model=DecodePublic, responses=ERROR_RESPONSES)
async def decode_one(body: DecodeRequest, decode: DecoderDep, locale: Language) -> DecodePublic:
    """Decode the designations in one text at an optional date.

    ``reasons`` are sentences in the language ``Accept-Language`` prefers (``vi`` or
    ``en``, English by default); ``reasons_structured`` gives each as a message id with
    its parameters.
    """
    # A decode takes a fraction of a millisecond: running it on the event loop is cheaper
    # than handing it to a thread (bench/api.py: about 940 against 800 requests/s).
    return with_sentences(decode(body.text, body.date), locale)


@router.post("/decode/batch", response_model=DecodeBatchPublic, responses=ERROR_RESPONSES)
def decode_batch(body: DecodeBatchRequest, decode: DecoderDep, locale: Language) -> DecodeBatchPublic:
    """Decode up to 1,000 texts; a bad item gets its own error and the rest still decode."""
    results = []
    for item in body.items:
        try:
            result = with_sentences(decode(item.text, item.date), locale)
            results.append(DecodeBatchItem(result=result, error=None))
        except PhienhieuError as error:
            results.append(DecodeBatchItem(result=None, error=error.message))
    return DecodeBatchPublic(results=results)
