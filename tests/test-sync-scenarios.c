/* test-sync-scenarios.c: the regression scenarios of docs/sync-protocol.md
 *
 * Each is a failure seen in a well-known sync system, replayed against a
 * real kontor-server process and real replica files.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "kontor-store-sync.h"
#include "kontor-sync-client.h"
#include "kontor-test-server.h"

typedef struct
{
  char             *dir;
  KontorTestServer *server;
  char             *token;
  guint             n_stores;
} Fixture;

typedef struct
{
  KontorStore      *store;
  KontorSyncClient *client;
  KontorFault       next_fault;
  guint             faults_left;
  const char       *fault_path;
} Laptop;

static KontorFault
planned_fault (const char *path,
               gpointer    data)
{
  Laptop *l = data;

  if (l->faults_left > 0 && (l->fault_path == NULL || g_str_has_prefix (path, l->fault_path)))
    {
      l->faults_left--;
      return l->next_fault;
    }
  return KONTOR_FAULT_NONE;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorSyncClient) login = NULL;
  g_autofree char *server_dir = NULL;

  f->dir = g_dir_make_tmp ("kontor-scenario-XXXXXX", &error);
  g_assert_no_error (error);
  server_dir = g_build_filename (f->dir, "server", NULL);
  f->server = kontor_test_server_start (server_dir, 0, NULL);
  login = kontor_sync_client_new (f->server->url);
  kontor_sync_client_login (login, "anna", "s3cret-pass", NULL, &error);
  g_assert_no_error (error);
  f->token = g_strdup (kontor_sync_client_get_token (login));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  kontor_test_server_free (f->server);
  kontor_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->token);
}

static Laptop *
laptop_new (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/laptop%u.db", f->dir, f->n_stores++);
  Laptop *l = g_new0 (Laptop, 1);

  l->store = kontor_store_open (path, &error);
  g_assert_no_error (error);
  l->client = kontor_sync_client_new (f->server->url);
  kontor_sync_client_set_token (l->client, f->token);
  kontor_sync_client_set_fault_func (l->client, planned_fault, l);
  kontor_sync_client_register (l->client, l->store, NULL, &error);
  g_assert_no_error (error);
  return l;
}

static void
laptop_free (Laptop *l)
{
  g_clear_object (&l->store);
  g_clear_object (&l->client);
  g_free (l);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Laptop, laptop_free)

static void
sync_ok (Laptop *l)
{
  g_autoptr(GError) error = NULL;

  kontor_sync_client_sync (l->client, l->store, NULL, NULL, &error);
  g_assert_no_error (error);
}

static char *
create_contact (Laptop     *l,
                const char *last_name)
{
  g_autoptr(JsonObject) v = json_object_new ();
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (v, "last_name", last_name);
  r = kontor_store_create (l->store, "contact", NULL, v, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (kontor_record_get_id (r));
}

static void
set_field (Laptop     *l,
           const char *id,
           const char *field,
           const char *value)
{
  g_autoptr(JsonObject) v = json_object_new ();
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (v, field, value);
  r = kontor_store_update (l->store, id, v, NULL, &error);
  g_assert_no_error (error);
}

static const char *
get_field (Laptop     *l,
           const char *id,
           const char *field)
{
  g_autoptr(GError) error = NULL;
  KontorRecord *r = kontor_store_get (l->store, id, &error);
  const char *value;

  g_assert_no_error (error);
  value = g_intern_string (kontor_record_get_string (r, field));
  g_object_unref (r);
  return value;
}

static guint
n_conflicts (Laptop *l)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = kontor_store_list_conflicts (l->store, &error);

  g_assert_no_error (error);
  return list->len;
}

static void
assert_same_state (Laptop     *a,
                   Laptop     *b,
                   const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sa = kontor_store_get_state (a->store, id, &error);
  g_autofree char *sb = NULL;

  g_assert_no_error (error);
  sb = kontor_store_get_state (b->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sa, ==, sb);
}

/* 1 and the SIGKILL requirement: kontor-cli is killed in the middle of a
 * large pull; the next sync gets everything, nothing twice. */
