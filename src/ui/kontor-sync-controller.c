/* kontor-sync-controller.c: the app's owner of the sync account and engine
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-store-sync.h"
#include "kontor-sync-controller.h"

struct _KontorSyncController
{
  GObject           parent_instance;

  KontorStore      *store;
  KontorAccount    *account;
  KontorSyncEngine *engine;
  GCancellable     *cancellable;   /* the keyring lookup of start() */
  char             *problem;
  gboolean          loading;
  gboolean          stopped;
};

G_DEFINE_FINAL_TYPE (KontorSyncController, kontor_sync_controller, G_TYPE_OBJECT)

G_DEFINE_QUARK (kontor-sync-controller-error-quark, kontor_sync_controller_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_ENGINE,
  PROP_ACCOUNT,
  PROP_LOADING,
  PROP_PROBLEM,
  N_PROPS
};

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_problem (KontorSyncController *self,
             const char           *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
set_loading (KontorSyncController *self,
             gboolean              loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_account (KontorSyncController *self,
             KontorAccount        *account)
{
  if (g_set_object (&self->account, account))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

/* Replaces the engine (NULL: none); the new one starts at once. */
static void
set_engine (KontorSyncController *self,
            KontorSyncEngine     *engine)
{
  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    kontor_sync_engine_stop (self->engine);
  g_set_object (&self->engine, engine);
  if (self->engine != NULL && !self->stopped)
    kontor_sync_engine_start (self->engine);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

static void
use_token (KontorSyncController *self,
           const char           *server_url,
           const char           *token)
{
  g_autoptr(KontorSyncClient) client = kontor_sync_client_new (server_url);
  g_autoptr(KontorSyncEngine) engine = NULL;

  kontor_sync_client_set_token (client, token);
  engine = kontor_sync_engine_new (self->store, client);
  set_engine (self, engine);
}

/* ---------------------------------------------------------------------- */
/* Start                                                                  */

static void
on_token_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KontorSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = kontor_account_lookup_token_finish (KONTOR_ACCOUNT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);
  if (KONTOR_ACCOUNT (source) != self->account)
    return;  /* signed in as someone else meanwhile */

  if (error != NULL)
    {
      g_message ("Cannot read the sync token: %s", error->message);
      set_problem (self, error->message);
      return;
    }
  if (token == NULL)
    {
      set_problem (self, NULL);
      return;
    }

  set_problem (self, NULL);
  use_token (self, kontor_account_get_server_url (self->account), token);
  memset (token, 0, strlen (token));
}

void
kontor_sync_controller_start (KontorSyncController *self)
{
  g_autoptr(KontorAccount) account = NULL;

  g_return_if_fail (KONTOR_IS_SYNC_CONTROLLER (self));

  self->stopped = FALSE;
  if (self->engine != NULL)
    {
      kontor_sync_engine_start (self->engine);
      return;
    }
  if (self->loading)
    return;

  account = kontor_account_load (self->store);
  set_account (self, account);
  if (account == NULL)
    return;

  set_loading (self, TRUE);
  kontor_account_lookup_token_async (account, self->cancellable, on_token_looked_up,
                                     g_object_ref (self));
}

void
kontor_sync_controller_stop (KontorSyncController *self)
{
  g_return_if_fail (KONTOR_IS_SYNC_CONTROLLER (self));

  self->stopped = TRUE;
  if (self->engine != NULL)
    kontor_sync_engine_stop (self->engine);
}

/* ---------------------------------------------------------------------- */
/* Sign in                                                                */

typedef struct
{
  KontorSyncClient *client;
  KontorAccount    *account;
  char             *user;
  char             *password;
} SignIn;

static void
sign_in_free (SignIn *data)
{
  g_clear_object (&data->client);
  g_clear_object (&data->account);
  g_free (data->user);
  if (data->password != NULL)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_free (data);
}

/* "https://host", "host:8080" and "http://host/" are fine; anything without
 * a host is not. A bare host name means https. */
static char *
normalize_url (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (*stripped == '\0')
    return NULL;
  if (strstr (stripped, "://") == NULL)
    with_scheme = g_strconcat ("https://", stripped, NULL);
  else
    with_scheme = g_strdup (stripped);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      strpbrk (g_uri_get_host (uri), " \t") != NULL)
    return NULL;
  return g_steal_pointer (&with_scheme);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SignIn *data = task_data;
  GError *error = NULL;

  if (kontor_sync_client_login (data->client, data->user, data->password, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static GError *
sign_in_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == KONTOR_SYNC_CLIENT_ERROR)
    switch (error->code)
      {
      case KONTOR_SYNC_CLIENT_ERROR_UNAUTHORIZED:
        return g_error_new_literal (KONTOR_SYNC_CONTROLLER_ERROR,
                                    KONTOR_SYNC_CONTROLLER_ERROR_WRONG_PASSWORD,
                                    _("The user name or the password is wrong."));
      case KONTOR_SYNC_CLIENT_ERROR_OFFLINE:
        return g_error_new_literal (KONTOR_SYNC_CONTROLLER_ERROR,
                                    KONTOR_SYNC_CONTROLLER_ERROR_UNREACHABLE,
                                    _("The server cannot be reached. Check the address and the "
                                      "network connection."));
      case KONTOR_SYNC_CLIENT_ERROR_PROTOCOL:
        return g_error_new_literal (KONTOR_SYNC_CONTROLLER_ERROR,
                                    KONTOR_SYNC_CONTROLLER_ERROR_BAD_URL,
                                    _("No Kontor server answers at this address."));
      default:
        break;
      }

  return g_error_new (KONTOR_SYNC_CONTROLLER_ERROR, KONTOR_SYNC_CONTROLLER_ERROR_FAILED,
                      _("Signing in failed: %s"), error->message);
}

static void
on_logout_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_debug ("The server did not confirm the sign-out: %s", error->message);
}

static void
logout_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (kontor_sync_client_logout (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Ends a server session in the background; nobody waits for it. */
static void
logout_in_background (KontorSyncClient *client)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_logout_done, NULL);

  g_task_set_source_tag (task, logout_in_background);
  g_task_set_task_data (task, g_object_ref (client), g_object_unref);
  g_task_run_in_thread (task, logout_thread);
}

static void
on_previous_cleared (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kontor_account_clear_token_finish (KONTOR_ACCOUNT (source), result, &error))
    g_debug ("Could not forget the previous token: %s", error->message);
}

static void
on_token_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KontorSyncController *self = g_task_get_source_object (task);
  SignIn *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  KontorAccount *previous = self->account;

  if (!kontor_account_store_token_finish (data->account, result, &error))
    {
      logout_in_background (data->client);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, KONTOR_SYNC_CONTROLLER_ERROR,
                                 KONTOR_SYNC_CONTROLLER_ERROR_KEYRING,
                                 _("The sign-in cannot be kept: %s"), error->message);
      return;
    }

  /* signing in as someone else (or elsewhere) forgets the old token */
  if (previous != NULL &&
      (g_strcmp0 (kontor_account_get_server_url (previous),
                  kontor_account_get_server_url (data->account)) != 0 ||
       g_strcmp0 (kontor_account_get_user (previous), kontor_account_get_user (data->account)) != 0))
    kontor_account_clear_token_async (previous, NULL, on_previous_cleared, NULL);

  if (!kontor_account_save (data->account, self->store, &error))
    {
      g_task_return_new_error (task, KONTOR_SYNC_CONTROLLER_ERROR,
                               KONTOR_SYNC_CONTROLLER_ERROR_FAILED,
                               _("The account cannot be saved: %s"), error->message);
      return;
    }

  /* a keyring lookup of start() still on its way is out of date now */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_loading (self, FALSE);

  set_problem (self, NULL);
  set_account (self, data->account);
  set_engine (self, NULL);
  use_token (self, kontor_sync_client_get_url (data->client),
             kontor_sync_client_get_token (data->client));
  g_task_return_boolean (task, TRUE);
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  KontorSyncController *self = g_task_get_source_object (outer);
  SignIn *data = g_task_get_task_data (outer);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, sign_in_error (error));
      return;
    }

  data->account = kontor_account_new (kontor_sync_client_get_url (data->client), data->user,
                                      kontor_store_get_database_id (self->store));
  cancellable = g_task_get_cancellable (outer);
  kontor_account_store_token_async (data->account, kontor_sync_client_get_token (data->client),
                                    cancellable, on_token_stored, g_steal_pointer (&outer));
}

