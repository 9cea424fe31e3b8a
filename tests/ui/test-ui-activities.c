/* test-ui-activities.c: the activities page with real widgets and a real
 * replica under Xvfb
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "kontor-activities-page.h"
#include "kontor-ui-test-data.h"

typedef struct
{
  KontorTestStore *ts;
  TestData         d;
  GtkWidget       *window;
  GtkWidget       *page;
  char            *changed_id;
  gboolean         changed_done;
  char            *opened;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *overlay = adw_toast_overlay_new ();

  f->ts = kontor_test_store_new ();
  test_data_fill (f->ts->store, &f->d);

  f->page = g_object_new (KONTOR_TYPE_ACTIVITIES_PAGE, "store", f->ts->store,
                          "today", TEST_TODAY, NULL);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), f->page);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 700);
  gtk_window_set_child (GTK_WINDOW (f->window), overlay);
  gtk_window_present (GTK_WINDOW (f->window));
  kontor_test_spin (300);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  kontor_test_spin (50);
  test_data_clear (&f->d);
  g_free (f->changed_id);
  g_free (f->opened);
  kontor_test_store_free (f->ts);
}

static guint
n_items (Fixture    *f,
         const char *view)
{
  return g_list_model_get_n_items (kontor_activities_page_get_model (KONTOR_ACTIVITIES_PAGE (f->page),
                                                                     view));
}

static const char *
item_id (Fixture    *f,
         const char *view,
         guint       i)
{
  g_autoptr(KontorRecord) record =
    g_list_model_get_item (kontor_activities_page_get_model (KONTOR_ACTIVITIES_PAGE (f->page), view), i);

  return g_intern_string (kontor_record_get_id (record));
}

static void
test_activities_views (Fixture       *f,
                       gconstpointer  data)
{
  /* today: the meeting first, then tasks and calls by due time (done
   * ones stay, checked) */
  g_assert_cmpuint (n_items (f, "today"), ==, 3);
  g_assert_cmpstr (item_id (f, "today", 0), ==, f->d.meeting_today);
  g_assert_cmpstr (item_id (f, "today", 1), ==, f->d.task_today);
  g_assert_cmpstr (item_id (f, "today", 2), ==, f->d.call_today_done);

  /* overdue: open tasks and calls before today, oldest first */
  g_assert_cmpuint (n_items (f, "overdue"), ==, 2);
  g_assert_cmpstr (item_id (f, "overdue", 0), ==, f->d.call_overdue);
  g_assert_cmpstr (item_id (f, "overdue", 1), ==, f->d.task_overdue);

  g_assert_cmpuint (n_items (f, "upcoming"), ==, 2);
  g_assert_cmpstr (item_id (f, "upcoming", 0), ==, f->d.meeting_upcoming);
  g_assert_cmpstr (item_id (f, "upcoming", 1), ==, f->d.task_upcoming);

  /* all: 2 appointments and 7 tasks and calls, no notes */
  g_assert_cmpuint (n_items (f, "all"), ==, 9);

  /* the shown view's list has real rows with checked boxes for done ones */
  g_assert_cmpstr (kontor_activities_page_get_view (KONTOR_ACTIVITIES_PAGE (f->page)), ==, "today");
  {
    GtkWidget *check = test_find_check (f->page, f->d.call_today_done);

    g_assert_nonnull (check);
    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
    check = test_find_check (f->page, f->d.task_today);
    g_assert_nonnull (check);
    g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  }

  /* another reference day moves everything */
  kontor_activities_page_set_today (KONTOR_ACTIVITIES_PAGE (f->page), "2026-12-05");
  kontor_test_spin (50);
  g_assert_cmpuint (n_items (f, "today"), ==, 1);
  g_assert_cmpuint (n_items (f, "overdue"), ==, 3);
}

static void
on_done_changed (KontorActivitiesPage *page,
                 const char           *id,
                 gboolean              done,
                 Fixture              *f)
{
  g_free (f->changed_id);
  f->changed_id = g_strdup (id);
  f->changed_done = done;
}

static gboolean
overdue_is_one (gpointer data)
{
  return n_items (data, "overdue") == 1;
}

