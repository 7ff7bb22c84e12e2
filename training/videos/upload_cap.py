"""Multipart video uploads refused by size: by the announced length before the body is
read, and while the file streams in case that length was missing or wrong."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

# Room for the form's other fields and the multipart boundaries around the file.
FORM_SLACK = 64 * 1024


def declared_too_large(request: HttpRequest, *, limit: int) -> bool:
    """The request announces more than a `limit`-byte file and its form: refuse it before
    anything (the CSRF check included) reads request.POST and spools the body to disk."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    return declared.isascii() and declared.isdigit() and int(declared) > limit + FORM_SLACK


class CappedUploadHandler(FileUploadHandler):
    """First of the request's upload handlers: stops the upload once a file passes `limit`
    bytes, so nothing past the cap is read or written to disk."""

    def __init__(self, request: HttpRequest, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            # connection_reset: the rest of the body is not read (nor drained) either.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file


def cap_uploads(request: HttpRequest, *, limit: int) -> CappedUploadHandler:
    """Install the cap; call before request.POST or request.FILES is first read."""
    handler = CappedUploadHandler(request, limit=limit)
    request.upload_handlers.insert(0, handler)
    return handler
