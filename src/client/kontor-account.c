/* kontor-account.c: the sync account of one replica
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "kontor-account.h"
#include "kontor-store-sync.h"

/* meta keys; the same ones earlier builds used, so their accounts load */
#define META_SERVER_URL   "sync_url"
#define META_USER         "sync_user"
#define META_LEGACY_TOKEN "sync_token"

struct _KontorAccount
{
  GObject  parent_instance;

  char    *server_url;
  char    *user;
  char    *database_id;
};

G_DEFINE_FINAL_TYPE (KontorAccount, kontor_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_USER,
  PROP_DATABASE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    KONTOR_ACCOUNT_TOKEN_SCHEMA, SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

static GHashTable *
token_attributes (KontorAccount *self)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "server", self->server_url);
  g_hash_table_insert (attributes, (gpointer) "user", self->user);
  g_hash_table_insert (attributes, (gpointer) "database", self->database_id);
  return attributes;
}

static char *
token_label (KontorAccount *self)
{
  /* shown in Seahorse ("Passwords and Keys") */
  return g_strdup_printf (_("Kontor sync token for %s at %s"), self->user, self->server_url);
}

/* libsecret reports a missing session bus, a bus without a Secret
 * Service, and a service that has no collection to put the item in (a
 * fresh gnome-keyring with no one to answer its "new keyring" prompt) in
 * several domains. To the user they are all the same thing, so they become
 * one error they can act on; the cause goes to the debug log. Consumes
 * cause. */
static GError *
keyring_error (GError *cause)
{
  GError *error;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return cause;

  g_debug ("keyring: %s (%s, %d)", cause->message, g_quark_to_string (cause->domain),
           cause->code);

  if (g_error_matches (cause, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                 _("The keyring is locked: unlock it and try again"));
  else if (cause->domain == SECRET_ERROR && cause->code != SECRET_ERROR_NO_SUCH_OBJECT)
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("The keyring failed: %s"), cause->message);
  else
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 _("No keyring is available: start gnome-keyring or sign in "
                                   "again each time"));
  g_error_free (cause);
  return error;
}

static void
kontor_account_finalize (GObject *object)
{
  KontorAccount *self = (KontorAccount *) object;

  g_free (self->server_url);
  g_free (self->user);
  g_free (self->database_id);

  G_OBJECT_CLASS (kontor_account_parent_class)->finalize (object);
}

