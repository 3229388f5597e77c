"""Is this PDF an extract the office signed, unchanged?"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader

#: pyHanko logs every failed validation at warning level; the answer says it already.
logging.getLogger("pyhanko").setLevel(logging.ERROR)


@dataclass(frozen=True)
class SignatureCheck:
    """What the document's own signature says."""

    intact: bool
    trusted: bool
    serial: str | None
    problem: str | None


def _serial(reader: PdfFileReader) -> str | None:
    from pyhanko.pdf_utils.misc import PdfError

    try:
        info = reader.trailer["/Info"]
        keywords = str(info.get("/Keywords", "")).strip()
    except (KeyError, PdfError, TypeError):
        return None
    return keywords[:40] or None


def check_pdf(data: bytes, certificates: list[x509.Certificate]) -> SignatureCheck:
    """Check the signature of ``data`` against the office's certificates.

    ``intact``: the signed bytes are unchanged and nothing was added after the
    signature; ``trusted``: it was made with one of ``certificates``.
    """
    # A second to import: only the commands that verify pay it.
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # a hostile file can break the parser in any way; it is then not an extract
        return SignatureCheck(False, False, None, f"not a readable PDF ({str(error)[:120]})")
    serial = _serial(reader)
    if len(signatures) != 1:
        return SignatureCheck(False, False, serial, "the document carries no signature"
                              if not signatures else "the document carries more than one signature")
    roots = [asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
             for cert in certificates]
    try:
        status = validate_pdf_signature(signatures[0], ValidationContext(trust_roots=roots))
    except Exception as error:  # any failure to validate means "not valid", with why
        return SignatureCheck(False, False, serial, f"the signature cannot be validated ({str(error)[:120]})")
    covers_all = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    intact = bool(status.intact and status.valid and covers_all)
    problem = None if intact else "the document was changed after it was signed"
    if intact and not status.trusted:
        problem = "the signature was not made by this office"
    return SignatureCheck(intact, bool(status.trusted), serial, problem)


@dataclass(frozen=True)
class IssuedRecord:
    """What the office recorded when it issued the extract under a serial."""

    pdf_sha256: str
    revoked: bool
    revoke_reason: str | None


@dataclass(frozen=True)
class Verdict:
    """Whether a document is an extract the office issued, unchanged and standing."""

    valid: bool
    serial: str | None
    revoked: bool
    reason: str | None


def verdict(check: SignatureCheck, issued: IssuedRecord | None, data_sha256: str) -> Verdict:
    """Judge a document from its signature check and the record under its serial (None:
    nothing was issued under it); ``data_sha256`` is the document's own digest."""
    refused = Verdict(valid=False, serial=check.serial, revoked=False, reason=check.problem)
    if check.problem is not None:
        return refused
    if issued is None:
        return replace(refused, reason="no extract was issued under the serial this document carries")
    if data_sha256 != issued.pdf_sha256:
        return replace(refused, reason="the signature is the office's, but this is not the document "
                                       "issued under that serial")
    if issued.revoked:
        return replace(refused, revoked=True, reason=f"revoked: {issued.revoke_reason}")
    return replace(refused, valid=True, reason=None)
