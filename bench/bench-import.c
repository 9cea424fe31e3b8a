/* bench-import.c: CSV import speed against sqlite3's .import
 *
 *   bench-import [--rows N] [--rounds N] [--dir DIR] [--sqlite3 PROGRAM]
 *
 * Writes a deterministic contacts CSV of N rows (names with umlauts,
 * e-mail addresses, phone numbers, cities), then, in alternating rounds,
 * imports it with KontorImporter into a fresh replica and with the sqlite3
 * shell's ".import" into a plain table of a fresh database. Prints the
 * medians as "key=value" lines on stdout: rows per second of each and the
 * ratio of Kontor's time to sqlite3's (the goal is 3 or less), and the
 * process's peak memory. Progress goes to stderr.
 *
 * The two do not do the same work: sqlite3 stores text in one table,
 * Kontor validates and normalises every value (e-mail, E.164 phone),
 * builds the record's causal state, its full-text entry, its indexes and
 * an outbox entry for sync. The ratio says what that costs.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "kontor-importer.h"

#define DATA_SEED 20261201

static const char * const first_names[] = {
  "Jürgen", "Jörg", "Björn", "Sören", "Günter", "Bärbel", "Käthe", "Müge", "Thomas", "Sabine",
  "Katharina", "Stefanie", "Alexander", "Sebastian", "Franziska", "Anna", "Lukas", "Leonie",
  "Maximilian", "Sophie", "Özlem", "Zoë", "André", "Renée", "Felix", "Johanna", "Niklas",
  "Marie", "Paul", "Lena",
};

static const char * const last_names[] = {
  "Müller", "Mueller", "Meier", "Meyer", "Schäfer", "Schröder", "Groß", "Weiß", "Jäger",
  "Köhler", "Özdemir", "Nußbaum", "Schmidt", "Schneider", "Fischer", "Wagner", "Becker",
  "Hoffmann", "Krüger", "Zimmermann", "Hartmann", "Lehmann", "Huber", "Gruber", "Steiner",
  "Brunner", "Bühler", "Lüthi", "König", "Böhm", "Wöhrle", "Dürr",
};

static const struct
{
  const char *city;
  const char *area;   /* area code without the trunk 0 */
} cities[] = {
  { "Stuttgart", "711" }, { "München", "89" }, { "Köln", "221" }, { "Düsseldorf", "211" },
  { "Nürnberg", "911" }, { "Hamburg", "40" }, { "Berlin", "30" }, { "Frankfurt am Main", "69" },
  { "Leipzig", "341" }, { "Lübeck", "451" }, { "Saarbrücken", "681" }, { "Göttingen", "551" },
  { "Osnabrück", "541" }, { "Würzburg", "931" }, { "Tübingen", "7071" },
};

static const char * const domains[] = {
  "example.de", "example.com", "beispiel.de", "firma.example", "mail.example.org",
};

/* Lower-case ASCII for an e-mail local part: ä -> ae, ß -> ss, é -> e. */
static void
append_ascii (GString    *out,
              const char *name)
{
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_unichar_tolower (g_utf8_get_char (p));

      switch (c)
        {
        case 0xE4: g_string_append (out, "ae"); break;
        case 0xF6: g_string_append (out, "oe"); break;
        case 0xFC: g_string_append (out, "ue"); break;
        case 0xDF: g_string_append (out, "ss"); break;
        case 0xE9: case 0xEB: g_string_append_c (out, 'e'); break;
        default:
          if (c < 0x80 && g_ascii_isalnum (c))
            g_string_append_c (out, (char) c);
          break;
        }
    }
}

static gboolean
write_csv (const char  *path,
           guint        n_rows,
           GError     **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (DATA_SEED);
  g_autoptr(GString) out = g_string_new ("first_name,last_name,email,phone,city\n");
  FILE *f = g_fopen (path, "wb");

  if (f == NULL)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "cannot write %s: %s", path, g_strerror (errno));
      return FALSE;
    }

  for (guint i = 0; i < n_rows; i++)
    {
      const char *first = first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))];
      const char *last = last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))];
      guint city = g_rand_int_range (rand, 0, G_N_ELEMENTS (cities));

      g_string_append_printf (out, "%s,%s,", first, last);
      append_ascii (out, first);
      g_string_append_c (out, '.');
      append_ascii (out, last);
      g_string_append_printf (out, "%u@%s,", i,
                              domains[g_rand_int_range (rand, 0, G_N_ELEMENTS (domains))]);
      g_string_append_printf (out, "0%s %u,%s\n", cities[city].area,
                              (guint) g_rand_int_range (rand, 100000, 9999999), cities[city].city);

      if (out->len > 1 << 20)
        {
          fwrite (out->str, 1, out->len, f);
          g_string_truncate (out, 0);
        }
    }
  fwrite (out->str, 1, out->len, f);

  if (fclose (f) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "cannot write %s: %s", path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
remove_db (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[i], NULL);

      g_remove (p);
    }
}

/* VmHWM of this process in kB (the imports run in it; sqlite3 is a
 * child), 0 if unknown. */
