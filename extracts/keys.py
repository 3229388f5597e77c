"""The issuing office's signing key and certificate, kept in the data dir.

On first use a key (ECDSA P-256) and a self-signed certificate in the office's name are
created, readable by their owner only. An office with a certificate from a real
authority imports it instead (``phienhieu office import``); extracts signed before keep
verifying against the certificates kept beside it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from extracts.errors import OfficeKeyError

KEY_FILE = "office-key.pem"
CERT_FILE = "office-cert.pem"
#: Certificates that signed earlier extracts, kept so those still verify after a change.
PAST_CERTS = "office-past-certs.pem"
_VALIDITY = dt.timedelta(days=3650)


@dataclass(frozen=True)
class OfficeKey:
    """Where the office's key and certificate are."""

    key_path: Path
    cert_path: Path
    past_certs_path: Path

    def certificate(self) -> x509.Certificate:
        """The current signing certificate."""
        return x509.load_pem_x509_certificate(self.cert_path.read_bytes())

    def trusted_certificates(self) -> list[x509.Certificate]:
        """The current certificate and every earlier one."""
        past = (x509.load_pem_x509_certificates(self.past_certs_path.read_bytes())
                if self.past_certs_path.exists() else [])
        return [self.certificate(), *past]


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def self_signed(office_name: str, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    """A certificate for document signing in the office's name, valid ten years."""
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, office_name[:64]),
                      x509.NameAttribute(NameOID.COMMON_NAME, office_name[:64])])
    now = dt.datetime.now(dt.UTC)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + _VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_cert_sign=True,
                                         crl_sign=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False),
                           critical=True)
            .sign(key, hashes.SHA256()))


def office_key(data_dir: Path, office_name: str) -> OfficeKey:
    """The office's key, created with a self-signed certificate on first use."""
    folder = data_dir / "keys"
    office = OfficeKey(folder / KEY_FILE, folder / CERT_FILE, folder / PAST_CERTS)
    if office.key_path.exists() and office.cert_path.exists():
        return office
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".office.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # two processes starting at once make one key
        if not (office.key_path.exists() and office.cert_path.exists()):
            key = ec.generate_private_key(ec.SECP256R1())
            _write_private(office.key_path, key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
            certificate = self_signed(office_name, key)
            _write_private(office.cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return office


def import_office_key(data_dir: Path, key_pem: bytes, cert_pem: bytes,
                      passphrase: bytes | None = None) -> OfficeKey:
    """Use the office's own key and certificate from now on (the old certificate is kept
    so extracts it signed still verify).

    Raises:
        OfficeKeyError: unreadable files, a wrong passphrase, or a certificate that does
            not belong to the key.
    """
    try:
        key = serialization.load_pem_private_key(key_pem, password=passphrase)
        certificate = x509.load_pem_x509_certificate(cert_pem)
    except (ValueError, TypeError) as error:
        raise OfficeKeyError(f"The key or certificate cannot be read: {error}.") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise OfficeKeyError("Only RSA and ECDSA keys can sign extracts.")
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != \
            certificate.public_key().public_bytes(serialization.Encoding.DER, public):
        raise OfficeKeyError("The certificate does not belong to this key.")
    folder = data_dir / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    office = OfficeKey(folder / KEY_FILE, folder / CERT_FILE, folder / PAST_CERTS)
    if office.cert_path.exists():
        with office.past_certs_path.open("ab") as past:
            past.write(office.cert_path.read_bytes())
    _write_private(office.key_path, key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    _write_private(office.cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return office
