from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "aldea.interop"
    label = "interop"
