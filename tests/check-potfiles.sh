#!/usr/bin/env bash
# Every source file with a translatable string is listed in po/POTFILES.in,
# and every listed file exists.
set -u
cd "$(dirname "$0")/.."
fails=0
while read -r f; do
  grep -qxF "$f" po/POTFILES.in || { echo "not in po/POTFILES.in: $f"; fails=1; }
done < <( { grep -rlE '(^|[^A-Za-z0-9_])N?_\("' src server-sync --include=*.c;
             grep -rl 'translatable="yes"' ui --include=*.ui; } 2>/dev/null | sort)
while read -r f; do
  [ -z "$f" ] || [ -f "$f" ] || { echo "listed but missing: $f"; fails=1; }
done < po/POTFILES.in
exit $fails
