/* kontor-ical.c: reading iCalendar files into activity value sets
 *
 * What an event becomes (the activity kind of kontor-schema.c):
 *
 * - VEVENT → type "meeting", VTODO → "task" (due from DUE, done from
 *   STATUS:COMPLETED or a COMPLETED property), VJOURNAL → "note". An
 *   X-KONTOR-TYPE property (written by our exporter) names the type, and
 *   X-KONTOR-DONE:TRUE marks a done event.
 * - subject from SUMMARY on one line; an event without one (Outlook
 *   invitations often have none) gets the translated "(no title)", since
 *   subject is required and the event is still worth having.
 * - location from LOCATION, its lines joined with ", " (the field is one
 *   line); body from DESCRIPTION, surrounding white space removed.
 * - Times are stored in UTC ("YYYY-MM-DDTHH:MM:SSZ"). An all-day event
 *   (VALUE=DATE) has all_day true, start at the date's 00:00:00Z and end at
 *   the exclusive DTEND date's 00:00:00Z, exactly as the file says, so that
 *   the exporter writes the same dates back. Without DTEND or DURATION the
 *   end is left empty rather than invented (RFC 5545 then means one day for
 *   all-day and no length for timed events). An end before the start is
 *   dropped with a problem.
 *
 * Time zones, in this order: the file's own VTIMEZONE of that TZID (RFC
 * 5545 says it is authoritative); an IANA name from libical's built-in
 * database (also after stripping quotes and prefixes such as
 * "/mozilla.org/20050126_1/Europe/Berlin"); a Windows zone name through
 * kontor-ical-zones.c; a fixed offset written in the name ("(UTC-03:00)
 * Brasília"); else the default zone, with a problem. A blank TZID uses the
 * file's VTIMEZONE without an id if there is one (Exchange 2010 writes
 * both), else the default zone. Floating times (no TZID, no Z) are in the
 * default zone (KontorIcalOptions.default_zone, "Europe/Berlin").
 *
 * Recurrence: RRULEs and RDATEs minus EXDATEs (compared as instants, so an
 * EXDATE in UTC removes the right local occurrence across DST) are
 * expanded into one activity per occurrence that starts inside the window
 * [from, to). Overrides (same UID with RECURRENCE-ID) replace the
 * occurrence they name; STATUS:CANCELLED removes it. RANGE=THISANDFUTURE
 * overrides apply to every later occurrence not overridden by itself: each
 * is shifted by the override's start minus its recurrence id, gets the
 * override's length and its texts. Overrides without a master in the file
 * are imported as single events. A series stops at
 * KONTOR_ICAL_MAX_OCCURRENCES occurrences or KONTOR_ICAL_MAX_RECUR_STEPS
 * iterator steps, with a problem saying so. VTODOs are not expanded.
 *
 * Identity: the activity kind has no place for a UID, so the importer adds
 * the custom text field "ical_uid". It holds the UID, and for an
 * occurrence of a series "<UID>;RECURRENCE-ID=<original start in UTC, or
 * the date for all-day series>". Events without UID (Thunderbird's
 * importLatin1 test file has none) get "kontor-" and a SHA-256 of their
 * properties except DTSTAMP, so that importing the same file again finds
 * them too.
 *
 * Problems: libical marks what it could not parse with X-LIC-ERROR
 * properties; those of an event and of the calendar become problems with
 * the line of the property. Its complaints about empty values ("No value
 * for LOCATION property") are left out: an empty property is as good as an
 * absent one. Text that is not UTF-8 is read as Windows-1252 (Latin-1) byte
 * by byte, with one problem naming the first such line.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ical"

#include "config.h"

#include <glib/gi18n.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "kontor-ical-private.h"
#include "kontor-ical.h"

G_DEFINE_QUARK (kontor-ical-error-quark, kontor_ical_error)

#define DEFAULT_ZONE "Europe/Berlin"
/* deeper nesting than any real calendar; libical frees components
 * recursively */
#define MAX_NESTING 64
#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

/* ---------------------------------------------------------------------- */
/* Problems, results                                                      */

KontorIcalProblem *
_kontor_ical_problem_new (guint       line,
                          const char *uid,
                          const char *message)
{
  KontorIcalProblem *problem = g_new0 (KontorIcalProblem, 1);

  problem->line = line;
  problem->uid = g_strdup (uid);
  problem->message = g_strdup (message);
  return problem;
}

void
kontor_ical_problem_free (KontorIcalProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->uid);
  g_free (problem->message);
  g_free (problem);
}

char *
kontor_ical_problem_to_string (const KontorIcalProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->line == 0)
    return g_strdup (problem->message);
  /* TRANSLATORS: a problem found in one line of an imported calendar file */
  return g_strdup_printf (_("Line %u: %s"), problem->line, problem->message);
}

static void
entry_free (KontorIcalEntry *entry)
{
  g_clear_pointer (&entry->values, json_object_unref);
  g_free (entry);
}

void
kontor_ical_result_free (KontorIcalResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->entries, g_ptr_array_unref);
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_free (result);
}

static KontorIcalResult *
result_new (void)
{
  KontorIcalResult *result = g_new0 (KontorIcalResult, 1);

  result->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  result->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_ical_problem_free);
  return result;
}

void
_kontor_ical_split_uid (const char  *ical_uid,
                        char       **uid,
                        char       **rid)
{
  const char *sep = NULL;
  const char *p = ical_uid;

  *uid = NULL;
  *rid = NULL;
  if (ical_uid == NULL)
    return;

  /* the last separator: a UID may contain anything */
  while ((p = strstr (p, KONTOR_ICAL_RID_SEPARATOR)) != NULL)
    sep = p++;

  if (sep != NULL)
    {
      const char *r = sep + strlen (KONTOR_ICAL_RID_SEPARATOR);
      gsize len = strlen (r);
      gboolean ok = FALSE;

      if (len == 8)
        ok = strspn (r, "0123456789") == 8;
      else if (len == 16)
        ok = strspn (r, "0123456789") == 8 && r[8] == 'T' &&
             strspn (r + 9, "0123456789") == 6 && r[15] == 'Z';

      if (ok && sep > ical_uid)
        {
          *uid = g_strndup (ical_uid, sep - ical_uid);
          *rid = g_strdup (r);
          return;
        }
    }

  *uid = g_strdup (ical_uid);
}

/* ---------------------------------------------------------------------- */
/* Bytes to text                                                          */

typedef struct
{
  guint    phys;   /* 1-based physical line where the logical line starts */
  char    *text;   /* unfolded, UTF-8, no line end */
  gboolean stray;  /* an END without BEGIN, not passed to libical */
} Line;

static void
line_free (Line *line)
{
  g_free (line->text);
  g_free (line);
}

/* Windows-1252 0x80..0x9F; 0xA0..0xFF are Latin-1 */
static const gunichar cp1252_high[32] = {
  0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
  0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Valid UTF-8 stays; every byte of an invalid sequence is read as
 * Windows-1252. Returns whether anything had to be converted. */
static gboolean
append_repaired (GString    *out,
                 const char *text,
                 gsize       len)
{
  const char *p = text;
  const char *end = text + len;
  gboolean repaired = FALSE;

  while (p < end)
    {
      const char *valid_end;
      guchar c;

      g_utf8_validate_len (p, end - p, &valid_end);
      g_string_append_len (out, p, valid_end - p);
      p = valid_end;
      if (p >= end)
        break;

      c = (guchar) *p++;
      repaired = TRUE;
      if (c == 0)
        continue;   /* a NUL would end the text for libical */
      if (c >= 0x80 && c < 0xA0)
        g_string_append_unichar (out, cp1252_high[c - 0x80]);
      else
        g_string_append_unichar (out, c);
    }

  return repaired;
}

/* Turns UTF-16 (with BOM, or recognisably without one) into UTF-8 and skips
 * a UTF-8 BOM. Returns the bytes to read, owned by *storage or by data. */
static const char *
strip_bom (const guint8  *data,
           gsize          len,
           gsize         *out_len,
           char         **storage,
           GError       **error)
{
  const char *from = NULL;
  gsize skip = 0;

  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      *out_len = len - 3;
      return (const char *) data + 3;
    }

  if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    {
      from = "UTF-16LE";
      skip = 2;
    }
  else if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    {
      from = "UTF-16BE";
      skip = 2;
    }
  else if (len >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0)
    from = "UTF-16LE";
  else if (len >= 4 && data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0)
    from = "UTF-16BE";

  if (from != NULL)
    {
      g_autoptr(GError) local = NULL;
      gsize written = 0;

      *storage = g_convert ((const char *) data + skip, (len - skip) & ~(gsize) 1,
                            "UTF-8", from, NULL, &written, &local);
      if (*storage == NULL)
        {
          g_set_error (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_INVALID,
                       _("The file looks like UTF-16 text but cannot be read: %s"),
                       local->message);
          return NULL;
        }
      *out_len = written;
      return *storage;
    }

  *out_len = len;
  return (const char *) data;
}

