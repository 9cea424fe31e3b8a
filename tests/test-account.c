/* test-account.c: the sync account and its token in a real keyring
 *
 * Runs under run-with-keyring.sh: a private session bus with a fresh,
 * unlocked gnome-keyring.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "kontor-account.h"
#include "kontor-store.h"
#include "kontor-store-sync.h"

#define SERVER "http://127.0.0.1:8765/"

typedef struct
{
  char        *dir;
  char        *path;
  KontorStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kontor-account-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "a.db", NULL);
  f->store = kontor_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static char *
new_token (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat ("tok-", uuid, NULL);
}

static gboolean
bytes_contain (const char *data,
               gsize       len,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n > 0 && i + n <= len; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the database file or its WAL holds needle anywhere, in live
 * rows, free space or old frames alike. */
static gboolean
database_contains (const char *path,
                   const char *needle)
{
  const char *suffixes[] = { "", "-wal", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (!g_file_get_contents (file, &data, &len, NULL))
        continue;
      if (bytes_contain (data, len, needle))
        return TRUE;
    }
  return FALSE;
}

static void
test_load_save (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorAccount) account = NULL;
  g_autoptr(KontorAccount) loaded = NULL;
  /* a copy: each call of kontor_store_get_database_id frees the last one */
  g_autofree char *database_id = g_strdup (kontor_store_get_database_id (f->store));

  g_assert_nonnull (database_id);
  g_assert_null (kontor_account_load (f->store));

  account = kontor_account_new (SERVER, "anna", database_id);
  g_assert_true (kontor_account_save (account, f->store, &error));
  g_assert_no_error (error);

  loaded = kontor_account_load (f->store);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (kontor_account_get_server_url (loaded), ==, SERVER);
  g_assert_cmpstr (kontor_account_get_user (loaded), ==, "anna");
  g_assert_cmpstr (kontor_account_get_database_id (loaded), ==, database_id);
}

