import os

os.environ.setdefault("THIDUA_FAST_HASHER", "1")
