from django.contrib import admin

from comms.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """Who was told what kind of thing, when, and whether the email went: never the words.

    A notification's text quotes pain reports and messages, which site staff don't read
    (SECURITY.md); the people it was for read it in the app.
    """

    list_display = ["recipient", "kind", "created_at", "read_at", "email"]
    list_filter = ["kind", "email"]
    list_select_related = ["recipient"]
    fields = readonly_fields = ("recipient", "kind", "created_at", "read_at", "email")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ["user", "email", "morning_reminder"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
