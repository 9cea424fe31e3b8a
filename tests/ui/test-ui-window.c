/* test-ui-window.c: the main window with real widgets and a real replica:
 * a contact created through the form, seen in the list, found by search,
 * edited, deleted and brought back with Undo; the window folding at
 * 360 px; bad input refused with the field's message.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kontor-record-list-page.h"
#include "kontor-record-page.h"
#include "kontor-ui-test.h"
#include "kontor-voice-notes.h"
#include "kontor-window.h"

typedef struct
{
  KontorTestStore *ts;
  KontorWindow    *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->ts = kontor_test_store_new ();
  g_assert_true (kontor_store_set_setting (f->ts->store, "default_region", "DE", &error));
  g_assert_no_error (error);
  f->window = g_object_new (KONTOR_TYPE_WINDOW, "store", f->ts->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), GPOINTER_TO_INT (data) ? GPOINTER_TO_INT (data) : 1280, 760);
  gtk_window_present (GTK_WINDOW (f->window));
  kontor_test_spin (300);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  kontor_test_spin (100);
  kontor_test_store_free (f->ts);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  kontor_test_collect_type (root, GTK_TYPE_BUTTON, TRUE, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

static KontorRecordPage *
record_page (Fixture *f)
{
  GtkWidget *page = kontor_window_get_record_page (f->window);

  g_assert_true (KONTOR_IS_RECORD_PAGE (page));
  return KONTOR_RECORD_PAGE (page);
}

static void
type_into (KontorRecordPage *page,
           const char       *field,
           const char       *text)
{
  GtkWidget *row = kontor_record_page_get_field_row (page, field);

  g_assert_true (ADW_IS_ENTRY_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static guint
list_items (KontorRecordListPage *list)
{
  return g_list_model_get_n_items (kontor_record_list_page_get_model (list));
}

static char *
list_title (KontorRecordListPage *list,
            guint                 position)
{
  g_autoptr(KontorRecord) record = g_list_model_get_item (kontor_record_list_page_get_model (list),
                                                          position);

  return record ? g_strdup (kontor_record_get_title (record)) : NULL;
}

static void
search_for (KontorRecordListPage *list,
            const char           *text)
{
  GtkWidget *entry = kontor_record_list_page_get_search_entry (list);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* the search entry waits a moment before it searches */
  kontor_test_spin (600);
}

