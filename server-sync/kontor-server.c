/* kontor-server.c: routes, authentication and the sync protocol
 *
 * See docs/sync-protocol.md for the protocol this implements. Every request
 * runs in one storage transaction: its effects and the checkpoints that say
 * they happened (applied_upto, seq) commit together or not at all.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-server"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "kontor-schema.h"
#include "kontor-server.h"
#include "kontor-server-blobs.h"
#include "kontor-server-decode.h"
#include "kontor-server-private.h"
#include "kontor-sync-op.h"

#define FAILED_LOGIN_WINDOW (15 * 60)
#define MAX_CHANGES_PER_PULL 5000
#define MAX_FETCH_IDS 1000

struct _KontorServer
{
  GObject              parent_instance;
  KontorServerStorage *storage;
  KontorSchema        *schema;
  SoupServer          *soup;
  KontorServerConfig   config;
  char                *address;
  char                *url;
  GHashTable          *failed_logins;   /* user name -> FailedLogins */
  GPtrArray           *sockets;         /* SoupWebsocketConnection */
  GArray              *pruned;          /* guint32: retired replicas pruned from vectors */
};

G_DEFINE_FINAL_TYPE (KontorServer, kontor_server, G_TYPE_OBJECT)

typedef struct
{
  guint  count;
  gint64 window_start;
} FailedLogins;

void
kontor_server_config_init (KontorServerConfig *config)
{
  memset (config, 0, sizeof *config);
  config->address = "127.0.0.1";
  config->token_lifetime = 30 * 24 * 3600;
  config->max_body = 16 * 1024 * 1024;
  config->max_failed_logins = 5;
}

/* --- responses ------------------------------------------------------ */

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              char              *json)  /* takes */
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    json, strlen (json));
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  respond_text (msg, status, json_to_string (node, FALSE));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  respond_json (msg, status, root);
}

/* --- request helpers ------------------------------------------------ */

static JsonObject *
read_json_body (KontorServer      *self,
                SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *obj;
  gsize len;
  const char *data;

  if ((gsize) body->length > self->config.max_body)
    {
      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                     _("The request body is larger than the server accepts"));
      return NULL;
    }

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  obj = kontor_server_parse_object (data, len, &error);
  if (obj == NULL)
    respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", error->message);

  return obj;
}

static const char *
get_string (JsonObject *obj,
            const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* Checks the bearer token; answers 401 itself when it fails. */
static gboolean
authenticate (KontorServer      *self,
              SoupServerMessage *msg,
              gint64            *user_id,
              char             **token_hash)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer ") || strlen (auth) > 512)
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                     _("Sign in first: this request needs a bearer token"));
      return FALSE;
    }

  hash = hash_token (auth + strlen ("Bearer "));
  if (!kontor_server_storage_token_lookup (self->storage, hash,
                                           g_get_real_time () / G_USEC_PER_SEC,
                                           user_id, &error))
    {
      if (error != NULL)
        respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", error->message);
      else
        respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_token",
                       _("The token is unknown, revoked or expired; sign in again"));
      return FALSE;
    }

  if (token_hash)
    *token_hash = g_steal_pointer (&hash);
  return TRUE;
}

gboolean
_kontor_server_authenticate (KontorServer      *self,
                             SoupServerMessage *msg,
                             gint64            *user_id)
{
  gint64 unused;

  return authenticate (self, msg, user_id ? user_id : &unused, NULL);
}

KontorServerStorage *
_kontor_server_get_storage (KontorServer *self)
{
  return self->storage;
}

static gboolean
require_method (SoupServerMessage *msg,
                const char        *method)
{
  if (g_str_equal (soup_server_message_get_method (msg), method))
    return TRUE;
  respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method", _("Method not allowed"));
  return FALSE;
}

static void
notify_sockets (KontorServer *self)
{
  g_autofree char *text = g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT "}",
                                           kontor_server_storage_last_seq (self->storage));

  for (guint i = 0; i < self->sockets->len; i++)
    {
      SoupWebsocketConnection *ws = g_ptr_array_index (self->sockets, i);

      if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (ws, text);
    }
}

/* --- pruned replicas ---------------------------------------------- */

#define SETTING_PRUNED "pruned_replicas"

static void
parse_pruned (const char *text,
              GArray     *out)
{
  g_auto(GStrv) parts = NULL;

  g_array_set_size (out, 0);
  if (text == NULL || text[0] == '\0')
    return;
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      guint64 r;

      if (g_ascii_string_to_unsigned (parts[i], 10, 1, G_MAXUINT32, &r, NULL))
        {
          guint32 v = r;
          g_array_append_val (out, v);
        }
    }
}

/* Another process (the admin command) may have pruned meanwhile. */
static void
reload_pruned (KontorServer *self)
{
  g_autofree char *text = kontor_server_storage_setting_get (self->storage, SETTING_PRUNED);

  parse_pruned (text, self->pruned);
}

/* --- /sync/v1/status ----------------------------------------------- */

static void
handle_status (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  KontorServer *self = user_data;

  respond_text (msg, SOUP_STATUS_OK,
                g_strdup_printf ("{\"server\":\"kontor-server\",\"version\":\"%s\","
                                 "\"protocol\":1,\"seq\":%" G_GINT64_FORMAT "}",
                                 PACKAGE_VERSION, kontor_server_storage_last_seq (self->storage)));
}