void
kontor_sync_controller_sign_in_async (KontorSyncController *self,
                                      const char           *server_url,
                                      const char           *user,
                                      const char           *password,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autofree char *url = NULL;
  SignIn *data;

  g_return_if_fail (KONTOR_IS_SYNC_CONTROLLER (self));
  g_return_if_fail (server_url != NULL && user != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_sync_controller_sign_in_async);

  url = normalize_url (server_url);
  if (url == NULL)
    {
      g_task_return_new_error (task, KONTOR_SYNC_CONTROLLER_ERROR,
                               KONTOR_SYNC_CONTROLLER_ERROR_BAD_URL,
                               _("This is not a server address. It looks like "
                                 "“https://kontor.example.com”."));
      return;
    }
  if (*user == '\0')
    {
      g_task_return_new_error (task, KONTOR_SYNC_CONTROLLER_ERROR,
                               KONTOR_SYNC_CONTROLLER_ERROR_WRONG_PASSWORD,
                               _("Enter your user name."));
      return;
    }

  data = g_new0 (SignIn, 1);
  data->client = kontor_sync_client_new (url);
  data->user = g_strdup (user);
  data->password = g_strdup (password);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_free);

  /* the worker shares data through the outer task, which outlives it */
  worker = g_task_new (self, cancellable, on_signed_in, g_steal_pointer (&task));
  g_task_set_source_tag (worker, sign_in_thread);
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, sign_in_thread);
}

