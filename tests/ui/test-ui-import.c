/* test-ui-import.c: the import dialog with real widgets, real files from
 * the shared corpus and a real replica under Xvfb
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kontor-duplicates-window.h"
#include "kontor-import-dialog.h"
#include "kontor-ui-test.h"

/* From the shared corpus ($KONTOR_SHARED/corpus/csv), set in main(). */
static char *win1252_file;    /* 4 contacts, Windows-1252, semicolons, umlauts */
static char *no_header_file;  /* data rows where the header should be */

typedef struct
{
  KontorTestStore *ts;
  GtkWidget       *dialog;
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

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ts = kontor_test_store_new ();
  f->dialog = kontor_import_dialog_new (f->ts->store);
  gtk_window_set_default_size (GTK_WINDOW (f->dialog), 760, 900);
  gtk_window_present (GTK_WINDOW (f->dialog));
  kontor_test_spin (200);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* NULL when the dialog closed itself */
  if (f->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (f->dialog));
  kontor_test_spin (100);
  kontor_test_store_free (f->ts);
}

static GtkStack *
main_stack (Fixture *f)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  kontor_test_collect_type (f->dialog, GTK_TYPE_STACK, FALSE, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), "preview") != NULL)
      return g_ptr_array_index (stacks, i);
  g_assert_not_reached ();
}

static GtkWidget *
button_labelled (Fixture    *f,
                 const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  kontor_test_collect_type (f->dialog, GTK_TYPE_BUTTON, FALSE, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

typedef struct
{
  Fixture    *f;
  const char *page;
} WaitPage;

static gboolean
is_idle_on_page (gpointer data)
{
  WaitPage *w = data;

  return !kontor_import_dialog_get_busy (KONTOR_IMPORT_DIALOG (w->f->dialog)) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (main_stack (w->f)), w->page) == 0;
}

static void
wait_for_page (Fixture    *f,
               const char *page)
{
  WaitPage w = { f, page };

  g_assert_true (kontor_test_wait (is_idle_on_page, &w, 20000));
  kontor_test_spin (100);
}

static void
check_file (Fixture    *f,
            const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  kontor_import_dialog_set_file (KONTOR_IMPORT_DIALOG (f->dialog), file);
  g_assert_true (kontor_import_dialog_get_busy (KONTOR_IMPORT_DIALOG (f->dialog)));
  wait_for_page (f, "preview");
}

/* The preview rows (AdwExpanderRow), in file order. */
static GPtrArray *
preview_rows (Fixture *f)
{
  GPtrArray *rows = g_ptr_array_new ();

  kontor_test_collect (f->dialog, "kontor-import-preview", NULL, rows);
  return rows;
}

/* The value shown for a field label inside one preview row. */
static const char *
preview_value (GtkWidget  *row,
               const char *label)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new ();

  kontor_test_collect_type (row, ADW_TYPE_ACTION_ROW, FALSE, children);
  for (guint i = 0; i < children->len; i++)
    {
      AdwActionRow *child = g_ptr_array_index (children, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), label) == 0)
        return adw_action_row_get_subtitle (child);
    }
  return NULL;
}

static GtkLabel *
count_label (Fixture *f,
             guint    i)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  kontor_test_collect_type (f->dialog, GTK_TYPE_LABEL, FALSE, labels);
  for (guint j = 0; j < labels->len; j++)
    {
      GtkWidget *label = g_ptr_array_index (labels, j);

      if (gtk_widget_has_css_class (label, "kontor-count") && i-- == 0)
        return GTK_LABEL (label);
    }
  g_assert_not_reached ();
}

/* The label with the error of the file as a whole. */
static GtkLabel *
error_label (Fixture *f)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  kontor_test_collect_type (f->dialog, GTK_TYPE_LABEL, FALSE, labels);
  for (guint j = 0; j < labels->len; j++)
    {
      GtkWidget *label = g_ptr_array_index (labels, j);

      if (gtk_widget_has_css_class (label, "error"))
        return GTK_LABEL (label);
    }
  g_assert_not_reached ();
}

/* Counts the contacts in the store file on a connection of its own. */
static guint
count_in_file (Fixture *f,
               const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) store = kontor_store_open (kontor_store_get_path (f->ts->store), &error);
  g_autoptr(KontorQuery) query = kontor_query_new (kind);
  guint n = 0;

  g_assert_no_error (error);
  g_assert_true (kontor_store_count (store, query, &n, &error));
  g_assert_no_error (error);
  return n;
}