static void
flush_line (GPtrArray *lines,
            GString   *raw,
            guint      phys,
            gboolean  *have_raw,
            guint     *first_repaired)
{
  Line *l;
  GString *text;

  if (!*have_raw)
    return;

  l = g_new0 (Line, 1);
  text = g_string_sized_new (raw->len);
  l->phys = phys;
  if (append_repaired (text, raw->str, raw->len) && *first_repaired == 0)
    *first_repaired = phys;
  l->text = g_string_free (text, FALSE);
  g_ptr_array_add (lines, l);
  g_string_truncate (raw, 0);
  *have_raw = FALSE;
}

/* Splits into physical lines (CRLF, LF or a lone CR), unfolds lines that
 * start with a space or TAB, and repairs encodings per logical line (after
 * unfolding, since folding may split a UTF-8 sequence). */
static GPtrArray *
split_lines (const char *text,
             gsize       len,
             guint      *first_repaired)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  g_autoptr(GString) raw = g_string_new (NULL);
  const char *p = text;
  const char *end = text + len;
  guint phys = 0;
  guint raw_phys = 0;
  gboolean have_raw = FALSE;

  *first_repaired = 0;

  while (p < end)
    {
      const char *eol = p;
      const char *next;

      while (eol < end && *eol != '\n' && *eol != '\r')
        eol++;
      next = eol;
      if (next < end && *next == '\r')
        next++;
      if (next < end && *next == '\n' && (next == eol || *eol == '\r'))
        next++;
      if (next == eol)   /* the last line, without line end */
        next = end;
      phys++;

      if ((*p == ' ' || *p == '\t') && have_raw && eol > p)
        g_string_append_len (raw, p + 1, eol - p - 1);
      else if (eol > p)
        {
          flush_line (lines, raw, raw_phys, &have_raw, first_repaired);
          g_string_append_len (raw, p, eol - p);
          raw_phys = phys;
          have_raw = TRUE;
        }

      p = next;
    }
  flush_line (lines, raw, raw_phys, &have_raw, first_repaired);

  return g_steal_pointer (&lines);
}

/* ---------------------------------------------------------------------- */
/* The reader                                                             */

typedef struct
{
  guint begin;   /* index into lines */
  guint end;
} Span;

typedef struct
{
  icalcomponent *comp;
  icalcomponent_kind kind;
  guint          line;       /* physical line of BEGIN, 0 if unknown */
  Span           span;       /* lines of the component, or {0, 0} */
  gboolean       has_span;
  const char    *uid;        /* borrowed from comp, may be NULL */
  char          *key;        /* identity (UID or synthetic) */
  GPtrArray     *overrides;  /* Comp*, borrowed; for masters */
  gboolean       attached;   /* an override handled with its master */
} Comp;

typedef struct
{
  KontorIcalResult *result;
  icaltimezone     *default_zone;
  char             *default_zone_name;
  gint64            from;
  gint64            to;
  GPtrArray        *lines;          /* Line */
  GArray           *spans;          /* Span of each VEVENT/VTODO/VJOURNAL, file order */
  guint             span_cursor;
  gboolean          spans_usable;
  GHashTable       *vtimezones;     /* normalised TZID → icaltimezone (in owned_zones) */
  GHashTable       *resolved;       /* TZID as written → icaltimezone (borrowed) */
  GPtrArray        *owned_zones;    /* icaltimezone, freed with their components */
  gboolean          total_capped;
} Reader;

typedef struct
{
  gboolean            set;
  gboolean            is_date;
  struct icaltimetype local;   /* as written, zone cleared */
  icaltimezone       *zone;    /* NULL for dates */
  gint64              utc;     /* seconds; a date counts as its 00:00:00Z */
} When;

static void
comp_free (Comp *c)
{
  g_free (c->key);
  g_clear_pointer (&c->overrides, g_ptr_array_unref);
  g_free (c);
}

static void
owned_zone_free (icaltimezone *zone)
{
  icaltimezone_free (zone, 1);
}

static void
reader_clear (Reader *r)
{
  g_clear_pointer (&r->lines, g_ptr_array_unref);
  g_clear_pointer (&r->spans, g_array_unref);
  g_clear_pointer (&r->vtimezones, g_hash_table_unref);
  g_clear_pointer (&r->resolved, g_hash_table_unref);
  g_clear_pointer (&r->owned_zones, g_ptr_array_unref);
  g_clear_pointer (&r->default_zone_name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reader, reader_clear)

static void
add_problem (Reader     *r,
             guint       line,
             const char *uid,
             const char *message)
{
  g_ptr_array_add (r->result->problems, _kontor_ical_problem_new (line, uid, message));
}

static void G_GNUC_PRINTF (4, 5)
add_problemf (Reader     *r,
              guint       line,
              const char *uid,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  add_problem (r, line, uid, message);
}

/* Properties collected first: libical iterates a component's properties
 * with one cursor per component, which any nested lookup resets. */
static GPtrArray *
collect_props (icalcomponent      *comp,
               icalproperty_kind   kind)
{
  GPtrArray *props = g_ptr_array_new ();

  for (icalproperty *p = icalcomponent_get_first_property (comp, kind);
       p != NULL;
       p = icalcomponent_get_next_property (comp, kind))
    g_ptr_array_add (props, p);

  return props;
}

static GPtrArray *
collect_children (icalcomponent      *comp,
                  icalcomponent_kind  kind)
{
  GPtrArray *children = g_ptr_array_new ();

  for (icalcomponent *c = icalcomponent_get_first_component (comp, kind);
       c != NULL;
       c = icalcomponent_get_next_component (comp, kind))
    g_ptr_array_add (children, c);

  return children;
}

/* --- the line structure of the file ----------------------------------- */

static gboolean
line_is (const char *line,
         const char *prefix,
         const char **rest)
{
  gsize n = strlen (prefix);

  if (g_ascii_strncasecmp (line, prefix, n) != 0)
    return FALSE;
  *rest = line + n;
  return TRUE;
}

static gboolean
name_is (const char *text,
         const char *name)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));

  return g_ascii_strcasecmp (copy, name) == 0;
}

/* Finds the VEVENT/VTODO/VJOURNAL blocks directly inside a VCALENDAR, in
 * file order, and the deepest nesting. */
static void
scan_structure (Reader *r,
                guint  *max_depth)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) open_spans = g_array_new (FALSE, FALSE, sizeof (gint));

  *max_depth = 0;
  for (guint i = 0; i < r->lines->len; i++)
    {
      Line *l = g_ptr_array_index (r->lines, i);
      const char *rest;

      if (line_is (l->text, "BEGIN:", &rest))
        {
          g_autofree char *name = g_ascii_strup (rest, -1);
          gint span_index = -1;

          g_strstrip (name);
          if (stack->len > 0 &&
              g_str_equal (g_ptr_array_index (stack, stack->len - 1), "VCALENDAR") &&
              (g_str_equal (name, "VEVENT") || g_str_equal (name, "VTODO") ||
               g_str_equal (name, "VJOURNAL")))
            {
              Span span = { i, r->lines->len - 1 };

              g_array_append_val (r->spans, span);
              span_index = (gint) r->spans->len - 1;
            }
          g_ptr_array_add (stack, g_steal_pointer (&name));
          g_array_append_val (open_spans, span_index);
          *max_depth = MAX (*max_depth, stack->len);
        }
      else if (line_is (l->text, "END:", &rest))
        {
          g_autofree char *name = g_ascii_strup (rest, -1);
          gint depth;

          g_strstrip (name);
          /* close up to the matching BEGIN, as a forgiving parser would */
          for (depth = (gint) stack->len - 1; depth >= 0; depth--)
            if (g_str_equal (g_ptr_array_index (stack, depth), name))
              break;
          if (depth < 0)
            {
              /* libical would complain on stderr and ignore it */
              l->stray = TRUE;
              continue;
            }
          while ((gint) stack->len > depth)
            {
              gint span_index = g_array_index (open_spans, gint, open_spans->len - 1);

              if (span_index >= 0)
                g_array_index (r->spans, Span, span_index).end = i;
              g_ptr_array_remove_index (stack, stack->len - 1);
              g_array_remove_index (open_spans, open_spans->len - 1);
            }
        }
    }
}

static guint
phys_line (Reader *r,
           guint   index)
{
  if (index >= r->lines->len)
    return 0;
  return ((Line *) g_ptr_array_index (r->lines, index))->phys;
}

/* The line of a property named in a libical error message: "Can't parse
 * as DATE-TIME value in RDATE property. Removing entire property:
 * 20131210Z" names RDATE and its value. */
