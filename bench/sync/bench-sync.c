/* bench-sync.c: Kontor sync against PouchDB and a bare SQLite limit
 *
 *   bench-sync [--rounds N] [--scale-percent P] [--push N] [--pull N]
 *              [--pouch-batch-size N] [--pouch-batches-limit N]
 *              [--no-pouchdb] [--workdir DIR] [--keep]
 *
 * Generates a deterministic dataset once with the demo generator (about
 * 100,000 organizations, contacts, leads, deals and activities) into a
 * source replica, pushes it to a fresh kontor-server on 127.0.0.1 and
 * exports the same records as JSON documents (id, kind, winning field
 * values) for the PouchDB side, which an express-pouchdb server (in-memory
 * adapter, 127.0.0.1) is loaded with. Then, alternating, per round:
 *
 *   Kontor   (a) initial sync into an empty replica, (b) push of --push
 *            offline edits (one field each, different records), (c) pull of
 *            --pull edits made and pushed by the source replica. Each step
 *            runs in a child process (this program, --step) so that its
 *            peak RSS (VmHWM) is its own.
 *   PouchDB  the same three steps with replicate (bench/sync/pouchdb).
 *   limit    the same rows (id, kind, JSON body) in a plain SQLite table:
 *            read from one local file and inserted into another in one
 *            transaction with prepared statements; the same edits as
 *            prepared UPDATEs / upserts in one transaction. No network.
 *
 * Results are "key=value" lines on stdout (medians over rounds); progress
 * and the servers' logs go to stderr and to files in the work folder.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-bench"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "kontor-demo.h"
#include "kontor-store-sync.h"
#include "kontor-sync-client.h"

#ifndef BENCH_SYNC_SERVER
#define BENCH_SYNC_SERVER "kontor-server"
#endif
#ifndef BENCH_SYNC_POUCHDB_DIR
#define BENCH_SYNC_POUCHDB_DIR "bench/sync/pouchdb"
#endif

#define BENCH_USER "bench"
#define BENCH_PASSWORD "bench-sync-password"
#define BENCH_TOKEN_ENV "BENCH_SYNC_TOKEN"
#define SYNC_BATCH 5000
/* How long a server may take to say where it listens, in lines read. */
#define MAX_BANNER_LINES 50

typedef struct
{
  guint     rounds;
  guint     scale_percent;
  guint     n_push;
  guint     n_pull;
  guint     pouch_batch_size;
  guint     pouch_batches_limit;
  gboolean  no_pouchdb;
  gboolean  keep;
  char     *workdir;
  char     *server;
  char     *pouchdb_dir;
  /* a child step */
  char     *step;
  char     *url;
  char     *replica;
  char     *ids;
  guint     round;
} Options;

typedef struct
{
  char *id;
  char *kind;
  char *body;        /* the winning field values, as JSON */
} Row;

typedef struct
{
  Options     *opts;
  char        *workdir;
  GSubprocess *kontor_server;
  char        *kontor_url;
  GSubprocess *pouch_server;
  char        *pouch_url;
  char        *pouch_skipped;
  GPtrArray   *rows;         /* Row, sorted by id */
  GPtrArray   *push_ids;     /* borrowed from rows */
  GPtrArray   *pull_ids;
  char        *token;
  GHashTable  *samples;      /* key → GArray of double */
} Bench;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->id);
  g_free (row->kind);
  g_free (row->body);
  g_free (row);
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* VmHWM of a process in kB (pid 0: this one), 0 if unknown. */
static guint64
peak_rss_kb (GPid pid)
{
  g_autofree char *path = pid ? g_strdup_printf ("/proc/%d/status", (int) pid)
                              : g_strdup ("/proc/self/status");
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  line = strstr (text, "VmHWM:");
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

static char *
cpu_model (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &text, NULL, NULL))
    return g_strdup ("unknown");
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "model name"))
      {
        const char *colon = strchr (lines[i], ':');

        if (colon)
          return g_strstrip (g_strdup (colon + 1));
      }
  return g_strdup ("unknown");
}

static guint64
mem_total_kb (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/meminfo", &text, NULL, NULL))
    return 0;
  line = strstr (text, "MemTotal:");
  return line ? g_ascii_strtoull (line + strlen ("MemTotal:"), NULL, 10) : 0;
}

/* A child never outlives the benchmark. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
add_sample (Bench      *bench,
            const char *key,
            double      value)
{
  GArray *values = g_hash_table_lookup (bench->samples, key);

  if (values == NULL)
    {
      values = g_array_new (FALSE, FALSE, sizeof (double));
      g_hash_table_insert (bench->samples, g_strdup (key), values);
    }
  g_array_append_val (values, value);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* Median of the samples of key, or -1 if there are none. */