/* The problem rows (AdwActionRow) of the visible page's group. */
static GPtrArray *
problem_rows (Fixture *f)
{
  GPtrArray *rows = g_ptr_array_new ();
  GtkWidget *page = gtk_stack_get_visible_child (main_stack (f));

  kontor_test_collect (page, "kontor-import-problem", NULL, rows);
  return rows;
}

static void
click_import (Fixture *f)
{
  GtkWidget *import = button_labelled (f, "_Import");

  g_assert_nonnull (import);
  g_assert_true (gtk_widget_get_sensitive (import));
  gtk_widget_activate (import);
  wait_for_page (f, "summary");
}

static void
test_import_preview_and_import (Fixture       *f,
                                gconstpointer  data)
{
  static const struct
  {
    const char *title;
    const char *email;
    guint       line;
  } expected[] = {
    { "Peter Pan", "peter.pan@ecologic.eu", 2 },
    { "Maja Biene", "maja.biene@bienenstock.de", 3 },
    { "ÖzdemirÖ Üglü", "oezdemir@ueglue.tu", 4 },
    { "Weiss Cornelius", "c.weiss@metaways.de", 5 },
  };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) other = NULL;
  g_autoptr(KontorQuery) query = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const char *values[] = { "oezdemir@ueglue.tu", NULL };
  GtkWidget *summary;

  check_file (f, win1252_file);

  /* what was detected, from a Windows-1252 file with semicolons */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label (f))));
  g_assert_cmpstr (gtk_label_get_text (count_label (f, 0)), ==, "4\nwould be imported");
  g_assert_cmpstr (gtk_label_get_text (count_label (f, 2)), ==, "0\nfail");
  {
    g_autoptr(GPtrArray) combos = g_ptr_array_new ();
    gboolean seen_encoding = FALSE, seen_delimiter = FALSE;

    kontor_test_collect_type (f->dialog, ADW_TYPE_COMBO_ROW, FALSE, combos);
    for (guint i = 0; i < combos->len; i++)
      {
        AdwActionRow *row = g_ptr_array_index (combos, i);
        const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

        if (g_str_equal (title, "Encoding"))
          {
            g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Detected: WINDOWS-1252");
            seen_encoding = TRUE;
          }
        else if (g_str_equal (title, "Separator"))
          {
            g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Detected: Semicolon");
            seen_delimiter = TRUE;
          }
      }
    g_assert_true (seen_encoding);
    g_assert_true (seen_delimiter);
  }

  /* the preview: every row of the file, decoded, with its line */
  rows = preview_rows (f);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      g_autofree char *subtitle = g_strdup_printf ("Row %u · %s", expected[i].line,
                                                   expected[i].email);

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       expected[i].title);
      g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, subtitle);
      g_assert_cmpstr (preview_value (row, "E-mail"), ==, expected[i].email);
    }
  g_assert_cmpstr (preview_value (g_ptr_array_index (rows, 2), "First name"), ==, "ÖzdemirÖ");
  g_assert_cmpstr (preview_value (g_ptr_array_index (rows, 2), "Last name"), ==, "Üglü");
  problems = problem_rows (f);
  g_assert_cmpuint (problems->len, ==, 0);

  /* a dry run wrote nothing */
  g_assert_cmpuint (count_in_file (f, "contact"), ==, 0);
  adw_expander_row_set_expanded (g_ptr_array_index (rows, 2), TRUE);
  screenshot (f->dialog, "import-preview");

  click_import (f);
  summary = kontor_test_find (f->dialog, "kontor-import-imported", NULL);
  g_assert_nonnull (summary);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (summary),
                                                          "kontor-import-imported")), ==, 4 + 1);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (summary)), ==, "Import Finished");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (summary)), ==,
                   "4 imported, 0 skipped, 0 failed");
  g_assert_nonnull (button_labelled (f, "_Close"));

  /* in the file, read by another connection, with the decoded values */
  g_assert_cmpuint (count_in_file (f, "contact"), ==, 4);
  other = kontor_store_open (kontor_store_get_path (f->ts->store), &error);
  g_assert_no_error (error);
  query = kontor_query_new ("contact");
  kontor_query_add_condition (query, "email", KONTOR_QUERY_EQ, values);
  records = kontor_store_query (other, query, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (records, 0), "first_name"), ==,
                   "ÖzdemirÖ");
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (records, 0), "last_name"), ==,
                   "Üglü");
}