/* --- /sync/v1/login, logout ---------------------------------------- */

char *
kontor_server_hash_password (const char  *password,
                             GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str_alg (hash, password, strlen (password),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Out of memory while hashing the password"));
      return NULL;
    }
  return g_strdup (hash);
}

static gboolean
login_blocked (KontorServer *self,
               const char   *user)
{
  FailedLogins *f = g_hash_table_lookup (self->failed_logins, user);
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;

  if (f == NULL)
    return FALSE;
  if (now - f->window_start > FAILED_LOGIN_WINDOW)
    {
      g_hash_table_remove (self->failed_logins, user);
      return FALSE;
    }
  return f->count >= self->config.max_failed_logins;
}

static void
login_failed (KontorServer *self,
              const char   *user)
{
  FailedLogins *f = g_hash_table_lookup (self->failed_logins, user);

  if (f == NULL)
    {
      /* bounded: the table never grows past what one window can hold */
      if (g_hash_table_size (self->failed_logins) > 100000)
        g_hash_table_remove_all (self->failed_logins);
      f = g_new0 (FailedLogins, 1);
      f->window_start = g_get_monotonic_time () / G_USEC_PER_SEC;
      g_hash_table_insert (self->failed_logins, g_strdup (user), f);
    }
  f->count++;
}

static void
handle_login (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  KontorServer *self = user_data;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pw_hash = NULL;
  g_autofree char *token_hash = NULL;
  const char *user;
  const char *password;
  gint64 user_id = 0;
  gint64 expires;
  guint8 raw[32];
  g_autofree char *token = NULL;
  gboolean found;

  if (!require_method (msg, "POST") || (body = read_json_body (self, msg)) == NULL)
    return;

  user = get_string (body, "user");
  password = get_string (body, "password");
  if (user == NULL || password == NULL || strlen (user) > 256 || strlen (password) > 1024)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _("Give “user” and “password” as strings"));
      return;
    }

  if (login_blocked (self, user))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "900");
      respond_error (msg, 429 /* Too Many Requests: no libsoup 3.2 constant */, "rate_limited",
                     _("Too many failed sign-ins; try again in 15 minutes"));
      g_message ("login blocked user=%s (rate limit)", user);
      return;
    }

  found = kontor_server_storage_user_lookup (self->storage, user, &user_id, &pw_hash, &error);
  if (error != NULL)
    {
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", error->message);
      return;
    }
  if (!found || crypto_pwhash_str_verify (pw_hash, password, strlen (password)) != 0)
    {
      login_failed (self, user);
      g_message ("login failed user=%s", user);
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials",
                     _("Wrong user name or password"));
      return;
    }
  g_hash_table_remove (self->failed_logins, user);

  randombytes_buf (raw, sizeof raw);
  token = g_base64_encode (raw, sizeof raw);
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  token_hash = hash_token (token);
  expires = g_get_real_time () / G_USEC_PER_SEC + self->config.token_lifetime;

  if (!kontor_server_storage_begin (self->storage, &error) ||
      !kontor_server_storage_token_add (self->storage, token_hash, user_id, expires, &error) ||
      !kontor_server_storage_commit (self->storage, &error))
    {
      kontor_server_storage_rollback (self->storage);
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", error->message);
      return;
    }

  g_message ("login ok user=%s", user);
  respond_text (msg, SOUP_STATUS_OK,
                g_strdup_printf ("{\"token\":\"%s\",\"expires_at\":%" G_GINT64_FORMAT "}",
                                 token, expires));
}

static void
handle_logout (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  KontorServer *self = user_data;
  g_autofree char *token_hash = NULL;
  g_autoptr(GError) error = NULL;
  gint64 user_id;

  if (!require_method (msg, "POST") || !authenticate (self, msg, &user_id, &token_hash))
    return;

  if (!kontor_server_storage_begin (self->storage, &error) ||
      !kontor_server_storage_token_revoke (self->storage, token_hash, &error) ||
      !kontor_server_storage_commit (self->storage, &error))
    {
      kontor_server_storage_rollback (self->storage);
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", error->message);
      return;
    }
  respond_text (msg, SOUP_STATUS_OK, g_strdup ("{}"));
}

/* --- /sync/v1/register ---------------------------------------------- */

static void
handle_register (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  KontorServer *self = user_data;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  const char *database_id;
  gint64 user_id;
  guint32 replica_id;

  if (!require_method (msg, "POST") || !authenticate (self, msg, &user_id, NULL) ||
      (body = read_json_body (self, msg)) == NULL)
    return;

  name = get_string (body, "name");
  database_id = get_string (body, "database_id");
  if (name == NULL || database_id == NULL || strlen (name) > 256 || strlen (database_id) > 64)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _("Give “name” and “database_id” as strings"));
      return;
    }

  if (!kontor_server_storage_begin (self->storage, &error) ||
      !kontor_server_storage_replica_add (self->storage, user_id, name, database_id,
                                          &replica_id, &error) ||
      !kontor_server_storage_commit (self->storage, &error))
    {
      kontor_server_storage_rollback (self->storage);
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", error->message);
      return;
    }

  g_message ("register replica=%u user=%" G_GINT64_FORMAT " name=%s", replica_id, user_id, name);
  respond_text (msg, SOUP_STATUS_OK,
                g_strdup_printf ("{\"replica_id\":%u}", replica_id));
}

/* --- /sync/v1/changes ----------------------------------------------- */