static void
test_killed_mid_pull (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "killed.db", NULL);
  const char *cli = g_getenv ("KONTOR_CLI");
  g_autoptr(KontorStore) b = NULL;
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  guint count = 0;
  gboolean killed_early = FALSE;

  /* 3000 contacts on the server */
  g_assert_true (kontor_store_begin (a->store, &error));
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Kunde %04u", i);
      g_autofree char *id = create_contact (a, name);
    }
  g_assert_true (kontor_store_commit (a->store, &error));
  sync_ok (a);

  /* a second laptop syncs with kontor-cli and is killed mid-pull */
  for (guint attempt = 0; attempt < 40 && !killed_early; attempt++)
    {
      g_autoptr(GSubprocess) p = NULL;
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      /* a fresh laptop each time, killed a little later each time */
      g_remove (path);
      g_remove (wal);
      g_remove (shm);
      {
        g_autoptr(KontorStore) s = kontor_store_open (path, &error);
        g_assert_no_error (error);
        kontor_store_set_setting (s, "sync_url", f->server->url, &error);
        kontor_store_set_setting (s, "sync_token", f->token, &error);
        g_assert_no_error (error);
      }
      p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error, cli, "--db", path, "-q", "sync", NULL);
      g_assert_no_error (error);
      g_usleep (10000 + attempt * 10000);
      g_subprocess_force_exit (p);  /* SIGKILL */
      g_subprocess_wait (p, NULL, NULL);
      b = kontor_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (kontor_store_count (b, q, &count, &error));
      killed_early = count > 0 && count < 3000;
      g_test_message ("attempt %u: %u contacts after SIGKILL", attempt, count);
      if (count == 3000)
        break;  /* this machine is too fast to catch it in the middle */
      g_clear_object (&b);
    }
  g_clear_object (&b);
  /* a kill in the middle leaves whole batches only (1000 per transaction) */
  g_assert_true (count % 1000 == 0);

  {
    g_autoptr(GSubprocess) p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                                 cli, "--db", path, "-q", "sync", NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait_check (p, NULL, &error));
    g_assert_no_error (error);
  }
  b = kontor_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (kontor_store_count (b, q, &count, &error));
  g_assert_cmpuint (count, ==, 3000);
  g_assert_cmpint (kontor_store_get_last_seq (b), ==, kontor_store_get_last_seq (a->store));
}

/* The server is killed with SIGKILL while a large push is under way and
 * restarted: nothing lost, nothing applied twice. */
typedef struct
{
  Laptop *laptop;
  GError *error;
} PushJob;

static gpointer
push_thread (gpointer data)
{
  PushJob *job = data;

  kontor_sync_client_push (job->laptop->client, job->laptop->store, NULL, NULL, &job->error);
  return NULL;
}

static void
test_server_killed_mid_push (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  g_autofree char *server_dir = g_build_filename (f->dir, "server", NULL);
  guint port = f->server->port;
  guint count = 0;
  PushJob job = { a, NULL };
  GThread *thread;

  g_assert_true (kontor_store_begin (a->store, &error));
  for (guint i = 0; i < 4000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Lieferant %04u", i);
      g_autofree char *id = create_contact (a, name);
    }
  g_assert_true (kontor_store_commit (a->store, &error));

  kontor_sync_client_set_batch_sizes (a->client, 50, 100);
  thread = g_thread_new ("push", push_thread, &job);
  g_usleep (150000);
  kontor_test_server_kill (f->server, SIGKILL);
  g_thread_join (thread);
  g_test_message ("push after SIGKILL: %s; %u ops still queued",
                  job.error ? job.error->message : "finished", kontor_store_outbox_count (a->store));
  g_clear_error (&job.error);

  kontor_test_server_free (f->server);
  f->server = kontor_test_server_start (server_dir, port, NULL);

  sync_ok (a);
  sync_ok (b);
  g_assert_true (kontor_store_count (b->store, q, &count, &error));
  g_assert_cmpuint (count, ==, 4000);
  g_assert_cmpuint (kontor_store_outbox_count (a->store), ==, 0);
  /* every op exactly once: the server's sequence counts one change per op */
  g_assert_cmpint (kontor_store_get_last_seq (b->store), ==, 4000);
}