static void
test_contact_lifecycle (Fixture       *f,
                        gconstpointer  data)
{
  KontorStore *store = f->ts->store;
  KontorRecordListPage *list;
  KontorRecordPage *page;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) stored = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  GtkWidget *create;

  kontor_window_set_area (f->window, "contact");
  g_assert_cmpstr (kontor_window_get_area (f->window), ==, "contact");
  list = KONTOR_RECORD_LIST_PAGE (kontor_window_get_area_page (f->window, "contact"));
  g_assert_cmpuint (list_items (list), ==, 0);

  /* Ctrl+N's action opens an empty form for the area's kind */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-record", NULL));
  kontor_test_spin (100);
  page = record_page (f);
  g_assert_cmpstr (kontor_record_page_get_kind (page), ==, "contact");
  g_assert_null (kontor_record_page_get_record (page));

  /* a bad e-mail address is refused with the field's message, nothing stored */
  type_into (page, "first_name", "Jürgen");
  type_into (page, "last_name", "Weiß");
  type_into (page, "email", "juergen.weiss(at)example");
  create = find_button (GTK_WIDGET (page), "_Create");
  g_assert_nonnull (create);
  g_signal_emit_by_name (create, "clicked");
  kontor_test_spin (100);
  g_assert_nonnull (kontor_record_page_get_field_error (page, "email"));
  g_assert_cmpuint (list_items (list), ==, 0);
  g_assert_true (kontor_window_get_record_page (f->window) == GTK_WIDGET (page));

  /* fixed, it is created; the window shows the new record's own page */
  type_into (page, "email", "Juergen.Weiss@Example.DE");
  type_into (page, "phone", "0711 / 123 45-6");
  g_signal_emit_by_name (create, "clicked");
  kontor_test_spin (300);
  page = record_page (f);
  g_assert_nonnull (kontor_record_page_get_record (page));
  id = g_strdup (kontor_record_get_id (kontor_record_page_get_record (page)));
  stored = kontor_store_get (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (kontor_record_get_value (stored, "last_name")), ==, "Weiß");
  g_assert_cmpstr (json_node_get_string (kontor_record_get_value (stored, "email")), ==,
                   "Juergen.Weiss@example.de");
  g_assert_cmpstr (json_node_get_string (kontor_record_get_value (stored, "phone")), ==,
                   "+49711123456");
  g_clear_object (&stored);

  /* the list shows it */
  g_assert_cmpuint (list_items (list), ==, 1);
  title = list_title (list, 0);
  g_assert_cmpstr (title, ==, kontor_record_get_title (kontor_record_page_get_record (page)));
  g_assert_nonnull (strstr (title, "Weiß"));

  /* search folds case and German spellings; a miss shows nothing */
  g_free (kontor_test_create (store, "contact", "first_name", "Anna", "last_name", "Schmidt", NULL));
  kontor_test_spin (200);
  g_assert_cmpuint (list_items (list), ==, 2);
  search_for (list, "weiss");
  g_assert_cmpuint (list_items (list), ==, 1);
  g_clear_pointer (&title, g_free);
  title = list_title (list, 0);
  g_assert_nonnull (strstr (title, "Weiß"));
  search_for (list, "zzzz");
  g_assert_cmpuint (list_items (list), ==, 0);
  search_for (list, "");
  g_assert_cmpuint (list_items (list), ==, 2);

  /* edit a field in place: the apply button saves it, normalised */
  type_into (page, "phone", "+49 89 9876543");
  g_signal_emit_by_name (kontor_record_page_get_field_row (page, "phone"), "apply");
  kontor_test_spin (100);
  stored = kontor_store_get (store, id, &error);
  g_assert_cmpstr (json_node_get_string (kontor_record_get_value (stored, "phone")), ==,
                   "+49899876543");
  g_clear_object (&stored);
  /* and a bad edit is refused with its message and leaves the stored value */
  type_into (page, "email", "no-at-sign");
  g_signal_emit_by_name (kontor_record_page_get_field_row (page, "email"), "apply");
  kontor_test_spin (100);
  g_assert_nonnull (kontor_record_page_get_field_error (page, "email"));
  stored = kontor_store_get (store, id, &error);
  g_assert_cmpstr (json_node_get_string (kontor_record_get_value (stored, "email")), ==,
                   "Juergen.Weiss@example.de");
  g_clear_object (&stored);
  /* Escape (revert) gives the row its stored value back, the message gone */
  g_assert_true (kontor_record_page_revert_field (page, "email"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kontor_record_page_get_field_row (page, "email"))),
                   ==, "Juergen.Weiss@example.de");
  g_assert_null (kontor_record_page_get_field_error (page, "email"));

  /* delete: a tombstone, gone from the list, the page closed */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.delete-record", "s", id));
  kontor_test_spin (200);
  stored = kontor_store_get (store, id, &error);
  g_assert_no_error (error);
  g_assert_true (kontor_record_get_deleted (stored));
  g_clear_object (&stored);
  g_assert_cmpuint (list_items (list), ==, 1);
  g_assert_null (kontor_window_get_record_page (f->window));

  /* the toast's Undo brings it back with its values */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-delete", "s", id));
  kontor_test_spin (200);
  stored = kontor_store_get (store, id, &error);
  g_assert_false (kontor_record_get_deleted (stored));
  g_assert_cmpstr (json_node_get_string (kontor_record_get_value (stored, "phone")), ==,
                   "+49899876543");
  g_assert_cmpuint (list_items (list), ==, 2);
  page = record_page (f);
  g_assert_cmpstr (kontor_record_get_id (kontor_record_page_get_record (page)), ==, id);
}

/* Undo of a deleted voice note brings its audio back too: the file is
 * held from the clean-up that runs after every change. */
