"""Request bodies that are forms: URL-encoded fields and multipart/form-data with files.

:class:`UploadFile` is what a ``File()`` parameter receives. Reading a
multipart body is left to python-multipart, and decoding a base64 one to
pybase64, both imported the first time a multipart request is read; a body
python-multipart cannot read, or a multipart content type without a boundary,
is answered 422 with its own error type. A form of more than :data:`MAX_FIELDS`
fields or :data:`MAX_FILES` files is answered 413 as soon as the reader counts
one too many, before the rest of the body is read.
"""

from __future__ import annotations

import binascii
import functools
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from kernel import InvalidBodyError, RequestEntityTooLargeError
from kernel.plugin_api import BaseRequest

if TYPE_CHECKING:
    import logging

#: The media types of form bodies.
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
#: The longest boundary python-multipart accepts (RFC 2046 allows 70 characters).
MAX_BOUNDARY = 256
#: The most fields a form may hold: URL-encoded pieces between ``&``, or multipart parts without a
#: filename. Starlette's default: enough for any form a person fills in, and a request of many
#: thousands of tiny fields costs its parsing and validation time however small the body. Read on
#: every request, so an app may set another value at import time.
MAX_FIELDS = 1000
#: The most files (multipart parts with a filename) a form may hold, read like :data:`MAX_FIELDS`.
MAX_FILES = 1000


@functools.cache
def _quiet_logger() -> logging.Logger:
    """The logger kernel's multipart parsers write to: none of their records goes anywhere.

    python-multipart logs a WARNING (logger ``python_multipart.multipart``)
    for each malformed body it reads, then raises the error kernel answers
    4xx. On Lambda every log line is billed and a client may send malformed
    bodies as fast as it likes. A parser holds its logger in an attribute, so
    kernel gives the parsers it makes this one, made outside logging's registry
    (no configuration by logger name reaches it) and disabled. A filter or a
    level on python-multipart's own logger would have changed the logging the
    app set up, and silenced any other user of python-multipart in the process.
    """
    import logging  # once python-multipart is imported, which imports it anyway

    logger = logging.Logger("kernel_validation.forms.multipart")
    logger.disabled = True
    return logger


class UploadFile:
    """A file sent in a multipart/form-data body.

    Annotate a parameter ``Annotated[UploadFile, File()]`` to receive the
    file with its name and content type; ``Annotated[bytes, File()]`` receives
    only its bytes.
    """

    __slots__ = ("content", "content_type", "filename", "headers")

    def __init__(
        self,
        *,
        content: bytes,
        filename: str | None = None,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        #: The file's bytes.
        self.content = content
        #: The name the client gave the file, if any.
        self.filename = filename
        #: The media type the client declared for the file, if any.
        self.content_type = content_type
        #: The part's headers, names in lower case.
        self.headers = headers or {}

    def __len__(self) -> int:
        return len(self.content)

    def __repr__(self) -> str:
        return f"UploadFile(filename={self.filename!r}, content_type={self.content_type!r}, size={len(self.content)})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        def check(value: Any) -> UploadFile:
            if isinstance(value, cls):
                return value
            # A form field sent where a file was expected.
            raise ValueError("Expected a file")

        return core_schema.no_info_plain_validator_function(check)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "string", "format": "binary"}


