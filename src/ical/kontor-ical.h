/* kontor-ical.h: iCalendar (.ics) import and export of activities
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_ICAL_ERROR (kontor_ical_error_quark ())

/* Errors about a whole file. Problems with single events are not errors:
 * they are listed as KontorIcalProblem and the rest of the file is read. */
typedef enum
{
  KONTOR_ICAL_ERROR_TOO_LARGE,   /* over KONTOR_ICAL_MAX_FILE_SIZE */
  KONTOR_ICAL_ERROR_EMPTY,
  KONTOR_ICAL_ERROR_INVALID,     /* not an iCalendar file at all */
  KONTOR_ICAL_ERROR_WRONG_KIND,  /* export of a query that is not of activities */
} KontorIcalError;

GQuark kontor_ical_error_quark (void);

/* Calendars are small; a file over this is refused before it is parsed. */
#define KONTOR_ICAL_MAX_FILE_SIZE (50 * 1024 * 1024)
/* Hard caps on recurrence expansion: occurrences of one series (more than
 * a daily series has in the default three-year window), iterator steps of
 * one series, and activities from one file. Hitting one is reported as a
 * problem. */
#define KONTOR_ICAL_MAX_OCCURRENCES 1500
#define KONTOR_ICAL_MAX_RECUR_STEPS 100000
#define KONTOR_ICAL_MAX_ACTIVITIES 50000

/* The custom field of the "activity" kind that keeps an event's identity
 * (see kontor-ical.c, "Identity"). */
#define KONTOR_ICAL_UID_FIELD "ical_uid"

typedef struct
{
  /* IANA zone for floating times (no TZID, no Z) and for time zones that
   * cannot be resolved. NULL: "Europe/Berlin". */
  const char *default_zone;
  /* Recurring events are expanded within [from, to). Either may be NULL;
   * the default window is one year before to two years after reference.
   * reference NULL means now (the wall clock: tests always pass one). */
  GDateTime  *reference;
  GDateTime  *from;
  GDateTime  *to;
} KontorIcalOptions;

/* Something about one event (or the file) that the user should know. */
typedef struct
{
  guint  line;      /* 1-based line in the file, 0 when not known */
  char  *uid;       /* the event's UID, or NULL */
  char  *message;   /* translated, one sentence */
} KontorIcalProblem;

void   kontor_ical_problem_free      (KontorIcalProblem       *problem);
/* "Line 12: …" or just the message. */
char  *kontor_ical_problem_to_string (const KontorIcalProblem *problem);

/* One activity read from a file. */
typedef struct
{
  JsonObject *values;   /* for kontor_store_create (store, "activity", …), with ical_uid */
  guint       line;     /* line of the component it came from */
} KontorIcalEntry;

/* What the reader made of a file. */
typedef struct
{
  GPtrArray *entries;        /* KontorIcalEntry, in file order, occurrences by time */
  GPtrArray *problems;       /* KontorIcalProblem */
  guint      n_components;   /* VEVENT, VTODO and VJOURNAL seen */
  guint      n_failed;       /* components that gave no activity because of a problem */
  guint      n_occurrences;  /* entries that came from expanding recurring events */
} KontorIcalResult;

void              kontor_ical_result_free (KontorIcalResult        *result);

/* Parses an .ics file into activity value sets without touching a store.
 * Fails only for the whole file (too large, empty, not iCalendar). */
KontorIcalResult *kontor_ical_read_bytes  (GBytes                  *bytes,
                                           const KontorIcalOptions *opts,
                                           GError                 **error);
KontorIcalResult *kontor_ical_read_file   (GFile                   *file,
                                           const KontorIcalOptions *opts,
                                           GCancellable            *cancellable,
                                           GError                 **error);

typedef struct
{
  guint      imported;
  guint      skipped;       /* already in the store (same ical_uid) */
  guint      failed;        /* unreadable events and activities the store refused */
  guint      occurrences;   /* of the imported ones, how many were recurrence occurrences */
  GPtrArray *problems;      /* KontorIcalProblem */
} KontorIcalSummary;

void      kontor_ical_summary_clear (KontorIcalSummary       *summary);

/* Imports the activities of an .ics file in one transaction, skipping
 * events that are in the store already. Registers the custom field
 * "ical_uid" of activities when the store does not have it. summary may
 * be NULL; otherwise it is filled (clear it with kontor_ical_summary_clear).
 * Returns FALSE only when nothing was imported because of an error. */
gboolean  kontor_ical_import        (KontorStore             *store,
                                     GFile                   *file,
                                     const KontorIcalOptions *opts,
                                     KontorIcalSummary       *summary,
                                     GError                 **error);
gboolean  kontor_ical_import_bytes  (KontorStore             *store,
                                     GBytes                  *bytes,
                                     const KontorIcalOptions *opts,
                                     KontorIcalSummary       *summary,
                                     GError                 **error);

/* Writes the activities of query (which must be of kind "activity") as an
 * iCalendar 2.0 file: appointments as VEVENTs, tasks as VTODOs, all times
 * in UTC. Activities with neither start nor due are left out. */
gboolean  kontor_ical_export        (KontorStore             *store,
                                     KontorQuery             *query,
                                     GOutputStream           *out,
                                     GError                 **error);
/* The text of one VEVENT/VTODO for the given activity values (as stored),
 * or NULL when the activity has no time to put in a calendar. id is used
 * as UID when values has no ical_uid. */
char     *kontor_ical_format_activity (JsonObject          *values,
                                       const char          *id);

/* The IANA name for a Windows time zone name ("W. Europe Standard
 * Time"), or NULL. */
const char *kontor_ical_windows_zone_to_iana (const char *windows_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorIcalResult, kontor_ical_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorIcalProblem, kontor_ical_problem_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KontorIcalSummary, kontor_ical_summary_clear)

G_END_DECLS
