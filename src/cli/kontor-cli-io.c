/* kontor-cli-io.c: import, export, duplicates and merge on the command line
 *
 * Each command reads its own options (after the command word) with a
 * GOptionContext of its own, so "export --dry-run" is a usage error and
 * "import --help" lists what import takes. Progress goes to stderr as one
 * line rewritten with \r, only when stderr is a terminal (or --progress);
 * results go to stdout, as text or, with --json, as one JSON document.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kontor-cli.h"
#include "kontor-cli-io.h"
#include "kontor-csv-reader.h"
#include "kontor-duplicates.h"
#include "kontor-exporter.h"
#include "kontor-ical.h"
#include "kontor-import-profile.h"
#include "kontor-importer.h"
#include "kontor-merge.h"

/* Problems listed per file in text output; --json has all that were kept. */
#define MAX_SHOWN_PROBLEMS 100

static const char * const io_commands[] = { "import", "export", "duplicates", "merge", NULL };

typedef struct
{
  gboolean  json;
  gboolean  quiet;
  gboolean  progress;
  gboolean  dry_run;
  gboolean  skip_invalid;
  char     *format;
  char     *kind;
  char     *encoding;
  char     *date_order;
  char     *delimiter;
  char    **mapping;
  char     *profile;
  char     *base;
  char    **where;
  char     *sort;
  char     *output;
  double    threshold;
  int       limit;
  char    **keep;
  char     *undo;
  char    **rest;
} IoOptions;

static void
io_options_clear (IoOptions *o)
{
  g_free (o->format);
  g_free (o->kind);
  g_free (o->encoding);
  g_free (o->date_order);
  g_free (o->delimiter);
  g_strfreev (o->mapping);
  g_free (o->profile);
  g_free (o->base);
  g_strfreev (o->where);
  g_free (o->sort);
  g_free (o->output);
  g_strfreev (o->keep);
  g_free (o->undo);
  g_strfreev (o->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IoOptions, io_options_clear)

/* ---------------------------------------------------------------------- */
/* Messages                                                               */

static void
print_error (const char *message)
{
  g_printerr ("kontor-cli: %s\n", message);
}

static int
usage_error (const char *cmd,
             const char *message)
{
  print_error (message);
  g_printerr (_("Run “kontor-cli %s --help” for its options.\n"), cmd);
  return KONTOR_CLI_EXIT_USAGE;
}

static int
fail (const GError *error)
{
  print_error (error->message);
  return KONTOR_CLI_EXIT_ERROR;
}

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

/* One line on stderr, rewritten in place; at most ten times a second. */
typedef struct
{
  gboolean  enabled;
  gboolean  shown;
  gint64    last;
  char     *label;
} Progress;

static void
progress_init (Progress        *p,
               const IoOptions *o,
               const char      *label)
{
  memset (p, 0, sizeof *p);
  p->enabled = !o->quiet && (o->progress || isatty (STDERR_FILENO));
  p->label = g_strdup (label);
}

static void
progress_show (Progress   *p,
               const char *label,
               guint       n_rows,
               guint64     done,
               guint64     total,
               gboolean    force)
{
  gint64 now = g_get_monotonic_time ();

  if (!p->enabled || (!force && now - p->last < G_USEC_PER_SEC / 10))
    return;
  p->last = now;
  p->shown = TRUE;
  if (total > 0)
    g_printerr ("\r%s: %u %s (%u%%)   ", label ? label : p->label, n_rows,
                g_dngettext (GETTEXT_PACKAGE, "row", "rows", n_rows),
                (guint) MIN (100, done * 100 / total));
  else
    g_printerr ("\r%s: %u %s   ", label ? label : p->label, n_rows,
                g_dngettext (GETTEXT_PACKAGE, "row", "rows", n_rows));
}

static void
progress_end (Progress *p)
{
  if (p->shown)
    g_printerr ("\n");
  p->shown = FALSE;
  g_clear_pointer (&p->label, g_free);
}

/* ---------------------------------------------------------------------- */
/* Options                                                                */

static gboolean
db_after_command (const char  *option_name,
                  const char  *value,
                  gpointer     data,
                  GError     **error)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s goes before the command: kontor-cli --db PATH COMMAND …"), option_name);
  return FALSE;
}

