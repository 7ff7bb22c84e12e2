from typing import Any

from django import forms


class DatePicker(forms.DateInput):
    """The browser's date picker. It only understands ISO dates: the en-gb display
    format (26/11/2026) would leave it blank, so the value is always written ISO."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
