/* kontor-sync-client.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "kontor-store-sync.h"
#include "kontor-sync-client.h"

struct _KontorSyncClient
{
  GObject          parent_instance;
  SoupSession     *session;
  char            *url;      /* ends with '/' */
  char            *token;
  guint            push_batch;
  guint            pull_batch;
  KontorFaultFunc  fault_func;
  gpointer         fault_data;
  GMutex           lock;     /* token */
  guint64          reused_from;  /* "from" of the last replica_reused answer */
};

G_DEFINE_FINAL_TYPE (KontorSyncClient, kontor_sync_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (kontor-sync-client-error-quark, kontor_sync_client_error)

static void
kontor_sync_client_finalize (GObject *object)
{
  KontorSyncClient *self = (KontorSyncClient *) object;

  g_clear_object (&self->session);
  g_free (self->url);
  if (self->token)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (kontor_sync_client_parent_class)->finalize (object);
}

static void
kontor_sync_client_class_init (KontorSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kontor_sync_client_finalize;
}

static void
kontor_sync_client_init (KontorSyncClient *self)
{
  g_mutex_init (&self->lock);
  self->push_batch = 500;
  self->pull_batch = 1000;
}

KontorSyncClient *
kontor_sync_client_new (const char *base_url)
{
  KontorSyncClient *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (KONTOR_TYPE_SYNC_CLIENT, NULL);
  self->url = g_str_has_suffix (base_url, "/") ? g_strdup (base_url)
                                               : g_strconcat (base_url, "/", NULL);
  return self;
}

const char *
kontor_sync_client_get_url (KontorSyncClient *self)
{
  return self->url;
}

const char *
kontor_sync_client_get_token (KontorSyncClient *self)
{
  return self->token;
}

void
kontor_sync_client_set_token (KontorSyncClient *self,
                              const char       *token)
{
  g_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->lock);
}

void
kontor_sync_client_set_batch_sizes (KontorSyncClient *self,
                                    guint             push,
                                    guint             pull)
{
  self->push_batch = CLAMP (push, 1, 5000);
  self->pull_batch = CLAMP (pull, 1, 5000);
}

void
kontor_sync_client_set_fault_func (KontorSyncClient *self,
                                   KontorFaultFunc   func,
                                   gpointer          user_data)
{
  self->fault_func = func;
  self->fault_data = user_data;
}

/* A session per thread that uses it: SoupSession is not thread-safe. */
static SoupSession *
get_session (KontorSyncClient *self)
{
  static GPrivate key = G_PRIVATE_INIT (g_object_unref);
  SoupSession *session = g_private_get (&key);

  if (session == NULL)
    {
      session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 30,
                                               "user-agent", "Kontor/" PACKAGE_VERSION, NULL);
      g_private_set (&key, session);
    }
  return session;
}

/* Sends one request; returns the answer's body and status, or fails with a
 * KONTOR_SYNC_CLIENT_ERROR that says what to do. */
static GBytes *
call_bytes (KontorSyncClient  *self,
            const char        *method,
            const char        *path,
            const char        *body,
            SoupStatus        *status_out,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autofree char *uri = g_strconcat (self->url, path, NULL);
  KontorFault fault = self->fault_func ? self->fault_func (path, self->fault_data)
                                       : KONTOR_FAULT_NONE;
  guint sends = fault == KONTOR_FAULT_DUPLICATE ? 2 : 1;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) local = NULL;
  SoupStatus status = 0;

  if (fault == KONTOR_FAULT_FAIL_BEFORE)
    {
      g_set_error_literal (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_OFFLINE,
                           _("The server cannot be reached (simulated)"));
      return NULL;
    }

  for (guint i = 0; i < sends; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (method, uri);

      g_clear_pointer (&answer, g_bytes_unref);
      g_clear_error (&local);
      if (msg == NULL)
        {
          g_set_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                       _("“%s” is not a valid server address"), self->url);
          return NULL;
        }
      g_mutex_lock (&self->lock);
      if (self->token != NULL)
        {
          g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
          soup_message_headers_replace (soup_message_get_request_headers (msg),
                                        "Authorization", auth);
        }
      g_mutex_unlock (&self->lock);
      if (body != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        }

      answer = soup_session_send_and_read (get_session (self), msg, cancellable, &local);
      status = soup_message_get_status (msg);
    }

  if (answer == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_OFFLINE,
                     _("The server cannot be reached: %s"), local->message);
      return NULL;
    }

  if (fault == KONTOR_FAULT_DROP_RESPONSE)
    {
      g_set_error_literal (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_OFFLINE,
                           _("The connection broke before the answer arrived (simulated)"));
      return NULL;
    }

  *status_out = status;
  return g_steal_pointer (&answer);
}

