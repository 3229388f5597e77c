"""The issuing office's signing identity: ``phienhieu office show`` and ``office import``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives import hashes

from api.cli_support import JsonFlag, print_json, read_file
from api.settings import load_settings
from extracts.keys import OfficeKey, import_office_key, office_key

office_app = typer.Typer(help="The office's key and certificate that sign extracts.", no_args_is_help=True)


def _describe(office: OfficeKey, as_json: bool) -> None:
    certificate = office.certificate()
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex(":").upper()
    facts = {"subject": certificate.subject.rfc4514_string(), "issuer": certificate.issuer.rfc4514_string(),
             "not_before": certificate.not_valid_before_utc.isoformat(),
             "not_after": certificate.not_valid_after_utc.isoformat(), "sha256": fingerprint,
             "self_signed": certificate.subject == certificate.issuer}
    if as_json:
        print_json(facts)
        return
    for name, value in facts.items():
        typer.echo(f"{name:11} {value}")


@office_app.command("show")
def show(as_json: JsonFlag = False) -> None:
    """Show the signing certificate (one is created on first use)."""
    settings = load_settings()
    _describe(office_key(settings.data_dir, settings.office_name), as_json)


@office_app.command("import")
def import_key(
    key: Annotated[Path, typer.Argument(help="The private key, PEM (PKCS#8 or traditional).")],
    certificate: Annotated[Path, typer.Argument(help="Its certificate, PEM.")],
    passphrase_stdin: Annotated[bool, typer.Option(
        "--passphrase-stdin", help="Read the key's passphrase from the first line of stdin.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Sign extracts with the office's own key and certificate from now on; extracts
    signed before keep verifying."""
    passphrase = sys.stdin.readline().rstrip("\r\n").encode() if passphrase_stdin else None
    settings = load_settings()
    office = import_office_key(settings.data_dir, read_file(key), read_file(certificate), passphrase)
    _describe(office, as_json)
