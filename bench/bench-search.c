/* bench-search.c: search and list latency on a large replica
 *
 *   bench-search [--contacts N] [--db PATH] [--queries N] [--rounds N]
 *
 * Fills PATH (if it does not exist yet) with N generated contacts, then
 * times kontor_store_search() against the bare FTS5 query it is built on,
 * run through the SQLite C API on a second, read-only connection, and
 * checks that the first page of contacts sorted by last name walks an
 * index. Results are "key=value" lines on stdout; progress goes to stderr.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "kontor-demo.h"

#define SEARCH_LIMIT 20
#define PAGE_SIZE 100
#define DEEP_OFFSET 500000
#define QUERY_SEED 20261201

/* Words the demo data is made of: the queries are prefixes of them, as
 * typed, transliterated ("muel") or without accents ("mul"). */
static const char * const query_words[] = {
  "Müller", "Mueller", "Meier", "Meyer", "Schäfer", "Schröder", "Größ", "Weiß",
  "Jäger", "Köhler", "Özdemir", "Nußbaum", "Schmidt", "Schneider", "Fischer",
  "Wagner", "Becker", "Hoffmann", "Krüger", "Zimmermann", "Hartmann", "Lehmann",
  "Huber", "Gruber", "Steiner", "Brunner", "Bühler", "Lüthi", "König", "Böhm",
  "Thomas", "Sabine", "Jürgen", "Jörg", "Björn", "Günter", "Bärbel", "Katharina",
  "Stefanie", "Alexander", "Sebastian", "Franziska", "Sören",
  "Stuttgart", "München", "Köln", "Düsseldorf", "Nürnberg", "Hamburg", "Berlin",
  "Frankfurt", "Leipzig", "Wien", "Graz", "Zürich", "Basel", "Lübeck", "Saarbrücken",
  "Maschinenbau", "Logistik", "Präzisionstechnik", "Elektrotechnik", "Spedition",
  "Systemhaus", "Großhandel", "Gießerei", "GmbH", "Geschäftsführerin", "Einkaufsleiter",
  "Vertriebsleiterin", "Bahnhofstraße", "Industriestraße",
};

/* Always measured: the cases the search was built for. */
static const char * const fixed_queries[] = {
  "mül", "muell", "mull", "schä", "schae", "meier", "meyer", "stutt", "gmbh",
  "größ", "gross", "weiß", "weiss", "özd", "oezd", "nuss", "nuß", "köhl",
  "koehl", "mü", "ja", "thomas mü", "anna schm", "zürich", "zuer",
};

typedef struct
{
  guint64  contacts;
  char    *db;
  guint    queries;
  guint    rounds;
} Options;

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  gint64 *start = user_data;
  double seconds = (g_get_monotonic_time () - *start) / 1e6;

  g_printerr ("\rgenerating: %u/%u records, %.0f records/s   ", done, total,
              seconds > 0 ? done / seconds : 0.0);
}

static gboolean
generate (KontorStore    *store,
          const Options  *opts,
          GError        **error)
{
  KontorDemoOptions demo = { 0 };
  gint64 start = g_get_monotonic_time ();
  guint64 records;
  double seconds;

  demo.seed = 1;
  demo.n_contacts = opts->contacts;
  demo.n_organizations = MAX (opts->contacts / 25, 1);

  if (!kontor_demo_generate (store, &demo, on_progress, &start, error))
    return FALSE;

  seconds = (g_get_monotonic_time () - start) / 1e6;
  records = demo.n_contacts + demo.n_organizations;
  g_printerr ("\n");
  g_print ("generate.contacts=%u\n", demo.n_contacts);
  g_print ("generate.organizations=%u\n", demo.n_organizations);
  g_print ("generate.seconds=%.2f\n", seconds);
  g_print ("generate.records_per_s=%.0f\n", records / seconds);

  return TRUE;
}

/* The first n characters of word, lower-cased. */
static char *
prefix_of (const char *word,
           guint       n)
{
  const char *end = word;
  g_autofree char *cut = NULL;

  for (guint i = 0; i < n && *end; i++)
    end = g_utf8_next_char (end);
  cut = g_strndup (word, end - word);

  return g_utf8_strdown (cut, -1);
}

