/* kontor-ical-store.c: importing .ics files into the store, exporting activities
 *
 * Export format: VCALENDAR 2.0 with CRLF lines folded at 75 octets (never
 * inside a UTF-8 sequence) and TEXT values escaped as RFC 5545 3.3.11 says.
 * Appointments become VEVENTs, tasks (and activities with only a due date)
 * VTODOs with DUE and STATUS:COMPLETED when done; a type other than the
 * component's natural one is kept in X-KONTOR-TYPE, a done event in
 * X-KONTOR-DONE. Times are written in UTC ("…Z"), all-day activities as
 * VALUE=DATE of their UTC date. UID is the activity's ical_uid (its
 * RECURRENCE-ID part written as a RECURRENCE-ID property, so re-importing
 * finds the same identity) or the record id.
 *
 * DTSTAMP is required by RFC 5545 but Kontor keeps no modification time
 * in a record, and a wall-clock stamp would make every export of the same
 * data differ. It is therefore the activity's start (or due) time in UTC:
 * exports are deterministic and tests do not depend on the clock.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ical"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-ical-private.h"
#include "kontor-ical.h"

#define FOLD_OCTETS 75

/* ---------------------------------------------------------------------- */
/* Import                                                                 */

void
kontor_ical_summary_clear (KontorIcalSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->problems, g_ptr_array_unref);
  memset (summary, 0, sizeof *summary);
}

static gboolean
ensure_uid_field (KontorStore  *store,
                  GError      **error)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (store), "activity");

  if (kind == NULL)
    {
      g_set_error_literal (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_KIND,
                           _("The store has no activities"));
      return FALSE;
    }
  if (kontor_kind_get_field (kind, KONTOR_ICAL_UID_FIELD) != NULL)
    return TRUE;

  return kontor_store_add_custom_field (store, "activity", KONTOR_ICAL_UID_FIELD,
                                        _("Calendar UID"), "text", NULL, error) != NULL;
}

/* Whether a live activity has exactly this ical_uid. The query compares
 * folded text, so the match is checked again byte for byte. */
static gboolean
uid_exists (KontorStore  *store,
            const char   *key,
            gboolean     *exists,
            GError      **error)
{
  g_autoptr(KontorQuery) query = kontor_query_new ("activity");
  g_autoptr(GPtrArray) records = NULL;
  const char *values[] = { key, NULL };

  *exists = FALSE;
  kontor_query_add_condition (query, KONTOR_ICAL_UID_FIELD, KONTOR_QUERY_EQ, values);
  records = kontor_store_query (store, query, 0, 0, error);
  if (records == NULL)
    return FALSE;

  for (guint i = 0; i < records->len; i++)
    {
      const char *uid = kontor_record_get_string (g_ptr_array_index (records, i),
                                                  KONTOR_ICAL_UID_FIELD);

      if (g_strcmp0 (uid, key) == 0)
        {
          *exists = TRUE;
          break;
        }
    }
  return TRUE;
}

static char *
describe_entry (const KontorIcalEntry *entry)
{
  const char *subject = json_object_get_string_member_with_default (entry->values, "subject", "");
  const char *start = json_object_get_string_member_with_default (entry->values, "start", NULL);

  if (start == NULL)
    start = json_object_get_string_member_with_default (entry->values, "due", "");
  return g_strdup_printf ("“%s” (%s)", subject, start);
}

