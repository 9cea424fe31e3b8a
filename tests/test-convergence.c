/* test-convergence.c: random schedules against a real kontor-server
 *
 * 2 to 5 replicas (real SQLite files) make random creates, field edits,
 * link changes, deletes and conflict resolutions, and sync with random
 * push/pull interleavings through a lossy network: answers dropped,
 * requests duplicated or never arriving, old push batches replayed out of
 * order, clients restarted. After a quiet full sync every replica and the
 * server hold byte-identical states, equal to merging every edit ever made
 * exactly once (so no acknowledged write is lost and none is applied
 * twice), with the same conflicts.
 *
 *   KONTOR_SCHEDULES=10000 meson test -C _build test-convergence  (long run)
 *   KONTOR_SEED=1234 ...                                          (replay one)
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "kontor-store-sync.h"
#include "kontor-sync-client.h"
#include "kontor-test-server.h"

typedef struct
{
  KontorStore      *store;
  KontorSyncClient *client;
  char             *path;
  GRand            *rand;      /* the schedule's, borrowed */
  double            fault_rate;
} Replica;

typedef struct
{
  KontorTestServer *server;
  char             *dir;
  char             *token;
  SoupSession      *session;
  guint             n_replays;
  guint             n_faults;
} World;

static World world;

static KontorFault
inject_fault (const char *path,
              gpointer    data)
{
  Replica *r = data;
  double x;

  if (r->fault_rate == 0)
    return KONTOR_FAULT_NONE;
  x = g_rand_double (r->rand);
  if (x < r->fault_rate * 0.5)
    return world.n_faults++, KONTOR_FAULT_DROP_RESPONSE;
  if (x < r->fault_rate * 0.8)
    return world.n_faults++, KONTOR_FAULT_DUPLICATE;
  if (x < r->fault_rate)
    return world.n_faults++, KONTOR_FAULT_FAIL_BEFORE;
  return KONTOR_FAULT_NONE;
}

static void
replica_open (Replica *r)
{
  g_autoptr(GError) error = NULL;

  r->store = kontor_store_open (r->path, &error);
  g_assert_no_error (error);
}

static void
replica_clear (Replica *r)
{
  g_autofree char *wal = g_strconcat (r->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (r->path, "-shm", NULL);

  g_clear_object (&r->store);
  g_clear_object (&r->client);
  g_remove (r->path);
  g_remove (wal);
  g_remove (shm);
  g_free (r->path);
}

static gint64
server_seq (void)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *uri = g_strconcat (world.server->url, "sync/v1/status", NULL);

  msg = soup_message_new ("GET", uri);
  body = soup_session_send_and_read (world.session, msg, NULL, NULL);
  g_assert_nonnull (body);
  node = kontor_test_parse_bytes (body);
  return json_object_get_int_member (json_node_get_object (node), "seq");
}