static gboolean
parse_options (const char  *cmd,
               char       **args,
               IoOptions   *o,
               GError     **error)
{
  const GOptionEntry common[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("Print JSON for scripts"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, N_("Only errors"), NULL },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &o->progress,
      N_("Show progress on stderr even when it is no terminal"), NULL },
    { "db", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_CALLBACK, (gpointer) db_after_command, NULL,
      NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->rest, NULL, NULL },
    { NULL }
  };
  const GOptionEntry import_entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &o->dry_run,
      N_("Read and check everything, write nothing"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format,
      N_("csv, vcard or ics (default: by the file’s name and contents)"), N_("FORMAT") },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &o->kind,
      N_("Kind of the records of a CSV or vCard file (default: contact)"), N_("KIND") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &o->encoding,
      N_("Encoding of the file (default: detected)"), N_("ENCODING") },
    { "delimiter", 0, 0, G_OPTION_ARG_STRING, &o->delimiter,
      N_("CSV delimiter: , ; or tab (default: detected)"), N_("CHAR") },
    { "date-order", 0, 0, G_OPTION_ARG_STRING, &o->date_order,
      N_("Order of day, month and year in the file’s dates: dmy, mdy, ymd (default: ISO "
         "dates only)"), N_("ORDER") },
    { "mapping", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &o->mapping,
      N_("Column of the header to fill FIELD (empty: ignore the column); repeatable"),
      N_("COLUMN=FIELD") },
    { "skip-invalid", 0, 0, G_OPTION_ARG_NONE, &o->skip_invalid,
      N_("Import rows without their invalid values instead of failing them"), NULL },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &o->profile,
      N_("Import several related CSV files as an import profile describes them"),
      N_("PROFILE") },
    { "base", 0, 0, G_OPTION_ARG_FILENAME, &o->base,
      N_("Folder the profile’s files are in (default: the profile’s folder)"), N_("DIR") },
    { NULL }
  };
  const GOptionEntry export_entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format,
      N_("csv (default), vcard, vcard3 or ics"), N_("FORMAT") },
    { "where", 'w', 0, G_OPTION_ARG_STRING_ARRAY, &o->where,
      N_("Only records matching COND (repeatable)"), N_("COND") },
    { "sort", 's', 0, G_OPTION_ARG_STRING, &o->sort, N_("Sort fields, -field for descending"),
      N_("F,-G") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      N_("File to write (default: standard output)"), N_("FILE") },
    { NULL }
  };
  const GOptionEntry duplicates_entries[] = {
    { "threshold", 't', 0, G_OPTION_ARG_DOUBLE, &o->threshold,
      N_("Smallest score to list, 0 to 1 (default: 0.8)"), N_("SCORE") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &o->limit, N_("At most N pairs"), N_("N") },
    { NULL }
  };
  const GOptionEntry merge_entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->keep,
      N_("Which record’s value FIELD takes (repeatable)"), N_("FIELD=other|survivor") },
    { "undo", 0, 0, G_OPTION_ARG_STRING, &o->undo, N_("Undo the merge HISTORY_ID"),
      N_("HISTORY_ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) strv = NULL;
  const GOptionEntry *entries;
  const char *parameters;
  const char *summary;

  o->threshold = KONTOR_DUPLICATES_DEFAULT_THRESHOLD;

  if (g_str_equal (cmd, "import"))
    {
      entries = import_entries;
      parameters = N_("FILE… | --profile PROFILE");
      summary = N_("Imports CSV, vCard and iCalendar files, or related CSV files with an "
                   "import profile (docs/import-profiles.md). Prints what was imported, "
                   "skipped and failed, with the line and reason of each problem.");
    }
  else if (g_str_equal (cmd, "export"))
    {
      entries = export_entries;
      parameters = N_("KIND");
      summary = N_("Writes the records of a kind as CSV (Kontor’s own columns), vCard or, for "
                   "activities, iCalendar.");
    }
  else if (g_str_equal (cmd, "duplicates"))
    {
      entries = duplicates_entries;
      parameters = N_("KIND");
      summary = N_("Lists pairs of contacts or organizations that may be one, with a score "
                   "and the reasons.");
    }
  else
    {
      entries = merge_entries;
      parameters = N_("SURVIVOR OTHER | --undo HISTORY_ID");
      summary = N_("Merges OTHER into SURVIVOR: references move to SURVIVOR, OTHER is "
                   "deleted, and the merge can be undone.");
    }

  {
    g_autofree char *param = g_strdup_printf ("%s %s", cmd, _(parameters));

    context = g_option_context_new (param);
  }
  g_option_context_set_summary (context, _(summary));
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  g_ptr_array_add (argv, g_strdup ("kontor-cli"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  strv = (GStrv) g_ptr_array_free (g_steal_pointer (&argv), FALSE);

  return g_option_context_parse_strv (context, &strv, error);
}

gboolean
kontor_cli_io_owns_command_line (char               **argv,
                                 const GOptionEntry  *global_entries)
{
  for (guint i = 1; argv != NULL && argv[i] != NULL; i++)
    {
      const char *arg = argv[i];
      const GOptionEntry *entry = NULL;

      if (g_str_equal (arg, "--"))
        return argv[i + 1] != NULL && g_strv_contains (io_commands, argv[i + 1]);
      if (arg[0] != '-' || arg[1] == '\0')
        return g_strv_contains (io_commands, arg);

      if (arg[1] == '-')
        {
          if (strchr (arg, '=') != NULL)
            continue;
          for (guint e = 0; global_entries[e].long_name && !entry; e++)
            if (g_str_equal (global_entries[e].long_name, arg + 2))
              entry = &global_entries[e];
        }
      else
        {
          /* "-qn5" or "-n 5": a value-taking short option last in the group
           * takes the next argument */
          const char *last = arg + strlen (arg) - 1;

          for (guint e = 0; global_entries[e].long_name && !entry; e++)
            if (global_entries[e].short_name == *last && last == arg + 1)
              entry = &global_entries[e];
        }

      if (entry != NULL && entry->arg != G_OPTION_ARG_NONE && argv[i + 1] != NULL)
        i++;
    }

  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Problems                                                               */

static char *
problem_text (const KontorImportProblem *p)
{
  g_autofree char *text = kontor_import_problem_to_string (p);

  return g_strdup_printf ("%s [%s]", text, p->fatal ? _("not imported") : _("warning"));
}

static void
print_problems (GPtrArray  *problems,
                guint       n_problems,
                const char *prefix)
{
  guint shown = MIN (problems->len, MAX_SHOWN_PROBLEMS);

  for (guint i = 0; i < shown; i++)
    {
      g_autofree char *text = problem_text (g_ptr_array_index (problems, i));

      g_print ("  %s%s\n", prefix ? prefix : "", text);
    }
  if (n_problems > shown)
    g_print (g_dngettext (GETTEXT_PACKAGE, "  … and %u more problem (--json lists up to "
                                           "10,000 per file)\n",
                          "  … and %u more problems (--json lists up to 10,000 per file)\n",
                          n_problems - shown), n_problems - shown);
}

static void
add_problems_json (JsonBuilder *b,
                   GPtrArray   *problems)
{
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  for (guint i = 0; i < problems->len; i++)
    {
      KontorImportProblem *p = g_ptr_array_index (problems, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, p->line);
      json_builder_set_member_name (b, "field");
      if (p->field)
        json_builder_add_string_value (b, p->field);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, p->message);
      json_builder_set_member_name (b, "fatal");
      json_builder_add_boolean_value (b, p->fatal);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_count (JsonBuilder *b,
           const char  *name,
           gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* ---------------------------------------------------------------------- */
/* import                                                                 */

typedef enum
{
  FORMAT_AUTO,
  FORMAT_CSV,
  FORMAT_VCARD,
  FORMAT_ICS,
} FileFormat;

static const char *
format_name (FileFormat format)
{
  switch (format)
    {
    case FORMAT_CSV:
      return "csv";
    case FORMAT_VCARD:
      return "vcard";
    case FORMAT_ICS:
      return "ics";
    case FORMAT_AUTO:
    default:
      return "auto";
    }
}

/* By the name first, then by the first letters of the file whatever its
 * encoding (a BOM, the zero bytes of UTF-16 and blanks are skipped). */
static FileFormat
detect_format (const char *path)
{
  static const struct
  {
    const char *suffix;
    FileFormat  format;
  } suffixes[] = {
    { ".csv", FORMAT_CSV }, { ".tsv", FORMAT_CSV }, { ".txt", FORMAT_CSV },
    { ".vcf", FORMAT_VCARD }, { ".vcard", FORMAT_VCARD },
    { ".ics", FORMAT_ICS }, { ".ical", FORMAT_ICS }, { ".ifb", FORMAT_ICS },
  };
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autoptr(GString) start = g_string_new (NULL);
  guint8 buf[4096];
  gsize len = 0;
  FILE *f;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (lower, suffixes[i].suffix))
      return suffixes[i].format;

  f = fopen (path, "rb");
  if (f != NULL)
    {
      len = fread (buf, 1, sizeof buf, f);
      fclose (f);
    }
  for (gsize i = 0; i < len && start->len < 15; i++)
    {
      guint8 c = buf[i];

      if (c == 0 || c == 0xEF || c == 0xBB || c == 0xBF || c == 0xFE || c == 0xFF)
        continue;
      if (start->len == 0 && g_ascii_isspace (c))
        continue;
      g_string_append_c (start, (char) g_ascii_toupper (c));
    }

  if (g_str_has_prefix (start->str, "BEGIN:VCALENDAR"))
    return FORMAT_ICS;
  if (g_str_has_prefix (start->str, "BEGIN:VCARD"))
    return FORMAT_VCARD;
  return FORMAT_CSV;
}

static void
on_import_progress (guint64  bytes_read,
                    guint64  bytes_total,
                    guint    n_rows,
                    gpointer user_data)
{
  progress_show (user_data, NULL, n_rows, bytes_read, bytes_total, FALSE);
}

/* The detected mapping of the file's header with the --mapping columns
 * put over it. */
static KontorImportMapping *
build_mapping (KontorStore  *store,
               IoOptions    *o,
               const char   *kind_name,
               GFile        *file,
               char          delimiter,
               GError      **error)
{
  KontorKind *kind = kontor_schema_require_kind (kontor_store_get_schema (store), kind_name,
                                                 error);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(KontorCsvReader) reader = NULL;
  g_autoptr(KontorImportMapping) detected = NULL;
  g_autoptr(KontorImportMapping) mapping = NULL;
  g_auto(GStrv) header = NULL;
  guint line = 0;

  if (kind == NULL || (in = g_file_read (file, NULL, error)) == NULL)
    return NULL;
  reader = kontor_csv_reader_new (G_INPUT_STREAM (in));
  if (o->encoding != NULL)
    kontor_csv_reader_set_encoding (reader, o->encoding);
  if (delimiter != 0)
    kontor_csv_reader_set_delimiter (reader, delimiter);
  header = kontor_csv_reader_read_row (reader, &line, NULL, error);
  if (header == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_EMPTY,
                             _("The file holds no data"));
      return NULL;
    }

  /* the importer skips the first row as a header only when it reads as
   * one by itself; a mapping for a row it takes for data would import
   * the column names as a record */
  detected = kontor_import_mapping_detect (kind, (const char * const *) header);
  if (kontor_import_mapping_get_n_mapped (detected) < 2)
    {
      g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_HEADER,
                   _("The first row (line %u) is not recognised as a header, so --mapping "
                     "cannot name its columns; rename the columns after Kontor’s fields"),
                   line);
      return NULL;
    }

  mapping = g_steal_pointer (&detected);

  for (guint i = 0; o->mapping[i]; i++)
    {
      const char *eq = strchr (o->mapping[i], '=');
      g_autofree char *column = NULL;
      int index = -1;

      if (eq == NULL || eq == o->mapping[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--mapping “%s” is not COLUMN=FIELD"), o->mapping[i]);
          return NULL;
        }
      column = g_strstrip (g_strndup (o->mapping[i], eq - o->mapping[i]));
      for (guint c = 0; header[c] && index < 0; c++)
        if (g_str_equal (g_strstrip (header[c]), column))
          index = c;
      for (guint c = 0; header[c] && index < 0; c++)
        if (g_ascii_strcasecmp (header[c], column) == 0)
          index = c;
      if (index < 0)
        {
          g_autofree char *columns = g_strjoinv ("”, “", header);

          g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_HEADER,
                       _("--mapping: the file has no column “%s” (its columns: “%s”)"), column,
                       columns);
          return NULL;
        }
      if (eq[1] != '\0' && kontor_kind_get_field (kind, eq + 1) == NULL &&
          !g_str_equal (eq + 1, KONTOR_MAPPING_FULL_NAME) &&
          !g_str_equal (eq + 1, KONTOR_MAPPING_IGNORE))
        {
          g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_FIELD,
                       _("%s: unknown field of a %s"), eq + 1, kind_name);
          return NULL;
        }
      kontor_import_mapping_set_column (mapping, index, eq[1] ? eq + 1 : NULL);
    }

  return g_steal_pointer (&mapping);
}

static gboolean
parse_date_order_option (const char      *text,
                         KontorDateOrder *order)
{
  if (text == NULL || g_ascii_strcasecmp (text, "iso") == 0)
    *order = KONTOR_DATE_ORDER_ISO;
  else if (g_ascii_strcasecmp (text, "dmy") == 0)
    *order = KONTOR_DATE_ORDER_DMY;
  else if (g_ascii_strcasecmp (text, "mdy") == 0)
    *order = KONTOR_DATE_ORDER_MDY;
  else if (g_ascii_strcasecmp (text, "ymd") == 0)
    *order = KONTOR_DATE_ORDER_YMD;
  else
    return FALSE;
  return TRUE;
}

static char *
date_orders_text (KontorDateOrder orders)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  if (orders & KONTOR_DATE_ORDER_DMY)
    g_strv_builder_add (b, "dmy");
  if (orders & KONTOR_DATE_ORDER_MDY)
    g_strv_builder_add (b, "mdy");
  if (orders & KONTOR_DATE_ORDER_YMD)
    g_strv_builder_add (b, "ymd");
  names = g_strv_builder_end (b);
  return g_strjoinv (", ", names);
}

/* A CSV or vCard file through KontorImporter. */
static gboolean
import_with_importer (KontorStore *store,
                      IoOptions   *o,
                      const char  *path,
                      FileFormat   format,
                      char         delimiter,
                      JsonBuilder *b)
{
  const char *kind = o->kind ? o->kind : "contact";
  g_autoptr(KontorImporter) importer = kontor_importer_new (store, kind);
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_path_get_basename (path);
  KontorDateOrder order = KONTOR_DATE_ORDER_ISO;
  Progress progress;
  gboolean ok;

  parse_date_order_option (o->date_order, &order);
  kontor_importer_set_format (importer, format == FORMAT_VCARD ? KONTOR_IMPORT_FORMAT_VCARD
                                                               : KONTOR_IMPORT_FORMAT_CSV);
  kontor_importer_set_encoding (importer, o->encoding);
  kontor_importer_set_delimiter (importer, delimiter);
  kontor_importer_set_date_order (importer, order);
  kontor_importer_set_dry_run (importer, o->dry_run);
  kontor_importer_set_skip_invalid_values (importer, o->skip_invalid);

  if (o->mapping != NULL && format == FORMAT_CSV)
    {
      g_autoptr(KontorImportMapping) mapping = build_mapping (store, o, kind, file, delimiter,
                                                              &error);

      if (mapping == NULL)
        {
          g_autofree char *msg = g_strdup_printf ("%s: %s", path, error->message);

          print_error (msg);
          if (b != NULL)
            {
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "file");
              json_builder_add_string_value (b, path);
              json_builder_set_member_name (b, "error");
              json_builder_add_string_value (b, error->message);
              json_builder_end_object (b);
            }
          return FALSE;
        }
      kontor_importer_set_mapping (importer, mapping);
    }

  progress_init (&progress, o, base);
  kontor_importer_set_progress_func (importer, on_import_progress, &progress, NULL);
  ok = kontor_importer_run_file (importer, file, NULL, &error);
  progress_end (&progress);

  if (b != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, path);
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, format_name (format));
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, kind);
      json_builder_set_member_name (b, "dry_run");
      json_builder_add_boolean_value (b, o->dry_run);
      add_count (b, "imported", kontor_importer_get_n_imported (importer));
      add_count (b, "skipped", kontor_importer_get_n_skipped (importer));
      add_count (b, "failed", kontor_importer_get_n_failed (importer));
      add_count (b, "organizations_created",
                 kontor_importer_get_n_organizations_created (importer));
      if (kontor_importer_get_encoding (importer) != NULL)
        {
          json_builder_set_member_name (b, "encoding");
          json_builder_add_string_value (b, kontor_importer_get_encoding (importer));
        }
      add_problems_json (b, kontor_importer_get_problems (importer));
      if (!ok)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, error->message);
        }
      json_builder_end_object (b);
    }
  else if (!o->quiet)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      KontorImportMapping *mapping = kontor_importer_get_mapping (importer);
      const char *preset = mapping ? kontor_import_mapping_get_preset (mapping) : NULL;

      g_string_append_printf (line, o->dry_run ? _("%s (dry run, nothing written): %u would be "
                                                   "imported, %u skipped, %u failed")
                                               : _("%s: %u imported, %u skipped, %u failed"),
                              path, kontor_importer_get_n_imported (importer),
                              kontor_importer_get_n_skipped (importer),
                              kontor_importer_get_n_failed (importer));
      if (kontor_importer_get_n_organizations_created (importer) > 0)
        g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE, "; %u organization created",
                                                   "; %u organizations created",
                                                   kontor_importer_get_n_organizations_created (importer)),
                                kontor_importer_get_n_organizations_created (importer));
      g_string_append_printf (line, " (%s", format == FORMAT_VCARD ? "vCard" : "CSV");
      if (kontor_importer_get_encoding (importer) != NULL &&
          !g_str_equal (kontor_importer_get_encoding (importer), "BINARY"))
        g_string_append_printf (line, ", %s", kontor_importer_get_encoding (importer));
      if (preset != NULL)
        g_string_append_printf (line, _(", %s columns"), preset);
      g_string_append (line, ")");
      g_print ("%s\n", line->str);
      print_problems (kontor_importer_get_problems (importer),
                      kontor_importer_get_n_problems (importer), NULL);

      if (o->dry_run && format == FORMAT_CSV && o->date_order == NULL)
        {
          KontorDateOrder possible = kontor_importer_get_date_orders_possible (importer);

          if (possible != KONTOR_DATE_ORDER_ALL && possible != 0)
            {
              g_autofree char *names = date_orders_text (possible);

              g_print (_("  Dates of this file fit the order(s) %s: choose one with "
                         "--date-order\n"), names);
            }
        }
    }

  if (!ok)
    {
      g_autofree char *msg = g_strdup_printf ("%s: %s", path, error->message);

      print_error (msg);
    }

  return ok;
}

