from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TerritoriesConfig(AppConfig):
    name = "aldea.territories"
    label = "territories"

    def ready(self):
        from aldea.territories.signals import load_reference_territories

        # Sent once per app after each migrate; sender=self keeps it to this app's turn.
        post_migrate.connect(load_reference_territories, sender=self,
                             dispatch_uid="aldea.territories.load_reference_territories")
