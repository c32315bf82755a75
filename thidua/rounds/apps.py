from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "thidua.rounds"
    label = "rounds"