class MalformedForm(Exception):
    """A form body that cannot be read; ``kind`` is the error type the client sees."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def media_type(content_type: str) -> str:
    """The media type of a ``Content-Type`` value, lower case, without parameters."""
    return content_type.split(";", 1)[0].strip().lower()


def body_bytes(request: BaseRequest) -> bytes:
    """The request body as bytes, base64-decoded when the event says it is encoded."""
    body = request.body
    if not body:
        return b""
    if request.is_base64_encoded:
        # pybase64: a 100 KB upload decodes in microseconds rather than the standard library's
        # near half millisecond, most of a multipart request's time. Imported on first use.
        import pybase64

        try:
            return pybase64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidBodyError("Request body is not valid base64") from None
    try:
        return body.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (JSON's "\ud800" in the event): no UTF-8 text holds one.
        raise InvalidBodyError("Request body is not valid UTF-8") from None


def read_urlencoded(request: BaseRequest) -> dict[str, list[Any]]:
    """The fields of an ``application/x-www-form-urlencoded`` body, each with every value sent.

    Raises :class:`~kernel.RequestEntityTooLargeError` (413) when the body holds
    more than :data:`MAX_FIELDS` pieces between ``&``, before reading any.
    """
    text = request.decoded_body or ""
    fields: dict[str, list[Any]] = {}
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:  # the only one parse_qsl raises without strict_parsing: too many fields
        raise RequestEntityTooLargeError(f"The form has more than {MAX_FIELDS} fields") from None
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


class _Parts:
    """What python-multipart reports of one body, gathered part by part (one per request)."""

    __slots__ = ("data", "field_count", "fields", "file_count", "filename", "header", "headers", "key")

    def __init__(self) -> None:
        self.fields: dict[str, list[Any]] = {}
        self.field_count = 0
        self.file_count = 0
        # The header being read: its name and its value, as bytes.
        self.header = [b"", b""]
        self.headers: dict[str, str] = {}
        self.data = bytearray()
        self.key = ""
        self.filename: str | None = None

    def callbacks(self) -> Any:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self.headers = {}
        self.data = bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header[0] += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self.header[1] += data[start:end]

    def header_end(self) -> None:
        name, value = self.header
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")
        self.header = [b"", b""]

    def headers_finished(self) -> None:
        # Counted here, before the part's data: a body of too many parts stops at the first one over.
        from python_multipart.multipart import parse_options_header

        disposition, params = parse_options_header(self.headers.get("content-disposition"))
        name = params.get(b"name")
        if disposition != b"form-data" or name is None:
            raise MalformedForm("multipart_invalid", "A part of the multipart/form-data body has no form-data name")
        self.key = name.decode("utf-8", "replace")
        filename = params.get(b"filename")
        if filename is None:
            self.filename = None
            self.field_count += 1
            if self.field_count > MAX_FIELDS:
                raise RequestEntityTooLargeError(f"The form has more than {MAX_FIELDS} fields")
        else:
            self.filename = filename.decode("utf-8", "replace")
            self.file_count += 1
            if self.file_count > MAX_FILES:
                raise RequestEntityTooLargeError(f"The form has more than {MAX_FILES} files")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        # A view, not a slice: a file's bytes are copied once, into the part.
        self.data.extend(memoryview(data)[start:end])

    def part_end(self) -> None:
        value: Any
        if self.filename is not None:
            value = UploadFile(
                content=bytes(self.data),
                filename=self.filename,
                content_type=self.headers.get("content-type"),
                headers=self.headers,
            )
        else:
            try:
                value = bytes(self.data).decode("utf-8")
            except UnicodeDecodeError:
                raise MalformedForm("multipart_invalid", f"The form field {self.key!r} is not UTF-8 text") from None
        self.fields.setdefault(self.key, []).append(value)


def read_multipart(request: BaseRequest, content_type: str) -> dict[str, list[Any]]:
    """The fields (text) and files (:class:`UploadFile`) of a ``multipart/form-data`` body.

    Raises :class:`MalformedForm` without a boundary, or when the body is not
    a complete multipart message with that boundary;
    :class:`~kernel.RequestEntityTooLargeError` (413) at the part past
    :data:`MAX_FIELDS` fields or :data:`MAX_FILES` files.
    """
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

    try:
        _, options = parse_options_header(content_type)
    except UnicodeEncodeError:
        # python-multipart reads header values as latin-1; an event's header may hold any character.
        raise MalformedForm("multipart_invalid", "The multipart/form-data content type is not latin-1 text") from None
    boundary = options.get(b"boundary")
    if not boundary:
        raise MalformedForm("multipart_boundary_missing", "The multipart/form-data content type has no boundary")
    if len(boundary) > MAX_BOUNDARY:
        raise MalformedForm("multipart_invalid", f"The multipart/form-data boundary is longer than {MAX_BOUNDARY} bytes")
    parts = _Parts()
    parser = MultipartParser(boundary, parts.callbacks())
    parser.logger = _quiet_logger()
    try:
        parser.write(body_bytes(request))
        parser.finalize()
    except FormParserError:  # MultipartParseError and the other errors of a body it cannot read
        raise MalformedForm("multipart_invalid", "The body is not a valid multipart/form-data message") from None
    if parser.state != MultipartState.END:
        raise MalformedForm("multipart_invalid", "The multipart/form-data body ends before its closing boundary")
    return parts.fields


__all__ = [
    "MAX_FIELDS",
    "MAX_FILES",
    "MULTIPART",
    "URLENCODED",
    "MalformedForm",
    "UploadFile",
    "body_bytes",
    "media_type",
    "read_multipart",
    "read_urlencoded",
]