/* The server's states of everything changed after since. */
static GHashTable *
server_states (gint64 since)
{
  GHashTable *states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (;;)
    {
      g_autofree char *uri = g_strdup_printf ("%ssync/v1/changes?since=%" G_GINT64_FORMAT
                                              "&limit=5000", world.server->url, since);
      g_autofree char *auth = g_strconcat ("Bearer ", world.token, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *obj;
      JsonArray *changes;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      body = soup_session_send_and_read (world.session, msg, NULL, NULL);
      g_assert_nonnull (body);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      node = kontor_test_parse_bytes (body);
      obj = json_node_get_object (node);
      changes = json_object_get_array_member (obj, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *c = json_array_get_object_element (changes, i);
          g_autoptr(KontorSyncRecord) s = kontor_sync_record_from_json (json_object_get_member (c, "state"),
                                                                       NULL);
          g_assert_nonnull (s);
          g_hash_table_replace (states, g_strdup (json_object_get_string_member (c, "id")),
                                kontor_sync_record_to_string (s));
        }
      since = json_object_get_int_member (obj, "last_seq");
      if (!json_object_get_boolean_member (obj, "more"))
        break;
    }
  return states;
}

static void
replay_old_push (const char *body)
{
  g_autofree char *uri = g_strconcat (world.server->url, "sync/v1/push", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", world.token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  answer = soup_session_send_and_read (world.session, msg, NULL, NULL);
  g_assert_nonnull (answer);
  /* an old batch is all duplicates, never an error and never a change */
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
    g_assert_null (strstr (text, "\"applied\""));
  }
  world.n_replays++;
}

static char *
outbox_as_push_body (Replica *r)
{
  g_autoptr(GPtrArray) ops = kontor_store_outbox_ops (r->store, 20, NULL);
  g_autoptr(GString) body = g_string_new (NULL);

  if (ops == NULL || ops->len == 0)
    return NULL;
  g_string_append_printf (body, "{\"replica_id\":%u,\"ops\":[", kontor_store_get_replica_id (r->store));
  for (guint i = 0; i < ops->len; i++)
    {
      g_autoptr(JsonNode) n = kontor_sync_op_to_json (g_ptr_array_index (ops, i));
      g_autofree char *t = json_to_string (n, FALSE);
      g_string_append_printf (body, "%s%s", i ? "," : "", t);
    }
  g_string_append (body, "]}");
  return g_string_free (g_steal_pointer (&body), FALSE);
}

static const char *
pick (GRand              *rand,
      const char * const *list)
{
  return list[g_rand_int_range (rand, 0, g_strv_length ((char **) list))];
}

static GPtrArray *
ids_of_kind (Replica    *r,
             const char *kind)
{
  g_autoptr(KontorQuery) q = kontor_query_new (kind);
  g_autoptr(GPtrArray) rows = kontor_store_query (r->store, q, 0, 0, NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; rows && i < rows->len; i++)
    g_ptr_array_add (ids, g_strdup (kontor_record_get_id (g_ptr_array_index (rows, i))));
  return ids;
}

static void
capture_last_op (Replica   *r,
                 GPtrArray *all_ops)
{
  g_autoptr(GPtrArray) entries = kontor_store_outbox_ops (r->store, 0, NULL);

  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, >, 0);
  g_ptr_array_add (all_ops, g_ptr_array_steal_index (entries, entries->len - 1));
}

static const char * const first_names[] = { "Anna", "Jürgen", "Özlem", "Paul", "Grete", NULL };
static const char * const last_names[] = { "Müller", "Meier", "Weiß", "Schäfer", NULL };
static const char * const cities[] = { "Ulm", "Köln", "Graz", "Zürich", "Kiel", NULL };
static const char * const fields[] = { "first_name", "last_name", "city", "score", "organization", NULL };

