from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "aldea.training"
    label = "training"