static gboolean
import_result (KontorStore       *store,
               KontorIcalResult  *result,
               KontorIcalSummary *summary,
               GError           **error)
{
  KontorIcalSummary local = { 0 };

  if (!ensure_uid_field (store, error))
    return FALSE;

  local.problems = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_ical_problem_free);
  local.failed = result->n_failed;
  g_ptr_array_extend_and_steal (local.problems, g_steal_pointer (&result->problems));
  result->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_ical_problem_free);

  if (!kontor_store_begin (store, error))
    {
      kontor_ical_summary_clear (&local);
      return FALSE;
    }

  for (guint i = 0; i < result->entries->len; i++)
    {
      const KontorIcalEntry *entry = g_ptr_array_index (result->entries, i);
      /* a copy: kontor_store_create() normalises the values in place */
      g_autofree char *key = g_strdup (json_object_get_string_member_with_default (
                                         entry->values, KONTOR_ICAL_UID_FIELD, NULL));
      g_autoptr(KontorRecord) record = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean exists = FALSE;

      if (key != NULL && !uid_exists (store, key, &exists, error))
        goto fail;
      if (exists)
        {
          local.skipped++;
          continue;
        }

      record = kontor_store_create (store, "activity", NULL, entry->values, NULL, &local_error);
      if (record == NULL)
        {
          g_autofree char *what = NULL;
          g_autofree char *message = NULL;

          if (!g_error_matches (local_error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto fail;
            }
          what = describe_entry (entry);
          /* TRANSLATORS: %s is an activity ("Standup" (2024-05-01T08:00:00Z)), then why */
          message = g_strdup_printf (_("%s was not imported: %s"), what, local_error->message);
          g_ptr_array_add (local.problems, _kontor_ical_problem_new (entry->line, key, message));
          local.failed++;
          continue;
        }

      local.imported++;
      if (key != NULL && strstr (key, KONTOR_ICAL_RID_SEPARATOR) != NULL)
        local.occurrences++;
    }

  if (!kontor_store_commit (store, error))
    {
      kontor_ical_summary_clear (&local);
      return FALSE;
    }

  if (summary != NULL)
    *summary = local;
  else
    kontor_ical_summary_clear (&local);
  return TRUE;

fail:
  kontor_store_rollback (store);
  kontor_ical_summary_clear (&local);
  return FALSE;
}

gboolean
kontor_ical_import_bytes (KontorStore             *store,
                          GBytes                  *bytes,
                          const KontorIcalOptions *opts,
                          KontorIcalSummary       *summary,
                          GError                 **error)
{
  g_autoptr(KontorIcalResult) result = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (summary != NULL)
    memset (summary, 0, sizeof *summary);

  result = kontor_ical_read_bytes (bytes, opts, error);
  if (result == NULL)
    return FALSE;
  return import_result (store, result, summary, error);
}

gboolean
kontor_ical_import (KontorStore             *store,
                    GFile                   *file,
                    const KontorIcalOptions *opts,
                    KontorIcalSummary       *summary,
                    GError                 **error)
{
  g_autoptr(KontorIcalResult) result = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (summary != NULL)
    memset (summary, 0, sizeof *summary);

  result = kontor_ical_read_file (file, opts, NULL, error);
  if (result == NULL)
    return FALSE;
  return import_result (store, result, summary, error);
}

/* ---------------------------------------------------------------------- */
/* Export                                                                 */

/* Appends name + value as one content line, folded. */
static void
append_line (GString    *out,
             const char *name,
             const char *value)
{
  g_autofree char *line = g_strconcat (name, value, NULL);
  gsize octets = 0;

  for (const char *p = line; *p; )
    {
      const char *next = g_utf8_next_char (p);
      gsize n = next - p;

      if (octets + n > FOLD_OCTETS)
        {
          g_string_append (out, "\r\n ");
          octets = 1;
        }
      g_string_append_len (out, p, n);
      octets += n;
      p = next;
    }
  g_string_append (out, "\r\n");
}

/* RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped */
static char *
escape_text (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 8);

  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case ';':
          g_string_append (out, "\\;");
          break;
        case ',':
          g_string_append (out, "\\,");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          break;
        default:
          /* other controls are not allowed in TEXT */
          g_string_append_c (out, (guchar) *p < 0x20 && *p != '\t' ? ' ' : *p);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

static void
append_text (GString    *out,
             const char *name,
             const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  escaped = escape_text (value);
  append_line (out, name, escaped);
}

static GDateTime *
parse_stored_time (JsonObject *values,
                   const char *field)
{
  const char *text = json_object_get_string_member_with_default (values, field, NULL);

  if (text == NULL)
    return NULL;
  return g_date_time_new_from_iso8601 (text, NULL);
}

static void
append_time (GString    *out,
             const char *name,
             GDateTime  *dt,
             gboolean    all_day)
{
  g_autofree char *value = NULL;
  g_autofree char *prefix = NULL;

  if (dt == NULL)
    return;
  if (all_day)
    {
      value = g_date_time_format (dt, "%Y%m%d");
      prefix = g_strconcat (name, ";VALUE=DATE:", NULL);
    }
  else
    {
      value = g_date_time_format (dt, "%Y%m%dT%H%M%SZ");
      prefix = g_strconcat (name, ":", NULL);
    }
  append_line (out, prefix, value);
}