static void
append_change (GString            *out,
               const KontorChange *c)
{
  /* ids and kinds were checked to be [A-Za-z0-9_-] when pushed; the state
   * is canonical JSON already */
  g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT ",\"id\":\"%s\",\"kind\":\"%s\","
                               "\"state\":%s}", c->seq, c->id, c->kind, c->state);
}

static void
handle_changes (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  KontorServer *self = user_data;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = NULL;
  const char *since_text = query ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  const char *replica_text = query ? g_hash_table_lookup (query, "replica") : NULL;
  guint64 replica_id = 0;
  guint64 since = 0;
  guint64 limit = 500;
  gint64 user_id;
  gint64 last;

  if (!require_method (msg, "GET") || !authenticate (self, msg, &user_id, NULL))
    return;

  if ((since_text && !g_ascii_string_to_unsigned (since_text, 10, 0, G_MAXINT64, &since, NULL)) ||
      (limit_text && !g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_CHANGES_PER_PULL,
                                                  &limit, NULL)) ||
      (replica_text && !g_ascii_string_to_unsigned (replica_text, 10, 1, G_MAXUINT32,
                                                    &replica_id, NULL)))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _("“since” must be a sequence number, “limit” 1 to 5000 and “replica” "
                       "a replica id"));
      return;
    }

  /* tombstones this replica has not seen may be gone: start over */
  if (since > 0 && (gint64) since < kontor_server_storage_purged_upto (self->storage))
    {
      respond_error (msg, SOUP_STATUS_GONE, "resync_required",
                     _("This replica was away longer than deleted records are kept; "
                       "it must receive everything again"));
      return;
    }

  /* the position the replica confirms having applied: it holds back the
   * purging of tombstones */
  if (replica_id > 0)
    {
      g_autoptr(KontorReplicaInfo) replica = kontor_server_storage_replica_get (self->storage,
                                                                                 replica_id, NULL);

      if (replica != NULL && replica->user_id == user_id &&
          kontor_server_storage_begin (self->storage, NULL))
        {
          if (!kontor_server_storage_replica_set_pulled (self->storage, replica_id, since,
                                                         g_get_real_time () / G_USEC_PER_SEC,
                                                         &error) ||
              !kontor_server_storage_commit (self->storage, &error))
            {
              kontor_server_storage_rollback (self->storage);
              g_warning ("could not record the pull position of replica %u: %s",
                         (guint) replica_id, error->message);
              g_clear_error (&error);
            }
        }
    }

  changes = kontor_server_storage_changes_since (self->storage, since, limit + 1, &error);
  if (changes == NULL)
    {
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", error->message);
      return;
    }

  out = g_string_sized_new (4096);
  g_string_append (out, "{\"changes\":[");
  last = since;
  for (guint i = 0; i < MIN (changes->len, limit); i++)
    {
      const KontorChange *c = g_ptr_array_index (changes, i);

      if (i > 0)
        g_string_append_c (out, ',');
      append_change (out, c);
      last = c->seq;
    }
  g_string_append_printf (out, "],\"last_seq\":%" G_GINT64_FORMAT ",\"more\":%s,\"pruned\":[",
                          last, changes->len > limit ? "true" : "false");
  reload_pruned (self);
  for (guint i = 0; i < self->pruned->len; i++)
    g_string_append_printf (out, "%s%u", i ? "," : "", g_array_index (self->pruned, guint32, i));
  g_string_append (out, "]}");

  respond_text (msg, SOUP_STATUS_OK, g_string_free (g_steal_pointer (&out), FALSE));
}

/* --- /sync/v1/fetch --------------------------------------------------- */

static void
handle_fetch (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  KontorServer *self = user_data;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GString) out = NULL;
  JsonNode *ids_node;
  JsonArray *ids;
  gint64 user_id;
  guint n = 0;

  if (!require_method (msg, "POST") || !authenticate (self, msg, &user_id, NULL) ||
      (body = read_json_body (self, msg)) == NULL)
    return;

  ids_node = json_object_get_member (body, "ids");
  if (ids_node == NULL || !JSON_NODE_HOLDS_ARRAY (ids_node) ||
      json_array_get_length (ids = json_node_get_array (ids_node)) > MAX_FETCH_IDS)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed",
                     _("Give “ids” as an array of at most 1000 record ids"));
      return;
    }

  out = g_string_new ("{\"records\":[");
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      JsonNode *e = json_array_get_element (ids, i);
      g_autofree char *kind = NULL;
      g_autofree char *state = NULL;
      g_autoptr(GError) error = NULL;
      KontorChange c = { 0 };

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          respond_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed", _("Ids must be strings"));
          return;
        }
      if (!kontor_server_storage_record_get (self->storage, json_node_get_string (e), &kind,
                                             &state, &error))
        {
          respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", error->message);
          return;
        }
      if (state == NULL)
        continue;
      c.id = (char *) json_node_get_string (e);
      c.kind = kind;
      c.state = state;
      if (n++ > 0)
        g_string_append_c (out, ',');
      append_change (out, &c);
    }
  g_string_append (out, "]}");

  respond_text (msg, SOUP_STATUS_OK, g_string_free (g_steal_pointer (&out), FALSE));
}

/* --- /sync/v1/push ---------------------------------------------------- */

typedef struct
{
  const char *status;        /* applied, merged, duplicate, rejected */
  char       *reason;
  GPtrArray  *conflicts;
} OpResult;

