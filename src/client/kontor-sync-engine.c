/* kontor-sync-engine.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "kontor-store-sync.h"
#include "kontor-sync-engine.h"

#define DEFAULT_DEBOUNCE_MSEC      2000
#define DEFAULT_INTERVAL_SEC       60
#define DEFAULT_BACKOFF_BASE_MSEC  1000
#define DEFAULT_BACKOFF_CAP_MSEC   60000
/* A burst of commits on the server is a burst of nudges: one pull for all. */
#define NUDGE_DELAY_MSEC           250
/* start() waits this long for the socket, whose opening syncs at once, so
 * that starting costs one sync rather than two. */
#define START_DELAY_MSEC           500
#define SOCKET_CONNECT_TIMEOUT_SEC 30
#define SOCKET_KEEPALIVE_SEC       30

G_DEFINE_ENUM_TYPE (KontorSyncState, kontor_sync_state,
                    G_DEFINE_ENUM_VALUE (KONTOR_SYNC_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (KONTOR_SYNC_STATE_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (KONTOR_SYNC_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (KONTOR_SYNC_STATE_SIGNED_OUT, "signed-out"),
                    G_DEFINE_ENUM_VALUE (KONTOR_SYNC_STATE_ERROR, "error"))

struct _KontorSyncEngine
{
  GObject                  parent_instance;

  KontorStore             *store;
  KontorSyncClient        *client;
  char                    *path;
  gulong                   changed_id;
  guint                    conflicts_id;

  /* Cancelled by stop() and dispose, then replaced. */
  GCancellable            *cancellable;
  gboolean                 started;
  gboolean                 running;        /* a sync is in its worker thread */
  gboolean                 again;          /* a reason to sync came after the running one began */
  gboolean                 backing_off;    /* sync_id is a retry after failures */
  gboolean                 notifying;      /* emitting "changed" on the store ourselves */
  guint                    sync_id;
  gint64                   sync_due;       /* monotonic time sync_id fires */
  guint                    periodic_id;
  guint                    failures;       /* in a row, for the backoff */
  gint64                   sync_started;   /* monotonic time the last sync began */
  gint64                   nudged_seq;     /* highest seq announced since it began */
  char                    *refused_token;  /* SHA-256 of the token the server refused */

  /* The notification socket lives on this thread's main context; HTTP
   * runs in the worker with the client's own sessions. */
  SoupSession             *session;
  SoupWebsocketConnection *socket;
  gint64                   socket_opened;       /* monotonic */
  GCancellable            *socket_cancellable;  /* set while connecting */
  gboolean                 socket_timed_out;
  guint                    socket_retry_id;
  guint                    socket_timeout_id;
  guint                    socket_failures;

  guint                    debounce_msec;
  guint                    interval_sec;
  guint                    backoff_base;
  guint                    backoff_cap;

  KontorSyncState          state;
  guint                    pending;
  char                    *last_error;
  guint                    conflicts;
  gint64                   last_sync;
  gboolean                 connected;
};

G_DEFINE_FINAL_TYPE (KontorSyncEngine, kontor_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_STATE,
  PROP_PENDING,
  PROP_LAST_ERROR,
  PROP_CONFLICTS,
  PROP_LAST_SYNC,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void connect_socket        (KontorSyncEngine *self);
static void schedule_socket_retry (KontorSyncEngine *self);
static void start_sync            (KontorSyncEngine *self);

/* ---------------------------------------------------------------------- */
/* Properties                                                             */

static void
set_state (KontorSyncEngine *self,
           KontorSyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_pending (KontorSyncEngine *self,
             guint             pending)
{
  if (self->pending == pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
set_last_error (KontorSyncEngine *self,
                const char       *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_conflicts (KontorSyncEngine *self,
               guint             conflicts)
{
  if (self->conflicts == conflicts)
    return;
  self->conflicts = conflicts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICTS]);
}

static void
set_last_sync (KontorSyncEngine *self,
               gint64            last_sync)
{
  if (self->last_sync == last_sync)
    return;
  self->last_sync = last_sync;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
}

static void
set_connected (KontorSyncEngine *self,
               gboolean          connected)
{
  connected = !!connected;
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
refresh_pending (KontorSyncEngine *self)
{
  set_pending (self, kontor_store_outbox_count (self->store));
}

static void
refresh_conflicts (KontorSyncEngine *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = kontor_store_list_conflicts (self->store, &error);
  if (list == NULL)
    {
      g_debug ("Cannot count conflicts: %s", error->message);
      return;
    }
  set_conflicts (self, list->len);
}

static gboolean
on_refresh_conflicts (gpointer data)
{
  KontorSyncEngine *self = data;

  self->conflicts_id = 0;
  refresh_conflicts (self);
  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* The engine remembers a refused token by its digest, not the secret. */
static char *
token_digest (KontorSyncEngine *self)
{
  const char *token = kontor_sync_client_get_token (self->client);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token ? token : "", -1);
}

/* TRUE while the server has refused the token the client still holds: no
 * sync and no socket until the user signs in again or presses "sync now". */
static gboolean
auth_refused (KontorSyncEngine *self)
{
  g_autofree char *digest = NULL;

  if (self->refused_token == NULL)
    return FALSE;
  digest = token_digest (self);
  if (g_str_equal (digest, self->refused_token))
    return TRUE;
  g_clear_pointer (&self->refused_token, g_free);
  return FALSE;
}

static void
refuse_token (KontorSyncEngine *self)
{
  g_free (self->refused_token);
  self->refused_token = token_digest (self);
}

/* base · 2^(n-1), capped, then a random point between half and all of
 * it, so that replicas that lost the server together do not return in
 * step. */
static guint
backoff_delay (KontorSyncEngine *self,
               guint             failures)
{
  guint64 delay = self->backoff_base;

  for (guint i = 1; i < failures && delay < self->backoff_cap; i++)
    delay *= 2;
  delay = MIN (delay, self->backoff_cap);

  return (guint) (delay / 2 + (guint64) (g_random_double () * (double) (delay - delay / 2)));
}

static gboolean
nudge_outstanding (KontorSyncEngine *self)
{
  return self->nudged_seq > kontor_store_get_last_seq (self->store);
}

/* The worker registers the replica on its own connection, but the store
 * object of this thread keeps the replica id it read when it opened and
 * would go on writing dots of the unregistered replica, which the server
 * refuses. Taking the id renames any such dots written meanwhile. */
static void
adopt_replica_id (KontorSyncEngine *self)
{
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;
  guint64 id;

  if (kontor_store_get_replica_id (self->store) != KONTOR_REPLICA_UNREGISTERED)
    return;

  value = kontor_store_get_setting (self->store, "replica_id");
  id = value ? g_ascii_strtoull (value, NULL, 10) : 0;
  if (id == 0 || id >= KONTOR_REPLICA_UNREGISTERED)
    return;

  if (!kontor_store_set_replica_id (self->store, (guint32) id, &error))
    g_message ("Cannot take the replica id %" G_GUINT64_FORMAT ": %s", id, error->message);
}

/* Lists of this thread's store refresh on "changed"; the worker wrote on
 * another connection. */
static void
notify_kinds (KontorSyncEngine *self)
{
  GPtrArray *kinds = kontor_schema_list_kinds (kontor_store_get_schema (self->store));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  for (guint i = 0; i < kinds->len; i++)
    g_strv_builder_add (builder, kontor_kind_get_name (g_ptr_array_index (kinds, i)));
  names = g_strv_builder_end (builder);

  self->notifying = TRUE;
  for (guint i = 0; names[i] != NULL; i++)
    kontor_store_notify_changed (self->store, names[i]);
  self->notifying = FALSE;
}

/* ---------------------------------------------------------------------- */
/* Scheduling                                                             */

static gboolean
on_sync_timeout (gpointer data)
{
  KontorSyncEngine *self = data;

  self->sync_id = 0;
  self->backing_off = FALSE;

  if (auth_refused (self))
    return G_SOURCE_REMOVE;

  /* a running sync looks at "again" and the nudges when it ends */
  if (!self->running && (self->again || nudge_outstanding (self)))
    start_sync (self);

  return G_SOURCE_REMOVE;
}

/* Syncs within delay_msec; an earlier appointment stands. */
static void
arm_sync (KontorSyncEngine *self,
          guint             delay_msec)
{
  gint64 due = g_get_monotonic_time () + (gint64) delay_msec * 1000;

  if (self->sync_id != 0 && self->sync_due <= due)
    return;

  g_clear_handle_id (&self->sync_id, g_source_remove);
  self->sync_due = due;
  self->sync_id = g_timeout_add (delay_msec, on_sync_timeout, self);
}

/* A reason to sync: a local edit, the periodic timer, a (re)opened
 * socket. It waits for a running sync and for the backoff. */
static void
request_sync (KontorSyncEngine *self,
              guint             delay_msec)
{
  if (!self->started || auth_refused (self))
    return;

  self->again = TRUE;
  if (!self->backing_off)
    arm_sync (self, delay_msec);
}

static void
schedule_retry (KontorSyncEngine *self)
{
  guint delay = backoff_delay (self, self->failures);

  g_debug ("Sync failed %u times in a row; retrying in %u ms", self->failures, delay);

  g_clear_handle_id (&self->sync_id, g_source_remove);
  self->again = TRUE;
  self->backing_off = TRUE;
  self->sync_due = g_get_monotonic_time () + (gint64) delay * 1000;
  self->sync_id = g_timeout_add (delay, on_sync_timeout, self);
}

static gboolean
on_periodic (gpointer data)
{
  request_sync (data, 0);
  return G_SOURCE_CONTINUE;
}

static void
arm_periodic (KontorSyncEngine *self)
{
  g_clear_handle_id (&self->periodic_id, g_source_remove);
  if (self->started && self->interval_sec > 0)
    self->periodic_id = g_timeout_add_seconds (self->interval_sec, on_periodic, self);
}

/* ---------------------------------------------------------------------- */
/* The sync                                                               */

static void
sync_succeeded (KontorSyncEngine      *self,
                const KontorSyncStats *stats)
{
  self->failures = 0;
  g_clear_pointer (&self->refused_token, g_free);
  set_last_error (self, NULL);
  set_last_sync (self, g_get_real_time () / G_USEC_PER_SEC);
  set_state (self, KONTOR_SYNC_STATE_IDLE);

  if (stats->pulled > 0 || stats->rejected > 0)
    notify_kinds (self);

  if (!self->started)
    return;

  if (self->again || nudge_outstanding (self))
    arm_sync (self, 0);

  /* the server is there: a socket waiting for its retry can try now */
  if (self->socket == NULL && self->socket_cancellable == NULL)
    {
      g_clear_handle_id (&self->socket_retry_id, g_source_remove);
      connect_socket (self);
    }
}

static void
close_socket (KontorSyncEngine *self)
{
  g_autoptr(SoupWebsocketConnection) ws = g_steal_pointer (&self->socket);

  g_clear_handle_id (&self->socket_timeout_id, g_source_remove);
  if (self->socket_cancellable != NULL)
    {
      g_cancellable_cancel (self->socket_cancellable);
      g_clear_object (&self->socket_cancellable);
    }

  if (ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (ws, self);
      if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  set_connected (self, FALSE);
}

static void
sync_failed (KontorSyncEngine *self,
             const GError     *error)
{
  set_last_error (self, error->message);

  if (g_error_matches (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_UNAUTHORIZED))
    {
      /* retrying cannot help: wait for a new token or "sync now" */
      refuse_token (self);
      self->failures = 0;
      self->again = FALSE;
      self->backing_off = FALSE;
      g_clear_handle_id (&self->sync_id, g_source_remove);
      g_clear_handle_id (&self->socket_retry_id, g_source_remove);
      close_socket (self);
      set_state (self, KONTOR_SYNC_STATE_SIGNED_OUT);
      return;
    }

  if (g_error_matches (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_OFFLINE) ||
      g_error_matches (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_SERVER))
    {
      self->failures++;
      set_state (self, KONTOR_SYNC_STATE_OFFLINE);

      /* a socket to a server that cannot be reached is most likely dead
       * (a pulled cable sends no reset); its reconnection tells us when
       * the server is back. One that opened during this sync is not. */
      if (g_error_matches (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_OFFLINE) &&
          self->socket != NULL && self->socket_opened < self->sync_started)
        {
          close_socket (self);
          schedule_socket_retry (self);
        }

      if (self->started)
        schedule_retry (self);
      return;
    }

  /* the server refused the request, its answer made no sense or the
   * database failed: at once it would fail the same way, so only a new
   * edit, the periodic timer or "sync now" try again */
  g_message ("Sync failed: %s", error->message);
  set_state (self, KONTOR_SYNC_STATE_ERROR);
  if (self->started && self->again)
    arm_sync (self, self->debounce_msec);
}

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(KontorSyncEngine) self = g_weak_ref_get (data);
  g_autoptr(GError) error = NULL;
  KontorSyncStats stats = { 0 };
  gboolean ok;

  weak_ref_free (data);
  ok = kontor_sync_client_sync_finish (KONTOR_SYNC_CLIENT (source), result, &stats, &error);
  if (self == NULL)
    return;  /* disposed while the worker ran; it closed its own connection */

  self->running = FALSE;
  adopt_replica_id (self);
  refresh_pending (self);
  refresh_conflicts (self);

  g_debug ("Sync %s: pushed %u, duplicates %u, rejected %u, pulled %u",
           ok ? "done" : "failed", stats.pushed, stats.duplicates, stats.rejected, stats.pulled);

  if (ok)
    sync_succeeded (self, &stats);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* stopped: not an error to show */
      if (self->state == KONTOR_SYNC_STATE_SYNCING)
        set_state (self, KONTOR_SYNC_STATE_IDLE);
      if (self->started && self->again)
        arm_sync (self, 0);
    }
  else
    sync_failed (self, error);
}

static void
start_sync (KontorSyncEngine *self)
{
  if (self->running)
    {
      self->again = TRUE;
      return;
    }

  g_clear_handle_id (&self->sync_id, g_source_remove);
  self->backing_off = FALSE;
  self->again = FALSE;
  self->running = TRUE;
  self->sync_started = g_get_monotonic_time ();
  /* this sync pulls whatever was announced so far; a nudge that comes
   * while it runs is compared with what it pulled when it ends */
  self->nudged_seq = 0;

  /* retries while the server is away keep showing "offline" */
  if (self->state != KONTOR_SYNC_STATE_OFFLINE)
    set_state (self, KONTOR_SYNC_STATE_SYNCING);

  kontor_sync_client_sync_async (self->client, self->path, self->cancellable,
                                 on_sync_done, weak_ref_new (self));
}

/* ---------------------------------------------------------------------- */
/* The notification socket                                                */

typedef struct
{
  GWeakRef     engine;
  SoupMessage *msg;
} SocketConnect;

static void
socket_connect_free (SocketConnect *data)
{
  g_weak_ref_clear (&data->engine);
  g_clear_object (&data->msg);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SocketConnect, socket_connect_free)

static gboolean
on_socket_retry (gpointer data)
{
  KontorSyncEngine *self = data;

  self->socket_retry_id = 0;
  connect_socket (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_socket_retry (KontorSyncEngine *self)
{
  guint delay;

  if (!self->started || self->socket_retry_id != 0 || auth_refused (self))
    return;

  self->socket_failures++;
  delay = backoff_delay (self, self->socket_failures);
  g_debug ("Notification socket down; reconnecting in %u ms", delay);
  self->socket_retry_id = g_timeout_add (delay, on_socket_retry, self);
}

static void
on_socket_message (SoupWebsocketConnection *ws,
                   gint                     type,
                   GBytes                  *message,
                   gpointer                 data)
{
  KontorSyncEngine *self = data;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size;
  const char *text = g_bytes_get_data (message, &size);
  JsonNode *root;
  gint64 seq = G_MAXINT64;  /* a nudge we cannot read still means "pull" */

  if (json_parser_load_from_data (parser, text, (gssize) size, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    seq = json_object_get_int_member_with_default (json_node_get_object (root), "seq", G_MAXINT64);

  self->nudged_seq = MAX (self->nudged_seq, seq);

  if (!self->started || self->backing_off || auth_refused (self))
    return;
  arm_sync (self, MIN (self->debounce_msec, NUDGE_DELAY_MSEC));
}

static void
on_socket_error (SoupWebsocketConnection *ws,
                 GError                  *error,
                 gpointer                 data)
{
  g_debug ("Notification socket: %s", error->message);
}

static void
on_socket_closed (SoupWebsocketConnection *ws,
                  gpointer                 data)
{
  KontorSyncEngine *self = data;

  g_debug ("Notification socket closed (code %u)",
           soup_websocket_connection_get_close_code (ws));
  g_signal_handlers_disconnect_by_data (ws, self);
  g_clear_object (&self->socket);
  set_connected (self, FALSE);
  schedule_socket_retry (self);
}

static void
on_socket_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SocketConnect) data = user_data;
  g_autoptr(KontorSyncEngine) self = g_weak_ref_get (&data->engine);
  g_autoptr(SoupWebsocketConnection) ws = NULL;
  g_autoptr(GError) error = NULL;
  gboolean timed_out;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (self == NULL)
    {
      if (ws != NULL)
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      return;
    }

  timed_out = self->socket_timed_out;
  self->socket_timed_out = FALSE;
  g_clear_handle_id (&self->socket_timeout_id, g_source_remove);
  g_clear_object (&self->socket_cancellable);

  if (ws == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !timed_out)
        return;  /* stopped */

      if (soup_message_get_status (data->msg) == SOUP_STATUS_UNAUTHORIZED)
        {
          refuse_token (self);
          if (!self->running)
            {
              set_last_error (self, _("The server no longer accepts this sign-in"));
              set_state (self, KONTOR_SYNC_STATE_SIGNED_OUT);
            }
          return;
        }

      g_debug ("Cannot open the notification socket: %s", error->message);
      schedule_socket_retry (self);
      return;
    }

  if (!self->started)
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      return;
    }

  self->socket_failures = 0;
  self->socket = g_steal_pointer (&ws);
  self->socket_opened = g_get_monotonic_time ();
  soup_websocket_connection_set_keepalive_interval (self->socket, SOCKET_KEEPALIVE_SEC);
  g_signal_connect (self->socket, "message", G_CALLBACK (on_socket_message), self);
  g_signal_connect (self->socket, "error", G_CALLBACK (on_socket_error), self);
  g_signal_connect (self->socket, "closed", G_CALLBACK (on_socket_closed), self);
  set_connected (self, TRUE);

  /* nudges sent while the socket was down are lost: pull once; and the
   * server is back, so a pending retry need not wait for its backoff */
  self->backing_off = FALSE;
  request_sync (self, 0);
}

static gboolean
on_socket_connect_timeout (gpointer data)
{
  KontorSyncEngine *self = data;

  self->socket_timeout_id = 0;
  self->socket_timed_out = TRUE;
  g_cancellable_cancel (self->socket_cancellable);
  return G_SOURCE_REMOVE;
}

static void
connect_socket (KontorSyncEngine *self)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const char *token;
  SocketConnect *data;

  if (!self->started || self->socket != NULL || self->socket_cancellable != NULL ||
      auth_refused (self))
    return;

  uri = g_strconcat (kontor_sync_client_get_url (self->client), "sync/v1/notify", NULL);
  msg = soup_message_new (SOUP_METHOD_GET, uri);
  if (msg == NULL)
    {
      g_debug ("“%s” is not a valid address", uri);
      return;
    }

  token = kontor_sync_client_get_token (self->client);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }

  /* "timeout" would also cut the open socket when it is quiet: the
   * handshake gets its own timer instead */
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", 0,
                                                   "user-agent", "Kontor/" PACKAGE_VERSION,
                                                   NULL);

  data = g_new0 (SocketConnect, 1);
  g_weak_ref_init (&data->engine, self);
  data->msg = g_object_ref (msg);

  self->socket_cancellable = g_cancellable_new ();
  self->socket_timed_out = FALSE;
  self->socket_timeout_id = g_timeout_add_seconds (SOCKET_CONNECT_TIMEOUT_SEC,
                                                   on_socket_connect_timeout, self);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->socket_cancellable, on_socket_connected, data);
}

/* ---------------------------------------------------------------------- */
/* The store                                                              */

static void
on_store_changed (KontorStore      *store,
                  const char       *kind,
                  KontorSyncEngine *self)
{
  if (self->notifying)
    return;

  refresh_pending (self);
  if (self->conflicts_id == 0)
    self->conflicts_id = g_idle_add (on_refresh_conflicts, self);

  request_sync (self, self->debounce_msec);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

static void
kontor_sync_engine_constructed (GObject *object)
{
  KontorSyncEngine *self = (KontorSyncEngine *) object;

  G_OBJECT_CLASS (kontor_sync_engine_parent_class)->constructed (object);

  g_return_if_fail (KONTOR_IS_STORE (self->store));
  g_return_if_fail (KONTOR_IS_SYNC_CLIENT (self->client));

  self->path = g_strdup (kontor_store_get_path (self->store));
  self->changed_id = g_signal_connect (self->store, "changed",
                                       G_CALLBACK (on_store_changed), self);
  refresh_pending (self);
  refresh_conflicts (self);
}

static void
kontor_sync_engine_dispose (GObject *object)
{
  KontorSyncEngine *self = (KontorSyncEngine *) object;

  kontor_sync_engine_stop (self);
  /* a sync still in its thread ends soon; its task keeps the client */
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->conflicts_id, g_source_remove);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (kontor_sync_engine_parent_class)->dispose (object);
}

static void
kontor_sync_engine_finalize (GObject *object)
{
  KontorSyncEngine *self = (KontorSyncEngine *) object;

  g_free (self->path);
  g_free (self->last_error);
  g_free (self->refused_token);

  G_OBJECT_CLASS (kontor_sync_engine_parent_class)->finalize (object);
}

static void
kontor_sync_engine_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KontorSyncEngine *self = KONTOR_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    case PROP_CONFLICTS:
      g_value_set_uint (value, self->conflicts);
      break;

    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_sync_engine_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KontorSyncEngine *self = KONTOR_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_sync_engine_class_init (KontorSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kontor_sync_engine_constructed;
  object_class->dispose = kontor_sync_engine_dispose;
  object_class->finalize = kontor_sync_engine_finalize;
  object_class->get_property = kontor_sync_engine_get_property;
  object_class->set_property = kontor_sync_engine_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         KONTOR_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         KONTOR_TYPE_SYNC_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       KONTOR_TYPE_SYNC_STATE,
                       KONTOR_SYNC_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* local edits the server has not acknowledged yet */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONFLICTS] =
    g_param_spec_uint ("conflicts", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* unix seconds of the last successful sync, 0 for none yet */
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* the notification socket is open: edits elsewhere arrive in seconds */
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_sync_engine_init (KontorSyncEngine *self)
{
  self->cancellable = g_cancellable_new ();
  self->debounce_msec = DEFAULT_DEBOUNCE_MSEC;
  self->interval_sec = DEFAULT_INTERVAL_SEC;
  self->backoff_base = DEFAULT_BACKOFF_BASE_MSEC;
  self->backoff_cap = DEFAULT_BACKOFF_CAP_MSEC;
  self->state = KONTOR_SYNC_STATE_IDLE;
}

/* ---------------------------------------------------------------------- */
/* Public API                                                             */

KontorSyncEngine *
kontor_sync_engine_new (KontorStore      *store,
                        KontorSyncClient *client)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (KONTOR_IS_SYNC_CLIENT (client), NULL);

  return g_object_new (KONTOR_TYPE_SYNC_ENGINE,
                       "store", store,
                       "client", client,
                       NULL);
}

KontorStore *
kontor_sync_engine_get_store (KontorSyncEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_ENGINE (self), NULL);
  return self->store;
}

KontorSyncClient *
kontor_sync_engine_get_client (KontorSyncEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_ENGINE (self), NULL);
  return self->client;
}