static gboolean
ical_uid_known (KontorStore *store,
                const char  *uid)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (store), "activity");
  g_autoptr(KontorQuery) query = NULL;
  const char *values[] = { uid, NULL };
  guint n = 0;

  if (uid == NULL || kind == NULL || kontor_kind_get_field (kind, KONTOR_ICAL_UID_FIELD) == NULL)
    return FALSE;
  query = kontor_query_new ("activity");
  kontor_query_add_condition (query, KONTOR_ICAL_UID_FIELD, KONTOR_QUERY_EQ, values);
  return kontor_store_count (store, query, &n, NULL) && n > 0;
}

static gboolean
import_ical (KontorStore *store,
             IoOptions   *o,
             const char  *path,
             JsonBuilder *b)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems =
    g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_import_problem_free);
  guint imported = 0;
  guint skipped = 0;
  guint failed = 0;
  gboolean ok;

  if (o->dry_run)
    {
      g_autoptr(KontorIcalResult) result = kontor_ical_read_file (file, NULL, NULL, &error);

      ok = result != NULL;
      if (ok)
        {
          for (guint i = 0; i < result->entries->len; i++)
            {
              KontorIcalEntry *e = g_ptr_array_index (result->entries, i);
              const char *uid = json_object_get_string_member_with_default (e->values,
                                                                             KONTOR_ICAL_UID_FIELD,
                                                                             NULL);

              if (ical_uid_known (store, uid))
                skipped++;
              else
                imported++;
            }
          failed = result->n_failed;
          for (guint i = 0; i < result->problems->len; i++)
            {
              KontorIcalProblem *p = g_ptr_array_index (result->problems, i);

              g_ptr_array_add (problems, kontor_import_problem_new (p->line, p->uid, p->message,
                                                                   FALSE));
            }
        }
    }
  else
    {
      g_auto(KontorIcalSummary) summary = { 0 };

      ok = kontor_ical_import (store, file, NULL, &summary, &error);
      imported = summary.imported;
      skipped = summary.skipped;
      failed = summary.failed;
      for (guint i = 0; summary.problems && i < summary.problems->len; i++)
        {
          KontorIcalProblem *p = g_ptr_array_index (summary.problems, i);

          g_ptr_array_add (problems, kontor_import_problem_new (p->line, p->uid, p->message,
                                                               FALSE));
        }
    }

  if (ok && imported + skipped == 0)
    {
      ok = FALSE;
      g_set_error_literal (&error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_NO_RECORDS,
                           _("Not one event or task could be imported"));
    }

  if (b != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, path);
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, "ics");
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, "activity");
      json_builder_set_member_name (b, "dry_run");
      json_builder_add_boolean_value (b, o->dry_run);
      add_count (b, "imported", imported);
      add_count (b, "skipped", skipped);
      add_count (b, "failed", failed);
      add_problems_json (b, problems);
      if (!ok)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, error->message);
        }
      json_builder_end_object (b);
    }
  else if (!o->quiet)
    {
      g_print (o->dry_run ? _("%s (dry run, nothing written): %u would be imported, %u skipped "
                              "(in Kontor already), %u failed (iCalendar)\n")
                          : _("%s: %u imported, %u skipped (in Kontor already), %u failed "
                              "(iCalendar)\n"),
               path, imported, skipped, failed);
      print_problems (problems, problems->len, NULL);
    }

  if (!ok)
    {
      g_autofree char *msg = g_strdup_printf ("%s: %s", path, error->message);

      print_error (msg);
    }

  return ok;
}