static void
op_result_clear (OpResult *r)
{
  g_free (r->reason);
  g_clear_pointer (&r->conflicts, g_ptr_array_unref);
}

static gboolean
value_is_boolean (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

/* Applies one op inside the request's transaction. FALSE means a storage
 * failure (the request fails); a rejected op is a result, not a failure. */
/* The op's partial state written directly in the canonical form, read by
 * the canonical reader and kept only when it writes back the very same
 * text: then it is the state kontor_sync_op_to_record() makes (equal
 * states have equal text). Plain values only (strings, integers, booleans,
 * null); anything else returns NULL and takes the general path. */
static KontorSyncRecord *
op_state_canonical (const KontorSyncOp  *op,
                    char               **canonical)
{
  g_autoptr(GList) names = json_object_get_members (op->fields);
  g_autoptr(GString) text = g_string_new ("{\"vv\":");
  g_autofree char *vv = kontor_version_vector_to_string (op->vv);
  g_autofree char *written = NULL;
  KontorSyncRecord *rec;
  const char *end;

  names = g_list_sort (names, (GCompareFunc) strcmp);
  g_string_append (text, vv);
  g_string_append (text, ",\"f\":{");
  for (GList *l = names; l; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (op->fields, name);
      g_autofree char *value_text = NULL;

      if (name[0] == '\0')
        return NULL;
      for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || g_ascii_isdigit (*p) || *p == '_'))
          return NULL;
      if (!JSON_NODE_HOLDS_NULL (value) &&
          !(JSON_NODE_HOLDS_VALUE (value) &&
            (json_node_get_value_type (value) == G_TYPE_STRING ||
             json_node_get_value_type (value) == G_TYPE_INT64 ||
             json_node_get_value_type (value) == G_TYPE_BOOLEAN)))
        return NULL;

      value_text = kontor_sync_json_to_string (value);
      if (l != names)
        g_string_append_c (text, ',');
      g_string_append_printf (text, "\"%s\":[{\"d\":[%u,%" G_GUINT64_FORMAT "],\"v\":%s",
                              name, op->dot.replica, op->dot.counter, value_text);
      if (g_str_equal (name, KONTOR_SYNC_FIELD_DELETED) &&
          json_node_get_value_type (value) == G_TYPE_BOOLEAN && json_node_get_boolean (value))
        {
          /* as kontor_sync_op_to_record(): the vector before the edit */
          g_autoptr(KontorVersionVector) before = kontor_version_vector_copy (op->vv);
          g_autofree char *context = NULL;

          kontor_version_vector_set (before, op->dot.replica, op->dot.counter - 1);
          context = kontor_version_vector_to_string (before);
          g_string_append (text, ",\"c\":");
          g_string_append (text, context);
        }
      g_string_append (text, "}]");
    }
  g_string_append (text, "}}");

  if (!g_utf8_validate (text->str, text->len, NULL))
    return NULL;
  end = text->str;
  rec = _kontor_sync_record_read_canonical (&end);
  if (rec == NULL)
    return NULL;
  if (*end != '\0' || !g_str_equal ((written = kontor_sync_record_to_string (rec)), text->str))
    {
      kontor_sync_record_free (rec);
      return NULL;
    }
  *canonical = g_steal_pointer (&written);
  return rec;
}

/* kontor_sync_op_to_record() and kontor_sync_op_hash() of an op, the
 * state made once for both: the same text, so the same hash. */
static KontorSyncRecord *
op_state_and_hash (const KontorSyncOp  *op,
                   char               **hash,
                   GError             **error)
{
  g_autofree char *state = NULL;
  g_autofree char *text = NULL;
  KontorSyncRecord *rec = op_state_canonical (op, &state);

  if (rec == NULL)
    {
      rec = kontor_sync_op_to_record (op, error);
      state = rec ? kontor_sync_record_to_string (rec) : g_strdup ("?");
    }
  text = g_strdup_printf ("%s\n%s\n%s", op->record, op->kind, state);
  *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  return rec;
}

/* A string as JsonGenerator writes it, except that U+001F is escaped
 * too (json-glib 1.6 leaves it raw, which is not JSON). */
