#!/usr/bin/env bash
# keep-display.sh: carries the X display across tests/run-with-keyring.sh,
# which drops it (the keyring must never prompt on a display) but then
# runs a UI test that needs it.
#
# Usage: keep-display.sh run-with-keyring.sh keep-display.sh --restore TEST [ARG…]
set -eu
if [ "${1:-}" = "--restore" ]; then
  shift
  export DISPLAY="${KONTOR_UI_DISPLAY:-}"
  exec "$@"
fi
export KONTOR_UI_DISPLAY="${DISPLAY:-}"
exec "$@"