/* The parsed JSON object of a 2xx answer, or a KONTOR_SYNC_CLIENT_ERROR
 * that says what to do. */
static JsonObject *
parse_answer (KontorSyncClient  *self,
              GBytes            *answer,
              SoupStatus         status,
              GError           **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                   g_bytes_get_size (answer), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KONTOR_SYNC_CLIENT_ERROR,
                   status >= 500 ? KONTOR_SYNC_CLIENT_ERROR_SERVER : KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                   _("The server answered %u without a readable body"), status);
      return NULL;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      JsonObject *obj = json_node_get_object (root);
      const char *code = json_object_get_string_member_with_default (obj, "error", "");
      const char *message = json_object_get_string_member_with_default (obj, "message", "");
      KontorSyncClientError kind = KONTOR_SYNC_CLIENT_ERROR_REFUSED;

      if (status == SOUP_STATUS_UNAUTHORIZED)
        kind = KONTOR_SYNC_CLIENT_ERROR_UNAUTHORIZED;
      else if (status >= 500)
        kind = KONTOR_SYNC_CLIENT_ERROR_SERVER;
      else if (g_str_equal (code, "replica_reused"))
        {
          kind = KONTOR_SYNC_CLIENT_ERROR_REPLICA_REUSED;
          self->reused_from = json_object_get_int_member_with_default (obj, "from", 0);
        }
      else if (g_str_equal (code, "resync_required"))
        kind = KONTOR_SYNC_CLIENT_ERROR_RESYNC;
      g_set_error (error, KONTOR_SYNC_CLIENT_ERROR, kind, "%s", message[0] ? message : code);
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
call (KontorSyncClient  *self,
      const char        *method,
      const char        *path,
      const char        *body,
      GCancellable      *cancellable,
      GError           **error)
{
  SoupStatus status = 0;
  g_autoptr(GBytes) answer = call_bytes (self, method, path, body, &status, cancellable, error);

  if (answer == NULL)
    return NULL;
  return parse_answer (self, answer, status, error);
}

static char *
object_to_string (JsonObject *obj)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, obj);
  return json_to_string (node, FALSE);
}

gboolean
kontor_sync_client_login (KontorSyncClient  *self,
                          const char        *user,
                          const char        *password,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autoptr(JsonObject) req = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *body = NULL;
  const char *token;

  g_return_val_if_fail (KONTOR_IS_SYNC_CLIENT (self), FALSE);

  json_object_set_string_member (req, "user", user);
  json_object_set_string_member (req, "password", password);
  body = object_to_string (req);
  answer = call (self, "POST", "sync/v1/login", body, cancellable, error);
  memset (body, 0, strlen (body));
  if (answer == NULL)
    return FALSE;

  token = json_object_get_string_member_with_default (answer, "token", NULL);
  if (token == NULL)
    {
      g_set_error_literal (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                           _("The server sent no token"));
      return FALSE;
    }
  kontor_sync_client_set_token (self, token);
  return TRUE;
}

