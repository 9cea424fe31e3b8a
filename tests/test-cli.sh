#!/usr/bin/env bash
# test-cli.sh: kontor-cli end to end on a real database file.
# Usage: test-cli.sh PATH/TO/kontor-cli
set -u
CLI="$1"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB="$TMP/kontor.db"
fails=0
n=0

ok () { n=$((n+1)); echo "ok $n - $1"; }
not_ok () { n=$((n+1)); fails=$((fails+1)); echo "not ok $n - $1"; }

# expect_eq NAME EXPECTED ACTUAL
expect_eq () {
  if [ "$2" == "$3" ]; then ok "$1"; else not_ok "$1: expected [$2], got [$3]"; fi
}
# expect_fail NAME EXPECTED_CODE MESSAGE_PART -- command...
expect_fail () {
  local name="$1" code="$2" part="$3"; shift 4
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -eq "$code" ] && grep -qF -- "$part" <<<"$out"; then ok "$name"
  else not_ok "$name: exit $rc, output [$out]"; fi
}

k () { "$CLI" --db "$DB" "$@"; }

expect_fail "no database yet" 1 "no database at" -- k list contact
k init --region DE --currency EUR -q
expect_eq "init creates the file" "yes" "$([ -f "$DB" ] && echo yes)"

ORG=$(k create organization "name=Bäckerei Groß GmbH" city=Stuttgart)
expect_eq "create prints a UUIDv7" "7" "${ORG:14:1}"

A=$(k create contact first_name=Anna last_name=Müller email=Anna@Example.DE "phone=0711 / 123 45-6" organization="$ORG")
B=$(k create contact first_name=Bernd last_name=Mueller region=Süd score=75)
C=$(k create contact first_name=Clara last_name=Meyer region=Süd score=50)
D=$(k create contact first_name=Dieter last_name=Öztürk region=Nord score=90)

expect_eq "phone normalised to E.164" "+49711123456" "$(k --json get "$A" | python3 -c 'import json,sys; print(json.load(sys.stdin)["values"]["phone"])')"
expect_eq "e-mail domain lower-cased" "Anna@example.de" "$(k --json get "$A" | python3 -c 'import json,sys; print(json.load(sys.stdin)["values"]["email"])')"

# search with and without umlauts
expect_eq "search muller" "$A" "$(k search muller --kind contact | cut -d' ' -f1)"
expect_eq "search mueller finds both spellings" "2" "$(k search mueller --kind contact | wc -l)"
expect_eq "search by organization name prefix" "$ORG" "$(k search gro --kind organization | cut -d' ' -f1)"

# custom field: add, set, filter and sort by it
k schema add-field contact shoe_size integer --label "Schuhgröße" -q
expect_eq "schema shows the custom field" "1" "$(k schema contact | grep -c 'shoe_size .*integer .*custom')"
k -q update "$B" shoe_size=44 >/dev/null
k -q update "$C" shoe_size=38 >/dev/null
k -q update "$D" shoe_size=46 >/dev/null
expect_eq "filter and sort by custom field" "Mueller,Öztürk" \
  "$(k list contact --where 'shoe_size>40' --sort shoe_size --fields last_name | cut -f1 | awk '{print $2}' | paste -sd,)"
expect_eq "multi-field filter" "Mueller" \
  "$(k list contact --where 'region=süd' --where 'score>60' --fields last_name | awk '{print $2}')"
expect_eq "in filter, descending sort" "Öztürk,Mueller" \
  "$(k list contact --where 'region in Süd,Nord' --where 'score>=75' --sort -score --fields last_name | awk '{print $2}' | paste -sd,)"
expect_eq "json list is an array of records" "3" \
  "$(k --json list contact --where 'shoe_size!?' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
expect_eq "count" "4" "$(k count contact)"