static void
random_edit (Replica   *r,
             GRand     *rand,
             GPtrArray *all_ops)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GPtrArray) contacts = ids_of_kind (r, "contact");
  g_autoptr(GPtrArray) orgs = ids_of_kind (r, "organization");
  guint op = g_rand_int_range (rand, 0, 100);
  guint outbox_before = kontor_store_outbox_count (r->store);

  if (op < 15 || contacts->len == 0)
    {
      g_autoptr(KontorRecord) rec = NULL;

      if (orgs->len == 0 || op < 5)
        {
          g_autofree char *name = g_strdup_printf ("Firma %u GmbH", g_rand_int_range (rand, 0, 1000));

          json_object_set_string_member (values, "name", name);
          rec = kontor_store_create (r->store, "organization", NULL, values, NULL, &error);
        }
      else
        {
          json_object_set_string_member (values, "first_name", pick (rand, first_names));
          json_object_set_string_member (values, "last_name", pick (rand, last_names));
          json_object_set_string_member (values, "organization",
                                         g_ptr_array_index (orgs, g_rand_int_range (rand, 0, orgs->len)));
          rec = kontor_store_create (r->store, "contact", NULL, values, NULL, &error);
        }
      g_assert_no_error (error);
    }
  else if (op < 85)
    {
      const char *id = g_ptr_array_index (contacts, g_rand_int_range (rand, 0, contacts->len));
      guint n_fields = g_rand_int_range (rand, 1, 3);
      g_autoptr(KontorRecord) rec = NULL;

      for (guint i = 0; i < n_fields; i++)
        {
          const char *f = pick (rand, fields);

          if (g_str_equal (f, "first_name"))
            json_object_set_string_member (values, f, pick (rand, first_names));
          else if (g_str_equal (f, "last_name"))
            json_object_set_string_member (values, f, pick (rand, last_names));
          else if (g_str_equal (f, "city"))
            {
              if (g_rand_int_range (rand, 0, 5) == 0)
                json_object_set_null_member (values, f);
              else
                json_object_set_string_member (values, f, pick (rand, cities));
            }
          else if (g_str_equal (f, "score"))
            json_object_set_int_member (values, f, g_rand_int_range (rand, 0, 100));
          else if (orgs->len > 0)
            json_object_set_string_member (values, f,
                                           g_ptr_array_index (orgs, g_rand_int_range (rand, 0, orgs->len)));
        }
      if (json_object_get_size (values) == 0)
        return;
      rec = kontor_store_update (r->store, id, values, NULL, &error);
      /* the organization may have been deleted here meanwhile */
      if (error && g_error_matches (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID))
        return;
      g_assert_no_error (error);
    }
  else if (op < 93)
    {
      const char *id = g_ptr_array_index (contacts, g_rand_int_range (rand, 0, contacts->len));

      kontor_store_delete (r->store, id, &error);
      g_assert_no_error (error);
    }
  else
    {
      /* resolve a conflict with one of its values */
      g_autoptr(GPtrArray) conflicted = kontor_store_list_conflicts (r->store, &error);
      KontorRecord *rec;
      const char * const *cf;
      g_autoptr(GPtrArray) vals = NULL;
      g_autoptr(KontorRecord) resolved = NULL;

      g_assert_no_error (error);
      if (conflicted->len == 0)
        return;
      rec = g_ptr_array_index (conflicted, g_rand_int_range (rand, 0, conflicted->len));
      cf = kontor_record_get_conflicts (rec);
      vals = kontor_store_get_conflict_values (r->store, kontor_record_get_id (rec), cf[0], &error);
      g_assert_no_error (error);
      resolved = kontor_store_resolve (r->store, kontor_record_get_id (rec), cf[0],
                                       g_ptr_array_index (vals, g_rand_int_range (rand, 0, vals->len)),
                                       &error);
      if (error && (g_error_matches (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID) ||
                    g_error_matches (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_DELETED)))
        return;
      g_assert_no_error (error);
    }

  if (kontor_store_outbox_count (r->store) > outbox_before)
    capture_last_op (r, all_ops);
}

static gboolean
sync_step (Replica   *r,
           GRand     *rand,
           gboolean   faults)
{
  g_autoptr(GError) error = NULL;
  guint what = g_rand_int_range (rand, 0, 3);
  gboolean ok;

  r->fault_rate = faults ? 0.3 : 0;
  if (what == 0)
    ok = kontor_sync_client_push (r->client, r->store, NULL, NULL, &error);
  else if (what == 1)
    ok = kontor_sync_client_pull (r->client, r->store, NULL, NULL, &error);
  else
    ok = kontor_sync_client_sync (r->client, r->store, NULL, NULL, &error);
  r->fault_rate = 0;

  if (!ok)
    {
      /* only the simulated network may fail */
      g_assert_true (faults);
      g_assert_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_OFFLINE);
    }
  return ok;
}

