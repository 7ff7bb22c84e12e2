from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "training.videos"
    label = "videos"
    verbose_name = "Form videos"
