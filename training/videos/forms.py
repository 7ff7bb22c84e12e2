import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

from training.videos.models import validate_drawing


class VideoUploadForm(forms.Form):
    """The no-JavaScript upload: Django streams the file to disk before the view sees it."""

    video = forms.FileField(
        label="Video of the set",
        widget=forms.ClearableFileInput(attrs={"accept": "video/*", "capture": "environment"}),
        error_messages={"required": "Choose a video to upload."},
    )
    set_number = forms.IntegerField(required=False, min_value=1, max_value=20)


class CommentForm(forms.Form):
    at_seconds = forms.DecimalField(
        label="At (seconds)", min_value=Decimal(0), max_value=Decimal(3600), decimal_places=3
    )
    text = forms.CharField(
        label="Comment",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the comment."},
    )
    drawing = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def clean_drawing(self) -> list[list[float]] | None:
        raw = self.cleaned_data["drawing"].strip()
        if not raw:
            return None
        try:
            points = json.loads(raw)
        except ValueError:
            raise ValidationError("The drawing could not be read; draw it again.") from None
        validate_drawing(points)
        return points or None


class ClubVideoSettingsForm(forms.Form):
    keep_originals = forms.BooleanField(
        label="Keep the original files after the web copy is made", required=False
    )


class DemoUploadForm(forms.Form):
    video = forms.FileField(
        label="Demonstration clip",
        widget=forms.ClearableFileInput(attrs={"accept": "video/*"}),
        error_messages={"required": "Choose a video to upload."},
    )
    refused_for_size = False

    @classmethod
    def too_large(cls, message: str) -> "DemoUploadForm":
        """The form showing why a file was turned down before it could be read."""
        form = cls(data={}, files=MultiValueDict())
        form.full_clean()
        form.errors["video"] = form.error_class([message])
        form.refused_for_size = True
        return form
