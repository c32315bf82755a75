"""Writes of award rounds and nominations. Every state change goes through `transition`."""

from thidua.rounds.services.workflow import transition

__all__ = ["transition"]