static double
median (Bench      *bench,
        const char *key)
{
  GArray *values = g_hash_table_lookup (bench->samples, key);
  g_autoptr(GArray) sorted = NULL;
  guint n;

  if (values == NULL || values->len == 0)
    return -1;
  n = values->len;
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  g_array_append_vals (sorted, values->data, n);
  g_array_sort (sorted, compare_double);
  if (n % 2)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

static double
max_sample (Bench      *bench,
            const char *key)
{
  GArray *values = g_hash_table_lookup (bench->samples, key);
  double best = -1;

  for (guint i = 0; values && i < values->len; i++)
    best = MAX (best, g_array_index (values, double, i));
  return best;
}

/* The free-text field an edit changes. */
static const char *
edit_field (const char *kind)
{
  return g_str_equal (kind, "activity") ? "body" : "notes";
}

/* ---- the child steps (Kontor client side) ---- */

static GPtrArray *
read_ids (const char  *path,
          GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *ids;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  ids = g_ptr_array_new_with_free_func (row_free);
  for (guint i = 0; lines[i]; i++)
    {
      char *tab = strchr (lines[i], '\t');
      Row *row;

      if (tab == NULL)
        continue;
      row = g_new0 (Row, 1);
      row->id = g_strndup (lines[i], tab - lines[i]);
      row->kind = g_strdup (tab + 1);
      g_ptr_array_add (ids, row);
    }
  return ids;
}

/* One field of each record in rows (Row), in one transaction. */
static gboolean
edit_records (KontorStore  *store,
              GPtrArray    *ids,
              const char   *value,
              GError      **error)
{
  if (!kontor_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JsonObject) changes = json_object_new ();
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(KontorRecord) record = NULL;
      g_autofree char *text = g_strdup_printf ("%s %u", value, i);

      Row *row = g_ptr_array_index (ids, i);

      json_object_set_string_member (changes, edit_field (row->kind), text);
      record = kontor_store_update (store, row->id, changes, &problems, error);
      if (record == NULL)
        {
          kontor_store_rollback (store);
          return FALSE;
        }
      if (problems && problems->len > 0)
        {
          kontor_store_rollback (store);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "edit of %s refused", row->id);
          return FALSE;
        }
    }
  return kontor_store_commit (store, error);
}

static int
run_step (const Options *opts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) store = NULL;
  g_autoptr(KontorSyncClient) client = NULL;
  KontorSyncStats stats = { 0 };
  const char *token = g_getenv (BENCH_TOKEN_ENV);
  double t0, seconds = 0;

  if (opts->url == NULL || opts->replica == NULL || token == NULL)
    {
      g_printerr ("bench-sync: --step needs --url, --replica and %s\n", BENCH_TOKEN_ENV);
      return 2;
    }

  store = kontor_store_open (opts->replica, &error);
  if (store == NULL)
    goto fail;
  client = kontor_sync_client_new (opts->url);
  kontor_sync_client_set_token (client, token);
  kontor_sync_client_set_batch_sizes (client, SYNC_BATCH, SYNC_BATCH);

  if (g_str_equal (opts->step, "initial"))
    {
      t0 = now_s ();
      if (!kontor_sync_client_sync (client, store, &stats, NULL, &error))
        goto fail;
      seconds = now_s () - t0;
      g_print ("count=%u\n", stats.pulled);
    }
  else if (g_str_equal (opts->step, "push"))
    {
      g_autoptr(GPtrArray) ids = read_ids (opts->ids, &error);
      g_autofree char *value = g_strdup_printf ("bench push edit %u", opts->round);
      KontorSyncStats catchup = { 0 };

      if (ids == NULL)
        goto fail;
      t0 = now_s ();
      if (!edit_records (store, ids, value, &error))
        goto fail;
      g_print ("edit_seconds=%.4f\n", now_s () - t0);
      t0 = now_s ();
      if (!kontor_sync_client_push (client, store, &stats, NULL, &error))
        goto fail;
      seconds = now_s () - t0;
      g_print ("count=%u\n", stats.pushed);
      /* not timed: the feed now holds this replica's own edits */
      t0 = now_s ();
      if (!kontor_sync_client_pull (client, store, &catchup, NULL, &error))
        goto fail;
      g_print ("catchup_seconds=%.4f\n", now_s () - t0);
      g_print ("catchup_count=%u\n", catchup.pulled);
    }
  else if (g_str_equal (opts->step, "pull"))
    {
      t0 = now_s ();
      if (!kontor_sync_client_pull (client, store, &stats, NULL, &error))
        goto fail;
      seconds = now_s () - t0;
      g_print ("count=%u\n", stats.pulled);
    }
  else
    {
      g_printerr ("bench-sync: unknown step %s\n", opts->step);
      return 2;
    }

  g_print ("seconds=%.6f\n", seconds);
  g_print ("peak_kb=%" G_GUINT64_FORMAT "\n", peak_rss_kb (0));
  return 0;

fail:
  g_printerr ("bench-sync: step %s: %s\n", opts->step, error->message);
  return 1;
}

/* Runs argv, returns its stdout split into key=value pairs. */
static GHashTable *
run_child_kv (const char * const  *argv,
              const char          *token,
              GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *kv;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (token)
    g_subprocess_launcher_setenv (launcher, BENCH_TOKEN_ENV, token, TRUE);
  child = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (child == NULL)
    return NULL;
  if (!g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (child))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s failed", argv[0],
                   argv[1] ? argv[1] : "");
      return NULL;
    }
  kv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (out ? out : "", "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq)
        g_hash_table_insert (kv, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
  return kv;
}

static double
kv_double (GHashTable *kv,
           const char *key)
{
  const char *value = g_hash_table_lookup (kv, key);

  return value ? g_ascii_strtod (value, NULL) : -1;
}

/* ---- servers ---- */

/* Reads lines until one starts with prefix; returns the rest of it. */
static char *
read_banner (GSubprocess  *process,
             const char   *prefix,
             GError      **error)
{
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  for (guint i = 0; i < MAX_BANNER_LINES; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);

      if (line == NULL)
        break;
      if (g_str_has_prefix (line, prefix))
        return g_strdup (line + strlen (prefix));
    }
  if (error && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the server did not say where it listens");
  return NULL;
}

static gboolean
start_kontor_server (Bench   *bench,
                     GError **error)
{
  g_autofree char *data_dir = g_build_filename (bench->workdir, "server", NULL);
  g_autofree char *log = g_build_filename (bench->workdir, "kontor-server.log", NULL);
  const char *binary = bench->opts->server;

  {
    g_autoptr(GSubprocess) p = NULL;

    g_mkdir_with_parents (data_dir, 0700);
    p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, error,
                          binary, "--data-dir", data_dir, "admin", "user-add", BENCH_USER, NULL);
    if (p == NULL ||
        !g_subprocess_communicate_utf8 (p, BENCH_PASSWORD "\n", NULL, NULL, NULL, error))
      return FALSE;
    if (!g_subprocess_get_successful (p))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s admin user-add failed", binary);
        return FALSE;
      }
  }

  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    g_subprocess_launcher_set_stderr_file_path (launcher, log);
    bench->kontor_server = g_subprocess_launcher_spawn (launcher, error, binary,
                                                        "--data-dir", data_dir,
                                                        "--address", "127.0.0.1",
                                                        "--port", "0", NULL);
  }
  if (bench->kontor_server == NULL)
    return FALSE;
  bench->kontor_url = read_banner (bench->kontor_server, "kontor-server listening on ", error);
  return bench->kontor_url != NULL;
}

