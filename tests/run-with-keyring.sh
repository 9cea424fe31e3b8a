#!/usr/bin/env bash
# run-with-keyring.sh: runs a command against a real Secret Service
#
# Usage: run-with-keyring.sh COMMAND [ARG…]
#
# Starts a private D-Bus session bus (dbus-run-session) and in it a fresh
# gnome-keyring whose "login" keyring is created and unlocked with a fixed
# password, all under a temporary HOME / XDG_* so the user's own keyring is
# never touched. Works headless and as root (CI runs as root on a machine
# without a session bus): nothing here needs a display, because the keyring
# is unlocked from standard input and never has to prompt.
#
# The keyring's password is in KONTOR_TEST_KEYRING_PASSWORD, for tests that
# lock it and unlock it again.
#
# Without dbus-run-session or gnome-keyring-daemon the test is skipped
# (exit 77), except under CI=true, where that is a failure.
#
# Copyright 2026 The Kontor authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

if [ "${1:-}" = "--inside-session" ]; then
  shift
  # --unlock creates the "login" keyring (the default collection) with the
  # password read from standard input and unlocks it; the daemon forks and
  # lives until the bus goes away.
  export KONTOR_TEST_KEYRING_PASSWORD="kontor-test"
  if ! printf '%s' "$KONTOR_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets > /dev/null; then
    echo "run-with-keyring.sh: gnome-keyring-daemon did not start" >&2
    exit 1
  fi
  # the daemon claims org.freedesktop.secrets a moment after it returns
  for _ in $(seq 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
         org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2> /dev/null \
         | grep -q 'boolean true'; then
      # the test itself gets the G_DEBUG and MALLOC_PERTURB_ it was given
      [ -n "${KEYRING_SAVED_G_DEBUG+set}" ] && export G_DEBUG="$KEYRING_SAVED_G_DEBUG"
      [ -n "${KEYRING_SAVED_MALLOC_PERTURB_+set}" ] && export MALLOC_PERTURB_="$KEYRING_SAVED_MALLOC_PERTURB_"
      unset KEYRING_SAVED_G_DEBUG KEYRING_SAVED_MALLOC_PERTURB_
      exec "$@"
    fi
    sleep 0.05
  done
  echo "run-with-keyring.sh: the keyring did not appear on the session bus" >&2
  exit 1
fi

if [ $# -eq 0 ]; then
  echo "usage: run-with-keyring.sh COMMAND [ARG…]" >&2
  exit 2
fi

for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" > /dev/null; then
    echo "run-with-keyring.sh: $tool is missing (apt-get install dbus-daemon gnome-keyring)" >&2
    [ -n "${CI:-}" ] && exit 1
    exit 77
  fi
done

KEYRING_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kontor-keyring.XXXXXX") || exit 1
trap 'rm -rf "$KEYRING_TMP"' EXIT
mkdir -p "$KEYRING_TMP/home" "$KEYRING_TMP/data" "$KEYRING_TMP/config" "$KEYRING_TMP/cache" \
         "$KEYRING_TMP/runtime"
chmod 700 "$KEYRING_TMP/runtime"

# Set before the bus starts: services the bus activates inherit the bus's
# environment, not their caller's.
export HOME="$KEYRING_TMP/home"
export XDG_DATA_HOME="$KEYRING_TMP/data"
export XDG_CONFIG_HOME="$KEYRING_TMP/config"
export XDG_CACHE_HOME="$KEYRING_TMP/cache"
export XDG_RUNTIME_DIR="$KEYRING_TMP/runtime"
# gnome-keyring-daemon logs warnings in normal use (replacing an item is
# one): under the tests' G_DEBUG=fatal-warnings it would abort mid-call.
# The bus and everything it starts run without the tests' debug settings.
[ -n "${G_DEBUG+set}" ] && export KEYRING_SAVED_G_DEBUG="$G_DEBUG"
[ -n "${MALLOC_PERTURB_+set}" ] && export KEYRING_SAVED_MALLOC_PERTURB_="$MALLOC_PERTURB_"
unset G_DEBUG MALLOC_PERTURB_
# no prompter on a display, no other session's keyring or bus
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK \
      SECRET_BACKEND

dbus-run-session -- "$0" --inside-session "$@"
