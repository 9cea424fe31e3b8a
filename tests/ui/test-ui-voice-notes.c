/* test-ui-voice-notes.c: the recorder panel and the voice note row
 *
 * Real widgets under Xvfb and real GStreamer (audiotestsrc as the
 * microphone, fakesink as the speakers). With KONTOR_SCREENSHOT_DIR set,
 * the recorder and a timeline of voice notes are saved as PNG files, wide
 * and 360 px narrow, for the README.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gst/gst.h>
#include <string.h>

#include "kontor-application.h"
#include "kontor-recorder-panel.h"
#include "kontor-test-server.h"
#include "kontor-voice-note-row.h"
#include "kontor-voice-notes.h"

#define TEST_SOURCE "audiotestsrc is-live=true wave=sine freq=330 volume=0.5"

typedef struct
{
  char        *dir;
  KontorStore *store;
  char        *contact_id;
} Fixture;

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

#define WAIT_UNTIL(expr, msec, what)                                            \
  G_STMT_START {                                                                \
    gint64 _deadline = g_get_monotonic_time () + (msec) * 1000;                 \
    while (!(expr))                                                             \
      {                                                                         \
        if (g_get_monotonic_time () > _deadline)                                \
          g_error ("timed out waiting for %s", what);                           \
        spin (10);                                                              \
      }                                                                         \
  } G_STMT_END

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *w = find_named (c, name);

      if (w != NULL)
        return w;
    }
  return NULL;
}

static char *
create_record (KontorStore *store,
               const char  *kind,
               const char  *f1,
               const char  *v1,
               const char  *f2,
               const char  *v2)
{
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(KontorRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (values, f1, v1);
  if (f2 != NULL)
    json_object_set_string_member (values, f2, v2);
  record = kontor_store_create (store, kind, NULL, values, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (kontor_record_get_id (record));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *user = NULL;

  f->dir = g_dir_make_tmp ("kontor-ui-voice-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "kontor.db", NULL);
  f->store = kontor_store_open (path, &error);
  g_assert_no_error (error);
  f->contact_id = create_record (f->store, "contact", "first_name", "Greta", "last_name", "Lindqvist");
  user = create_record (f->store, "user", "name", "Anna Roth", NULL, NULL);
  kontor_store_set_setting (f->store, "current_user", user, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  kontor_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->contact_id);
}

/* Saves what window shows as name.png in $KONTOR_SCREENSHOT_DIR. */
static void
screenshot (GtkWidget  *window,
            const char *name)
{
  const char *dir = g_getenv ("KONTOR_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  graphene_rect_t bounds;

  if (dir == NULL)
    return;

  spin (300);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window),
                          gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  graphene_rect_init (&bounds, 0, 0, gtk_widget_get_width (window), gtk_widget_get_height (window));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, &bounds);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

static GtkWidget *
new_window (int width,
            int height)
{
  GtkWidget *window = adw_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  return window;
}

static void
on_saved (KontorRecorderPanel *panel,
          KontorRecord        *note,
          KontorRecord       **out)
{
  g_set_object (out, note);
}

static void
on_done (KontorRecorderPanel *panel,
         gboolean            *done)
{
  *done = TRUE;
}

static gint64 last_elapsed_ms;