static void
stop_server (GSubprocess **process)
{
  if (*process == NULL)
    return;
  g_subprocess_send_signal (*process, SIGTERM);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

static GPid
subprocess_pid (GSubprocess *process)
{
  const char *id = process ? g_subprocess_get_identifier (process) : NULL;

  return id ? (GPid) atoi (id) : 0;
}

/* ---- setup ---- */

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  double *start = user_data;
  double seconds = now_s () - *start;

  g_printerr ("\rgenerating: %u/%u records, %.0f records/s   ", done, total,
              seconds > 0 ? done / seconds : 0.0);
}

static KontorStore *
generate (Bench   *bench,
          GError **error)
{
  g_autofree char *path = g_build_filename (bench->workdir, "source.db", NULL);
  g_autoptr(KontorStore) store = kontor_store_open (path, error);
  KontorDemoOptions demo;
  guint p = bench->opts->scale_percent;
  double start = now_s ();

  if (store == NULL)
    return NULL;
  /* About 100,000 records at 100 %: the proportions of the demo (five
   * contacts per organization), with deals and activities to match. */
  kontor_demo_options_init_default (&demo, 1);
  demo.n_organizations = MAX (5000 * p / 100, 1);
  demo.n_contacts = 25000 * p / 100;
  demo.n_leads = 5000 * p / 100;
  demo.n_deals = 15000 * p / 100;
  demo.n_activities = 50000 * p / 100;
  if (!kontor_demo_generate (store, &demo, on_progress, &start, error))
    return NULL;
  g_printerr ("\n");
  g_print ("generate.seconds=%.2f\n", now_s () - start);
  return g_steal_pointer (&store);
}

/* Reads every record of the source replica: id, kind and the provisional
 * winner of each field (underscore fields such as _deleted left out). */
static gboolean
export_rows (Bench   *bench,
             GError **error)
{
  g_autofree char *path = g_build_filename (bench->workdir, "source.db", NULL);
  g_autofree char *docs_path = g_build_filename (bench->workdir, "docs.jsonl", NULL);
  g_autoptr(GString) docs = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  bench->rows = g_ptr_array_new_with_free_func (row_free);
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT id, kind, state FROM record WHERE deleted = 0 ORDER BY id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "export: %s", sqlite3_errmsg (db));
      goto out;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *state = (const char *) sqlite3_column_text (stmt, 2);
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autoptr(JsonNode) fields_node = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autoptr(JsonNode) doc_node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *line = NULL;
      JsonObject *f;
      GList *names;
      Row *row;

      if (!json_parser_load_from_data (parser, state, -1, error))
        goto out;
      f = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "f");
      names = json_object_get_members (f);
      names = g_list_sort (names, (GCompareFunc) strcmp);
      for (GList *l = names; l; l = l->next)
        {
          JsonArray *versions = json_object_get_array_member (f, l->data);
          JsonObject *winner;

          if (((const char *) l->data)[0] == '_' || json_array_get_length (versions) == 0)
            continue;
          winner = json_array_get_object_element (versions, 0);
          json_object_set_member (fields, l->data, json_node_copy (json_object_get_member (winner, "v")));
        }
      g_list_free (names);
      json_node_set_object (fields_node, fields);

      row = g_new0 (Row, 1);
      row->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->body = json_to_string (fields_node, FALSE);
      g_ptr_array_add (bench->rows, row);

      json_object_set_string_member (doc, "id", row->id);
      json_object_set_string_member (doc, "kind", row->kind);
      json_object_set_object_member (doc, "fields", json_object_ref (fields));
      json_node_set_object (doc_node, doc);
      line = json_to_string (doc_node, FALSE);
      g_string_append (docs, line);
      g_string_append_c (docs, '\n');
    }
  ok = g_file_set_contents (docs_path, docs->str, docs->len, error);

out:
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

static gboolean
editable_kind (const char *kind)
{
  static const char * const kinds[] = { "organization", "contact", "lead", "deal", "activity", NULL };

  return g_strv_contains (kinds, kind);
}

/* The same choice as pickEdits () in pouchdb/client.js: among records of
 * the editable kinds, sorted by id, every step-th; the first n_push for
 * the push, the next n_pull for the pull. */
static gboolean
pick_edits (Bench   *bench,
            GError **error)
{
  g_autoptr(GPtrArray) editable = g_ptr_array_new ();
  g_autoptr(GString) push = g_string_new (NULL);
  g_autoptr(GString) pull = g_string_new (NULL);
  g_autofree char *push_path = g_build_filename (bench->workdir, "push-ids.txt", NULL);
  g_autofree char *pull_path = g_build_filename (bench->workdir, "pull-ids.txt", NULL);
  guint n = bench->opts->n_push + bench->opts->n_pull;
  guint step;

  for (guint i = 0; i < bench->rows->len; i++)
    {
      Row *row = g_ptr_array_index (bench->rows, i);

      if (editable_kind (row->kind))
        g_ptr_array_add (editable, row);
    }
  step = MAX (editable->len / MAX (n, 1), 1);
  bench->push_ids = g_ptr_array_new ();
  bench->pull_ids = g_ptr_array_new ();
  for (guint i = 0; i < n && (guint64) i * step < editable->len; i++)
    {
      Row *row = g_ptr_array_index (editable, i * step);

      g_ptr_array_add (i < bench->opts->n_push ? bench->push_ids : bench->pull_ids, row);
      g_string_append_printf (i < bench->opts->n_push ? push : pull, "%s\t%s\n", row->id, row->kind);
    }
  return g_file_set_contents (push_path, push->str, push->len, error) &&
         g_file_set_contents (pull_path, pull->str, pull->len, error);
}