static void
on_profile_progress (const char *table,
                     guint       n_rows,
                     guint64     bytes_read,
                     guint64     bytes_total,
                     gpointer    user_data)
{
  progress_show (user_data, table, n_rows, bytes_read, bytes_total, FALSE);
}

static int
import_profile (KontorStore *store,
                IoOptions   *o)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (o->profile);
  g_autoptr(KontorImportProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  GPtrArray *unmatched;
  Progress progress;
  guint n_rows = 0;
  gboolean ok;
  int rc = KONTOR_CLI_EXIT_OK;

  profile = kontor_import_profile_new_from_file (file, &error);
  if (profile == NULL)
    return fail (error);
  if (o->base != NULL)
    {
      g_autoptr(GFile) base = g_file_new_for_commandline_arg (o->base);

      kontor_import_profile_set_base (profile, base);
    }
  kontor_import_profile_set_dry_run (profile, o->dry_run);
  kontor_import_profile_set_skip_invalid_values (profile, o->skip_invalid);

  progress_init (&progress, o, kontor_import_profile_get_name (profile));
  kontor_import_profile_set_progress_func (profile, on_profile_progress, &progress, NULL);
  ok = kontor_import_profile_run (profile, store, NULL, &error);
  progress_end (&progress);
  unmatched = kontor_import_profile_get_unmatched (profile);

  /* a file that yields no record fails the command, even if others did */
  for (guint i = 0; i < kontor_import_profile_get_n_tables (profile); i++)
    {
      const KontorProfileTableStats *s = kontor_import_profile_get_stats (profile, i);

      n_rows += s->n_rows;
      if (s->file != NULL && s->n_imported + s->n_existing + s->n_merged == 0 && ok)
        rc = KONTOR_CLI_EXIT_ERROR;
    }
  if (!ok)
    rc = KONTOR_CLI_EXIT_ERROR;

  if (o->json)
    {
      g_autoptr(JsonNode) root = NULL;

      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "profile");
      json_builder_add_string_value (b, kontor_import_profile_get_name (profile));
      json_builder_set_member_name (b, "dry_run");
      json_builder_add_boolean_value (b, o->dry_run);
      json_builder_set_member_name (b, "tables");
      json_builder_begin_array (b);
      for (guint i = 0; i < kontor_import_profile_get_n_tables (profile); i++)
        {
          const KontorProfileTableStats *s = kontor_import_profile_get_stats (profile, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, s->name);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, s->kind);
          json_builder_set_member_name (b, "file");
          if (s->file)
            json_builder_add_string_value (b, s->file);
          else
            json_builder_add_null_value (b);
          add_count (b, "rows", s->n_rows);
          add_count (b, "imported", s->n_imported);
          add_count (b, "existing", s->n_existing);
          add_count (b, "completed", s->n_completed);
          add_count (b, "merged", s->n_merged);
          add_count (b, "skipped", s->n_skipped);
          add_count (b, "failed", s->n_failed);
          add_count (b, "warnings", s->n_warnings);
          add_problems_json (b, kontor_import_profile_get_problems (profile, i));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "unmatched");
      json_builder_begin_array (b);
      for (guint i = 0; i < unmatched->len; i++)
        {
          KontorProfileUnmatched *u = g_ptr_array_index (unmatched, i);
          g_autofree char *alias = kontor_profile_unmatched_alias_json (u);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "table");
          json_builder_add_string_value (b, u->table);
          json_builder_set_member_name (b, "field");
          json_builder_add_string_value (b, u->field);
          json_builder_set_member_name (b, "target");
          json_builder_add_string_value (b, u->target);
          json_builder_set_member_name (b, "value");
          json_builder_add_string_value (b, u->value);
          add_count (b, "rows", u->n_rows);
          add_count (b, "first_line", u->first_line);
          json_builder_set_member_name (b, "suggestion");
          if (u->suggestion)
            json_builder_add_string_value (b, u->suggestion);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "alias");
          json_builder_add_string_value (b, alias);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      if (!ok)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, error->message);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else if (!o->quiet && (ok || n_rows > 0))
    {
      g_print (o->dry_run ? _("%s (dry run, nothing written):\n") : _("%s:\n"),
               kontor_import_profile_get_name (profile));
      for (guint i = 0; i < kontor_import_profile_get_n_tables (profile); i++)
        {
          const KontorProfileTableStats *s = kontor_import_profile_get_stats (profile, i);
          g_autoptr(GString) line = g_string_new (NULL);

          g_string_append_printf (line, "  %-12s %-20s ", s->name,
                                  s->file ? s->file : _("(in the profile)"));
          g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE, "%5u row: ",
                                                     "%5u rows: ", s->n_rows), s->n_rows);
          g_string_append_printf (line, o->dry_run
                                  ? g_dngettext (GETTEXT_PACKAGE, "%u would be imported",
                                                 "%u would be imported", s->n_imported)
                                  : g_dngettext (GETTEXT_PACKAGE, "%u imported", "%u imported",
                                                 s->n_imported),
                                  s->n_imported);
          g_string_append_printf (line, _(", %u in Kontor already"), s->n_existing);
          if (s->n_completed > 0)
            g_string_append_printf (line, _(" (%u given missing references)"), s->n_completed);
          if (s->n_merged > 0)
            g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE,
                                                       ", %u repeats an earlier row’s key",
                                                       ", %u repeat an earlier row’s key",
                                                       s->n_merged), s->n_merged);
          g_string_append_printf (line, _(", %u skipped, %u failed"), s->n_skipped, s->n_failed);
          if (s->n_warnings > 0)
            g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE, ", %u warning",
                                                       ", %u warnings", s->n_warnings),
                                    s->n_warnings);
          g_print ("%s\n", line->str);
        }
      for (guint i = 0; i < kontor_import_profile_get_n_tables (profile); i++)
        {
          const KontorProfileTableStats *s = kontor_import_profile_get_stats (profile, i);
          GPtrArray *problems = kontor_import_profile_get_problems (profile, i);
          g_autofree char *prefix = g_strdup_printf ("%s: ", s->file ? s->file : s->name);

          if (problems->len > 0)
            print_problems (problems, s->n_problems, prefix);
        }
      if (unmatched->len > 0)
        {
          g_print (_("References that matched nothing:\n"));
          for (guint i = 0; i < unmatched->len; i++)
            {
              KontorProfileUnmatched *u = g_ptr_array_index (unmatched, i);
              g_autofree char *alias = kontor_profile_unmatched_alias_json (u);

              g_print (g_dngettext (GETTEXT_PACKAGE,
                                    "  %s.%s “%s”: %u row (first on line %u) — no row of “%s” "
                                    "has this key",
                                    "  %s.%s “%s”: %u rows (first on line %u) — no row of “%s” "
                                    "has this key", u->n_rows),
                       u->table, u->field, u->value, u->n_rows, u->first_line, u->target);
              if (u->suggestion)
                g_print (_("; did you mean “%s”?"), u->suggestion);
              g_print (_("\n    map it by adding to the profile: %s\n"), alias);
            }
        }
    }

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_autofree char *base = g_file_get_parse_name (kontor_import_profile_get_base (profile));
      g_autofree char *msg = g_strdup_printf (_("%s\n  (the profile’s files are looked for in "
                                                "%s; name their folder with --base DIR)"),
                                              error->message, base);

      print_error (msg);
      return KONTOR_CLI_EXIT_ERROR;
    }
  if (!ok)
    return fail (error);
  if (rc != KONTOR_CLI_EXIT_OK)
    for (guint i = 0; i < kontor_import_profile_get_n_tables (profile); i++)
      {
        const KontorProfileTableStats *s = kontor_import_profile_get_stats (profile, i);

        if (s->file != NULL && s->n_imported + s->n_existing + s->n_merged == 0)
          {
            g_autofree char *msg = g_strdup_printf (_("%s yielded no record"), s->file);

            print_error (msg);
          }
      }

  return rc;
}

