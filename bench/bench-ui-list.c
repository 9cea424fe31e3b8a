/* bench-ui-list.c: the contacts list of the real window, empty and with
 * 100,000 contacts: time to the first frame, resident memory, and how many
 * pages of rows the list read from SQLite (it must not read them all).
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run by hand under a display, e.g.
 *   tests/ui/run-xvfb.sh _build/bench/bench-ui-list [--contacts 100000]
 * The parent generates the large replica once (kept in --workdir) and runs
 * each case in a fresh child process, so the memory figures do not share
 * a heap. Goal (issue 5): less than 30 MB more with 100,000 contacts.
 */
#define G_LOG_DOMAIN "kontor-bench"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kontor-application.h"
#include "kontor-demo.h"
#include "kontor-record-list.h"
#include "kontor-record-list-page.h"
#include "kontor-window.h"

static double
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? g_ascii_strtod (line + 6, NULL) / 1024.0 : -1;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static GtkScrolledWindow *
find_scrolled (GtkWidget *root)
{
  if (GTK_IS_SCROLLED_WINDOW (root) && GTK_IS_COLUMN_VIEW (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (root))))
    return GTK_SCROLLED_WINDOW (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkScrolledWindow *s = find_scrolled (c);

      if (s != NULL)
        return s;
    }
  return NULL;
}

static gboolean painted;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  painted = TRUE;
}

/* One case in this process: prints key=value lines for the parent. */
static int
run_case (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) store = NULL;
  KontorWindow *window;
  GtkWidget *page;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adj;
  gint64 start;
  double rss_before, rss_first, rss_scrolled, first_ms;
  guint n_items;
  guint steps = 0;

  gtk_init ();
  adw_init ();
  kontor_ui_init ();

  rss_before = rss_mb ();
  start = g_get_monotonic_time ();
  store = kontor_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("cannot open %s: %s\n", db, error->message);
      return 1;
    }

  g_print ("rss_store_open_mb=%.1f\n", rss_mb ());
  window = g_object_new (KONTOR_TYPE_WINDOW, "store", store, "area", "contact", NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  first_ms = (g_get_monotonic_time () - start) / 1000.0;
  spin (300);
  rss_first = rss_mb ();

  page = kontor_window_get_area_page (window, "contact");
  n_items = g_list_model_get_n_items (kontor_record_list_page_get_model (KONTOR_RECORD_LIST_PAGE (page)));
  g_print ("rows=%u\n", n_items);
  g_print ("first_frame_ms=%.1f\n", first_ms);
  g_print ("rss_start_mb=%.1f\n", rss_before);
  g_print ("rss_first_frame_mb=%.1f\n", rss_first);
  g_print ("pages_loaded_first_frame=%u\n",
           kontor_record_list_get_pages_loaded (KONTOR_RECORD_LIST (kontor_record_list_page_get_model (KONTOR_RECORD_LIST_PAGE (page)))));

  /* scroll in 40 jumps to the end, as a fast flick through the list */
  scrolled = find_scrolled (page);
  adj = scrolled ? gtk_scrolled_window_get_vadjustment (scrolled) : NULL;
  if (adj != NULL && gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj))
    {
      gint64 scroll_start = g_get_monotonic_time ();

      for (steps = 1; steps <= 40; steps++)
        {
          double upper = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);

          gtk_adjustment_set_value (adj, upper * steps / 40.0);
          painted = FALSE;
          while (!painted)
            g_main_context_iteration (NULL, TRUE);
        }
      g_print ("scroll_frame_ms=%.1f\n", (g_get_monotonic_time () - scroll_start) / 1000.0 / 40);
    }
  spin (300);
  rss_scrolled = rss_mb ();
  g_print ("rss_after_scroll_mb=%.1f\n", rss_scrolled);
  g_print ("pages_loaded_after_scroll=%u\n",
           kontor_record_list_get_pages_loaded (KONTOR_RECORD_LIST (kontor_record_list_page_get_model (KONTOR_RECORD_LIST_PAGE (page)))));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

