/* test-ui-account.c: signing in through the real KontorAccountDialog
 *
 * Against a real kontor-server and a private gnome-keyring: a wrong
 * password, a bad address and a server that is not there each show their
 * error under the form and keep nothing in the keyring; the right password
 * keeps a token there and starts the engine. A second replica signed in
 * with kontor-cli (as the README's demo does) is picked up by a fresh
 * controller, as the app does on start, and signing out removes the token.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kontor-account-dialog.h"
#include "kontor-application.h"
#include "kontor-store-sync.h"
#include "kontor-sync-controller.h"
#include "kontor-sync-indicator.h"
#include "kontor-test-server.h"
#include "sync-ui-test.h"

static char *
token_in_keyring (const char *url,
                  const char *user,
                  KontorStore *store)
{
  g_autoptr(KontorAccount) account = kontor_account_new (url, user,
                                                         kontor_store_get_database_id (store));
  g_autoptr(GError) error = NULL;
  char *token = kontor_account_lookup_token_sync (account, NULL, &error);

  g_assert_no_error (error);
  return token;
}

typedef struct
{
  GtkWidget *dialog;
  GtkWidget *url;
  GtkWidget *user;
  GtkWidget *password;
  GtkWidget *sign_in;
} Form;

static void
form_init (Form                 *form,
           KontorSyncController *controller)
{
  form->dialog = kontor_account_dialog_new (controller);
  g_object_add_weak_pointer (G_OBJECT (form->dialog), (gpointer *) &form->dialog);
  gtk_window_present (GTK_WINDOW (form->dialog));
  settle ();
  form->url = find_widget (form->dialog, ADW_TYPE_ENTRY_ROW, row_title_is, "Server Address");
  form->user = find_widget (form->dialog, ADW_TYPE_ENTRY_ROW, row_title_is, "User Name");
  form->password = find_widget (form->dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, row_title_is, "Password");
  form->sign_in = find_widget (form->dialog, GTK_TYPE_BUTTON, button_label_is, "_Sign In");
  g_assert_nonnull (form->url);
  g_assert_nonnull (form->user);
  g_assert_nonnull (form->password);
  g_assert_nonnull (form->sign_in);
}

/* Fills the form and presses "Sign In"; returns how long the longest
 * main-loop iteration took while it ran (the UI must not freeze). */
static gint64
sign_in (Form       *form,
         const char *url,
         const char *user,
         const char *password)
{
  KontorAccountDialog *dialog = KONTOR_ACCOUNT_DIALOG (form->dialog);
  gint64 slowest = 0;
  gint64 deadline;

  gtk_editable_set_text (GTK_EDITABLE (form->url), url);
  gtk_editable_set_text (GTK_EDITABLE (form->user), user);
  gtk_editable_set_text (GTK_EDITABLE (form->password), password);
  settle ();
  g_assert_true (gtk_widget_get_sensitive (form->sign_in));
  click (form->sign_in);
  g_assert_true (kontor_account_dialog_get_busy (dialog));
  g_assert_false (gtk_widget_get_sensitive (form->sign_in));

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (form->dialog != NULL && kontor_account_dialog_get_busy (dialog) &&
         g_get_monotonic_time () < deadline)
    {
      gint64 start = g_get_monotonic_time ();
      guint tick = g_timeout_add (10, sync_ui_wake, NULL);

      g_main_context_iteration (NULL, TRUE);
      g_source_remove (tick);
      slowest = MAX (slowest, g_get_monotonic_time () - start);
    }
  g_assert_true (form->dialog == NULL || !kontor_account_dialog_get_busy (dialog));
  settle ();
  return slowest;
}

static const char *
inline_error (Form *form)
{
  GtkWidget *label = find_widget (form->dialog, GTK_TYPE_LABEL, label_is,
                                  kontor_account_dialog_get_error (KONTOR_ACCOUNT_DIALOG (form->dialog)));

  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_true (gtk_widget_has_css_class (label, "error"));
  return gtk_label_get_label (GTK_LABEL (label));
}