static int
cmd_import (KontorStore *store,
            IoOptions   *o)
{
  g_autoptr(JsonBuilder) b = NULL;
  FileFormat forced = FORMAT_AUTO;
  KontorDateOrder order;
  char delimiter = 0;
  int rc = KONTOR_CLI_EXIT_OK;

  if (o->format != NULL)
    {
      if (g_ascii_strcasecmp (o->format, "csv") == 0)
        forced = FORMAT_CSV;
      else if (g_ascii_strcasecmp (o->format, "vcard") == 0 ||
               g_ascii_strcasecmp (o->format, "vcf") == 0)
        forced = FORMAT_VCARD;
      else if (g_ascii_strcasecmp (o->format, "ics") == 0 ||
               g_ascii_strcasecmp (o->format, "ical") == 0)
        forced = FORMAT_ICS;
      else if (g_ascii_strcasecmp (o->format, "auto") != 0)
        return usage_error ("import", _("--format is csv, vcard or ics"));
    }
  if (!parse_date_order_option (o->date_order, &order))
    return usage_error ("import", _("--date-order is dmy, mdy, ymd or iso"));
  if (o->delimiter != NULL)
    {
      if (g_ascii_strcasecmp (o->delimiter, "tab") == 0 || g_str_equal (o->delimiter, "\\t") ||
          g_str_equal (o->delimiter, "\t"))
        delimiter = '\t';
      else if (strlen (o->delimiter) == 1 && strchr (",;|", o->delimiter[0]) != NULL)
        delimiter = o->delimiter[0];
      else
        return usage_error ("import", _("--delimiter is , ; | or tab"));
    }

  if (o->profile != NULL)
    {
      if (o->rest != NULL && o->rest[0] != NULL)
        return usage_error ("import", _("usage: import --profile PROFILE [--base DIR]: the "
                                        "profile names the files"));
      if (o->format || o->kind || o->mapping || o->encoding || o->date_order || o->delimiter)
        return usage_error ("import", _("--format, --kind, --mapping, --encoding, --delimiter "
                                        "and --date-order go in the profile"));
      return import_profile (store, o);
    }
  if (o->base != NULL)
    return usage_error ("import", _("--base is for --profile"));
  if (o->rest == NULL || o->rest[0] == NULL)
    return usage_error ("import", _("usage: import FILE… [options] or import --profile "
                                    "PROFILE"));

  if (o->kind != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (kontor_schema_require_kind (kontor_store_get_schema (store), o->kind, &error) == NULL)
        return fail (error);
    }

  if (o->json)
    {
      b = json_builder_new ();
      json_builder_begin_array (b);
    }

  for (guint i = 0; o->rest[i]; i++)
    {
      const char *path = o->rest[i];
      FileFormat format = forced != FORMAT_AUTO ? forced : detect_format (path);
      gboolean ok;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *msg = g_strdup_printf (_("%s: no such file"), path);

          print_error (msg);
          rc = KONTOR_CLI_EXIT_ERROR;
          continue;
        }
      if (format == FORMAT_ICS && o->kind != NULL && !g_str_equal (o->kind, "activity"))
        return usage_error ("import", _("an iCalendar file holds activities; leave out --kind"));
      if (format != FORMAT_CSV && o->mapping != NULL)
        return usage_error ("import", _("--mapping is for CSV files"));

      if (format == FORMAT_ICS)
        ok = import_ical (store, o, path, b);
      else
        ok = import_with_importer (store, o, path, format, delimiter, b);
      if (!ok)
        rc = KONTOR_CLI_EXIT_ERROR;
    }

  if (b != NULL)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (b);
      root = json_builder_get_root (b);
      print_json (root);
    }

  return rc;
}

