from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "thidua.decisions"
    label = "decisions"
