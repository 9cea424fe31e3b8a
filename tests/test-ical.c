/* test-ical.c: iCalendar import and export of activities
 *
 * Every file of ../shared/corpus/ics is imported into a fresh store with a
 * fixed reference date and checked value by value (expected UTC times were
 * worked out from the files' VTIMEZONEs and the tz database); then
 * re-import, round trip and hostile inputs.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kontor-ical.h"
#include "kontor-store.h"

typedef struct
{
  char        *dir;
  KontorStore *store;
} Fixture;

static KontorStore *
open_store (const char *dir,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  KontorStore *store = kontor_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kontor-ical-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = open_store (f->dir, "replica.db");
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_dir (f->dir);
  g_free (f->dir);
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

static char *
corpus_dir (void)
{
  const char *shared = g_getenv ("KONTOR_SHARED");
  g_autofree char *dir = NULL;

  if (shared == NULL)
    return NULL;
  dir = g_build_filename (shared, "corpus", "ics", NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_steal_pointer (&dir);
}

static GFile *
corpus_file (const char *name)
{
  g_autofree char *dir = corpus_dir ();
  g_autofree char *path = NULL;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return g_file_new_for_path (path);
}

static GDateTime *
utc (const char *iso)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return dt;
}

/* Imports a corpus file; FALSE (and the test skipped) without corpus. */
static gboolean
import_corpus (KontorStore       *store,
               const char        *name,
               const char        *reference,
               KontorIcalSummary *summary)
{
  g_autoptr(GFile) file = corpus_file (name);
  g_autoptr(GDateTime) ref = utc (reference);
  g_autoptr(GError) error = NULL;
  KontorIcalOptions opts = { NULL, ref, NULL, NULL };

  if (file == NULL)
    {
      g_test_skip ("KONTOR_SHARED/corpus/ics not found");
      return FALSE;
    }
  g_assert_true (kontor_ical_import (store, file, &opts, summary, &error));
  g_assert_no_error (error);
  return TRUE;
}

static KontorIcalResult *
read_text (const char *text,
           const char *reference,
           const char *default_zone)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GDateTime) ref = utc (reference);
  g_autoptr(GError) error = NULL;
  KontorIcalOptions opts = { default_zone, ref, NULL, NULL };
  KontorIcalResult *result = kontor_ical_read_bytes (bytes, &opts, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static gint
compare_records (gconstpointer a,
                 gconstpointer b)
{
  KontorRecord *ra = *(KontorRecord * const *) a;
  KontorRecord *rb = *(KontorRecord * const *) b;
  int c = g_strcmp0 (kontor_record_get_string (ra, "start"),
                     kontor_record_get_string (rb, "start"));

  if (c == 0)
    c = g_strcmp0 (kontor_record_get_string (ra, "ical_uid"),
                   kontor_record_get_string (rb, "ical_uid"));
  return c;
}

/* All activities, by start then ical_uid. */
static GPtrArray *
activities (KontorStore *store)
{
  g_autoptr(KontorQuery) query = kontor_query_new ("activity");
  g_autoptr(GError) error = NULL;
  GPtrArray *records = kontor_store_query (store, query, 0, 0, &error);

  g_assert_no_error (error);
  g_ptr_array_sort (records, compare_records);
  return records;
}

static KontorRecord *
by_uid (GPtrArray  *records,
        const char *uid)
{
  for (guint i = 0; i < records->len; i++)
    if (g_strcmp0 (kontor_record_get_string (g_ptr_array_index (records, i), "ical_uid"), uid) == 0)
      return g_ptr_array_index (records, i);
  g_error ("no activity with ical_uid %s", uid);
  return NULL;
}

static gboolean
record_flag (KontorRecord *record,
             const char   *field)
{
  JsonNode *node = kontor_record_get_value (record, field);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) && json_node_get_boolean (node);
}

static gboolean
record_all_day (KontorRecord *record)
{
  return record_flag (record, "all_day");
}

static void
assert_activity (KontorRecord *record,
                 const char   *subject,
                 const char   *start,
                 const char   *end,
                 gboolean      all_day)
{
  g_assert_nonnull (record);
  g_assert_cmpstr (kontor_record_get_string (record, "type"), ==, "meeting");
  g_assert_cmpstr (kontor_record_get_string (record, "subject"), ==, subject);
  g_assert_cmpstr (kontor_record_get_string (record, "start"), ==, start);
  g_assert_cmpstr (kontor_record_get_string (record, "end"), ==, end);
  g_assert_cmpint (record_all_day (record), ==, all_day);
}

