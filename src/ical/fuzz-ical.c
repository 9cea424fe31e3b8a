/* fuzz-ical.c: libFuzzer target for the iCalendar reader
 *
 * Feeds the bytes to kontor_ical_read_bytes() with a fixed, short window,
 * writes every activity read back as iCalendar text and reads that again:
 * the second read must keep each written event.
 *
 * libFuzzer adds new inputs to the first directory it is given, so give it
 * a scratch one before the shared corpus (which it then only reads):
 *
 *   mkdir -p /tmp/fuzz-ical && ./fuzz-ical -max_total_time=60 \
 *     -dict=src/ical/fuzz-ical.dict /tmp/fuzz-ical ../shared/corpus/ics
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ical"

#include "config.h"

#include <glib/gi18n.h>
#include <libical/ical.h>
#include <stdint.h>
#include <string.h>

#include "kontor-ical.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A short window keeps recurring events cheap; it covers the corpus'
 * series of 2016-2018. */
static KontorIcalResult *
read_text (const char *data,
           gsize       size,
           GDateTime  *reference)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GDateTime) from = g_date_time_new_utc (2017, 6, 1, 0, 0, 0);
  g_autoptr(GDateTime) to = g_date_time_new_utc (2017, 12, 1, 0, 0, 0);
  KontorIcalOptions opts = { "Europe/Berlin", reference, from, to };

  return kontor_ical_read_bytes (bytes, &opts, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GDateTime) reference = g_date_time_new_utc (2017, 9, 1, 0, 0, 0);
  g_autoptr(KontorIcalResult) result = NULL;
  g_autoptr(KontorIcalResult) again = NULL;
  g_autoptr(GString) text = NULL;
  guint written = 0;

  result = read_text ((const char *) data, size, reference);
  if (result == NULL)
    {
      icalmemory_free_ring ();
      return 0;
    }

  text = g_string_new ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kontor//fuzz//EN\r\n");
  for (guint i = 0; i < result->entries->len; i++)
    {
      KontorIcalEntry *entry = g_ptr_array_index (result->entries, i);
      g_autofree char *component = kontor_ical_format_activity (entry->values, "fuzz");

      if (component == NULL)
        continue;
      g_string_append (text, component);
      written++;
    }
  g_string_append (text, "END:VCALENDAR\r\n");

  /* occurrences are written as single events with their RECURRENCE-ID,
   * which no window may drop: read them back without one */
  {
    g_autoptr(GDateTime) from = g_date_time_new_utc (1, 1, 1, 0, 0, 0);
    g_autoptr(GDateTime) to = g_date_time_new_utc (9999, 12, 31, 0, 0, 0);
    g_autoptr(GBytes) bytes = g_bytes_new_static (text->str, text->len);
    KontorIcalOptions opts = { "Europe/Berlin", reference, from, to };

    again = kontor_ical_read_bytes (bytes, &opts, NULL);
  }
  if (written > 0 && (again == NULL || again->entries->len != written))
    {
      g_printerr ("%s", text->str);
      g_error ("round trip changed the number of activities: %u written, %u read",
               written, again ? again->entries->len : 0);
    }

  /* libical keeps temporary strings in a ring; emptying it keeps mallocs
   * and frees of a run balanced, so libFuzzer's leak check stays cheap and
   * reports only real leaks */
  icalmemory_free_ring ();
  return 0;
}
