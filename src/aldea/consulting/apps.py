from django.apps import AppConfig


class ConsultingConfig(AppConfig):
    name = "aldea.consulting"
    label = "consulting"
