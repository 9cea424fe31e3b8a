/* test-ui-conflicts.c: a same-field conflict resolved through the real
 * KontorConflictResolver
 *
 * Two replicas of a real kontor-server change a contact's city at the
 * same time. Replica A's window lists the conflict with both values side
 * by side; the test picks B's value with the widgets and checks that the
 * record has it, the conflict is gone and the resolving edit waits in the
 * outbox with a version vector that covers both competing writes. After
 * one more sync round B has the value too, without a conflict.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kontor-application.h"
#include "kontor-conflict-resolver.h"
#include "kontor-store-sync.h"
#include "kontor-sync-client.h"
#include "kontor-sync-indicator.h"
#include "kontor-sync-record.h"
#include "kontor-test-server.h"
#include "sync-ui-test.h"

typedef struct
{
  KontorStore      *store;
  KontorSyncClient *client;
} Replica;

static Replica *
replica_new (const char       *dir,
             const char       *name,
             KontorTestServer *server,
             const char       *token)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  Replica *r = g_new0 (Replica, 1);

  r->store = kontor_store_open (path, &error);
  g_assert_no_error (error);
  r->client = kontor_sync_client_new (server->url);
  kontor_sync_client_set_token (r->client, token);
  kontor_sync_client_register (r->client, r->store, NULL, &error);
  g_assert_no_error (error);
  return r;
}

static void
replica_free (Replica *r)
{
  g_clear_object (&r->store);
  g_clear_object (&r->client);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Replica, replica_free)

static void
sync_ok (Replica *r)
{
  g_autoptr(GError) error = NULL;

  kontor_sync_client_sync (r->client, r->store, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
set_city (Replica    *r,
          const char *id,
          const char *city)
{
  g_autoptr(JsonObject) v = json_object_new ();
  g_autoptr(KontorRecord) rec = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (v, "city", city);
  rec = kontor_store_update (r->store, id, v, NULL, &error);
  g_assert_no_error (error);
}

static char *
city_of (Replica    *r,
         const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) rec = kontor_store_get (r->store, id, &error);

  g_assert_no_error (error);
  return g_strdup (kontor_record_get_string (rec, "city"));
}

static guint
n_conflicts (Replica *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = kontor_store_list_conflicts (r->store, &error);

  g_assert_no_error (error);
  return list->len;
}

static void
test_pick_theirs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kontor-ui-conflicts-XXXXXX", &error);
  g_autofree char *server_dir = g_build_filename (dir, "server", NULL);
  g_autoptr(KontorTestServer) server = kontor_test_server_start (server_dir, 0, NULL);
  g_autoptr(KontorSyncClient) login = kontor_sync_client_new (server->url);
  g_autoptr(Replica) a = NULL;
  g_autoptr(Replica) b = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(KontorRecord) contact = NULL;
  g_autoptr(KontorSyncRecord) state = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *state_json = NULL;
  g_autofree char *city = NULL;
  g_autofree char *theirs_caption = NULL;
  KontorDot dots[2];
  const GPtrArray *versions;
  g_autoptr(KontorSyncEngine) engine = NULL;
  GtkWidget *window, *theirs, *yours, *resolve, *main_window, *header, *indicator, *badge;
  JsonObject *entry, *vv, *fields;
  JsonArray *dot;
  const char *id;

  g_assert_no_error (error);
  kontor_sync_client_login (login, "anna", "s3cret-pass", NULL, &error);
  g_assert_no_error (error);
  a = replica_new (dir, "a.db", server, kontor_sync_client_get_token (login));
  b = replica_new (dir, "b.db", server, kontor_sync_client_get_token (login));

  json_object_set_string_member (values, "first_name", "Jörg");
  json_object_set_string_member (values, "last_name", "Meyer");
  json_object_set_string_member (values, "city", "Köln");
  contact = kontor_store_create (a->store, "contact", NULL, values, NULL, &error);
  g_assert_no_error (error);
  id = kontor_record_get_id (contact);
  sync_ok (a);
  sync_ok (b);

  /* the same field on both, at the same time */
  set_city (a, id, "Berlin");
  set_city (b, id, "Hamburg");
  sync_ok (a);
  sync_ok (b);
  sync_ok (a);
  g_assert_cmpuint (n_conflicts (a), ==, 1);
  g_assert_cmpuint (n_conflicts (b), ==, 1);

  /* the two competing writes */
  state_json = kontor_store_get_state (a->store, id, &error);
  g_assert_no_error (error);
  state = kontor_sync_record_from_string (state_json, &error);
  g_assert_no_error (error);
  versions = kontor_sync_record_get_versions (state, "city");
  g_assert_cmpuint (versions->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    dots[i] = ((KontorFieldVersion *) g_ptr_array_index (versions, i))->dot;
  g_assert_cmpuint (dots[0].replica, !=, dots[1].replica);
  g_assert_cmpuint (kontor_store_outbox_count (a->store), ==, 0);

  /* A's main window: the indicator shows the conflict as a button */
  engine = kontor_sync_engine_new (a->store, a->client);
  main_window = gtk_window_new ();
  header = adw_header_bar_new ();
  indicator = kontor_sync_indicator_new (engine);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), indicator);
  gtk_window_set_titlebar (GTK_WINDOW (main_window), header);
  gtk_window_present (GTK_WINDOW (main_window));
  settle ();
  g_assert_cmpuint (kontor_sync_engine_get_conflicts (engine), ==, 1);
  badge = find_widget (indicator, GTK_TYPE_BUTTON, contains_label, "1");
  g_assert_nonnull (badge);
  g_assert_true (gtk_widget_get_mapped (badge));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (badge), ==, "1 conflict to resolve");
  screenshot (main_window, "indicator-conflict");

  /* which opens the resolver */
  click (badge);
  settle ();
  window = find_toplevel (KONTOR_TYPE_CONFLICT_RESOLVER);
  g_assert_nonnull (window);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (main_window));
  g_assert_cmpuint (kontor_conflict_resolver_get_n_records (KONTOR_CONFLICT_RESOLVER (window)), ==, 1);
  /* the record and the field are named */
  g_assert_nonnull (find_widget (window, GTK_TYPE_LABEL, label_is, "Jörg Meyer"));
  g_assert_nonnull (find_widget (window, GTK_TYPE_LABEL, label_is, "City"));

  resize (window, 1280, 800);
  screenshot (window, "conflicts-1280");
  resize (window, 360, 720);
  screenshot (window, "conflicts-360-list");
  g_assert_true (kontor_conflict_resolver_select (KONTOR_CONFLICT_RESOLVER (window), id));
  screenshot (window, "conflicts-360-detail");

  /* both values side by side, with who wrote them */
  yours = find_widget (window, GTK_TYPE_TOGGLE_BUTTON, contains_label, "Berlin");
  theirs = find_widget (window, GTK_TYPE_TOGGLE_BUTTON, contains_label, "Hamburg");
  g_assert_nonnull (yours);
  g_assert_nonnull (theirs);
  g_assert_true (gtk_widget_get_parent (yours) == gtk_widget_get_parent (theirs));
  g_assert_true (gtk_orientable_get_orientation (GTK_ORIENTABLE (gtk_widget_get_parent (yours))) ==
                 GTK_ORIENTATION_HORIZONTAL);
  g_assert_nonnull (find_widget (yours, GTK_TYPE_LABEL, label_is, "Yours · this device"));
  theirs_caption = g_strdup_printf ("Theirs · device %u", kontor_store_get_replica_id (b->store));
  g_assert_nonnull (find_widget (theirs, GTK_TYPE_LABEL, label_is, theirs_caption));

  resolve = find_widget (window, GTK_TYPE_BUTTON, button_label_is, "_Keep the Chosen Values");
  g_assert_nonnull (resolve);
  g_assert_false (gtk_widget_get_sensitive (resolve));

  /* pick theirs, then keep it */
  click (theirs);
  settle ();
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (theirs)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (yours)));
  g_assert_true (gtk_widget_get_sensitive (resolve));
  screenshot (window, "conflicts-360-picked");
  click (resolve);
  settle ();
  screenshot (window, "conflicts-360-resolved");

  city = city_of (a, id);
  g_assert_cmpstr (city, ==, "Hamburg");
  g_assert_cmpuint (n_conflicts (a), ==, 0);
  g_assert_cmpuint (kontor_conflict_resolver_get_n_records (KONTOR_CONFLICT_RESOLVER (window)), ==, 0);

  /* the indicator: no conflict, one change to send */
  WAIT_UNTIL (kontor_sync_engine_get_conflicts (engine) == 0, 5000, "the engine to count again");
  settle ();
  g_assert_false (gtk_widget_get_visible (badge));
  g_assert_cmpuint (kontor_sync_engine_get_pending (engine), ==, 1);
  {
    GtkWidget *menu = find_widget (indicator, GTK_TYPE_MENU_BUTTON, NULL, NULL);
    GtkWidget *pending = find_widget (menu, GTK_TYPE_LABEL, label_is, "1");

    g_assert_nonnull (pending);
    g_assert_true (gtk_widget_get_mapped (pending));
    screenshot (main_window, "indicator-pending");
  }

  /* the resolution is a new edit in the outbox that dominates both writes */
  outbox = kontor_store_outbox_list (a->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = json_node_get_object (g_ptr_array_index (outbox, 0));
  g_assert_cmpstr (json_object_get_string_member (entry, "record"), ==, id);
  fields = json_object_get_object_member (entry, "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "city"), ==, "Hamburg");
  dot = json_object_get_array_member (entry, "dot");
  g_assert_cmpint (json_array_get_int_element (dot, 0), ==, kontor_store_get_replica_id (a->store));
  vv = json_object_get_object_member (entry, "vv");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", dots[i].replica);

      g_test_message ("competing write (%u, %" G_GUINT64_FORMAT "), resolution vv[%s] = %"
                      G_GINT64_FORMAT, dots[i].replica, dots[i].counter, key,
                      json_object_get_int_member_with_default (vv, key, 0));
      g_assert_cmpint (json_object_get_int_member_with_default (vv, key, 0), >=,
                       (gint64) dots[i].counter);
      if (dots[i].replica == kontor_store_get_replica_id (a->store))
        g_assert_cmpint (json_array_get_int_element (dot, 1), >, (gint64) dots[i].counter);
    }

  /* and it travels: B takes it without a new conflict */
  sync_ok (a);
  sync_ok (b);
  g_clear_pointer (&city, g_free);
  city = city_of (b, id);
  g_assert_cmpstr (city, ==, "Hamburg");
  g_assert_cmpuint (n_conflicts (b), ==, 0);
  g_assert_cmpuint (kontor_store_outbox_count (a->store), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (main_window));
  g_clear_object (&engine);
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

  g_test_add_func ("/ui/conflicts/pick-theirs", test_pick_theirs);

  return g_test_run ();
}
