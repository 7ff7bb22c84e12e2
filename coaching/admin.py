from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from coaching.models import Club, Coach, Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "role")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "password1", "password2"),
            },
        ),
    )


@admin.register(Club)
class ClubAdmin(admin.ModelAdmin[Club]):
    list_display = ["name", "slug", "time_zone"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Coach)
class CoachAdmin(admin.ModelAdmin[Coach]):
    list_display = ["user", "club", "role"]
    list_filter = ["club", "role"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "full_name", "club", "coach", "sent_at", "expires_at", "accepted_at"]
    list_filter = ["club"]
    search_fields = ["email", "full_name"]
    # The nonce is the link's secret half: never shown, never edited by hand.
    exclude = ["nonce"]
    readonly_fields = ["sent_at", "expires_at", "accepted_at", "revoked_at", "athlete_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Invitations are made from the roster, which signs and mails the link.
        return False