static char *
transliterate (const char *word)
{
  static const char * const map[][2] = {
    { "ä", "ae" }, { "ö", "oe" }, { "ü", "ue" }, { "Ä", "Ae" }, { "Ö", "Oe" },
    { "Ü", "Ue" }, { "ß", "ss" },
  };
  g_autoptr(GString) s = g_string_new (word);

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    g_string_replace (s, map[i][0], map[i][1], 0);

  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
strip_accents (const char *word)
{
  g_autofree char *ss = NULL;
  g_autoptr(GString) s = NULL;

  s = g_string_new (word);
  g_string_replace (s, "ß", "ss", 0);
  ss = g_string_free (g_steal_pointer (&s), FALSE);

  return g_str_to_ascii (ss, "C");
}

/* The fixed queries, then seeded prefixes of 2 to 6 letters. */
static GPtrArray *
make_queries (guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (QUERY_SEED);
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (fixed_queries) && queries->len < n; i++)
    g_ptr_array_add (queries, g_strdup (fixed_queries[i]));

  while (queries->len < n)
    {
      const char *word = query_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (query_words))];
      guint len = g_rand_int_range (rand, 2, 7);
      g_autofree char *spelling = NULL;

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          spelling = transliterate (word);
          break;
        case 1:
          spelling = strip_accents (word);
          break;
        default:
          spelling = g_strdup (word);
          break;
        }
      g_ptr_array_add (queries, prefix_of (spelling, len));
    }

  return queries;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* p in 0..100 of a sorted array, nearest rank */
static gint64
percentile (GArray *sorted,
            guint   p)
{
  guint rank;

  if (sorted->len == 0)
    return 0;
  rank = (p * sorted->len + 99) / 100;
  rank = CLAMP (rank, 1, sorted->len);

  return g_array_index (sorted, gint64, rank - 1);
}

static gboolean
search_kontor (KontorStore  *store,
               const char   *query,
               gint64       *micros,
               guint        *hits,
               GError      **error)
{
  g_autoptr(GPtrArray) results = NULL;
  gint64 start = g_get_monotonic_time ();

  results = kontor_store_search (store, query, "contact", SEARCH_LIMIT, error);
  *micros = g_get_monotonic_time () - start;
  if (results == NULL)
    return FALSE;
  *hits = results->len;

  return TRUE;
}

static gboolean
search_sqlite (sqlite3      *db,
               sqlite3_stmt *stmt,
               const char   *expression,
               gint64       *micros,
               guint        *hits,
               GError      **error)
{
  gint64 start = g_get_monotonic_time ();
  guint n = 0;
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, expression, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n++;
  *micros = g_get_monotonic_time () - start;
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", expression,
                   sqlite3_errmsg (db));
      return FALSE;
    }
  *hits = n;

  return TRUE;
}

