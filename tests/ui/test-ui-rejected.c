/* test-ui-rejected.c: a change the server refused, fixed and sent again
 * through the real KontorRejectedList
 *
 * As in sync scenario 13, an op that breaks the server's rules (an e-mail
 * address that is none, written by an older client) is refused by a real
 * kontor-server. The list shows it with the server's reason; sending the
 * same value again is caught locally, the fixed value goes out with the
 * next sync and reaches the other replica. A second refusal is discarded.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "kontor-application.h"
#include "kontor-rejected-list.h"
#include "kontor-store-sync.h"
#include "kontor-sync-client.h"
#include "kontor-test-server.h"
#include "sync-ui-test.h"

static void
sync_ok (KontorSyncClient *client,
         KontorStore      *store,
         guint             expect_rejected)
{
  g_autoptr(GError) error = NULL;
  KontorSyncStats stats = { 0 };

  kontor_sync_client_sync (client, store, &stats, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.rejected, ==, expect_rejected);
}

static char *
create_contact (KontorStore *store,
                const char  *last_name)
{
  g_autoptr(JsonObject) v = json_object_new ();
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (v, "last_name", last_name);
  r = kontor_store_create (store, "contact", NULL, v, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (kontor_record_get_id (r));
}

/* Queues an edit of id and then, behind the store's back, turns it into
 * one that writes an e-mail the server refuses. */
static void
queue_bad_email (KontorStore *store,
                 const char  *id)
{
  g_autoptr(JsonObject) v = json_object_new ();
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  json_object_set_string_member (v, "city", "Gera");
  r = kontor_store_update (store, id, v, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (kontor_store_get_path (store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE outbox SET fields = '{\"email\":\"not-an-address\"}'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static char *
email_of (KontorStore *store,
          const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) r = kontor_store_get (store, id, &error);
  JsonNode *emails;

  g_assert_no_error (error);
  emails = kontor_record_get_value (r, "email");
  if (emails == NULL || JSON_NODE_HOLDS_NULL (emails))
    return NULL;
  return json_to_string (emails, FALSE);
}

static void
test_fix_and_resend (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kontor-ui-rejected-XXXXXX", &error);
  g_autofree char *server_dir = g_build_filename (dir, "server", NULL);
  g_autofree char *path_a = g_build_filename (dir, "a.db", NULL);
  g_autofree char *path_b = g_build_filename (dir, "b.db", NULL);
  g_autoptr(KontorTestServer) server = kontor_test_server_start (server_dir, 0, NULL);
  g_autoptr(KontorSyncClient) client_a = kontor_sync_client_new (server->url);
  g_autoptr(KontorSyncClient) client_b = kontor_sync_client_new (server->url);
  g_autoptr(KontorStore) a = NULL;
  g_autoptr(KontorStore) b = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *email = NULL;
  g_autofree char *reason = NULL;
  GtkWidget *window, *row, *send, *discard;
  JsonObject *fields;

  g_assert_no_error (error);
  a = kontor_store_open (path_a, &error);
  g_assert_no_error (error);
  b = kontor_store_open (path_b, &error);
  g_assert_no_error (error);
  kontor_sync_client_login (client_a, "anna", "s3cret-pass", NULL, &error);
  g_assert_no_error (error);
  kontor_sync_client_set_token (client_b, kontor_sync_client_get_token (client_a));

  id = create_contact (a, "Abgelehnt");
  sync_ok (client_a, a, 0);
  sync_ok (client_b, b, 0);
  queue_bad_email (a, id);
  sync_ok (client_a, a, 1);
  rejected = kontor_store_list_rejected (a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rejected->len, ==, 1);
  reason = g_strdup_printf ("The server refused this change: %s",
                            ((KontorRejected *) g_ptr_array_index (rejected, 0))->reason);

  window = kontor_rejected_list_new (a);
  gtk_window_present (GTK_WINDOW (window));
  settle ();
  g_assert_cmpuint (kontor_rejected_list_get_n_items (KONTOR_REJECTED_LIST (window)), ==, 1);
  /* the record, the server's reason and the refused value */
  g_assert_nonnull (find_widget (window, GTK_TYPE_LABEL, label_is, "Abgelehnt (Contact)"));
  g_assert_nonnull (find_widget (window, GTK_TYPE_LABEL, label_is, reason));
  row = find_widget (window, ADW_TYPE_ENTRY_ROW, row_title_is, "E-mail");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "not-an-address");
  screenshot (window, "rejected");
  resize (window, 360, 640);
  screenshot (window, "rejected-360");

  /* sending it unchanged is caught here, before the server */
  send = find_widget (window, GTK_TYPE_BUTTON, button_label_is, "_Send Again");
  g_assert_nonnull (send);
  click (send);
  settle ();
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpuint (kontor_rejected_list_get_n_items (KONTOR_REJECTED_LIST (window)), ==, 1);
  g_assert_cmpuint (kontor_store_outbox_count (a), ==, 0);

  /* fixed, it goes out as a new edit */
  gtk_editable_set_text (GTK_EDITABLE (row), "abgelehnt@example.com");
  click (send);
  settle ();
  g_assert_cmpuint (kontor_rejected_list_get_n_items (KONTOR_REJECTED_LIST (window)), ==, 0);
  g_clear_pointer (&rejected, g_ptr_array_unref);
  rejected = kontor_store_list_rejected (a, &error);
  g_assert_cmpuint (rejected->len, ==, 0);
  outbox = kontor_store_outbox_list (a, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  fields = json_object_get_object_member (json_node_get_object (g_ptr_array_index (outbox, 0)),
                                          "fields");
  g_assert_true (json_object_has_member (fields, "email"));
  email = email_of (a, id);
  g_assert_nonnull (strstr (email, "abgelehnt@example.com"));

  sync_ok (client_a, a, 0);
  sync_ok (client_b, b, 0);
  g_clear_pointer (&email, g_free);
  email = email_of (b, id);
  g_assert_nonnull (email);
  g_assert_nonnull (strstr (email, "abgelehnt@example.com"));

  /* another refusal, discarded: the record keeps the server's state */
  id2 = create_contact (a, "Verworfen");
  sync_ok (client_a, a, 0);
  queue_bad_email (a, id2);
  sync_ok (client_a, a, 1);
  settle ();
  g_assert_cmpuint (kontor_rejected_list_get_n_items (KONTOR_REJECTED_LIST (window)), ==, 1);
  discard = find_widget (window, GTK_TYPE_BUTTON, button_label_is, "_Discard");
  g_assert_nonnull (discard);
  click (discard);
  settle ();
  g_assert_cmpuint (kontor_rejected_list_get_n_items (KONTOR_REJECTED_LIST (window)), ==, 0);
  g_assert_cmpuint (kontor_store_outbox_count (a), ==, 0);
  g_clear_pointer (&email, g_free);
  email = email_of (a, id2);
  g_assert_null (email);

  gtk_window_destroy (GTK_WINDOW (window));
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

  g_test_add_func ("/ui/rejected/fix-and-resend", test_fix_and_resend);

  return g_test_run ();
}