char *
kontor_ical_format_activity (JsonObject *values,
                             const char *id)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *rid = NULL;
  const char *type;
  const char *component;
  gboolean all_day;
  gboolean todo;

  g_return_val_if_fail (values != NULL, NULL);

  type = json_object_get_string_member_with_default (values, "type", "meeting");
  all_day = json_object_get_boolean_member_with_default (values, "all_day", FALSE);
  start = parse_stored_time (values, "start");
  end = parse_stored_time (values, "end");
  due = parse_stored_time (values, "due");

  /* tasks, and whatever has only a due date, are to-dos */
  todo = (g_strcmp0 (type, "task") == 0 && (due != NULL || start != NULL)) ||
         (start == NULL && due != NULL);
  if (!todo && start == NULL)
    return NULL;
  component = todo ? "VTODO" : "VEVENT";

  _kontor_ical_split_uid (json_object_get_string_member_with_default (values,
                                                                      KONTOR_ICAL_UID_FIELD,
                                                                      NULL),
                          &uid, &rid);
  if (uid == NULL)
    uid = g_strdup (id ? id : "");

  out = g_string_new (NULL);
  append_line (out, "BEGIN:", component);
  append_text (out, "UID:", uid);
  if (rid != NULL)
    append_line (out, strlen (rid) == 8 ? "RECURRENCE-ID;VALUE=DATE:" : "RECURRENCE-ID:", rid);
  append_time (out, "DTSTAMP", start ? start : due, FALSE);
  append_time (out, "DTSTART", start, all_day);
  if (todo)
    {
      append_time (out, "DUE", due, all_day);
      if (json_object_get_boolean_member_with_default (values, "done", FALSE))
        append_line (out, "STATUS:", "COMPLETED");
    }
  else
    {
      append_time (out, "DTEND", end, all_day);
      /* an event has no standard way to say it is done */
      if (json_object_get_boolean_member_with_default (values, "done", FALSE))
        append_line (out, "X-KONTOR-DONE:", "TRUE");
    }
  append_text (out, "SUMMARY:", json_object_get_string_member_with_default (values, "subject",
                                                                            NULL));
  append_text (out, "LOCATION:", json_object_get_string_member_with_default (values, "location",
                                                                             NULL));
  append_text (out, "DESCRIPTION:", json_object_get_string_member_with_default (values, "body",
                                                                                NULL));
  if (g_strcmp0 (type, todo ? "task" : "meeting") != 0 && type != NULL)
    append_text (out, "X-KONTOR-TYPE:", type);
  append_line (out, "END:", component);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
write_text (GOutputStream  *out,
            const char     *text,
            GError        **error)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, error);
}

gboolean
kontor_ical_export (KontorStore    *store,
                    KontorQuery    *query,
                    GOutputStream  *out,
                    GError        **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GString) header = g_string_new (NULL);

  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (kontor_query_get_kind (query), "activity") != 0)
    {
      g_set_error (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_WRONG_KIND,
                   _("Only activities can be exported as a calendar, not “%s”"),
                   kontor_query_get_kind (query));
      return FALSE;
    }

  records = kontor_store_query (store, query, 0, 0, error);
  if (records == NULL)
    return FALSE;

  append_line (header, "BEGIN:", "VCALENDAR");
  append_line (header, "VERSION:", "2.0");
  append_line (header, "PRODID:", "-//Kontor//Kontor " PACKAGE_VERSION "//EN");
  append_line (header, "CALSCALE:", "GREGORIAN");
  if (!write_text (out, header->str, error))
    return FALSE;

  for (guint i = 0; i < records->len; i++)
    {
      KontorRecord *record = g_ptr_array_index (records, i);
      g_autofree char *text = kontor_ical_format_activity (kontor_record_get_values (record),
                                                           kontor_record_get_id (record));

      if (text != NULL && !write_text (out, text, error))
        return FALSE;
    }

  return write_text (out, "END:VCALENDAR\r\n", error);
}