static void
test_sign_in (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kontor-ui-account-XXXXXX", &error);
  g_autofree char *server_dir = g_build_filename (dir, "server", NULL);
  g_autofree char *path = g_build_filename (dir, "a.db", NULL);
  g_autoptr(KontorTestServer) server = kontor_test_server_start (server_dir, 0, NULL);
  g_autoptr(KontorStore) store = NULL;
  g_autoptr(KontorSyncController) controller = NULL;
  g_autofree char *token = NULL;
  GtkWidget *indicator;
  KontorSyncEngine *engine;
  Form form = { 0 };
  gint64 slowest;

  g_assert_no_error (error);
  store = kontor_store_open (path, &error);
  g_assert_no_error (error);
  controller = kontor_sync_controller_new (store);
  kontor_sync_controller_start (controller);
  g_assert_null (kontor_sync_controller_get_account (controller));
  g_assert_null (kontor_sync_controller_get_engine (controller));

  indicator = kontor_sync_indicator_new_for_controller (controller);
  g_object_ref_sink (indicator);
  g_assert_cmpstr (kontor_sync_indicator_get_title (KONTOR_SYNC_INDICATOR (indicator)), ==,
                   "Sync is off");

  form_init (&form, controller);
  g_assert_false (gtk_widget_get_sensitive (form.sign_in));
  screenshot (form.dialog, "account-empty");

  /* a wrong password */
  slowest = sign_in (&form, server->url, "anna", "wrong-password");
  g_test_message ("wrong password: slowest main-loop iteration %.1f ms", slowest / 1000.0);
  g_assert_cmpint (slowest, <, G_USEC_PER_SEC);  /* the window never froze */
  g_assert_nonnull (form.dialog);
  g_assert_cmpstr (inline_error (&form), ==, "The user name or the password is wrong.");
  g_assert_true (gtk_widget_has_css_class (form.password, "error"));
  screenshot (form.dialog, "account-wrong-password");
  resize (form.dialog, 360, 560);
  screenshot (form.dialog, "account-wrong-password-360");
  g_assert_null (kontor_sync_controller_get_engine (controller));
  token = token_in_keyring (server->url, "anna", store);
  g_assert_null (token);

  /* not an address */
  sign_in (&form, "not an address", "anna", "s3cret-pass");
  g_assert_cmpstr (inline_error (&form), ==,
                   "This is not a server address. It looks like “https://kontor.example.com”.");
  g_assert_true (gtk_widget_has_css_class (form.url, "error"));
  g_assert_false (gtk_widget_has_css_class (form.password, "error"));

  /* nobody there (a port nothing listens on) */
  sign_in (&form, "http://127.0.0.1:9/", "anna", "s3cret-pass");
  g_assert_cmpstr (inline_error (&form), ==,
                   "The server cannot be reached. Check the address and the network connection.");
  g_assert_null (kontor_sync_controller_get_engine (controller));

  /* the right password: the token goes to the keyring, the dialog closes
   * and the engine syncs */
  slowest = sign_in (&form, server->url, "anna", "s3cret-pass");
  g_test_message ("sign-in: slowest main-loop iteration %.1f ms", slowest / 1000.0);
  g_assert_cmpint (slowest, <, G_USEC_PER_SEC);
  g_assert_null (form.dialog);
  engine = kontor_sync_controller_get_engine (controller);
  g_assert_nonnull (engine);
  token = token_in_keyring (server->url, "anna", store);
  g_assert_nonnull (token);
  g_assert_true (g_str_equal (token, kontor_sync_client_get_token (kontor_sync_engine_get_client (engine))));
  g_assert_cmpstr (kontor_account_get_user (kontor_sync_controller_get_account (controller)), ==, "anna");
  g_assert_true (kontor_sync_indicator_get_engine (KONTOR_SYNC_INDICATOR (indicator)) == engine);
  WAIT_UNTIL (kontor_sync_engine_get_last_sync (engine) > 0 &&
              kontor_sync_engine_get_state (engine) == KONTOR_SYNC_STATE_IDLE, 20000,
              "the first sync after signing in");
  g_assert_cmpuint (kontor_store_get_replica_id (store), !=, KONTOR_REPLICA_UNREGISTERED);
  g_assert_cmpstr (kontor_sync_indicator_get_title (KONTOR_SYNC_INDICATOR (indicator)), ==,
                   "Up to date");

  /* signing out removes the token and stops syncing */
  form_init (&form, controller);
  {
    GtkWidget *sign_out = find_widget (form.dialog, GTK_TYPE_BUTTON, button_label_is, "Sign _Out");

    screenshot (form.dialog, "account-signed-in");
    g_assert_nonnull (sign_out);
    g_assert_true (gtk_widget_get_mapped (sign_out));
    click (sign_out);
    WAIT_UNTIL (!kontor_account_dialog_get_busy (KONTOR_ACCOUNT_DIALOG (form.dialog)), 10000,
                "signed out");
  }
  g_assert_null (kontor_sync_controller_get_engine (controller));
  g_clear_pointer (&token, g_free);
  token = token_in_keyring (server->url, "anna", store);
  g_assert_null (token);
  g_assert_cmpstr (kontor_sync_indicator_get_title (KONTOR_SYNC_INDICATOR (indicator)), ==,
                   "Signed out");

  gtk_window_destroy (GTK_WINDOW (form.dialog));
  g_object_unref (indicator);
  g_clear_object (&controller);
  g_clear_object (&store);
  kontor_test_rm_rf (dir);
}

