"""Handing a stored file to the browser once the view has checked who asks.

Streams with HTTP Range (206) by default — iPhone Safari will not play a video without it —
or hands over to nginx (X-Accel-Redirect) or to a short-lived presigned bucket URL.
"""

import re
from collections.abc import Iterator

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import http_date

CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single `bytes=` range, None to send everything.

    Raises RangeNotSatisfiable for a range outside the file. Several ranges at once are
    answered with the whole file, which RFC 9110 allows.
    """
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None:
        if header.strip().startswith("bytes=") and "," not in header:
            raise RangeNotSatisfiable
        return None
    first_raw, last_raw = match.groups()
    if not first_raw and not last_raw:
        raise RangeNotSatisfiable
    if not first_raw:  # the last N bytes
        length = int(last_raw)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - length), size - 1
    first = int(first_raw)
    last = int(last_raw) if last_raw else size - 1
    if first >= size or last < first:
        raise RangeNotSatisfiable
    return first, min(last, size - 1)


def _stream(field: FieldFile, name: str, first: int, length: int) -> Iterator[bytes]:
    handle = field.storage.open(name, "rb")
    try:
        handle.seek(first)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def serve_file(
    request: HttpRequest, field: FieldFile, *, content_type: str, version: str
) -> HttpResponseBase:
    """The file of `field`, for a request the caller has already authorized.

    `version` changes whenever the bytes do (it makes the ETag that If-Range compares).
    """
    name = field.name or ""
    if settings.VIDEO_SERVE == "presigned":
        return HttpResponseRedirect(field.storage.url(name))
    if settings.VIDEO_SERVE == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.VIDEO_X_ACCEL_PREFIX + name
        response["Cache-Control"] = "private, max-age=300"
        return response

    size = field.storage.size(name)
    etag = f'"{version}-{size}"'
    byte_range: tuple[int, int] | None = None
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    # If-Range: a range of an older version of the file would be garbage; send it all.
    if header and (if_range is None or if_range.strip() == etag):
        try:
            byte_range = parse_range(header, size)
        except RangeNotSatisfiable:
            refusal = HttpResponse(status=416)
            refusal["Content-Range"] = f"bytes */{size}"
            refusal["Accept-Ranges"] = "bytes"
            return refusal
    first, last = byte_range or (0, size - 1)
    length = max(0, last - first + 1)
    stream = StreamingHttpResponse(
        _stream(field, name, first, length),
        status=206 if byte_range else 200,
        content_type=content_type,
    )
    stream["Content-Length"] = str(length)
    stream["Accept-Ranges"] = "bytes"
    stream["ETag"] = etag
    stream["Cache-Control"] = "private, max-age=300"
    stream["Last-Modified"] = http_date(field.storage.get_modified_time(name).timestamp())
    if byte_range:
        stream["Content-Range"] = f"bytes {first}-{last}/{size}"
    # The project's GZipMiddleware would compress this stream and drop Content-Length,
    # which breaks byte ranges; video does not compress anyway.
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    return stream
