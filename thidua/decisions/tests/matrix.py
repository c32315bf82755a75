"""This app's rows of the permission matrix (run by accounts/tests/test_permissions.py)."""

ROWS: list = []