static KontorRecord *
record_through_panel (Fixture    *f,
                      double      seconds,
                      const char *shot)
{
  GtkWidget *window = new_window (480, 220);
  GtkWidget *panel = kontor_recorder_panel_new_full (f->store, TEST_SOURCE, "contact", f->contact_id);
  KontorRecorder *recorder = kontor_recorder_panel_get_recorder (KONTOR_RECORDER_PANEL (panel));
  GtkLevelBar *level;
  GtkLabel *elapsed;
  KontorRecord *note = NULL;
  gboolean done = FALSE;

  g_signal_connect (panel, "saved", G_CALLBACK (on_saved), &note);
  g_signal_connect (panel, "done", G_CALLBACK (on_done), &done);
  adw_window_set_content (ADW_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_cmpint (kontor_recorder_get_state (recorder), ==, KONTOR_RECORDER_STATE_RECORDING);
  level = GTK_LEVEL_BAR (find_named (panel, "level-bar"));
  elapsed = GTK_LABEL (find_named (panel, "elapsed-label"));
  g_assert_false (gtk_widget_get_visible (find_named (panel, "error-label")));

  WAIT_UNTIL (kontor_recorder_get_elapsed (recorder) >= (gint64) (seconds * GST_SECOND), 20000,
              "recorded time");
  /* the meter shows the tone: -6 dB peak is 0.9 on the 60 dB scale */
  g_assert_cmpfloat (gtk_level_bar_get_value (level), >, 0.8);
  g_assert_cmpfloat (gtk_level_bar_get_value (level), <, 0.95);
  g_assert_cmpstr (gtk_label_get_text (elapsed), !=, "0:00");
  if (shot != NULL)
    {
      screenshot (window, shot);
      gtk_window_set_default_size (GTK_WINDOW (window), 360, 220);
      spin (200);
      {
        g_autofree char *narrow = g_strconcat (shot, "-360", NULL);
        screenshot (window, narrow);
      }
    }

  last_elapsed_ms = kontor_recorder_get_elapsed (recorder) / GST_MSECOND;
  g_signal_emit_by_name (find_named (panel, "stop-button"), "clicked");
  WAIT_UNTIL (done, 10000, "the panel to finish");
  g_assert_nonnull (note);
  gtk_window_destroy (GTK_WINDOW (window));
  return note;
}

static void
test_panel_records (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KontorRecord) note = record_through_panel (f, 1.5, "voice-recorder");
  g_autoptr(GPtrArray) linked = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ms = kontor_record_get_int (note, "duration_ms", 0);

  g_assert_cmpstr (kontor_record_get_kind (note), ==, "voice_note");
  g_assert_cmpstr (kontor_record_get_string (note, "contact"), ==, f->contact_id);
  g_assert_nonnull (kontor_record_get_string (note, "owner"));
  /* what the panel showed when stop was pressed (screenshots take time) */
  g_assert_cmpint (ms, >=, 1400);
  g_assert_cmpint (ms, >=, last_elapsed_ms - 200);
  g_assert_cmpint (ms, <=, last_elapsed_ms + 300);
  linked = kontor_store_list_linked (f->store, f->contact_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (linked->len, ==, 1);
}

static void
test_panel_error (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *window = new_window (480, 220);
  GtkWidget *panel = kontor_recorder_panel_new_full (f->store, "nosuchmicrophonesrc", "contact",
                                                     f->contact_id);
  GtkWidget *error_label = find_named (panel, "error-label");
  gboolean done = FALSE;

  g_signal_connect (panel, "done", G_CALLBACK (on_done), &done);
  adw_window_set_content (ADW_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  spin (100);

  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "nosuchmicrophonesrc"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (panel, "status-label"))), ==,
                   "Cannot Record");
  g_assert_false (gtk_widget_get_visible (find_named (panel, "stop-button")));
  screenshot (window, "voice-recorder-error");

  /* the one button left closes the panel */
  g_signal_emit_by_name (find_named (panel, "discard-button"), "clicked");
  g_assert_true (done);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_row_plays (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KontorRecord) first = record_through_panel (f, 2.0, NULL);
  g_autoptr(KontorRecord) second = NULL;
  GtkWidget *window = new_window (720, 400);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *row;
  GtkWidget *other;
  KontorPlayer *player;
  GtkLabel *time_label;
  GtkRange *scale;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) renamed = NULL;

  json_object_set_string_member (changes, "title", "Pricing call with Greta");
  renamed = kontor_store_update (f->store, kontor_record_get_id (first), changes, NULL, &error);
  g_assert_no_error (error);
  second = record_through_panel (f, 1.0, NULL);

  kontor_voice_note_row_set_audio_sink ("fakesink sync=true");
  row = kontor_voice_note_row_new (f->store, renamed);
  other = kontor_voice_note_row_new (f->store, second);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_list_box_append (GTK_LIST_BOX (list), other);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_margin_start (list, 12);
  gtk_widget_set_margin_end (list, 12);
  gtk_widget_set_margin_top (list, 12);
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  adw_window_set_content (ADW_WINDOW (window), scroller);
  gtk_window_present (GTK_WINDOW (window));
  spin (100);

  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "kontor-record-kind"), ==, "voice_note");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (row, "title-label"))), ==,
                   "Pricing call with Greta");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_named (other, "title-label"))), ==,
                   "Voice note");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find_named (row, "subtitle-label"))),
                            "Anna Roth"));
  time_label = GTK_LABEL (find_named (row, "time-label"));
  g_assert_cmpstr (gtk_label_get_text (time_label), ==, "0:02");

  player = kontor_voice_note_row_get_player (KONTOR_VOICE_NOTE_ROW (row));
  scale = GTK_RANGE (find_named (row, "position-scale"));
  /* nothing loaded until used */
  g_assert_null (kontor_player_get_file (player));

  /* seeking with the scale loads the file and moves the player */
  gtk_range_set_value (scale, 1.0);
  g_assert_nonnull (kontor_player_get_file (player));
  g_assert_cmpint (kontor_player_get_position (player), ==, GST_SECOND);
  WAIT_UNTIL (kontor_player_get_duration (player) > 0, 10000, "the duration");

  g_signal_emit_by_name (find_named (row, "play-button"), "clicked");
  g_assert_true (kontor_player_get_playing (player));
  /* the first position the playing pipeline reports is after the seek */
  WAIT_UNTIL (kontor_player_get_position (player) != GST_SECOND, 5000, "the first position");
  g_assert_cmpint (kontor_player_get_position (player), >, GST_SECOND);
  WAIT_UNTIL (kontor_player_get_position (player) >= 1300 * GST_MSECOND, 5000, "playback");
  g_assert_cmpfloat (gtk_range_get_value (scale), >=, 1.3);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find_named (row, "play-button")), ==, "Pause");
  g_assert_nonnull (strstr (gtk_label_get_text (time_label), " / 0:02"));
  g_signal_emit_by_name (find_named (row, "play-button"), "clicked");
  g_assert_false (kontor_player_get_playing (player));

  screenshot (window, "voice-timeline");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 400);
  spin (200);
  screenshot (window, "voice-timeline-360");

  /* to the end: back to the start, ready to play again */
  /* starting the other note pauses this one */
  g_signal_emit_by_name (find_named (row, "play-button"), "clicked");
  g_assert_true (kontor_player_get_playing (player));
  g_signal_emit_by_name (find_named (other, "play-button"), "clicked");
  g_assert_true (kontor_player_get_playing (kontor_voice_note_row_get_player (KONTOR_VOICE_NOTE_ROW (other))));
  g_assert_false (kontor_player_get_playing (player));
  g_signal_emit_by_name (find_named (other, "play-button"), "clicked");

  g_signal_emit_by_name (find_named (row, "play-button"), "clicked");
  WAIT_UNTIL (!kontor_player_get_playing (player), 5000, "the end");
  g_assert_cmpint (kontor_player_get_position (player), ==, 0);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find_named (row, "play-button")), ==, "Play");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A note whose audio is on no server and not here: a clear message. */