/* The README's demo signs in with kontor-cli; the app must pick that
 * account up from the store and its token from the keyring. */
static void
test_cli_login_picked_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kontor-ui-account-XXXXXX", &error);
  g_autofree char *server_dir = g_build_filename (dir, "server", NULL);
  g_autofree char *path = g_build_filename (dir, "cli.db", NULL);
  g_autoptr(KontorTestServer) server = kontor_test_server_start (server_dir, 0, NULL);
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(KontorStore) store = NULL;
  g_autoptr(KontorSyncController) controller = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  KontorSyncEngine *engine;

  g_assert_no_error (error);
  /* the app's database, as kontor-cli init makes it */
  store = kontor_store_open (path, &error);
  g_assert_no_error (error);
  cli = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                          G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                          g_getenv ("KONTOR_CLI"), "--db", path, "login", server->url, "anna",
                          "-q", NULL);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) input = g_bytes_new_static ("s3cret-pass\n", 12);

    g_subprocess_communicate (cli, input, NULL, &out, &err, &error);
    g_assert_no_error (error);
  }
  if (g_subprocess_get_exit_status (cli) != 0)
    g_error ("kontor-cli login failed: %.*s", (int) g_bytes_get_size (err),
             (const char *) g_bytes_get_data (err, NULL));

  controller = kontor_sync_controller_new (store);
  kontor_sync_controller_start (controller);
  g_assert_nonnull (kontor_sync_controller_get_account (controller));
  g_assert_true (kontor_sync_controller_get_loading (controller));
  WAIT_UNTIL (kontor_sync_controller_get_engine (controller) != NULL, 10000,
              "the token from the keyring");
  engine = kontor_sync_controller_get_engine (controller);
  g_assert_true (kontor_sync_engine_is_started (engine));
  WAIT_UNTIL (kontor_sync_engine_get_last_sync (engine) > 0, 20000, "a sync with the CLI's token");
  g_assert_null (kontor_sync_engine_get_last_error (engine));
  g_assert_cmpint (kontor_sync_engine_get_state (engine), ==, KONTOR_SYNC_STATE_IDLE);

  kontor_sync_controller_stop (controller);
  g_clear_object (&controller);
  g_clear_object (&store);
  kontor_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  kontor_ui_init ();
  /* a blinking cursor in a window closed before any focus-out (no window
   * manager under Xvfb) makes GTK warn */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add_func ("/ui/account/sign-in", test_sign_in);
  g_test_add_func ("/ui/account/cli-login-picked-up", test_cli_login_picked_up);

  return g_test_run ();
}
