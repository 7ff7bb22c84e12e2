from django.contrib import admin

from athletes.models import Athlete, EstimatedMax, GroupMembership, TrainingGroup, TrainingMax


@admin.register(Athlete)
class AthleteAdmin(admin.ModelAdmin[Athlete]):
    list_display = ["user", "club", "coach", "unit", "time_zone"]
    list_filter = ["club"]
    search_fields = ["user__email", "user__full_name"]
    # Body mass is health data: for the athlete and their coaches, not for site staff.
    exclude = ["body_mass_kg"]


@admin.register(TrainingMax)
class TrainingMaxAdmin(admin.ModelAdmin[TrainingMax]):
    list_display = ["athlete", "exercise", "value_kg", "updated_at"]


@admin.register(EstimatedMax)
class EstimatedMaxAdmin(admin.ModelAdmin[EstimatedMax]):
    list_display = ["athlete", "exercise", "estimated_kg", "measured_on", "source"]


class MembershipInline(admin.TabularInline[GroupMembership, TrainingGroup]):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["athlete"]


@admin.register(TrainingGroup)
class TrainingGroupAdmin(admin.ModelAdmin[TrainingGroup]):
    list_display = ["name", "club", "created_at"]
    list_filter = ["club"]
    search_fields = ["name"]
    inlines = [MembershipInline]