gboolean
kontor_sync_client_logout (KontorSyncClient  *self,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autoptr(JsonObject) answer = call (self, "POST", "sync/v1/logout", "{}", cancellable, error);

  if (answer == NULL)
    return FALSE;
  kontor_sync_client_set_token (self, NULL);
  return TRUE;
}

static gint64
request_replica_id (KontorSyncClient  *self,
                    KontorStore       *store,
                    GCancellable      *cancellable,
                    GError           **error)
{
  g_autoptr(JsonObject) req = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *body = NULL;
  gint64 id;

  json_object_set_string_member (req, "name", g_get_host_name ());
  json_object_set_string_member (req, "database_id", kontor_store_get_database_id (store));
  body = object_to_string (req);
  answer = call (self, "POST", "sync/v1/register", body, cancellable, error);
  if (answer == NULL)
    return 0;

  id = json_object_get_int_member_with_default (answer, "replica_id", 0);
  if (id <= 0 || id >= KONTOR_REPLICA_UNREGISTERED)
    {
      g_set_error_literal (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                           _("The server handed out no replica id"));
      return 0;
    }
  return id;
}

/* A copy of this database pushed first under the same replica id: take a
 * new id and move the edits the server never took to it. */
static gboolean
reregister (KontorSyncClient  *self,
            KontorStore       *store,
            GCancellable      *cancellable,
            GError           **error)
{
  gint64 id = request_replica_id (self, store, cancellable, error);

  if (id == 0)
    return FALSE;
  g_message ("replica %u is used by a copy of this database; continuing as replica %u",
             kontor_store_get_replica_id (store), (guint32) id);
  return kontor_store_move_unacked (store, (guint32) id, MAX (self->reused_from, 1), error);
}

gboolean
kontor_sync_client_register (KontorSyncClient  *self,
                             KontorStore       *store,
                             GCancellable      *cancellable,
                             GError           **error)
{
  gint64 id;

  if (kontor_store_get_replica_id (store) != KONTOR_REPLICA_UNREGISTERED)
    return TRUE;

  id = request_replica_id (self, store, cancellable, error);
  if (id == 0)
    return FALSE;

  return kontor_store_set_replica_id (store, (guint32) id, error);
}

static gboolean
refetch (KontorSyncClient  *self,
         KontorStore       *store,
         GHashTable        *records,   /* id -> kind */
         GCancellable      *cancellable,
         GError           **error)
{
  g_autoptr(JsonObject) req = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *body = NULL;
  JsonArray *ids = json_array_new ();
  JsonArray *found;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, records);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    json_array_add_string_element (ids, key);
  json_object_set_array_member (req, "ids", ids);
  body = object_to_string (req);

  answer = call (self, "POST", "sync/v1/fetch", body, cancellable, error);
  if (answer == NULL)
    return FALSE;

  found = json_object_get_array_member (answer, "records");
  for (guint i = 0; found && i < json_array_get_length (found); i++)
    {
      JsonObject *r = json_array_get_object_element (found, i);
      const char *id = json_object_get_string_member_with_default (r, "id", "");
      g_autoptr(KontorSyncRecord) state = NULL;

      if (!g_hash_table_contains (records, id))
        continue;
      state = kontor_sync_record_from_json (json_object_get_member (r, "state"), error);
      if (state == NULL)
        return FALSE;
      if (!kontor_store_reset_record (store, id, g_hash_table_lookup (records, id), state, error))
        return FALSE;
      g_hash_table_remove (records, id);
    }

  /* what the server does not have at all */
  g_hash_table_iter_init (&iter, records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!kontor_store_reset_record (store, key, value, NULL, error))
      return FALSE;

  return TRUE;
}