static void
run_schedule (guint64 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed_array ((const guint32[]) { seed, seed >> 32 }, 2);
  guint n = g_rand_int_range (rand, 2, 6);
  guint steps = g_rand_int_range (rand, 20, 60);
  Replica replicas[5] = { 0 };
  g_autoptr(GPtrArray) all_ops = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_sync_op_free);
  g_autoptr(GPtrArray) old_bodies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) kontor_sync_record_free);
  g_autoptr(GHashTable) on_server = NULL;
  gint64 start_seq = server_seq ();
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, start_seq);
      Replica *r = &replicas[i];

      r->path = g_strdup_printf ("%s/s%" G_GUINT64_FORMAT "-r%u.db", world.dir, seed, i);
      r->rand = rand;
      replica_open (r);
      /* this schedule's replicas start at the feed's current end */
      kontor_store_set_setting (r->store, "last_seq", seq, &error);
      g_assert_no_error (error);
      r->client = kontor_sync_client_new (world.server->url);
      kontor_sync_client_set_token (r->client, world.token);
      kontor_sync_client_set_batch_sizes (r->client, g_rand_int_range (rand, 1, 8),
                                          g_rand_int_range (rand, 1, 8));
      kontor_sync_client_set_fault_func (r->client, inject_fault, r);
      kontor_sync_client_register (r->client, r->store, NULL, &error);
      g_assert_no_error (error);
    }

  for (guint s = 0; s < steps; s++)
    {
      Replica *r = &replicas[g_rand_int_range (rand, 0, n)];
      guint action = g_rand_int_range (rand, 0, 100);

      if (action < 55)
        random_edit (r, rand, all_ops);
      else if (action < 90)
        {
          char *body = outbox_as_push_body (r);

          if (body)
            g_ptr_array_add (old_bodies, body);
          sync_step (r, rand, TRUE);
        }
      else if (action < 95 && old_bodies->len > 0)
        {
          /* an old batch arrives late (it may be all acknowledged by now) */
          const char *body = g_ptr_array_index (old_bodies, g_rand_int_range (rand, 0, old_bodies->len));
          g_autoptr(KontorSyncOp) probe = NULL;
          g_autoptr(JsonNode) n0 = json_from_string (body, NULL);
          JsonArray *ops = json_object_get_array_member (json_node_get_object (n0), "ops");
          gint64 rid = json_object_get_int_member (json_node_get_object (n0), "replica_id");
          guint64 highest = 0;
          g_autoptr(GError) error = NULL;

          /* only replay what the server has taken (else it is no replay) */
          probe = kontor_sync_op_from_json (json_array_get_element (ops, json_array_get_length (ops) - 1), &error);
          g_assert_no_error (error);
          highest = probe->dot.counter;
          for (guint i = 0; i < n; i++)
            if (kontor_store_get_replica_id (replicas[i].store) == rid)
              {
                g_autoptr(GPtrArray) pending = kontor_store_outbox_ops (replicas[i].store, 1, NULL);
                guint64 first_pending = pending->len ? ((KontorSyncOp *) pending->pdata[0])->dot.counter : G_MAXUINT64;

                if (highest < first_pending)
                  replay_old_push (body);
              }
        }
      else
        {
          /* the client restarts: close and reopen its database */
          g_clear_object (&r->store);
          replica_open (r);
        }
    }

  /* quiet network: sync until nothing moves */
  for (guint round = 0; round < 4; round++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(GError) error = NULL;

        kontor_sync_client_sync (replicas[i].client, replicas[i].store, NULL, NULL, &error);
        g_assert_no_error (error);
      }

  /* the oracle: every edit merged exactly once */
  for (guint i = 0; i < all_ops->len; i++)
    {
      KontorSyncOp *op = g_ptr_array_index (all_ops, i);
      KontorSyncRecord *state = g_hash_table_lookup (expected, op->record);
      g_autoptr(KontorSyncRecord) op_state = kontor_sync_op_to_record (op, NULL);
      g_autoptr(GPtrArray) newly = NULL;

      g_assert_nonnull (op_state);
      if (state == NULL)
        {
          state = kontor_sync_record_new ();
          g_hash_table_insert (expected, g_strdup (op->record), state);
        }
      newly = kontor_sync_record_merge (state, op_state);
    }

  on_server = server_states (start_seq);
  g_assert_cmpuint (g_hash_table_size (on_server), ==, g_hash_table_size (expected));

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *want = kontor_sync_record_to_string (value);

      if (g_strcmp0 (want, g_hash_table_lookup (on_server, key)) != 0)
        g_error ("seed %" G_GUINT64_FORMAT ": server state of %s\n  is   %s\n  want %s", seed,
                 (char *) key, (char *) g_hash_table_lookup (on_server, key), want);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *got = kontor_store_get_state (replicas[i].store, key, &error);

          if (error != NULL || g_strcmp0 (got, want) != 0)
            g_error ("seed %" G_GUINT64_FORMAT ": replica %u state of %s\n  is   %s\n  want %s",
                     seed, i, (char *) key, got ? got : error->message, want);
        }
    }

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (kontor_store_outbox_count (replicas[i].store), ==, 0);
      replica_clear (&replicas[i]);
    }
}

