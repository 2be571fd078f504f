from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Aldea in production: serving, the task worker, health, logs, backups."""

    name = "aldea.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from django.core.signals import request_finished

        from aldea.ops.logs import clear_request_id

        request_finished.connect(clear_request_id, dispatch_uid="aldea.ops.clear_request_id")
