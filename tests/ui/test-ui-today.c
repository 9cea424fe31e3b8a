/* test-ui-today.c: the Today page with real widgets and a real replica
 * under Xvfb
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "kontor-today-page.h"
#include "kontor-ui-test-data.h"

typedef struct
{
  KontorTestStore *ts;
  TestData         d;
  char            *new_contact;
  gint64           visit;
  GtkWidget       *window;
  GtkWidget       *page;
  char            *opened_kind;
  char            *opened_id;
} Fixture;

static void
on_open_record (KontorTodayPage *page,
                const char      *kind,
                const char      *id,
                Fixture         *f)
{
  g_free (f->opened_kind);
  g_free (f->opened_id);
  f->opened_kind = g_strdup (kind);
  f->opened_id = g_strdup (id);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *overlay = adw_toast_overlay_new ();
  g_autofree char *visit = NULL;
  g_autoptr(GError) error = NULL;

  f->ts = kontor_test_store_new ();
  test_data_fill (f->ts->store, &f->d);

  /* the previous visit was after all of that; one contact came later */
  g_usleep (3000);
  f->visit = g_get_real_time () / 1000;
  visit = g_strdup_printf ("%" G_GINT64_FORMAT, f->visit);
  g_assert_true (kontor_store_set_setting (f->ts->store, "today_last_visit", visit, &error));
  g_assert_no_error (error);
  g_usleep (3000);
  f->new_contact = kontor_test_create (f->ts->store, "contact", "first_name", "Jörg",
                                       "last_name", "Neumann", NULL);

  f->page = g_object_new (KONTOR_TYPE_TODAY_PAGE, "store", f->ts->store, "today", TEST_TODAY,
                          NULL);
  g_signal_connect (f->page, "open-record", G_CALLBACK (on_open_record), f);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), f->page);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
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
  g_free (f->new_contact);
  g_free (f->opened_kind);
  g_free (f->opened_id);
  kontor_test_store_free (f->ts);
}

/* The rows of a section's list (record ids, in order). */
static GPtrArray *
section_ids (Fixture    *f,
             const char *name)
{
  GtkWidget *list = kontor_test_find_named (f->page, name);
  GPtrArray *ids = g_ptr_array_new ();

  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row))
      g_ptr_array_add (ids, g_object_get_data (G_OBJECT (row), "kontor-id"));
  return ids;
}

/* The count in a section's header ("" if the section is hidden). */
static const char *
section_count (Fixture    *f,
               const char *name)
{
  GtkWidget *list = kontor_test_find_named (f->page, name);
  GtkWidget *header = gtk_widget_get_prev_sibling (list);

  if (!gtk_widget_get_visible (gtk_widget_get_parent (list)))
    return "";
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_last_child (header)));
}

static void
assert_section (Fixture    *f,
                const char *name,
                const char *count,
                ...)
{
  g_autoptr(GPtrArray) ids = section_ids (f, name);
  const char *id;
  guint i = 0;
  va_list args;

  g_assert_cmpstr (section_count (f, name), ==, count);
  va_start (args, count);
  while ((id = va_arg (args, const char *)) != NULL)
    {
      g_assert_cmpuint (i, <, ids->len);
      g_assert_cmpstr (g_ptr_array_index (ids, i), ==, id);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (i, ==, ids->len);
}

static void
test_today_sections (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *stored = kontor_store_get_setting (f->ts->store, "today_last_visit");

  assert_section (f, "schedule-list", "1", f->d.meeting_today, NULL);
  assert_section (f, "due-list", "1", f->d.task_today, NULL);
  assert_section (f, "overdue-list", "2", f->d.call_overdue, f->d.task_overdue, NULL);
  /* the passed close date first, then the deal nobody worked on */
  assert_section (f, "attention-list", "2", f->d.deal_late, f->d.deal_stale, NULL);
  assert_section (f, "changes-list", "1", f->new_contact, NULL);

  /* this visit is the next one's reference */
  g_assert_cmpint (g_ascii_strtoll (stored, NULL, 10), >, f->visit);

  /* rows say what they are about */
  {
    GtkWidget *list = kontor_test_find_named (f->page, "due-list");
    AdwActionRow *row = ADW_ACTION_ROW (gtk_widget_get_first_child (list));

    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                     "Angebot senden");
    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Today, 09:00 · Bäckerei Schmidt & Söhne");
    row = ADW_ACTION_ROW (gtk_widget_get_first_child (kontor_test_find_named (f->page,
                                                                              "attention-list")));
    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                     "€2500.00 · Close date passed on 11/30/26");
    g_signal_emit_by_name (row, "activated");
    g_assert_cmpstr (f->opened_kind, ==, "deal");
    g_assert_cmpstr (f->opened_id, ==, f->d.deal_late);
  }

  /* a whole different day */
  kontor_today_page_set_today (KONTOR_TODAY_PAGE (f->page), "2026-12-10");
  assert_section (f, "schedule-list", "1", f->d.meeting_upcoming, NULL);
  assert_section (f, "due-list", "", NULL);
  assert_section (f, "overdue-list", "4", f->d.call_overdue, f->d.task_overdue, f->d.task_today,
                  f->d.task_upcoming, NULL);
}

static gboolean
overdue_is_one (gpointer data)
{
  return g_str_equal (section_count (data, "overdue-list"), "1");
}