static guint
find_property_line (Reader     *r,
                    const Span *span,
                    const char *message)
{
  g_autofree char *name = NULL;
  const char *value = NULL;
  const char *p = strstr (message, " property");
  const char *colon;
  guint begin = span ? span->begin : 0;
  guint end = span ? span->end : (r->lines->len ? r->lines->len - 1 : 0);

  if (p == NULL || r->lines->len == 0)
    return 0;
  {
    const char *start = p;

    while (start > message && (g_ascii_isalnum (start[-1]) || start[-1] == '-'))
      start--;
    if (start == p)
      return 0;
    name = g_strndup (start, p - start);
  }

  colon = strrchr (message, ':');
  if (colon != NULL)
    {
      value = colon + 1;
      while (*value == ' ')
        value++;
      if (*value == '\0')
        value = NULL;
    }

  for (int pass = 0; pass < 2; pass++)
    for (guint i = begin; i <= end && i < r->lines->len; i++)
      {
        const Line *l = g_ptr_array_index (r->lines, i);
        gsize n = strlen (name);

        if (g_ascii_strncasecmp (l->text, name, n) == 0 &&
            (l->text[n] == ':' || l->text[n] == ';') &&
            (pass == 1 || value == NULL || strstr (l->text + n, value) != NULL))
          return l->phys;
      }

  /* "Parse error in property name: this line" names no property: look
   * for the text itself */
  if (value != NULL)
    for (guint i = begin; i <= end && i < r->lines->len; i++)
      {
        const Line *l = g_ptr_array_index (r->lines, i);

        if (strstr (l->text, value) != NULL)
          return l->phys;
      }

  return 0;
}

static void
report_parse_errors (Reader        *r,
                     icalcomponent *comp,
                     const Span    *span,
                     guint          fallback_line,
                     const char    *uid)
{
  g_autoptr(GPtrArray) errors = collect_props (comp, ICAL_XLICERROR_PROPERTY);

  for (guint i = 0; i < errors->len; i++)
    {
      const char *text = icalproperty_get_xlicerror (g_ptr_array_index (errors, i));
      g_autofree char *clean = NULL;
      guint line;

      if (text == NULL || g_str_has_prefix (text, "No value for "))
        continue;
      clean = g_strstrip (g_strdup (text));
      if (g_str_has_suffix (clean, ":"))
        clean[strlen (clean) - 1] = '\0';
      line = find_property_line (r, span, text);
      /* TRANSLATORS: %s is libical's English description of the error */
      add_problemf (r, line ? line : fallback_line, uid,
                    _("A property could not be read and was ignored: %s"), clean);
    }
}

/* --- time zones ------------------------------------------------------- */

static char *
normalize_tzid (const char *tzid)
{
  char *copy = g_strstrip (g_strdup (tzid ? tzid : ""));
  gsize len = strlen (copy);

  if (len >= 2 && copy[0] == '"' && copy[len - 1] == '"')
    {
      memmove (copy, copy + 1, len - 2);
      copy[len - 2] = '\0';
      g_strstrip (copy);
    }
  return copy;
}

/* Only names that look like tz database names reach libical, which turns
 * them into file paths under the zoneinfo directory. */
static gboolean
is_safe_zone_name (const char *name)
{
  if (name[0] == '\0' || name[0] == '/' || strlen (name) > 64)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '/' && *p != '_' && *p != '-' && *p != '+')
      return FALSE;
  return strstr (name, "//") == NULL;
}

static icaltimezone *
builtin_zone (const char *name)
{
  if (g_ascii_strcasecmp (name, "UTC") == 0 || g_ascii_strcasecmp (name, "GMT") == 0 ||
      g_ascii_strcasecmp (name, "Z") == 0)
    return icaltimezone_get_utc_timezone ();
  if (!is_safe_zone_name (name))
    return NULL;
  return icaltimezone_get_builtin_timezone (name);
}

static icaltimezone *
fixed_zone (Reader *r,
            int     offset_minutes)
{
  g_autofree char *tzid = NULL;
  g_autofree char *text = NULL;
  char sign = offset_minutes < 0 ? '-' : '+';
  int abs_minutes = ABS (offset_minutes);
  icalcomponent *comp;
  icaltimezone *zone;

  tzid = g_strdup_printf ("kontor-fixed-%c%02d%02d", sign, abs_minutes / 60, abs_minutes % 60);
  zone = g_hash_table_lookup (r->resolved, tzid);
  if (zone != NULL)
    return zone;

  text = g_strdup_printf ("BEGIN:VTIMEZONE\nTZID:%s\nBEGIN:STANDARD\n"
                          "DTSTART:16010101T000000\nTZOFFSETFROM:%c%02d%02d\n"
                          "TZOFFSETTO:%c%02d%02d\nEND:STANDARD\nEND:VTIMEZONE\n",
                          tzid, sign, abs_minutes / 60, abs_minutes % 60,
                          sign, abs_minutes / 60, abs_minutes % 60);
  comp = icalparser_parse_string (text);
  if (comp == NULL)
    return NULL;
  zone = icaltimezone_new ();
  if (!icaltimezone_set_component (zone, comp))
    {
      icalcomponent_free (comp);
      icaltimezone_free (zone, 1);
      return NULL;
    }
  g_ptr_array_add (r->owned_zones, zone);
  g_hash_table_insert (r->resolved, g_steal_pointer (&tzid), zone);
  return zone;
}

/* "(UTC-03:00) Brasília", "(GMT+01.00) Amsterdam", "UTC+5", "GMT-0830" */
static gboolean
parse_offset_name (const char *name,
                   int        *offset_minutes)
{
  const char *p = name;
  int sign, hours = 0, minutes = 0, digits = 0;

  if (*p == '(')
    p++;
  if (g_ascii_strncasecmp (p, "UTC", 3) != 0 && g_ascii_strncasecmp (p, "GMT", 3) != 0)
    return FALSE;
  p += 3;
  if (*p != '+' && *p != '-')
    return FALSE;
  sign = *p++ == '-' ? -1 : 1;
  for (; g_ascii_isdigit (*p) && digits < 2; p++, digits++)
    hours = hours * 10 + (*p - '0');
  if (digits == 0)
    return FALSE;
  if (*p == ':' || *p == '.')
    p++;
  digits = 0;
  for (; g_ascii_isdigit (*p) && digits < 2; p++, digits++)
    minutes = minutes * 10 + (*p - '0');
  if (digits == 1 || hours > 14 || minutes > 59)
    return FALSE;
  if (g_ascii_isdigit (*p))
    return FALSE;

  *offset_minutes = sign * (hours * 60 + minutes);
  return TRUE;
}

static icaltimezone *
lookup_zone (Reader     *r,
             const char *name)
{
  icaltimezone *zone;
  const char *iana;
  int offset;

  zone = g_hash_table_lookup (r->vtimezones, name);
  if (zone != NULL)
    return zone;
  if (name[0] == '\0')
    return NULL;

  zone = builtin_zone (name);
  if (zone != NULL)
    return zone;

  /* "/mozilla.org/20050126_1/Europe/Berlin", "/softwarestudio.org/…" */
  for (const char *slash = strchr (name, '/'); slash; slash = strchr (slash + 1, '/'))
    if (slash[1] != '\0' && (zone = builtin_zone (slash + 1)) != NULL)
      return zone;

  iana = kontor_ical_windows_zone_to_iana (name);
  if (iana != NULL && (zone = builtin_zone (iana)) != NULL)
    return zone;

  if (parse_offset_name (name, &offset))
    return fixed_zone (r, offset);

  return NULL;
}

static icaltimezone *
resolve_zone (Reader     *r,
              const char *tzid,
              guint       line,
              const char *uid)
{
  g_autofree char *name = NULL;
  icaltimezone *zone;

  if (g_hash_table_lookup_extended (r->resolved, tzid, NULL, (gpointer *) &zone))
    return zone;

  name = normalize_tzid (tzid);
  zone = lookup_zone (r, name);
  if (zone == NULL)
    {
      zone = r->default_zone;
      if (name[0] == '\0')
        add_problemf (r, line, uid, _("The time zone is blank; times were read as %s"),
                      r->default_zone_name);
      else
        add_problemf (r, line, uid, _("Unknown time zone “%s”; times were read as %s"),
                      name, r->default_zone_name);
    }

  g_hash_table_insert (r->resolved, g_strdup (tzid), zone);
  return zone;
}

