"""What the bench scripts share: where the bench database lives and who logs in.

The bench runs the checkout it sits in: `ROOT` goes first on `sys.path` (and on the server's
`PYTHONPATH`), so a copy of the repository with a proposed change measures its own code.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
DEFAULT_DATABASE_URL = f"sqlite:///{OUT_DIR / 'bench.sqlite3'}"

AGENCY_CODE = "BENCH"
OFFICER_USERNAME = "bench.officer"
UNIT_HEAD_USERNAME = "bench.head"
PASSWORD = "bench-2026"


def configure_env() -> dict[str, str]:
    """Fill in the environment the bench and its server share; return it."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = DEFAULT_DATABASE_URL
    os.environ.setdefault("THIDUA_DATA_DIR", str(OUT_DIR))
    # The bench users' passwords are hashed with MD5; the server must know that hasher to log in.
    os.environ.setdefault("THIDUA_FAST_HASHER", "1")
    os.environ.setdefault("THIDUA_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    if str(ROOT) not in sys.path[:1]:
        sys.path.insert(0, str(ROOT))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    return dict(os.environ)


def setup_django() -> None:
    configure_env()
    import django

    django.setup()
