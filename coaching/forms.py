from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import QuerySet
from django.template import loader

from athletes.models import Athlete
from athletes.services import has_visible_characters
from athletes.units import to_kg
from coaching.invitations import Profile
from coaching.models import Coach, User
from core.mail import send_email
from core.queue import enqueue_after_commit
from plans.models import Exercise


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose email goes out through Celery, not inside the request."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Django fills protocol and domain from the request's Host header; the link goes
        # to the site's own address instead, whatever Host the request claimed.
        site = urlsplit(settings.SITE_URL)
        context = {**context, "protocol": site.scheme, "domain": site.netloc}
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        enqueue_after_commit(send_email, subject=subject, body=body, to=[to_email])


class InvitationForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Name")
    email = forms.EmailField(max_length=254, label="Email")
    coach = forms.ModelChoiceField(queryset=Coach.objects.none(), empty_label=None)

    def __init__(self, *args: Any, coaches: QuerySet[Coach], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["coach"])
        field.queryset = coaches
        field.label_from_instance = _coach_label  # type: ignore[method-assign,assignment]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not has_visible_characters(name):
            raise forms.ValidationError("Give the athlete's name.")
        return name


def _coach_label(coach: Coach) -> str:
    return f"{coach.user.full_name or coach.user.email} ({coach.get_role_display().lower()})"


def _kg(code: str) -> Decimal:
    """ "2.5kg" or "45lb" → kg, as stored."""
    return to_kg(Decimal(code[:-2]), code[-2:])


BAR_CHOICES = [
    ("20kg", "20 kg (Olympic bar)"),
    ("15kg", "15 kg"),
    ("10kg", "10 kg (technique bar)"),
    ("45lb", "45 lb"),
    ("35lb", "35 lb"),
]
PLATE_CHOICES = [
    ("2.5kg", "2.5 kg (a pair of 1.25 kg plates)"),
    ("1kg", "1 kg (0.5 kg microplates)"),
    ("0.5kg", "0.5 kg (0.25 kg microplates)"),
    ("5lb", "5 lb (a pair of 2.5 lb plates)"),
    ("2.5lb", "2.5 lb (1.25 lb plates)"),
]
DUMBBELL_CHOICES = [
    ("2kg", "Every 2 kg"),
    ("2.5kg", "Every 2.5 kg"),
    ("1kg", "Every 1 kg"),
    ("5lb", "Every 5 lb"),
]


class InvitationAcceptForm(forms.Form):
    """The athlete's first visit: a password and the gym profile loads are rounded to."""

    full_name = forms.CharField(max_length=150, label="Your name")
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    unit = forms.ChoiceField(
        choices=Athlete.Unit.choices, initial=Athlete.Unit.KG, label="Show loads in"
    )
    bar = forms.ChoiceField(choices=BAR_CHOICES, initial="20kg", label="Your gym's barbell")
    plate_step = forms.ChoiceField(
        choices=PLATE_CHOICES, initial="2.5kg", label="Smallest change to the bar"
    )
    dumbbell_step = forms.ChoiceField(
        choices=DUMBBELL_CHOICES, initial="2kg", label="Your gym's dumbbells go up"
    )
    time_zone = forms.ChoiceField(choices=(), label="Your time zone")
    body_mass = forms.DecimalField(
        required=False,
        min_value=Decimal(1),
        max_digits=6,
        decimal_places=2,
        label="Body mass (optional)",
    )

    def __init__(self, *args: Any, email: str, lifts: list[Exercise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.lifts = lifts
        zones = cast(forms.ChoiceField, self.fields["time_zone"])
        zones.choices = [(zone, zone.replace("_", " ")) for zone in sorted(available_timezones())]
        for lift in lifts:
            self.fields[f"baseline_{lift.slug}"] = forms.DecimalField(
                required=False,
                min_value=Decimal(1),
                max_digits=6,
                decimal_places=2,
                label=f"{lift.name}: best single, if you know it (optional)",
            )
        for name in ("body_mass", *(f"baseline_{lift.slug}" for lift in lifts)):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})

    @property
    def baseline_fields(self) -> list[forms.BoundField]:
        return [self[f"baseline_{lift.slug}"] for lift in self.lifts]

    @property
    def profile_fields(self) -> list[forms.BoundField]:
        names = ("unit", "bar", "plate_step", "dumbbell_step", "body_mass", "time_zone")
        return [self[name] for name in names]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not has_visible_characters(name):
            raise forms.ValidationError("Tell your coach your name.")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are different.")
        elif first:
            user = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        unit = data.get("unit", Athlete.Unit.KG)
        body_mass = data.get("body_mass")
        if body_mass is not None:
            kg = to_kg(body_mass, unit)
            if not Decimal(25) <= kg <= Decimal(250):
                limits = "25–250 kg" if unit == "kg" else "55–550 lb"
                self.add_error("body_mass", f"Body mass must be between {limits}.")
            data["body_mass_kg"] = kg
        baselines = {}
        for lift in self.lifts:
            value = data.get(f"baseline_{lift.slug}")
            if value is None:
                continue
            kg = to_kg(value, unit)
            if kg > Decimal(500):
                limit = "500 kg" if unit == "kg" else "1100 lb"
                self.add_error(f"baseline_{lift.slug}", f"That is more than {limit}; check it.")
            baselines[lift.slug] = kg
        data["baselines_kg"] = baselines
        return data

    def profile(self) -> Profile:
        data = self.cleaned_data
        return Profile(
            full_name=data["full_name"],
            password=data["password1"],
            unit=data["unit"],
            bar_kg=_kg(data["bar"]),
            plate_step_kg=_kg(data["plate_step"]),
            dumbbell_step_kg=_kg(data["dumbbell_step"]),
            body_mass_kg=data.get("body_mass_kg"),
            time_zone=data["time_zone"],
            baselines_kg=data["baselines_kg"],
        )


class ReassignForm(forms.Form):
    coach = forms.ModelChoiceField(
        queryset=Coach.objects.none(), empty_label=None, label="Coached by"
    )

    def __init__(self, *args: Any, coaches: QuerySet[Coach], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["coach"])
        field.queryset = coaches
        field.label_from_instance = _coach_label  # type: ignore[method-assign,assignment]