/* A VTIMEZONE must have an observance with an offset to be any use. */
static gboolean
vtimezone_usable (icalcomponent *vtz)
{
  g_autoptr(GPtrArray) children = collect_children (vtz, ICAL_ANY_COMPONENT);

  for (guint i = 0; i < children->len; i++)
    {
      icalcomponent *obs = g_ptr_array_index (children, i);
      icalcomponent_kind kind = icalcomponent_isa (obs);

      if ((kind == ICAL_XSTANDARD_COMPONENT || kind == ICAL_XDAYLIGHT_COMPONENT) &&
          icalcomponent_get_first_property (obs, ICAL_TZOFFSETTO_PROPERTY) != NULL &&
          icalcomponent_get_first_property (obs, ICAL_DTSTART_PROPERTY) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Real VTIMEZONEs repeat yearly; anything faster would make libical
 * expand millions of transitions. Outlook starts its rules in 1601, which
 * makes libical expand four centuries on every use: an open-ended yearly
 * rule gives the same transitions from 1970 on when started in 1970
 * (earlier times then use the first observance's offsets). */
static void
vtimezone_sanitize (icalcomponent *vtz)
{
  g_autoptr(GPtrArray) children = collect_children (vtz, ICAL_ANY_COMPONENT);

  for (guint i = 0; i < children->len; i++)
    {
      icalcomponent *obs = g_ptr_array_index (children, i);
      g_autoptr(GPtrArray) rrules = collect_props (obs, ICAL_RRULE_PROPERTY);
      g_autoptr(GPtrArray) rdates = collect_props (obs, ICAL_RDATE_PROPERTY);
      icalproperty *dtstart = icalcomponent_get_first_property (obs, ICAL_DTSTART_PROPERTY);
      gboolean open_ended = rrules->len > 0;

      for (guint j = 0; j < rrules->len; j++)
        {
          icalproperty *p = g_ptr_array_index (rrules, j);
          struct icalrecurrencetype rule = icalproperty_get_rrule (p);

          if (rule.freq != ICAL_YEARLY_RECURRENCE || rule.interval < 1)
            {
              icalcomponent_remove_property (obs, p);
              icalproperty_free (p);
              open_ended = FALSE;
            }
          else if (rule.interval != 1 || rule.count != 0 ||
                   !icaltime_is_null_time (rule.until))
            open_ended = FALSE;
        }

      if (open_ended && dtstart != NULL && rdates->len == 0)
        {
          struct icaltimetype t = icalproperty_get_dtstart (dtstart);

          if (!icaltime_is_null_time (t) && t.year < 1970)
            {
              t.year = 1970;
              icalproperty_set_dtstart (dtstart, t);
            }
        }
      /* a few hundred transitions are plenty */
      for (guint j = 200; j < rdates->len; j++)
        {
          icalproperty *p = g_ptr_array_index (rdates, j);

          icalcomponent_remove_property (obs, p);
          icalproperty_free (p);
        }
    }
}

static void
register_vtimezone (Reader        *r,
                    icalcomponent *vtz)
{
  icalproperty *tzid_prop = icalcomponent_get_first_property (vtz, ICAL_TZID_PROPERTY);
  g_autofree char *key = normalize_tzid (tzid_prop ? icalproperty_get_tzid (tzid_prop) : NULL);
  icalcomponent *clone;
  icaltimezone *zone;

  if (g_hash_table_contains (r->vtimezones, key) || !vtimezone_usable (vtz))
    return;

  clone = icalcomponent_new_clone (vtz);
  vtimezone_sanitize (clone);
  if (key[0] == '\0')
    {
      /* libical drops an empty TZID, and a zone needs one */
      icalproperty *old = icalcomponent_get_first_property (clone, ICAL_TZID_PROPERTY);

      if (old != NULL)
        {
          icalcomponent_remove_property (clone, old);
          icalproperty_free (old);
        }
      icalcomponent_add_property (clone, icalproperty_new_tzid ("kontor-blank-tzid"));
    }

  zone = icaltimezone_new ();
  if (!icaltimezone_set_component (zone, clone))
    {
      icalcomponent_free (clone);
      icaltimezone_free (zone, 1);
      return;
    }
  g_ptr_array_add (r->owned_zones, zone);
  g_hash_table_insert (r->vtimezones, g_steal_pointer (&key), zone);
}

/* --- times -------------------------------------------------------------- */

static struct icaltimetype
value_time (icalproperty        *p,
            struct icaltimetype *period_end,
            struct icaldurationtype *period_duration)
{
  icalvalue *v = icalproperty_get_value (p);

  if (period_end != NULL)
    *period_end = icaltime_null_time ();
  if (period_duration != NULL)
    *period_duration = icaldurationtype_null_duration ();
  if (v == NULL)
    return icaltime_null_time ();

  switch (icalvalue_isa (v))
    {
    case ICAL_DATE_VALUE:
      return icalvalue_get_date (v);
    case ICAL_DATETIME_VALUE:
      return icalvalue_get_datetime (v);
    case ICAL_DATETIMEPERIOD_VALUE:
      {
        struct icaldatetimeperiodtype dp = icalvalue_get_datetimeperiod (v);

        if (!icaltime_is_null_time (dp.time))
          return dp.time;
        if (period_end != NULL)
          *period_end = dp.period.end;
        if (period_duration != NULL)
          *period_duration = dp.period.duration;
        return dp.period.start;
      }
    case ICAL_PERIOD_VALUE:
      {
        struct icalperiodtype period = icalvalue_get_period (v);

        if (period_end != NULL)
          *period_end = period.end;
        if (period_duration != NULL)
          *period_duration = period.duration;
        return period.start;
      }
    case ICAL_NO_VALUE:
    default:
      return icaltime_null_time ();
    }
}

static gint64
date_seconds (const struct icaltimetype *t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (t->year, t->month, t->day, 0, 0, 0);

  return dt ? g_date_time_to_unix (dt) : G_MININT64;
}

static gboolean
time_sane (const struct icaltimetype *t)
{
  return !icaltime_is_null_time (*t) && t->year >= 1 && t->year <= 9999 &&
         t->month >= 1 && t->month <= 12 && t->day >= 1 &&
         t->day <= icaltime_days_in_month (t->month, t->year) &&
         (t->is_date || (t->hour >= 0 && t->hour <= 23 && t->minute >= 0 && t->minute <= 59 &&
                         t->second >= 0 && t->second <= 60));
}

static gboolean
when_from_time (Reader              *r,
                struct icaltimetype  t,
                const char          *tzid,
                icaltimezone        *floating,
                guint                line,
                const char          *uid,
                When                *w)
{
  memset (w, 0, sizeof *w);
  if (!time_sane (&t))
    return FALSE;

  w->is_date = t.is_date != 0;
  if (w->is_date)
    {
      t.hour = t.minute = t.second = 0;
      t.zone = NULL;
      w->local = t;
      w->utc = date_seconds (&t);
      w->set = w->utc != G_MININT64;
      return w->set;
    }

  if (icaltime_is_utc (t))
    w->zone = icaltimezone_get_utc_timezone ();
  else if (tzid != NULL)
    w->zone = resolve_zone (r, tzid, line, uid);
  else
    w->zone = floating ? floating : r->default_zone;

  t.zone = NULL;
  if (t.second == 60)
    t.second = 59;
  w->local = t;
  w->utc = (gint64) icaltime_as_timet_with_zone (t, w->zone);
  w->set = TRUE;
  return TRUE;
}

static const char *
prop_tzid (icalproperty *p)
{
  icalparameter *param = icalproperty_get_first_parameter (p, ICAL_TZID_PARAMETER);

  return param ? icalparameter_get_tzid (param) : NULL;
}

static gboolean
when_from_prop (Reader       *r,
                icalproperty *p,
                icaltimezone *floating,
                guint         line,
                const char   *uid,
                When         *w)
{
  memset (w, 0, sizeof *w);
  if (p == NULL)
    return FALSE;
  return when_from_time (r, value_time (p, NULL, NULL), prop_tzid (p), floating, line, uid, w);
}

/* Exact seconds of a DURATION; FALSE for a bad one. */
static gboolean
duration_seconds (struct icaldurationtype d,
                  gint64                 *seconds)
{
  gint64 s;

  if (icaldurationtype_is_bad_duration (d))
    return FALSE;
  /* each part is an unsigned int; sum in 64 bits without overflow */
  s = (gint64) d.weeks * 7 * SECONDS_PER_DAY + (gint64) d.days * SECONDS_PER_DAY +
      (gint64) d.hours * 3600 + (gint64) d.minutes * 60 + (gint64) d.seconds;
  *seconds = d.is_neg ? -s : s;
  return TRUE;
}

static char *
format_utc (gint64 seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (seconds);

  if (dt == NULL || g_date_time_get_year (dt) > 9999)
    return NULL;
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
format_rid (gint64   seconds,
            gboolean is_date)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (seconds);

  if (dt == NULL)
    return g_strdup ("0");
  return g_date_time_format (dt, is_date ? "%Y%m%d" : "%Y%m%dT%H%M%SZ");
}

/* --- texts -------------------------------------------------------------- */

/* One line: newlines, tabs and other controls become spaces. */
static char *
single_line (const char *text)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    g_string_append_c (out, (guchar) *p < 0x20 || *p == 0x7f ? ' ' : *p);
  g_strstrip (out->str);
  if (out->str[0] == '\0')
    return NULL;
  return g_strdup (out->str);
}

/* Lines joined with ", " ("Roadstar 16\n12764 Happyville" → "Roadstar 16,
 * 12764 Happyville"). */
static char *
joined_lines (const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;
  parts = g_strsplit_set (text, "\r\n", -1);
  out = g_string_new (NULL);
  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *part = single_line (parts[i]);

      if (part == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, part);
    }
  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
long_text (const char *text)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    {
      if (*p == '\r')
        {
          if (p[1] != '\n')
            g_string_append_c (out, '\n');
          continue;
        }
      g_string_append_c (out, *p);
    }
  g_strstrip (out->str);
  if (out->str[0] == '\0')
    return NULL;
  return g_strdup (out->str);
}

static const char *
x_property (icalcomponent *comp,
            const char    *name)
{
  g_autoptr(GPtrArray) xs = collect_props (comp, ICAL_X_PROPERTY);

  for (guint i = 0; i < xs->len; i++)
    {
      icalproperty *p = g_ptr_array_index (xs, i);
      const char *x_name = icalproperty_get_x_name (p);

      if (x_name != NULL && g_ascii_strcasecmp (x_name, name) == 0)
        return icalproperty_get_x (p);
    }
  return NULL;
}

static const char *
activity_type (Comp *c)
{
  static const char * const types[] = { "task", "call", "meeting", "note", NULL };
  const char *x = x_property (c->comp, "X-KONTOR-TYPE");

  if (x != NULL)
    for (guint i = 0; types[i]; i++)
      if (name_is (x, types[i]))
        return types[i];

  switch (c->kind)
    {
    case ICAL_VTODO_COMPONENT:
      return "task";
    case ICAL_VJOURNAL_COMPONENT:
      return "note";
    case ICAL_VEVENT_COMPONENT:
    default:
      return "meeting";
    }
}

/* type, subject, location, body and done of a component */
static JsonObject *
base_values (Comp *c)
{
  JsonObject *values = json_object_new ();
  g_autofree char *subject = single_line (icalcomponent_get_summary (c->comp));
  g_autofree char *location = joined_lines (icalcomponent_get_location (c->comp));
  g_autofree char *body = long_text (icalcomponent_get_description (c->comp));

  json_object_set_string_member (values, "type", activity_type (c));
  json_object_set_string_member (values, "subject", subject ? subject : _("(no title)"));
  if (location != NULL)
    json_object_set_string_member (values, "location", location);
  if (body != NULL)
    json_object_set_string_member (values, "body", body);
  if (c->kind == ICAL_VTODO_COMPONENT)
    json_object_set_boolean_member (values, "done",
                                    icalcomponent_get_status (c->comp) == ICAL_STATUS_COMPLETED ||
                                    icalcomponent_get_first_property (c->comp,
                                                                      ICAL_COMPLETED_PROPERTY));
  else
    {
      const char *done = x_property (c->comp, "X-KONTOR-DONE");

      if (done != NULL && name_is (done, "TRUE"))
        json_object_set_boolean_member (values, "done", TRUE);
    }
  return values;
}

static gboolean
set_time (Reader     *r,
          Comp       *c,
          JsonObject *values,
          const char *field,
          gint64      seconds)
{
  g_autofree char *text = format_utc (seconds);

  if (text == NULL)
    {
      add_problem (r, c->line, c->uid, _("A date is outside the years 1 to 9999"));
      return FALSE;
    }
  json_object_set_string_member (values, field, text);
  return TRUE;
}

static gboolean
room_for_more (Reader *r,
               Comp   *c)
{
  if (r->result->entries->len < KONTOR_ICAL_MAX_ACTIVITIES)
    return TRUE;
  if (!r->total_capped)
    {
      r->total_capped = TRUE;
      add_problemf (r, c->line, c->uid,
                    _("The file holds more than %u activities; the rest was not read"),
                    KONTOR_ICAL_MAX_ACTIVITIES);
    }
  return FALSE;
}

static void
add_entry (Reader     *r,
           Comp       *c,
           JsonObject *values)
{
  KontorIcalEntry *entry = g_new0 (KontorIcalEntry, 1);

  entry->values = values;
  entry->line = c->line;
  g_ptr_array_add (r->result->entries, entry);
}

/* The identity of a component without UID: a hash of what it says. */
static char *
synthetic_key (Comp *c)
{
  icalcomponent *clone = icalcomponent_new_clone (c->comp);
  g_autoptr(GPtrArray) stamps = collect_props (clone, ICAL_DTSTAMP_PROPERTY);
  g_autofree char *hash = NULL;
  char *text;

  for (guint i = 0; i < stamps->len; i++)
    {
      icalproperty *p = g_ptr_array_index (stamps, i);

      icalcomponent_remove_property (clone, p);
      icalproperty_free (p);
    }
  text = icalcomponent_as_ical_string_r (clone);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text ? text : "", -1);
  free (text);
  icalcomponent_free (clone);

  return g_strdup_printf ("kontor-%.32s", hash);
}

/* --- single events ------------------------------------------------------- */

/* The end of an event starting at start: DTEND, or DTSTART + DURATION.
 * FALSE when there is none (or a bad one, which is reported). */
static gboolean
event_end (Reader     *r,
           Comp       *c,
           const When *start,
           gint64     *end)
{
  icalproperty *dtend = icalcomponent_get_first_property (c->comp, ICAL_DTEND_PROPERTY);
  icalproperty *dur = icalcomponent_get_first_property (c->comp, ICAL_DURATION_PROPERTY);
  When w;

  if (dtend != NULL && when_from_prop (r, dtend, start->zone, c->line, c->uid, &w))
    {
      if (start->is_date && !w.is_date)
        {
          /* a date-time end of an all-day event: its date counts */
          w.local.is_date = 1;
          w.utc = date_seconds (&w.local);
        }
      *end = w.utc;
    }
  else if (dur != NULL)
    {
      gint64 seconds;

      if (!duration_seconds (icalproperty_get_duration (dur), &seconds))
        return FALSE;
      *end = start->utc + seconds;
    }
  else
    return FALSE;

  if (*end < start->utc)
    {
      add_problem (r, c->line, c->uid,
                   _("The event ends before it starts; its end was left out"));
      return FALSE;
    }
  return TRUE;
}

static void
read_single (Reader     *r,
             Comp       *c,
             const char *rid)
{
  g_autoptr(JsonObject) values = NULL;
  icalproperty *dtstart = icalcomponent_get_first_property (c->comp, ICAL_DTSTART_PROPERTY);
  When start = { 0 };
  gboolean all_day = FALSE;

  if (!room_for_more (r, c))
    return;

  if (dtstart != NULL && !when_from_prop (r, dtstart, NULL, c->line, c->uid, &start))
    {
      add_problem (r, c->line, c->uid, _("The start (DTSTART) is not a valid date; skipped"));
      r->result->n_failed++;
      return;
    }
  if (!start.set && c->kind == ICAL_VEVENT_COMPONENT)
    {
      add_problem (r, c->line, c->uid, _("The event has no start (DTSTART); skipped"));
      r->result->n_failed++;
      return;
    }

  values = base_values (c);
  if (start.set)
    {
      gint64 end;

      all_day = start.is_date;
      if (!set_time (r, c, values, "start", start.utc))
        {
          r->result->n_failed++;
          return;
        }
      if (c->kind == ICAL_VEVENT_COMPONENT && event_end (r, c, &start, &end))
        set_time (r, c, values, "end", end);
    }

  if (c->kind == ICAL_VTODO_COMPONENT)
    {
      icalproperty *due_prop = icalcomponent_get_first_property (c->comp, ICAL_DUE_PROPERTY);
      When due;

      if (due_prop != NULL)
        {
          if (!when_from_prop (r, due_prop, start.zone, c->line, c->uid, &due))
            add_problem (r, c->line, c->uid, _("The due date (DUE) is not valid; left out"));
          else
            {
              all_day = all_day || due.is_date;
              set_time (r, c, values, "due", due.utc);
            }
        }
    }

  json_object_set_boolean_member (values, "all_day", all_day);
  if (rid != NULL)
    {
      g_autofree char *key = g_strconcat (c->key, KONTOR_ICAL_RID_SEPARATOR, rid, NULL);

      json_object_set_string_member (values, KONTOR_ICAL_UID_FIELD, key);
    }
  else
    json_object_set_string_member (values, KONTOR_ICAL_UID_FIELD, c->key);

  add_entry (r, c, g_steal_pointer (&values));
}

/* --- recurring events ----------------------------------------------------- */

typedef struct
{
  gint64   rid;       /* original start, the occurrence's identity */
  gint64   start;
  gint64   end;
  gboolean has_end;
  Comp    *source;    /* where texts come from */
  gboolean overridden;
} Occurrence;

typedef struct
{
  Reader     *r;
  Comp       *master;
  When        start;
  gboolean    has_end;
  gint64      duration;
  GHashTable *occurrences;   /* gint64* rid → Occurrence* */
  gboolean    capped;
} Series;

static gboolean
in_window (Reader *r,
           gint64  start)
{
  return start >= r->from && start < r->to;
}

static void
series_add (Series *s,
            gint64  rid,
            gint64  start,
            gint64  end,
            gboolean has_end)
{
  Occurrence *o;
  gint64 *key;

  if (g_hash_table_contains (s->occurrences, &rid))
    return;
  o = g_new0 (Occurrence, 1);
  o->rid = rid;
  o->start = start;
  o->end = end;
  o->has_end = has_end;
  o->source = s->master;
  key = g_new (gint64, 1);
  *key = rid;
  g_hash_table_insert (s->occurrences, key, o);
}

static void
series_capped (Series     *s,
               const char *why)
{
  if (s->capped)
    return;
  s->capped = TRUE;
  add_problem (s->r, s->master->line, s->master->uid, why);
}

static void
expand_rrule (Series       *s,
              icalproperty *p)
{
  Reader *r = s->r;
  struct icalrecurrencetype rule = icalproperty_get_rrule (p);
  struct icaltimetype dtstart = s->start.local;
  icalrecur_iterator *it;
  guint steps = 0;

  if (rule.freq == ICAL_NO_RECURRENCE)
    {
      add_problem (r, s->master->line, s->master->uid,
                   _("A recurrence rule (RRULE) could not be read and was ignored"));
      return;
    }

  dtstart.zone = s->start.zone;
  it = icalrecur_iterator_new (rule, dtstart);
  if (it == NULL)
    {
      add_problem (r, s->master->line, s->master->uid,
                   _("A recurrence rule (RRULE) could not be read and was ignored"));
      return;
    }

  /* jump to the window when the rule does not count from DTSTART */
  if (rule.count == 0 && r->from > s->start.utc + 7 * SECONDS_PER_DAY)
    {
      struct icaltimetype from = icaltime_from_timet_with_zone ((time_t) r->from,
                                                                s->start.is_date,
                                                                s->start.zone);

      from.zone = s->start.zone;
      if (s->start.is_date)
        from.is_date = 1;
      icalrecur_iterator_set_start (it, from);
    }

  for (;;)
    {
      struct icaltimetype next = icalrecur_iterator_next (it);
      gint64 utc;

      if (icaltime_is_null_time (next) || !time_sane (&next))
        break;
      if (++steps > KONTOR_ICAL_MAX_RECUR_STEPS)
        {
          series_capped (s, _("The recurrence produced too many steps; it was cut short"));
          break;
        }

      if (s->start.is_date)
        {
          next.is_date = 1;
          utc = date_seconds (&next);
        }
      else
        {
          next.zone = NULL;
          utc = (gint64) icaltime_as_timet_with_zone (next, s->start.zone);
        }

      if (utc >= r->to)
        break;
      if (utc < r->from)
        continue;

      series_add (s, utc, utc, utc + s->duration, s->has_end);
      if (g_hash_table_size (s->occurrences) > KONTOR_ICAL_MAX_OCCURRENCES)
        {
          g_autofree char *why =
            g_strdup_printf (_("The recurrence has more than %u occurrences in the import "
                               "window; it was capped"), KONTOR_ICAL_MAX_OCCURRENCES);

          series_capped (s, why);
          break;
        }
    }

  icalrecur_iterator_free (it);
}

static void
expand_rdate (Series       *s,
              icalproperty *p)
{
  Reader *r = s->r;
  struct icaltimetype period_end;
  struct icaldurationtype period_duration;
  struct icaltimetype t = value_time (p, &period_end, &period_duration);
  const char *tzid = prop_tzid (p);
  When start, end;
  gint64 end_utc = 0;
  gboolean has_end = s->has_end;

  if (!when_from_time (r, t, tzid, s->start.zone, s->master->line, s->master->uid, &start))
    return;
  if (s->start.is_date && !start.is_date)
    {
      start.local.is_date = 1;
      start.utc = date_seconds (&start.local);
    }

  end_utc = start.utc + s->duration;
  if (!icaltime_is_null_time (period_end) &&
      when_from_time (r, period_end, tzid, s->start.zone, s->master->line, s->master->uid,
                      &end) && end.utc >= start.utc)
    {
      end_utc = end.utc;
      has_end = TRUE;
    }
  else
    {
      gint64 seconds;

      if (!icaldurationtype_is_null_duration (period_duration) &&
          duration_seconds (period_duration, &seconds) && seconds >= 0)
        {
          end_utc = start.utc + seconds;
          has_end = TRUE;
        }
    }

  if (in_window (r, start.utc) &&
      g_hash_table_size (s->occurrences) < KONTOR_ICAL_MAX_OCCURRENCES)
    series_add (s, start.utc, start.utc, end_utc, has_end);
}

/* The local date of an instant in the series' zone, for date-valued
 * EXDATEs and RECURRENCE-IDs of timed series. */
static gint64
local_date (Series *s,
            gint64  utc)
{
  struct icaltimetype t;

  if (s->start.is_date)
    return utc - (utc % SECONDS_PER_DAY + SECONDS_PER_DAY) % SECONDS_PER_DAY;
  t = icaltime_from_timet_with_zone ((time_t) utc, 0, s->start.zone);
  t.is_date = 1;
  return date_seconds (&t);
}

static void
remove_matching (Series     *s,
                 const When *w)
{
  if (w->is_date && !s->start.is_date)
    {
      GHashTableIter iter;
      Occurrence *o;

      g_hash_table_iter_init (&iter, s->occurrences);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
        if (local_date (s, o->rid) == w->utc)
          g_hash_table_iter_remove (&iter);
      return;
    }

  {
    gint64 key = s->start.is_date ? local_date (s, w->utc) : w->utc;

    g_hash_table_remove (s->occurrences, &key);
  }
}

static Occurrence *
find_occurrence (Series     *s,
                 const When *rid)
{
  gint64 key;

  if (rid->is_date && !s->start.is_date)
    {
      GHashTableIter iter;
      Occurrence *o;

      g_hash_table_iter_init (&iter, s->occurrences);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
        if (local_date (s, o->rid) == rid->utc)
          return o;
      return NULL;
    }

  key = s->start.is_date ? local_date (s, rid->utc) : rid->utc;
  return g_hash_table_lookup (s->occurrences, &key);
}

static gint
compare_occurrences (gconstpointer a,
                     gconstpointer b)
{
  const Occurrence *oa = *(const Occurrence * const *) a;
  const Occurrence *ob = *(const Occurrence * const *) b;

  if (oa->start != ob->start)
    return oa->start < ob->start ? -1 : 1;
  if (oa->rid != ob->rid)
    return oa->rid < ob->rid ? -1 : 1;
  return 0;
}

typedef struct
{
  Comp  *comp;
  When   rid;
  When   start;
  gint64 end;
  gboolean has_end;
} Override;

static gint
compare_overrides (gconstpointer a,
                   gconstpointer b)
{
  const Override *oa = a;
  const Override *ob = b;

  return oa->rid.utc < ob->rid.utc ? -1 : oa->rid.utc > ob->rid.utc;
}

static gboolean
read_override (Series   *s,
               Comp     *c,
               Override *ov)
{
  Reader *r = s->r;
  icalproperty *rid = icalcomponent_get_first_property (c->comp, ICAL_RECURRENCEID_PROPERTY);
  icalproperty *dtstart = icalcomponent_get_first_property (c->comp, ICAL_DTSTART_PROPERTY);

  memset (ov, 0, sizeof *ov);
  ov->comp = c;
  report_parse_errors (r, c->comp, c->has_span ? &c->span : NULL, c->line, c->uid);

  if (!when_from_prop (r, rid, s->start.zone, c->line, c->uid, &ov->rid))
    {
      add_problem (r, c->line, c->uid,
                   _("The recurrence id (RECURRENCE-ID) is not a valid date; skipped"));
      return FALSE;
    }
  if (s->start.is_date && !ov->rid.is_date)
    {
      ov->rid.local.is_date = 1;
      ov->rid.utc = date_seconds (&ov->rid.local);
      ov->rid.is_date = TRUE;
    }

  if (dtstart == NULL || !when_from_prop (r, dtstart, s->start.zone, c->line, c->uid, &ov->start))
    ov->start = ov->rid;
  if (s->start.is_date && !ov->start.is_date)
    {
      ov->start.local.is_date = 1;
      ov->start.utc = date_seconds (&ov->start.local);
      ov->start.is_date = TRUE;
    }

  if (icalcomponent_get_first_property (c->comp, ICAL_DTEND_PROPERTY) != NULL ||
      icalcomponent_get_first_property (c->comp, ICAL_DURATION_PROPERTY) != NULL)
    ov->has_end = event_end (r, c, &ov->start, &ov->end);
  else if (s->has_end)
    {
      ov->has_end = TRUE;
      ov->end = ov->start.utc + s->duration;
    }
  return TRUE;
}

static void
read_series (Reader *r,
             Comp   *master)
{
  g_autoptr(GPtrArray) rrules = collect_props (master->comp, ICAL_RRULE_PROPERTY);
  g_autoptr(GPtrArray) rdates = collect_props (master->comp, ICAL_RDATE_PROPERTY);
  g_autoptr(GPtrArray) exdates = collect_props (master->comp, ICAL_EXDATE_PROPERTY);
  g_autoptr(GArray) futures = g_array_new (FALSE, FALSE, sizeof (Override));
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GHashTable) occurrences = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                             g_free, g_free);
  icalproperty *dtstart = icalcomponent_get_first_property (master->comp, ICAL_DTSTART_PROPERTY);
  Series s = { r, master, { 0 }, FALSE, 0, occurrences, FALSE };
  GHashTableIter iter;
  Occurrence *o;
  guint before;

  if (!when_from_prop (r, dtstart, NULL, master->line, master->uid, &s.start))
    {
      add_problem (r, master->line, master->uid,
                   _("The start (DTSTART) is not a valid date; skipped"));
      r->result->n_failed++;
      return;
    }
  {
    gint64 end;

    s.has_end = event_end (r, master, &s.start, &end);
    s.duration = s.has_end ? end - s.start.utc : 0;
  }

  /* DTSTART is always the first instance */
  if (in_window (r, s.start.utc))
    series_add (&s, s.start.utc, s.start.utc, s.start.utc + s.duration, s.has_end);
  for (guint i = 0; i < rrules->len && !s.capped; i++)
    expand_rrule (&s, g_ptr_array_index (rrules, i));
  for (guint i = 0; i < rdates->len; i++)
    expand_rdate (&s, g_ptr_array_index (rdates, i));
  for (guint i = 0; i < exdates->len; i++)
    {
      When w;

      if (when_from_prop (r, g_ptr_array_index (exdates, i), s.start.zone, master->line,
                          master->uid, &w))
        remove_matching (&s, &w);
    }

  for (guint i = 0; master->overrides && i < master->overrides->len; i++)
    {
      Comp *c = g_ptr_array_index (master->overrides, i);
      icalproperty *rid_prop = icalcomponent_get_first_property (c->comp,
                                                                 ICAL_RECURRENCEID_PROPERTY);
      icalparameter *range = icalproperty_get_first_parameter (rid_prop, ICAL_RANGE_PARAMETER);
      Override ov;

      if (!read_override (&s, c, &ov))
        continue;

      if (icalcomponent_get_status (c->comp) == ICAL_STATUS_CANCELLED)
        {
          remove_matching (&s, &ov.rid);
          continue;
        }
      if (range != NULL && icalparameter_get_range (range) == ICAL_RANGE_THISANDFUTURE)
        g_array_append_val (futures, ov);

      o = find_occurrence (&s, &ov.rid);
      if (o == NULL)
        {
          /* an instance the rules do not produce: added like an RDATE */
          if (!in_window (r, ov.start.utc) ||
              g_hash_table_size (s.occurrences) >= KONTOR_ICAL_MAX_OCCURRENCES)
            continue;
          series_add (&s, ov.rid.utc, ov.start.utc, ov.end, ov.has_end);
          o = g_hash_table_lookup (s.occurrences, &ov.rid.utc);
          if (o == NULL)
            continue;
        }
      o->start = ov.start.utc;
      o->end = ov.end;
      o->has_end = ov.has_end;
      o->source = c;
      o->overridden = TRUE;
    }

  /* this and future: later ranges win, so apply in order */
  g_array_sort (futures, compare_overrides);
  for (guint i = 0; i < futures->len; i++)
    {
      const Override *ov = &g_array_index (futures, Override, i);
      gint64 delta = ov->start.utc - ov->rid.utc;

      g_hash_table_iter_init (&iter, s.occurrences);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
        if (!o->overridden && o->rid > ov->rid.utc)
          {
            o->start = o->rid + delta;
            o->has_end = ov->has_end;
            o->end = o->start + (ov->end - ov->start.utc);
            o->source = ov->comp;
          }
    }

  sorted = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, s.occurrences);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &o))
    if (in_window (r, o->start))
      g_ptr_array_add (sorted, o);
  g_ptr_array_sort (sorted, compare_occurrences);

  if (sorted->len == 0)
    {
      g_autofree char *from = format_utc (r->from);
      g_autofree char *to = format_utc (r->to);

      add_problemf (r, master->line, master->uid,
                    _("The recurring event has no occurrences between %s and %s; "
                      "nothing was imported"), from ? from : "?", to ? to : "?");
      return;
    }

  before = r->result->entries->len;
  for (guint i = 0; i < sorted->len && i < KONTOR_ICAL_MAX_OCCURRENCES; i++)
    {
      g_autoptr(JsonObject) values = NULL;
      g_autofree char *rid = NULL;
      g_autofree char *key = NULL;

      o = g_ptr_array_index (sorted, i);
      if (!room_for_more (r, master))
        break;
      values = base_values (o->source);
      if (!set_time (r, o->source, values, "start", o->start))
        {
          r->result->n_failed++;
          continue;
        }
      if (o->has_end && o->end >= o->start)
        set_time (r, o->source, values, "end", o->end);
      json_object_set_boolean_member (values, "all_day", s.start.is_date);
      rid = format_rid (o->rid, s.start.is_date);
      key = g_strconcat (master->key, KONTOR_ICAL_RID_SEPARATOR, rid, NULL);
      json_object_set_string_member (values, KONTOR_ICAL_UID_FIELD, key);

      {
        KontorIcalEntry *entry = g_new0 (KontorIcalEntry, 1);

        entry->values = g_steal_pointer (&values);
        entry->line = o->source->line;
        g_ptr_array_add (r->result->entries, entry);
      }
    }
  r->result->n_occurrences += r->result->entries->len - before;
}

