import base64

from django.urls import reverse

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def metadata(**values: object) -> str:
    return ",".join(
        f"{key} {base64.b64encode(str(value).encode()).decode()}" for key, value in values.items()
    )


def create(client, prescription, length: int, *, set_number: int | str = 1, filename="set.mp4"):
    return client.post(
        reverse("videos:tus_create"),
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=metadata(
            filename=filename,
            filetype="video/mp4",
            session=prescription.session_id,
            prescription=prescription.pk,
            set_number=set_number,
        ),
        **TUS,
    )


def patch(client, location: str, offset: int, body: bytes, **extra):
    return client.generic(
        "PATCH",
        location,
        body,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        **{**TUS, **extra},
    )


def upload_whole(client, prescription, data: bytes, *, chunk: int | None = None, **options):
    created = create(client, prescription, len(data), **options)
    assert created.status_code == 201, created.content
    location = created["Location"]
    step = chunk or len(data)
    response = None
    for offset in range(0, len(data), step):
        response = patch(client, location, offset, data[offset : offset + step])
    return created, response