static void
append_json_string (GString    *out,
                    const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", (guint) c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

/* One entry of the push answer's results, as JsonBuilder wrote it. */
static void
append_op_result (GString            *out,
                  const KontorSyncOp *op,
                  const OpResult     *r)
{
  g_string_append_printf (out, "{\"counter\":%" G_GINT64_FORMAT ",\"status\":",
                          (gint64) op->dot.counter);
  append_json_string (out, r->status);
  if (r->reason != NULL)
    {
      g_string_append (out, ",\"reason\":");
      append_json_string (out, r->reason);
    }
  if (r->conflicts != NULL && r->conflicts->len > 0)
    {
      g_string_append (out, ",\"conflicts\":[");
      for (guint j = 0; j < r->conflicts->len; j++)
        {
          if (j > 0)
            g_string_append_c (out, ',');
          append_json_string (out, g_ptr_array_index (r->conflicts, j));
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
}

/* op_state and op_error: kontor_sync_op_to_record() of the op, made by the
 * caller (NULL and its error when the op has no valid partial state). */
static gboolean
apply_op (KontorServer      *self,
          gint64             user_id,
          KontorSyncOp      *op,
          KontorSyncRecord  *op_state,
          const GError      *op_error,
          OpResult          *result,
          GError           **error)
{
  KontorKind *kind = kontor_schema_get_kind (self->schema, op->kind);
  g_autofree char *db_kind = NULL;
  g_autofree char *db_state = NULL;
  g_autoptr(KontorSyncRecord) state = NULL;
  g_autoptr(JsonObject) check = json_object_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GList) names = NULL;
  g_autoptr(JsonNode) fields_node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *fields_json = NULL;
  g_autofree char *state_json = NULL;
  static const KontorParseContext ctx = { "DE", "EUR" };
  gint64 seq;

  json_node_set_object (fields_node, op->fields);
  fields_json = json_to_string (fields_node, FALSE);

  if (kind == NULL)
    {
      result->status = "rejected";
      result->reason = g_strdup_printf (_("Unknown kind “%s”"), op->kind);
      return TRUE;
    }

  /* the values must be valid for their fields: the same model code the
   * client runs */
  names = json_object_get_members (op->fields);
  for (GList *l = names; l; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (op->fields, name);

      if (g_str_equal (name, "_deleted"))
        {
          if (!value_is_boolean (value))
            {
              result->status = "rejected";
              result->reason = g_strdup (_("_deleted: must be true or false"));
              return TRUE;
            }
          continue;
        }
      json_object_set_member (check, name, json_node_copy (value));
    }
  if (!kontor_kind_validate (kind, check, TRUE, &ctx, NULL, NULL, &problems))
    {
      g_autoptr(GError) verr = NULL;

      kontor_field_problems_to_error (problems, &verr);
      result->status = "rejected";
      result->reason = g_strdup (verr->message);
      return TRUE;
    }

  if (!kontor_server_storage_record_get (self->storage, op->record, &db_kind, &db_state, error))
    return FALSE;

  if (db_state == NULL)
    {
      gboolean purged = FALSE;

      if (!kontor_server_storage_record_is_purged (self->storage, op->record, &purged, error))
        return FALSE;
      if (purged)
        {
          result->status = "rejected";
          result->reason = g_strdup_printf (_("Record %s was deleted and has been removed from "
                                              "the server"), op->record);
          return TRUE;
        }
    }

  if (db_state != NULL && g_strcmp0 (db_kind, op->kind) != 0)
    {
      result->status = "rejected";
      result->reason = g_strdup_printf (_("Record %s is a %s, not a %s"), op->record, db_kind,
                                        op->kind);
      return TRUE;
    }

  if (op_state == NULL)
    {
      result->status = "rejected";
      result->reason = g_strdup (op_error ? op_error->message : _("malformed"));
      return TRUE;
    }

  if (db_state != NULL)
    {
      state = kontor_sync_record_from_string (db_state, error);
      if (state == NULL)
        return FALSE;
    }
  else
    state = kontor_sync_record_new ();

  result->conflicts = kontor_sync_record_merge (state, op_state);
  result->status = result->conflicts->len > 0 ? "merged" : "applied";

  /* an op may carry a vector entry of a pruned replica: keep it pruned */
  {
    KontorSyncRecord *pruned = kontor_sync_record_prune (state, self->pruned);

    if (pruned != NULL)
      {
        kontor_sync_record_free (state);
        state = pruned;
      }
  }

  state_json = kontor_sync_record_to_string (state);
  if (!kontor_server_storage_record_put (self->storage, op->record, op->kind, state_json, &seq,
                                         error))
    return FALSE;

  /* custom field definitions change the server's schema too */
  if (g_str_equal (op->kind, KONTOR_KIND_CUSTOM_FIELD))
    {
      if (kontor_sync_record_is_deleted (state))
        kontor_schema_remove_definition (self->schema, op->record);
      else
        {
          g_autoptr(JsonObject) def = json_object_new ();
          g_autoptr(GPtrArray) fields = kontor_sync_record_list_fields (state);
          g_autoptr(GError) derr = NULL;

          for (guint i = 0; i < fields->len; i++)
            {
              const char *f = g_ptr_array_index (fields, i);
              JsonNode *v = kontor_sync_record_get_value (state, f);

              if (f[0] != '_' && v != NULL)
                json_object_set_member (def, f, json_node_copy (v));
            }
          if (kontor_schema_apply_definition (self->schema, op->record, def, &derr) == NULL)
            g_warning ("custom field %s not applied: %s", op->record, derr->message);
        }
    }

  return kontor_server_storage_audit_add (self->storage, seq, user_id, op->dot.replica,
                                          op->record, op->kind, fields_json, result->status,
                                          error);
}

static void
handle_push (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  KontorServer *self = user_data;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorReplicaInfo) replica = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GString) out = NULL;
  gint64 user_id;
  gint64 replica_id;
  guint64 applied_upto;
  guint64 resend_from = 0;
  guint n_applied = 0, n_dup = 0, n_rejected = 0;
  gint64 seq_before;

  if (!require_method (msg, "POST") || !authenticate (self, msg, &user_id, NULL) ||
      (body = read_json_body (self, msg)) == NULL)
    return;

  ops = kontor_server_decode_push (body, &replica_id, &error);
  if (ops == NULL)
    {
      respond_error (msg, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)
                            ? SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE : SOUP_STATUS_BAD_REQUEST,
                     g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)
                       ? "too_many_ops"
                       : g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)
                         ? "wrong_replica" : "malformed",
                     error->message);
      return;
    }

  replica = kontor_server_storage_replica_get (self->storage, replica_id, &error);
  if (replica == NULL || replica->user_id != user_id)
    {
      respond_error (msg, SOUP_STATUS_FORBIDDEN, "not_your_replica",
                     _("This replica id is not registered to you"));
      return;
    }
  if (replica->retired)
    {
      respond_error (msg, SOUP_STATUS_GONE, "replica_retired",
                     _("This replica was retired; register again"));
      return;
    }

  if (!kontor_server_storage_begin (self->storage, &error))
    {
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage", error->message);
      return;
    }
  seq_before = kontor_server_storage_last_seq (self->storage);
  applied_upto = replica->applied_upto;
  reload_pruned (self);

  out = g_string_new ("{\"results\":[");
  for (guint i = 0; i < ops->len; i++)
    {
      KontorSyncOp *op = g_ptr_array_index (ops, i);
      g_autoptr(GError) op_error = NULL;
      g_autofree char *hash = NULL;
      g_autoptr(KontorSyncRecord) op_state = op_state_and_hash (op, &hash, &op_error);
      OpResult r = { 0 };

      if (op->dot.counter <= applied_upto)
        {
          g_autofree char *known = NULL;

          if (!kontor_server_storage_op_lookup (self->storage, op->dot.replica, op->dot.counter,
                                                &known, &error))
            goto storage_failed;
          if (known != NULL && !g_str_equal (known, hash))
            {
              /* the same dot with other content: a copied database */
              kontor_server_storage_rollback (self->storage);
              g_message ("push replica=%u: dot %" G_GUINT64_FORMAT " reused with other content",
                         op->dot.replica, op->dot.counter);
              {
                g_autoptr(JsonBuilder) b = json_builder_new ();
                g_autoptr(JsonNode) root = NULL;

                /* "from": the first of its ops the copy must move to a new
                 * replica id; those before are shared history */
                json_builder_begin_object (b);
                json_builder_set_member_name (b, "error");
                json_builder_add_string_value (b, "replica_reused");
                json_builder_set_member_name (b, "message");
                json_builder_add_string_value (b, _("This replica id is used by another copy of "
                                                    "the database; register this one again"));
                json_builder_set_member_name (b, "from");
                json_builder_add_int_value (b, (gint64) op->dot.counter);
                json_builder_end_object (b);
                root = json_builder_get_root (b);
                respond_json (msg, SOUP_STATUS_CONFLICT, root);
              }
              return;
            }
          r.status = "duplicate";
          n_dup++;
        }
      else if (op->dot.counter > applied_upto + 1)
        {
          resend_from = applied_upto + 1;
          break;
        }
      else
        {
          if (!apply_op (self, user_id, op, op_state, op_error, &r, &error))
            {
              op_result_clear (&r);
              goto storage_failed;
            }
          if (!kontor_server_storage_op_record (self->storage, op->dot.replica, op->dot.counter,
                                                hash, &error))
            {
              op_result_clear (&r);
              goto storage_failed;
            }
          applied_upto = op->dot.counter;
          if (g_str_equal (r.status, "rejected"))
            {
              n_rejected++;
              if (!kontor_server_storage_audit_add (self->storage, 0, user_id, op->dot.replica,
                                                    op->record, op->kind, r.reason, "rejected",
                                                    &error))
                {
                  op_result_clear (&r);
                  goto storage_failed;
                }
            }
          else
            n_applied++;
        }

      if (i > 0)
        g_string_append_c (out, ',');
      append_op_result (out, op, &r);
      op_result_clear (&r);
    }

  if (!kontor_server_storage_replica_update (self->storage, replica_id, applied_upto,
                                             g_get_real_time () / G_USEC_PER_SEC, &error) ||
      !kontor_server_storage_commit (self->storage, &error))
    goto storage_failed;

  g_string_append_printf (out, "],\"applied_upto\":%" G_GUINT64_FORMAT, applied_upto);
  if (resend_from > 0)
    g_string_append_printf (out, ",\"resend_from\":%" G_GUINT64_FORMAT, resend_from);
  g_string_append_printf (out, ",\"last_seq\":%" G_GINT64_FORMAT "}",
                          kontor_server_storage_last_seq (self->storage));

  g_message ("push replica=%" G_GINT64_FORMAT " ops=%u applied=%u duplicate=%u rejected=%u%s",
             replica_id, ops->len, n_applied, n_dup, n_rejected,
             resend_from ? " (gap: resend asked)" : "");
  respond_text (msg, SOUP_STATUS_OK, g_string_free (g_steal_pointer (&out), FALSE));

  if (kontor_server_storage_last_seq (self->storage) != seq_before)
    notify_sockets (self);
  return;

