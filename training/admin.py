from django.contrib import admin

from training.models import SetLog


@admin.register(SetLog)
class SetLogAdmin(admin.ModelAdmin[SetLog]):
    list_display = [
        "athlete",
        "exercise",
        "kind",
        "set_number",
        "reps",
        "load_kg",
        "rpe",
        "logged_at",
    ]
    list_filter = ["kind"]
