/* kontor-format.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <locale.h>
#include <string.h>

#include "kontor-format.h"
#include "kontor-ui-format.h"
#include "kontor-validate.h"

char *
kontor_format_date (const char *iso_date)
{
  int y, m, d;

  /* NULL for what is not a date; the formatting is the Today page's */
  if (iso_date == NULL || sscanf (iso_date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return NULL;
  return kontor_ui_format_date (iso_date);
}

char *
kontor_format_datetime (const char *iso_datetime)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;

  if (iso_datetime == NULL)
    return NULL;

  utc = g_date_time_new_from_iso8601 (iso_datetime, tz);
  if (utc == NULL)
    return NULL;
  local = g_date_time_to_local (utc);
  date = g_date_time_format (local, "%x");
  time = g_date_time_format (local, "%H:%M");

  /* Translators: a date and a time of day, e.g. "03.12.2026, 09:30" */
  return g_strdup_printf (_("%s, %s"), date, time);
}

/* Digit grouping by hand: the locale's separator from localeconv(), in
 * groups of three (what every locale Kontor ships uses). */
static char *
group_digits (guint64 value)
{
  const char *sep = localeconv ()->thousands_sep;
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  if (sep == NULL || *sep == '\0')
    sep = NULL;

  for (gsize i = 0; i < len; i++)
    {
      if (sep != NULL && i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

char *
kontor_format_integer (gint64 value)
{
  guint64 abs_value = value < 0 ? -(guint64) value : (guint64) value;
  g_autofree char *grouped = group_digits (abs_value);

  return g_strdup_printf ("%s%s", value < 0 ? "-" : "", grouped);
}

/* The built-in kinds' choices as people read them; the stored value stays
 * the key (it syncs and imports as it is). Custom choices are their own
 * labels. */
static const struct { const char *key; const char *label; } choice_labels[] = {
  { "subscriber", N_("Subscriber") }, { "lead", N_("Lead") },
  { "opportunity", N_("Opportunity") }, { "customer", N_("Customer") },
  { "evangelist", N_("Evangelist") }, { "other", N_("Other") },
  { "website", N_("Website") }, { "social_media", N_("Social media") },
  { "email", N_("E-mail") }, { "event", N_("Event") }, { "referral", N_("Referral") },
  { "cold_call", N_("Cold call") }, { "partner", N_("Partner") },
  { "new", N_("New") }, { "contacted", N_("Contacted") }, { "qualified", N_("Qualified") },
  { "disqualified", N_("Disqualified") }, { "converted", N_("Converted") },
  { "open", N_("Open") }, { "won", N_("Won") }, { "lost", N_("Lost") },
  { "task", N_("Task") }, { "call", N_("Call") }, { "meeting", N_("Meeting") },
  { "note", N_("Note") },
  { "rep", N_("Sales rep") }, { "manager", N_("Manager") }, { "admin", N_("Administrator") },
  { "marketing", N_("Marketing") }, { "service", N_("Service") },
};

const char *
kontor_format_choice (const char *choice)
{
  for (guint i = 0; choice != NULL && i < G_N_ELEMENTS (choice_labels); i++)
    if (g_str_equal (choice_labels[i].key, choice))
      return _(choice_labels[i].label);
  return choice;
}

char *
kontor_format_value (KontorField *field,
                     JsonNode    *value)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("");

  switch (kontor_field_get_field_type (field))
    {
    case KONTOR_FIELD_DATE:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        {
          char *text = kontor_format_date (json_node_get_string (value));
          if (text != NULL)
            return text;
        }
      break;

    case KONTOR_FIELD_DATETIME:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        {
          char *text = kontor_format_datetime (json_node_get_string (value));
          if (text != NULL)
            return text;
        }
      break;

    case KONTOR_FIELD_INTEGER:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
        return kontor_format_integer (json_node_get_int (value));
      break;

    case KONTOR_FIELD_MONEY:
      if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *obj = json_node_get_object (value);

          return kontor_ui_format_money (json_object_get_int_member_with_default (obj, "minor", 0),
                                         json_object_get_string_member_with_default (obj, "currency",
                                                                                     ""));
        }
      break;

    case KONTOR_FIELD_BOOLEAN:
      if (JSON_NODE_HOLDS_VALUE (value))
        return g_strdup (json_node_get_boolean (value) ? _("Yes") : _("No"));
      break;

    case KONTOR_FIELD_CHOICE:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        return g_strdup (kontor_format_choice (json_node_get_string (value)));
      break;

    case KONTOR_FIELD_TEXT:
    case KONTOR_FIELD_LONG_TEXT:
    case KONTOR_FIELD_DECIMAL:
    case KONTOR_FIELD_MULTI_CHOICE:
    case KONTOR_FIELD_REFERENCE:
    case KONTOR_FIELD_EMAIL:
    case KONTOR_FIELD_PHONE:
    case KONTOR_FIELD_URL:
    case KONTOR_FIELD_BLOB:
    case KONTOR_N_FIELD_TYPES:
    default:
      break;
    }

  return kontor_field_format (field, value);
}

static gint64
parse_time (const char *text)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  if (text == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (text, tz);
  if (dt == NULL && sscanf (text, "%4d-%2d-%2d", &y, &m, &d) == 3 && strlen (text) == 10)
    dt = g_date_time_new_utc (y, m, d, 0, 0, 0);

  return dt ? g_date_time_to_unix (dt) : 0;
}

gint64
kontor_format_record_time (KontorRecord *record)
{
  static const char * const fields[] = {
    "start", "due", "recorded_at", "close_date", "engaged_date",
  };
  const char *id;
  guint64 ms = 0;
  guint n = 0;

  g_return_val_if_fail (KONTOR_IS_RECORD (record), 0);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gint64 t = parse_time (kontor_record_get_string (record, fields[i]));

      if (t != 0)
        return t;
    }

  /* UUIDv7: the first 48 bits are the creation time in milliseconds */
  id = kontor_record_get_id (record);
  for (const char *p = id; p && *p && n < 12; p++)
    {
      if (*p == '-')
        continue;
      if (!g_ascii_isxdigit (*p))
        return 0;
      ms = (ms << 4) | (guint64) g_ascii_xdigit_value (*p);
      n++;
    }

  return n == 12 ? (gint64) (ms / 1000) : 0;
}