static gpointer
pull_thread (gpointer data)
{
  PushJob *job = data;

  kontor_sync_client_pull (job->laptop->client, job->laptop->store, NULL, NULL, &job->error);
  return NULL;
}

/* The list indexes of a sorted contact list, by the query plan. */
static gboolean
list_uses_index (KontorStore *store)
{
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  g_autoptr(GError) error = NULL;
  g_autofree char *plan = NULL;

  kontor_query_parse_sort (q, "last_name");
  plan = kontor_store_explain_query (store, q, &error);
  g_assert_no_error (error);
  return strstr (plan, "INDEX ix_contact__last_name__text") != NULL &&
         strstr (plan, "TEMP B-TREE") == NULL;
}

/* A first sync of many records builds the list indexes once at the end;
 * they are there again when the server vanishes half way, and after the
 * sync that completes it, and the list is in order. */
static void
test_first_pull_indexes (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  g_autoptr(GPtrArray) first = NULL;
  g_autofree char *server_dir = g_build_filename (f->dir, "server", NULL);
  guint port = f->server->port;
  guint count = 0;
  PushJob job = { b, NULL };
  GThread *thread;

  g_assert_true (kontor_store_begin (a->store, &error));
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Händler %04u", 2999 - i);
      g_autofree char *id = create_contact (a, name);
    }
  g_assert_true (kontor_store_commit (a->store, &error));
  sync_ok (a);

  /* pages of 10: the first is full, so the indexes wait; the server
   * goes once a few pages are in (seen through a second connection) */
  kontor_sync_client_set_batch_sizes (b->client, 50, 10);
  thread = g_thread_new ("pull", pull_thread, &job);
  {
    g_autoptr(KontorStore) watch = kontor_store_open (kontor_store_get_path (b->store), &error);

    g_assert_no_error (error);
    for (guint i = 0; i < 2000 && count < 100; i++)
      {
        g_usleep (2000);
        g_assert_true (kontor_store_count (watch, q, &count, &error));
      }
    /* meanwhile lists sort without the index */
    g_assert_false (list_uses_index (watch));
  }
  kontor_test_server_kill (f->server, SIGKILL);
  g_thread_join (thread);
  g_assert_nonnull (job.error);
  g_clear_error (&job.error);
  g_assert_true (kontor_store_count (b->store, q, &count, &error));
  g_test_message ("%u of 3000 contacts before the server went away", count);
  g_assert_cmpuint (count, <, 3000);
  g_assert_true (list_uses_index (b->store));

  kontor_test_server_free (f->server);
  f->server = kontor_test_server_start (server_dir, port, NULL);
  kontor_sync_client_set_batch_sizes (b->client, 50, 500);
  sync_ok (b);
  g_assert_true (kontor_store_count (b->store, q, &count, &error));
  g_assert_cmpuint (count, ==, 3000);
  g_assert_true (list_uses_index (b->store));

  kontor_query_parse_sort (q, "last_name");
  first = kontor_store_query (b->store, q, 0, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (first, 0), "last_name"), ==,
                   "Händler 0000");
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (first, 1), "last_name"), ==,
                   "Händler 0001");
}

/* 3: an edit based on the pre-delete version conflicts, never undeletes */
static void
test_edit_vs_delete (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autofree char *id = create_contact (a, "Köhler");
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) ra = NULL;
  g_autoptr(KontorRecord) rb = NULL;

  sync_ok (a);
  sync_ok (b);
  g_assert_true (kontor_store_delete (a->store, id, &error));
  set_field (b, id, "city", "Bremen");
  sync_ok (a);
  sync_ok (b);
  sync_ok (a);

  ra = kontor_store_get (a->store, id, &error);
  rb = kontor_store_get (b->store, id, &error);
  g_assert_true (kontor_record_get_deleted (ra));
  g_assert_true (kontor_record_get_deleted (rb));
  g_assert_true (g_strv_contains (kontor_record_get_conflicts (ra), "_deleted"));
  g_assert_true (g_strv_contains (kontor_record_get_conflicts (rb), "_deleted"));
  /* the edit is kept, not lost */
  g_assert_cmpstr (kontor_record_get_string (ra, "city"), ==, "Bremen");
  assert_same_state (a, b, id);
}