static gboolean
has_problem (GPtrArray  *problems,
             guint       line,
             const char *needle)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const KontorIcalProblem *p = g_ptr_array_index (problems, i);

      if ((line == 0 || p->line == line) && strstr (p->message, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
dump_problems (GPtrArray *problems)
{
  for (guint i = 0; problems && i < problems->len; i++)
    {
      g_autofree char *text = kontor_ical_problem_to_string (g_ptr_array_index (problems, i));

      g_test_message ("problem: %s", text);
    }
}

static const char *
entry_string (KontorIcalResult *result,
              guint             i,
              const char       *field)
{
  KontorIcalEntry *entry = g_ptr_array_index (result->entries, i);

  return json_object_get_string_member_with_default (entry->values, field, NULL);
}

/* ---------------------------------------------------------------------- */
/* The corpus, file by file                                               */

#define OUTLOOK12_UID "040000008200E00074C5B7101A82E00800000000C0CA27559A38C90100000000000000" \
                      "00100000001E9AFCA9DCE51242AB306C53D7095851"

/* Outlook 2007: Windows zone "Kuala Lumpur, Singapore" (+08:00, no DST)
 * from its VTIMEZONE, weekly on Fridays, TAB-folded UID */
static void
test_outlook12_tab_folding (Fixture       *f,
                            gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;

  if (!import_corpus (f->store, "ical4j__2207678-outlook12-tab-folding.ics",
                      "2008-11-01T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  /* Fridays from 2008-10-31 until the window closes 2010-11-01 */
  g_assert_cmpuint (s.imported, ==, 105);
  g_assert_cmpuint (s.occurrences, ==, 105);
  g_assert_cmpuint (s.failed, ==, 0);
  g_assert_cmpuint (s.problems->len, ==, 0);

  all = activities (f->store);
  g_assert_cmpuint (all->len, ==, 105);
  assert_activity (g_ptr_array_index (all, 0), "Scheduled Reboot",
                   "2008-10-31T01:30:00Z", "2008-10-31T01:40:00Z", FALSE);
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (all, 0), "ical_uid"), ==,
                   OUTLOOK12_UID ";RECURRENCE-ID=20081031T013000Z");
  /* DESCRIPTION was just "\n" */
  g_assert_null (kontor_record_get_string (g_ptr_array_index (all, 0), "body"));
  assert_activity (g_ptr_array_index (all, 104), "Scheduled Reboot",
                   "2010-10-29T01:30:00Z", "2010-10-29T01:40:00Z", FALSE);
}

/* Outlook 2003: TZID "Canberra, Melbourne, Sydney" with southern DST from
 * the VTIMEZONE; daily on weekdays */
static void
test_outlook11_quoted_tzid (Fixture       *f,
                            gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  const char *uid = "040000008200E00074C5B7101A82E008000000002079F2E4D4A3C90100000000000000001"
                    "00000006C4B4F5EBD28AD43BB7F772276780C54";
  g_autofree char *april = g_strconcat (uid, ";RECURRENCE-ID=20090405T233000Z", NULL);

  if (!import_corpus (f->store, "ical4j__Standup-outlook11-quoted-tzid.ics",
                      "2009-03-10T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  g_assert_cmpuint (s.imported, ==, 523);
  g_assert_cmpuint (s.problems->len, ==, 0);
  all = activities (f->store);
  /* 09:30 AEDT (+11) */
  assert_activity (g_ptr_array_index (all, 0), "Standup",
                   "2009-03-09T22:30:00Z", "2009-03-09T22:45:00Z", FALSE);
  /* after DST ended on 2009-04-05: 09:30 AEST (+10) on Monday 6 April */
  assert_activity (by_uid (all, april), "Standup",
                   "2009-04-05T23:30:00Z", "2009-04-05T23:45:00Z", FALSE);
  assert_activity (g_ptr_array_index (all, 522), "Standup",
                   "2011-03-09T22:30:00Z", "2011-03-09T22:45:00Z", FALSE);
}

/* Exchange 2010: blank TZID, resolved by the VTIMEZONE without id (+00:00) */
static void
test_exchange2010_blank_tzid (Fixture       *f,
                              gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  KontorRecord *r;

  if (!import_corpus (f->store, "ical4j__blankTzid-exchange2010.ics", "2015-08-01T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  g_assert_cmpuint (s.imported, ==, 1);
  g_assert_cmpuint (s.occurrences, ==, 0);
  g_assert_cmpuint (s.problems->len, ==, 0);
  all = activities (f->store);
  r = g_ptr_array_index (all, 0);
  assert_activity (r, "(no title)", "2015-08-26T09:00:00Z", "2015-08-26T10:00:00Z", FALSE);
  g_assert_cmpstr (kontor_record_get_string (r, "location"), ==, "17 Commerce Crescent,Eastgate");
  g_assert_cmpstr (kontor_record_get_string (r, "body"), ==, "This event has been changed");
  g_assert_cmpstr (kontor_record_get_string (r, "ical_uid"), ==,
                   "t21ocubdt9jagerldbkak7uhcg@google.com");
}

/* Lotus Notes 6: VTIMEZONE "Eastern", RRULE with an illegal TZID
 * parameter, COUNT=5 */
static void
test_lotus_notes (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  static const char * const starts[] = {
    "2005-04-11T13:00:00Z", "2005-04-12T13:00:00Z", "2005-04-13T13:00:00Z",
    "2005-04-14T13:00:00Z", "2005-04-15T13:00:00Z",
  };

  if (!import_corpus (f->store, "ical4j__calconnect-lotusnotes6.ics", "2005-04-01T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  g_assert_cmpuint (s.imported, ==, 5);
  g_assert_cmpuint (s.occurrences, ==, 5);
  all = activities (f->store);
  g_assert_cmpuint (all->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      KontorRecord *r = g_ptr_array_index (all, i);
      g_autofree char *end = g_strdup (starts[i]);

      end[12] = '4';   /* 09:00-10:00 EDT */
      assert_activity (r, "5 day daily repeating meeting", starts[i], end, FALSE);
    }
}

/* Outlook: localized Windows zone "(UTC-03:00) Brasília" quoted, no SUMMARY,
 * no UID */
static void
test_nonascii_tzid (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  const char *uid;

  if (!import_corpus (f->store, "icalendar__issue_237-nonascii-tzid.ics",
                      "2017-05-01T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  g_assert_cmpuint (s.imported, ==, 1);
  g_assert_cmpuint (s.problems->len, ==, 0);
  all = activities (f->store);
  assert_activity (g_ptr_array_index (all, 0), "(no title)",
                   "2017-05-11T16:30:00Z", "2017-05-11T17:00:00Z", FALSE);
  uid = kontor_record_get_string (g_ptr_array_index (all, 0), "ical_uid");
  g_assert_true (g_str_has_prefix (uid, "kontor-"));
}

/* Podio: TAB folding, \" escapes, content after END:VCALENDAR */
static void
test_podio (Fixture       *f,
            gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  KontorRecord *r;

  if (!import_corpus (f->store, "icalendar__issue_350-podio-tab-folding.ics",
                      "2022-02-01T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  g_assert_cmpuint (s.imported, ==, 1);
  g_assert_cmpuint (s.problems->len, ==, 0);
  all = activities (f->store);
  r = g_ptr_array_index (all, 0);
  assert_activity (r, "Termin 4353 und\"so\"", "2022-02-22T18:30:00Z", "2022-02-22T19:30:00Z",
                   FALSE);
  g_assert_cmpstr (kontor_record_get_string (r, "location"), ==, "online");
  g_assert_cmpstr (kontor_record_get_string (r, "body"), ==,
                   "Toller Termin fürmal zu\"gucken\"und so");
  g_assert_cmpstr (kontor_record_get_string (r, "ical_uid"), ==, "20055546456446");
}

/* python-icalendar: IANA TZIDs without VTIMEZONE, an RDATE period, a VTODO,
 * and two events without DTSTART */
static void
test_missing_vtimezones (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(KontorIcalResult) early = NULL;
  g_autoptr(GFile) file = NULL;
  KontorRecord *event, *todo;

  if (!import_corpus (f->store, "icalendar__issue_722_missing_vtimezones.ics",
                      "2024-06-01T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  /* the RDATE occurrence (the 2014 DTSTART is outside the window) and the
   * task; the two start-less events fail with their lines */
  g_assert_cmpuint (s.imported, ==, 2);
  g_assert_cmpuint (s.occurrences, ==, 1);
  g_assert_cmpuint (s.failed, ==, 2);
  g_assert_true (has_problem (s.problems, 9, "DTSTART"));
  g_assert_true (has_problem (s.problems, 15, "DTSTART"));

  all = activities (f->store);
  g_assert_cmpuint (all->len, ==, 2);
  todo = g_ptr_array_index (all, 0);   /* no start: sorts first */
  g_assert_cmpstr (kontor_record_get_string (todo, "type"), ==, "task");
  g_assert_cmpstr (kontor_record_get_string (todo, "subject"), ==, "(no title)");
  /* 08:00 Asia/Singapore */
  g_assert_cmpstr (kontor_record_get_string (todo, "due"), ==, "2014-08-29T00:00:00Z");
  event = g_ptr_array_index (all, 1);
  /* RDATE;VALUE=PERIOD;TZID=Europe/Berlin:20240913T120000/PT2H */
  assert_activity (event, "an event with a custom tz name",
                   "2024-09-13T10:00:00Z", "2024-09-13T12:00:00Z", FALSE);

  /* ten years earlier only DTSTART (08:00 New York) to DTEND (08:00 Los
   * Angeles) is in the window */
  file = corpus_file ("icalendar__issue_722_missing_vtimezones.ics");
  {
    g_autoptr(GDateTime) ref = utc ("2014-08-01T00:00:00Z");
    g_autoptr(GError) error = NULL;
    KontorIcalOptions opts = { NULL, ref, NULL, NULL };

    early = kontor_ical_read_file (file, &opts, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (early->n_components, ==, 4);
  g_assert_cmpuint (early->n_occurrences, ==, 1);
  g_assert_cmpstr (entry_string (early, 0, "start"), ==, "2014-08-29T12:00:00Z");
  g_assert_cmpstr (entry_string (early, 0, "end"), ==, "2014-08-29T15:00:00Z");
}

/* Google Calendar export of an Apple event: Europe/Zurich VTIMEZONE,
 * weekdays, multi-line LOCATION, X-APPLE-STRUCTURED-LOCATION */
static void
test_google_apple_location (Fixture       *f,
                            gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  KontorRecord *r;

  if (!import_corpus (f->store, "icalendar__x_location-google-apple-structured.ics",
                      "2016-10-28T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  g_assert_cmpuint (s.imported, ==, 521);
  g_assert_cmpuint (s.problems->len, ==, 0);
  all = activities (f->store);
  r = g_ptr_array_index (all, 0);
  assert_activity (r, "Daily Sync", "2016-10-28T12:00:00Z", "2016-10-28T12:30:00Z", FALSE);
  g_assert_cmpstr (kontor_record_get_string (r, "location"), ==,
                   "Roadstar 16, 12764 Happyville, Denmark");
  g_assert_cmpstr (kontor_record_get_string (r, "body"), ==, "Some Description");
  /* Monday after the switch to CET */
  assert_activity (g_ptr_array_index (all, 1), "Daily Sync",
                   "2016-10-31T13:00:00Z", "2016-10-31T13:30:00Z", FALSE);
  assert_activity (g_ptr_array_index (all, 520), "Daily Sync",
                   "2018-10-26T12:00:00Z", "2018-10-26T12:30:00Z", FALSE);
}

/* Google birthdays: all-day, COUNT=1, RDATEs libical cannot read ("…Z" on a
 * date) reported with their lines, overrides without a master */
static void
test_google_birthday (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  KontorRecord *r;

  if (!import_corpus (f->store, "icaljs__google_birthday-recurrence-id.ics",
                      "2014-06-01T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  g_assert_cmpuint (s.imported, ==, 4);
  g_assert_cmpuint (s.occurrences, ==, 4);
  g_assert_cmpuint (s.failed, ==, 0);
  g_assert_true (has_problem (s.problems, 12, "20131210Z"));
  g_assert_true (has_problem (s.problems, 13, "20121210Z"));
  g_assert_cmpuint (s.problems->len, ==, 2);

  all = activities (f->store);
  g_assert_cmpuint (all->len, ==, 4);
  r = by_uid (all, "BIRTHDAY_79d389868f96182e@google.com;RECURRENCE-ID=20121210");
  assert_activity (r, "PErson #2's birthday", "2012-12-10T00:00:00Z", "2012-12-11T00:00:00Z",
                   TRUE);
  g_assert_cmpstr (kontor_record_get_string (r, "body"), ==, "Today is PErson #2's birthday!");
  assert_activity (by_uid (all, "BIRTHDAY_79d389868f96182e@google.com;RECURRENCE-ID=20131210"),
                   "PErson #2's birthday", "2013-12-10T00:00:00Z", "2013-12-11T00:00:00Z", TRUE);
  assert_activity (by_uid (all, "BIRTHDAY_79d389868f96182e@google.com;RECURRENCE-ID=20141210"),
                   "PErson #2's birthday", "2014-12-10T00:00:00Z", "2014-12-11T00:00:00Z", TRUE);
  assert_activity (by_uid (all, "2014_BIRTHDAY_79d389868f96182e@google.com;"
                                "RECURRENCE-ID=20141210"),
                   "PErson #2's birthday", "2014-12-10T00:00:00Z", "2014-12-11T00:00:00Z", TRUE);
}

/* Thunderbird via Radicale: weekly Europe/Paris series with nine EXDATEs
 * in UTC (across DST) and two cancelled overrides */
static void
test_radicale_exdates (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  static const char * const gone[] = {
    "2017-10-23T18:30:00Z", "2017-10-30T19:30:00Z", "2017-12-25T19:30:00Z",
    "2018-03-26T18:30:00Z", "2018-04-02T18:30:00Z", "2018-04-30T18:30:00Z",
  };

  if (!import_corpus (f->store, "py-vobject__radicale-0827-thunderbird-exdates.ics",
                      "2018-01-01T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  /* 37 Mondays until UNTIL, minus 9 EXDATEs, minus 2 cancelled */
  g_assert_cmpuint (s.imported, ==, 26);
  g_assert_cmpuint (s.occurrences, ==, 26);
  g_assert_cmpuint (s.problems->len, ==, 0);
  all = activities (f->store);
  assert_activity (g_ptr_array_index (all, 0), "Cours Balboa",
                   "2017-10-09T18:30:00Z", "2017-10-09T19:30:00Z", FALSE);
  assert_activity (g_ptr_array_index (all, 1), "Cours Balboa",
                   "2017-10-16T18:30:00Z", "2017-10-16T19:30:00Z", FALSE);
  assert_activity (g_ptr_array_index (all, 2), "Cours Balboa",
                   "2017-11-06T19:30:00Z", "2017-11-06T20:30:00Z", FALSE);
  assert_activity (g_ptr_array_index (all, 25), "Cours Balboa",
                   "2018-06-18T18:30:00Z", "2018-06-18T19:30:00Z", FALSE);
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (all, 0), "location"), ==,
                   "Some place, Some where");
  for (guint i = 0; i < all->len; i++)
    for (guint j = 0; j < G_N_ELEMENTS (gone); j++)
      g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (all, i), "start"), !=,
                       gone[j]);
}

/* Thunderbird: ISO-8859-1 text, floating times, no UIDs */
static void
test_thunderbird_latin1 (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GDateTime) ref = utc ("2019-01-01T00:00:00Z");

  if (!import_corpus (f->store, "thunderbird__importLatin1.ics", "2019-01-01T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  g_assert_cmpuint (s.imported, ==, 4);
  g_assert_true (has_problem (s.problems, 20, "UTF-8"));
  g_assert_cmpuint (s.problems->len, ==, 1);

  /* floating times are in the default zone, Europe/Berlin (CET) */
  all = activities (f->store);
  assert_activity (g_ptr_array_index (all, 0), "Event One",
                   "2019-01-01T14:00:00Z", "2019-01-01T15:00:00Z", FALSE);
  assert_activity (g_ptr_array_index (all, 1), "Event Två",
                   "2019-01-01T15:00:00Z", "2019-01-01T16:00:00Z", FALSE);
  assert_activity (g_ptr_array_index (all, 2), "Event Three",
                   "2019-01-01T16:00:00Z", "2019-01-01T17:00:00Z", FALSE);
  assert_activity (g_ptr_array_index (all, 3), "Event Four",
                   "2019-01-01T17:00:00Z", "2019-01-01T18:00:00Z", FALSE);

  /* another default zone moves them */
  file = corpus_file ("thunderbird__importLatin1.ics");
  {
    KontorIcalOptions opts = { "America/New_York", ref, NULL, NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(KontorIcalResult) ny = kontor_ical_read_file (file, &opts, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (entry_string (ny, 0, "subject"), ==, "Event One");
    g_assert_cmpstr (entry_string (ny, 0, "start"), ==, "2019-01-01T20:00:00Z");
  }
  {
    KontorIcalOptions opts = { "UTC", ref, NULL, NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(KontorIcalResult) u = kontor_ical_read_file (file, &opts, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (entry_string (u, 3, "subject"), ==, "Event Två");
    g_assert_cmpstr (entry_string (u, 3, "start"), ==, "2019-01-01T16:00:00Z");
  }
}

/* Apple Calendar: daily Europe/Berlin series with three overrides, one
 * after the switch to winter time */
static void
test_apple_overrides (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  const char *uid = "025F3A29-25F7-4BAD-8F8D-BD3EBD2BDB21;RECURRENCE-ID=";
  g_autofree char *old = g_strconcat (uid, "20171016T231500Z", NULL);
  g_autofree char *new = g_strconcat (uid, "20171020T231500Z", NULL);
  g_autofree char *dst = g_strconcat (uid, "20171117T001500Z", NULL);
  g_autofree char *sat = g_strconcat (uid, "20171028T231500Z", NULL);
  g_autofree char *mon = g_strconcat (uid, "20171030T001500Z", NULL);

  if (!import_corpus (f->store, "tine20__apple_calendar_10.12_THISANDFUTURE.ics",
                      "2017-10-16T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  /* every day from 2017-10-16 until the window closes 2019-10-16 */
  g_assert_cmpuint (s.imported, ==, 731);
  g_assert_cmpuint (s.occurrences, ==, 731);
  g_assert_cmpuint (s.problems->len, ==, 0);
  all = activities (f->store);
  assert_activity (g_ptr_array_index (all, 0), "TEST17",
                   "2017-10-15T23:15:00Z", "2017-10-16T00:15:00Z", FALSE);
  assert_activity (by_uid (all, old), "TEST17-this-old",
                   "2017-10-16T23:15:00Z", "2017-10-17T00:15:00Z", FALSE);
  assert_activity (by_uid (all, new), "TEST17-this-new",
                   "2017-10-20T23:15:00Z", "2017-10-21T00:15:00Z", FALSE);
  assert_activity (by_uid (all, dst), "TEST17-this-over-dst",
                   "2017-11-17T00:15:00Z", "2017-11-17T01:15:00Z", FALSE);
  /* 01:15 local on the day of the switch is still CEST, the day after CET */
  assert_activity (by_uid (all, sat), "TEST17", "2017-10-28T23:15:00Z", "2017-10-29T00:15:00Z",
                   FALSE);
  assert_activity (by_uid (all, mon), "TEST17", "2017-10-30T00:15:00Z", "2017-10-30T01:15:00Z",
                   FALSE);
}

/* Exchange 2007 (German): TZID "W. Europe Standard Time" unquoted with
 * spaces, umlauts, empty LOCATION */
static void
test_exchange2007_german (Fixture       *f,
                          gconstpointer  data)
{
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  KontorRecord *r;

  if (!import_corpus (f->store, "tine20__exchange2007-invitation-de.ics",
                      "2015-03-01T00:00:00Z", &s))
    return;
  dump_problems (s.problems);

  g_assert_cmpuint (s.imported, ==, 1);
  g_assert_cmpuint (s.problems->len, ==, 0);
  all = activities (f->store);
  r = g_ptr_array_index (all, 0);
  assert_activity (r, "Blocker Wie bleibe ich gesund? Ernährung",
                   "2015-03-04T12:00:00Z", "2015-03-04T13:00:00Z", FALSE);
  g_assert_null (kontor_record_get_string (r, "location"));
  g_assert_cmpstr (kontor_record_get_string (r, "body"), ==,
                   "Zeit: Mittwoch, 4. März 2015 13:00-14:00 (UTC+01:00) Amsterdam, Berlin, Bern, "
                   "Rom, Stockholm, Wien.\n\nHinweis: Die oben angegebene Abweichung von GMT "
                   "berücksichtigt keine Anpassungen für Sommerzeit.\n\n*~*~*~*~*~*~*~*~*~*");
  g_assert_cmpstr (kontor_record_get_string (r, "ical_uid"), ==,
                   "040000008200E00074C5B7101A82E0080000000060A0CF095EDDCF010000000000000000"
                   "100000002B6BB244B1AFF048AFD8E002B733D4E7");
}

typedef struct
{
  const char *file;
  const char *reference;
  void      (*test) (Fixture *f, gconstpointer data);
} CorpusCase;

static const CorpusCase corpus_cases[] = {
  { "ical4j__2207678-outlook12-tab-folding.ics", "2008-11-01T00:00:00Z",
    test_outlook12_tab_folding },
  { "ical4j__Standup-outlook11-quoted-tzid.ics", "2009-03-10T00:00:00Z",
    test_outlook11_quoted_tzid },
  { "ical4j__blankTzid-exchange2010.ics", "2015-08-01T00:00:00Z", test_exchange2010_blank_tzid },
  { "ical4j__calconnect-lotusnotes6.ics", "2005-04-01T00:00:00Z", test_lotus_notes },
  { "icalendar__issue_237-nonascii-tzid.ics", "2017-05-01T00:00:00Z", test_nonascii_tzid },
  { "icalendar__issue_350-podio-tab-folding.ics", "2022-02-01T00:00:00Z", test_podio },
  { "icalendar__issue_722_missing_vtimezones.ics", "2024-06-01T00:00:00Z",
    test_missing_vtimezones },
  { "icalendar__x_location-google-apple-structured.ics", "2016-10-28T00:00:00Z",
    test_google_apple_location },
  { "icaljs__google_birthday-recurrence-id.ics", "2014-06-01T00:00:00Z", test_google_birthday },
  { "py-vobject__radicale-0827-thunderbird-exdates.ics", "2018-01-01T00:00:00Z",
    test_radicale_exdates },
  { "thunderbird__importLatin1.ics", "2019-01-01T00:00:00Z", test_thunderbird_latin1 },
  { "tine20__apple_calendar_10.12_THISANDFUTURE.ics", "2017-10-16T00:00:00Z",
    test_apple_overrides },
  { "tine20__exchange2007-invitation-de.ics", "2015-03-01T00:00:00Z", test_exchange2007_german },
};

static const CorpusCase *
find_case (const char *file)
{
  for (guint i = 0; i < G_N_ELEMENTS (corpus_cases); i++)
    if (g_str_equal (corpus_cases[i].file, file))
      return &corpus_cases[i];
  return NULL;
}

/* Every corpus file has its own test above, and importing it a second
 * time imports nothing and skips everything. */
static void
test_corpus_reimport (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *dir = corpus_dir ();
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint n = 0;

  if (dir == NULL)
    {
      g_test_skip ("KONTOR_SHARED/corpus/ics not found");
      return;
    }
  d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);

  while ((name = g_dir_read_name (d)) != NULL)
    {
      const CorpusCase *c;
      g_autofree char *db = NULL;
      g_autoptr(KontorStore) store = NULL;
      g_auto(KontorIcalSummary) first = { 0 };
      g_auto(KontorIcalSummary) second = { 0 };

      if (!g_str_has_suffix (name, ".ics"))
        continue;
      c = find_case (name);
      if (c == NULL)
        g_error ("corpus file %s has no test in test-ical.c", name);

      db = g_strdup_printf ("reimport-%u.db", n++);
      store = open_store (f->dir, db);
      g_assert_true (import_corpus (store, name, c->reference, &first));
      g_assert_true (import_corpus (store, name, c->reference, &second));
      g_test_message ("%s: %u imported, %u failed", name, first.imported, first.failed);
      g_assert_cmpuint (first.imported, >, 0);
      g_assert_cmpuint (second.imported, ==, 0);
      g_assert_cmpuint (second.skipped, ==, first.imported);
      g_assert_cmpuint (second.failed, ==, first.failed);
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (corpus_cases));
}

/* ---------------------------------------------------------------------- */
/* Round trip                                                             */

static char *
export_text (KontorStore *store)
{
  g_autoptr(KontorQuery) query = kontor_query_new ("activity");
  GOutputStream *out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  char *text;

  g_assert_true (kontor_ical_export (store, query, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));   /* NUL */
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
  g_object_unref (out);
  return text;
}

/* RFC 5545 3.1: CRLF lines of at most 75 octets, folded with a space,
 * never inside a UTF-8 character. */
static void
assert_well_formed (const char *text)
{
  g_auto(GStrv) lines = NULL;
  gsize len = strlen (text);

  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VCALENDAR\r\n"));
  for (gsize i = 0; i < len; i++)
    if (text[i] == '\n')
      g_assert_true (i > 0 && text[i - 1] == '\r');

  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
    }
}

static void
assert_same_activities (GPtrArray *a,
                        GPtrArray *b)
{
  static const char * const fields[] = {
    "type", "subject", "start", "end", "due", "location", "body", NULL
  };

  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      KontorRecord *ra = g_ptr_array_index (a, i);
      KontorRecord *rb = g_ptr_array_index (b, i);

      for (guint j = 0; fields[j]; j++)
        g_assert_cmpstr (kontor_record_get_string (ra, fields[j]), ==,
                         kontor_record_get_string (rb, fields[j]));
      g_assert_cmpint (record_all_day (ra), ==, record_all_day (rb));
      g_assert_cmpint (record_flag (ra, "done"), ==, record_flag (rb, "done"));
    }
}

static void
test_round_trip_corpus (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KontorStore) other = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) ref = utc ("2020-01-01T00:00:00Z");
  KontorIcalOptions opts = { NULL, ref, NULL, NULL };
  g_auto(KontorIcalSummary) s = { 0 };
  g_autofree char *dir = corpus_dir ();

  if (dir == NULL)
    {
      g_test_skip ("KONTOR_SHARED/corpus/ics not found");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (corpus_cases); i++)
    {
      g_auto(KontorIcalSummary) one = { 0 };

      g_assert_true (import_corpus (f->store, corpus_cases[i].file, corpus_cases[i].reference,
                                    &one));
    }

  text = export_text (f->store);
  assert_well_formed (text);
  again = export_text (f->store);
  g_assert_cmpstr (text, ==, again);   /* deterministic: DTSTAMP is not the clock */

  other = open_store (f->dir, "other.db");
  bytes = g_bytes_new (text, strlen (text));
  /* occurrences come back as single events: no window applies */
  g_assert_true (kontor_ical_import_bytes (other, bytes, &opts, &s, &error));
  g_assert_no_error (error);
  dump_problems (s.problems);
  g_assert_cmpuint (s.problems->len, ==, 0);
  g_assert_cmpuint (s.failed, ==, 0);

  before = activities (f->store);
  after = activities (other);
  g_assert_cmpuint (s.imported, ==, before->len);
  assert_same_activities (before, after);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (before, i), "ical_uid"), ==,
                     kontor_record_get_string (g_ptr_array_index (after, i), "ical_uid"));

  /* and the exported file of the copy is the same file */
  g_clear_pointer (&again, g_free);
  again = export_text (other);
  g_assert_cmpstr (text, ==, again);
}

static KontorRecord *
create (KontorStore *store,
        const char  *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  KontorRecord *r;

  g_assert_nonnull (node);
  r = kontor_store_create (store, "activity", NULL, json_node_get_object (node), NULL, &error);
  g_assert_no_error (error);
  return r;
}

static void
test_round_trip_made_here (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KontorRecord) a = NULL;
  g_autoptr(KontorRecord) b = NULL;
  g_autoptr(KontorRecord) c = NULL;
  g_autoptr(KontorRecord) d = NULL;
  g_autoptr(KontorRecord) e = NULL;
  g_autoptr(KontorStore) other = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) ref = utc ("2024-01-01T00:00:00Z");
  g_autofree char *text = NULL;
  g_auto(KontorIcalSummary) s = { 0 };
  KontorIcalOptions opts = { NULL, ref, NULL, NULL };

  a = create (f->store, "{\"type\":\"meeting\",\"subject\":\"Jahresgespräch, Teil 1; "
                        "mit \\\\Backslash\\\\\",\"start\":\"2024-05-02T08:00:00Z\","
                        "\"end\":\"2024-05-02T09:30:00Z\",\"location\":\"Büro Köln; Raum 3, "
                        "Etage 2\",\"body\":\"Erste Zeile\\nZweite Zeile mit Ümläuten und "
                        "einem sehr langen Text, der über fünfundsiebzig Oktette hinausgeht, "
                        "damit gefaltet werden muss: äöüßÄÖÜ€ äöüßÄÖÜ€ äöüßÄÖÜ€ äöüßÄÖÜ€\\n\\n"
                        "Dritter Absatz\"}");
  b = create (f->store, "{\"type\":\"call\",\"subject\":\"Rückruf Müller\","
                        "\"start\":\"2024-05-03T12:15:00Z\",\"done\":true}");
  c = create (f->store, "{\"type\":\"meeting\",\"subject\":\"Messe\",\"all_day\":true,"
                        "\"start\":\"2024-06-10T00:00:00Z\",\"end\":\"2024-06-13T00:00:00Z\"}");
  d = create (f->store, "{\"type\":\"task\",\"subject\":\"Angebot schicken\","
                        "\"due\":\"2024-05-10T15:00:00Z\",\"done\":true}");
  e = create (f->store, "{\"type\":\"note\",\"subject\":\"Notiz ohne Zeit\"}");

  text = export_text (f->store);
  assert_well_formed (text);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "SUMMARY:Jahresgespräch\\, Teil 1\\; mit \\\\Backslash\\\\\r\n"));
  g_assert_nonnull (strstr (text, "LOCATION:Büro Köln\\; Raum 3\\, Etage 2\r\n"));
  g_assert_nonnull (strstr (text, "DTSTART:20240502T080000Z\r\n"));
  g_assert_nonnull (strstr (text, "DTSTAMP:20240502T080000Z\r\n"));
  g_assert_nonnull (strstr (text, "DTSTART;VALUE=DATE:20240610\r\nDTEND;VALUE=DATE:20240613\r\n"));
  g_assert_nonnull (strstr (text, "BEGIN:VTODO\r\n"));
  g_assert_nonnull (strstr (text, "DUE:20240510T150000Z\r\nSTATUS:COMPLETED\r\n"));
  g_assert_nonnull (strstr (text, "X-KONTOR-TYPE:call\r\nEND:VEVENT\r\n"));
  g_assert_nonnull (strstr (text, "X-KONTOR-DONE:TRUE\r\n"));
  g_assert_null (strstr (text, "Notiz ohne Zeit"));   /* no time: not a calendar entry */
  {
    g_autofree char *uid = g_strdup_printf ("UID:%s\r\n", kontor_record_get_id (a));

    g_assert_nonnull (strstr (text, uid));
  }

  other = open_store (f->dir, "other.db");
  bytes = g_bytes_new (text, strlen (text));
  g_assert_true (kontor_ical_import_bytes (other, bytes, &opts, &s, &error));
  g_assert_no_error (error);
  dump_problems (s.problems);
  g_assert_cmpuint (s.imported, ==, 4);
  g_assert_cmpuint (s.problems->len, ==, 0);

  /* the note without time was not exported; the others come back in the
   * same order (by start; the task has none and sorts first) */
  before = activities (f->store);
  for (guint i = 0; i < before->len; i++)
    if (g_str_equal (kontor_record_get_id (g_ptr_array_index (before, i)),
                     kontor_record_get_id (e)))
      g_ptr_array_remove_index (before, i--);
  g_assert_cmpuint (before->len, ==, 4);
  after = activities (other);
  assert_same_activities (before, after);
  g_assert_cmpstr (kontor_record_get_string (by_uid (after, kontor_record_get_id (a)), "body"),
                   ==, kontor_record_get_string (a, "body"));
  {
    JsonNode *done = kontor_record_get_value (by_uid (after, kontor_record_get_id (d)), "done");

    g_assert_true (done != NULL && json_node_get_boolean (done));
  }
}

static void
test_export_wrong_kind (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KontorQuery) query = kontor_query_new ("contact");
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_false (kontor_ical_export (f->store, query, out, &error));
  g_assert_error (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_WRONG_KIND);
}

/* ---------------------------------------------------------------------- */
/* Time zones                                                             */

static const char *
start_in (const char *tzid_param,
          const char *local,
          const char *reference,
          KontorIcalResult **out)
{
  g_autofree char *text = g_strdup_printf ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                                           "BEGIN:VEVENT\r\nUID:z\r\nSUMMARY:x\r\n"
                                           "DTSTART%s:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                                           tzid_param, local);

  *out = read_text (text, reference, NULL);
  g_assert_cmpuint ((*out)->entries->len, ==, 1);
  return entry_string (*out, 0, "start");
}

static void
test_zones (Fixture       *f,
            gconstpointer  data)
{
  static const struct
  {
    const char *param;
    const char *local;
    const char *utc;
    gboolean    problem;
  } cases[] = {
    /* Windows names without VTIMEZONE */
    { ";TZID=W. Europe Standard Time", "20150704T130000", "2015-07-04T11:00:00Z", FALSE },
    { ";TZID=\"W. Europe Standard Time\"", "20150104T130000", "2015-01-04T12:00:00Z", FALSE },
    { ";TZID=Romance Standard Time", "20150704T130000", "2015-07-04T11:00:00Z", FALSE },
    { ";TZID=GMT Standard Time", "20150704T130000", "2015-07-04T12:00:00Z", FALSE },
    { ";TZID=Eastern Standard Time", "20150704T130000", "2015-07-04T17:00:00Z", FALSE },
    { ";TZID=Pacific Standard Time", "20150104T130000", "2015-01-04T21:00:00Z", FALSE },
    { ";TZID=AUS Eastern Standard Time", "20150104T130000", "2015-01-04T02:00:00Z", FALSE },
    { ";TZID=Tokyo Standard Time", "20150104T130000", "2015-01-04T04:00:00Z", FALSE },
    { ";TZID=India Standard Time", "20150104T130000", "2015-01-04T07:30:00Z", FALSE },
    { ";TZID=China Standard Time", "20150104T130000", "2015-01-04T05:00:00Z", FALSE },
    /* IANA names and prefixed ones */
    { ";TZID=Europe/Berlin", "20150704T130000", "2015-07-04T11:00:00Z", FALSE },
    { ";TZID=/mozilla.org/20050126_1/Europe/Berlin", "20150704T130000",
      "2015-07-04T11:00:00Z", FALSE },
    { ";TZID=/softwarestudio.org/Olson_20011030_5/America/New_York", "20150104T130000",
      "2015-01-04T18:00:00Z", FALSE },
    /* offsets in the name */
    { ";TZID=\"(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi\"", "20150104T130000",
      "2015-01-04T07:30:00Z", FALSE },
    { ";TZID=\"(GMT-03.00) Buenos Aires\"", "20150104T130000", "2015-01-04T16:00:00Z", FALSE },
    /* UTC, floating, and what cannot be resolved: the default zone */
    { "", "20150704T130000Z", "2015-07-04T13:00:00Z", FALSE },
    { "", "20150704T130000", "2015-07-04T11:00:00Z", FALSE },
    { ";TZID=", "20150704T130000", "2015-07-04T11:00:00Z", TRUE },
    { ";TZID=Mars/Olympus_Mons", "20150704T130000", "2015-07-04T11:00:00Z", TRUE },
    { ";TZID=../../../../dev/zero", "20150704T130000", "2015-07-04T11:00:00Z", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KontorIcalResult) result = NULL;
      const char *start = start_in (cases[i].param, cases[i].local, "2015-01-01T00:00:00Z",
                                    &result);

      g_test_message ("DTSTART%s:%s", cases[i].param, cases[i].local);
      g_assert_cmpstr (start, ==, cases[i].utc);
      g_assert_cmpint (result->problems->len > 0, ==, cases[i].problem);
    }

  g_assert_cmpstr (kontor_ical_windows_zone_to_iana ("w. europe standard time "), ==,
                   "Europe/Berlin");
  g_assert_null (kontor_ical_windows_zone_to_iana ("Atlantis Standard Time"));
}

/* ---------------------------------------------------------------------- */
/* Recurrence                                                             */

static void
test_this_and_future (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KontorIcalResult) r =
    read_text ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
               "BEGIN:VEVENT\r\nUID:series\r\nSUMMARY:Old\r\n"
               "DTSTART;TZID=Europe/Berlin:20240301T100000\r\n"
               "DTEND;TZID=Europe/Berlin:20240301T110000\r\n"
               "RRULE:FREQ=DAILY;COUNT=5\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:series\r\nSUMMARY:New\r\n"
               "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20240303T100000\r\n"
               "DTSTART;TZID=Europe/Berlin:20240303T120000\r\n"
               "DTEND;TZID=Europe/Berlin:20240303T123000\r\nEND:VEVENT\r\n"
               "END:VCALENDAR\r\n", "2024-03-01T00:00:00Z", NULL);
  static const char * const subjects[] = { "Old", "Old", "New", "New", "New" };
  static const char * const starts[] = {
    "2024-03-01T09:00:00Z", "2024-03-02T09:00:00Z", "2024-03-03T11:00:00Z",
    "2024-03-04T11:00:00Z", "2024-03-05T11:00:00Z",
  };
  static const char * const ends[] = {
    "2024-03-01T10:00:00Z", "2024-03-02T10:00:00Z", "2024-03-03T11:30:00Z",
    "2024-03-04T11:30:00Z", "2024-03-05T11:30:00Z",
  };

  dump_problems (r->problems);
  g_assert_cmpuint (r->entries->len, ==, 5);
  g_assert_cmpuint (r->n_occurrences, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpstr (entry_string (r, i, "subject"), ==, subjects[i]);
      g_assert_cmpstr (entry_string (r, i, "start"), ==, starts[i]);
      g_assert_cmpstr (entry_string (r, i, "end"), ==, ends[i]);
    }
  /* identity stays the original start */
  g_assert_cmpstr (entry_string (r, 3, "ical_uid"), ==, "series;RECURRENCE-ID=20240304T090000Z");
}

static void
test_exdate_rdate (Fixture       *f,
                   gconstpointer  data)
{
  /* weekly, minus a date-valued EXDATE, plus an RDATE, with a moved
   * occurrence */
  g_autoptr(KontorIcalResult) r =
    read_text ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
               "BEGIN:VEVENT\r\nUID:w\r\nSUMMARY:Jour fixe\r\n"
               "DTSTART;TZID=Europe/Berlin:20240101T090000\r\nDURATION:PT30M\r\n"
               "RRULE:FREQ=WEEKLY;UNTIL=20240129T235959Z\r\n"
               "EXDATE;VALUE=DATE:20240115\r\n"
               "RDATE;TZID=Europe/Berlin:20240103T140000\r\nEND:VEVENT\r\n"
               "BEGIN:VEVENT\r\nUID:w\r\nSUMMARY:Jour fixe (verschoben)\r\n"
               "RECURRENCE-ID;TZID=Europe/Berlin:20240122T090000\r\n"
               "DTSTART;TZID=Europe/Berlin:20240123T093000\r\nDURATION:PT1H\r\nEND:VEVENT\r\n"
               "END:VCALENDAR\r\n", "2024-01-01T00:00:00Z", NULL);
  static const char * const starts[] = {
    "2024-01-01T08:00:00Z", "2024-01-03T13:00:00Z", "2024-01-08T08:00:00Z",
    "2024-01-23T08:30:00Z", "2024-01-29T08:00:00Z",
  };

  dump_problems (r->problems);
  g_assert_cmpuint (r->entries->len, ==, G_N_ELEMENTS (starts));
  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    g_assert_cmpstr (entry_string (r, i, "start"), ==, starts[i]);
  g_assert_cmpstr (entry_string (r, 0, "end"), ==, "2024-01-01T08:30:00Z");
  g_assert_cmpstr (entry_string (r, 3, "subject"), ==, "Jour fixe (verschoben)");
  g_assert_cmpstr (entry_string (r, 3, "end"), ==, "2024-01-23T09:30:00Z");
  g_assert_cmpstr (entry_string (r, 3, "ical_uid"), ==, "w;RECURRENCE-ID=20240122T080000Z");
}

static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  const char *text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                     "BEGIN:VEVENT\r\nUID:m\r\nSUMMARY:Monatlich\r\n"
                     "DTSTART:20000115T090000Z\r\nRRULE:FREQ=MONTHLY\r\nEND:VEVENT\r\n"
                     "END:VCALENDAR\r\n";
  g_autoptr(KontorIcalResult) def = read_text (text, "2024-06-01T00:00:00Z", NULL);
  g_autoptr(KontorIcalResult) narrow = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GDateTime) from = utc ("2024-01-01T00:00:00Z");
  g_autoptr(GDateTime) to = utc ("2024-04-01T00:00:00Z");
  g_autoptr(GError) error = NULL;
  KontorIcalOptions opts = { NULL, NULL, from, to };

  /* one year back, two ahead: 2023-06-15 … 2026-05-15 */
  g_assert_cmpuint (def->entries->len, ==, 36);
  g_assert_cmpstr (entry_string (def, 0, "start"), ==, "2023-06-15T09:00:00Z");
  g_assert_cmpstr (entry_string (def, 35, "start"), ==, "2026-05-15T09:00:00Z");

  narrow = kontor_ical_read_bytes (bytes, &opts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (narrow->entries->len, ==, 3);
  g_assert_cmpuint (narrow->n_occurrences, ==, 3);
}

/* ---------------------------------------------------------------------- */
/* Hostile input                                                          */

static void
test_hostile_whole_file (Fixture       *f,
                         gconstpointer  data)
{
  static const struct
  {
    const char *text;
    gsize       len;
    int         code;
  } cases[] = {
    { "", 0, KONTOR_ICAL_ERROR_EMPTY },
    { "\r\n\r\n\n", 5, KONTOR_ICAL_ERROR_EMPTY },
    { "hello, world", 12, KONTOR_ICAL_ERROR_INVALID },
    { "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, KONTOR_ICAL_ERROR_INVALID },
    { "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\r\nEND:VCARD\r\n", 45, KONTOR_ICAL_ERROR_INVALID },
  };
  g_autoptr(GString) deep = g_string_new ("BEGIN:VCALENDAR\r\n");
  g_autofree guint8 *huge = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (cases[i].text, cases[i].len);
      g_autoptr(GError) error = NULL;
      g_autoptr(KontorIcalResult) r = kontor_ical_read_bytes (bytes, NULL, &error);

      g_assert_null (r);
      g_assert_error (error, KONTOR_ICAL_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
    }

  /* an import of a bad file leaves the store untouched */
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("garbage", 7);
    g_autoptr(GError) error = NULL;
    g_auto(KontorIcalSummary) s = { 0 };

    g_assert_false (kontor_ical_import_bytes (f->store, bytes, NULL, &s, &error));
    g_assert_error (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_INVALID);
    g_assert_cmpuint (s.imported, ==, 0);
  }

  /* nesting that would overflow recursive frees */
  for (guint i = 0; i < 10000; i++)
    g_string_append (deep, "BEGIN:X-DEEP\r\n");
  {
    g_autoptr(GBytes) bytes = g_bytes_new (deep->str, deep->len);
    g_autoptr(GError) error = NULL;
    g_autoptr(KontorIcalResult) r = kontor_ical_read_bytes (bytes, NULL, &error);

    g_assert_null (r);
    g_assert_error (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_INVALID);
  }

  /* over 50 MB: refused before parsing */
  huge = g_malloc0 (KONTOR_ICAL_MAX_FILE_SIZE + 1);
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static (huge, KONTOR_ICAL_MAX_FILE_SIZE + 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(KontorIcalResult) r = kontor_ical_read_bytes (bytes, NULL, &error);

    g_assert_null (r);
    g_assert_error (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_TOO_LARGE);
    g_assert_nonnull (strstr (error->message, "50 MB"));
  }
}

static void
test_hostile_events (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GDateTime) ref = utc ("2024-01-01T00:00:00Z");
  g_autoptr(GError) error = NULL;
  g_auto(KontorIcalSummary) s = { 0 };
  g_autoptr(GPtrArray) all = NULL;
  KontorIcalOptions opts = { NULL, ref, NULL, NULL };
  const char *text =
    "BEGIN:VCALENDAR\r\n"                                              /* 1 */
    "VERSION:2.0\r\n"
    "this line : is garbage\r\n"
    "BEGIN:VEVENT\r\n"                                                 /* 4 */
    "UID:no-start\r\n"
    "SUMMARY:Ohne Beginn\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"                                                 /* 8 */
    "UID:backwards\r\n"
    "SUMMARY:Rückwärts\r\n"
    "DTSTART:20240110T100000Z\r\n"
    "DTEND:20240110T090000Z\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"                                                 /* 14 */
    "UID:yearly\r\n"
    "SUMMARY:Jährlich\r\n"
    "DTSTART:20230101T080000Z\r\n"
    "RRULE:FREQ=YEARLY;COUNT=1000000\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"                                                 /* 20 */
    "UID:seconds\r\n"
    "SUMMARY:Sekündlich\r\n"
    "DTSTART:19700101T000000Z\r\n"
    "RRULE:FREQ=SECONDLY;COUNT=100000000\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"                                                 /* 26 */
    "UID:bad-date\r\n"
    "DTSTART:20241345T250000Z\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"                                                 /* 30 */
    "UID:cancelled\r\n"
    "STATUS:CANCELLED\r\n"
    "DTSTART:20240110T100000Z\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

  bytes = g_bytes_new_static (text, strlen (text));
  g_assert_true (kontor_ical_import_bytes (f->store, bytes, &opts, &s, &error));
  g_assert_no_error (error);
  dump_problems (s.problems);

  g_assert_true (has_problem (s.problems, 4, "DTSTART"));
  g_assert_true (has_problem (s.problems, 8, "ends before it starts"));
  g_assert_true (has_problem (s.problems, 20, "too many steps"));
  g_assert_true (has_problem (s.problems, 30, "cancelled"));
  g_assert_true (has_problem (s.problems, 3, "this line"));

  /* backwards (without end) + 2023, 2024, 2025 of the yearly million;
   * nothing of the secondly one from 1970 is in the window */
  g_assert_cmpuint (s.imported, ==, 1 + 3);
  g_assert_cmpuint (s.occurrences, ==, 3);
  g_assert_cmpuint (s.failed, ==, 2);   /* no start, bad date */

  all = activities (f->store);
  {
    KontorRecord *r = by_uid (all, "backwards");

    g_assert_cmpstr (kontor_record_get_string (r, "start"), ==, "2024-01-10T10:00:00Z");
    g_assert_null (kontor_record_get_string (r, "end"));
  }
  g_assert_cmpstr (kontor_record_get_string (by_uid (all, "yearly;RECURRENCE-ID=20250101T080000Z"),
                                             "start"), ==, "2025-01-01T08:00:00Z");
}

/* COUNT=1000000: the window bounds a daily series, the hard cap an hourly
 * one */
static void
test_hostile_count (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KontorIcalResult) daily =
    read_text ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
               "BEGIN:VEVENT\r\nUID:daily\r\nSUMMARY:Täglich\r\n"
               "DTSTART:20230101T080000Z\r\nRRULE:FREQ=DAILY;COUNT=1000000\r\nEND:VEVENT\r\n"
               "END:VCALENDAR\r\n", "2024-01-01T00:00:00Z", NULL);
  g_autoptr(KontorIcalResult) hourly =
    read_text ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
               "BEGIN:VEVENT\r\nUID:hourly\r\nSUMMARY:Stündlich\r\n"
               "DTSTART:20230101T080000Z\r\nRRULE:FREQ=HOURLY;COUNT=1000000\r\nEND:VEVENT\r\n"
               "END:VCALENDAR\r\n", "2024-01-01T00:00:00Z", NULL);

  /* every day of 2023, 2024 and 2025 */
  dump_problems (daily->problems);
  g_assert_cmpuint (daily->entries->len, ==, 365 + 366 + 365);
  g_assert_cmpuint (daily->problems->len, ==, 0);
  g_assert_cmpstr (entry_string (daily, 0, "start"), ==, "2023-01-01T08:00:00Z");
  g_assert_cmpstr (entry_string (daily, 1095, "start"), ==, "2025-12-31T08:00:00Z");

  dump_problems (hourly->problems);
  g_assert_cmpuint (hourly->entries->len, ==, KONTOR_ICAL_MAX_OCCURRENCES);
  g_assert_cmpuint (hourly->n_occurrences, ==, KONTOR_ICAL_MAX_OCCURRENCES);
  g_assert_true (has_problem (hourly->problems, 3, "capped"));
  g_assert_cmpuint (hourly->problems->len, ==, 1);
}

static void
test_encodings_and_lines (Fixture       *f,
                          gconstpointer  data)
{
  /* UTF-16LE with BOM */
  {
    const char *text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u16\r\nSUMMARY:Grüße\r\n"
                       "DTSTART:20240101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    g_autofree char *u16 = NULL;
    gsize written;
    g_autoptr(GByteArray) data_bytes = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(KontorIcalResult) r = NULL;
    static const guint8 bom[] = { 0xFF, 0xFE };

    u16 = g_convert (text, -1, "UTF-16LE", "UTF-8", NULL, &written, &error);
    g_assert_no_error (error);
    g_byte_array_append (data_bytes, bom, 2);
    g_byte_array_append (data_bytes, (const guint8 *) u16, written);
    bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data_bytes));
    r = kontor_ical_read_bytes (bytes, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (entry_string (r, 0, "subject"), ==, "Grüße");
  }

  /* a UTF-8 character split by folding; a Windows-1252 line in a UTF-8
   * file; an unreadable value reported with its own line */
  {
    g_autoptr(KontorIcalResult) r =
      read_text ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                 "BEGIN:VEVENT\r\nUID:fold\r\nSUMMARY:Gr\xc3\r\n \xbc\xc3\x9f""e\r\n"
                 "LOCATION:Stra\xdf""e \x80 5\r\n"
                 "DTSTART:20240101T100000Z\r\n"
                 "DTEND:nonsense\r\n"
                 "END:VEVENT\r\nEND:VCALENDAR\r\n", "2024-01-01T00:00:00Z", NULL);

    dump_problems (r->problems);
    g_assert_cmpstr (entry_string (r, 0, "subject"), ==, "Grüße");
    g_assert_cmpstr (entry_string (r, 0, "location"), ==, "Straße € 5");
    g_assert_true (has_problem (r->problems, 7, "UTF-8"));
    g_assert_true (has_problem (r->problems, 9, "DTEND"));
  }

  /* VTODO and VJOURNAL */
  {
    g_autoptr(KontorIcalResult) r =
      read_text ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                 "BEGIN:VTODO\r\nUID:t\r\nSUMMARY:Angebot\r\nDUE;VALUE=DATE:20240105\r\n"
                 "STATUS:COMPLETED\r\nEND:VTODO\r\n"
                 "BEGIN:VJOURNAL\r\nUID:j\r\nSUMMARY:Gesprächsnotiz\r\n"
                 "DTSTART:20240102T100000Z\r\nDESCRIPTION:Kunde will\\, dass\\; ok\\n2. Zeile\r\n"
                 "END:VJOURNAL\r\nEND:VCALENDAR\r\n", "2024-01-01T00:00:00Z", NULL);
    KontorIcalEntry *todo = g_ptr_array_index (r->entries, 0);

    g_assert_cmpuint (r->entries->len, ==, 2);
    g_assert_cmpstr (entry_string (r, 0, "type"), ==, "task");
    g_assert_cmpstr (entry_string (r, 0, "due"), ==, "2024-01-05T00:00:00Z");
    g_assert_true (json_object_get_boolean_member (todo->values, "done"));
    g_assert_true (json_object_get_boolean_member (todo->values, "all_day"));
    g_assert_cmpstr (entry_string (r, 1, "type"), ==, "note");
    g_assert_cmpstr (entry_string (r, 1, "body"), ==, "Kunde will, dass; ok\n2. Zeile");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/ical/corpus/outlook12-tab-folding", test_outlook12_tab_folding);
  ADD ("/ical/corpus/outlook11-quoted-tzid", test_outlook11_quoted_tzid);
  ADD ("/ical/corpus/exchange2010-blank-tzid", test_exchange2010_blank_tzid);
  ADD ("/ical/corpus/lotus-notes", test_lotus_notes);
  ADD ("/ical/corpus/nonascii-tzid", test_nonascii_tzid);
  ADD ("/ical/corpus/podio", test_podio);
  ADD ("/ical/corpus/missing-vtimezones", test_missing_vtimezones);
  ADD ("/ical/corpus/google-apple-location", test_google_apple_location);
  ADD ("/ical/corpus/google-birthday", test_google_birthday);
  ADD ("/ical/corpus/radicale-exdates", test_radicale_exdates);
  ADD ("/ical/corpus/thunderbird-latin1", test_thunderbird_latin1);
  ADD ("/ical/corpus/apple-overrides", test_apple_overrides);
  ADD ("/ical/corpus/exchange2007-german", test_exchange2007_german);
  ADD ("/ical/corpus/reimport", test_corpus_reimport);
  ADD ("/ical/round-trip/corpus", test_round_trip_corpus);
  ADD ("/ical/round-trip/made-here", test_round_trip_made_here);
  ADD ("/ical/export/wrong-kind", test_export_wrong_kind);
  ADD ("/ical/zones", test_zones);
  ADD ("/ical/recurrence/this-and-future", test_this_and_future);
  ADD ("/ical/recurrence/exdate-rdate", test_exdate_rdate);
  ADD ("/ical/recurrence/window", test_window);
  ADD ("/ical/hostile/whole-file", test_hostile_whole_file);
  ADD ("/ical/hostile/events", test_hostile_events);
  ADD ("/ical/hostile/count", test_hostile_count);
  ADD ("/ical/encodings-and-lines", test_encodings_and_lines);
#undef ADD

  return g_test_run ();
}
