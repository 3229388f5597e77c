"""PAdES signatures by the issuing office (pyHanko)."""

from __future__ import annotations

import io

from extracts.keys import OfficeKey

SIGNATURE_FIELD = "ChuKySo"


def sign_pdf(pdf: bytes, office: OfficeKey, *, reason: str, location: str) -> bytes:
    """``pdf`` with a PAdES B-B signature of the office appended as an incremental update."""
    # A second to import: only the commands that sign pay it.
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load(str(office.key_path), str(office.cert_path))  # type: ignore[no-untyped-call]
    if signer is None:  # pyHanko logs the reason and returns None
        raise ValueError("the office key or certificate could not be loaded")
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason, location=location)
    signed: io.BytesIO = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=signer)
    return signed.getvalue()