static gboolean
generate (const char  *db,
          guint        contacts,
          GError     **error)
{
  g_autoptr(KontorStore) store = NULL;
  g_autofree char *done = g_strdup_printf ("%s.done", db);
  KontorDemoOptions demo = { 0 };

  if (g_file_test (done, G_FILE_TEST_EXISTS))
    return TRUE;
  g_unlink (db);
  store = kontor_store_open (db, error);
  if (store == NULL)
    return FALSE;
  demo.seed = 7;
  demo.n_contacts = contacts;
  demo.n_organizations = MAX (contacts / 25, 1);
  g_printerr ("generating %u contacts in %s…\n", contacts, db);
  if (!kontor_demo_generate (store, &demo, NULL, NULL, error))
    return FALSE;
  return g_file_set_contents (done, "", 0, error);
}

static GHashTable *
run_child (const char *self_path,
           const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) child = NULL;
  GHashTable *figures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_path, "--case", db, NULL);
  if (child == NULL || !g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (child))
    {
      g_printerr ("case %s failed: %s\n", db, error ? error->message : "exit status");
      return figures;
    }
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq != NULL)
        g_hash_table_insert (figures, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
  return figures;
}

static double
figure (GHashTable *t,
        const char *key)
{
  const char *v = g_hash_table_lookup (t, key);

  return v ? g_ascii_strtod (v, NULL) : -1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *case_db = NULL;
  g_autofree char *workdir = NULL;
  g_autofree char *empty_db = NULL;
  g_autofree char *large_db = NULL;
  g_autofree char *self_path = NULL;
  g_autoptr(GHashTable) empty = NULL;
  g_autoptr(GHashTable) large = NULL;
  int contacts = 100000;
  const char *keys[] = { "rows", "rss_start_mb", "rss_store_open_mb", "first_frame_ms", "rss_first_frame_mb", "pages_loaded_first_frame",
                         "scroll_frame_ms", "rss_after_scroll_mb", "pages_loaded_after_scroll" };
  GOptionEntry entries[] = {
    { "contacts", 0, 0, G_OPTION_ARG_INT, &contacts, "Contacts in the large case (100000)", "N" },
    { "workdir", 0, 0, G_OPTION_ARG_FILENAME, &workdir, "Where the replicas are kept", "DIR" },
    { "case", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &case_db, NULL, NULL },
    { NULL }
  };

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  context = g_option_context_new ("— the contacts list, empty and large");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (case_db != NULL)
    return run_case (case_db);

  if (workdir == NULL)
    workdir = g_build_filename (g_get_tmp_dir (), "kontor-bench-ui-list", NULL);
  g_mkdir_with_parents (workdir, 0700);
  empty_db = g_build_filename (workdir, "empty.db", NULL);
  large_db = g_strdup_printf ("%s/contacts-%d.db", workdir, contacts);
  if (!generate (empty_db, 0, &error) || !generate (large_db, (guint) contacts, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  empty = run_child (self_path, empty_db);
  large = run_child (self_path, large_db);

  g_print ("%-28s %12s %12s\n", "figure", "0 contacts", "large");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_print ("%-28s %12.1f %12.1f\n", keys[i], figure (empty, keys[i]), figure (large, keys[i]));
  g_print ("rss_extra_first_frame_mb=%.1f (goal < 30)\n",
           figure (large, "rss_first_frame_mb") - figure (empty, "rss_first_frame_mb"));
  g_print ("rss_extra_after_scroll_mb=%.1f\n",
           figure (large, "rss_after_scroll_mb") - figure (empty, "rss_after_scroll_mb"));
  g_print ("first_frame_ratio_large_vs_empty=%.2f\n",
           figure (large, "first_frame_ms") / figure (empty, "first_frame_ms"));
  return 0;
}
