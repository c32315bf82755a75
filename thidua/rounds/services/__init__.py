"""Writes of award rounds and nominations. Every state change goes through `transition`."""

from thidua.rounds.services.workflow import transition, transition_many

__all__ = ["transition", "transition_many"]
