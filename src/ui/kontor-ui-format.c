/* kontor-ui-format.c: values and dates as people read them, and toasts
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "kontor-ui-format.h"

static const struct
{
  const char *code;
  const char *symbol;
  guint       digits;
} currencies[] = {
  { "EUR", "€", 2 }, { "USD", "$", 2 }, { "GBP", "£", 2 }, { "JPY", "¥", 0 },
  { "CHF", "CHF", 2 }, { "KRW", "₩", 0 }, { "ISK", "kr", 0 }, { "INR", "₹", 2 },
  { "PLN", "zł", 2 }, { "CZK", "Kč", 2 }, { "SEK", "kr", 2 }, { "DKK", "kr.", 2 },
  { "NOK", "kr", 2 },
};

char *
kontor_ui_format_money_full (gint64      minor,
                             const char *currency,
                             const char *decimal_point,
                             const char *thousands_sep,
                             gboolean    symbol_first,
                             gboolean    space)
{
  const char *symbol = currency != NULL ? currency : "";
  guint digits = 2;
  guint64 abs_minor, scale = 1, major, frac;
  g_autoptr(GString) amount = g_string_new (NULL);
  g_autofree char *major_text = NULL;
  gsize len;

  for (guint i = 0; currency != NULL && i < G_N_ELEMENTS (currencies); i++)
    if (g_str_equal (currencies[i].code, currency))
      {
        symbol = currencies[i].symbol;
        digits = currencies[i].digits;
        break;
      }

  for (guint i = 0; i < digits; i++)
    scale *= 10;
  abs_minor = minor < 0 ? (guint64) -(minor + 1) + 1 : (guint64) minor;
  major = abs_minor / scale;
  frac = abs_minor % scale;

  major_text = g_strdup_printf ("%" G_GUINT64_FORMAT, major);
  len = strlen (major_text);
  if (minor < 0)
    g_string_append (amount, "−");
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0 && thousands_sep != NULL)
        g_string_append (amount, thousands_sep);
      g_string_append_c (amount, major_text[i]);
    }
  if (digits > 0)
    g_string_append_printf (amount, "%s%0*" G_GUINT64_FORMAT,
                            decimal_point ? decimal_point : ".", (int) digits, frac);

  if (symbol_first)
    return g_strdup_printf ("%s%s%s", symbol, space ? " " : "", amount->str);
  return g_strdup_printf ("%s%s%s", amount->str, space ? " " : "", symbol);
}

char *
kontor_ui_format_money (gint64      minor,
                        const char *currency)
{
  struct lconv *lc = localeconv ();
  const char *point = lc->mon_decimal_point;
  const char *sep = lc->mon_thousands_sep;
  gboolean first = TRUE;
  gboolean space;
  const char *symbol = currency;

  if (point == NULL || *point == '\0')
    point = *lc->decimal_point ? lc->decimal_point : ".";
  if (sep == NULL)
    sep = "";
  if (lc->p_cs_precedes != CHAR_MAX)
    first = lc->p_cs_precedes != 0;

  for (guint i = 0; currency != NULL && i < G_N_ELEMENTS (currencies); i++)
    if (g_str_equal (currencies[i].code, currency))
      symbol = currencies[i].symbol;

  /* a spelled-out code always needs a space; a sign only where the
   * locale puts one */
  if (lc->p_sep_by_space != CHAR_MAX)
    space = lc->p_sep_by_space != 0;
  else
    space = !first;
  if (symbol != NULL && g_unichar_isalpha (g_utf8_get_char (symbol)) &&
      g_utf8_strlen (symbol, -1) > 1)
    space = TRUE;

  return kontor_ui_format_money_full (minor, currency, point, sep, first, space);
}

static void
date_from_datetime (GDateTime *dt,
                    GDate     *date)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (dt),
                  g_date_time_get_month (dt), g_date_time_get_year (dt));
}