static gboolean
bench_search (KontorStore    *store,
              const Options  *opts,
              GError        **error)
{
  g_autoptr(GPtrArray) queries = make_queries (opts->queries);
  g_autoptr(GPtrArray) expressions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) kontor_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) sqlite_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 kontor_hits = 0;
  guint64 sqlite_hits = 0;
  gboolean ok = FALSE;
  gint64 p50_k, p99_k, p50_s, p99_s;
  int rc;

  rc = sqlite3_open_v2 (kontor_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "SELECT rowid FROM record_fts WHERE record_fts MATCH ? "
                                 "ORDER BY rank LIMIT " G_STRINGIFY (SEARCH_LIMIT),
                             -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "read-only connection: %s",
                   sqlite3_errmsg (db));
      goto out;
    }

  for (guint i = 0; i < queries->len; i++)
    g_ptr_array_add (expressions, kontor_store_search_expression (queries->pdata[i], "contact"));

  /* warm up both paths over every query, unmeasured */
  for (guint i = 0; i < queries->len; i++)
    {
      gint64 us;
      guint hits;

      if (!search_kontor (store, queries->pdata[i], &us, &hits, error) ||
          !search_sqlite (db, stmt, expressions->pdata[i], &us, &hits, error))
        goto out;
    }

  /* rounds alternate which of the two goes first */
  for (guint round = 0; round < opts->rounds; round++)
    {
      for (guint i = 0; i < queries->len; i++)
        {
          gint64 k_us, s_us;
          guint k_hits, s_hits;

          if (round % 2 == 0)
            {
              if (!search_kontor (store, queries->pdata[i], &k_us, &k_hits, error) ||
                  !search_sqlite (db, stmt, expressions->pdata[i], &s_us, &s_hits, error))
                goto out;
            }
          else
            {
              if (!search_sqlite (db, stmt, expressions->pdata[i], &s_us, &s_hits, error) ||
                  !search_kontor (store, queries->pdata[i], &k_us, &k_hits, error))
                goto out;
            }
          g_array_append_val (kontor_us, k_us);
          g_array_append_val (sqlite_us, s_us);
          kontor_hits += k_hits;
          sqlite_hits += s_hits;
        }
      g_printerr ("\rsearch: round %u/%u   ", round + 1, opts->rounds);
    }
  g_printerr ("\n");

  g_array_sort (kontor_us, compare_int64);
  g_array_sort (sqlite_us, compare_int64);
  p50_k = percentile (kontor_us, 50);
  p99_k = percentile (kontor_us, 99);
  p50_s = percentile (sqlite_us, 50);
  p99_s = percentile (sqlite_us, 99);

  g_print ("search.queries=%u\n", queries->len);
  g_print ("search.rounds=%u\n", opts->rounds);
  g_print ("search.samples=%u\n", kontor_us->len);
  g_print ("search.kontor.hits_avg=%.1f\n", (double) kontor_hits / MAX (kontor_us->len, 1));
  g_print ("search.sqlite.hits_avg=%.1f\n", (double) sqlite_hits / MAX (sqlite_us->len, 1));
  g_print ("search.kontor.p50_us=%" G_GINT64_FORMAT "\n", p50_k);
  g_print ("search.kontor.p99_us=%" G_GINT64_FORMAT "\n", p99_k);
  g_print ("search.kontor.max_us=%" G_GINT64_FORMAT "\n", percentile (kontor_us, 100));
  g_print ("search.sqlite.p50_us=%" G_GINT64_FORMAT "\n", p50_s);
  g_print ("search.sqlite.p99_us=%" G_GINT64_FORMAT "\n", p99_s);
  g_print ("search.sqlite.max_us=%" G_GINT64_FORMAT "\n", percentile (sqlite_us, 100));
  g_print ("search.ratio_p50=%.2f\n", (double) p50_k / MAX (p50_s, 1));
  g_print ("search.ratio_p99=%.2f\n", (double) p99_k / MAX (p99_s, 1));
  g_print ("search.goal_ratio_p50_le_1.5=%s\n",
           (double) p50_k / MAX (p50_s, 1) <= 1.5 ? "yes" : "no");
  ok = TRUE;

out:
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);
  return ok;
}

static gboolean
time_page (KontorStore  *store,
           KontorQuery  *query,
           guint         offset,
           gint64       *cold_us,
           gint64       *warm_us,
           guint        *rows,
           GError      **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GPtrArray) page = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 us;

      page = kontor_store_query (store, query, offset, PAGE_SIZE, error);
      us = g_get_monotonic_time () - start;
      if (page == NULL)
        return FALSE;
      if (i == 0)
        *cold_us = us;
      else
        g_array_append_val (times, us);
      *rows = page->len;
    }

  g_array_sort (times, compare_int64);
  *warm_us = percentile (times, 50);

  return TRUE;
}

