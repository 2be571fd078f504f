from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "aldea.showcase"
    label = "showcase"
