/* test-ui-duplicates.c: the duplicates window with real widgets and a real
 * replica under Xvfb: scan, compare, choose, merge, undo
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kontor-duplicates-window.h"
#include "kontor-ui-test.h"

typedef struct
{
  KontorTestStore *ts;
  char            *anna;      /* Anna Müller, created first */
  char            *anna2;     /* Anna Mueller, same e-mail */
  char            *bernd;     /* nobody's duplicate */
  char            *activity;  /* linked to anna2 */
  GtkWidget       *window;
} Fixture;

/* Saves a picture of widget as $KONTOR_TEST_SCREENSHOTS/name.png, if set. */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *dir = g_getenv ("KONTOR_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  if (dir == NULL)
    return;
  kontor_test_spin (300);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s/%s.png", dir, name);
  gdk_texture_save_to_png (texture, file);
}

static gboolean
is_idle (gpointer data)
{
  return !kontor_duplicates_window_get_busy (data);
}

static void
open_window (Fixture *f)
{
  f->window = kontor_duplicates_window_new (f->ts->store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 820);
  gtk_window_present (GTK_WINDOW (f->window));
  /* the scan of contacts starts on its own, off the UI thread */
  g_assert_true (kontor_duplicates_window_get_busy (KONTOR_DUPLICATES_WINDOW (f->window)));
  g_assert_true (kontor_test_wait (is_idle, f->window, 20000));
  kontor_test_spin (200);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  KontorStore *store;

  f->ts = kontor_test_store_new ();
  store = f->ts->store;
  g_assert_true (kontor_store_set_setting (store, "default_region", "DE", NULL));

  f->anna = kontor_test_create (store, "contact", "first_name", "Anna", "last_name", "Müller",
                                "email", "anna.mueller@example.de", "phone", "0711 1234567",
                                "job_title", "Einkauf", "lifecycle", "lead", NULL);
  /* a later millisecond: ids are UUIDv7, so Anna Müller sorts first */
  g_usleep (5000);
  f->anna2 = kontor_test_create (store, "contact", "first_name", "Anna", "last_name", "Mueller",
                                 "email", "Anna.Mueller@example.de", "phone", "0711 7654321",
                                 "job_title", "Leiterin Einkauf", "city", "Stuttgart",
                                 "lifecycle", "customer", NULL);
  f->bernd = kontor_test_create (store, "contact", "first_name", "Bernd", "last_name", "Schulz",
                                 "email", "bernd@schulz.example", NULL);
  f->activity = kontor_test_create (store, "activity", "type", "call",
                                    "subject", "Angebot nachfassen", "contact", f->anna2, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  kontor_test_spin (100);
  g_free (f->anna);
  g_free (f->anna2);
  g_free (f->bernd);
  g_free (f->activity);
  kontor_test_store_free (f->ts);
}

static guint
n_candidates (Fixture *f)
{
  return kontor_duplicates_window_get_n_candidates (KONTOR_DUPLICATES_WINDOW (f->window));
}

static GtkWidget *
button_labelled (GtkWidget  *root,
                 const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  kontor_test_collect_type (root, GTK_TYPE_BUTTON, FALSE, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

static GtkStack *
stack_with (Fixture    *f,
            const char *page)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  kontor_test_collect_type (f->window, GTK_TYPE_STACK, FALSE, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), page) != NULL)
      return g_ptr_array_index (stacks, i);
  g_assert_not_reached ();
}

/* The text of every label below root, joined by newlines. */
static char *
labels_text (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);

  kontor_test_collect_type (root, GTK_TYPE_LABEL, TRUE, labels);
  for (guint i = 0; i < labels->len; i++)
    g_string_append_printf (out, "%s\n", gtk_label_get_text (g_ptr_array_index (labels, i)));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The choice button of field for source ("first", "second", "both"). */
static GtkWidget *
choice_button (Fixture    *f,
               const char *field,
               const char *source)
{
  GtkWidget *box = kontor_test_find (f->window, "kontor-merge-field", field);

  g_assert_nonnull (box);
  return kontor_test_find (box, "kontor-merge-source", source);
}

static KontorRecord *
get (Fixture    *f,
     const char *id)
{
  g_autoptr(GError) error = NULL;
  KontorRecord *record = kontor_store_get (f->ts->store, id, &error);

  g_assert_no_error (error);
  return record;
}

static guint
count_contacts (Fixture *f)
{
  g_autoptr(KontorQuery) query = kontor_query_new ("contact");
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (kontor_store_count (f->ts->store, query, &n, &error));
  g_assert_no_error (error);
  return n;
}

