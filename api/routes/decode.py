"""Public, read-only decoding: ``POST /api/v1/decode`` and ``/decode/batch``."""

from __future__ import annotations

from api.deps import ServicesDep
from api.guarded_route import guarded_router
from api.responses import ERROR_RESPONSES
from api.schemas import (
    DecodeBatchItem,
    DecodeBatchPublic,
    DecodeBatchRequest,
    DecodePublic,
    DecodeRequest,
)
from decoder.errors import PhienhieuError

router = guarded_router(prefix="/api/v1", tags=["decode"])


@router.post("/decode", response_model=DecodePublic, responses=ERROR_RESPONSES)
async def decode_one(body: DecodeRequest, services: ServicesDep) -> DecodePublic:
    """Decode the designations in one text at an optional date."""
    # A decode takes a fraction of a millisecond: running it on the event loop is cheaper
    # than handing it to a thread (bench/api.py: about 940 against 800 requests/s).
    return services.decode(body.text, body.date)


@router.post("/decode/batch", response_model=DecodeBatchPublic, responses=ERROR_RESPONSES)
def decode_batch(body: DecodeBatchRequest, services: ServicesDep) -> DecodeBatchPublic:
    """Decode up to 1,000 texts; a bad item gets its own error and the rest still decode."""
    results = []
    for item in body.items:
        try:
            results.append(DecodeBatchItem(result=services.decode(item.text, item.date), error=None))
        except PhienhieuError as error:
            results.append(DecodeBatchItem(result=None, error=error.message))
    return DecodeBatchPublic(results=results)