/* ---------------------------------------------------------------------- */
/* export                                                                 */

static int
cmd_export (KontorStore *store,
            IoOptions   *o)
{
  g_autoptr(KontorQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  const char *kind;
  gboolean existed = FALSE;
  gboolean ok;
  guint n = 0;
  enum { EXPORT_CSV, EXPORT_VCARD, EXPORT_VCARD_30, EXPORT_ICS } format = EXPORT_CSV;

  if (o->rest == NULL || g_strv_length (o->rest) != 1)
    return usage_error ("export", _("usage: export KIND [--format csv|vcard|vcard3|ics] "
                                    "[--where COND]… [--output FILE]"));
  kind = o->rest[0];

  if (o->format == NULL || g_ascii_strcasecmp (o->format, "csv") == 0)
    format = EXPORT_CSV;
  else if (g_ascii_strcasecmp (o->format, "vcard") == 0 ||
           g_ascii_strcasecmp (o->format, "vcf") == 0)
    format = EXPORT_VCARD;
  else if (g_ascii_strcasecmp (o->format, "vcard3") == 0)
    format = EXPORT_VCARD_30;
  else if (g_ascii_strcasecmp (o->format, "ics") == 0 ||
           g_ascii_strcasecmp (o->format, "ical") == 0)
    format = EXPORT_ICS;
  else
    return usage_error ("export", _("--format is csv, vcard, vcard3 or ics"));

  if (kontor_schema_require_kind (kontor_store_get_schema (store), kind, &error) == NULL)
    return fail (error);
  if (format == EXPORT_ICS && !g_str_equal (kind, "activity"))
    return usage_error ("export", _("iCalendar is for activities: export activity --format ics"));

  query = kontor_query_new (kind);
  for (guint i = 0; o->where && o->where[i]; i++)
    if (!kontor_query_parse_condition (query, o->where[i], &error))
      return usage_error ("export", error->message);
  if (o->sort != NULL)
    kontor_query_parse_sort (query, o->sort);
  if (!kontor_store_count (store, query, &n, &error))
    return fail (error);

  if (o->output != NULL && !g_str_equal (o->output, "-"))
    {
      file = g_file_new_for_commandline_arg (o->output);
      existed = g_file_query_exists (file, NULL);
      /* written next to the file and renamed over it when complete */
      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                             &error));
      if (out == NULL)
        return fail (error);
    }
  else
    out = g_memory_output_stream_new_resizable ();

  if (format == EXPORT_ICS)
    ok = kontor_ical_export (store, query, out, &error);
  else
    {
      g_autoptr(KontorExporter) exporter =
        kontor_exporter_new (store, kind, format == EXPORT_CSV ? KONTOR_EXPORT_CSV
                                          : format == EXPORT_VCARD ? KONTOR_EXPORT_VCARD
                                          : KONTOR_EXPORT_VCARD_30);

      kontor_exporter_set_query (exporter, query);
      ok = kontor_exporter_run (exporter, out, NULL, &error);
      n = kontor_exporter_get_n_exported (exporter);
    }

  if (ok && file == NULL)
    {
      GMemoryOutputStream *mem = G_MEMORY_OUTPUT_STREAM (out);

      ok = g_output_stream_close (out, NULL, &error);
      if (ok && fwrite (g_memory_output_stream_get_data (mem), 1,
                        g_memory_output_stream_get_data_size (mem), stdout) !=
                g_memory_output_stream_get_data_size (mem))
        {
          ok = FALSE;
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Cannot write to standard output"));
        }
      fflush (stdout);
    }
  else if (ok)
    ok = g_output_stream_close (out, NULL, &error);
  else if (file != NULL)
    {
      /* a cancelled close drops the temporary file; a new file goes too */
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();

      g_cancellable_cancel (cancelled);
      g_output_stream_close (out, cancelled, NULL);
      if (!existed)
        g_file_delete (file, NULL, NULL);
    }

  if (!ok)
    return fail (error);

  if (!o->quiet && file != NULL)
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "Exported %u %s record to %s\n",
                             "Exported %u %s records to %s\n", n), n, kind, o->output);

  return KONTOR_CLI_EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* duplicates                                                             */