static void
test_duplicates_merge_and_undo (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *pair = g_strdup_printf ("%s %s", f->anna, f->anna2);
  g_autofree char *list_text = NULL;
  g_autofree char *detail_text = NULL;
  GtkWidget *row;
  GtkWidget *job_first, *job_second, *phone_first, *city_second;
  GtkWidget *same;
  GtkStack *detail;

  open_window (f);

  /* one pair: the two Annas, not Bernd, with the score and its reasons */
  g_assert_cmpuint (n_candidates (f), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack_with (f, "scanning")), ==, "list");
  row = kontor_test_find (f->window, "kontor-duplicate-pair", NULL);
  g_assert_nonnull (row);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "kontor-duplicate-pair"), ==, pair);
  list_text = labels_text (row);
  g_assert_nonnull (strstr (list_text, "Anna Müller ↔ Anna Mueller\n"));
  g_assert_nonnull (strstr (list_text, "same e-mail anna.mueller@example.de"));
  g_assert_nonnull (strstr (list_text, "similar name"));
  g_assert_null (strstr (list_text, "Schulz"));

  /* the best pair is compared field by field at once, and stays so when
   * chosen */
  detail = stack_with (f, "compare");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (detail), ==, "compare");
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row)));
  g_signal_emit_by_name (row, "activate");
  kontor_test_spin (200);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (detail), ==, "compare");
  detail_text = labels_text (gtk_stack_get_visible_child (detail));
  g_assert_nonnull (strstr (detail_text, "• same e-mail anna.mueller@example.de\n"));
  g_assert_nonnull (strstr (detail_text, "• similar name"));
  g_assert_nonnull (strstr (detail_text, "“Anna Müller” is kept; 1 record linked to "
                                         "“Anna Mueller” moves to it."));
  /* choices as people read them, not as stored */
  g_assert_nonnull (strstr (detail_text, "Lead\n"));
  g_assert_nonnull (strstr (detail_text, "Customer\n"));
  g_assert_null (strstr (detail_text, "customer\n"));

  /* equal values are shown once (the e-mail domain is stored lower-case,
   * the local part as typed, so it differs) */
  same = kontor_test_find (f->window, "kontor-merge-field", "first_name");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (same), "kontor-merge-same"), ==, "Anna");
  g_assert_null (choice_button (f, "first_name", "first"));

  /* differing values: a button per record, the kept record's by default */
  job_first = choice_button (f, "job_title", "first");
  job_second = choice_button (f, "job_title", "second");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (job_first), "kontor-merge-value"), ==, "Einkauf");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (job_second), "kontor-merge-value"), ==,
                   "Leiterin Einkauf");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (job_first)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (job_second)));
  phone_first = choice_button (f, "phone", "first");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (phone_first), "kontor-merge-value"), ==,
                   "+497111234567");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (phone_first)));
  /* a value only the other has is taken unless the user says otherwise */
  city_second = choice_button (f, "city", "second");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (city_second), "kontor-merge-value"), ==,
                   "Stuttgart");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (city_second)));
  g_assert_cmpstr (g_object_get_data (G_OBJECT (choice_button (f, "city", "first")),
                                      "kontor-merge-value"), ==, "(empty)");

  /* the user takes the second record's job title */
  /* (a button's "activate" clicks after a short press animation) */
  gtk_widget_activate (job_second);
  kontor_test_spin (400);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (job_second)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (job_first)));
  g_assert_true (gtk_widget_has_css_class (job_second, "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (job_first, "suggested-action"));
  screenshot (f->window, "duplicates");

  gtk_widget_activate (button_labelled (f->window, "_Merge"));
  kontor_test_spin (400);

  /* one record with the chosen values, the other a tombstone, the
   * activity moved */
  {
    g_autoptr(KontorRecord) kept = get (f, f->anna);
    g_autoptr(KontorRecord) gone = get (f, f->anna2);
    g_autoptr(KontorRecord) act = get (f, f->activity);

    g_assert_false (kontor_record_get_deleted (kept));
    g_assert_true (kontor_record_get_deleted (gone));
    g_assert_cmpstr (kontor_record_get_string (kept, "last_name"), ==, "Müller");
    g_assert_cmpstr (kontor_record_get_string (kept, "job_title"), ==, "Leiterin Einkauf");
    g_assert_cmpstr (kontor_record_get_string (kept, "phone"), ==, "+497111234567");
    g_assert_cmpstr (kontor_record_get_string (kept, "city"), ==, "Stuttgart");
    g_assert_cmpstr (kontor_record_get_string (kept, "email"), ==, "anna.mueller@example.de");
    g_assert_cmpstr (kontor_record_get_string (act, "contact"), ==, f->anna);
    g_assert_cmpuint (count_contacts (f), ==, 2);
  }
  g_assert_cmpuint (n_candidates (f), ==, 0);
  g_assert_null (kontor_test_find (f->window, "kontor-duplicate-pair", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (detail), ==, "merged");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack_with (f, "scanning")), ==, "empty");
  {
    g_autofree char *merged_text = labels_text (gtk_stack_get_visible_child (detail));

    g_assert_nonnull (strstr (merged_text, "“Anna Müller” and “Anna Mueller” merged"));
  }
  screenshot (f->window, "duplicates-merged");

  /* "Undo Merge" brings both back as they were, and the pair */
  g_assert_true (gtk_widget_get_sensitive (button_labelled (f->window, "_Undo Merge")));
  gtk_widget_activate (button_labelled (f->window, "_Undo Merge"));
  kontor_test_spin (400);
  {
    g_autoptr(KontorRecord) a = get (f, f->anna);
    g_autoptr(KontorRecord) b = get (f, f->anna2);
    g_autoptr(KontorRecord) act = get (f, f->activity);

    g_assert_false (kontor_record_get_deleted (a));
    g_assert_false (kontor_record_get_deleted (b));
    g_assert_cmpstr (kontor_record_get_string (a, "job_title"), ==, "Einkauf");
    g_assert_null (kontor_record_get_string (a, "city"));
    g_assert_cmpstr (kontor_record_get_string (b, "job_title"), ==, "Leiterin Einkauf");
    g_assert_cmpstr (kontor_record_get_string (b, "last_name"), ==, "Mueller");
    g_assert_cmpstr (kontor_record_get_string (act, "contact"), ==, f->anna2);
    g_assert_cmpuint (count_contacts (f), ==, 3);
  }
  g_assert_cmpuint (n_candidates (f), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (detail), ==, "compare");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (kontor_test_find (f->window,
                                                                  "kontor-duplicate-pair", NULL)),
                                      "kontor-duplicate-pair"), ==, pair);
  /* nothing left to undo */
  g_assert_false (gtk_widget_get_sensitive (button_labelled (f->window, "_Undo Merge")));
}