static void
test_row_missing_audio (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KontorRecord) note = NULL;
  GtkWidget *window = new_window (480, 200);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row;
  GtkWidget *status;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  kontor_voice_note_row_set_sync_client (NULL);
  note = kontor_voice_notes_create (f->store, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                    4000, now, "contact", f->contact_id, NULL, &error);
  g_assert_no_error (error);
  row = kontor_voice_note_row_new (f->store, note);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  adw_window_set_content (ADW_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_false (gtk_widget_get_sensitive (find_named (row, "position-scale")));
  g_signal_emit_by_name (find_named (row, "play-button"), "clicked");
  status = find_named (row, "status-label");
  WAIT_UNTIL (gtk_widget_has_css_class (status, "error"), 5000, "the error");
  g_assert_true (gtk_widget_get_visible (status));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "not on this computer"));
  g_assert_false (kontor_player_get_playing (kontor_voice_note_row_get_player (KONTOR_VOICE_NOTE_ROW (row))));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  kontor_ui_init ();

  g_test_add ("/ui/voice-notes/panel-records", Fixture, NULL, fixture_setup, test_panel_records,
              fixture_teardown);
  g_test_add ("/ui/voice-notes/panel-error", Fixture, NULL, fixture_setup, test_panel_error,
              fixture_teardown);
  g_test_add ("/ui/voice-notes/row-plays", Fixture, NULL, fixture_setup, test_row_plays,
              fixture_teardown);
  g_test_add ("/ui/voice-notes/row-missing-audio", Fixture, NULL, fixture_setup,
              test_row_missing_audio, fixture_teardown);

  return g_test_run ();
}
