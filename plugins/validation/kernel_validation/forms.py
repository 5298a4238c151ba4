"""Request bodies that are forms: URL-encoded fields and multipart/form-data with files.

:class:`UploadFile` is what a ``File()`` parameter receives. Reading a
multipart body is left to python-multipart, and decoding a base64 one to
pybase64, both imported the first time a multipart request is read; a body
python-multipart cannot read, or a multipart content type without a boundary,
is answered 422 with its own error type.
"""

from __future__ import annotations

import binascii
from typing import Any
from urllib.parse import parse_qsl

from kernel import InvalidBodyError
from kernel.plugin_api import BaseRequest

#: The media types of form bodies.
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
#: The longest boundary python-multipart accepts (RFC 2046 allows 70 characters).
MAX_BOUNDARY = 256


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
    """The fields of an ``application/x-www-form-urlencoded`` body, each with every value sent."""
    text = request.decoded_body or ""
    fields: dict[str, list[Any]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        fields.setdefault(name, []).append(value)
    return fields


def read_multipart(request: BaseRequest, content_type: str) -> dict[str, list[Any]]:
    """The fields (text) and files (:class:`UploadFile`) of a ``multipart/form-data`` body.

    Raises :class:`MalformedForm` without a boundary, or when the body is not
    a complete multipart message with that boundary.
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
    parts: list[tuple[list[tuple[bytes, bytes]], bytearray]] = []
    header: list[bytes] = [b"", b""]

    def part_begin() -> None:
        parts.append(([], bytearray()))

    def header_field(data: bytes, start: int, end: int) -> None:
        header[0] += data[start:end]

    def header_value(data: bytes, start: int, end: int) -> None:
        header[1] += data[start:end]

    def header_end() -> None:
        parts[-1][0].append((header[0], header[1]))
        header[0] = header[1] = b""

    def part_data(data: bytes, start: int, end: int) -> None:
        # A view, not a slice: a file's bytes are copied once, into the part.
        parts[-1][1].extend(memoryview(data)[start:end])

    callbacks: Any = {
        "on_part_begin": part_begin,
        "on_header_field": header_field,
        "on_header_value": header_value,
        "on_header_end": header_end,
        "on_part_data": part_data,
    }
    parser = MultipartParser(boundary, callbacks)
    try:
        parser.write(body_bytes(request))
        parser.finalize()
    except FormParserError:  # MultipartParseError and the other errors of a body it cannot read
        raise MalformedForm("multipart_invalid", "The body is not a valid multipart/form-data message") from None
    if parser.state != MultipartState.END:
        raise MalformedForm("multipart_invalid", "The multipart/form-data body ends before its closing boundary")
    fields: dict[str, list[Any]] = {}
    for raw_headers, data in parts:
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in raw_headers}
        disposition, params = parse_options_header(headers.get("content-disposition"))
        name = params.get(b"name")
        if disposition != b"form-data" or name is None:
            raise MalformedForm("multipart_invalid", "A part of the multipart/form-data body has no form-data name")
        key = name.decode("utf-8", "replace")
        filename = params.get(b"filename")
        value: Any
        if filename is not None:
            value = UploadFile(
                content=bytes(data),
                filename=filename.decode("utf-8", "replace"),
                content_type=headers.get("content-type"),
                headers=headers,
            )
        else:
            try:
                value = bytes(data).decode("utf-8")
            except UnicodeDecodeError:
                raise MalformedForm("multipart_invalid", f"The form field {key!r} is not UTF-8 text") from None
        fields.setdefault(key, []).append(value)
    return fields


__all__ = [
    "MULTIPART",
    "URLENCODED",
    "MalformedForm",
    "UploadFile",
    "body_bytes",
    "media_type",
    "read_multipart",
    "read_urlencoded",
]
