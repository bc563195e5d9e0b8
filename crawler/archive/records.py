"""One HTTP exchange as a WARC ``response`` record and a ``request`` record.

The exchange is plain data (bytes as they went over the wire), so the writer is tested
without Scrapy and the fixture packer builds exchanges from saved pages the same way.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from http import HTTPStatus
from io import BytesIO
from urllib.parse import urlsplit

from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser

Header = tuple[bytes, bytes]

#: Download handlers hand over bodies with the chunk framing removed. Scrapy's HTTP/1.1
#: handler drops ``Transfer-Encoding`` too (Twisted keeps connection headers to itself), but
#: should another pass it on, a record with ``Transfer-Encoding: chunked`` over a body that
#: is not chunked would make readers de-chunk it, so the header is kept under this name.
DECHUNKED_HEADER = b"X-Wiretrace-Transfer-Encoding"


@dataclass
class HttpExchange:
    """What was sent and what came back, bytes as received (body still content-encoded)."""

    url: str
    status: int
    response_headers: list[Header]
    body: bytes
    method: str = "GET"
    request_headers: list[Header] = field(default_factory=list)
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None
    #: WARC-Truncated reason (``length``, ``time``, ``disconnect``) when the body is partial.
    truncated: str | None = None


#: Our own WARC fields on a ``revisit`` record: the file (in the same folder) and offset of
#: the record it repeats, so a reader finds the payload without an index of the archive.
REFERS_TO_FILE = "Wiretrace-Refers-To-File"
REFERS_TO_OFFSET = "Wiretrace-Refers-To-Offset"


@dataclass(frozen=True)
class Original:
    """The record an unchanged capture repeats (WARC ``revisit``, identical payload digest)."""

    record_id: str
    url: str
    date: str
    file: str
    offset: int


def payload_digest(body: bytes) -> str:
    """``sha1:<base32>``, as warcio writes ``WARC-Payload-Digest``."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


class _ExactHeaders(StatusAndHeaders):
    """warcio re-encodes header text as ASCII and percent-encodes anything else; this keeps
    the header block byte for byte as it was received."""

    def __init__(self, block: bytes, statusline: str, headers: list[Header], protocol: str):
        super().__init__(
            statusline,
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers],
            protocol=protocol,
        )
        self._block = block

    def compute_headers_buffer(self, header_filter: object = None) -> None:
        self.headers_buff = self._block


def _block(first_line: str, headers: list[Header]) -> bytes:
    lines = [first_line.encode("latin-1"), *(name + b": " + value for name, value in headers)]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def status_line(status: int) -> str:
    """``200 OK``: Scrapy keeps no reason phrase, so the standard one stands in for it."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def response_headers(exchange: HttpExchange) -> list[Header]:
    return [
        (DECHUNKED_HEADER, value) if name.lower() == b"transfer-encoding" else (name, value)
        for name, value in exchange.response_headers
    ]


def request_headers(exchange: HttpExchange) -> list[Header]:
    """The request's headers, with ``Host`` first as the HTTP client sends it."""
    headers = list(exchange.request_headers)
    if not any(name.lower() == b"host" for name, _ in headers):
        host = urlsplit(exchange.url).netloc.rsplit("@", 1)[-1]
        headers.insert(0, (b"Host", host.encode("idna" if not host.isascii() else "ascii")))
    return headers


def request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def build_pair(
    builder: RecordBuilder,
    exchange: HttpExchange,
    *,
    warc_date: str,
    warcinfo_id: str | None,
    original: Original | None = None,
) -> tuple[ArcWarcRecord, ArcWarcRecord]:
    """The response record and its request record, each naming the other (WARC-Concurrent-To),
    both dated ``warc_date``. warcio computes the payload and block digests (SHA-1).

    With ``original`` (an earlier capture of the same URL with the same payload), the first
    record is a ``revisit`` (identical-payload-digest profile): the HTTP headers as received
    now, no body, and where the body is."""
    response_id = StatusAndHeadersParser.make_warc_id()
    request_id = StatusAndHeadersParser.make_warc_id()
    common = {"WARC-Date": warc_date}
    if warcinfo_id:
        common["WARC-Warcinfo-ID"] = warcinfo_id
    if exchange.ip_address:
        common["WARC-IP-Address"] = exchange.ip_address

    protocol = exchange.protocol
    status = status_line(exchange.status)
    headers = response_headers(exchange)
    response_fields = {**common, "WARC-Record-ID": response_id, "WARC-Concurrent-To": request_id}
    if exchange.truncated:
        response_fields["WARC-Truncated"] = exchange.truncated
    http_headers = _ExactHeaders(_block(f"{protocol} {status}", headers), status, headers, protocol)
    if original is not None and not exchange.truncated:
        response_fields["WARC-Refers-To"] = original.record_id
        response_fields[REFERS_TO_FILE] = original.file
        response_fields[REFERS_TO_OFFSET] = str(original.offset)
        revisit = builder.create_revisit_record(
            exchange.url,
            payload_digest(exchange.body),
            original.url,
            original.date,
            http_headers=http_headers,
            warc_headers_dict=response_fields,
        )
        return revisit, _request_record(builder, exchange, common, request_id, response_id)
    response = builder.create_warc_record(
        exchange.url,
        "response",
        payload=BytesIO(exchange.body),
        length=len(exchange.body),
        warc_headers_dict=response_fields,
        http_headers=http_headers,
    )

    return response, _request_record(builder, exchange, common, request_id, response_id)


def _request_record(
    builder: RecordBuilder,
    exchange: HttpExchange,
    common: dict[str, str],
    request_id: str,
    response_id: str,
) -> ArcWarcRecord:
    line = f"{exchange.method} {request_target(exchange.url)}"
    sent = request_headers(exchange)
    return builder.create_warc_record(
        exchange.url,
        "request",
        payload=BytesIO(exchange.request_body),
        length=len(exchange.request_body),
        warc_headers_dict={**common, "WARC-Record-ID": request_id,
                           "WARC-Concurrent-To": response_id},
        http_headers=_ExactHeaders(_block(f"{line} HTTP/1.1", sent), line, sent, "HTTP/1.1"),
    )  # fmt: skip