static void
test_token (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path_b = g_build_filename (f->dir, "b.db", NULL);
  g_autoptr(KontorStore) store_b = kontor_store_open (path_b, &error);
  g_autoptr(KontorAccount) a = NULL;
  g_autoptr(KontorAccount) b = NULL;
  g_autofree char *token_a = new_token ();
  g_autofree char *token_b = new_token ();
  g_autofree char *found = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (kontor_store_get_database_id (f->store), !=,
                   kontor_store_get_database_id (store_b));

  /* one server, one user, two replicas on this machine */
  a = kontor_account_new (SERVER, "anna", kontor_store_get_database_id (f->store));
  b = kontor_account_new (SERVER, "anna", kontor_store_get_database_id (store_b));

  found = kontor_account_lookup_token_sync (a, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);

  g_assert_true (kontor_account_store_token_sync (a, token_a, NULL, &error));
  g_assert_no_error (error);
  found = kontor_account_lookup_token_sync (a, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, token_a);
  g_clear_pointer (&found, g_free);

  /* the second replica has none until it stores its own */
  found = kontor_account_lookup_token_sync (b, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  g_assert_true (kontor_account_store_token_sync (b, token_b, NULL, &error));
  g_assert_no_error (error);
  found = kontor_account_lookup_token_sync (b, NULL, &error);
  g_assert_cmpstr (found, ==, token_b);
  g_clear_pointer (&found, g_free);
  found = kontor_account_lookup_token_sync (a, NULL, &error);
  g_assert_cmpstr (found, ==, token_a);
  g_clear_pointer (&found, g_free);

  /* storing again replaces */
  g_assert_true (kontor_account_store_token_sync (a, token_b, NULL, &error));
  found = kontor_account_lookup_token_sync (a, NULL, &error);
  g_assert_cmpstr (found, ==, token_b);
  g_clear_pointer (&found, g_free);
  g_assert_true (kontor_account_store_token_sync (a, token_a, NULL, &error));

  /* clearing one leaves the other */
  g_assert_true (kontor_account_clear_token_sync (a, NULL, &error));
  g_assert_no_error (error);
  found = kontor_account_lookup_token_sync (a, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  found = kontor_account_lookup_token_sync (b, NULL, &error);
  g_assert_cmpstr (found, ==, token_b);
  g_clear_pointer (&found, g_free);

  /* clearing what is not there is fine */
  g_assert_true (kontor_account_clear_token_sync (a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kontor_account_clear_token_sync (b, NULL, &error));
  g_assert_no_error (error);
}

static void
test_not_in_database (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorAccount) account = NULL;
  g_autoptr(KontorAccount) loaded = NULL;
  g_autofree char *token = new_token ();
  g_autofree char *found = NULL;

  account = kontor_account_new (SERVER, "anna", kontor_store_get_database_id (f->store));
  g_assert_true (kontor_account_save (account, f->store, &error));
  g_assert_true (kontor_account_store_token_sync (account, token, NULL, &error));
  g_assert_no_error (error);

  /* the account is in the file, the token is not: neither with the store
   * open (WAL not checkpointed) nor after it is closed */
  g_assert_true (database_contains (f->path, "anna"));
  g_assert_false (database_contains (f->path, token));
  g_clear_object (&f->store);
  g_assert_true (database_contains (f->path, SERVER));
  g_assert_false (database_contains (f->path, token));

  f->store = kontor_store_open (f->path, &error);
  g_assert_no_error (error);
  loaded = kontor_account_load (f->store);
  g_assert_nonnull (loaded);
  found = kontor_account_lookup_token_sync (loaded, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, token);
  g_assert_true (kontor_account_clear_token_sync (loaded, NULL, &error));
}

static void
test_legacy_token (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorAccount) account = NULL;
  g_autofree char *token = new_token ();
  g_autofree char *found = NULL;
  g_autofree char *left = NULL;

  /* what a build before the keyring left behind */
  g_assert_true (kontor_store_set_setting (f->store, "sync_url", SERVER, &error));
  g_assert_true (kontor_store_set_setting (f->store, "sync_user", "anna", &error));
  g_assert_true (kontor_store_set_setting (f->store, "sync_token", token, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
  g_assert_true (database_contains (f->path, token));

  f->store = kontor_store_open (f->path, &error);
  g_assert_no_error (error);
  account = kontor_account_load (f->store);
  g_assert_nonnull (account);
  g_assert_true (kontor_account_migrate_legacy_token_sync (account, f->store, NULL, &error));
  g_assert_no_error (error);

  found = kontor_account_lookup_token_sync (account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, token);
  left = kontor_store_get_setting (f->store, "sync_token");
  g_assert_null (left);

  /* a second run has nothing left to move */
  g_assert_true (kontor_account_migrate_legacy_token_sync (account, f->store, NULL, &error));
  g_assert_no_error (error);

  /* once SQLite has checkpointed, the token's bytes are gone from the file */
  g_clear_object (&f->store);
  g_assert_false (database_contains (f->path, token));

  g_assert_true (kontor_account_clear_token_sync (account, NULL, &error));
  g_assert_no_error (error);
}

static void
async_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorAccount) account = NULL;
  g_autofree char *token = new_token ();
  g_autofree char *found = NULL;
  GAsyncResult *result = NULL;

  account = kontor_account_new (SERVER, "bert", kontor_store_get_database_id (f->store));

  kontor_account_store_token_async (account, token, NULL, async_done, &result);
  g_assert_true (kontor_account_store_token_finish (account, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  kontor_account_lookup_token_async (account, NULL, async_done, &result);
  found = kontor_account_lookup_token_finish (account, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, token);
  g_clear_object (&result);
  g_clear_pointer (&found, g_free);

  kontor_account_clear_token_async (account, NULL, async_done, &result);
  g_assert_true (kontor_account_clear_token_finish (account, wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  kontor_account_lookup_token_async (account, NULL, async_done, &result);
  found = kontor_account_lookup_token_finish (account, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_null (found);
  g_clear_object (&result);

  /* a cancelled call reports the cancellation as such */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    kontor_account_store_token_async (account, token, cancellable, async_done, &result);
    g_assert_false (kontor_account_store_token_finish (account, wait_for (&result), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&result);
  }
}

/* Unlocks the default collection without a prompt, through
 * gnome-keyring's own interface for this (what its tests and Seahorse
 * use), with a "plain" session so the password travels as is. */
static void
unlock_again (SecretCollection *collection,
              const char       *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) opened = NULL;
  g_autoptr(GVariant) unlocked = NULL;
  const char *session = NULL;

  g_assert_no_error (error);
  opened = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                        "org.freedesktop.Secret.Service", "OpenSession",
                                        g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                        G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                        &error);
  g_assert_no_error (error);
  g_variant_get (opened, "(v&o)", NULL, &session);
  unlocked = g_dbus_connection_call_sync (
    bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
    "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", "UnlockWithMasterPassword",
    g_variant_new ("(o(o@ay@ays))",
                   g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)), session,
                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password, strlen (password), 1),
                   "text/plain"),
    NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* A locked keyring (an ssh session into a machine whose keyring nobody
 * unlocked) is told apart from "not signed in", and no prompt waits for a
 * desktop that is not there. */
static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  const char *password = g_getenv ("KONTOR_TEST_KEYRING_PASSWORD");
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorAccount) account = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GList) objects = NULL;
  g_autofree char *token = new_token ();
  g_autofree char *found = NULL;
  GAsyncResult *result = NULL;

  if (password == NULL)
    {
      g_test_skip ("the keyring's password is not known");
      return;
    }

  account = kontor_account_new (SERVER, "anna", kontor_store_get_database_id (f->store));
  g_assert_true (kontor_account_store_token_sync (account, token, NULL, &error));
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  objects = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);

  found = kontor_account_lookup_token_sync (account, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  kontor_account_lookup_token_async (account, NULL, async_done, &result);
  found = kontor_account_lookup_token_finish (account, wait_for (&result), &error);
  g_assert_null (found);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_clear_object (&result);

  g_assert_false (kontor_account_store_token_sync (account, token, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  unlock_again (collection, password);
  found = kontor_account_lookup_token_sync (account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, token);
  g_assert_true (kontor_account_clear_token_sync (account, NULL, &error));
  g_assert_no_error (error);
}

/* Without a Secret Service the calls fail with a message the user can act
 * on, and nothing lands in the database. Run in a subprocess whose session
 * bus address leads nowhere. */
static void
test_no_keyring (Fixture       *f,
                 gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KontorAccount) account = NULL;
      g_autofree char *token = new_token ();
      g_autofree char *found = NULL;
      g_autofree char *bus = g_strdup_printf ("unix:path=%s/no-bus", f->dir);

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus, TRUE);
      account = kontor_account_new (SERVER, "anna", kontor_store_get_database_id (f->store));

      g_assert_false (kontor_account_store_token_sync (account, token, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_assert_cmpstr (error->message, ==,
                       "No keyring is available: start gnome-keyring or sign in again each time");
      g_clear_error (&error);

      found = kontor_account_lookup_token_sync (account, NULL, &error);
      g_assert_null (found);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);

      g_assert_false (kontor_account_clear_token_sync (account, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);

      /* a legacy token stays where it is rather than being lost */
      g_assert_true (kontor_store_set_setting (f->store, "sync_token", token, &error));
      g_assert_false (kontor_account_migrate_legacy_token_sync (account, f->store, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);
      found = kontor_store_get_setting (f->store, "sync_token");
      g_assert_cmpstr (found, ==, token);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("no session bus: run this under tests/run-with-keyring.sh\n");
      return 77;
    }

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/account/load-save", test_load_save);
  ADD ("/account/token", test_token);
  ADD ("/account/not-in-database", test_not_in_database);
  ADD ("/account/legacy-token", test_legacy_token);
  ADD ("/account/async", test_async);
  ADD ("/account/no-keyring", test_no_keyring);
  ADD ("/account/locked", test_locked);
#undef ADD

  return g_test_run ();
}
