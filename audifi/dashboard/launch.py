"""`audifi dashboard`: Streamlit on 127.0.0.1, headless, no request to any outside host."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from rich.console import Console

APP = Path(__file__).with_name("app.py")

# Streamlit's own settings, as flags so no user config can turn them back on: loopback only,
# no browser opened, no usage statistics, no file watcher or "run on save".
STREAMLIT_FLAGS = {
    "server.address": "127.0.0.1",
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "browser.serverAddress": "127.0.0.1",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "global.developmentMode": "false",
    "client.toolbarMode": "viewer",
}


def command(port: int) -> list[str]:
    flags = {**STREAMLIT_FLAGS, "server.port": str(port), "browser.serverPort": str(port)}
    streamlit = Path(sys.executable).with_name("streamlit")
    return [str(streamlit), "run", str(APP), *(f"--{k}={v}" for k, v in flags.items())]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def main(port: int, role: str, err: Console) -> int:
    if role not in ("analyst", "finance"):
        err.print(f"error: --role must be analyst or finance, got {role[:40]!r}", highlight=False)
        return 1
    if not 1024 <= port <= 65535:
        err.print(f"error: --port must be between 1024 and 65535, got {port}", highlight=False)
        return 1
    if not port_is_free(port):
        err.print(
            f"error: port {port} on 127.0.0.1 is in use: choose another with --port",
            highlight=False,
        )
        return 1
    err.print(f"dashboard: http://127.0.0.1:{port}  (Ctrl-C stops it)", highlight=False)
    try:
        return subprocess.call(command(port), env={**os.environ, "AUDIFI_DASHBOARD_ROLE": role})
    except KeyboardInterrupt:
        return 0