gboolean
kontor_sync_controller_sign_in_finish (KontorSyncController *self,
                                       GAsyncResult         *result,
                                       GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Sign out                                                               */

static void
on_token_cleared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!kontor_account_clear_token_finish (KONTOR_ACCOUNT (source), result, &error))
    g_task_return_new_error (task, KONTOR_SYNC_CONTROLLER_ERROR,
                             KONTOR_SYNC_CONTROLLER_ERROR_KEYRING,
                             _("The sign-in cannot be removed from the keyring: %s"),
                             error->message);
  else
    g_task_return_boolean (task, TRUE);
}

void
kontor_sync_controller_sign_out_async (KontorSyncController *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KONTOR_IS_SYNC_CONTROLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_sync_controller_sign_out_async);

  if (self->engine != NULL)
    {
      KontorSyncClient *client = kontor_sync_engine_get_client (self->engine);

      /* the server forgets the session when it can; nobody waits for it */
      if (kontor_sync_client_get_token (client) != NULL)
        logout_in_background (client);
    }
  set_engine (self, NULL);
  set_problem (self, NULL);

  if (self->account == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  kontor_account_clear_token_async (self->account, cancellable, on_token_cleared,
                                    g_steal_pointer (&task));
}

gboolean
kontor_sync_controller_sign_out_finish (KontorSyncController *self,
                                        GAsyncResult         *result,
                                        GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Accessors                                                              */

KontorStore *
kontor_sync_controller_get_store (KontorSyncController *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_CONTROLLER (self), NULL);
  return self->store;
}

KontorSyncEngine *
kontor_sync_controller_get_engine (KontorSyncController *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_CONTROLLER (self), NULL);
  return self->engine;
}

KontorAccount *
kontor_sync_controller_get_account (KontorSyncController *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_CONTROLLER (self), NULL);
  return self->account;
}

gboolean
kontor_sync_controller_get_loading (KontorSyncController *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_CONTROLLER (self), FALSE);
  return self->loading;
}

const char *
kontor_sync_controller_get_problem (KontorSyncController *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_CONTROLLER (self), NULL);
  return self->problem;
}

void
kontor_sync_controller_open_record (KontorSyncController *self,
                                    const char           *id,
                                    const char           *kind)
{
  g_return_if_fail (KONTOR_IS_SYNC_CONTROLLER (self));
  g_return_if_fail (id != NULL);

  g_signal_emit (self, signals[OPEN_RECORD], 0, id, kind);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

KontorSyncController *
kontor_sync_controller_new (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_SYNC_CONTROLLER, "store", store, NULL);
}

static void
kontor_sync_controller_dispose (GObject *object)
{
  KontorSyncController *self = (KontorSyncController *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->engine != NULL)
    kontor_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);
  g_clear_object (&self->account);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_sync_controller_parent_class)->dispose (object);
}

static void
kontor_sync_controller_finalize (GObject *object)
{
  KontorSyncController *self = (KontorSyncController *) object;

  g_free (self->problem);

  G_OBJECT_CLASS (kontor_sync_controller_parent_class)->finalize (object);
}

static void
kontor_sync_controller_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KontorSyncController *self = KONTOR_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_sync_controller_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  KontorSyncController *self = KONTOR_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_sync_controller_class_init (KontorSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_sync_controller_dispose;
  object_class->finalize = kontor_sync_controller_finalize;
  object_class->get_property = kontor_sync_controller_get_property;
  object_class->set_property = kontor_sync_controller_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, KONTOR_TYPE_SYNC_ENGINE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, KONTOR_TYPE_ACCOUNT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* why there is no engine, for the user (signed out, no keyring) */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (id, kind): the user wants to see this record */
  signals[OPEN_RECORD] =
    g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
kontor_sync_controller_init (KontorSyncController *self)
{
  self->cancellable = g_cancellable_new ();
}