static void remove_db (const char *path);

/* ---- the SQLite limit ---- */

static gboolean
sql_exec (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sql, sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

static sqlite3 *
limit_open (const char  *path,
            gboolean     create,
            GError     **error)
{
  sqlite3 *db = NULL;

  if (create)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_remove (path);
      g_remove (wal);
      g_remove (shm);
    }
  if (sqlite3_open (path, &db) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  /* the replica's own settings */
  if (!sql_exec (db, "PRAGMA journal_mode = WAL", error) ||
      !sql_exec (db, "PRAGMA synchronous = NORMAL", error) ||
      (create && !sql_exec (db, "CREATE TABLE doc (id TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                                "body TEXT NOT NULL)", error)))
    {
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

static gboolean
limit_fail (sqlite3  *db,
            GError  **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "limit: %s", sqlite3_errmsg (db));
  return FALSE;
}

/* Inserts every row into a fresh source file in one transaction. */
static gboolean
limit_setup (Bench   *bench,
             GError **error)
{
  g_autofree char *path = g_build_filename (bench->workdir, "limit-src.db", NULL);
  sqlite3 *db = limit_open (path, TRUE, error);
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  double t0;
  guint n = 0;

  if (db == NULL)
    return FALSE;
  t0 = now_s ();
  if (!sql_exec (db, "BEGIN", error))
    goto out;
  if (sqlite3_prepare_v2 (db, "INSERT INTO doc (id, kind, body) VALUES (?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    {
      limit_fail (db, error);
      goto out;
    }
  for (guint i = 0; i < bench->rows->len; i++)
    {
      Row *row = g_ptr_array_index (bench->rows, i);

      sqlite3_bind_text (stmt, 1, row->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, row->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, row->body, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          limit_fail (db, error);
          goto out;
        }
      sqlite3_reset (stmt);
    }
  if (!sql_exec (db, "COMMIT", error))
    goto out;
  g_print ("limit.insert.records_per_s=%.0f\n", bench->rows->len / (now_s () - t0));
  sqlite3_finalize (stmt);
  stmt = NULL;
  sqlite3_close (db);

  /* and read back from the file on a new connection */
  db = limit_open (path, FALSE, error);
  if (db == NULL)
    return FALSE;
  t0 = now_s ();
  if (sqlite3_prepare_v2 (db, "SELECT id, kind, body FROM doc", -1, &stmt, NULL) != SQLITE_OK)
    {
      limit_fail (db, error);
      goto out;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    n += sqlite3_column_bytes (stmt, 2) > 0;
  g_print ("limit.read.records_per_s=%.0f\n", n / (now_s () - t0));
  ok = TRUE;

out:
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

/* Copies src rows (all, or those in ids) into dst in one transaction. */
static gboolean
limit_copy (sqlite3    *src,
            sqlite3    *dst,
            GPtrArray  *ids,
            guint      *n_copied,
            GError    **error)
{
  sqlite3_stmt *read = NULL, *write = NULL;
  gboolean ok = FALSE;
  guint n = 0;

  if (!sql_exec (dst, "BEGIN", error))
    return FALSE;
  if (sqlite3_prepare_v2 (src, ids ? "SELECT id, kind, body FROM doc WHERE id = ?"
                                   : "SELECT id, kind, body FROM doc", -1, &read, NULL) != SQLITE_OK)
    {
      limit_fail (src, error);
      goto out;
    }
  if (sqlite3_prepare_v2 (dst, "INSERT OR REPLACE INTO doc (id, kind, body) VALUES (?, ?, ?)",
                          -1, &write, NULL) != SQLITE_OK)
    {
      limit_fail (dst, error);
      goto out;
    }
  for (guint i = 0; ids == NULL || i < ids->len; i++)
    {
      if (ids)
        {
          sqlite3_reset (read);
          sqlite3_bind_text (read, 1, ((Row *) g_ptr_array_index (ids, i))->id, -1, SQLITE_STATIC);
        }
      if (sqlite3_step (read) != SQLITE_ROW)
        break;
      for (int c = 0; c < 3; c++)
        sqlite3_bind_text (write, c + 1, (const char *) sqlite3_column_text (read, c),
                           sqlite3_column_bytes (read, c), SQLITE_TRANSIENT);
      if (sqlite3_step (write) != SQLITE_DONE)
        {
          limit_fail (dst, error);
          goto out;
        }
      sqlite3_reset (write);
      n++;
    }
  ok = sql_exec (dst, "COMMIT", error);

out:
  if (!ok)
    sqlite3_exec (dst, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_finalize (read);
  sqlite3_finalize (write);
  *n_copied = n;
  return ok;
}

/* body with fields.notes set to value (what an edit of one field is). */
static char *
edited_body (const Row  *row,
             const char *value)
{
  g_autoptr(JsonNode) node = json_from_string (row->body, NULL);

  json_object_set_string_member (json_node_get_object (node), edit_field (row->kind), value);
  return json_to_string (node, FALSE);
}

static gboolean
limit_update (sqlite3     *db,
              GPtrArray   *ids,
              GPtrArray   *bodies,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (!sql_exec (db, "BEGIN", error))
    return FALSE;
  if (sqlite3_prepare_v2 (db, "UPDATE doc SET body = ? WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      limit_fail (db, error);
      goto out;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (bodies, i), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, ((Row *) g_ptr_array_index (ids, i))->id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE || sqlite3_changes (db) != 1)
        {
          limit_fail (db, error);
          goto out;
        }
      sqlite3_reset (stmt);
    }
  ok = sql_exec (db, "COMMIT", error);

out:
  if (!ok)
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_finalize (stmt);
  return ok;
}

static GPtrArray *
edited_bodies (GPtrArray  *ids,
               const char *prefix,
               guint       round)
{
  GPtrArray *bodies = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *value = g_strdup_printf ("%s %u %u", prefix, round, i);

      g_ptr_array_add (bodies, edited_body (g_ptr_array_index (ids, i), value));
    }
  return bodies;
}

static gboolean
limit_round (Bench   *bench,
             guint    round,
             GError **error)
{
  g_autofree char *src_path = g_build_filename (bench->workdir, "limit-src.db", NULL);
  g_autofree char *dst_path = g_build_filename (bench->workdir, "limit-dst.db", NULL);
  g_autoptr(GPtrArray) push_bodies = edited_bodies (bench->push_ids, "bench push edit", round);
  g_autoptr(GPtrArray) pull_bodies = edited_bodies (bench->pull_ids, "bench pull edit", round);
  sqlite3 *src = NULL, *dst = NULL;
  gboolean ok = FALSE;
  guint n = 0;
  double t0;

  src = limit_open (src_path, FALSE, error);
  dst = src ? limit_open (dst_path, TRUE, error) : NULL;
  if (dst == NULL)
    goto out;

  /* (a0) the parts of the limit on their own: the rows inserted from
   * memory into an empty file, and read back from a local file */
  {
    g_autofree char *ins_path = g_build_filename (bench->workdir, "limit-ins.db", NULL);
    sqlite3 *ins = limit_open (ins_path, TRUE, error);
    sqlite3_stmt *stmt = NULL;

    if (ins == NULL)
      goto out;
    t0 = now_s ();
    ok = sql_exec (ins, "BEGIN", error) &&
         sqlite3_prepare_v2 (ins, "INSERT INTO doc (id, kind, body) VALUES (?, ?, ?)", -1,
                             &stmt, NULL) == SQLITE_OK;
    for (guint i = 0; ok && i < bench->rows->len; i++)
      {
        Row *row = g_ptr_array_index (bench->rows, i);

        sqlite3_bind_text (stmt, 1, row->id, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, row->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, row->body, -1, SQLITE_STATIC);
        ok = sqlite3_step (stmt) == SQLITE_DONE;
        sqlite3_reset (stmt);
      }
    sqlite3_finalize (stmt);
    ok = ok && sql_exec (ins, "COMMIT", error);
    if (ok)
      add_sample (bench, "initial.limit_insert", bench->rows->len / (now_s () - t0));
    else if (error && *error == NULL)
      limit_fail (ins, error);
    sqlite3_close (ins);
    remove_db (ins_path);
    if (!ok)
      goto out;
    ok = FALSE;

    t0 = now_s ();
    n = 0;
    if (sqlite3_prepare_v2 (src, "SELECT id, kind, body FROM doc", -1, &stmt, NULL) != SQLITE_OK)
      {
        limit_fail (src, error);
        goto out;
      }
    while (sqlite3_step (stmt) == SQLITE_ROW)
      n += sqlite3_column_bytes (stmt, 2) > 0;
    sqlite3_finalize (stmt);
    add_sample (bench, "initial.limit_read", n / (now_s () - t0));
  }

  /* (a) everything from one local file into an empty one */
  t0 = now_s ();
  if (!limit_copy (src, dst, NULL, &n, error))
    goto out;
  add_sample (bench, "initial.limit", n / (now_s () - t0));

  /* (b) the offline edits as one transaction of prepared UPDATEs */
  t0 = now_s ();
  if (!limit_update (dst, bench->push_ids, push_bodies, error))
    goto out;
  add_sample (bench, "push.limit", bench->push_ids->len / (now_s () - t0));

  /* (c) edits written "elsewhere" (the source file, not timed), then
   * read from there and upserted */
  if (!limit_update (src, bench->pull_ids, pull_bodies, error))
    goto out;
  t0 = now_s ();
  if (!limit_copy (src, dst, bench->pull_ids, &n, error))
    goto out;
  add_sample (bench, "pull.limit", n / (now_s () - t0));
  ok = TRUE;

out:
  sqlite3_close (src);
  sqlite3_close (dst);
  return ok;
}

/* ---- Kontor rounds ---- */

static gboolean
kontor_step (Bench       *bench,
             const char  *step,
             const char  *replica,
             guint        round,
             guint        n_expected,
             GError     **error)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *round_s = g_strdup_printf ("%u", round);
  g_autofree char *ids = g_build_filename (bench->workdir, "push-ids.txt", NULL);
  const char *argv[] = { self_exe, "--step", step, "--url", bench->kontor_url, "--replica", replica,
                         "--round", round_s, "--ids", ids, NULL };
  g_autoptr(GHashTable) kv = NULL;
  g_autofree char *key = NULL;
  g_autofree char *peak_key = NULL;
  double seconds, count;

  if (self_exe == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot find /proc/self/exe");
      return FALSE;
    }
  kv = run_child_kv (argv, bench->token, error);
  if (kv == NULL)
    return FALSE;
  seconds = kv_double (kv, "seconds");
  count = kv_double (kv, "count");
  if (seconds <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "step %s gave no time", step);
      return FALSE;
    }
  if ((guint) count != n_expected)
    g_printerr ("bench-sync: round %u, %s: %u records, %u expected\n", round, step,
                (guint) count, n_expected);
  key = g_strdup_printf ("%s.kontor", step);
  add_sample (bench, key, count / seconds);
  peak_key = g_strdup_printf ("%s.kontor.client_peak_kb", step);
  add_sample (bench, peak_key, kv_double (kv, "peak_kb"));
  g_printerr ("round %u: kontor %s: %.0f records in %.3f s", round, step, count, seconds);
  if (g_hash_table_contains (kv, "catchup_count"))
    g_printerr (" (then catch-up pull of %.0f records in %.3f s)",
                kv_double (kv, "catchup_count"), kv_double (kv, "catchup_seconds"));
  g_printerr ("\n");
  return TRUE;
}

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

static gboolean
kontor_round (Bench             *bench,
              KontorStore       *source,
              KontorSyncClient  *client,
              guint              round,
              GError           **error)
{
  g_autofree char *name = g_strdup_printf ("replica-%u.db", round);
  g_autofree char *replica = g_build_filename (bench->workdir, name, NULL);
  g_autofree char *value = g_strdup_printf ("bench pull edit %u", round);
  KontorSyncStats stats = { 0 };

  remove_db (replica);
  if (!kontor_step (bench, "initial", replica, round, bench->rows->len, error) ||
      !kontor_step (bench, "push", replica, round, bench->push_ids->len, error))
    return FALSE;

  /* (c) edits elsewhere: the source replica edits and pushes (not timed) */
  if (!edit_records (source, bench->pull_ids, value, error) ||
      !kontor_sync_client_push (client, source, &stats, NULL, error))
    return FALSE;

  if (!kontor_step (bench, "pull", replica, round, bench->pull_ids->len, error))
    return FALSE;
  add_sample (bench, "kontor.server_peak_kb", peak_rss_kb (subprocess_pid (bench->kontor_server)));
  if (!bench->opts->keep)
    remove_db (replica);
  return TRUE;
}

/* ---- PouchDB ---- */

static gboolean
npm_install (Bench   *bench,
             GError **error)
{
  g_autofree char *modules = g_build_filename (bench->opts->pouchdb_dir, "node_modules", NULL);
  g_autoptr(GSubprocess) npm = NULL;

  if (g_file_test (modules, G_FILE_TEST_IS_DIR))
    return TRUE;
  g_printerr ("installing the PouchDB side: npm install --prefix %s\n", bench->opts->pouchdb_dir);
  npm = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, error,
                          "npm", "install", "--no-audit", "--no-fund",
                          "--prefix", bench->opts->pouchdb_dir, NULL);
  if (npm == NULL || !g_subprocess_wait (npm, NULL, error))
    return FALSE;
  if (!g_subprocess_get_successful (npm))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "npm install failed (exit status %d)",
                   g_subprocess_get_exit_status (npm));
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
run_node_json (Bench        *bench,
               const char  **argv,
               GError      **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  JsonNode *root;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_cwd (launcher, bench->opts->pouchdb_dir);
  child = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (child == NULL || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (child))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "node client.js %s failed", argv[2]);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, out, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "client.js printed no object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static gboolean
start_pouch (Bench   *bench,
             GError **error)
{
  g_autofree char *log = g_build_filename (bench->workdir, "pouchdb-server.log", NULL);
  g_autofree char *docs = g_build_filename (bench->workdir, "docs.jsonl", NULL);
  g_autofree char *db_url = NULL;
  g_autoptr(JsonObject) loaded = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  if (!npm_install (bench, error))
    return FALSE;
  /* stdin stays open: the server also ends when it closes */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_cwd (launcher, bench->opts->pouchdb_dir);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  bench->pouch_server = g_subprocess_launcher_spawn (launcher, error, "node", "server.js", NULL);
  if (bench->pouch_server == NULL)
    return FALSE;
  bench->pouch_url = read_banner (bench->pouch_server, "pouchdb-server listening on ", error);
  if (bench->pouch_url == NULL)
    return FALSE;

  db_url = g_strconcat (bench->pouch_url, "/bench", NULL);
  {
    const char *argv[] = { "node", "client.js", "load", db_url, docs, NULL };

    loaded = run_node_json (bench, argv, error);
  }
  if (loaded == NULL)
    return FALSE;
  g_print ("setup.pouchdb.load.records_per_s=%.0f\n",
           json_object_get_int_member (loaded, "loaded") /
           json_object_get_double_member (loaded, "seconds"));
  return TRUE;
}

static gboolean
pouch_round (Bench   *bench,
             guint    round,
             GError **error)
{
  g_autofree char *docs = g_build_filename (bench->workdir, "docs.jsonl", NULL);
  g_autofree char *db_url = g_strconcat (bench->pouch_url, "/bench", NULL);
  g_autofree char *round_s = g_strdup_printf ("%u", round);
  g_autofree char *bs = g_strdup_printf ("%u", bench->opts->pouch_batch_size);
  g_autofree char *bl = g_strdup_printf ("%u", bench->opts->pouch_batches_limit);
  g_autofree char *np = g_strdup_printf ("%u", bench->opts->n_push);
  g_autofree char *nl = g_strdup_printf ("%u", bench->opts->n_pull);
  const char *argv[] = { "node", "client.js", "round", db_url, docs, round_s, bs, bl, np, nl, NULL };
  g_autoptr(JsonObject) r = run_node_json (bench, argv, error);
  static const char * const steps[] = { "initial", "push", "pull" };

  if (r == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *s_key = g_strdup_printf ("%s_seconds", steps[i]);
      g_autofree char *n_key = g_strdup_printf ("%s_docs", steps[i]);
      g_autofree char *key = g_strdup_printf ("%s.pouchdb", steps[i]);
      double seconds = json_object_get_double_member (r, s_key);
      double n = json_object_get_int_member (r, n_key);

      add_sample (bench, key, n / seconds);
      g_printerr ("round %u: pouchdb %s: %.0f docs in %.3f s\n", round, steps[i], n, seconds);
    }
  add_sample (bench, "pouchdb.client_peak_kb", json_object_get_int_member (r, "client_peak_kb"));
  add_sample (bench, "pouchdb.server_peak_kb", peak_rss_kb (subprocess_pid (bench->pouch_server)));
  return TRUE;
}

/* ---- report ---- */

static void
print_ratio (const char *step,
             const char *name,
             double      kontor,
             double      other)
{
  if (kontor > 0 && other > 0)
    g_print ("sync.%s.ratio.kontor_%s=%.3f\n", step, name, kontor / other);
  else
    g_print ("sync.%s.ratio.kontor_%s=n/a\n", step, name);
}

static void
report (Bench *bench)
{
  static const char * const steps[] = { "initial", "push", "pull" };
  static const char * const sides[] = { "kontor", "pouchdb", "limit" };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      double v[G_N_ELEMENTS (sides)];

      for (guint j = 0; j < G_N_ELEMENTS (sides); j++)
        {
          g_autofree char *key = g_strdup_printf ("%s.%s", steps[i], sides[j]);

          v[j] = median (bench, key);
          if (v[j] >= 0)
            g_print ("sync.%s.%s.records_per_s=%.0f\n", steps[i], sides[j], v[j]);
          else
            g_print ("sync.%s.%s.records_per_s=skipped\n", steps[i], sides[j]);
        }
      print_ratio (steps[i], "pouchdb", v[0], v[1]);
      print_ratio (steps[i], "limit", v[0], v[2]);
    }
  g_print ("sync.initial.limit_insert.records_per_s=%.0f\n", median (bench, "initial.limit_insert"));
  g_print ("sync.initial.limit_read.records_per_s=%.0f\n", median (bench, "initial.limit_read"));

  g_print ("memory.kontor.client_peak_kb=%.0f\n",
           MAX (max_sample (bench, "initial.kontor.client_peak_kb"),
                MAX (max_sample (bench, "push.kontor.client_peak_kb"),
                     max_sample (bench, "pull.kontor.client_peak_kb"))));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *key = g_strdup_printf ("%s.kontor.client_peak_kb", steps[i]);

      g_print ("memory.kontor.client_peak_kb.%s=%.0f\n", steps[i], max_sample (bench, key));
    }
  g_print ("memory.kontor.server_peak_kb=%.0f\n", max_sample (bench, "kontor.server_peak_kb"));
  if (bench->pouch_skipped == NULL)
    {
      g_print ("memory.pouchdb.client_peak_kb=%.0f\n", max_sample (bench, "pouchdb.client_peak_kb"));
      g_print ("memory.pouchdb.server_peak_kb=%.0f\n", max_sample (bench, "pouchdb.server_peak_kb"));
    }

  /* the same figures as a table (lines starting with "#") */
  g_print ("# %-8s %12s %12s %12s %10s %10s   (records/s, medians of %u rounds)\n",
           "step", "Kontor", "PouchDB", "SQLite", "K/PouchDB", "K/SQLite", bench->opts->rounds);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      double v[G_N_ELEMENTS (sides)];

      for (guint j = 0; j < G_N_ELEMENTS (sides); j++)
        {
          g_autofree char *key = g_strdup_printf ("%s.%s", steps[i], sides[j]);

          v[j] = median (bench, key);
        }
      g_print ("# %-8s %12.0f %12.0f %12.0f %10.2f %10.2f\n", steps[i], v[0], v[1], v[2],
               v[1] > 0 ? v[0] / v[1] : 0.0, v[2] > 0 ? v[0] / v[2] : 0.0);
    }
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static int
run_bench (Options *opts)
{
  Bench bench = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) source = NULL;
  g_autoptr(KontorSyncClient) client = NULL;
  g_autofree char *cpu = cpu_model ();
  gboolean own_workdir = opts->workdir == NULL;
  int status = 1;
  double t0;

  bench.opts = opts;
  bench.samples = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  if (own_workdir)
    bench.workdir = g_dir_make_tmp ("bench-sync-XXXXXX", &error);
  else if (g_mkdir_with_parents (opts->workdir, 0700) == 0)
    bench.workdir = g_strdup (opts->workdir);
  if (bench.workdir == NULL)
    {
      g_printerr ("bench-sync: no work folder: %s\n", error ? error->message : g_strerror (errno));
      return 1;
    }
  g_printerr ("work folder: %s\n", bench.workdir);

  g_print ("machine.cpu=%s\n", cpu);
  g_print ("machine.cpus=%u\n", g_get_num_processors ());
  g_print ("machine.mem_total_kb=%" G_GUINT64_FORMAT "\n", mem_total_kb ());
  g_print ("sync.rounds=%u\n", opts->rounds);

  source = generate (&bench, &error);
  if (source == NULL || !export_rows (&bench, &error) || !pick_edits (&bench, &error))
    goto out;
  g_print ("sync.records=%u\n", bench.rows->len);
  g_print ("sync.push.edits=%u\n", bench.push_ids->len);
  g_print ("sync.pull.edits=%u\n", bench.pull_ids->len);

  /* Kontor server, loaded by the source replica (timed as setup) */
  if (!start_kontor_server (&bench, &error))
    goto out;
  client = kontor_sync_client_new (bench.kontor_url);
  kontor_sync_client_set_batch_sizes (client, SYNC_BATCH, SYNC_BATCH);
  if (!kontor_sync_client_login (client, BENCH_USER, BENCH_PASSWORD, NULL, &error) ||
      !kontor_sync_client_register (client, source, NULL, &error))
    goto out;
  bench.token = g_strdup (kontor_sync_client_get_token (client));
  t0 = now_s ();
  {
    KontorSyncStats stats = { 0 };

    if (!kontor_sync_client_push (client, source, &stats, NULL, &error))
      goto out;
    g_print ("setup.kontor.initial_push.records_per_s=%.0f\n", stats.pushed / (now_s () - t0));
  }

  /* PouchDB server, loaded with the same documents */
  if (opts->no_pouchdb)
    bench.pouch_skipped = g_strdup ("--no-pouchdb");
  else
    {
      g_autoptr(GError) pouch_error = NULL;

      if (!start_pouch (&bench, &pouch_error))
        {
          bench.pouch_skipped = g_strdup (pouch_error->message);
          stop_server (&bench.pouch_server);
        }
    }
  if (bench.pouch_skipped)
    g_print ("pouchdb.skipped=%s\n", bench.pouch_skipped);
  else
    {
      g_print ("pouchdb.batch_size=%u\n", opts->pouch_batch_size);
      g_print ("pouchdb.batches_limit=%u\n", opts->pouch_batches_limit);
    }
  g_print ("kontor.batch_size=%u\n", SYNC_BATCH);

  if (!limit_setup (&bench, &error))
    goto out;

  for (guint round = 0; round < opts->rounds; round++)
    {
      if (!kontor_round (&bench, source, client, round, &error))
        goto out;
      if (bench.pouch_skipped == NULL)
        {
          g_autoptr(GError) pouch_error = NULL;

          if (!pouch_round (&bench, round, &pouch_error))
            {
              g_printerr ("bench-sync: PouchDB round %u failed: %s\n", round, pouch_error->message);
              bench.pouch_skipped = g_strdup (pouch_error->message);
              g_print ("pouchdb.skipped=%s\n", bench.pouch_skipped);
              stop_server (&bench.pouch_server);
            }
        }
      if (!limit_round (&bench, round, &error))
        goto out;
    }

  report (&bench);
  status = 0;

out:
  if (error)
    g_printerr ("bench-sync: %s\n", error->message);
  stop_server (&bench.kontor_server);
  stop_server (&bench.pouch_server);
  g_clear_object (&client);
  g_clear_object (&source);
  if (own_workdir && !opts->keep)
    rm_rf (bench.workdir);
  g_free (bench.workdir);
  g_free (bench.kontor_url);
  g_free (bench.pouch_url);
  g_free (bench.pouch_skipped);
  g_free (bench.token);
  g_clear_pointer (&bench.push_ids, g_ptr_array_unref);
  g_clear_pointer (&bench.pull_ids, g_ptr_array_unref);
  g_clear_pointer (&bench.rows, g_ptr_array_unref);
  g_hash_table_unref (bench.samples);
  return status;
}

int
main (int   argc,
      char *argv[])
{
  Options opts = {
    .rounds = 3,
    .scale_percent = 100,
    .n_push = 10000,
    .n_pull = 1000,
    .pouch_batch_size = 5000,
    .pouch_batches_limit = 10,
  };
  GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &opts.rounds, "Rounds of each side (default 3)", "N" },
    { "scale-percent", 0, 0, G_OPTION_ARG_INT, &opts.scale_percent,
      "Dataset size, percent of about 100,000 records (default 100)", "P" },
    { "push", 0, 0, G_OPTION_ARG_INT, &opts.n_push, "Offline edits pushed (default 10000)", "N" },
    { "pull", 0, 0, G_OPTION_ARG_INT, &opts.n_pull, "Edits made elsewhere and pulled (default 1000)", "N" },
    { "pouch-batch-size", 0, 0, G_OPTION_ARG_INT, &opts.pouch_batch_size,
      "PouchDB replicate batch_size (default 5000, as Kontor's)", "N" },
    { "pouch-batches-limit", 0, 0, G_OPTION_ARG_INT, &opts.pouch_batches_limit,
      "PouchDB replicate batches_limit (default 10)", "N" },
    { "no-pouchdb", 0, 0, G_OPTION_ARG_NONE, &opts.no_pouchdb, "Skip the PouchDB side", NULL },
    { "workdir", 0, 0, G_OPTION_ARG_FILENAME, &opts.workdir, "Work folder (default: a new one in /tmp)", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &opts.keep, "Keep the work folder", NULL },
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &opts.server, "kontor-server binary", "PATH" },
    { "pouchdb-dir", 0, 0, G_OPTION_ARG_FILENAME, &opts.pouchdb_dir, "Folder of server.js and client.js", "DIR" },
    { "step", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opts.step, NULL, NULL },
    { "url", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opts.url, NULL, NULL },
    { "replica", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &opts.replica, NULL, NULL },
    { "ids", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &opts.ids, NULL, NULL },
    { "round", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &opts.round, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- Kontor sync against PouchDB and SQLite");
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-sync: %s\n", error->message);
      return 2;
    }
  if (opts.rounds == 0 || opts.scale_percent == 0 || opts.pouch_batch_size == 0 ||
      opts.pouch_batches_limit == 0)
    {
      g_printerr ("bench-sync: --rounds, --scale-percent and the PouchDB batch options must be > 0\n");
      return 2;
    }
  if (opts.server == NULL)
    opts.server = g_strdup (g_getenv ("KONTOR_SERVER") ? g_getenv ("KONTOR_SERVER") : BENCH_SYNC_SERVER);
  if (opts.pouchdb_dir == NULL)
    opts.pouchdb_dir = g_strdup (BENCH_SYNC_POUCHDB_DIR);

  if (opts.step)
    status = run_step (&opts);
  else
    status = run_bench (&opts);

  g_free (opts.workdir);
  g_free (opts.server);
  g_free (opts.pouchdb_dir);
  g_free (opts.step);
  g_free (opts.url);
  g_free (opts.replica);
  g_free (opts.ids);
  return status;
}
