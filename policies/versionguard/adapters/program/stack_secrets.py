"""``secure:`` config values of a stack that uses Pulumi's passphrase secrets provider, decrypted.

Pulumi's scheme (``pkg/secrets/passphrase/manager.go`` and ``sdk/go/common/resource/config/crypt.go``):
the stack file's ``encryptionsalt`` is ``v1:<salt, base64>:<"pulumi" encrypted>``; the key is
PBKDF2-HMAC-SHA256 of the passphrase over that salt, 1,000,000 iterations, 32 bytes; each secret is
``v1:<12-byte nonce, base64>:<AES-256-GCM ciphertext and tag, base64>``. The passphrase comes from
``PULUMI_CONFIG_PASSPHRASE`` (set, even empty) or the file ``PULUMI_CONFIG_PASSPHRASE_FILE`` names
(its text without surrounding white space), as the Pulumi CLI reads them.

Without a passphrase, or for another provider (Pulumi Cloud, a KMS), a secret cannot be known here:
the caller passes it as unknown (and secret), never as its ciphertext or a placeholder text.
A passphrase that does not decrypt the salt's check value is an error naming the stack file.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from versionguard.adapters.files.safe_load import read_text
from versionguard.core.errors import InputError

PASSPHRASE = "PULUMI_CONFIG_PASSPHRASE"
PASSPHRASE_FILE = "PULUMI_CONFIG_PASSPHRASE_FILE"
_ITERATIONS = 1_000_000
_CHECK = "pulumi"


@dataclass(frozen=True)
class Decrypter:
    """Decrypts the secrets of one stack file."""

    source: str
    key: bytes

    def decrypt(self, ciphertext: str, key_path: str) -> str:
        text = _open(self.key, ciphertext)
        if text is None:
            raise InputError(self.source, key_path, "a secret this stack's passphrase decrypts (v1:<nonce>:<data>)",
                             "a value it does not decrypt")
        return text


def passphrase_decrypter(stack_file: Path, data: Mapping[object, object],
                         env: Mapping[str, str] | None = None) -> Decrypter | None:
    """The decrypter of a passphrase-provider stack, or None when its secrets cannot be decrypted
    offline (another provider, or no passphrase given)."""
    source = str(stack_file)
    salt_line = data.get("encryptionsalt")
    provider = data.get("secretsprovider")
    if salt_line is None or provider not in (None, "passphrase"):
        return None
    if not isinstance(salt_line, str):
        raise InputError(source, "encryptionsalt", "v1:<salt>:<check value> (as Pulumi writes it)", salt_line)
    phrase = _passphrase(os.environ if env is None else env)
    if phrase is None:
        return None
    version, _, rest = salt_line.partition(":")
    salt_text, _, check = rest.partition(":")
    try:
        salt = base64.b64decode(salt_text, validate=True)
    except (binascii.Error, ValueError):
        salt = b""
    if version != "v1" or not salt or not check:
        raise InputError(source, "encryptionsalt", "v1:<salt>:<check value> (as Pulumi writes it)", salt_line)
    key = _key(phrase, salt)
    if _open(key, check) != _CHECK:
        raise InputError(source, "encryptionsalt", f"the passphrase of this stack ({PASSPHRASE} or {PASSPHRASE_FILE})",
                         "a passphrase that does not decrypt it (incorrect passphrase)")
    return Decrypter(source, key)


@functools.lru_cache(maxsize=16)
def _key(phrase: str, salt: bytes) -> bytes:
    """A million PBKDF2 rounds (about half a second): once per passphrase and salt in a run."""
    return hashlib.pbkdf2_hmac("sha256", phrase.encode("utf-8"), salt, _ITERATIONS, 32)


def _passphrase(env: Mapping[str, str]) -> str | None:
    if PASSPHRASE in env:
        return env[PASSPHRASE]
    file = env.get(PASSPHRASE_FILE)
    if not file:
        return None
    return read_text(file, f"passphrase file ({PASSPHRASE_FILE})").strip()


def _open(key: bytes, ciphertext: str) -> str | None:
    """AES-256-GCM of ``v1:<nonce>:<data>``; None when it does not decrypt (or is malformed)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    parts = ciphertext.split(":")
    if len(parts) != 3 or parts[0] != "v1":
        return None
    try:
        nonce, data = base64.b64decode(parts[1], validate=True), base64.b64decode(parts[2], validate=True)
        return AESGCM(key).decrypt(nonce, data, None).decode("utf-8")
    except (binascii.Error, ValueError, InvalidTag, UnicodeDecodeError):
        return None