void
kontor_sync_engine_start (KontorSyncEngine *self)
{
  g_return_if_fail (KONTOR_IS_SYNC_ENGINE (self));

  if (self->started)
    return;

  self->started = TRUE;
  arm_periodic (self);
  connect_socket (self);
  request_sync (self, self->socket_cancellable != NULL ? START_DELAY_MSEC : 0);
}

void
kontor_sync_engine_stop (KontorSyncEngine *self)
{
  g_return_if_fail (KONTOR_IS_SYNC_ENGINE (self));

  if (!self->started)
    return;

  self->started = FALSE;
  self->again = FALSE;
  self->backing_off = FALSE;
  g_clear_handle_id (&self->sync_id, g_source_remove);
  g_clear_handle_id (&self->periodic_id, g_source_remove);
  g_clear_handle_id (&self->socket_retry_id, g_source_remove);
  close_socket (self);

  /* a running sync ends with G_IO_ERROR_CANCELLED and leaves "syncing" */
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (!self->running && self->state == KONTOR_SYNC_STATE_OFFLINE)
    set_state (self, KONTOR_SYNC_STATE_IDLE);
}

gboolean
kontor_sync_engine_is_started (KontorSyncEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_ENGINE (self), FALSE);
  return self->started;
}

void
kontor_sync_engine_sync_now (KontorSyncEngine *self)
{
  g_return_if_fail (KONTOR_IS_SYNC_ENGINE (self));

  /* the user asks: forget the refusal and the backoff for this once */
  g_clear_pointer (&self->refused_token, g_free);
  self->backing_off = FALSE;

  if (self->started && self->socket == NULL && self->socket_cancellable == NULL)
    {
      g_clear_handle_id (&self->socket_retry_id, g_source_remove);
      connect_socket (self);
    }

  /* while one runs, "again" makes it sync once more at its end */
  if (self->running)
    self->again = TRUE;
  else
    start_sync (self);

  /* the user asked: show it even while retrying in the background */
  if (self->state == KONTOR_SYNC_STATE_OFFLINE)
    set_state (self, KONTOR_SYNC_STATE_SYNCING);
}