static void
test_voice_note_undo (Fixture       *f,
                      gconstpointer  data)
{
  KontorStore *store = f->ts->store;
  g_autoptr(GError) error = NULL;
  g_autofree char *contact = kontor_test_create (store, "contact", "last_name", "Jäger", NULL);
  g_autofree char *src_path = g_build_filename (f->ts->dir, "note.ogg", NULL);
  g_autoptr(GFile) src = g_file_new_for_path (src_path);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(KontorRecord) note = NULL;
  g_autoptr(KontorRecord) back = NULL;
  g_autoptr(GFile) audio = NULL;
  g_autofree char *hash = NULL;

  g_assert_true (g_file_set_contents (src_path, "OggS not really audio, but bytes to keep", -1, &error));
  hash = kontor_voice_notes_store_blob (store, src, &error);
  g_assert_no_error (error);
  note = kontor_voice_notes_create (store, hash, 1500, now, "contact", contact, "Nach dem Termin", &error);
  g_assert_no_error (error);
  audio = kontor_voice_notes_get_audio_file (store, note);
  g_assert_true (g_file_query_exists (audio, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.delete-record", "s",
                                             kontor_record_get_id (note)));
  /* the clean-up after the change has run (an idle), the file stays */
  kontor_test_spin (500);
  back = kontor_store_get (store, kontor_record_get_id (note), &error);
  g_assert_true (kontor_record_get_deleted (back));
  g_clear_object (&back);
  g_assert_true (g_file_query_exists (audio, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-delete", "s",
                                             kontor_record_get_id (note)));
  kontor_test_spin (300);
  back = kontor_store_get (store, kontor_record_get_id (note), &error);
  g_assert_false (kontor_record_get_deleted (back));
  g_assert_cmpstr (kontor_record_get_string (back, "audio"), ==, hash);
  g_assert_true (g_file_query_exists (audio, NULL));
}

static void
test_areas (Fixture       *f,
            gconstpointer  data)
{
  static const char *const names[] = { "today", "contact", "organization", "lead", "deal",
                                       "board", "activity" };

  /* the window starts on Today and every area opens */
  g_assert_cmpstr (kontor_window_get_area (f->window), ==, "today");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.area", "s", names[i]));
      kontor_test_spin (50);
      g_assert_cmpstr (kontor_window_get_area (f->window), ==, names[i]);
      g_assert_nonnull (kontor_window_get_area_page (f->window, names[i]));
    }
  /* New on the activities creates an activity, on the board a deal */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-record", NULL);
  kontor_test_spin (50);
  g_assert_cmpstr (kontor_record_page_get_kind (record_page (f)), ==, "activity");
  kontor_window_set_area (f->window, "board");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-record", NULL);
  kontor_test_spin (50);
  g_assert_cmpstr (kontor_record_page_get_kind (record_page (f)), ==, "deal");
  /* an unknown area changes nothing */
  kontor_window_set_area (f->window, "nowhere");
  g_assert_cmpstr (kontor_window_get_area (f->window), ==, "board");
}

static AdwLeaflet *
leaflet_of (Fixture *f)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  kontor_test_collect_type (GTK_WIDGET (f->window), ADW_TYPE_LEAFLET, FALSE, found);
  g_assert_cmpuint (found->len, >=, 1);
  return g_ptr_array_index (found, 0);
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  AdwLeaflet *leaflet = leaflet_of (f);
  g_autofree char *id = kontor_test_create (f->ts->store, "contact", "last_name", "Groß", NULL);

  /* 360 px: one pane at a time */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 400);
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-record", "(ss)", "contact", id);
  kontor_test_spin (400);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "detail");
  /* back walks to the list, then to the areas */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.go-back", NULL);
  kontor_test_spin (400);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  g_assert_null (kontor_window_get_record_page (f->window));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.go-back", NULL);
  kontor_test_spin (400);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");
  /* choosing an area shows it */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.area", "s", "contact");
  kontor_test_spin (400);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
}

static void
test_wide (Fixture       *f,
           gconstpointer  data)
{
  AdwLeaflet *leaflet = leaflet_of (f);
  g_autofree char *id = kontor_test_create (f->ts->store, "contact", "last_name", "Groß", NULL);

  GtkWidget *focus, *first_row;

  g_assert_false (adw_leaflet_get_folded (leaflet));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-record", "(ss)", "contact", id);
  kontor_test_spin (200);
  g_assert_nonnull (kontor_window_get_record_page (f->window));
  /* the keyboard is in the form's first field, not on Delete: a second
   * Return after opening a record must not delete it */
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  first_row = kontor_record_page_get_field_row (record_page (f), "first_name");
  g_assert_nonnull (focus);
  g_assert_true (focus == first_row || gtk_widget_is_ancestor (focus, first_row));

  /* another area closes the record of the one left */
  kontor_window_set_area (f->window, "board");
  kontor_test_spin (100);
  g_assert_null (kontor_window_get_record_page (f->window));
  kontor_window_set_area (f->window, "contact");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-record", "(ss)", "contact", id);
  kontor_test_spin (200);
  /* back closes the record pane on a wide window */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.go-back", NULL);
  kontor_test_spin (200);
  g_assert_null (kontor_window_get_record_page (f->window));
  g_assert_false (adw_leaflet_get_folded (leaflet));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  guint     n;
  GError   *error;
} ExportWait;

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportWait *w = user_data;

  w->ok = kontor_window_export_finish (KONTOR_WINDOW (source), result, &w->n, &w->error);
  w->done = TRUE;
}

