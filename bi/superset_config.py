"""Superset's configuration for the local dashboard on the publication (`make bi`).

Loaded by Superset through env SUPERSET_CONFIG_PATH (the Makefile sets it). Everything
Superset writes lives in FAELLESBORGER_BI_DIR (default build/bi/, ignored by git): its
metadata database (SQLite) and the secret key, generated on first use with mode 0600 and
never committed. Superset listens on 127.0.0.1 only (`make bi-serve`). docs/bi.md.
"""

import os
import secrets
from pathlib import Path

BI_DIR = Path(os.environ.get("FAELLESBORGER_BI_DIR", "build/bi")).resolve()
BI_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)


def _secret_key() -> str:
    """The key that signs sessions: made once per BI_DIR, readable by its owner only."""
    path = BI_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{BI_DIR / 'superset.db'}"
DATA_DIR = str(BI_DIR)
UPLOAD_FOLDER = str(BI_DIR / "uploads") + "/"

# No examples, no telemetry, no file uploads into any database.
SQLALCHEMY_EXAMPLES_URI = SQLALCHEMY_DATABASE_URI
CSV_EXTENSIONS: set[str] = set()
EXCEL_EXTENSIONS: set[str] = set()
COLUMNAR_EXTENSIONS: set[str] = set()
ALLOWED_EXTENSIONS: set[str] = set()
# Databases may only be added by the provisioning (bi/dashboard/); SQLite files are refused.
PREVENT_UNSAFE_DB_CONNECTIONS = True
# A local single-user instance: no Redis-backed cache or async queries.
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
# Not a production deployment (plain HTTP on 127.0.0.1): no forced HTTPS, no CSP warning.
TALISMAN_ENABLED = False
CONTENT_SECURITY_POLICY_WARNING = False
