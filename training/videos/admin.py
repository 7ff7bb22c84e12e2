from django.contrib import admin

from training.videos.models import ClubVideoSettings, FormVideo, VideoComment


@admin.register(FormVideo)
class FormVideoAdmin(admin.ModelAdmin[FormVideo]):
    list_display = ("athlete", "exercise", "set_number", "status", "uploaded_at", "reviewed_at")
    list_filter = ("status",)
    raw_id_fields = ("athlete", "session", "prescription", "set_log", "reviewed_by")


@admin.register(VideoComment)
class VideoCommentAdmin(admin.ModelAdmin[VideoComment]):
    list_display = ("video", "at_seconds", "author", "created_at")
    raw_id_fields = ("video", "author")


@admin.register(ClubVideoSettings)
class ClubVideoSettingsAdmin(admin.ModelAdmin[ClubVideoSettings]):
    list_display = ("club", "keep_originals")