static gboolean
on_duplicates_progress (double   fraction,
                        gpointer user_data)
{
  Progress *p = user_data;
  gint64 now = g_get_monotonic_time ();

  if (p->enabled && (now - p->last >= G_USEC_PER_SEC / 10 || fraction >= 1.0))
    {
      p->last = now;
      p->shown = TRUE;
      g_printerr ("\r%s %3.0f%%   ", p->label, fraction * 100);
    }
  return TRUE;
}

static const char *
record_title (KontorStore *store,
              GHashTable  *titles,
              const char  *id)
{
  const char *title = g_hash_table_lookup (titles, id);

  if (title == NULL)
    {
      g_autoptr(KontorRecord) r = kontor_store_get (store, id, NULL);

      title = r ? kontor_record_get_title (r) : "";
      g_hash_table_insert (titles, g_strdup (id), g_strdup (title));
      title = g_hash_table_lookup (titles, id);
    }
  return title;
}

static int
cmd_duplicates (KontorStore *store,
                IoOptions   *o)
{
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Progress progress;
  guint shown;

  if (o->rest == NULL || g_strv_length (o->rest) != 1)
    return usage_error ("duplicates", _("usage: duplicates KIND [--threshold 0.8] [--limit N]"));
  if (o->threshold < 0 || o->threshold > 1)
    return usage_error ("duplicates", _("--threshold is a score from 0 to 1"));
  if (o->limit < 0)
    return usage_error ("duplicates", _("--limit must not be negative"));

  progress_init (&progress, o, _("Comparing records:"));
  pairs = kontor_duplicates_scan (store, o->rest[0], o->threshold, on_duplicates_progress,
                                  &progress, &error);
  progress_end (&progress);
  if (pairs == NULL)
    return fail (error);

  shown = o->limit > 0 ? MIN ((guint) o->limit, pairs->len) : pairs->len;

  if (o->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < shown; i++)
        {
          KontorDuplicateCandidate *c = g_ptr_array_index (pairs, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "score");
          json_builder_add_double_value (b, c->score);
          json_builder_set_member_name (b, "a");
          json_builder_add_string_value (b, c->id_a);
          json_builder_set_member_name (b, "a_title");
          json_builder_add_string_value (b, record_title (store, titles, c->id_a));
          json_builder_set_member_name (b, "b");
          json_builder_add_string_value (b, c->id_b);
          json_builder_set_member_name (b, "b_title");
          json_builder_add_string_value (b, record_title (store, titles, c->id_b));
          json_builder_set_member_name (b, "reasons");
          json_builder_begin_array (b);
          for (guint r = 0; c->reasons && c->reasons[r]; r++)
            json_builder_add_string_value (b, c->reasons[r]);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      print_json (root);
      return KONTOR_CLI_EXIT_OK;
    }

  for (guint i = 0; i < shown; i++)
    {
      KontorDuplicateCandidate *c = g_ptr_array_index (pairs, i);
      g_autofree char *reasons = c->reasons ? g_strjoinv ("; ", c->reasons) : g_strdup ("");

      g_print ("%.2f  %s  %s\n", c->score, c->id_a, record_title (store, titles, c->id_a));
      g_print ("      %s  %s\n", c->id_b, record_title (store, titles, c->id_b));
      g_print ("      %s\n", reasons);
    }
  if (!o->quiet)
    {
      if (shown < pairs->len)
        g_printerr (_("(%u of %u pairs shown)\n"), shown, pairs->len);
      else if (pairs->len == 0)
        g_printerr (_("No likely duplicates (score %.2f or more)\n"), o->threshold);
      else
        g_printerr (_("Merge a pair with “kontor-cli merge SURVIVOR OTHER”\n"));
    }

  return KONTOR_CLI_EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* merge                                                                  */

static int
cmd_merge (KontorStore *store,
           IoOptions   *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) survivor = NULL;
  g_autoptr(KontorRecord) other = NULL;
  g_autoptr(JsonObject) chosen = NULL;
  g_autoptr(KontorMergeResult) result = NULL;
  guint n_args = o->rest ? g_strv_length (o->rest) : 0;

  if (o->undo != NULL)
    {
      if (n_args != 0 || o->keep != NULL)
        return usage_error ("merge", _("usage: merge --undo HISTORY_ID"));
      if (!kontor_merge_undo (store, o->undo, &error))
        return fail (error);
      if (o->json)
        g_print ("{\"undone\": \"%s\"}\n", o->undo);
      else if (!o->quiet)
        g_print (_("Undid the merge %s: both records are as they were before\n"), o->undo);
      return KONTOR_CLI_EXIT_OK;
    }

  if (n_args != 2)
    return usage_error ("merge", _("usage: merge SURVIVOR OTHER [--keep FIELD=other|survivor]…"));

  survivor = kontor_store_get (store, o->rest[0], &error);
  if (survivor == NULL)
    return fail (error);
  other = kontor_store_get (store, o->rest[1], &error);
  if (other == NULL)
    return fail (error);

  for (guint i = 0; o->keep && o->keep[i]; i++)
    {
      const char *eq = strchr (o->keep[i], '=');
      g_autofree char *field = NULL;
      KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (store),
                                                 kontor_record_get_kind (survivor));
      KontorRecord *from;
      JsonNode *value;

      if (eq == NULL || eq == o->keep[i] ||
          (!g_str_equal (eq + 1, "other") && !g_str_equal (eq + 1, "survivor")))
        {
          g_autofree char *msg = g_strdup_printf (_("--keep “%s” is not FIELD=other or "
                                                    "FIELD=survivor"), o->keep[i]);

          return usage_error ("merge", msg);
        }
      field = g_strndup (o->keep[i], eq - o->keep[i]);
      if (kind == NULL || kontor_kind_get_field (kind, field) == NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("%s: unknown field of a %s"), field,
                                                  kontor_record_get_kind (survivor));

          print_error (msg);
          return KONTOR_CLI_EXIT_ERROR;
        }
      if (chosen == NULL)
        chosen = json_object_new ();
      from = g_str_equal (eq + 1, "other") ? other : survivor;
      value = kontor_record_get_value (from, field);
      json_object_set_member (chosen, field, value ? json_node_copy (value)
                                                   : json_node_new (JSON_NODE_NULL));
    }

  if (!kontor_merge_records (store, o->rest[0], o->rest[1], chosen, &result, &error))
    return fail (error);

  if (o->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "history_id");
      json_builder_add_string_value (b, result->history_id);
      json_builder_set_member_name (b, "survivor");
      json_builder_add_string_value (b, result->survivor_id);
      json_builder_set_member_name (b, "merged");
      json_builder_add_string_value (b, result->merged_id);
      json_builder_set_member_name (b, "changed_fields");
      json_builder_begin_array (b);
      for (guint i = 0; result->changed_fields && result->changed_fields[i]; i++)
        json_builder_add_string_value (b, result->changed_fields[i]);
      json_builder_end_array (b);
      add_count (b, "moved_links", result->n_moved_links);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else if (o->quiet)
    g_print ("%s\n", result->history_id);
  else
    {
      g_autofree char *fields = result->changed_fields && result->changed_fields[0]
                                ? g_strjoinv (", ", result->changed_fields)
                                : g_strdup (_("none"));

      g_print (_("Merged %s into %s\n"), result->merged_id, result->survivor_id);
      g_print (_("  fields changed: %s\n"), fields);
      g_print (g_dngettext (GETTEXT_PACKAGE, "  %u reference moved\n",
                            "  %u references moved\n", result->n_moved_links),
               result->n_moved_links);
      g_print (_("  history: %s (undo with “kontor-cli merge --undo %s”)\n"),
               result->history_id, result->history_id);
    }

  return KONTOR_CLI_EXIT_OK;
}

