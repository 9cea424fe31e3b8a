/* test-ui-offline.c: no operation of the UI thread waits on the network
 *
 * The app's sync controller signs in to a real kontor-server and starts a
 * large pull (1,500 contacts in batches of 20). Mid-sync the server is
 * frozen with SIGSTOP (a peer that accepts nothing and answers nothing,
 * the hardest case: no error ever arrives), then killed. All the while a
 * 20 ms timer measures how late the main loop runs and edits go into the
 * store through the UI thread. The sync indicator in a real window must
 * say "Offline"; when the server is back on its port the engine resumes by
 * itself and pushes the edits made meanwhile.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "kontor-application.h"
#include "kontor-store-sync.h"
#include "kontor-sync-controller.h"
#include "kontor-sync-indicator.h"
#include "kontor-test-server.h"
#include "sync-ui-test.h"

#define N_REMOTE   1500
#define TICK_MSEC  20

typedef struct
{
  gint64 last;
  gint64 max_gap;
  guint  ticks;
} Ticker;

typedef struct
{
  KontorStore *store;
  guint        edits;
  gint64       slowest;
} Editor;

static gboolean
on_tick (gpointer data)
{
  Ticker *t = data;
  gint64 now = g_get_monotonic_time ();

  if (t->last != 0)
    t->max_gap = MAX (t->max_gap, now - t->last);
  t->last = now;
  t->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_edit (gpointer data)
{
  Editor *e = data;
  g_autoptr(JsonObject) v = json_object_new ();
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Offline %u", e->edits);
  gint64 start = g_get_monotonic_time ();

  json_object_set_string_member (v, "last_name", name);
  r = kontor_store_create (e->store, "contact", NULL, v, NULL, &error);
  g_assert_no_error (error);
  e->edits++;
  e->slowest = MAX (e->slowest, g_get_monotonic_time () - start);
  return G_SOURCE_CONTINUE;
}

static guint
count_contacts (KontorStore *store)
{
  g_autoptr(KontorQuery) query = kontor_query_new ("contact");
  g_autoptr(GError) error = NULL;
  guint n = 0;

  kontor_store_count (store, query, &n, &error);
  g_assert_no_error (error);
  return n;
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GError) error = NULL;

  kontor_sync_controller_sign_in_finish (KONTOR_SYNC_CONTROLLER (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Saves the window and the indicator's open popover. */
static void
shoot_indicator (GtkWidget  *window,
                 GtkWidget  *indicator,
                 const char *name)
{
  GtkWidget *button = find_widget (indicator, GTK_TYPE_MENU_BUTTON, NULL, NULL);
  g_autofree char *popover_name = g_strconcat (name, "-popover", NULL);

  if (g_getenv ("KONTOR_TEST_SCREENSHOTS") == NULL)
    return;
  screenshot (window, name);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))), popover_name);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
}