static void
kontor_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KontorAccount *self = KONTOR_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_DATABASE_ID:
      g_value_set_string (value, self->database_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_account_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KontorAccount *self = KONTOR_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      self->server_url = g_value_dup_string (value);
      break;
    case PROP_USER:
      self->user = g_value_dup_string (value);
      break;
    case PROP_DATABASE_ID:
      self->database_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_account_class_init (KontorAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kontor_account_finalize;
  object_class->get_property = kontor_account_get_property;
  object_class->set_property = kontor_account_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* the store's database id: keeps the tokens of two replicas apart */
  properties[PROP_DATABASE_ID] =
    g_param_spec_string ("database-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_account_init (KontorAccount *self)
{
}

KontorAccount *
kontor_account_new (const char *server_url,
                    const char *user,
                    const char *database_id)
{
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (database_id != NULL, NULL);

  return g_object_new (KONTOR_TYPE_ACCOUNT,
                       "server-url", server_url,
                       "user", user,
                       "database-id", database_id,
                       NULL);
}

KontorAccount *
kontor_account_load (KontorStore *store)
{
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;
  const char *database_id;

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  url = kontor_store_get_setting (store, META_SERVER_URL);
  user = kontor_store_get_setting (store, META_USER);
  database_id = kontor_store_get_database_id (store);
  if (url == NULL || *url == '\0' || database_id == NULL)
    return NULL;

  /* a database set up by hand (or by a test) may name no user */
  return kontor_account_new (url, user ? user : "", database_id);
}

gboolean
kontor_account_save (KontorAccount  *self,
                     KontorStore    *store,
                     GError        **error)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kontor_store_begin (store, error))
    return FALSE;
  if (!kontor_store_set_setting (store, META_SERVER_URL, self->server_url, error) ||
      !kontor_store_set_setting (store, META_USER, self->user, error) ||
      !kontor_store_commit (store, error))
    {
      kontor_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

const char *
kontor_account_get_server_url (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return self->server_url;
}

const char *
kontor_account_get_user (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return self->user;
}

const char *
kontor_account_get_database_id (KontorAccount *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  return self->database_id;
}

/* ---------------------------------------------------------------------- */
/* Blocking                                                               */

gboolean
kontor_account_store_token_sync (KontorAccount  *self,
                                 const char     *token,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  attributes = token_attributes (self);
  label = token_label (self);
  if (!secret_password_storev_sync (token_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                                    label, token, cancellable, &local_error))
    {
      g_propagate_error (error, keyring_error (local_error));
      return FALSE;
    }
  return TRUE;
}

char *
kontor_account_lookup_token_sync (KontorAccount  *self,
                                  GCancellable   *cancellable,
                                  GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;
  char *secret;
  char *token;

  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  attributes = token_attributes (self);
  secret = secret_password_lookupv_sync (token_schema (), attributes, cancellable, &local_error);
  if (secret == NULL && local_error == NULL)
    {
      /* libsecret answers "nothing" when the item is there but its keyring
       * is locked: gnome-keyring does not match a locked item's schema
       * name, only its other attributes. Searching by those (no unlock, so
       * no prompt that could wait for a desktop that is not there) tells a
       * locked keyring apart from "never signed in". */
      GList *locked = secret_service_search_sync (NULL, NULL, attributes, SECRET_SEARCH_ALL,
                                                  cancellable, NULL);

      if (locked != NULL)
        local_error = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "locked");
      g_list_free_full (locked, g_object_unref);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, keyring_error (local_error));
      return NULL;
    }
  /* libsecret's copy may sit in locked memory and wants its own free */
  token = g_strdup (secret);
  secret_password_free (secret);
  return token;
}

gboolean
kontor_account_clear_token_sync (KontorAccount  *self,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  attributes = token_attributes (self);
  /* FALSE without an error: there was nothing to remove */
  if (!secret_password_clearv_sync (token_schema (), attributes, cancellable, &local_error) &&
      local_error != NULL)
    {
      g_propagate_error (error, keyring_error (local_error));
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Asynchronous: libsecret's own async calls, wrapped in a GTask so the
 * result carries the account and the errors read as above. */

static void
store_token_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
kontor_account_store_token_async (KontorAccount       *self,
                                  const char          *token,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (KONTOR_IS_ACCOUNT (self));
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_account_store_token_async);

  attributes = token_attributes (self);
  label = token_label (self);
  secret_password_storev (token_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, token,
                          cancellable, store_token_cb, g_steal_pointer (&task));
}

gboolean
kontor_account_store_token_finish (KontorAccount  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        kontor_account_store_token_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
search_locked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GList *locked = secret_service_search_finish (NULL, result, NULL);

  if (locked != NULL)
    g_task_return_error (task, keyring_error (g_error_new_literal (SECRET_ERROR,
                                                                   SECRET_ERROR_IS_LOCKED,
                                                                   "locked")));
  else
    g_task_return_pointer (task, NULL, NULL);
  g_list_free_full (locked, g_object_unref);
}

static void
lookup_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error));
      return;
    }
  if (secret == NULL)
    {
      /* as in kontor_account_lookup_token_sync: found but locked? */
      KontorAccount *self = g_task_get_source_object (task);
      g_autoptr(GHashTable) attributes = token_attributes (self);
      GCancellable *cancellable = g_task_get_cancellable (task);

      secret_service_search (NULL, NULL, attributes, SECRET_SEARCH_ALL, cancellable,
                             search_locked_cb, g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, g_strdup (secret), g_free);
  secret_password_free (secret);
}

void
kontor_account_lookup_token_async (KontorAccount       *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (KONTOR_IS_ACCOUNT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_account_lookup_token_async);

  attributes = token_attributes (self);
  secret_password_lookupv (token_schema (), attributes, cancellable, lookup_token_cb,
                           g_steal_pointer (&task));
}

char *
kontor_account_lookup_token_finish (KontorAccount  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        kontor_account_lookup_token_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_token_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
kontor_account_clear_token_async (KontorAccount       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (KONTOR_IS_ACCOUNT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_account_clear_token_async);

  attributes = token_attributes (self);
  secret_password_clearv (token_schema (), attributes, cancellable, clear_token_cb,
                          g_steal_pointer (&task));
}

gboolean
kontor_account_clear_token_finish (KontorAccount  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        kontor_account_clear_token_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Tokens written by earlier builds                                       */

gboolean
kontor_account_migrate_legacy_token_sync (KontorAccount  *self,
                                          KontorStore    *store,
                                          GCancellable   *cancellable,
                                          GError        **error)
{
  g_autofree char *legacy = NULL;
  g_autofree char *filler = NULL;
  gboolean stored;
  gsize len;

  g_return_val_if_fail (KONTOR_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  legacy = kontor_store_get_setting (store, META_LEGACY_TOKEN);
  if (legacy == NULL)
    return TRUE;

  len = strlen (legacy);
  stored = len == 0 || kontor_account_store_token_sync (self, legacy, cancellable, error);
  memset (legacy, 0, len);
  if (!stored)
    return FALSE;

  /* SQLite leaves a deleted value's bytes in the page's free space unless
   * secure_delete is on. Writing a filler of the same length first lets
   * SQLite put it in the token's old slot, so the token's bytes are
   * overwritten rather than just freed (once the WAL is checkpointed they
   * are gone from the file too). Best effort: SQLite does not promise the
   * slot. */
  filler = g_strnfill (len, '0');
  if (len > 0 && !kontor_store_set_setting (store, META_LEGACY_TOKEN, filler, error))
    return FALSE;
  return kontor_store_set_setting (store, META_LEGACY_TOKEN, NULL, error);
}