/* 4: create, sync, delete, sync, create again */
static void
test_recreate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autofree char *first = create_contact (a, "Neumann");
  g_autofree char *second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  guint na, nb;

  sync_ok (a);
  sync_ok (b);
  g_assert_true (kontor_store_delete (b->store, first, &error));
  sync_ok (b);
  sync_ok (a);
  second = create_contact (a, "Neumann");
  sync_ok (a);
  sync_ok (b);

  g_assert_cmpstr (first, !=, second);
  g_assert_true (kontor_store_count (a->store, q, &na, &error));
  g_assert_true (kontor_store_count (b->store, q, &nb, &error));
  g_assert_cmpuint (na, ==, 1);
  g_assert_cmpuint (nb, ==, 1);
  assert_same_state (a, b, first);
  assert_same_state (a, b, second);
  g_assert_cmpuint (n_conflicts (a), ==, 0);
}

/* 6: thousands of offline edits give no spurious conflict */
static void
test_many_offline_edits (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autofree char *id = create_contact (a, "Lange");
  g_autoptr(GError) error = NULL;

  sync_ok (a);
  sync_ok (b);
  g_assert_true (kontor_store_begin (a->store, &error));
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *city = g_strdup_printf ("Ort %u", i);
      set_field (a, id, i % 2 ? "city" : "job_title", city);
    }
  g_assert_true (kontor_store_commit (a->store, &error));
  sync_ok (a);
  sync_ok (b);
  g_assert_cmpuint (n_conflicts (a), ==, 0);
  g_assert_cmpuint (n_conflicts (b), ==, 0);
  g_assert_cmpstr (get_field (b, id, "city"), ==, "Ort 2999");
  g_assert_cmpstr (get_field (b, id, "job_title"), ==, "Ort 2998");
  assert_same_state (a, b, id);
}

/* 7: many rounds of unresolved same-field conflicts on one record keep the
 * conflict list bounded (one entry, at most one version per replica) */
static void
test_repeated_conflicts (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autofree char *id = create_contact (a, "Streit");
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  sync_ok (a);
  sync_ok (b);
  for (guint round = 0; round < 200; round++)
    {
      g_autofree char *va = g_strdup_printf ("A%u", round);
      g_autofree char *vb = g_strdup_printf ("B%u", round);

      set_field (a, id, "city", va);
      set_field (b, id, "city", vb);
      sync_ok (a);
      sync_ok (b);
    }
  sync_ok (a);
  g_test_message ("200 conflicting rounds in %.2f s", (g_get_monotonic_time () - start) / 1e6);
  {
    g_autoptr(GPtrArray) values = kontor_store_get_conflict_values (a->store, id, "city", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (values->len, ==, 2);
  }
  g_assert_cmpuint (n_conflicts (a), ==, 1);
  g_assert_cmpuint (n_conflicts (b), ==, 1);
  assert_same_state (a, b, id);
}

/* 8: turns without concurrency never conflict */
static void
test_taking_turns (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autofree char *id = create_contact (a, "Wechsel");

  sync_ok (a);
  for (guint i = 0; i < 30; i++)
    {
      Laptop *who = i % 2 ? a : b;
      g_autofree char *v = g_strdup_printf ("Runde %u", i);

      sync_ok (who);
      set_field (who, id, "city", v);
      sync_ok (who);
    }
  sync_ok (a);
  sync_ok (b);
  g_assert_cmpuint (n_conflicts (a), ==, 0);
  g_assert_cmpuint (n_conflicts (b), ==, 0);
  g_assert_cmpstr (get_field (b, id, "city"), ==, "Runde 29");
  assert_same_state (a, b, id);
}

/* 9 and 12: every push answer lost and retried: no self-conflict, each op
 * applied once */
static void
test_lost_answers (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autofree char *id = create_contact (a, "Verloren");
  g_autoptr(GError) error = NULL;
  KontorSyncStats stats = { 0 };

  set_field (a, id, "city", "Erfurt");
  set_field (a, id, "city", "Jena");
  kontor_sync_client_set_batch_sizes (a->client, 1, 1);
  a->next_fault = KONTOR_FAULT_DROP_RESPONSE;
  a->fault_path = "sync/v1/push";
  for (guint i = 0; i < 3; i++)
    {
      a->faults_left = 1;
      kontor_sync_client_push (a->client, a->store, NULL, NULL, &error);
      g_assert_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_OFFLINE);
      g_clear_error (&error);
    }
  g_assert_cmpuint (kontor_store_outbox_count (a->store), ==, 3);
  a->next_fault = KONTOR_FAULT_DUPLICATE;
  a->faults_left = 100;
  kontor_sync_client_sync (a->client, a->store, &stats, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_store_outbox_count (a->store), ==, 0);
  sync_ok (b);

  g_assert_cmpuint (n_conflicts (a), ==, 0);
  g_assert_cmpstr (get_field (b, id, "city"), ==, "Jena");
  assert_same_state (a, b, id);
}