/* The corpus file with one more row whose e-mail is not one. */
static char *
write_bad_row_file (Fixture *f)
{
  g_autofree char *contents = NULL;
  g_autofree char *path = g_build_filename (f->ts->dir, "with-bad-row.csv", NULL);
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autoptr(GString) out = NULL;

  g_assert_true (g_file_get_contents (win1252_file, &contents, &len, &error));
  g_assert_no_error (error);
  out = g_string_new_len (contents, len);
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
  g_string_append (out, "Max;Mustermann;max.mustermann-at-example.de\n");
  g_assert_true (g_file_set_contents (path, out->str, out->len, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_import_bad_row (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = write_bad_row_file (f);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) after = NULL;
  GtkWidget *problem;
  const char *message;

  check_file (f, path);

  g_assert_cmpstr (gtk_label_get_text (count_label (f, 0)), ==, "4\nwould be imported");
  g_assert_cmpstr (gtk_label_get_text (count_label (f, 2)), ==, "1\nfails");
  rows = preview_rows (f);
  g_assert_cmpuint (rows->len, ==, 4);

  /* the bad row, by its line in the file, with the field and the reason */
  problems = problem_rows (f);
  g_assert_cmpuint (problems->len, ==, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (problem), "kontor-import-problem"), ==, "6");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (problem)), ==,
                   "Row 6 · E-mail");
  message = g_object_get_data (G_OBJECT (problem), "kontor-import-problem-message");
  g_assert_nonnull (strstr (message, "max.mustermann-at-example.de"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (problem)), ==, message);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (problem,
                                                                  ADW_TYPE_PREFERENCES_GROUP)));
  screenshot (f->dialog, "import-bad-row");

  /* the other rows go in; the summary lists the bad one again */
  click_import (f);
  g_assert_cmpuint (count_in_file (f, "contact"), ==, 4);
  after = problem_rows (f);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (after, 0)), ==,
                   "Row 6 · E-mail");
  g_assert_cmpstr (adw_status_page_get_description (
                     ADW_STATUS_PAGE (kontor_test_find (f->dialog, "kontor-import-imported",
                                                        NULL))), ==,
                   "4 imported, 0 skipped, 1 failed");
}

static void
assert_refused (Fixture    *f,
                const char *path,
                const char *expected_error)
{
  GtkLabel *label;
  GtkWidget *import;

  check_file (f, path);
  label = error_label (f);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_nonnull (strstr (gtk_label_get_text (label), expected_error));
  g_assert_cmpstr (gtk_label_get_text (count_label (f, 0)), ==, "0\nwould be imported");
  g_assert_cmpuint (preview_rows (f)->len, ==, 0);

  import = button_labelled (f, "_Import");
  g_assert_false (gtk_widget_get_sensitive (import));
  /* a click on the insensitive button does nothing */
  gtk_widget_activate (import);
  kontor_test_spin (500);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack (f)), ==, "preview");
  g_assert_cmpuint (count_in_file (f, "contact"), ==, 0);
}

static void
test_import_malformed (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (f->ts->dir, "empty.csv", NULL);
  g_autoptr(GError) error = NULL;

  /* data rows where the header should be */
  assert_refused (f, no_header_file, "No header row was found (line 1 reads");
  screenshot (f->dialog, "import-no-header");

  g_assert_true (g_file_set_contents (empty, "", 0, &error));
  g_assert_no_error (error);
  assert_refused (f, empty, "empty");

  g_unlink (empty);
}