gboolean
kontor_sync_client_push (KontorSyncClient  *self,
                         KontorStore       *store,
                         KontorSyncStats   *stats,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autoptr(GHashTable) reset = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint32 replica = kontor_store_get_replica_id (store);
  gboolean reregistered = FALSE;

  if (replica == KONTOR_REPLICA_UNREGISTERED)
    {
      g_set_error_literal (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                           _("This replica is not registered yet"));
      return FALSE;
    }

  for (;;)
    {
      g_autoptr(GPtrArray) ops = kontor_store_outbox_ops (store, self->push_batch, error);
      g_autoptr(GString) body = NULL;
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GHashTable) by_counter = NULL;
      JsonArray *results;
      gint64 applied_upto;

      if (ops == NULL)
        return FALSE;
      if (ops->len == 0)
        break;

      body = g_string_new (NULL);
      g_string_append_printf (body, "{\"replica_id\":%u,\"ops\":[", replica);
      for (guint i = 0; i < ops->len; i++)
        {
          g_autoptr(JsonNode) node = kontor_sync_op_to_json (g_ptr_array_index (ops, i));
          g_autofree char *text = json_to_string (node, FALSE);

          if (i > 0)
            g_string_append_c (body, ',');
          g_string_append (body, text);
        }
      g_string_append (body, "]}");

      {
        g_autoptr(GError) local = NULL;

        answer = call (self, "POST", "sync/v1/push", body->str, cancellable, &local);
        if (answer == NULL)
          {
            if (g_error_matches (local, KONTOR_SYNC_CLIENT_ERROR,
                                 KONTOR_SYNC_CLIENT_ERROR_REPLICA_REUSED) && !reregistered)
              {
                if (!reregister (self, store, cancellable, error))
                  return FALSE;
                reregistered = TRUE;
                replica = kontor_store_get_replica_id (store);
                continue;
              }
            g_propagate_error (error, g_steal_pointer (&local));
            return FALSE;
          }
      }

      results = json_object_get_array_member (answer, "results");
      applied_upto = json_object_get_int_member_with_default (answer, "applied_upto", -1);
      if (results == NULL || applied_upto < 0)
        {
          g_set_error_literal (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                               _("The push answer has no results"));
          return FALSE;
        }

      /* the ops of this batch by counter (results name them by it) */
      by_counter = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint j = 0; j < ops->len; j++)
        {
          KontorSyncOp *o = g_ptr_array_index (ops, j);

          g_hash_table_insert (by_counter, &o->dot.counter, o);
        }

      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *r = json_array_get_object_element (results, i);
          const char *status = json_object_get_string_member_with_default (r, "status", "");
          gint64 counter = json_object_get_int_member_with_default (r, "counter", 0);
          KontorSyncOp *op = g_hash_table_lookup (by_counter, &counter);

          if (op == NULL)
            continue;

          if (g_str_equal (status, "rejected"))
            {
              const char *reason = json_object_get_string_member_with_default (r, "reason", "");

              if (!kontor_store_reject_op (store, op, reason, error))
                return FALSE;
              g_hash_table_replace (reset, g_strdup (op->record), g_strdup (op->kind));
              if (stats)
                stats->rejected++;
            }
          else if (g_str_equal (status, "duplicate"))
            {
              if (stats)
                stats->duplicates++;
            }
          else if (stats)
            stats->pushed++;
        }

      if (!kontor_store_outbox_ack (store, applied_upto, error))
        return FALSE;

      if (json_object_has_member (answer, "resend_from"))
        {
          /* the server misses ops this outbox no longer has */
          g_set_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                       _("The server expects edits from %lld on, which this replica no longer has"),
                       (long long) json_object_get_int_member (answer, "resend_from"));
          return FALSE;
        }
    }

  if (g_hash_table_size (reset) > 0)
    return refetch (self, store, reset, cancellable, error);

  return TRUE;
}

/* Helpers of read_changes_fast(). */
static gboolean
skip_literal (const char **pos,
              const char  *literal)
{
  gsize len = strlen (literal);

  if (strncmp (*pos, literal, len) != 0)
    return FALSE;
  *pos += len;
  return TRUE;
}