/* 13: a permanently refused op does not block the valid ones after it */
static void
test_rejected_op (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autofree char *id = create_contact (a, "Abgelehnt");
  g_autofree char *id2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  KontorSyncStats stats = { 0 };
  sqlite3 *db;

  sync_ok (a);
  set_field (a, id, "city", "Gera");
  /* an older client wrote an e-mail the server's rules refuse: simulate it
   * by changing the queued op behind the store's back */
  g_assert_cmpint (sqlite3_open (kontor_store_get_path (a->store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE outbox SET fields = '{\"email\":\"not-an-address\"}'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  id2 = create_contact (a, "Gültig");

  kontor_sync_client_sync (a->client, a->store, &stats, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.rejected, ==, 1);
  g_assert_cmpuint (kontor_store_outbox_count (a->store), ==, 0);
  rejected = kontor_store_list_rejected (a->store, &error);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_nonnull (strstr (((KontorRejected *) rejected->pdata[0])->reason, "email"));

  sync_ok (b);
  g_assert_cmpstr (get_field (b, id2, "last_name"), ==, "Gültig");
  /* the refused edit is nowhere: both agree on the server's version */
  assert_same_state (a, b, id);
  assert_same_state (a, b, id2);
}

/* 2: a fresh server process (no memory of anyone's progress) lets a client
 * resume from its own checkpoint, pulling only what is new */
static void
test_resume_from_checkpoint (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *server_dir = g_build_filename (f->dir, "server", NULL);
  guint port = f->server->port;
  KontorSyncStats stats = { 0 };

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *id = create_contact (a, "Alt");
    }
  sync_ok (a);
  sync_ok (b);

  kontor_test_server_free (f->server);
  f->server = kontor_test_server_start (server_dir, port, NULL);
  {
    g_autofree char *id = create_contact (a, "Neu");
  }
  sync_ok (a);
  kontor_sync_client_sync (b->client, b->store, &stats, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, ==, 1);
}

/* 11: a database copied to a second machine is detected by the server */
static void
test_copied_database (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *copy_path = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *id = create_contact (a, "Original");
  g_autoptr(KontorStore) copy = NULL;
  g_autoptr(KontorSyncClient) copy_client = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(KontorRecord) created_on_copy = NULL;
  guint32 old_id;
  gsize len;

  sync_ok (a);
  /* the file is copied (closed, so the WAL is checkpointed) */
  {
    g_autofree char *path = g_strdup (kontor_store_get_path (a->store));

    g_clear_object (&a->store);
    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    g_assert_true (g_file_set_contents (copy_path, contents, len, NULL));
    a->store = kontor_store_open (path, &error);
    g_assert_no_error (error);
  }
  copy = kontor_store_open (copy_path, &error);
  g_assert_no_error (error);
  copy_client = kontor_sync_client_new (f->server->url);
  kontor_sync_client_set_token (copy_client, f->token);

  /* both edit under the same replica id and counter */
  set_field (a, id, "city", "Hier");
  {
    g_autoptr(JsonObject) v = json_object_new ();
    g_autoptr(KontorRecord) r = NULL;

    json_object_set_string_member (v, "city", "Dort");
    r = kontor_store_update (copy, id, v, NULL, &error);
    g_assert_no_error (error);
  }
  /* and the copy creates a contact of its own: more dots to move */
  {
    g_autoptr(JsonObject) v = json_object_new ();

    json_object_set_string_member (v, "last_name", "Kopie");
    created_on_copy = kontor_store_create (copy, "contact", NULL, v, NULL, &error);
    g_assert_no_error (error);
  }
  sync_ok (a);
  old_id = kontor_store_get_replica_id (copy);
  /* the server sees the same dot with other content; the copy takes a new
   * replica id and sends its edit under it */
  kontor_sync_client_sync (copy_client, copy, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kontor_store_get_replica_id (copy), !=, old_id);
  g_assert_cmpuint (kontor_store_outbox_count (copy), ==, 0);
  sync_ok (a);

  /* nothing lost: both edits are there, as the conflict they are */
  {
    g_autoptr(GPtrArray) on_a = kontor_store_get_conflict_values (a->store, id, "city", &error);
    g_autofree char *sa = kontor_store_get_state (a->store, id, &error);
    g_autofree char *sc = kontor_store_get_state (copy, id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (on_a->len, ==, 2);
    g_assert_cmpstr (sa, ==, sc);
    g_assert_cmpstr (get_field (a, kontor_record_get_id (created_on_copy), "last_name"), ==, "Kopie");
  }

  /* and both go on syncing without ever clashing again */
  set_field (a, id, "city", "Einig");
  sync_ok (a);
  kontor_sync_client_sync (copy_client, copy, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(KontorRecord) r = kontor_store_get (copy, id, &error);
    g_assert_cmpstr (kontor_record_get_string (r, "city"), ==, "Einig");
    g_assert_null (kontor_record_get_conflicts (r));
  }
}

/* 16: big integers and money amounts round-trip bit-identical */
static void
test_number_fidelity (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) v = json_object_new ();
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(KontorRecord) got = NULL;
  g_autoptr(JsonObject) money = json_object_new ();
  static const gint64 big[] = { G_MAXINT64, G_MININT64 + 1, 9007199254740993, -9007199254740993 };
  KontorField *field;

  field = kontor_store_add_custom_field (a->store, "organization", "big_number", "Big",
                                         "integer", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (field);
  field = kontor_store_add_custom_field (a->store, "organization", "ratio", "Ratio",
                                         "decimal", NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (big); i++)
    {
      g_autoptr(JsonObject) values = json_object_new ();
      g_autoptr(JsonObject) m = json_object_new ();
      g_autoptr(KontorRecord) org = NULL;
      g_autoptr(KontorRecord) back = NULL;
      JsonObject *mb;

      json_object_set_string_member (values, "name", "Zahlen AG");
      json_object_set_int_member (values, "big_number", big[i]);
      json_object_set_string_member (values, "ratio", "0.1000000000000000000000001");
      json_object_set_int_member (m, "minor", big[i]);
      json_object_set_string_member (m, "currency", "EUR");
      json_object_set_object_member (values, "annual_revenue", json_object_ref (m));
      org = kontor_store_create (a->store, "organization", NULL, values, NULL, &error);
      g_assert_no_error (error);
      sync_ok (a);
      sync_ok (b);
      back = kontor_store_get (b->store, kontor_record_get_id (org), &error);
      g_assert_no_error (error);
      g_assert_cmpint (kontor_record_get_int (back, "big_number", 0), ==, big[i]);
      g_assert_cmpstr (kontor_record_get_string (back, "ratio"), ==, "0.1000000000000000000000001");
      mb = json_node_get_object (kontor_record_get_value (back, "annual_revenue"));
      g_assert_cmpint (json_object_get_int_member (mb, "minor"), ==, big[i]);
      assert_same_state (a, b, kontor_record_get_id (org));
    }
  (void) v; (void) r; (void) got; (void) money;
}

static void
admin (Fixture            *f,
       const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_dir = g_build_filename (f->dir, "server", NULL);

  g_ptr_array_add (argv, (gpointer) g_getenv ("KONTOR_SERVER"));
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, server_dir);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  p = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (p, NULL, &error));
  g_assert_no_error (error);
}

/* 15: a replica away longer than tombstones are kept resyncs fully;
 * nothing is resurrected and its unsent edits survive */
static void
test_past_tombstone_horizon (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autofree char *gone = create_contact (a, "Gelöscht");
  g_autofree char *kept = create_contact (a, "Bleibt");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(KontorRecord) r = NULL;
  KontorSyncStats stats = { 0 };

  sync_ok (a);
  sync_ok (b);
  /* b goes on a long trip; meanwhile a deletes one contact */
  g_assert_true (kontor_store_delete (a->store, gone, &error));
  sync_ok (a);
  /* b, offline, edits both: one is still there, the other is gone */
  set_field (b, kept, "city", "Lissabon");
  set_field (b, gone, "city", "Porto");

  g_usleep (2100000);
  sync_ok (a);  /* a has seen everything: only b (away) lags behind */
  admin (f, (const char * const[]) { "--horizon", "1", "admin", "purge", NULL });

  kontor_sync_client_sync (b->client, b->store, &stats, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.resyncs, ==, 1);
  g_assert_cmpuint (stats.rejected, ==, 1);

  /* nothing resurrected: the deleted contact exists nowhere */
  g_assert_null (kontor_store_get (b->store, gone, &error));
  g_assert_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  sync_ok (a);
  r = kontor_store_get (a->store, gone, &error);
  g_assert_no_error (error);
  g_assert_true (kontor_record_get_deleted (r));
  g_assert_null (kontor_record_get_string (r, "city"));

  /* b's edits survive: one arrived, the other is listed with its reason */
  g_assert_cmpstr (get_field (a, kept, "city"), ==, "Lissabon");
  rejected = kontor_store_list_rejected (b->store, &error);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpstr (((KontorRejected *) rejected->pdata[0])->record, ==, gone);
  g_assert_cmpstr (json_object_get_string_member (((KontorRejected *) rejected->pdata[0])->fields,
                                                  "city"), ==, "Porto");
  assert_same_state (a, b, kept);
}

/* 5: the same changes applied in every order give the same state */
static void
test_every_order (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autoptr(Laptop) c = laptop_new (f);
  g_autofree char *id = create_contact (a, "Reihenfolge");
  Laptop *laptops[] = { a, b, c };
  static const guint orders[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
                                      { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
  g_autofree char *first = NULL;
  g_autoptr(GError) error = NULL;

  sync_ok (a);
  sync_ok (b);
  sync_ok (c);
  /* three concurrent edits: one shared field, one field each */
  set_field (a, id, "city", "Aachen");
  set_field (a, id, "job_title", "Einkauf");
  set_field (b, id, "city", "Bonn");
  set_field (c, id, "first_name", "Carla");
  kontor_store_delete (c->store, id, &error);
  g_assert_no_error (error);

  for (guint o = 0; o < 6; o++)
    {
      g_autofree char *path = g_strdup_printf ("%s/order%u.db", f->dir, o);
      g_autoptr(KontorStore) s = kontor_store_open (path, &error);
      g_autofree char *state = NULL;

      g_assert_no_error (error);
      for (guint i = 0; i < 3; i++)
        {
          Laptop *src = laptops[orders[o][i]];
          g_autofree char *json = kontor_store_get_state (src->store, id, &error);
          g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_remote_change_free);
          KontorRemoteChange *rc = g_new0 (KontorRemoteChange, 1);

          g_assert_no_error (error);
          rc->id = g_strdup (id);
          rc->kind = g_strdup ("contact");
          rc->state = kontor_sync_record_from_string (json, &error);
          g_assert_no_error (error);
          g_ptr_array_add (changes, rc);
          /* twice: applying again changes nothing */
          g_assert_true (kontor_store_apply_remote (s, changes, 0, &error));
          g_assert_true (kontor_store_apply_remote (s, changes, 0, &error));
        }
      state = kontor_store_get_state (s, id, &error);
      g_assert_no_error (error);
      if (first == NULL)
        first = g_strdup (state);
      g_assert_cmpstr (state, ==, first);
    }
  /* and the server, fed in yet another order, agrees */
  sync_ok (c);
  sync_ok (a);
  sync_ok (b);
  sync_ok (c);
  sync_ok (a);
  {
    g_autofree char *on_a = kontor_store_get_state (a->store, id, &error);
    g_assert_cmpstr (on_a, ==, first);
  }
}

/* 10: a retired replica's vector entries are pruned on the server once
 * every active replica has everything; replicas converge on the pruned
 * form, and later syncs neither re-send nor re-introduce anything */
static void
test_retired_replica (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autoptr(Laptop) old = laptop_new (f);
  g_autofree char *id = create_contact (a, "Ruhestand");
  g_autofree char *rid = g_strdup_printf ("%u", kontor_store_get_replica_id (old->store));
  g_autofree char *vv_key = g_strdup_printf ("\"%s\":", rid);
  g_autoptr(GError) error = NULL;
  KontorSyncStats stats = { 0 };

  sync_ok (a);
  sync_ok (old);
  /* the old laptop writes, then a overwrites it: old's dot is gone, only
   * its vector entry remains */
  set_field (old, id, "city", "Altenheim");
  sync_ok (old);
  sync_ok (a);
  set_field (a, id, "city", "Aktiv");
  sync_ok (a);
  sync_ok (b);
  sync_ok (old);
  {
    g_autofree char *state = kontor_store_get_state (b->store, id, &error);
    g_assert_nonnull (strstr (state, vv_key));
  }

  admin (f, (const char * const[]) { "admin", "replica-retire", rid, NULL });
  /* a retired replica can no longer push */
  set_field (old, id, "city", "Zurück");
  kontor_sync_client_push (old->client, old->store, NULL, NULL, &error);
  g_assert_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_REFUSED);
  g_clear_error (&error);

  /* pruning waits until every active replica has everything */
  sync_ok (a);
  sync_ok (b);
  sync_ok (a);
  sync_ok (b);
  admin (f, (const char * const[]) { "admin", "prune-retired", NULL });

  sync_ok (a);
  sync_ok (b);
  {
    g_autofree char *sa = kontor_store_get_state (a->store, id, &error);
    g_autofree char *sb = kontor_store_get_state (b->store, id, &error);

    g_assert_no_error (error);
    g_assert_null (strstr (sa, vv_key));
    g_assert_cmpstr (sa, ==, sb);
  }

  /* later edits keep the pruned form; nothing is sent or received twice */
  set_field (b, id, "city", "Weiter");
  sync_ok (b);
  sync_ok (a);
  kontor_sync_client_sync (a->client, a->store, &stats, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pulled, ==, 0);
  g_assert_cmpuint (stats.pushed, ==, 0);
  g_assert_cmpuint (kontor_store_outbox_count (b->store), ==, 0);
  g_assert_cmpstr (get_field (a, id, "city"), ==, "Weiter");
  g_assert_cmpuint (n_conflicts (a), ==, 0);
  assert_same_state (a, b, id);
  {
    g_autofree char *sa = kontor_store_get_state (a->store, id, &error);
    g_assert_null (strstr (sa, vv_key));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/sync/01-killed-mid-pull", test_killed_mid_pull);
  ADD ("/sync/01b-server-killed-mid-push", test_server_killed_mid_push);
  ADD ("/sync/01c-first-pull-indexes", test_first_pull_indexes);
  ADD ("/sync/02-resume-from-checkpoint", test_resume_from_checkpoint);
  ADD ("/sync/03-edit-vs-delete", test_edit_vs_delete);
  ADD ("/sync/04-recreate", test_recreate);
  ADD ("/sync/06-many-offline-edits", test_many_offline_edits);
  ADD ("/sync/07-repeated-conflicts", test_repeated_conflicts);
  ADD ("/sync/08-taking-turns", test_taking_turns);
  ADD ("/sync/09-12-lost-answers", test_lost_answers);
  ADD ("/sync/11-copied-database", test_copied_database);
  ADD ("/sync/13-rejected-op", test_rejected_op);
  ADD ("/sync/16-number-fidelity", test_number_fidelity);
  ADD ("/sync/05-every-order", test_every_order);
  ADD ("/sync/10-retired-replica", test_retired_replica);
  ADD ("/sync/15-past-tombstone-horizon", test_past_tombstone_horizon);
#undef ADD

  return g_test_run ();
}