/* The toast's action undoes as well. */
static void
test_duplicates_undo_action (Fixture       *f,
                             gconstpointer  data)
{
  open_window (f);
  g_signal_emit_by_name (kontor_test_find (f->window, "kontor-duplicate-pair", NULL), "activate");
  kontor_test_spin (100);
  gtk_widget_activate (button_labelled (f->window, "_Merge"));
  kontor_test_spin (400);
  {
    g_autoptr(KontorRecord) gone = get (f, f->anna2);

    g_assert_true (kontor_record_get_deleted (gone));
  }
  g_assert_true (gtk_widget_activate_action (f->window, "duplicates.undo-merge", NULL));
  kontor_test_spin (100);
  {
    g_autoptr(KontorRecord) back = get (f, f->anna2);
    g_autoptr(KontorRecord) act = get (f, f->activity);

    g_assert_false (kontor_record_get_deleted (back));
    g_assert_cmpstr (kontor_record_get_string (act, "contact"), ==, f->anna2);
  }
  g_assert_cmpuint (n_candidates (f), ==, 1);
}

/* "Not a Duplicate" hides the pair, also from the next scan. */
static void
test_duplicates_dismiss (Fixture       *f,
                         gconstpointer  data)
{
  open_window (f);
  g_signal_emit_by_name (kontor_test_find (f->window, "kontor-duplicate-pair", NULL), "activate");
  kontor_test_spin (100);
  gtk_widget_activate (button_labelled (f->window, "_Not a Duplicate"));
  kontor_test_spin (400);
  g_assert_cmpuint (n_candidates (f), ==, 0);
  g_assert_cmpuint (count_contacts (f), ==, 3);

  kontor_duplicates_window_scan (KONTOR_DUPLICATES_WINDOW (f->window), "contact");
  g_assert_true (kontor_duplicates_window_get_busy (KONTOR_DUPLICATES_WINDOW (f->window)));
  g_assert_true (kontor_test_wait (is_idle, f->window, 20000));
  g_assert_cmpuint (n_candidates (f), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack_with (f, "scanning")), ==, "empty");
}

static gboolean
has_no_candidates (gpointer window)
{
  return kontor_duplicates_window_get_n_candidates (window) == 0;
}

static gboolean
has_candidates (gpointer window)
{
  return kontor_duplicates_window_get_n_candidates (window) > 0;
}

/* The toast's Undo offers a dismissed pair again, now and after a scan. */
static void
test_duplicates_dismiss_undo (Fixture       *f,
                              gconstpointer  data)
{
  open_window (f);
  g_signal_emit_by_name (kontor_test_find (f->window, "kontor-duplicate-pair", NULL), "activate");
  kontor_test_spin (100);
  gtk_widget_activate (button_labelled (f->window, "_Not a Duplicate"));
  g_assert_true (kontor_test_wait (has_no_candidates, f->window, 5000));

  g_assert_true (gtk_widget_activate_action (f->window, "duplicates.undo-dismiss", NULL));
  g_assert_true (kontor_test_wait (has_candidates, f->window, 5000));
  g_assert_cmpuint (n_candidates (f), ==, 1);
  {
    g_autofree char *text = labels_text (kontor_test_find (f->window, "kontor-duplicate-pair",
                                                           NULL));

    g_assert_nonnull (strstr (text, "Anna"));
  }

  /* no longer remembered as dismissed */
  kontor_duplicates_window_scan (KONTOR_DUPLICATES_WINDOW (f->window), "contact");
  g_assert_true (kontor_test_wait (is_idle, f->window, 20000));
  kontor_test_spin (100);
  g_assert_cmpuint (n_candidates (f), ==, 1);
}

