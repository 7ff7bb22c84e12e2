"""The tus 1.0 resumable upload protocol (core, creation, termination) as Django views.

A phone in a gym loses signal: the client asks (HEAD) how far the server got and sends
the rest (PATCH) instead of starting over. Chunks are appended to a temp file on disk.
"""

import base64
import binascii
from typing import IO, cast
from uuid import UUID

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from athletes.selectors import athlete_for_user
from coaching.requests import AuthedRequest
from core.access import athlete_required
from plans.selectors import prescription_for_athlete
from training.videos import files, media, services
from training.videos.models import VideoUpload
from training.videos.selectors import upload_for_athlete

VERSION = "1.0.0"
EXTENSIONS = "creation,termination,checksum"


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    return response


def _options() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Tus-Version"] = VERSION
    response["Tus-Extension"] = EXTENSIONS
    response["Tus-Max-Size"] = str(files.max_upload_bytes())
    response["Tus-Checksum-Algorithm"] = ",".join(services.CHECKSUM_ALGORITHMS)
    return _tus(response)


def _refusal(message: str, status: int) -> HttpResponse:
    return _tus(HttpResponse(message, status=status, content_type="text/plain; charset=utf-8"))


def _version_mismatch(request: AuthedRequest) -> HttpResponse | None:
    if request.headers.get("Tus-Resumable") != VERSION:
        response = _refusal("Tus-Resumable 1.0.0 is required.", 412)
        response["Tus-Version"] = VERSION
        return response
    return None


def parse_metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64value` pairs."""
    metadata: dict[str, str] = {}
    for pair in filter(None, (item.strip() for item in header.split(","))):
        key, _, encoded = pair.partition(" ")
        try:
            metadata[key] = base64.b64decode(encoded, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise files.UploadRefused("Upload-Metadata is malformed.") from None
    return metadata


def parse_checksum(header: str | None) -> tuple[str, bytes] | None:
    """Upload-Checksum: `algorithm base64digest`."""
    if not header:
        return None
    algorithm, _, encoded = header.strip().partition(" ")
    if algorithm not in services.CHECKSUM_ALGORITHMS:
        raise files.UploadRefused(f"Checksum algorithm {algorithm[:20]!r} is not supported.")
    try:
        return algorithm, base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise files.UploadRefused("Upload-Checksum is malformed.") from None


def _header_int(request: AuthedRequest, name: str) -> int | None:
    raw = request.headers.get(name)
    # ASCII digits only ("²".isdigit() is true); a huge number is compared with the cap later.
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 30:
        return None
    return int(raw)


def _uuid(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise Http404("No such exercise in your sessions") from None


@never_cache
@athlete_required
def uploads(request: AuthedRequest) -> HttpResponse:
    """OPTIONS: what the server supports. POST: create an upload pinned to a set."""
    if request.method == "OPTIONS":
        return _options()
    if request.method != "POST":
        return _tus(HttpResponse(status=405, headers={"Allow": "OPTIONS, POST"}))
    if mismatch := _version_mismatch(request):
        return mismatch
    athlete = athlete_for_user(request.user)
    length = _header_int(request, "Upload-Length")
    if length is None:
        return _refusal("Upload-Length is required (deferred length is not supported).", 400)
    try:
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        if "session" not in metadata or "prescription" not in metadata:
            raise files.UploadRefused("Say which exercise the video shows.")
        prescription = prescription_for_athlete(
            athlete, _uuid(metadata["session"]), _uuid(metadata["prescription"])
        )
        pin = services.pin_for(prescription, metadata.get("set_number"))
        upload = services.upload_create(
            athlete=athlete, pin=pin, length=length, filename=metadata.get("filename", "")
        )
    except files.UploadRefused as refused:
        return _refusal(str(refused), refused.status)
    response = HttpResponse(status=201)
    response["Location"] = request.build_absolute_uri(
        reverse("videos:tus_upload", kwargs={"upload_id": upload.pk})
    )
    return _tus(response)


@never_cache
@athlete_required
def upload(request: AuthedRequest, upload_id: UUID) -> HttpResponse:
    """HEAD: the offset to resume from. PATCH: the next bytes. DELETE: give up."""
    if request.method == "OPTIONS":
        return _options()
    if request.method not in ("HEAD", "PATCH", "DELETE"):
        return _tus(HttpResponse(status=405, headers={"Allow": "OPTIONS, HEAD, PATCH, DELETE"}))
    if mismatch := _version_mismatch(request):
        return mismatch
    athlete = athlete_for_user(request.user)
    try:
        found = upload_for_athlete(athlete, upload_id)
    except Http404:
        # Expired, cancelled, finished, or never this athlete's: the client shows the words.
        return _refusal(services.EXPIRED_MESSAGE, 404)
    if request.method == "DELETE":
        services.upload_terminate(upload=found)
        return _tus(HttpResponse(status=204))
    try:
        services.upload_check_live(upload=found)
    except files.UploadRefused as refused:
        return _refusal(str(refused), refused.status)
    if request.method == "HEAD":
        response = HttpResponse(status=200)
        response["Upload-Offset"] = str(found.offset)
        response["Upload-Length"] = str(found.length)
        return _tus(response)
    return _patch(request, found)


def _patch(request: AuthedRequest, found: VideoUpload) -> HttpResponse:
    if request.content_type != "application/offset+octet-stream":
        return _refusal("Content-Type must be application/offset+octet-stream.", 415)
    offset = _header_int(request, "Upload-Offset")
    if offset is None:
        return _refusal("Upload-Offset is required.", 400)
    try:
        services.upload_append(
            upload=found,
            offset=offset,
            body=cast(IO[bytes], request),
            content_length=_header_int(request, "Content-Length"),
            checksum=parse_checksum(request.headers.get("Upload-Checksum")),
        )
        video = services.upload_complete(upload=found) if found.offset == found.length else None
    except files.UploadRefused as refused:
        return _refusal(str(refused), refused.status)
    except media.NotAVideo as refused:
        return _refusal(str(refused), 422)
    response = HttpResponse(status=204)
    response["Upload-Offset"] = str(found.offset)
    if video is not None:
        response["Video-Location"] = reverse("videos:athlete_video", kwargs={"video_id": video.pk})
    return _tus(response)