/* --- components ----------------------------------------------------------- */

static gboolean
is_recurring (icalcomponent *comp)
{
  return icalcomponent_get_first_property (comp, ICAL_RRULE_PROPERTY) != NULL ||
         icalcomponent_get_first_property (comp, ICAL_RDATE_PROPERTY) != NULL;
}

static void
read_calendar (Reader        *r,
               icalcomponent *cal)
{
  g_autoptr(GPtrArray) children = collect_children (cal, ICAL_ANY_COMPONENT);
  g_autoptr(GPtrArray) comps = g_ptr_array_new_with_free_func ((GDestroyNotify) comp_free);
  g_autoptr(GHashTable) masters = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < children->len; i++)
    {
      icalcomponent *child = g_ptr_array_index (children, i);

      if (icalcomponent_isa (child) == ICAL_VTIMEZONE_COMPONENT)
        register_vtimezone (r, child);
    }

  report_parse_errors (r, cal, NULL, 0, NULL);

  for (guint i = 0; i < children->len; i++)
    {
      icalcomponent *child = g_ptr_array_index (children, i);
      icalcomponent_kind kind = icalcomponent_isa (child);
      Comp *c;

      if (kind != ICAL_VEVENT_COMPONENT && kind != ICAL_VTODO_COMPONENT &&
          kind != ICAL_VJOURNAL_COMPONENT)
        continue;

      c = g_new0 (Comp, 1);
      c->comp = child;
      c->kind = kind;
      if (r->spans_usable && r->span_cursor < r->spans->len)
        {
          c->span = g_array_index (r->spans, Span, r->span_cursor);
          c->has_span = TRUE;
          c->line = phys_line (r, c->span.begin);
        }
      r->span_cursor++;
      {
        g_autofree char *uid = single_line (icalcomponent_get_uid (child));

        c->uid = icalcomponent_get_uid (child);
        c->key = uid ? g_steal_pointer (&uid) : synthetic_key (c);
      }
      g_ptr_array_add (comps, c);
      r->result->n_components++;

      if (c->uid != NULL && kind == ICAL_VEVENT_COMPONENT &&
          icalcomponent_get_first_property (child, ICAL_RECURRENCEID_PROPERTY) == NULL &&
          !g_hash_table_contains (masters, c->key))
        g_hash_table_insert (masters, c->key, c);
    }

  /* overrides go with their master when it is a recurring event */
  for (guint i = 0; i < comps->len; i++)
    {
      Comp *c = g_ptr_array_index (comps, i);
      Comp *master;

      if (c->uid == NULL || c->kind != ICAL_VEVENT_COMPONENT ||
          icalcomponent_get_first_property (c->comp, ICAL_RECURRENCEID_PROPERTY) == NULL)
        continue;
      master = g_hash_table_lookup (masters, c->key);
      if (master == NULL || !is_recurring (master->comp))
        continue;
      if (master->overrides == NULL)
        master->overrides = g_ptr_array_new ();
      g_ptr_array_add (master->overrides, c);
      c->attached = TRUE;
    }

  for (guint i = 0; i < comps->len; i++)
    {
      Comp *c = g_ptr_array_index (comps, i);
      icalproperty *rid_prop;

      if (c->attached)
        continue;

      report_parse_errors (r, c->comp, c->has_span ? &c->span : NULL, c->line, c->uid);

      if (c->kind == ICAL_VEVENT_COMPONENT &&
          icalcomponent_get_status (c->comp) == ICAL_STATUS_CANCELLED)
        {
          add_problem (r, c->line, c->uid, _("The event is cancelled; it was not imported"));
          continue;
        }

      rid_prop = icalcomponent_get_first_property (c->comp, ICAL_RECURRENCEID_PROPERTY);
      if (c->kind == ICAL_VEVENT_COMPONENT && rid_prop == NULL && is_recurring (c->comp))
        {
          if (icalcomponent_get_first_property (c->comp, ICAL_DTSTART_PROPERTY) == NULL)
            {
              add_problem (r, c->line, c->uid, _("The event has no start (DTSTART); skipped"));
              r->result->n_failed++;
            }
          else
            read_series (r, c);
        }
      else if (rid_prop != NULL && c->kind == ICAL_VEVENT_COMPONENT)
        {
          /* an occurrence whose series is not in the file */
          When rid;

          if (!when_from_prop (r, rid_prop, NULL, c->line, c->uid, &rid))
            {
              add_problem (r, c->line, c->uid,
                           _("The recurrence id (RECURRENCE-ID) is not a valid date; skipped"));
              r->result->n_failed++;
              continue;
            }
          {
            g_autofree char *rid_text = format_rid (rid.utc, rid.is_date);

            read_single (r, c, rid_text);
          }
        }
      else
        read_single (r, c, NULL);
    }
}

