from django.contrib import admin

from coaching.comms.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["recipient", "kind", "text", "created_at", "read_at", "email"]
    list_filter = ["kind", "email"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "athlete"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ["user", "email", "morning_reminder"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