static gboolean
export_done (gpointer data)
{
  return ((ExportWait *) data)->done;
}

static char *
export_to (Fixture    *f,
           const char *name,
           ExportWait *w)
{
  g_autofree char *path = g_build_filename (f->ts->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  char *contents = NULL;

  kontor_window_export_async (f->window, "contact", file, NULL, on_export_done, w);
  /* the export runs beside the main loop, not in it */
  g_assert_false (w->done);
  g_assert_true (kontor_test_wait (export_done, w, 10000));
  if (w->ok)
    {
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_unlink (path);
    }
  return contents;
}

/* Export writes every contact, umlauts intact, as CSV or vCard by the
 * file's name; a folder that is not there is a clear error. */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  ExportWait csv = { 0 }, vcf = { 0 }, bad = { 0 };
  g_autofree char *csv_text = NULL;
  g_autofree char *vcf_text = NULL;
  g_autofree char *bad_text = NULL;
  guint cards = 0;

  g_free (kontor_test_create (f->ts->store, "contact", "first_name", "Jürgen", "last_name", "Weiß", NULL));
  g_free (kontor_test_create (f->ts->store, "contact", "last_name", "Groß", NULL));
  g_free (kontor_test_create (f->ts->store, "contact", "last_name", "Özdemir", NULL));

  csv_text = export_to (f, "kontakte.csv", &csv);
  g_assert_no_error (csv.error);
  g_assert_cmpuint (csv.n, ==, 3);
  g_assert_nonnull (strstr (csv_text, "Weiß"));
  g_assert_nonnull (strstr (csv_text, "Özdemir"));

  vcf_text = export_to (f, "kontakte.vcf", &vcf);
  g_assert_no_error (vcf.error);
  g_assert_cmpuint (vcf.n, ==, 3);
  for (const char *p = vcf_text; (p = strstr (p, "BEGIN:VCARD")) != NULL; p++)
    cards++;
  g_assert_cmpuint (cards, ==, 3);
  g_assert_nonnull (strstr (vcf_text, "Groß"));

  bad_text = export_to (f, "no-such-folder/kontakte.csv", &bad);
  g_assert_false (bad.ok);
  g_assert_error (bad.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&bad.error);
}

/* Without a database the window says so, and its actions are off: a
 * shortcut there must not reach for a store that is not there. */
static void
test_no_store (void)
{
  KontorWindow *window = g_object_new (KONTOR_TYPE_WINDOW, NULL);
  g_autoptr(GPtrArray) status = g_ptr_array_new ();

  gtk_window_present (GTK_WINDOW (window));
  kontor_test_spin (100);
  kontor_test_collect_type (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, TRUE, status);
  g_assert_cmpuint (status->len, ==, 1);
  g_assert_cmpstr (adw_status_page_get_title (g_ptr_array_index (status, 0)), ==,
                   "The Database Cannot Be Opened");
  /* disabled: nothing runs (run, they would reach for the store: a
   * critical, fatal in the tests) */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-record", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.area", "s", "contact");
  kontor_test_spin (50);
  g_assert_null (kontor_window_get_record_page (window));
  g_assert_null (kontor_window_get_area (window));
  gtk_window_destroy (GTK_WINDOW (window));
  kontor_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  kontor_test_ui_init (&argc, &argv);

  g_test_add ("/ui/window/contact-lifecycle", Fixture, NULL, fixture_set_up,
              test_contact_lifecycle, fixture_tear_down);
  g_test_add ("/ui/window/voice-note-undo", Fixture, NULL, fixture_set_up, test_voice_note_undo,
              fixture_tear_down);
  g_test_add_func ("/ui/window/no-store", test_no_store);
  g_test_add ("/ui/window/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/ui/window/areas", Fixture, NULL, fixture_set_up, test_areas, fixture_tear_down);
  g_test_add ("/ui/window/narrow", Fixture, GINT_TO_POINTER (360), fixture_set_up, test_narrow,
              fixture_tear_down);
  g_test_add ("/ui/window/wide", Fixture, GINT_TO_POINTER (1400), fixture_set_up, test_wide,
              fixture_tear_down);

  return g_test_run ();
}