static void
test_today_complete (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *check = test_find_check (kontor_test_find_named (f->page, "overdue-list"),
                                      f->d.task_overdue);
  guint outbox = kontor_store_outbox_count (f->ts->store);

  g_assert_nonnull (check);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_widget_activate (check);
  g_assert_true (test_activity_done (f->ts->store, f->d.task_overdue));
  g_assert_cmpuint (kontor_store_outbox_count (f->ts->store), ==, outbox + 1);

  g_assert_true (kontor_test_wait (overdue_is_one, f, 2000));
  assert_section (f, "overdue-list", "1", f->d.call_overdue, NULL);
}

static guint
count_kind (KontorStore *store,
            const char  *kind,
            const char  *condition)
{
  g_autoptr(KontorQuery) query = kontor_query_new (kind);
  guint n = 0;

  if (condition != NULL)
    g_assert_true (kontor_query_parse_condition (query, condition, NULL));
  g_assert_true (kontor_store_count (store, query, &n, NULL));
  return n;
}

static void
test_today_capture (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *note_entry = NULL, *lead_entry = NULL, *company_entry = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  guint notes = count_kind (f->ts->store, "activity", "type=note");
  g_autoptr(KontorRecord) lead = NULL;

  kontor_test_collect_type (f->page, GTK_TYPE_MENU_BUTTON, TRUE, buttons);
  g_assert_cmpuint (buttons->len, ==, 2);

  /* quick note: open the popover, type, press Enter */
  gtk_menu_button_popup (g_ptr_array_index (buttons, 1));
  kontor_test_spin (100);
  kontor_test_collect_type (GTK_WIDGET (gtk_menu_button_get_popover (g_ptr_array_index (buttons, 1))),
                            GTK_TYPE_ENTRY, FALSE, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  note_entry = g_ptr_array_index (entries, 0);
  gtk_editable_set_text (GTK_EDITABLE (note_entry), "  Kunde will Rückruf am Freitag ");
  g_signal_emit_by_name (note_entry, "activate");
  kontor_test_spin (50);
  g_assert_cmpuint (count_kind (f->ts->store, "activity", "type=note"), ==, notes + 1);
  g_assert_cmpuint (count_kind (f->ts->store, "activity", "subject=Kunde will Rückruf am Freitag"),
                    ==, 1);

  /* new lead: title and company, then the window is asked to open it */
  g_ptr_array_set_size (entries, 0);
  gtk_menu_button_popup (g_ptr_array_index (buttons, 0));
  kontor_test_spin (100);
  kontor_test_collect_type (GTK_WIDGET (gtk_menu_button_get_popover (g_ptr_array_index (buttons, 0))),
                            GTK_TYPE_ENTRY, FALSE, entries);
  g_assert_cmpuint (entries->len, ==, 2);
  lead_entry = g_ptr_array_index (entries, 0);
  company_entry = g_ptr_array_index (entries, 1);
  gtk_editable_set_text (GTK_EDITABLE (lead_entry), "Messekontakt Kälteanlage");
  gtk_editable_set_text (GTK_EDITABLE (company_entry), "Eis & Co. KG");
  g_signal_emit_by_name (company_entry, "activate");
  kontor_test_spin (50);
  g_assert_cmpstr (f->opened_kind, ==, "lead");
  lead = kontor_store_get (f->ts->store, f->opened_id, NULL);
  g_assert_nonnull (lead);
  g_assert_cmpstr (kontor_record_get_string (lead, "title"), ==, "Messekontakt Kälteanlage");
  g_assert_cmpstr (kontor_record_get_string (lead, "company"), ==, "Eis & Co. KG");
  g_assert_cmpstr (kontor_record_get_string (lead, "status"), ==, "new");

  if (g_getenv ("KONTOR_TEST_PAUSE") != NULL)
    {
      kontor_test_spin (atoi (g_getenv ("KONTOR_TEST_PAUSE")));
      gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 700);
      kontor_test_spin (atoi (g_getenv ("KONTOR_TEST_PAUSE")));
    }
}

static void
test_today_empty (void)
{
  KontorTestStore *ts = kontor_test_store_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (KONTOR_TYPE_TODAY_PAGE, "store", ts->store,
                                  "today", TEST_TODAY, NULL);
  g_autoptr(GPtrArray) status = g_ptr_array_new ();
  g_autofree char *stored = kontor_store_get_setting (ts->store, "today_last_visit");

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  kontor_test_spin (200);
  /* the first visit stores its time and shows the empty state */
  g_assert_nonnull (stored);
  kontor_test_collect_type (page, ADW_TYPE_STATUS_PAGE, TRUE, status);
  g_assert_cmpuint (status->len, ==, 1);
  g_assert_cmpstr (adw_status_page_get_title (g_ptr_array_index (status, 0)), ==, "A Clear Day");

  g_free (kontor_test_create (ts->store, "activity", "type", "task", "subject", "Neu",
                              "due", "2026-12-01T10:00:00Z", NULL));
  kontor_test_spin (200);
  g_assert_false (gtk_widget_get_visible (g_ptr_array_index (status, 0)));

  gtk_window_destroy (GTK_WINDOW (window));
  kontor_test_spin (50);
  kontor_test_store_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  kontor_test_ui_init (&argc, &argv);

  g_test_add ("/ui/today/sections", Fixture, NULL, fixture_set_up, test_today_sections,
              fixture_tear_down);
  g_test_add ("/ui/today/complete", Fixture, NULL, fixture_set_up, test_today_complete,
              fixture_tear_down);
  g_test_add ("/ui/today/capture", Fixture, NULL, fixture_set_up, test_today_capture,
              fixture_tear_down);
  g_test_add_func ("/ui/today/empty", test_today_empty);

  return g_test_run ();
}
