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
    initial["load_percent"] = f"{prescription.load_percent.normalize():f}"
    rpe = prescription.target_rpe
    # The choices read "8" and "7.5": a stored 8.0 must select "8".
    initial["target_rpe"] = None if rpe is None else f"{Decimal(rpe).normalize():f}"
    return PrescriptionForm(initial=initial, prefix=prefix, exercises=exercises)