char *
kontor_ui_format_when (const char  *iso_datetime,
                       const GDate *today,
                       gboolean     with_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;
  GDate date;
  int diff;

  if (iso_datetime == NULL)
    return g_strdup ("");
  utc = g_date_time_new_from_iso8601 (iso_datetime, NULL);
  if (utc == NULL)
    return g_strdup (iso_datetime);
  local = g_date_time_to_local (utc);
  date_from_datetime (local, &date);
  diff = g_date_days_between (today, &date);
  time = g_date_time_format (local, "%H:%M");

  if (diff == 0)
    /* Translators: %s is a time of day */
    return with_time ? g_strdup_printf (_("Today, %s"), time) : g_strdup (_("Today"));
  if (diff == 1)
    /* Translators: %s is a time of day */
    return with_time ? g_strdup_printf (_("Tomorrow, %s"), time) : g_strdup (_("Tomorrow"));
  if (diff == -1)
    /* Translators: %s is a time of day */
    return with_time ? g_strdup_printf (_("Yesterday, %s"), time) : g_strdup (_("Yesterday"));

  {
    g_autofree char *day = g_date_time_format (local, "%x");

    /* Translators: a date, then a time of day */
    return with_time ? g_strdup_printf (_("%s, %s"), day, time) : g_steal_pointer (&day);
  }
}

char *
kontor_ui_format_date (const char *iso_date)
{
  GDate date;
  char buf[64];

  int y, m, d;

  if (iso_date == NULL)
    return g_strdup ("");
  if (sscanf (iso_date, "%d-%d-%d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return g_strdup (iso_date);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  if (g_date_strftime (buf, sizeof buf, "%x", &date) == 0)
    return g_strdup (iso_date);
  return g_strdup (buf);
}

char *
kontor_ui_day_start_utc (const GDate *day,
                         int          add_days)
{
  GDate d = *day;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (add_days > 0)
    g_date_add_days (&d, add_days);
  else if (add_days < 0)
    g_date_subtract_days (&d, -add_days);
  local = g_date_time_new_local (g_date_get_year (&d), g_date_get_month (&d),
                                 g_date_get_day (&d), 0, 0, 0);
  utc = g_date_time_to_utc (local);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

void
kontor_ui_parse_today (const char *text,
                       GDate      *date)
{
  int y, m, d;

  g_date_clear (date, 1);
  if (text != NULL && sscanf (text, "%d-%d-%d", &y, &m, &d) == 3 && g_date_valid_dmy (d, m, y))
    {
      g_date_set_dmy (date, d, m, y);
      return;
    }

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    date_from_datetime (now, date);
  }
}

gboolean
kontor_ui_add_toast (GtkWidget *widget,
                     AdwToast  *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      g_object_unref (toast);
      return FALSE;
    }

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return TRUE;
}

typedef struct
{
  KontorStore *store;
  char        *id;
  gboolean     done;
} UndoDone;

static void
undo_done_free (gpointer  data,
                GClosure *closure)
{
  UndoDone *undo = data;

  g_object_unref (undo->store);
  g_free (undo->id);
  g_free (undo);
}

static void
on_undo_done (AdwToast *toast,
              UndoDone *undo)
{
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(KontorRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_boolean_member (changes, "done", undo->done);
  record = kontor_store_update (undo->store, undo->id, changes, NULL, &error);
  if (record == NULL)
    g_warning ("Cannot undo: %s", error->message);
}

gboolean
kontor_ui_set_activity_done (GtkWidget    *widget,
                             KontorStore  *store,
                             const char   *activity_id,
                             gboolean      done,
                             gboolean     *toasted,
                             GError      **error)
{
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(KontorRecord) record = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;
  UndoDone *undo;

  if (toasted != NULL)
    *toasted = FALSE;
  json_object_set_boolean_member (changes, "done", done);
  record = kontor_store_update (store, activity_id, changes, NULL, error);
  if (record == NULL)
    return FALSE;

  title = g_strdup_printf (done ? _("“%s” done") : _("“%s” open again"),
                           kontor_record_get_title (record));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  undo = g_new0 (UndoDone, 1);
  undo->store = g_object_ref (store);
  undo->id = g_strdup (activity_id);
  undo->done = !done;
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_done), undo,
                         undo_done_free, 0);
  if (kontor_ui_add_toast (widget, toast) && toasted != NULL)
    *toasted = TRUE;
  return TRUE;
}
