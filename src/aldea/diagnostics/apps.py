from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "aldea.diagnostics"
    label = "diagnostics"
