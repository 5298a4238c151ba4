"""The packaged Swagger UI files as HTTP answers: content-hashed URLs, ETags, gzip.

The Swagger route serves its page small and the two large files it needs
(``swagger-ui-bundle.js``, about 1.7 MB, and ``swagger-ui.css``, about
190 kB) as answers of their own, on the route's own URL:
``<page URL>?asset=<name>&v=<digest>``. The page links them with relative URLs
that start with ``?``, which a browser resolves against the URL it loaded the
page from, so the links work under any stage, custom domain base path,
``strip_prefixes`` or proxy, exactly as the page's ``?format=json`` does.

``<digest>`` is the start of the SHA-256 of the file. With the right digest
the answer may be kept for a year and never asked again
(``Cache-Control: public, max-age=31536000, immutable``); a new Swagger UI
brings a new digest, so a new URL. Without it (a page cached from an older
release, a hand-written URL) the answer must be revalidated
(``Cache-Control: no-cache``). Every answer carries an ``ETag`` and a
request whose ``If-None-Match`` names it is answered ``304`` with no body;
the page itself is answered the same way, with an ETag of its text.

Files are read, hashed and (with ``compress=True``) gzipped once per process,
on first use, never at import.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from kernel import NotFoundError
from kernel.plugin_api import Response, content_types

#: The query parameters of an asset URL: which file, and the digest it was linked with.
ASSET_PARAM = "asset"
VERSION_PARAM = "v"

#: Cache-Control of an answer whose URL names the file's current digest: kept a
#: year, and ``immutable`` so browsers do not revalidate it even on reload.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Cache-Control of everything else the route serves: may be stored, but asked
#: again (with its ETag) before each use, so a new release shows at once.
REVALIDATE = "no-cache"

#: The files served, and their media types (RFC 9239 names JavaScript text/javascript).
CONTENT_TYPES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}

#: Hex digits of the SHA-256 kept in URLs and ETags: 64 bits, no collision between releases.
DIGEST_LENGTH = 16

#: zlib's default level. Measured on swagger-ui-bundle.js (1.73 MB): level 6
#: gives 460 kB in 54 ms of CPU, level 9 458 kB in 71 ms, level 1 545 kB in
#: 19 ms. The result is kept for the life of the process, so the size wins over
#: level 1's speed, and level 9's last 0.4% is not worth a third more CPU on a
#: cold Lambda environment.
GZIP_LEVEL = 6

# An entity tag in If-None-Match: optional weakness marker, then a quoted string.
_ENTITY_TAG = re.compile(r'(?:W/)?"([^"]*)"')


@dataclass(frozen=True)
class Asset:
    """One packaged file as it is served."""

    name: str
    content_type: str
    #: The file's text (UTF-8, exactly its bytes: no newline translation).
    text: str
    #: The start of the SHA-256 of the file's bytes, in hex.
    digest: str

    def url(self) -> str:
        """The URL the page links it with, relative to the page's own URL."""
        return f"?{ASSET_PARAM}={self.name}&{VERSION_PARAM}={self.digest}"


@functools.cache
def asset(name: str) -> Asset:
    """A served file, read and hashed once per process; ``KeyError`` for any other name."""
    content_type = CONTENT_TYPES[name]
    data = resources.files(__package__).joinpath("assets").joinpath(name).read_bytes()
    return Asset(name, content_type, data.decode("utf-8"), hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH])


@functools.cache
def gzipped(name: str) -> bytes:
    """A served file in the gzip format, compressed once per process.

    No file name and a zero timestamp in the header, so the bytes, like the
    ETag that names them, are the same in every process.
    """
    return gzip.compress(asset(name).text.encode("utf-8"), compresslevel=GZIP_LEVEL, mtime=0)


def if_none_match(header: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (or is ``*``).

    Compared as RFC 9110 (13.1.2) says for this header: weakly, so ``W/"x"``
    and ``"x"`` match each other; a proxy that weakens a tag does not cost the
    client its cached copy.
    """
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = _ENTITY_TAG.fullmatch(etag.removeprefix("W/"))
    return wanted is not None and wanted.group(1) in _ENTITY_TAG.findall(header)


def asset_response(
    name: str,
    version: str | None,
    *,
    condition: str | None,
    compressible: bool,
    accepts_gzip: bool,
) -> Response[Any]:
    """The answer to ``?asset=name&v=version``.

    :param condition: the request's ``If-None-Match``.
    :param compressible: whether the route gzips (``compress=True``): the answer
        then depends on ``Accept-Encoding`` and says so in ``Vary``.
    :param accepts_gzip: whether this request accepts gzip.
    :raises NotFoundError: for a name that is not a served file (answered 404).
    """
    try:
        served = asset(name)
    except KeyError:
        raise NotFoundError(f"No Swagger UI asset {name!r}; the assets are {', '.join(sorted(CONTENT_TYPES))}") from None
    gzip_it = compressible and accepts_gzip
    # Each content coding is a representation of its own, with a tag of its own.
    etag = f'"{served.digest}-gzip"' if gzip_it else f'"{served.digest}"'
    headers = {
        "Cache-Control": IMMUTABLE if version == served.digest else REVALIDATE,
        "ETag": etag,
        # Scripts and stylesheets are only ever read as what they say they are.
        "X-Content-Type-Options": "nosniff",
    }
    if compressible:
        headers["Vary"] = "Accept-Encoding"
    # compress=False: the body is final; the compression plugin neither
    # compresses the plain file nor touches the gzip one.
    if if_none_match(condition, etag):
        return Response(304, None, None, headers, compress=False)
    if gzip_it:
        headers["Content-Encoding"] = "gzip"
        # bytes: every source sends them base64-encoded.
        return Response(200, served.content_type, gzipped(name), headers, compress=False)
    # Text, sent as it is (not base64), so it needs no binary media type on a REST API.
    return Response(200, served.content_type, served.text, headers, compress=False)


def page_response(body: str, *, condition: str | None, compressible: bool) -> Response[Any]:
    """The page (or any text answer) with an ETag, revalidated on every visit.

    The tag is weak: with ``compress=True`` the compression plugin gzips the
    page afterwards, and both codings are the same page.
    """
    etag = f'W/"{hashlib.sha256(body.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]}"'
    headers = {"Cache-Control": REVALIDATE, "ETag": etag}
    if if_none_match(condition, etag):
        if compressible:
            # A 304 repeats the Vary its 200 would carry (RFC 9110, 15.4.5); the
            # compression plugin adds it to the 200 but leaves a 304 alone.
            headers["Vary"] = "Accept-Encoding"
        return Response(304, None, None, headers)
    return Response(200, content_types.TEXT_HTML, body, headers)