static gboolean
bench_list (KontorStore  *store,
            guint         n_contacts,
            GError      **error)
{
  g_autoptr(KontorQuery) query = kontor_query_new ("contact");
  g_autofree char *plan = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean full_scan = FALSE;
  gboolean temp_btree = FALSE;
  guint offset = n_contacts >= DEEP_OFFSET + PAGE_SIZE ? DEEP_OFFSET : n_contacts / 2;
  gint64 cold, warm;
  guint rows;

  kontor_query_parse_sort (query, "last_name");
  plan = kontor_store_explain_query (store, query, error);
  if (plan == NULL)
    return FALSE;

  lines = g_strsplit (g_strchomp (plan), "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_print ("list.plan=%s\n", lines[i]);
      if (strstr (lines[i], "SCAN") != NULL && strstr (lines[i], "USING INDEX") == NULL &&
          strstr (lines[i], "USING COVERING INDEX") == NULL)
        full_scan = TRUE;
      if (strstr (lines[i], "USE TEMP B-TREE") != NULL)
        temp_btree = TRUE;
    }
  g_print ("list.plan_full_scan=%s\n", full_scan ? "yes" : "no");
  g_print ("list.plan_temp_btree=%s\n", temp_btree ? "yes" : "no");
  g_print ("list.plan_ok=%s\n", !full_scan && !temp_btree ? "yes" : "no");

  if (!time_page (store, query, 0, &cold, &warm, &rows, error))
    return FALSE;
  g_print ("list.first_page_rows=%u\n", rows);
  g_print ("list.first_page_cold_us=%" G_GINT64_FORMAT "\n", cold);
  g_print ("list.first_page_us=%" G_GINT64_FORMAT "\n", warm);

  if (!time_page (store, query, offset, &cold, &warm, &rows, error))
    return FALSE;
  g_print ("list.offset_page_offset=%u\n", offset);
  g_print ("list.offset_page_rows=%u\n", rows);
  g_print ("list.offset_page_cold_us=%" G_GINT64_FORMAT "\n", cold);
  g_print ("list.offset_page_us=%" G_GINT64_FORMAT "\n", warm);

  return TRUE;
}

static void
print_machine (void)
{
  g_autofree char *cpuinfo = NULL;
  const char *model = "unknown";
  g_auto(GStrv) lines = NULL;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    {
      lines = g_strsplit (cpuinfo, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        if (g_str_has_prefix (lines[i], "model name"))
          {
            const char *colon = strchr (lines[i], ':');

            if (colon != NULL)
              model = g_strstrip ((char *) colon + 1);
            break;
          }
    }

  g_print ("machine.cpu=%s\n", model);
  g_print ("machine.cpus=%u\n", g_get_num_processors ());
  g_print ("sqlite.version=%s\n", sqlite3_libversion ());
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) store = NULL;
  g_autoptr(KontorQuery) contacts = NULL;
  g_autofree char *db = NULL;
  gint64 n_contacts = 1000000;
  int n_queries = 200;
  int n_rounds = 5;
  guint count = 0;
  gboolean fresh;
  Options opts = { 0 };
  GOptionEntry entries[] = {
    { "contacts", 0, 0, G_OPTION_ARG_INT64, &n_contacts, "Contacts to generate (1000000)", "N" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database file (generated if missing)", "PATH" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries, "Search queries (200)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &n_rounds, "Timed rounds over all queries (5)", "N" },
    { NULL }
  };

  context = g_option_context_new ("- time search and lists of a large Kontor replica");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (n_contacts < 1 || n_contacts > G_MAXUINT32 || n_queries < 1 || n_rounds < 1)
    {
      g_printerr ("--contacts, --queries and --rounds must be positive\n");
      return EXIT_FAILURE;
    }

  opts.contacts = n_contacts;
  opts.queries = n_queries;
  opts.rounds = n_rounds;
  if (db == NULL)
    {
      g_autofree char *name = g_strdup_printf ("kontor-bench-search-%" G_GINT64_FORMAT ".db",
                                               n_contacts);

      db = g_build_filename (g_get_tmp_dir (), name, NULL);
    }
  opts.db = db;

  print_machine ();
  g_print ("db.path=%s\n", opts.db);

  fresh = !g_file_test (opts.db, G_FILE_TEST_EXISTS);
  store = kontor_store_open (opts.db, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (fresh && !generate (store, &opts, &error))
    {
      g_printerr ("generation failed: %s\n", error->message);
      return EXIT_FAILURE;
    }

  contacts = kontor_query_new ("contact");
  if (!kontor_store_count (store, contacts, &count, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  g_print ("db.contacts=%u\n", count);

  if (!bench_search (store, &opts, &error) || !bench_list (store, count, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}