/* A string of [A-Za-z0-9_-] (what the server allows in ids and kinds). */
static char *
read_plain_string (const char **pos)
{
  const char *p = *pos;
  const char *start;

  if (*p != '"')
    return NULL;
  start = ++p;
  while (g_ascii_isalnum (*p) || *p == '_' || *p == '-')
    p++;
  if (*p != '"' || p == start)
    return NULL;
  *pos = p + 1;
  return g_strndup (start, (gsize) (p - start));
}

/* kontor-server writes a changes answer in exactly one form:
 *
 *   {"changes":[{"seq":N,"id":"…","kind":"…","state":{…}},…],
 *    "last_seq":N,"more":B,"pruned":[N,…]}
 *
 * with plain ids and kinds and canonical states. Read in that form it needs
 * no JSON tree, which was most of the time of a pull. FALSE for any other
 * text: the caller then reads the answer as JSON, as before. */
static gboolean
read_changes_fast (GBytes     *answer,
                   GPtrArray  *changes,
                   GArray     *pruned,
                   gint64     *last_seq,
                   gboolean   *more)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (answer, &len);
  g_autofree char *text = NULL;
  const char *p;
  guint64 v;

  if (data == NULL || len == 0 || memchr (data, '\0', len) != NULL ||
      !g_utf8_validate (data, (gssize) len, NULL))
    return FALSE;
  text = g_strndup (data, len);
  p = text;

  if (!skip_literal (&p, "{\"changes\":["))
    return FALSE;
  if (*p != ']')
    for (;;)
      {
        KontorRemoteChange *rc;

        if (!skip_literal (&p, "{\"seq\":") || !_kontor_sync_read_uint (&p, G_MAXINT64, &v))
          return FALSE;
        rc = g_new0 (KontorRemoteChange, 1);
        g_ptr_array_add (changes, rc);
        rc->seq = (gint64) v;
        if (!skip_literal (&p, ",\"id\":") || (rc->id = read_plain_string (&p)) == NULL ||
            !skip_literal (&p, ",\"kind\":") || (rc->kind = read_plain_string (&p)) == NULL ||
            !skip_literal (&p, ",\"state\":") ||
            (rc->state = _kontor_sync_record_read_canonical (&p)) == NULL || *p != '}')
          return FALSE;
        p++;
        if (*p == ',')
          p++;
        else if (*p == ']')
          break;
        else
          return FALSE;
      }
  p++;

  if (!skip_literal (&p, ",\"last_seq\":") || !_kontor_sync_read_uint (&p, G_MAXINT64, &v))
    return FALSE;
  *last_seq = (gint64) v;
  if (skip_literal (&p, ",\"more\":true"))
    *more = TRUE;
  else if (skip_literal (&p, ",\"more\":false"))
    *more = FALSE;
  else
    return FALSE;

  if (!skip_literal (&p, ",\"pruned\":["))
    return FALSE;
  if (*p != ']')
    for (;;)
      {
        if (!_kontor_sync_read_uint (&p, G_MAXINT64, &v))
          return FALSE;
        if (v > 0 && v < G_MAXUINT32)
          {
            guint32 r = (guint32) v;
            g_array_append_val (pruned, r);
          }
        if (*p == ',')
          p++;
        else if (*p == ']')
          break;
        else
          return FALSE;
      }
  p++;

  return p[0] == '}' && p[1] == '\0';
}