void
kontor_sync_engine_set_token (KontorSyncEngine *self,
                              const char       *token)
{
  g_return_if_fail (KONTOR_IS_SYNC_ENGINE (self));

  kontor_sync_client_set_token (self->client, token);
  g_clear_pointer (&self->refused_token, g_free);

  /* a socket opened with the old token stays valid until it drops */
  if (self->started)
    kontor_sync_engine_sync_now (self);
}

KontorSyncState
kontor_sync_engine_get_state (KontorSyncEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_ENGINE (self), KONTOR_SYNC_STATE_IDLE);
  return self->state;
}

guint
kontor_sync_engine_get_pending (KontorSyncEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_ENGINE (self), 0);
  return self->pending;
}

const char *
kontor_sync_engine_get_last_error (KontorSyncEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_ENGINE (self), NULL);
  return self->last_error;
}

guint
kontor_sync_engine_get_conflicts (KontorSyncEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_ENGINE (self), 0);
  return self->conflicts;
}

gint64
kontor_sync_engine_get_last_sync (KontorSyncEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_ENGINE (self), 0);
  return self->last_sync;
}

gboolean
kontor_sync_engine_get_connected (KontorSyncEngine *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_ENGINE (self), FALSE);
  return self->connected;
}

void
kontor_sync_engine_set_debounce (KontorSyncEngine *self,
                                 guint             msec)
{
  g_return_if_fail (KONTOR_IS_SYNC_ENGINE (self));
  self->debounce_msec = msec;
}

void
kontor_sync_engine_set_interval (KontorSyncEngine *self,
                                 guint             seconds)
{
  g_return_if_fail (KONTOR_IS_SYNC_ENGINE (self));

  if (self->interval_sec == seconds)
    return;
  self->interval_sec = seconds;
  arm_periodic (self);
}

void
kontor_sync_engine_set_backoff (KontorSyncEngine *self,
                                guint             base_msec,
                                guint             cap_msec)
{
  g_return_if_fail (KONTOR_IS_SYNC_ENGINE (self));
  g_return_if_fail (base_msec > 0);

  self->backoff_base = base_msec;
  self->backoff_cap = MAX (cap_msec, base_msec);
}