static void
test_activities_complete (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *check;
  guint outbox = kontor_store_outbox_count (f->ts->store);

  g_signal_connect (f->page, "done-changed", G_CALLBACK (on_done_changed), f);
  kontor_activities_page_set_view (KONTOR_ACTIVITIES_PAGE (f->page), "overdue");
  kontor_test_spin (200);
  g_assert_true (gtk_widget_get_mapped (kontor_test_find_named (f->page, "overdue-list")));

  check = test_find_check (kontor_test_find_named (f->page, "overdue-list"), f->d.task_overdue);
  g_assert_nonnull (check);
  g_assert_false (test_activity_done (f->ts->store, f->d.task_overdue));

  /* a click on the check button, as a person would */
  gtk_widget_activate (check);
  kontor_test_spin (50);
  g_assert_true (test_activity_done (f->ts->store, f->d.task_overdue));
  g_assert_cmpuint (kontor_store_outbox_count (f->ts->store), ==, outbox + 1);
  g_assert_cmpstr (f->changed_id, ==, f->d.task_overdue);
  g_assert_true (f->changed_done);

  /* the list follows the store: one overdue item left, the badge too */
  g_assert_true (kontor_test_wait (overdue_is_one, f, 2000));
  g_assert_cmpstr (item_id (f, "overdue", 0), ==, f->d.call_overdue);
  g_assert_cmpuint (n_items (f, "all"), ==, 9);

  /* unchecking in "All" opens it again */
  kontor_activities_page_set_view (KONTOR_ACTIVITIES_PAGE (f->page), "all");
  kontor_test_spin (200);
  check = test_find_check (kontor_test_find_named (f->page, "all-list"), f->d.task_overdue);
  g_assert_nonnull (check);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_widget_activate (check);
  kontor_test_spin (100);
  g_assert_false (test_activity_done (f->ts->store, f->d.task_overdue));
  g_assert_cmpuint (n_items (f, "overdue"), ==, 2);

  if (g_getenv ("KONTOR_TEST_PAUSE") != NULL)
    {
      kontor_activities_page_set_view (KONTOR_ACTIVITIES_PAGE (f->page), "today");
      kontor_test_spin (atoi (g_getenv ("KONTOR_TEST_PAUSE")));
      gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
      kontor_test_spin (atoi (g_getenv ("KONTOR_TEST_PAUSE")));
    }
}

static void
on_open_record (KontorActivitiesPage *page,
                const char           *kind,
                const char           *id,
                Fixture              *f)
{
  g_assert_cmpstr (kind, ==, "activity");
  g_free (f->opened);
  f->opened = g_strdup (id);
}

static void
test_activities_open (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *list = kontor_test_find_named (f->page, "today-list");

  g_signal_connect (f->page, "open-record", G_CALLBACK (on_open_record), f);
  g_signal_emit_by_name (list, "activate", 1);
  g_assert_cmpstr (f->opened, ==, f->d.task_today);
}

static void
test_activities_empty (void)
{
  KontorTestStore *ts = kontor_test_store_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (KONTOR_TYPE_ACTIVITIES_PAGE, "store", ts->store,
                                  "today", TEST_TODAY, NULL);
  g_autoptr(GPtrArray) status = g_ptr_array_new ();

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  kontor_test_spin (200);
  kontor_test_collect_type (page, ADW_TYPE_STATUS_PAGE, FALSE, status);
  g_assert_cmpuint (status->len, ==, 4);
  /* the shown view is the empty state of "today" */
  g_assert_true (gtk_widget_get_mapped (g_ptr_array_index (status, 0)));
  g_assert_cmpstr (adw_status_page_get_title (g_ptr_array_index (status, 0)), ==, "Nothing Today");

  g_free (kontor_test_create (ts->store, "activity", "type", "task", "subject", "Neu",
                              "due", "2026-12-02T10:00:00Z", NULL));
  kontor_test_spin (200);
  g_assert_false (gtk_widget_get_mapped (g_ptr_array_index (status, 0)));

  gtk_window_destroy (GTK_WINDOW (window));
  kontor_test_spin (50);
  kontor_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  kontor_test_ui_init (&argc, &argv);

  g_test_add ("/ui/activities/views", Fixture, NULL, fixture_set_up, test_activities_views,
              fixture_tear_down);
  g_test_add ("/ui/activities/complete", Fixture, NULL, fixture_set_up, test_activities_complete,
              fixture_tear_down);
  g_test_add ("/ui/activities/open", Fixture, NULL, fixture_set_up, test_activities_open,
              fixture_tear_down);
  g_test_add_func ("/ui/activities/empty", test_activities_empty);

  return g_test_run ();
}