/* ---------------------------------------------------------------------- */

int
kontor_cli_io_command (KontorStore  *store,
                       const char   *cmd,
                       char        **args,
                       gboolean      json,
                       gboolean      quiet,
                       gboolean     *handled)
{
  g_auto(IoOptions) o = { 0 };
  g_autoptr(GError) error = NULL;
  char *empty[] = { NULL };

  g_return_val_if_fail (KONTOR_IS_STORE (store), KONTOR_CLI_EXIT_ERROR);
  g_return_val_if_fail (cmd != NULL, KONTOR_CLI_EXIT_ERROR);
  g_return_val_if_fail (handled != NULL, KONTOR_CLI_EXIT_ERROR);

  *handled = g_strv_contains (io_commands, cmd);
  if (!*handled)
    return KONTOR_CLI_EXIT_OK;

  if (!parse_options (cmd, args ? args : empty, &o, &error))
    return usage_error (cmd, error->message);
  o.json = o.json || json;
  o.quiet = o.quiet || quiet;

  if (g_str_equal (cmd, "import"))
    return cmd_import (store, &o);
  if (g_str_equal (cmd, "export"))
    return cmd_export (store, &o);
  if (g_str_equal (cmd, "duplicates"))
    return cmd_duplicates (store, &o);
  return cmd_merge (store, &o);
}