/* The general path: the answer read as JSON. */
static gboolean
read_changes_json (KontorSyncClient  *self,
                   KontorStore       *store,
                   GBytes            *bytes,
                   SoupStatus         status,
                   GPtrArray         *changes,
                   gint64            *last_seq,
                   gboolean          *more,
                   GError           **error)
{
  g_autoptr(JsonObject) answer = parse_answer (self, bytes, status, error);
  JsonArray *array;

  if (answer == NULL)
    return FALSE;

  array = json_object_get_array_member (answer, "changes");
  *last_seq = json_object_get_int_member_with_default (answer, "last_seq", -1);
  if (array == NULL || *last_seq < 0)
    {
      g_set_error_literal (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                           _("The changes answer is malformed"));
      return FALSE;
    }

  /* replicas the server pruned from vectors: prune the same way first,
   * so the states of this batch are stored as the server has them */
  if (json_object_has_member (answer, "pruned"))
    {
      JsonArray *pruned = json_object_get_array_member (answer, "pruned");
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));

      for (guint i = 0; pruned && i < json_array_get_length (pruned); i++)
        {
          gint64 r = json_array_get_int_element (pruned, i);

          if (r > 0 && r < G_MAXUINT32)
            {
              guint32 v = r;
              g_array_append_val (ids, v);
            }
        }
      if (!kontor_store_set_pruned_replicas (store, ids, error))
        return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *c = json_array_get_object_element (array, i);
      KontorRemoteChange *rc;

      if (c == NULL)
        continue;
      rc = g_new0 (KontorRemoteChange, 1);
      rc->seq = json_object_get_int_member_with_default (c, "seq", 0);
      rc->id = g_strdup (json_object_get_string_member_with_default (c, "id", ""));
      rc->kind = g_strdup (json_object_get_string_member_with_default (c, "kind", ""));
      rc->state = kontor_sync_record_from_json (json_object_get_member (c, "state"), error);
      g_ptr_array_add (changes, rc);
      if (rc->state == NULL)
        return FALSE;
    }

  *more = json_object_get_boolean_member_with_default (answer, "more", FALSE);
  return TRUE;
}

/* A first pull whose first page is full brings many records into an
 * empty replica: each kind's list indexes are built once at the end
 * instead of row by row (kontor_store_suspend_indexes). */
static void
suspend_for_initial_pull (KontorStore *store,
                          GPtrArray   *suspended)
{
  GPtrArray *kinds = kontor_schema_list_kinds (kontor_store_get_schema (store));

  for (guint i = 0; i < kinds->len; i++)
    {
      const char *kind = kontor_kind_get_name (g_ptr_array_index (kinds, i));
      g_autoptr(GError) error = NULL;
      gboolean done = FALSE;

      /* how many the server has is not said: "more than a page" */
      if (!kontor_store_suspend_indexes (store, kind, G_MAXUINT64, &done, &error))
        g_warning ("Indexes of %s kept during the first sync: %s", kind, error->message);
      else if (done)
        g_ptr_array_add (suspended, g_strdup (kind));
    }
}

static void
resume_indexes (KontorStore *store,
                GPtrArray   *suspended)
{
  for (guint i = 0; i < suspended->len; i++)
    {
      g_autoptr(GError) error = NULL;

      /* else the next open builds them */
      if (!kontor_store_resume_indexes (store, g_ptr_array_index (suspended, i), &error))
        g_warning ("Could not rebuild the indexes of %s: %s",
                   (char *) g_ptr_array_index (suspended, i), error->message);
    }
  g_ptr_array_set_size (suspended, 0);
}

static gboolean
pull_pages (KontorSyncClient  *self,
            KontorStore       *store,
            GHashTable        *seen,
            KontorSyncStats   *stats,
            GPtrArray         *suspended,
            GCancellable      *cancellable,
            GError           **error)
{
  gboolean first_page = kontor_store_get_last_seq (store) == 0;

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("sync/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=%u&replica=%u",
                                               kontor_store_get_last_seq (store),
                                               self->pull_batch,
                                               kontor_store_get_replica_id (store));
      SoupStatus status = 0;
      g_autoptr(GBytes) bytes = call_bytes (self, "GET", path, NULL, &status, cancellable, error);
      g_autoptr(GPtrArray) changes = NULL;
      g_autoptr(GArray) pruned = NULL;
      gint64 last_seq = -1;
      gboolean more = FALSE;

      if (bytes == NULL)
        return FALSE;

      changes = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_remote_change_free);
      pruned = g_array_new (FALSE, FALSE, sizeof (guint32));
      if (SOUP_STATUS_IS_SUCCESSFUL (status) &&
          read_changes_fast (bytes, changes, pruned, &last_seq, &more))
        {
          if (!kontor_store_set_pruned_replicas (store, pruned, error))
            return FALSE;
        }
      else
        {
          g_ptr_array_set_size (changes, 0);
          if (!read_changes_json (self, store, bytes, status, changes, &last_seq, &more, error))
            return FALSE;
        }

      for (guint i = 0; seen != NULL && i < changes->len; i++)
        g_hash_table_add (seen, g_strdup (((KontorRemoteChange *) g_ptr_array_index (changes, i))->id));

      if (first_page && more && changes->len >= self->pull_batch)
        suspend_for_initial_pull (store, suspended);
      first_page = FALSE;

      if (!kontor_store_apply_remote (store, changes, last_seq, error))
        return FALSE;
      if (stats)
        stats->pulled += changes->len;

      if (!more)
        break;
    }

  return TRUE;
}