# bad input: the message names the field and the reason, the exit code is 1
expect_fail "invalid e-mail refused" 1 "email: " -- k create contact last_name=X email=x@@y
expect_fail "invalid phone refused" 1 "phone: " -- k create contact last_name=X "phone=call me maybe"
expect_fail "invalid date refused" 1 "birthday: " -- k create contact last_name=X birthday=31.02.2026
expect_fail "unknown field refused" 1 "hair: unknown field of a contact" -- k create contact last_name=X hair=red
expect_fail "missing required field" 1 "last_name: is required" -- k create contact first_name=X
expect_fail "wrong reference kind" 1 "organization: refers to a contact, expected organization" -- k create contact last_name=X organization="$A"
expect_fail "not a number for integer field" 1 "shoe_size: " -- k update "$B" shoe_size=1.2.3
expect_fail "unknown kind" 1 "Unknown kind" -- k list spaceship
expect_fail "unknown sort field" 1 "nope: unknown field of a contact" -- k list contact --sort nope
expect_fail "bad filter syntax" 2 "Cannot read the filter" -- k list contact --where 'score'
expect_fail "unknown command" 2 "unknown command" -- k frobnicate
expect_fail "not FIELD=VALUE" 2 "is not FIELD=VALUE" -- k create contact lastname
expect_fail "unknown id" 1 "No record with id" -- k get 0190a0b0-0000-7000-8000-00000000ffff
expect_fail "custom field name clash" 1 "already has a field" -- k schema add-field contact email text
expect_fail "custom field bad type" 1 "is not" -- k schema add-field contact weight float
expect_eq "failed creates wrote nothing" "4" "$(k count contact)"

# delete is a tombstone that can be restored
k -q delete "$C"
expect_eq "deleted record leaves the list" "3" "$(k count contact)"
k -q restore "$C" >/dev/null
expect_eq "restore brings it back" "4" "$(k count contact)"

# the outbox holds every local edit with its dot
expect_eq "outbox counts edits" "11" "$(k --json outbox | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# links: what refers to the organization
expect_eq "links" "$A" "$(k links "$ORG" | cut -d' ' -f1)"

# a file that is not a database is refused and left alone
echo "not a database, just text that is long enough to have a header of one hundred bytes......................" > "$TMP/bad.db"
SUM=$(md5sum < "$TMP/bad.db")
expect_fail "garbage file refused" 1 "not a Kontor database" -- "$CLI" --db "$TMP/bad.db" list contact
expect_eq "garbage file untouched" "$SUM" "$(md5sum < "$TMP/bad.db")"

# ---------------------------------------------------------------------------
# import, export, duplicates and merge (src/cli/kontor-cli-io.c)
IODB="$TMP/io.db"
kio () { "$CLI" --db "$IODB" "$@"; }
kio init --region DE --currency EUR -q

cat > "$TMP/people.csv" <<'EOF'
First Name,Last Name,E-mail Address,Business Phone,Company,Business City
Anna,Müller,anna.mueller@example.de,0711 123456,Bäckerei Groß GmbH,Stuttgart
Anna,Mueller,anna.mueller@example.de,0711 123456,Bäckerei Groß GmbH,Stuttgart
Jörg,Schäfer,joerg@example.de,089 987654,Schäfer & Söhne KG,München
Zoë,Weiß,not-an-email,,,Köln
EOF

OUT=$(kio import "$TMP/people.csv" --dry-run 2>&1); rc=$?
expect_eq "import --dry-run exits 0" "0" "$rc"
expect_eq "dry run counts imported, skipped, failed" "1" \
  "$(grep -c '3 would be imported, 0 skipped, 1 failed' <<<"$OUT")"
expect_eq "dry run names line, field and reason of the bad row" "1" \
  "$(grep -c 'line 5: email: .*not-an-email.*\[not imported\]' <<<"$OUT")"
expect_eq "dry run writes nothing" "0:0" "$(kio count contact):$(kio count organization)"

OUT=$(kio import "$TMP/people.csv" --progress 2>"$TMP/progress.txt"); rc=$?
expect_eq "import exits 0" "0" "$rc"
expect_eq "import summary" "1" "$(grep -c '3 imported, 0 skipped, 1 failed; 2 organizations created' <<<"$OUT")"
expect_eq "import wrote the records" "3:2" "$(kio count contact):$(kio count organization)"
expect_eq "--progress reports rows on stderr" "1" "$(grep -c 'rows' "$TMP/progress.txt")"

printf 'First Name,Last Name,E-mail Address\nX,,bad\n' > "$TMP/nothing.csv"
expect_fail "a file that yields no record fails" 1 "No record could be imported" -- kio import "$TMP/nothing.csv"
expect_fail "import without a file" 2 "usage: import" -- kio import
expect_fail "a missing file fails" 1 "no such file" -- kio import "$TMP/missing.csv"
expect_fail "bad --date-order" 2 "--date-order is" -- kio import "$TMP/people.csv" --date-order yyyy
expect_fail "an option of another command" 2 "Unknown option --dry-run" -- kio export contact --dry-run
expect_fail "an io option for a core command" 2 "Unknown option --dry-run" -- kio list contact --dry-run
expect_fail "an unknown option for a core command" 2 "Unknown option --frobnicate" -- kio count contact --frobnicate
expect_eq "global options still work after a core command" "3" "$(kio count contact --where 'email~example')"

