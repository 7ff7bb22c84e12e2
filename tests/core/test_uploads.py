"""The import forms' file field: one size limit, checked before the file is read."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import ImportFileField, import_bytes


class _Form(forms.Form):
    file = ImportFileField(max_bytes=2_000_000, advice="split it")


def _errors(content: bytes | None) -> list[str]:
    files = {} if content is None else {"file": SimpleUploadedFile("runs.csv", content)}
    form = _Form(data={}, files=files)
    return [] if form.is_valid() else form.errors["file"]


def test_a_file_over_the_limit_is_refused_with_the_limit_and_the_advice():
    assert _errors(b"x" * 2_000_001) == ["The file is larger than 2 MB: split it."]


def test_a_file_at_the_limit_is_accepted():
    assert _errors(b"x" * 2_000_000) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "Choose a file to import."), (b"", "The file is empty.")],
)
def test_a_missing_or_empty_file_gets_a_plain_message(content, message):
    assert _errors(content) == [message]


def test_reading_stops_one_byte_past_the_limit_whatever_the_size_said():
    upload = SimpleUploadedFile("runs.csv", b"x" * 50)
    upload.size = 3  # a client may lie about the size
    assert import_bytes(upload, max_bytes=10) == b"x" * 11
