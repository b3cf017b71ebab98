"""What password links and API tokens share: a secret shown once, stored as a hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ...models import ApiToken, PasswordLink


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class IssuedSecret:
    """A secret shown once (link token or API token) with the row that stores its hash."""

    secret: str
    row: PasswordLink | ApiToken