# export, then the same records from the files in other databases
kio export contact --output "$TMP/out.csv" -q
kio export contact --format vcard --output "$TMP/out.vcf" -q
expect_eq "CSV export has a header and three rows" "4" "$(wc -l < "$TMP/out.csv")"
expect_eq "vCard export has three cards" "3" "$(grep -c '^BEGIN:VCARD' "$TMP/out.vcf")"
expect_eq "export to stdout" "$(cat "$TMP/out.csv")" "$(kio export contact)"
"$CLI" --db "$TMP/from-csv.db" init -q
"$CLI" --db "$TMP/from-csv.db" import "$TMP/out.csv" -q
"$CLI" --db "$TMP/from-csv.db" export contact --output "$TMP/again.csv" -q
expect_eq "CSV re-import gives equal records" "$(cat "$TMP/out.csv")" "$(cat "$TMP/again.csv")"
"$CLI" --db "$TMP/from-vcf.db" init -q
"$CLI" --db "$TMP/from-vcf.db" import "$TMP/out.vcf" -q
"$CLI" --db "$TMP/from-vcf.db" export contact --output "$TMP/again-vcf.csv" -q
expect_eq "vCard re-import gives equal records" "$(cat "$TMP/out.csv")" "$(cat "$TMP/again-vcf.csv")"
expect_eq "vCard re-import keeps the ids" "$(kio list contact | sort)" \
  "$("$CLI" --db "$TMP/from-vcf.db" list contact | sort)"
expect_fail "iCalendar export is for activities" 2 "iCalendar is for activities" -- kio export contact --format ics

# the planted pair
M1=$(kio list contact --where 'last_name=Müller' | cut -d' ' -f1)
M2=$(kio list contact --where 'last_name=Mueller' | cut -d' ' -f1)
DUP=$(kio duplicates contact --threshold 0.85 2>/dev/null)
expect_eq "duplicates lists the Müller/Mueller pair" "yes" \
  "$(grep -q "$M1" <<<"$DUP" && grep -q "$M2" <<<"$DUP" && echo yes)"
expect_eq "duplicates gives the reasons" "1" "$(grep -c 'same e-mail anna.mueller@example.de' <<<"$DUP")"
expect_eq "duplicates --json" "1" \
  "$(kio duplicates contact --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
expect_fail "duplicates of an unknown kind" 1 "" -- kio duplicates spaceship
expect_fail "duplicates threshold out of range" 2 "--threshold" -- kio duplicates contact --threshold 3

H=$(kio -q merge "$M1" "$M2" --keep last_name=other)
expect_eq "merge leaves one record" "2" "$(kio count contact)"
expect_eq "merge keeps the chosen value" "Mueller" \
  "$(kio --json get "$M1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["values"]["last_name"])')"
expect_eq "no duplicates after the merge" "" "$(kio duplicates contact 2>/dev/null)"
kio merge --undo "$H" -q
expect_eq "merge --undo brings both back" "3" "$(kio count contact)"
expect_eq "merge --undo restores the value" "Müller" \
  "$(kio --json get "$M1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["values"]["last_name"])')"
expect_fail "undo twice" 1 "undone already" -- kio merge --undo "$H"
expect_fail "merge needs two records" 2 "usage: merge" -- kio merge "$M1"
expect_fail "merge --keep needs other or survivor" 2 "is not FIELD=other" -- kio merge "$M1" "$M2" --keep last_name=mine

# the related-table import of the sales dataset, as a dry run
PROFILE="${G_TEST_SRCDIR:-$(dirname "$0")}/../data/import-profiles/crm-sales-opportunities.json"
SALES="${KONTOR_SHARED:-}/datasets/crm-sales-opportunities"
if [ -n "${KONTOR_SHARED:-}" ] && [ -d "$SALES" ]; then
  OUT=$(kio import --profile "$PROFILE" --base "$SALES" --dry-run); rc=$?
  expect_eq "profile dry run exits 0" "0" "$rc"
  expect_eq "profile dry run counts the deals" "1" \
    "$(grep -c 'deals .*8800 rows: 8800 would be imported' <<<"$OUT")"
  expect_eq "profile dry run writes nothing" "0" "$(kio count deal)"
  expect_fail "profile files not found without --base" 1 "--base" -- kio import --profile "$PROFILE"
  expect_fail "a profile names its files" 2 "the profile names the files" -- \
    kio import --profile "$PROFILE" "$TMP/people.csv"
else
  echo "# skipped the profile checks: no KONTOR_SHARED/datasets/crm-sales-opportunities"
fi

echo "1..$n"
[ "$fails" -eq 0 ]