/* A file without a header imports once its columns are chosen by hand. */
static void
test_import_columns_by_hand (Fixture       *f,
                             gconstpointer  data)
{
  static const struct
  {
    const char *column;   /* the header the file does not have: its first row */
    const char *field;    /* label of the field to choose */
  } choices[] = {
    { "John", "First name" }, { "Doe", "Last name" }, { "john@doe.invalid", "E-mail" },
  };
  g_autoptr(GPtrArray) combos = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = NULL;
  guint chosen = 0;

  check_file (f, no_header_file);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label (f))));

  kontor_test_collect_type (f->dialog, ADW_TYPE_COMBO_ROW, FALSE, combos);
  for (guint c = 0; c < G_N_ELEMENTS (choices); c++)
    for (guint i = 0; i < combos->len; i++)
      {
        AdwComboRow *row = g_ptr_array_index (combos, i);
        GListModel *model = adw_combo_row_get_model (row);

        if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                       choices[c].column) != 0)
          continue;
        for (guint j = 0; j < g_list_model_get_n_items (model); j++)
          if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), j),
                           choices[c].field))
            {
              /* each choice checks the file again, with the rows rebuilt */
              adw_combo_row_set_selected (row, j);
              wait_for_page (f, "preview");
              chosen++;
              break;
            }
        break;
      }
  g_assert_cmpuint (chosen, ==, G_N_ELEMENTS (choices));

  /* both lines are data now */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label (f))));
  g_assert_cmpstr (gtk_label_get_text (count_label (f, 0)), ==, "2\nwould be imported");
  rows = preview_rows (f);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, "John Doe");
  g_assert_cmpstr (adw_expander_row_get_subtitle (g_ptr_array_index (rows, 0)), ==,
                   "Row 1 · john@doe.invalid");
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 1)), ==, "Jane Doe");
  g_assert_cmpstr (preview_value (g_ptr_array_index (rows, 1), "E-mail"), ==, "jane@doe.invalid");

  click_import (f);
  g_assert_cmpuint (count_in_file (f, "contact"), ==, 2);
}

static gboolean
has_duplicates_window (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (KONTOR_IS_DUPLICATES_WINDOW (w))
        {
          *(GtkWidget **) data = GTK_WIDGET (w);
          return TRUE;
        }
    }
  return FALSE;
}

/* New records that match stored ones are offered for review. */
static void
test_import_review_duplicates (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *peter = kontor_test_create (f->ts->store, "contact", "first_name", "Peter",
                                               "last_name", "Pan",
                                               "email", "peter.pan@ecologic.eu", NULL);
  GtkWidget *review;
  GtkWidget *window = NULL;
  GtkWidget *pair;
  const char *ids;

  check_file (f, win1252_file);
  click_import (f);
  g_assert_cmpuint (count_in_file (f, "contact"), ==, 5);

  review = button_labelled (f, "_Review 1 Possible Duplicate");
  g_assert_nonnull (review);
  g_assert_true (gtk_widget_get_visible (review));
  g_object_ref (f->dialog);
  gtk_widget_activate (review);
  g_assert_true (kontor_test_wait (has_duplicates_window, &window, 2000));

  /* the window lists the pair of the import, not a scan of its own */
  g_assert_false (kontor_duplicates_window_get_busy (KONTOR_DUPLICATES_WINDOW (window)));
  g_assert_cmpuint (kontor_duplicates_window_get_n_candidates (KONTOR_DUPLICATES_WINDOW (window)),
                    ==, 1);
  pair = kontor_test_find (window, "kontor-duplicate-pair", NULL);
  g_assert_nonnull (pair);
  ids = g_object_get_data (G_OBJECT (pair), "kontor-duplicate-pair");
  g_assert_nonnull (strstr (ids, peter));
  /* the import dialog closed itself */
  g_assert_false (gtk_widget_get_visible (f->dialog));
  g_clear_object (&f->dialog);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  const char *shared = g_getenv ("KONTOR_SHARED");
  int ret;

  kontor_test_ui_init (&argc, &argv);

  if (shared == NULL)
    {
      g_printerr ("KONTOR_SHARED is not set: no corpus to import\n");
      return 77;
    }
  win1252_file = g_build_filename (shared, "corpus", "csv",
                                   "tine20__importtest_win1252-semicolon.csv", NULL);
  no_header_file = g_build_filename (shared, "corpus", "csv", "thunderbird__csv_no_header.csv",
                                     NULL);
  if (!g_file_test (win1252_file, G_FILE_TEST_EXISTS))
    {
      g_printerr ("%s is missing: no corpus to import\n", win1252_file);
      return 77;
    }

  g_test_add ("/ui/import/preview-and-import", Fixture, NULL, fixture_set_up,
              test_import_preview_and_import, fixture_tear_down);
  g_test_add ("/ui/import/bad-row", Fixture, NULL, fixture_set_up, test_import_bad_row,
              fixture_tear_down);
  g_test_add ("/ui/import/malformed", Fixture, NULL, fixture_set_up, test_import_malformed,
              fixture_tear_down);
  g_test_add ("/ui/import/columns-by-hand", Fixture, NULL, fixture_set_up,
              test_import_columns_by_hand, fixture_tear_down);
  g_test_add ("/ui/import/review-duplicates", Fixture, NULL, fixture_set_up,
              test_import_review_duplicates, fixture_tear_down);
  ret = g_test_run ();
  g_free (win1252_file);
  g_free (no_header_file);
  return ret;
}