storage_failed:
  kontor_server_storage_rollback (self->storage);
  g_warning ("push replica=%" G_GINT64_FORMAT " failed: %s", replica_id, error->message);
  respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage", error->message);
}

/* --- WebSocket nudges ------------------------------------------------- */

static void
on_socket_closed (SoupWebsocketConnection *ws,
                  KontorServer            *self)
{
  g_ptr_array_remove (self->sockets, ws);
}

static void
handle_notify (SoupServer              *soup,
               SoupServerMessage       *msg,
               const char              *path,
               SoupWebsocketConnection *ws,
               gpointer                 user_data)
{
  KontorServer *self = user_data;

  g_ptr_array_add (self->sockets, g_object_ref (ws));
  g_signal_connect (ws, "closed", G_CALLBACK (on_socket_closed), self);
}

static gboolean
authorize_websocket (SoupServer        *soup,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  return TRUE;
}

static void
websocket_early (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  KontorServer *self = user_data;
  gint64 user_id;

  /* refuse the upgrade without a valid token: authenticate() answers 401,
   * which the WebSocket handler then leaves alone */
  authenticate (self, msg, &user_id, NULL);
}

/* --- setup -------------------------------------------------------------- */

static void
kontor_server_finalize (GObject *object)
{
  KontorServer *self = (KontorServer *) object;

  if (self->soup)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->sockets, g_ptr_array_unref);
  g_clear_object (&self->storage);
  g_clear_object (&self->schema);
  g_clear_pointer (&self->failed_logins, g_hash_table_unref);
  g_clear_pointer (&self->pruned, g_array_unref);
  g_free (self->address);
  g_free (self->url);

  G_OBJECT_CLASS (kontor_server_parent_class)->finalize (object);
}

