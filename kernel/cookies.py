"""Response cookies, rendered as ``Set-Cookie`` header values."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


class SameSite(Enum):
    """Values of the ``SameSite`` cookie attribute."""

    DEFAULT_MODE = ""
    LAX_MODE = "Lax"
    STRICT_MODE = "Strict"
    NONE_MODE = "None"


class Cookie:
    """A cookie to set on the client; ``str(cookie)`` is its ``Set-Cookie`` value.

    :param name: the cookie's name.
    :param value: its value.
    :param path: the path it applies to (``Path``).
    :param domain: the domain it applies to (``Domain``).
    :param secure: send only over HTTPS (``Secure``); on by default.
    :param http_only: hide it from scripts (``HttpOnly``).
    :param max_age: seconds until it expires; ``0`` or less deletes it.
    :param expires: when it expires.
    :param same_site: the ``SameSite`` policy.
    :param custom_attributes: extra attributes, written as given.
    """

    def __init__(
        self,
        name: str,
        value: str,
        path: str = "",
        domain: str = "",
        secure: bool = True,
        http_only: bool = False,
        max_age: int | None = None,
        expires: datetime | None = None,
        same_site: SameSite | None = None,
        custom_attributes: list[str] | None = None,
    ) -> None:
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.secure = secure
        self.http_only = http_only
        self.max_age = max_age
        self.expires = expires
        self.same_site = same_site
        self.custom_attributes = custom_attributes

    def __str__(self) -> str:
        parts = [f"{self.name}={self.value}"]
        if self.path:
            parts.append(f"Path={self.path}")
        if self.domain:
            parts.append(f"Domain={self.domain}")
        if self.expires is not None:
            parts.append(f"Expires={self.expires.strftime('%a, %d %b %Y %H:%M:%S GMT')}")
        if self.max_age is not None:
            # A non-positive Max-Age deletes the cookie; RFC 6265 reads "0" that way.
            parts.append(f"Max-Age={self.max_age if self.max_age > 0 else 0}")
        if self.http_only:
            parts.append("HttpOnly")
        if self.secure:
            parts.append("Secure")
        if self.same_site is not None and self.same_site.value:
            parts.append(f"SameSite={self.same_site.value}")
        if self.custom_attributes:
            parts.extend(self.custom_attributes)
        return "; ".join(parts)
