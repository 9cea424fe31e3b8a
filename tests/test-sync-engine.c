/* test-sync-engine.c: the background sync engine against a real server
 *
 * Every test runs the main loop the way the app does and, apart from
 * pressing "sync now" where that is the point, never asks for a sync:
 * what reaches the other replica got there through the engine's timers
 * and the server's nudges. Each wait has a deadline.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>

#include "kontor-sync-client.h"
#include "kontor-sync-engine.h"
#include "kontor-test-server.h"

typedef struct
{
  char             *dir;
  KontorTestServer *server;
  char             *token;
  guint             n_laptops;
} Fixture;

/* Counted in the sync worker's thread: atomics only. */
typedef struct
{
  gint requests;   /* every HTTP request the client starts */
  gint changes;    /* pulls (one per sync that got that far) */
  gint pushes;
} Counters;

typedef struct
{
  KontorStore      *store;
  KontorSyncClient *client;
  KontorSyncEngine *engine;
  Counters          counters;
  guint             syncs;          /* times the engine went "syncing" */
  guint             disconnects;    /* times the socket went down */
  guint             contact_changes;
} Laptop;

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until expr holds; after msec the test fails with a
 * message and returns. */
#define WAIT_UNTIL(expr, msec, what)                                            \
  G_STMT_START {                                                                \
    gint64 wait_deadline_ = g_get_monotonic_time () + (gint64) (msec) * 1000;  \
    guint wait_tick_ = g_timeout_add (10, wake, NULL);                          \
    while (!(expr) && g_get_monotonic_time () < wait_deadline_)                 \
      g_main_context_iteration (NULL, TRUE);                                    \
    g_source_remove (wait_tick_);                                               \
    if (!(expr))                                                                \
      {                                                                         \
        g_test_fail_printf ("waited %u ms in vain for %s", (guint) (msec), what); \
        return;                                                                 \
      }                                                                         \
  } G_STMT_END