static void
kontor_server_class_init (KontorServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kontor_server_finalize;
}

static void
kontor_server_init (KontorServer *self)
{
  self->failed_logins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->schema = kontor_schema_new ();
  self->pruned = g_array_new (FALSE, FALSE, sizeof (guint32));
}

static gboolean
load_custom_fields (KontorServer  *self,
                    GError       **error)
{
  gint64 since = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) changes = kontor_server_storage_changes_since (self->storage, since,
                                                                          1000, error);
      if (changes == NULL)
        return FALSE;
      if (changes->len == 0)
        return TRUE;
      for (guint i = 0; i < changes->len; i++)
        {
          KontorChange *c = g_ptr_array_index (changes, i);
          g_autoptr(KontorSyncRecord) state = NULL;
          g_autoptr(JsonObject) def = NULL;
          g_autoptr(GPtrArray) fields = NULL;

          since = c->seq;
          if (!g_str_equal (c->kind, KONTOR_KIND_CUSTOM_FIELD))
            continue;
          state = kontor_sync_record_from_string (c->state, error);
          if (state == NULL)
            return FALSE;
          if (kontor_sync_record_is_deleted (state))
            continue;
          def = json_object_new ();
          fields = kontor_sync_record_list_fields (state);
          for (guint j = 0; j < fields->len; j++)
            {
              const char *f = g_ptr_array_index (fields, j);
              JsonNode *v = kontor_sync_record_get_value (state, f);

              if (f[0] != '_' && v != NULL)
                json_object_set_member (def, f, json_node_copy (v));
            }
          kontor_schema_apply_definition (self->schema, c->id, def, NULL);
        }
    }
}

KontorServer *
kontor_server_new (KontorServerStorage       *storage,
                   const KontorServerConfig  *config,
                   GError                   **error)
{
  g_autoptr(KontorServer) self = NULL;

  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (storage), NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("libsodium failed to start"));
      return NULL;
    }

  self = g_object_new (KONTOR_TYPE_SERVER, NULL);
  self->storage = g_object_ref (storage);
  self->config = *config;
  self->address = g_strdup (config->address ? config->address : "127.0.0.1");
  self->config.address = self->address;

  if (!load_custom_fields (self, error))
    return NULL;

  if (config->tls_cert != NULL || config->tls_key != NULL)
    {
      g_autoptr(GTlsCertificate) cert = NULL;

      if (config->tls_cert == NULL || config->tls_key == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("TLS needs both --tls-cert and --tls-key"));
          return NULL;
        }
      cert = g_tls_certificate_new_from_files (config->tls_cert, config->tls_key, error);
      if (cert == NULL)
        return NULL;
      self->soup = soup_server_new ("tls-certificate", cert, NULL);
    }
  else
    self->soup = soup_server_new (NULL, NULL);

  soup_server_add_handler (self->soup, "/sync/v1/status", handle_status, self, NULL);
  soup_server_add_handler (self->soup, "/sync/v1/login", handle_login, self, NULL);
  soup_server_add_handler (self->soup, "/sync/v1/logout", handle_logout, self, NULL);
  soup_server_add_handler (self->soup, "/sync/v1/register", handle_register, self, NULL);
  soup_server_add_handler (self->soup, "/sync/v1/changes", handle_changes, self, NULL);
  soup_server_add_handler (self->soup, "/sync/v1/fetch", handle_fetch, self, NULL);
  soup_server_add_handler (self->soup, "/sync/v1/push", handle_push, self, NULL);
  soup_server_add_early_handler (self->soup, "/sync/v1/notify", websocket_early, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/sync/v1/notify", NULL, NULL,
                                     handle_notify, self, NULL);
  (void) authorize_websocket;
  kontor_server_blobs_register (self->soup, self,
                                config->data_dir ? config->data_dir : "kontor-data",
                                config->max_blob);

  return g_steal_pointer (&self);
}

