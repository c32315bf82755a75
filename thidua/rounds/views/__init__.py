"""Pages of award rounds (`rounds.py`) and of one nomination's dossier (`dossier.py`).

Each view: scope (404 outside it) → permission (403) → form → one service → render or redirect.
"""