static guint64
peak_rss_kb (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return 0;
  line = strstr (text, "VmHWM:");
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

static void
on_progress (guint64  bytes_read,
             guint64  bytes_total,
             guint    n_rows,
             gpointer user_data)
{
  if (n_rows % 10000 == 0)
    g_printerr ("\r  kontor: %u rows   ", n_rows);
}

/* Seconds for KontorImporter to take the file into a fresh replica. */
static double
time_kontor (const char  *csv,
             const char  *db,
             guint        n_rows,
             GError     **error)
{
  g_autoptr(KontorStore) store = NULL;
  g_autoptr(KontorImporter) importer = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  gint64 start;
  double seconds;

  remove_db (db);
  store = kontor_store_open (db, error);
  if (store == NULL)
    return -1;
  importer = kontor_importer_new (store, "contact");
  kontor_importer_set_format (importer, KONTOR_IMPORT_FORMAT_CSV);
  kontor_importer_set_progress_func (importer, on_progress, NULL, NULL);

  start = g_get_monotonic_time ();
  if (!kontor_importer_run_file (importer, file, NULL, error))
    return -1;
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_printerr ("\r");

  if (kontor_importer_get_n_imported (importer) != n_rows)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Kontor imported %u of %u rows (%u failed)", kontor_importer_get_n_imported (importer), n_rows,
                   kontor_importer_get_n_failed (importer));
      return -1;
    }

  return seconds;
}

/* Seconds for "sqlite3 DB -cmd '.mode csv' '.import CSV t'", the process
 * included (a few milliseconds). */
static double
time_sqlite (const char  *program,
             const char  *csv,
             const char  *db,
             guint        n_rows,
             GError     **error)
{
  g_autofree char *import = g_strdup_printf (".import '%s' t", csv);
  const char *argv[] = { program, db, "-cmd", ".mode csv", import, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start;
  double seconds;
  int status = 0;
  guint count = 0;

  remove_db (db);
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, error))
    return -1;
  seconds = (g_get_monotonic_time () - start) / 1e6;
  if (!g_spawn_check_wait_status (status, error))
    return -1;

  if (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (handle, "SELECT count(*) FROM t", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);

  if (count != n_rows)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "sqlite3 imported %u of %u rows: %s",
                   count, n_rows, err ? err : "");
      return -1;
    }

  return seconds;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) / 2;
}

static void
print_machine (void)
{
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (cpuinfo, "\n", -1);

      for (guint i = 0; lines[i] && model == NULL; i++)
        if (g_str_has_prefix (lines[i], "model name"))
          {
            const char *colon = strchr (lines[i], ':');

            if (colon != NULL)
              model = g_strstrip (g_strdup (colon + 1));
          }
    }

  g_print ("machine.cpu=%s\n", model ? model : "unknown");
  g_print ("machine.cpus=%u\n", g_get_num_processors ());
  g_print ("sqlite.version=%s\n", sqlite3_libversion ());
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) kontor = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sqlite = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *program = g_strdup ("sqlite3");
  g_autofree char *csv = NULL;
  g_autofree char *kontor_db = NULL;
  g_autofree char *sqlite_db = NULL;
  gboolean own_dir = FALSE;
  int n_rows = 100000;
  int n_rounds = 3;
  double k_median;
  double s_median;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &n_rows, "Rows of the generated CSV (100000)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &n_rounds, "Timed rounds of each (3)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Folder for the files (a new temporary one)",
      "DIR" },
    { "sqlite3", 0, 0, G_OPTION_ARG_FILENAME, &program, "The sqlite3 shell (sqlite3)", "PROGRAM" },
    { NULL }
  };

  context = g_option_context_new ("- time a CSV import against sqlite3 .import");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (n_rows < 1 || n_rounds < 1)
    {
      g_printerr ("--rows and --rounds must be positive\n");
      return EXIT_FAILURE;
    }

  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("kontor-bench-import-XXXXXX", &error);
      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      own_dir = TRUE;
    }
  csv = g_build_filename (dir, "contacts.csv", NULL);
  kontor_db = g_build_filename (dir, "kontor.db", NULL);
  sqlite_db = g_build_filename (dir, "plain.db", NULL);

  print_machine ();
  g_print ("rows=%d\n", n_rows);
  g_print ("rounds=%d\n", n_rounds);

  if (!write_csv (csv, n_rows, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  {
    g_autoptr(GFile) f = g_file_new_for_path (csv);
    g_autoptr(GFileInfo) info = g_file_query_info (f, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL,
                                                   NULL);

    g_print ("csv.path=%s\n", csv);
    g_print ("csv.bytes=%" G_GINT64_FORMAT "\n", info ? g_file_info_get_size (info) : 0);
  }

  /* alternating, so that a slow phase of the machine hits both */
  for (int round = 0; round < n_rounds; round++)
    {
      double k = time_kontor (csv, kontor_db, n_rows, &error);
      double s = k < 0 ? -1 : time_sqlite (program, csv, sqlite_db, n_rows, &error);

      if (k < 0 || s < 0)
        {
          g_printerr ("\n%s\n", error->message);
          return EXIT_FAILURE;
        }
      g_array_append_val (kontor, k);
      g_array_append_val (sqlite, s);
      g_printerr ("round %d: kontor %.3f s, sqlite3 %.3f s\n", round + 1, k, s);
    }

  k_median = median (kontor);
  s_median = median (sqlite);
  g_print ("kontor.seconds=%.3f\n", k_median);
  g_print ("kontor.rows_per_s=%.0f\n", n_rows / k_median);
  /* streaming: this stays flat however large the file */
  g_print ("kontor.peak_rss_kb=%" G_GUINT64_FORMAT "\n", peak_rss_kb ());
  g_print ("sqlite3.seconds=%.3f\n", s_median);
  g_print ("sqlite3.rows_per_s=%.0f\n", n_rows / s_median);
  g_print ("ratio=%.2f\n", k_median / s_median);
  g_print ("goal=3\n");
  g_print ("goal.met=%s\n", k_median / s_median <= 3 ? "yes" : "no");

  if (own_dir)
    {
      remove_db (kontor_db);
      remove_db (sqlite_db);
      g_remove (csv);
      g_rmdir (dir);
    }
  else
    g_print ("kontor.db=%s\n", kontor_db);

  return EXIT_SUCCESS;
}