static void
test_server_hangs_mid_sync (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kontor-ui-offline-XXXXXX", &error);
  g_autofree char *server_dir = g_build_filename (dir, "server", NULL);
  g_autofree char *path_a = g_build_filename (dir, "a.db", NULL);
  g_autofree char *path_b = g_build_filename (dir, "b.db", NULL);
  KontorTestServer *server = kontor_test_server_start (server_dir, 0, NULL);
  guint port = server->port;
  g_autoptr(KontorSyncClient) b_client = kontor_sync_client_new (server->url);
  g_autoptr(KontorStore) b = NULL;
  g_autoptr(KontorStore) a = NULL;
  g_autoptr(KontorSyncController) controller = NULL;
  KontorSyncIndicator *indicator;
  KontorSyncEngine *engine;
  GtkWidget *window, *header;
  Ticker ticker = { 0 };
  Editor editor = { 0 };
  gboolean signed_in = FALSE;
  guint tick_id, edit_id, pulled_at_stop, edits_at_stop;
  gint64 start;

  g_assert_no_error (error);

  /* B puts 1,500 contacts on the server */
  b = kontor_store_open (path_b, &error);
  g_assert_no_error (error);
  kontor_sync_client_login (b_client, "anna", "s3cret-pass", NULL, &error);
  g_assert_no_error (error);
  kontor_store_begin (b, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_REMOTE; i++)
    {
      g_autoptr(JsonObject) v = json_object_new ();
      g_autoptr(KontorRecord) r = NULL;
      g_autofree char *name = g_strdup_printf ("Remote %04u", i);

      json_object_set_string_member (v, "last_name", name);
      json_object_set_string_member (v, "city", "Wien");
      r = kontor_store_create (b, "contact", NULL, v, NULL, &error);
      g_assert_no_error (error);
    }
  kontor_store_commit (b, &error);
  g_assert_no_error (error);
  kontor_sync_client_sync (b_client, b, NULL, NULL, &error);
  g_assert_no_error (error);

  /* A: the app's controller and a window with the indicator */
  a = kontor_store_open (path_a, &error);
  g_assert_no_error (error);
  controller = kontor_sync_controller_new (a);
  kontor_sync_controller_start (controller);
  window = gtk_window_new ();
  header = adw_header_bar_new ();
  indicator = KONTOR_SYNC_INDICATOR (kontor_sync_indicator_new_for_controller (controller));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (indicator));
  gtk_window_set_titlebar (GTK_WINDOW (window), header);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 400);
  gtk_window_present (GTK_WINDOW (window));

  kontor_sync_controller_sign_in_async (controller, server->url, "anna", "s3cret-pass", NULL,
                                        on_signed_in, &signed_in);
  WAIT_UNTIL (signed_in, 20000, "signed in");
  engine = kontor_sync_controller_get_engine (controller);
  g_assert_nonnull (engine);
  /* many small pulls, so that the server can be stopped in the middle */
  kontor_sync_client_set_batch_sizes (kontor_sync_engine_get_client (engine), 20, 20);
  kontor_sync_engine_set_debounce (engine, 100);
  kontor_sync_engine_set_backoff (engine, 100, 1000);

  WAIT_UNTIL (count_contacts (a) >= 100, 30000, "the pull under way");
  g_assert_cmpint (kontor_sync_engine_get_state (engine), ==, KONTOR_SYNC_STATE_SYNCING);
  g_assert_cmpstr (kontor_sync_indicator_get_title (indicator), ==, "Syncing");

  /* the server hangs */
  g_subprocess_send_signal (server->process, SIGSTOP);
  run_for (200);  /* a batch already on its way may still land */
  pulled_at_stop = count_contacts (a);
  g_test_message ("server stopped with %u of %u contacts pulled", pulled_at_stop, N_REMOTE);
  g_assert_cmpuint (pulled_at_stop, <, N_REMOTE);
  /* hanging: still "syncing" for all the user can tell */
  shoot_indicator (window, GTK_WIDGET (indicator), "indicator-syncing");

  editor.store = a;
  start = g_get_monotonic_time ();
  tick_id = g_timeout_add (TICK_MSEC, on_tick, &ticker);
  edit_id = g_timeout_add (200, on_edit, &editor);
  run_for (5000);

  g_test_message ("5 s against a hanging server: %u ticks, largest gap %.1f ms, %u edits "
                  "(slowest %.1f ms), state %d", ticker.ticks, ticker.max_gap / 1000.0,
                  editor.edits, editor.slowest / 1000.0, kontor_sync_engine_get_state (engine));
  g_assert_cmpint (ticker.max_gap, <, 1000 * 1000);
  g_assert_cmpuint (ticker.ticks, >=, 100);
  g_assert_cmpuint (editor.edits, >=, 10);
  g_assert_cmpint (editor.slowest, <, 1000 * 1000);
  /* nothing more arrived: the sync hangs in its thread, not in ours */
  g_assert_cmpuint (count_contacts (a), ==, pulled_at_stop + editor.edits);
  g_assert_cmpuint (kontor_sync_engine_get_pending (engine), ==, editor.edits);

  /* the frozen server dies: the engine says "offline" */
  kontor_test_server_kill (server, SIGKILL);
  start = g_get_monotonic_time ();
  WAIT_UNTIL (kontor_sync_engine_get_state (engine) == KONTOR_SYNC_STATE_OFFLINE, 15000,
              "offline");
  g_test_message ("offline %.2f s after the server died", seconds_since (start));
  run_for (1000);
  g_assert_cmpint (kontor_sync_engine_get_state (engine), ==, KONTOR_SYNC_STATE_OFFLINE);
  g_assert_cmpstr (kontor_sync_indicator_get_title (indicator), ==, "Offline");
  g_assert_cmpstr (kontor_sync_indicator_get_icon_name (indicator), ==, "network-offline-symbolic");
  g_assert_nonnull (strstr (kontor_sync_indicator_get_detail (indicator),
                            "The server cannot be reached."));
  g_assert_nonnull (kontor_sync_engine_get_last_error (engine));
  shoot_indicator (window, GTK_WIDGET (indicator), "indicator-offline");
  edits_at_stop = editor.edits;
  g_assert_cmpuint (kontor_sync_engine_get_pending (engine), ==, edits_at_stop);

  g_test_message ("until offline: %u ticks, largest gap %.1f ms, %u edits (slowest %.1f ms)",
                  ticker.ticks, ticker.max_gap / 1000.0, editor.edits, editor.slowest / 1000.0);
  g_assert_cmpint (ticker.max_gap, <, 1000 * 1000);
  g_assert_cmpint (editor.slowest, <, 1000 * 1000);

  /* the server comes back where it was; the engine resumes by itself */
  g_source_remove (edit_id);
  kontor_test_server_free (server);
  server = kontor_test_server_start (server_dir, port, NULL);
  g_assert_cmpuint (server->port, ==, port);
  start = g_get_monotonic_time ();
  WAIT_UNTIL (kontor_sync_engine_get_state (engine) == KONTOR_SYNC_STATE_IDLE &&
              kontor_sync_engine_get_pending (engine) == 0 &&
              count_contacts (a) == N_REMOTE + editor.edits, 30000,
              "A in step again with an empty outbox");
  g_test_message ("resumed and pushed %u edits %.2f s after the restart", editor.edits,
                  seconds_since (start));
  g_source_remove (tick_id);
  g_test_message ("whole run: %u ticks, largest main-loop gap %.1f ms", ticker.ticks,
                  ticker.max_gap / 1000.0);
  g_assert_cmpint (ticker.max_gap, <, 1000 * 1000);
  g_assert_null (kontor_sync_engine_get_last_error (engine));
  WAIT_UNTIL (g_strcmp0 (kontor_sync_indicator_get_title (indicator), "Up to date") == 0, 5000,
              "the indicator up to date");
  shoot_indicator (window, GTK_WIDGET (indicator), "indicator-up-to-date");
  resize (window, 360, 400);
  shoot_indicator (window, GTK_WIDGET (indicator), "indicator-up-to-date-360");

  /* the edits made while the server hung reached it */
  kontor_sync_client_sync (b_client, b, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_contacts (b), ==, N_REMOTE + editor.edits);

  kontor_sync_controller_stop (controller);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&controller);
  kontor_test_server_free (server);
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

  g_test_add_func ("/ui/offline/server-hangs-mid-sync", test_server_hangs_mid_sync);

  return g_test_run ();
}