static gboolean
reader_setup (Reader                  *r,
              const KontorIcalOptions *opts,
              KontorIcalResult        *result)
{
  g_autoptr(GDateTime) now = NULL;
  GDateTime *reference = opts ? opts->reference : NULL;
  const char *zone_name = opts && opts->default_zone ? opts->default_zone : DEFAULT_ZONE;

  r->result = result;
  r->vtimezones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->resolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->owned_zones = g_ptr_array_new_with_free_func ((GDestroyNotify) owned_zone_free);
  r->spans = g_array_new (FALSE, FALSE, sizeof (Span));

  r->default_zone = builtin_zone (zone_name);
  if (r->default_zone == NULL)
    {
      add_problemf (r, 0, NULL, _("Unknown default time zone “%s”; UTC was used"), zone_name);
      r->default_zone = icaltimezone_get_utc_timezone ();
      zone_name = "UTC";
    }
  r->default_zone_name = g_strdup (zone_name);

  if (reference == NULL)
    reference = now = g_date_time_new_now_utc ();
  {
    g_autoptr(GDateTime) from = g_date_time_add_years (reference, -1);
    g_autoptr(GDateTime) to = g_date_time_add_years (reference, 2);

    r->from = opts && opts->from ? g_date_time_to_unix (opts->from)
                                 : from ? g_date_time_to_unix (from) : G_MININT64;
    r->to = opts && opts->to ? g_date_time_to_unix (opts->to)
                             : to ? g_date_time_to_unix (to) : G_MAXINT64;
  }
  return TRUE;
}