/* The drop-down scans organizations. */
static void
test_duplicates_organizations (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *a = kontor_test_create (f->ts->store, "organization",
                                           "name", "Bäckerei Müller GmbH",
                                           "website", "https://baeckerei-mueller.example", NULL);
  g_autofree char *b = NULL;
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  g_autofree char *text = NULL;

  g_usleep (5000);
  b = kontor_test_create (f->ts->store, "organization", "name", "Baeckerei Mueller GmbH",
                          "website", "https://baeckerei-mueller.example/", NULL);
  open_window (f);
  kontor_test_collect_type (f->window, GTK_TYPE_DROP_DOWN, FALSE, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (
                      g_ptr_array_index (dropdowns, 0))), ==, 2);
  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 0), 1);
  g_assert_true (kontor_duplicates_window_get_busy (KONTOR_DUPLICATES_WINDOW (f->window)));
  g_assert_true (kontor_test_wait (is_idle, f->window, 20000));
  kontor_test_spin (100);

  g_assert_cmpuint (n_candidates (f), ==, 1);
  text = labels_text (kontor_test_find (f->window, "kontor-duplicate-pair", NULL));
  g_assert_nonnull (strstr (text, "Bäckerei Müller GmbH ↔ Baeckerei Mueller GmbH"));
  g_assert_nonnull (strstr (text, "same website"));
}

/* At 360 px the list and the comparison are one page each. */
static void
test_duplicates_narrow (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) leaflets = g_ptr_array_new ();
  AdwLeaflet *leaflet;
  GtkWidget *sidebar;

  open_window (f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 700);
  kontor_test_spin (400);
  kontor_test_collect_type (f->window, ADW_TYPE_LEAFLET, FALSE, leaflets);
  g_assert_cmpuint (leaflets->len, ==, 1);
  leaflet = g_ptr_array_index (leaflets, 0);
  g_assert_true (adw_leaflet_get_folded (leaflet));
  sidebar = adw_leaflet_get_visible_child (leaflet);
  g_assert_true (gtk_widget_is_ancestor (kontor_test_find (f->window, "kontor-duplicate-pair",
                                                           NULL), sidebar));
  screenshot (f->window, "duplicates-360-list");

  /* choosing the pair goes to the comparison, "Back" to the list */
  g_signal_emit_by_name (kontor_test_find (f->window, "kontor-duplicate-pair", NULL), "activate");
  kontor_test_spin (400);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) != sidebar);
  g_assert_true (gtk_widget_is_ancestor (button_labelled (f->window, "_Merge"),
                                         adw_leaflet_get_visible_child (leaflet)));
  screenshot (f->window, "duplicates-360-compare");
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (
    GTK_WIDGET (choice_button (f, "job_title", "second")))));
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    GtkWidget *back = NULL;

    kontor_test_collect_type (f->window, GTK_TYPE_BUTTON, TRUE, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, i)), "Back") == 0)
        back = g_ptr_array_index (buttons, i);
    g_assert_nonnull (back);
    gtk_widget_activate (back);
    kontor_test_spin (600);
  }
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == sidebar);
}

int
main (int    argc,
      char **argv)
{
  kontor_test_ui_init (&argc, &argv);

  g_test_add ("/ui/duplicates/merge-and-undo", Fixture, NULL, fixture_set_up,
              test_duplicates_merge_and_undo, fixture_tear_down);
  g_test_add ("/ui/duplicates/undo-action", Fixture, NULL, fixture_set_up,
              test_duplicates_undo_action, fixture_tear_down);
  g_test_add ("/ui/duplicates/dismiss-undo", Fixture, NULL, fixture_set_up,
              test_duplicates_dismiss_undo, fixture_tear_down);
  g_test_add ("/ui/duplicates/dismiss", Fixture, NULL, fixture_set_up, test_duplicates_dismiss,
              fixture_tear_down);
  g_test_add ("/ui/duplicates/organizations", Fixture, NULL, fixture_set_up,
              test_duplicates_organizations, fixture_tear_down);
  g_test_add ("/ui/duplicates/narrow", Fixture, NULL, fixture_set_up, test_duplicates_narrow,
              fixture_tear_down);
  return g_test_run ();
}