static gboolean
pull_from (KontorSyncClient  *self,
           KontorStore       *store,
           GHashTable        *seen,
           KontorSyncStats   *stats,
           GCancellable      *cancellable,
           GError           **error)
{
  g_autoptr(GPtrArray) suspended = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = pull_pages (self, store, seen, stats, suspended, cancellable, error);

  /* also when the server went away half way: the lists need them */
  resume_indexes (store, suspended);
  return ok;
}

gboolean
kontor_sync_client_pull (KontorSyncClient  *self,
                         KontorStore       *store,
                         KontorSyncStats   *stats,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GHashTable) seen = NULL;
  guint removed = 0;

  if (pull_from (self, store, NULL, stats, cancellable, &local))
    return TRUE;

  if (!g_error_matches (local, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_RESYNC))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  /* Away longer than the server keeps tombstones: receive everything
   * again, then drop what the server no longer has (unless it still has
   * an edit to send, which the server will refuse visibly). */
  g_message ("full resync: %s", local->message);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!kontor_store_set_setting (store, "last_seq", "0", error) ||
      !pull_from (self, store, seen, stats, cancellable, error) ||
      !kontor_store_forget_missing (store, seen, &removed, error))
    return FALSE;
  if (stats)
    stats->resyncs++;
  return TRUE;
}

gboolean
kontor_sync_client_sync (KontorSyncClient  *self,
                         KontorStore       *store,
                         KontorSyncStats   *stats,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);

  if (stats)
    stats->rounds++;

  return kontor_sync_client_register (self, store, cancellable, error) &&
         kontor_sync_client_push (self, store, stats, cancellable, error) &&
         kontor_sync_client_pull (self, store, stats, cancellable, error);
}

typedef struct
{
  char            *path;
  KontorSyncStats  stats;
} SyncData;

static void
sync_data_free (SyncData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
sync_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  KontorSyncClient *self = source;
  SyncData *data = task_data;
  g_autoptr(KontorStore) store = NULL;
  GError *error = NULL;

  store = kontor_store_open (data->path, &error);
  if (store == NULL || !kontor_sync_client_sync (self, store, &data->stats, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
kontor_sync_client_sync_async (KontorSyncClient    *self,
                               const char          *store_path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SyncData *data;

  g_return_if_fail (KONTOR_IS_SYNC_CLIENT (self));
  g_return_if_fail (store_path != NULL);

  data = g_new0 (SyncData, 1);
  data->path = g_strdup (store_path);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_sync_client_sync_async);
  g_task_set_task_data (task, data, (GDestroyNotify) sync_data_free);
  g_task_run_in_thread (task, sync_thread);
}

gboolean
kontor_sync_client_sync_finish (KontorSyncClient  *self,
                                GAsyncResult      *result,
                                KontorSyncStats   *stats,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (stats)
    *stats = ((SyncData *) g_task_get_task_data (G_TASK (result)))->stats;
  return g_task_propagate_boolean (G_TASK (result), error);
}
