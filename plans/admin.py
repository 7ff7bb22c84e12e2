from django.contrib import admin

from plans.models import Exercise, PlannedSession, Prescription


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin[Exercise]):
    list_display = ["name", "family", "equipment", "per_side", "club", "archived"]
    list_filter = ["family", "equipment", "archived"]


class PrescriptionInline(admin.TabularInline[Prescription, PlannedSession]):
    model = Prescription
    extra = 0


@admin.register(PlannedSession)
class PlannedSessionAdmin(admin.ModelAdmin[PlannedSession]):
    list_display = ["athlete", "date", "title"]
    inlines = [PrescriptionInline]
