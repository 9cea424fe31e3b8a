#!/usr/bin/env bash
# Runs one UI test under a private X server (Xvfb) with a private session
# bus, so real GTK widgets are realized, drawn and driven headless.
set -euo pipefail
export GDK_BACKEND=x11
export GSK_RENDERER=cairo
export GTK_A11Y=none
export NO_AT_BRIDGE=1
export ADW_DISABLE_PORTAL=1
exec xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' dbus-run-session -- "$@"
