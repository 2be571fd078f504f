from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aldea.core"
    label = "core"