static void
test_random_schedules (void)
{
  const char *env_seed = g_getenv ("KONTOR_SEED");
  const char *env_n = g_getenv ("KONTOR_SCHEDULES");
  guint64 base = env_seed ? g_ascii_strtoull (env_seed, NULL, 10) : (guint64) (guint32) g_test_rand_int ();
  guint count = env_n ? (guint) g_ascii_strtoull (env_n, NULL, 10) : 1000;
  gint64 started = g_get_monotonic_time ();

  if (env_seed)
    count = env_n ? count : 1;

  /* A schedule's operations depend on its seed only; replica ids and
   * sequence numbers also depend on the schedules before it on the same
   * server, so the whole run is replayed by its base seed and count. */
  g_printerr ("# base seed %" G_GUINT64_FORMAT "; replay this run with KONTOR_SEED=%"
              G_GUINT64_FORMAT " KONTOR_SCHEDULES=%u\n", base, base, count);

  for (guint i = 0; i < count; i++)
    {
      guint64 seed = base + i;

      /* printed before it runs, so a crash still names its seed */
      if (i % 100 == 0 || env_seed)
        g_printerr ("# schedule %u/%u, seed %" G_GUINT64_FORMAT " (replay: KONTOR_SEED=%"
                    G_GUINT64_FORMAT " KONTOR_SCHEDULES=1)\n", i, count, seed, seed);
      g_test_message ("seed %" G_GUINT64_FORMAT, seed);
      run_schedule (seed);
    }

  g_printerr ("# %u schedules in %.1f s; %u faults injected, %u old batches replayed\n", count,
              (g_get_monotonic_time () - started) / 1e6, world.n_faults, world.n_replays);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorSyncClient) login = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);

  /* Thousands of schedules commit hundreds of thousands of transactions:
   * on a disk the fsyncs dominate, so the files live in memory (tmpfs)
   * when the machine has one. They are real SQLite files all the same. */
  if (g_access ("/dev/shm", W_OK) == 0)
    {
      world.dir = g_build_filename ("/dev/shm", "kontor-convergence-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (world.dir));
    }
  else
    {
      world.dir = g_dir_make_tmp ("kontor-convergence-XXXXXX", &error);
      g_assert_no_error (error);
    }
  {
    g_autofree char *data = g_build_filename (world.dir, "server", NULL);
    world.server = kontor_test_server_start (data, 0, NULL);
  }
  world.session = soup_session_new ();
  login = kontor_sync_client_new (world.server->url);
  kontor_sync_client_login (login, "anna", "s3cret-pass", NULL, &error);
  g_assert_no_error (error);
  world.token = g_strdup (kontor_sync_client_get_token (login));

  g_test_add_func ("/convergence/random-schedules", test_random_schedules);
  rc = g_test_run ();

  kontor_test_server_free (world.server);
  g_clear_object (&world.session);
  kontor_test_rm_rf (world.dir);
  g_free (world.dir);
  g_free (world.token);
  return rc;
}
