from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "aldea.outcomes"
    label = "outcomes"