KontorIcalResult *
kontor_ical_read_bytes (GBytes                  *bytes,
                        const KontorIcalOptions *opts,
                        GError                 **error)
{
  g_auto(Reader) r = { 0 };
  g_autoptr(KontorIcalResult) result = NULL;
  g_autofree char *converted = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GPtrArray) calendars = NULL;
  icalcomponent *root;
  const char *data;
  gsize len;
  guint first_repaired;
  guint max_depth;
  gboolean has_vcalendar = FALSE;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len > KONTOR_ICAL_MAX_FILE_SIZE)
    {
      g_set_error (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_TOO_LARGE,
                   _("The calendar file is too large (%zu MB; at most %d MB "
                     "can be imported)"), len / (1024 * 1024),
                   KONTOR_ICAL_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }

  if (len == 0)
    {
      g_set_error_literal (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_EMPTY,
                           _("The calendar file is empty"));
      return NULL;
    }
  data = strip_bom ((const guint8 *) data, len, &len, &converted, error);
  if (data == NULL)
    return NULL;

  result = result_new ();
  reader_setup (&r, opts, result);
  r.lines = split_lines (data, len, &first_repaired);

  if (r.lines->len == 0)
    {
      g_set_error_literal (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_EMPTY,
                           _("The calendar file is empty"));
      return NULL;
    }

  for (guint i = 0; i < r.lines->len && !has_vcalendar; i++)
    {
      const Line *l = g_ptr_array_index (r.lines, i);
      const char *rest;

      if (line_is (l->text, "BEGIN:", &rest) && name_is (rest, "VCALENDAR"))
        has_vcalendar = TRUE;
    }
  if (!has_vcalendar)
    {
      g_set_error_literal (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_INVALID,
                           _("This is not an iCalendar file: it has no BEGIN:VCALENDAR line"));
      return NULL;
    }

  scan_structure (&r, &max_depth);
  if (max_depth > MAX_NESTING)
    {
      g_set_error (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_INVALID,
                   _("The calendar file nests components more than %d deep and is not read"),
                   MAX_NESTING);
      return NULL;
    }

  text = g_string_new (NULL);
  for (guint i = 0; i < r.lines->len; i++)
    {
      const Line *l = g_ptr_array_index (r.lines, i);

      if (l->stray)
        continue;
      g_string_append (text, l->text);
      g_string_append_c (text, '\n');
    }

  if (first_repaired != 0)
    add_problemf (&r, first_repaired, NULL,
                  _("The file is not valid UTF-8; its text was read as Windows-1252 (Latin-1)"));

  root = icalparser_parse_string (text->str);
  if (root == NULL)
    {
      g_set_error_literal (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_INVALID,
                           _("The calendar file could not be read"));
      return NULL;
    }

  calendars = g_ptr_array_new ();
  if (icalcomponent_isa (root) == ICAL_VCALENDAR_COMPONENT)
    g_ptr_array_add (calendars, root);
  else
    {
      g_autoptr(GPtrArray) children = collect_children (root, ICAL_VCALENDAR_COMPONENT);

      g_ptr_array_extend_and_steal (calendars, g_steal_pointer (&children));
    }

  if (calendars->len == 0)
    {
      icalcomponent_free (root);
      g_set_error_literal (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_INVALID,
                           _("This is not an iCalendar file: it has no VCALENDAR"));
      return NULL;
    }

  /* line numbers only when libical saw the same events as our scan */
  {
    guint n = 0;

    for (guint i = 0; i < calendars->len; i++)
      {
        g_autoptr(GPtrArray) children = collect_children (g_ptr_array_index (calendars, i),
                                                          ICAL_ANY_COMPONENT);

        for (guint j = 0; j < children->len; j++)
          {
            icalcomponent_kind kind = icalcomponent_isa (g_ptr_array_index (children, j));

            if (kind == ICAL_VEVENT_COMPONENT || kind == ICAL_VTODO_COMPONENT ||
                kind == ICAL_VJOURNAL_COMPONENT)
              n++;
          }
      }
    r.spans_usable = n == r.spans->len;
  }

  for (guint i = 0; i < calendars->len; i++)
    read_calendar (&r, g_ptr_array_index (calendars, i));

  /* zones made from this file's VTIMEZONEs go before the components */
  g_clear_pointer (&r.resolved, g_hash_table_unref);
  g_clear_pointer (&r.vtimezones, g_hash_table_unref);
  g_clear_pointer (&r.owned_zones, g_ptr_array_unref);
  icalcomponent_free (root);

  return g_steal_pointer (&result);
}

KontorIcalResult *
kontor_ical_read_file (GFile                   *file,
                       const KontorIcalOptions *opts,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* refuse a huge file before reading it into memory */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE) &&
      g_file_info_get_size (info) > KONTOR_ICAL_MAX_FILE_SIZE)
    {
      g_set_error (error, KONTOR_ICAL_ERROR, KONTOR_ICAL_ERROR_TOO_LARGE,
                   _("The calendar file is too large (%lld MB; at most %d MB "
                     "can be imported)"), (long long) (g_file_info_get_size (info) / (1024 * 1024)),
                   KONTOR_ICAL_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }

  if (!g_file_load_contents (file, cancellable, &contents, &len, NULL, error))
    return NULL;

  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  return kontor_ical_read_bytes (bytes, opts, error);
}
