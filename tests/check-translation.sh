#!/usr/bin/env bash
# The German catalogue po/de.po is complete: it compiles with
# `msgfmt --check`, has no untranslated or fuzzy message, and holds every
# message of the sources listed in po/POTFILES.in (a fresh template is
# extracted with the same xgettext options as meson's i18n 'glib' preset,
# so a string added to a .c or .ui file without a translation fails here).
#
#   tests/check-translation.sh              run the check (exit 77: skipped)
#   tests/check-translation.sh --pot FILE   only write the fresh template
#
# tools/update-po merges new strings into po/de.po and lists what is left.
set -u
cd "$(dirname "$0")/.."

LANG_CODE=de
PO=po/$LANG_CODE.po

for tool in xgettext msgfmt msgmerge msgattrib; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool (gettext) is not installed"; exit 77; }
done

# Keep in sync with the 'glib' preset in mesonbuild/modules/i18n.py (and
# mesonbuild/scripts/gettext.py, which adds -k_ and -D SOURCE_ROOT).
make_pot() {
  xgettext --package-name=kontor -f po/POTFILES.in -D . -k_ -o "$1" \
    --from-code=UTF-8 --add-comments \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format \
    --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
    --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format \
    --flag=g_set_error:4:c-format --flag=g_markup_printf_escaped:1:c-format \
    --flag=g_log:3:c-format --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
    --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format \
    --flag=g_snprintf:3:c-format 2>"$tmp/xgettext.log"
  local rc=$?
  # xgettext warns about strings it cannot treat as C formats; show those,
  # but not the noise of a successful run
  grep -v '^$' "$tmp/xgettext.log" >&2
  return $rc
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "${1:-}" = "--pot" ]; then
  [ -n "${2:-}" ] || { echo "usage: $0 --pot FILE" >&2; exit 2; }
  make_pot "$tmp/kontor.pot" || exit 1
  cp "$tmp/kontor.pot" "$2"
  exit 0
fi

fails=0

[ -f "$PO" ] || { echo "FAIL: $PO does not exist"; exit 1; }
grep -qxF "$LANG_CODE" po/LINGUAS || { echo "FAIL: $LANG_CODE is not in po/LINGUAS"; fails=1; }

# 1. The catalogue itself: syntax, formats (%s, %u, %1$s … must match), header.
if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$PO" 2>&1); then
  echo "FAIL: msgfmt --check $PO:"
  echo "$stats"
  fails=1
else
  echo "$PO: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*) echo "FAIL: $PO has untranslated or fuzzy messages"; fails=1 ;;
  esac
fi

# 2. Against the sources as they are now.
if ! make_pot "$tmp/kontor.pot"; then
  echo "FAIL: xgettext could not extract the messages"
  exit 1
fi
# no fuzzy matching: a message the sources have and de.po lacks stays empty
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$PO" "$tmp/kontor.pot" || exit 1
LC_ALL=C msgfmt --check -o /dev/null "$tmp/merged.po" || fails=1

msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po" -o "$tmp/untranslated.po"
msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/merged.po" -o "$tmp/fuzzy.po"
for kind in untranslated fuzzy; do
  f="$tmp/$kind.po"
  [ -s "$f" ] || continue
  n=$(grep -c '^msgid ' "$f")
  n=$((n - 1))   # the header
  [ "$n" -gt 0 ] || continue
  if [ "$kind" = untranslated ]; then
    echo "FAIL: $n message(s) of the sources are missing or untranslated in $PO:"
  else
    echo "FAIL: $n message(s) are fuzzy in $PO:"
  fi
  # the source reference and the msgid of each, header left out
  awk 'BEGIN { RS = ""; FS = "\n" } NR > 1 {
         ref = ""; id = ""; in_id = 0
         for (i = 1; i <= NF; i++) {
           if ($i ~ /^#: /) ref = ref " " substr($i, 4)
           else if ($i ~ /^msgctxt / || $i ~ /^msgid /) { id = id " " $i; in_id = 1 }
           else if ($i ~ /^"/ && in_id) id = id $i
           else in_id = 0
         }
         printf "  %s\n     %s\n", ref, id
       }' "$f"
  fails=1
done

# obsolete strings are harmless, only reported
n_obsolete=$(msgattrib --only-obsolete "$tmp/merged.po" 2>/dev/null | grep -c '^#~ msgid ' || true)
[ "$n_obsolete" -eq 0 ] || echo "note: $n_obsolete message(s) of $PO are no longer in the sources (run tools/update-po)"

if [ "$fails" -ne 0 ]; then
  echo "To fix: tools/update-po, translate what it lists in $PO, run it again."
  exit 1
fi
echo "OK: $PO translates every message of the sources"