gboolean
kontor_server_listen (KontorServer  *self,
                      GError       **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->address);
  g_autoptr(GSocketAddress) addr = NULL;
  GSList *uris;
  SoupServerListenOptions options = 0;

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address"), self->address);
      return FALSE;
    }
  if (self->config.tls_cert != NULL)
    options |= SOUP_SERVER_LISTEN_HTTPS;

  addr = g_inet_socket_address_new (inet, self->config.port);
  if (!soup_server_listen (self->soup, addr, options, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    {
      g_free (self->url);
      self->url = g_uri_to_string (uris->data);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return TRUE;
}

const char *
kontor_server_get_url (KontorServer *self)
{
  g_return_val_if_fail (KONTOR_IS_SERVER (self), NULL);
  return self->url;
}

gboolean
kontor_server_purge_tombstones (KontorServerStorage  *storage,
                                gint64                horizon_seconds,
                                guint                *n_purged,
                                GError              **error)
{
  g_autoptr(GPtrArray) replicas = NULL;
  g_autoptr(GPtrArray) tombstones = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 cutoff;
  guint n = 0;

  if (!kontor_server_storage_begin (storage, error))
    return FALSE;

  /* Every replica seen within the horizon must have pulled past a
   * tombstone before it goes; one away longer will resync fully. */
  cutoff = kontor_server_storage_last_seq (storage);
  replicas = kontor_server_storage_replica_list (storage, error);
  if (replicas == NULL)
    goto fail;
  for (guint i = 0; i < replicas->len; i++)
    {
      KontorReplicaInfo *r = g_ptr_array_index (replicas, i);

      if (!r->retired && r->last_seen >= now - horizon_seconds)
        cutoff = MIN (cutoff, r->pulled_seq);
      g_debug ("purge: replica %u pulled up to %" G_GINT64_FORMAT ", seen %" G_GINT64_FORMAT
               " s ago%s", r->replica_id, r->pulled_seq, now - r->last_seen,
               r->retired ? " (retired)" : "");
    }

  tombstones = kontor_server_storage_tombstones_upto (storage, cutoff, error);
  if (tombstones == NULL)
    goto fail;
  for (guint i = 0; i < tombstones->len; i++)
    {
      KontorChange *c = g_ptr_array_index (tombstones, i);
      g_autoptr(KontorSyncRecord) state = kontor_sync_record_from_string (c->state, NULL);

      /* a delete still in conflict with an edit waits for its resolution */
      if (state == NULL || !kontor_sync_record_is_deleted (state) ||
          kontor_sync_record_delete_conflict (state))
        continue;
      if (!kontor_server_storage_record_purge (storage, c->id, error))
        goto fail;
      n++;
    }

  if (n > 0 && cutoff > kontor_server_storage_purged_upto (storage) &&
      !kontor_server_storage_set_purged_upto (storage, cutoff, error))
    goto fail;

  if (!kontor_server_storage_commit (storage, error))
    return FALSE;

  g_message ("purged %u tombstones up to seq %" G_GINT64_FORMAT, n, cutoff);
  if (n_purged)
    *n_purged = n;
  return TRUE;

fail:
  kontor_server_storage_rollback (storage);
  return FALSE;
}

gboolean
kontor_server_prune_retired (KontorServerStorage  *storage,
                             guint                *n_rewritten,
                             GError              **error)
{
  g_autoptr(GPtrArray) replicas = NULL;
  g_autoptr(GArray) pruned = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GString) lagging = g_string_new (NULL);
  gint64 last;
  gint64 since = 0;
  guint n = 0;

  if (!kontor_server_storage_begin (storage, error))
    return FALSE;

  /* only once every active replica has everything: none can then bring
   * back a version that the pruned entry used to cover */
  last = kontor_server_storage_last_seq (storage);
  replicas = kontor_server_storage_replica_list (storage, error);
  if (replicas == NULL)
    goto fail;
  for (guint i = 0; i < replicas->len; i++)
    {
      KontorReplicaInfo *r = g_ptr_array_index (replicas, i);

      if (r->retired)
        {
          g_array_append_val (pruned, r->replica_id);
          g_string_append_printf (list, "%s%u", list->len ? "," : "", r->replica_id);
        }
      else if (r->pulled_seq < last)
        g_string_append_printf (lagging, "%s%u", lagging->len ? ", " : "", r->replica_id);
    }

  if (lagging->len > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("Replicas %s have not received every change yet; prune later or retire "
                     "them first"), lagging->str);
      goto fail;
    }

  if (!kontor_server_storage_setting_set (storage, SETTING_PRUNED, list->str, error))
    goto fail;

  for (;;)
    {
      g_autoptr(GPtrArray) changes = kontor_server_storage_changes_since (storage, since, 1000,
                                                                          error);
      if (changes == NULL)
        goto fail;
      if (changes->len == 0)
        break;
      for (guint i = 0; i < changes->len; i++)
        {
          KontorChange *c = g_ptr_array_index (changes, i);
          g_autoptr(KontorSyncRecord) state = kontor_sync_record_from_string (c->state, NULL);
          g_autoptr(KontorSyncRecord) after = NULL;
          g_autofree char *json = NULL;

          since = c->seq;
          if (state == NULL || (after = kontor_sync_record_prune (state, pruned)) == NULL)
            continue;
          /* a new seq: every replica receives the pruned form */
          json = kontor_sync_record_to_string (after);
          if (!kontor_server_storage_record_put (storage, c->id, c->kind, json, NULL, error))
            goto fail;
          n++;
        }
      if (since >= last)
        break;
    }

  if (!kontor_server_storage_commit (storage, error))
    return FALSE;
  g_message ("pruned replicas %s from %u records", list->str, n);
  if (n_rewritten)
    *n_rewritten = n;
  return TRUE;

fail:
  kontor_server_storage_rollback (storage);
  return FALSE;
}
