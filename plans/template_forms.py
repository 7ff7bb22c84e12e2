"""Forms of a club's templates: rename, edit a session, edit an exercise."""

from decimal import Decimal
from typing import Any

from django import forms

from plans.forms import WEEKDAYS, PrescriptionForm
from plans.models import TemplatePrescription, TemplateSession


class TemplateEditForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(max_length=300, required=False)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not any(character.isalnum() for character in name):
            raise forms.ValidationError("Give the template a name with letters or numbers.")
        return name


class TemplateSessionForm(forms.ModelForm[TemplateSession]):
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="Day")

    class Meta:
        model = TemplateSession
        fields = ["title", "weekday", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


def template_prescription_form(
    prescription: TemplatePrescription, *, exercises: Any, data: Any = None
) -> PrescriptionForm:
    """The session editor's exercise form, for a template's exercise: the same fields,
    limits and messages. Template loads are kept in kg, like every stored load."""
    prefix = f"p-{prescription.pk}"
    if data is not None:
        return PrescriptionForm(data, prefix=prefix, exercises=exercises)
    fixed = prescription.fixed_load_kg
    initial: dict[str, object] = {
        name: getattr(prescription, name)
        for name in TemplatePrescription.COPIED_FIELDS
        if name not in ("position", "exercise_id")
    }
    initial["exercise"] = prescription.exercise_id
    initial["fixed_load_kg"] = None if fixed is None else f"{fixed.normalize():f}"
    if initial["target_rpe"] is not None:
        initial["target_rpe"] = f"{Decimal(str(initial['target_rpe'])):g}"
    return PrescriptionForm(initial=initial, prefix=prefix, exercises=exercises)