/* Runs the main loop for msec. */
static void
run_for (guint msec)
{
  gint64 until = g_get_monotonic_time () + (gint64) msec * 1000;
  guint tick = g_timeout_add (10, wake, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static KontorFault
count_request (const char *path,
               gpointer    data)
{
  Counters *c = data;

  g_atomic_int_inc (&c->requests);
  if (g_str_has_prefix (path, "sync/v1/changes"))
    g_atomic_int_inc (&c->changes);
  else if (g_str_has_prefix (path, "sync/v1/push"))
    g_atomic_int_inc (&c->pushes);
  return KONTOR_FAULT_NONE;
}

static void
on_state (KontorSyncEngine *engine,
          GParamSpec       *pspec,
          Laptop           *l)
{
  if (kontor_sync_engine_get_state (engine) == KONTOR_SYNC_STATE_SYNCING)
    l->syncs++;
}

static void
on_connected (KontorSyncEngine *engine,
              GParamSpec       *pspec,
              Laptop           *l)
{
  if (!kontor_sync_engine_get_connected (engine))
    l->disconnects++;
}

static void
on_store_changed (KontorStore *store,
                  const char  *kind,
                  Laptop      *l)
{
  if (g_str_equal (kind, "contact"))
    l->contact_changes++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char * const *extra_args = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorSyncClient) login = NULL;
  g_autofree char *server_dir = NULL;

  f->dir = g_dir_make_tmp ("kontor-engine-XXXXXX", &error);
  g_assert_no_error (error);
  server_dir = g_build_filename (f->dir, "server", NULL);
  f->server = kontor_test_server_start (server_dir, 0, extra_args);
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

/* A laptop on the replica at path; a new one when path is NULL (its
 * replica is not registered: the engine registers it). */
static Laptop *
laptop_open (Fixture    *f,
             const char *path)
{
  g_autoptr(GError) error = NULL;
  Laptop *l = g_new0 (Laptop, 1);

  l->store = kontor_store_open (path, &error);
  g_assert_no_error (error);
  l->client = kontor_sync_client_new (f->server->url);
  kontor_sync_client_set_token (l->client, f->token);
  kontor_sync_client_set_fault_func (l->client, count_request, &l->counters);

  l->engine = kontor_sync_engine_new (l->store, l->client);
  /* only an edit here (debounced) or a nudge can explain a sync */
  kontor_sync_engine_set_debounce (l->engine, 200);
  kontor_sync_engine_set_interval (l->engine, 3600);
  kontor_sync_engine_set_backoff (l->engine, 100, 1000);
  g_signal_connect (l->engine, "notify::state", G_CALLBACK (on_state), l);
  g_signal_connect (l->engine, "notify::connected", G_CALLBACK (on_connected), l);
  g_signal_connect (l->store, "changed", G_CALLBACK (on_store_changed), l);
  return l;
}

static Laptop *
laptop_new (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("%s/laptop%u.db", f->dir, f->n_laptops++);

  return laptop_open (f, path);
}

static void
laptop_free (Laptop *l)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (10, wake, NULL);

  g_signal_handlers_disconnect_by_data (l->engine, l);
  g_signal_handlers_disconnect_by_data (l->store, l);
  g_clear_object (&l->engine);

  /* a sync still in its thread holds the client (and counts into l):
   * disposing the engine cancelled it; let it finish */
  while (g_atomic_int_get (&G_OBJECT (l->client)->ref_count) > 1 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (g_atomic_int_get (&G_OBJECT (l->client)->ref_count), ==, 1);

  g_clear_object (&l->client);
  g_clear_object (&l->store);
  g_free (l);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Laptop, laptop_free)

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

/* The field's value on this laptop's store, NULL while the record is not
 * there. */
static const char *
get_field (Laptop     *l,
           const char *id,
           const char *field)
{
  g_autoptr(KontorRecord) r = kontor_store_get (l->store, id, NULL);

  return r ? g_intern_string (kontor_record_get_string (r, field)) : NULL;
}

static gboolean
is_online (Laptop *l)
{
  return kontor_sync_engine_get_connected (l->engine) &&
         kontor_sync_engine_get_state (l->engine) == KONTOR_SYNC_STATE_IDLE &&
         kontor_sync_engine_get_last_sync (l->engine) > 0;
}

static gboolean
has_all (Laptop    *l,
         GPtrArray *ids)
{
  for (guint i = 0; i < ids->len; i++)
    if (get_field (l, g_ptr_array_index (ids, i), "last_name") == NULL)
      return FALSE;
  return TRUE;
}

static KontorSyncState
state_of (Laptop *l)
{
  return kontor_sync_engine_get_state (l->engine);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* a) An edit on A reaches B with no sync call: A pushes after its
 * debounce, the server nudges B over the socket, B pulls. */
static void
test_edit_reaches_other_replica (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autofree char *id = NULL;
  guint b_syncs, b_contact_changes;
  gint b_pulls;
  gint64 start;

  kontor_sync_engine_start (a->engine);
  kontor_sync_engine_start (b->engine);
  WAIT_UNTIL (is_online (a) && is_online (b), 10000, "both engines online");
  /* the start settles (socket opened, first sync done) */
  run_for (500);
  WAIT_UNTIL (state_of (b) == KONTOR_SYNC_STATE_IDLE, 5000, "B idle");
  g_assert_cmpuint (kontor_store_get_replica_id (a->store), !=, KONTOR_REPLICA_UNREGISTERED);
  g_assert_cmpuint (kontor_store_get_replica_id (b->store), !=, KONTOR_REPLICA_UNREGISTERED);

  b_syncs = b->syncs;
  b_pulls = g_atomic_int_get (&b->counters.changes);
  b_contact_changes = b->contact_changes;

  start = g_get_monotonic_time ();
  id = create_contact (a, "Engel");
  g_assert_cmpuint (kontor_sync_engine_get_pending (a->engine), ==, 1);
  WAIT_UNTIL (get_field (b, id, "last_name") != NULL, 10000, "A's new contact on B");
  g_test_message ("create delivered in %.2f s", seconds_since (start));
  g_assert_cmpstr (get_field (b, id, "last_name"), ==, "Engel");

  /* B has no edits and its periodic sync is an hour away: the nudge made
   * it sync, over a socket that stayed open */
  g_assert_cmpuint (b->syncs, >, b_syncs);
  g_assert_cmpint (g_atomic_int_get (&b->counters.changes), >, b_pulls);
  g_assert_cmpuint (b->disconnects, ==, 0);
  /* and B's lists were told */
  g_assert_cmpuint (b->contact_changes, >, b_contact_changes);
  WAIT_UNTIL (kontor_sync_engine_get_pending (a->engine) == 0, 5000, "A's outbox empty");

  /* an edit, and the way back */
  start = g_get_monotonic_time ();
  set_field (a, id, "first_name", "Erika");
  WAIT_UNTIL (g_strcmp0 (get_field (b, id, "first_name"), "Erika") == 0, 10000,
              "A's edit on B");
  g_test_message ("edit delivered in %.2f s", seconds_since (start));

  start = g_get_monotonic_time ();
  set_field (b, id, "last_name", "Engel-Brandt");
  WAIT_UNTIL (g_strcmp0 (get_field (a, id, "last_name"), "Engel-Brandt") == 0, 10000,
              "B's edit on A");
  g_test_message ("edit back delivered in %.2f s", seconds_since (start));

  WAIT_UNTIL (is_online (a) && is_online (b) &&
              kontor_sync_engine_get_pending (a->engine) == 0 &&
              kontor_sync_engine_get_pending (b->engine) == 0, 5000, "both settled");

  /* a burst of edits is one push, not one each */
  {
    gint pushes = g_atomic_int_get (&a->counters.pushes);

    for (guint i = 0; i < 10; i++)
      {
        g_autofree char *phone = g_strdup_printf ("+4971112345%02u", i);

        set_field (a, id, "phone", phone);
      }
    g_assert_cmpuint (kontor_sync_engine_get_pending (a->engine), ==, 10);
    WAIT_UNTIL (g_strcmp0 (get_field (b, id, "phone"), "+497111234509") == 0, 10000,
                "the last of ten edits on B");
    g_test_message ("ten edits took %d push requests",
                    g_atomic_int_get (&a->counters.pushes) - pushes);
    g_assert_cmpint (g_atomic_int_get (&a->counters.pushes) - pushes, ==, 1);
  }

  WAIT_UNTIL (is_online (a) && is_online (b) &&
              kontor_sync_engine_get_pending (a->engine) == 0 &&
              kontor_sync_engine_get_pending (b->engine) == 0, 5000, "both settled again");
  {
    g_autofree char *sa = kontor_store_get_state (a->store, id, NULL);
    g_autofree char *sb = kontor_store_get_state (b->store, id, NULL);

    g_assert_cmpstr (sa, ==, sb);
  }
  g_assert_cmpuint (a->disconnects + b->disconnects, ==, 0);
}

typedef struct
{
  gint64 last;
  gint64 max_gap;
  guint  ticks;
} Ticker;

static gboolean
on_tick (gpointer data)
{
  Ticker *t = data;
  gint64 now = g_get_monotonic_time ();

  if (t->last != 0)
    t->max_gap = MAX (t->max_gap, now - t->last);
  t->last = now;
  t->ticks++;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  Laptop    *laptop;
  GPtrArray *ids;
  gint64     slowest;
} Editor;

static gboolean
on_edit (gpointer data)
{
  Editor *e = data;
  gint64 start = g_get_monotonic_time ();
  g_autofree char *name = g_strdup_printf ("Offline %u", e->ids->len);

  g_ptr_array_add (e->ids, create_contact (e->laptop, name));
  e->slowest = MAX (e->slowest, g_get_monotonic_time () - start);
  return G_SOURCE_CONTINUE;
}

/* b) The server dies (SIGKILL) while A keeps editing: A goes offline,
 * the main loop never stalls, edits pile up in the outbox; the server
 * comes back on the same port and everything flows again by itself. */
static void
test_server_killed_and_back (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(Laptop) b = laptop_new (f);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *first = NULL;
  g_autofree char *data_dir = g_strdup (f->server->data_dir);
  guint port = f->server->port;
  Ticker ticker = { 0 };
  Editor editor = { a, ids, 0 };
  guint tick_id, edit_id;
  guint pending_offline;
  gint requests_before;
  gint attempts;
  gint64 start;

  kontor_sync_engine_start (a->engine);
  kontor_sync_engine_start (b->engine);
  WAIT_UNTIL (is_online (a) && is_online (b), 10000, "both engines online");
  first = create_contact (a, "Vorher");
  WAIT_UNTIL (get_field (b, first, "last_name") != NULL, 10000, "the first contact on B");
  WAIT_UNTIL (is_online (a) && kontor_sync_engine_get_pending (a->engine) == 0, 5000,
              "A's outbox empty");

  kontor_test_server_kill (f->server, SIGKILL);
  start = g_get_monotonic_time ();
  requests_before = g_atomic_int_get (&a->counters.requests);

  tick_id = g_timeout_add (50, on_tick, &ticker);
  edit_id = g_timeout_add (150, on_edit, &editor);

  WAIT_UNTIL (state_of (a) == KONTOR_SYNC_STATE_OFFLINE, 10000, "A offline");
  g_test_message ("A offline after %.2f s", seconds_since (start));
  WAIT_UNTIL (!kontor_sync_engine_get_connected (a->engine) &&
              !kontor_sync_engine_get_connected (b->engine), 10000, "both sockets down");
  /* B has nothing to push; its socket retries in the background */

  /* the engine keeps failing for a while */
  run_for (3000);
  g_source_remove (edit_id);
  g_source_remove (tick_id);

  attempts = g_atomic_int_get (&a->counters.requests) - requests_before;
  g_test_message ("offline for %.2f s: %u ticks, largest gap %.0f ms, %u edits "
                  "(slowest %.1f ms), %d sync attempts",
                  seconds_since (start), ticker.ticks, ticker.max_gap / 1000.0, ids->len,
                  editor.slowest / 1000.0, attempts);

  g_assert_cmpint (ticker.max_gap, <, 500 * 1000);
  g_assert_cmpuint (ticker.ticks, >=, 40);
  g_assert_cmpint (editor.slowest, <, 500 * 1000);
  g_assert_cmpuint (ids->len, >=, 15);
  g_assert_cmpint (state_of (a), ==, KONTOR_SYNC_STATE_OFFLINE);
  g_assert_nonnull (kontor_sync_engine_get_last_error (a->engine));
  pending_offline = kontor_sync_engine_get_pending (a->engine);
  g_assert_cmpuint (pending_offline, ==, ids->len);
  /* retried by itself, with backoff (100 ms doubling to 1 s: a handful,
   * not one per edit or per tick) */
  g_assert_cmpint (attempts, >=, 2);
  g_assert_cmpint (attempts, <=, 15);

  /* the server comes back where it was */
  kontor_test_server_free (f->server);
  f->server = kontor_test_server_start (data_dir, port, NULL);
  g_assert_cmpuint (f->server->port, ==, port);
  start = g_get_monotonic_time ();

  WAIT_UNTIL (state_of (a) == KONTOR_SYNC_STATE_IDLE &&
              kontor_sync_engine_get_pending (a->engine) == 0, 15000,
              "A back in step with an empty outbox");
  g_test_message ("A resumed after %.2f s", seconds_since (start));
  g_assert_null (kontor_sync_engine_get_last_error (a->engine));

  WAIT_UNTIL (has_all (b, ids), 15000, "every offline edit on B");
  g_test_message ("B has all %u offline edits after %.2f s", ids->len, seconds_since (start));

  WAIT_UNTIL (kontor_sync_engine_get_connected (a->engine) &&
              kontor_sync_engine_get_connected (b->engine), 15000, "both sockets back");

  /* and the nudges work again */
  start = g_get_monotonic_time ();
  set_field (a, first, "last_name", "Nachher");
  WAIT_UNTIL (g_strcmp0 (get_field (b, first, "last_name"), "Nachher") == 0, 10000,
              "an edit after the restart on B");
  g_test_message ("edit after the restart delivered in %.2f s", seconds_since (start));
}

/* c) A token the server no longer accepts: "signed out", and no storm of
 * retries however many reasons to sync come along. */
static void
test_revoked_token (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autoptr(KontorSyncClient) other = kontor_sync_client_new (f->server->url);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gint before;

  /* the sign-in is revoked while the engine runs */
  kontor_sync_engine_set_interval (a->engine, 1);
  kontor_sync_engine_start (a->engine);
  WAIT_UNTIL (is_online (a), 10000, "A online");

  kontor_sync_client_set_token (other, f->token);
  kontor_sync_client_logout (other, NULL, &error);
  g_assert_no_error (error);

  before = g_atomic_int_get (&a->counters.requests);
  id = create_contact (a, "Widerruf");
  WAIT_UNTIL (state_of (a) == KONTOR_SYNC_STATE_SIGNED_OUT, 10000, "A signed out");
  g_assert_nonnull (kontor_sync_engine_get_last_error (a->engine));
  g_test_message ("signed out: %s", kontor_sync_engine_get_last_error (a->engine));

  /* edits, periodic ticks (every second) and 3 s of backoff time later,
   * still the one refused request */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Still here %u", i);
      g_autofree char *other_id = create_contact (a, name);

      run_for (600);
    }
  g_assert_cmpint (g_atomic_int_get (&a->counters.requests) - before, <=, 1);
  g_assert_cmpint (state_of (a), ==, KONTOR_SYNC_STATE_SIGNED_OUT);
  g_assert_false (kontor_sync_engine_get_connected (a->engine));
  g_assert_cmpuint (kontor_sync_engine_get_pending (a->engine), ==, 6);

  /* "sync now" tries once more, and only once */
  before = g_atomic_int_get (&a->counters.requests);
  kontor_sync_engine_sync_now (a->engine);
  run_for (2000);
  g_assert_cmpint (g_atomic_int_get (&a->counters.requests) - before, ==, 1);
  g_assert_cmpint (state_of (a), ==, KONTOR_SYNC_STATE_SIGNED_OUT);

  /* signing in again resumes everything */
  kontor_sync_client_login (other, "anna", "s3cret-pass", NULL, &error);
  g_assert_no_error (error);
  kontor_sync_engine_set_token (a->engine, kontor_sync_client_get_token (other));
  WAIT_UNTIL (is_online (a) && kontor_sync_engine_get_pending (a->engine) == 0, 10000,
              "A online again with an empty outbox");
  g_assert_null (kontor_sync_engine_get_last_error (a->engine));
}

/* c') A token that expired before the app started. */
static void
test_expired_token (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autofree char *id = NULL;
  gint before = g_atomic_int_get (&a->counters.requests);

  /* the server hands out 1-second tokens in this test */
  g_usleep (2100 * 1000);

  kontor_sync_engine_set_interval (a->engine, 1);
  kontor_sync_engine_start (a->engine);
  WAIT_UNTIL (state_of (a) == KONTOR_SYNC_STATE_SIGNED_OUT, 10000, "A signed out");

  id = create_contact (a, "Abgelaufen");
  run_for (3000);
  g_test_message ("%d requests while signed out",
                  g_atomic_int_get (&a->counters.requests) - before);
  g_assert_cmpint (g_atomic_int_get (&a->counters.requests) - before, <=, 1);
  g_assert_cmpint (state_of (a), ==, KONTOR_SYNC_STATE_SIGNED_OUT);
  g_assert_false (kontor_sync_engine_get_connected (a->engine));
  g_assert_cmpuint (kontor_sync_engine_get_pending (a->engine), ==, 1);

  before = g_atomic_int_get (&a->counters.requests);
  kontor_sync_engine_sync_now (a->engine);
  run_for (1500);
  g_assert_cmpint (g_atomic_int_get (&a->counters.requests) - before, ==, 1);
  g_assert_cmpint (state_of (a), ==, KONTOR_SYNC_STATE_SIGNED_OUT);
}

/* The engine goes away in the middle of a sync: the worker finishes on
 * its own and nothing touches the freed engine; a new engine on the same
 * replica finishes the job. */
static void
test_dispose_mid_sync (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Laptop) a = laptop_new (f);
  g_autofree char *path = g_strdup (kontor_store_get_path (a->store));

  for (guint i = 0; i < 50; i++)
    g_free (create_contact (a, "Eile"));

  kontor_sync_engine_start (a->engine);
  kontor_sync_engine_sync_now (a->engine);
  g_assert_cmpint (state_of (a), ==, KONTOR_SYNC_STATE_SYNCING);
  /* laptop_free drops the engine at once, then waits until the cancelled
   * task lets go of the client */
  g_clear_pointer (&a, laptop_free);

  a = laptop_open (f, path);
  g_assert_cmpuint (kontor_sync_engine_get_pending (a->engine), >, 0);
  kontor_sync_engine_start (a->engine);
  WAIT_UNTIL (is_online (a) && kontor_sync_engine_get_pending (a->engine) == 0, 10000,
              "the second engine done");
  kontor_sync_engine_stop (a->engine);
  g_assert_false (kontor_sync_engine_get_connected (a->engine));
}

int
main (int    argc,
      char **argv)
{
  static const char * const short_tokens[] = { "--token-lifetime", "1", NULL };

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/engine/edit-reaches-other-replica", Fixture, NULL,
              fixture_setup, test_edit_reaches_other_replica, fixture_teardown);
  g_test_add ("/engine/server-killed-and-back", Fixture, NULL,
              fixture_setup, test_server_killed_and_back, fixture_teardown);
  g_test_add ("/engine/revoked-token", Fixture, NULL,
              fixture_setup, test_revoked_token, fixture_teardown);
  g_test_add ("/engine/expired-token", Fixture, short_tokens,
              fixture_setup, test_expired_token, fixture_teardown);
  g_test_add ("/engine/dispose-mid-sync", Fixture, NULL,
              fixture_setup, test_dispose_mid_sync, fixture_teardown);

  return g_test_run ();
}
