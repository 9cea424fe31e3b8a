/* test-voice-notes.c: recording, recovery, playback and sync of voice notes
 *
 * Real GStreamer throughout: audiotestsrc stands in for the microphone,
 * files are decoded sample by sample to check what was saved, and sync
 * runs against a real kontor-server.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <signal.h>
#include <string.h>

#include "kontor-player.h"
#include "kontor-recorder.h"
#include "kontor-test-server.h"
#include "kontor-voice-notes.h"

#define TEST_SOURCE "audiotestsrc is-live=true wave=sine freq=440"

/* Runs the main loop until expr holds; fails after msec. */
#define WAIT_UNTIL(expr, msec, what)                                            \
  G_STMT_START {                                                                \
    gint64 _deadline = g_get_monotonic_time () + (msec) * 1000;                 \
    guint _tick = g_timeout_add (10, wake, NULL);                               \
    while (!(expr))                                                             \
      {                                                                         \
        if (g_get_monotonic_time () > _deadline)                                \
          g_error ("timed out waiting for %s", what);                           \
        g_main_context_iteration (NULL, TRUE);                                  \
      }                                                                         \
    g_source_remove (_tick);                                                    \
  } G_STMT_END

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static char *self_path;

typedef struct
{
  char        *dir;
  KontorStore *store;
  char        *contact_id;
} Fixture;

static KontorStore *
open_store (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  KontorStore *store = kontor_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static char *
create_contact (KontorStore *store)
{
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(KontorRecord) contact = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (values, "first_name", "Greta");
  json_object_set_string_member (values, "last_name", "Lindqvist");
  contact = kontor_store_create (store, "contact", NULL, values, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (kontor_record_get_id (contact));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kontor-voice-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = open_store (f->dir, "kontor.db");
  f->contact_id = create_contact (f->store);
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

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            guint64    *bytes)
{
  *bytes += gst_buffer_get_size (buffer);
}

/* Decodes path completely and returns the number of seconds of audio in
 * it, counted in samples at 48 kHz mono: proves the file is playable to
 * its end, not just that its header claims a duration. */
static double
decoded_seconds (const char *path)
{
  g_autofree char *desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! audioconvert ! "
                                           "audioresample ! audio/x-raw,format=S16LE,channels=1,"
                                           "rate=48000 ! fakesink name=sink signal-handoffs=true",
                                           path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  guint64 bytes = 0;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &bytes);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gerror = NULL;

      gst_message_parse_error (msg, &gerror, NULL);
      g_error ("%s does not decode: %s", path, gerror->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return (double) bytes / 2.0 / 48000.0;
}

static void
on_stopped (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  KontorRecord **record = user_data;
  g_autoptr(GError) error = NULL;

  *record = kontor_recorder_stop_finish (KONTOR_RECORDER (source), result, &error);
  g_assert_no_error (error);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *counter)
{
  (*counter)++;
}

/* Records seconds of test tone linked to linked_id and returns the note. */
static KontorRecord *
record_note (KontorStore *store,
             const char  *linked_id,
             double       seconds)
{
  g_autoptr(KontorRecorder) recorder = kontor_recorder_new (store, TEST_SOURCE, "contact", linked_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  KontorRecord *note = NULL;
  guint level_updates = 0;
  gint64 want = (gint64) (seconds * GST_SECOND);

  g_signal_connect (recorder, "notify::level", G_CALLBACK (count_notify), &level_updates);
  kontor_recorder_set_title (recorder, "After the meeting");
  kontor_recorder_start (recorder, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kontor_recorder_get_state (recorder), ==, KONTOR_RECORDER_STATE_RECORDING);
  location = g_strdup (kontor_recorder_get_location (recorder));
  g_assert_true (g_str_has_suffix (location, ".ogg"));

  WAIT_UNTIL (kontor_recorder_get_elapsed (recorder) >= want, 20000, "recorded time");
  /* written while recording, not only at the end */
  g_assert_true (g_file_test (location, G_FILE_TEST_IS_REGULAR));
  /* the meter moved: a 440 Hz sine at 0.8 peaks around -2 dB */
  g_assert_cmpuint (level_updates, >, 0);
  g_assert_cmpfloat (kontor_recorder_get_level (recorder), >, -10.0);
  g_assert_cmpfloat (kontor_recorder_get_level (recorder), <=, 0.0);

  kontor_recorder_stop_async (recorder, NULL, on_stopped, &note);
  WAIT_UNTIL (note != NULL, 10000, "the saved note");
  g_assert_cmpint (kontor_recorder_get_state (recorder), ==, KONTOR_RECORDER_STATE_FINISHED);
  /* moved into blob storage */
  g_assert_false (g_file_test (location, G_FILE_TEST_EXISTS));
  return note;
}

static void
test_record (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KontorRecord) note = record_note (f->store, f->contact_id, 3.0);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) linked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *recordings = kontor_voice_notes_get_recording_dir (f->store);
  gboolean found = FALSE;
  double seconds;
  gint64 probed;

  g_assert_cmpstr (kontor_record_get_kind (note), ==, "voice_note");
  g_assert_cmpstr (kontor_record_get_string (note, "contact"), ==, f->contact_id);
  g_assert_cmpstr (kontor_record_get_string (note, "title"), ==, "After the meeting");
  g_assert_nonnull (kontor_record_get_string (note, "recorded_at"));
  g_assert_cmpint (kontor_record_get_int (note, "duration_ms", 0), >=, 2800);
  g_assert_cmpint (kontor_record_get_int (note, "duration_ms", 0), <=, 3200);

  file = kontor_voice_notes_get_audio_file (f->store, note);
  g_assert_nonnull (file);
  path = g_file_get_path (file);
  kontor_blob_hash_file (file, &hash, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash, ==, kontor_record_get_string (note, "audio"));

  seconds = decoded_seconds (path);
  g_test_message ("decoded %.3f s", seconds);
  g_assert_cmpfloat (seconds, >=, 2.8);
  g_assert_cmpfloat (seconds, <=, 3.2);
  g_assert_cmpfloat (ABS (seconds * 1000 - kontor_record_get_int (note, "duration_ms", 0)), <, 50);

  probed = kontor_voice_notes_probe_duration (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (probed, >=, 2800 * GST_MSECOND);
  g_assert_cmpint (probed, <=, 3200 * GST_MSECOND);

  /* on the contact's timeline */
  linked = kontor_store_list_linked (f->store, f->contact_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < linked->len; i++)
    if (g_str_equal (kontor_record_get_id (g_ptr_array_index (linked, i)), kontor_record_get_id (note)))
      found = TRUE;
  g_assert_true (found);

  /* nothing left behind in the recordings folder */
  g_assert_cmpuint (count_files (recordings), ==, 0);

  /* deleting removes the file */
  kontor_voice_notes_delete (f->store, kontor_record_get_id (note), &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* so does a plain delete (the detail page's, an erasure) on a watched
   * store, once the main loop runs */
  {
    g_autoptr(KontorRecord) other = record_note (f->store, f->contact_id, 0.5);
    g_autoptr(GFile) other_file = kontor_voice_notes_get_audio_file (f->store, other);

    kontor_voice_notes_watch_store (f->store);
    g_assert_nonnull (other_file);
    kontor_store_delete (f->store, kontor_record_get_id (other), &error);
    g_assert_no_error (error);
    g_assert_true (g_file_query_exists (other_file, NULL));
    WAIT_UNTIL (!g_file_query_exists (other_file, NULL), 5000, "the file of the deleted note");
  }
}

static void
test_discard (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KontorRecorder) recorder = kontor_recorder_new (f->store, TEST_SOURCE, "contact",
                                                            f->contact_id);
  g_autofree char *recordings = kontor_voice_notes_get_recording_dir (f->store);
  g_autofree char *blobs = kontor_voice_notes_get_blob_dir (f->store);
  g_autoptr(KontorQuery) query = kontor_query_new ("voice_note");
  g_autoptr(GError) error = NULL;
  guint count = 99;

  kontor_recorder_start (recorder, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (kontor_recorder_get_elapsed (recorder) >= GST_SECOND, 20000, "recorded time");
  g_assert_cmpuint (count_files (recordings), ==, 2);   /* .ogg and .json */
  kontor_recorder_discard (recorder);
  g_assert_cmpint (kontor_recorder_get_state (recorder), ==, KONTOR_RECORDER_STATE_DISCARDED);
  g_assert_cmpuint (count_files (recordings), ==, 0);
  g_assert_cmpuint (count_files (blobs), ==, 0);
  kontor_store_count (f->store, query, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 0);
}

/* The child half of the kill test: records until it is killed. */
static int
child_record (const char *db_path,
              const char *contact_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) store = kontor_store_open (db_path, &error);
  g_autoptr(KontorRecorder) recorder = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  if (store == NULL)
    g_error ("child: %s", error->message);
  recorder = kontor_recorder_new (store, TEST_SOURCE, "contact", contact_id);
  if (!kontor_recorder_start (recorder, &error))
    g_error ("child: %s", error->message);
  WAIT_UNTIL (kontor_recorder_get_elapsed (recorder) > 0, 10000, "the first sound");
  g_print ("recording\n");
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}

static void
test_kill (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *db_path = g_build_filename (f->dir, "kontor.db", NULL);
  g_autofree char *recordings = kontor_voice_notes_get_recording_dir (f->store);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) recovered = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *path = NULL;
  gint64 ms;
  double seconds;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_path, "--child-record", db_path, f->contact_id, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "recording");

  g_usleep (2 * G_USEC_PER_SEC);
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* the partial file and its sidecar are there */
  g_assert_cmpuint (count_files (recordings), ==, 2);

  kontor_recorder_recover_sync (f->store, &recovered, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recovered->len, ==, 1);
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (recovered, 0), "contact"), ==,
                   f->contact_id);
  ms = kontor_record_get_int (g_ptr_array_index (recovered, 0), "duration_ms", 0);
  g_test_message ("recovered %" G_GINT64_FORMAT " ms", ms);
  g_assert_cmpint (ms, >=, 1000);
  g_assert_cmpint (ms, <=, 2600);

  file = kontor_voice_notes_get_audio_file (f->store, g_ptr_array_index (recovered, 0));
  g_assert_nonnull (file);
  path = g_file_get_path (file);
  seconds = decoded_seconds (path);
  g_test_message ("decoded %.3f s", seconds);
  g_assert_cmpfloat (seconds, >=, 1.0);
  g_assert_cmpfloat (seconds, <=, 2.6);
  g_assert_cmpfloat (ABS (seconds * 1000 - ms), <, 50);
  g_assert_cmpuint (count_files (recordings), ==, 0);

  /* a second recovery finds nothing */
  g_clear_pointer (&recovered, g_ptr_array_unref);
  kontor_recorder_recover_sync (f->store, &recovered, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recovered->len, ==, 0);
}

/* A file cut in the middle of an Ogg page (power loss while writing)
 * still becomes a note with the complete pages before the cut. */
static void
test_torn_page (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KontorRecord) note = record_note (f->store, f->contact_id, 2.0);
  g_autoptr(GFile) file = kontor_voice_notes_get_audio_file (f->store, note);
  g_autofree char *recordings = kontor_voice_notes_get_recording_dir (f->store);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *contents = NULL;
  g_autofree char *torn = g_build_filename (recordings, "torn.ogg", NULL);
  g_autofree char *sidecar = g_build_filename (recordings, "torn.json", NULL);
  g_autofree char *sidecar_text = g_strdup_printf ("{\"started_at\":\"2026-12-03T10:00:00Z\","
                                                   "\"linked_kind\":\"contact\",\"linked_id\":\"%s\"}",
                                                   f->contact_id);
  g_autoptr(GPtrArray) recovered = NULL;
  g_autoptr(GFile) recovered_file = NULL;
  g_autofree char *recovered_path = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  gint64 ms;
  double seconds;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 2000);
  /* cut 300 bytes before the end: inside the last page */
  g_file_set_contents (torn, contents, len - 300, &error);
  g_assert_no_error (error);
  g_file_set_contents (sidecar, sidecar_text, -1, &error);
  g_assert_no_error (error);

  kontor_recorder_recover_sync (f->store, &recovered, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recovered->len, ==, 1);
  ms = kontor_record_get_int (g_ptr_array_index (recovered, 0), "duration_ms", 0);
  g_assert_cmpint (ms, >=, 1000);
  g_assert_cmpint (ms, <, kontor_record_get_int (note, "duration_ms", 0));
  g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (recovered, 0), "recorded_at"), ==,
                   "2026-12-03T10:00:00Z");
  recovered_file = kontor_voice_notes_get_audio_file (f->store, g_ptr_array_index (recovered, 0));
  recovered_path = g_file_get_path (recovered_file);
  seconds = decoded_seconds (recovered_path);
  g_assert_cmpfloat (ABS (seconds * 1000 - ms), <, 50);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *recordings = kontor_voice_notes_get_recording_dir (f->store);
  g_autoptr(GError) error = NULL;

  /* no such input */
  {
    g_autoptr(KontorRecorder) recorder = kontor_recorder_new (f->store, "nosuchmicrophonesrc",
                                                              "contact", f->contact_id);

    g_assert_false (kontor_recorder_start (recorder, &error));
    g_assert_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NO_DEVICE);
    g_assert_nonnull (strstr (error->message, "nosuchmicrophonesrc"));
    g_assert_cmpint (kontor_recorder_get_state (recorder), ==, KONTOR_RECORDER_STATE_IDLE);
    g_clear_error (&error);
  }

  /* an input that produces no audio */
  {
    g_autoptr(KontorRecorder) recorder = kontor_recorder_new (f->store, "videotestsrc",
                                                              "contact", f->contact_id);

    g_assert_false (kontor_recorder_start (recorder, &error));
    g_assert_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NO_DEVICE);
    g_clear_error (&error);
  }

  /* a device that cannot be opened (there is no 99th sound card) */
  if (gst_registry_check_feature_version (gst_registry_get (), "alsasrc", 1, 0, 0))
    {
      g_autoptr(KontorRecorder) recorder = kontor_recorder_new (f->store, "alsasrc device=hw:99",
                                                                "contact", f->contact_id);

      g_assert_false (kontor_recorder_start (recorder, &error));
      g_assert_true (error->domain == KONTOR_MEDIA_ERROR);
      g_assert_true (error->code == KONTOR_MEDIA_ERROR_BUSY ||
                     error->code == KONTOR_MEDIA_ERROR_NO_DEVICE);
      g_test_message ("alsasrc: %s", error->message);
      g_clear_error (&error);
    }

  /* the Opus encoder missing: take it out of the registry for a moment */
  {
    g_autoptr(KontorRecorder) recorder = kontor_recorder_new (f->store, TEST_SOURCE,
                                                              "contact", f->contact_id);
    GstPluginFeature *opusenc = gst_registry_lookup_feature (gst_registry_get (), "opusenc");

    g_assert_nonnull (opusenc);
    gst_registry_remove_feature (gst_registry_get (), opusenc);
    g_assert_false (kontor_recorder_start (recorder, &error));
    gst_registry_add_feature (gst_registry_get (), opusenc);
    g_assert_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_MISSING_CODEC);
    g_assert_nonnull (strstr (error->message, "Opus"));
    g_clear_error (&error);
  }

  /* no file left behind by any of them */
  g_assert_cmpuint (count_files (recordings), ==, 0);

  /* stopping what never started is an error, not a crash */
  {
    g_autoptr(KontorRecorder) recorder = kontor_recorder_new (f->store, TEST_SOURCE, NULL, NULL);

    kontor_recorder_stop_async (recorder, NULL, NULL, NULL);
    kontor_recorder_discard (recorder);
    g_assert_cmpint (kontor_recorder_get_state (recorder), ==, KONTOR_RECORDER_STATE_DISCARDED);
  }
}

static void
on_failed (KontorRecorder *recorder,
           GError         *error,
           GError        **out)
{
  g_assert_null (*out);
  *out = g_error_copy (error);
}

/* The disk fills up while recording: a clear error, and what was recorded
 * is not lost (saved at once, or recovered once there is room again).
 * Needs a small file system of its own, e.g. as root:
 *   mount -t tmpfs -o size=2m tmpfs /mnt/small
 *   KONTOR_TEST_SMALL_FS=/mnt/small meson test test-voice-notes */
static void
test_disk_full (void)
{
  const char *small = g_getenv ("KONTOR_TEST_SMALL_FS");
  g_autofree char *dir = NULL;
  g_autofree char *filler = NULL;
  g_autofree char *contact_id = NULL;
  g_autoptr(KontorStore) store = NULL;
  g_autoptr(KontorRecorder) recorder = NULL;
  g_autoptr(GPtrArray) recovered = NULL;
  g_autoptr(KontorQuery) query = kontor_query_new ("voice_note");
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) failure = NULL;
  g_autofree char *chunk = g_malloc0 (4096);
  FILE *fp;

  if (small == NULL)
    {
      g_test_skip ("set KONTOR_TEST_SMALL_FS to a small file system of its own to run this");
      return;
    }

  dir = g_build_filename (small, "kontor-full-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (dir));
  store = open_store (dir, "kontor.db");
  contact_id = create_contact (store);
  recorder = kontor_recorder_new (store, TEST_SOURCE, "contact", contact_id);
  g_signal_connect (recorder, "failed", G_CALLBACK (on_failed), &failure);
  kontor_recorder_start (recorder, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (kontor_recorder_get_elapsed (recorder) >= GST_SECOND, 10000, "recorded time");

  /* fill the disk to the last byte */
  filler = g_build_filename (small, "filler", NULL);
  fp = fopen (filler, "wb");
  g_assert_nonnull (fp);
  setvbuf (fp, NULL, _IONBF, 0);
  while (fwrite (chunk, 1, 4096, fp) == 4096)
    ;
  while (fwrite (chunk, 1, 1, fp) == 1)
    ;
  fclose (fp);

  WAIT_UNTIL (failure != NULL, 30000, "the disk-full error");
  g_assert_error (failure, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_DISK_FULL);
  g_assert_cmpint (kontor_recorder_get_state (recorder), ==, KONTOR_RECORDER_STATE_FAILED);
  g_test_message ("error: %s; saved at once: %s", failure->message,
                  kontor_recorder_get_record (recorder) ? "yes" : "no");

  /* room again: recovery picks up whatever could not be saved then */
  g_unlink (filler);
  kontor_recorder_recover_sync (store, &recovered, NULL, &error);
  g_assert_no_error (error);
  notes = kontor_store_query (store, query, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpuint (recovered->len + (kontor_recorder_get_record (recorder) ? 1 : 0), ==, 1);
  g_assert_cmpint (kontor_record_get_int (g_ptr_array_index (notes, 0), "duration_ms", 0), >=, 400);

  g_clear_object (&recorder);
  g_clear_object (&store);
  kontor_test_rm_rf (dir);
}

static void
on_player_error (KontorPlayer *player,
                 GError       *error,
                 gboolean     *failed)
{
  *failed = TRUE;
}

static void
test_player (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KontorRecord) note = record_note (f->store, f->contact_id, 2.0);
  g_autoptr(GFile) file = kontor_voice_notes_get_audio_file (f->store, note);
  g_autoptr(KontorPlayer) player = kontor_player_new ("fakesink sync=true");
  gboolean failed = FALSE;
  gint64 duration;

  g_signal_connect (player, "error", G_CALLBACK (on_player_error), &failed);
  kontor_player_set_file (player, file);
  WAIT_UNTIL (kontor_player_get_duration (player) > 0, 10000, "the duration");
  duration = kontor_player_get_duration (player);
  g_assert_cmpint (ABS (duration / GST_MSECOND - kontor_record_get_int (note, "duration_ms", 0)), <, 100);

  /* seek near the end and play to the end */
  kontor_player_seek (player, duration - 500 * GST_MSECOND);
  g_assert_cmpint (kontor_player_get_position (player), ==, duration - 500 * GST_MSECOND);
  kontor_player_play (player);
  g_assert_true (kontor_player_get_playing (player));
  WAIT_UNTIL (kontor_player_get_position (player) > duration - 400 * GST_MSECOND ||
              !kontor_player_get_playing (player), 5000, "playback to advance");
  WAIT_UNTIL (!kontor_player_get_playing (player), 5000, "the end of the note");
  g_assert_cmpint (kontor_player_get_position (player), ==, 0);
  g_assert_false (failed);

  /* pause keeps the position */
  kontor_player_play (player);
  WAIT_UNTIL (kontor_player_get_position (player) >= 300 * GST_MSECOND, 5000, "playing again");
  kontor_player_pause (player);
  g_assert_false (kontor_player_get_playing (player));
  g_assert_cmpint (kontor_player_get_position (player), >=, 300 * GST_MSECOND);
  g_assert_cmpint (kontor_player_get_position (player), <, duration);
}

/* --- sync through kontor-server --------------------------------------------- */

static void
sync_store (KontorSyncClient *client,
            KontorStore      *store)
{
  g_autoptr(GError) error = NULL;

  kontor_sync_client_sync (client, store, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
on_uploaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  guint *n = user_data;
  g_autoptr(GError) error = NULL;

  kontor_voice_notes_upload_finish (KONTOR_STORE (source), result, n, &error);
  g_assert_no_error (error);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GFile **file = user_data;
  g_autoptr(GError) error = NULL;

  *file = kontor_voice_notes_fetch_finish (KONTOR_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
on_fetch_failed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GFile) file = kontor_voice_notes_fetch_finish (KONTOR_STORE (source), result, error);

  g_assert_null (file);
  g_assert_nonnull (*error);
}

static void
test_sync (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *server_dir = g_build_filename (f->dir, "server", NULL);
  g_autoptr(KontorTestServer) server = kontor_test_server_start (server_dir, 0, NULL);
  g_autoptr(KontorSyncClient) login = kontor_sync_client_new (server->url);
  g_autoptr(KontorSyncClient) client_a = kontor_sync_client_new (server->url);
  g_autoptr(KontorSyncClient) client_b = kontor_sync_client_new (server->url);
  g_autoptr(KontorStore) b = open_store (f->dir, "replica-b.db");
  g_autoptr(KontorRecord) note = NULL;
  g_autoptr(KontorRecord) note_b = NULL;
  g_autoptr(GFile) file_a = NULL;
  g_autoptr(GFile) file_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) early = NULL;
  g_autofree char *hash_a = NULL;
  g_autofree char *hash_b = NULL;
  g_autofree char *path_b = NULL;
  guint uploaded = G_MAXUINT;
  guint removed = 0;

  kontor_sync_client_login (login, "anna", "s3cret-pass", NULL, &error);
  g_assert_no_error (error);
  kontor_sync_client_set_token (client_a, kontor_sync_client_get_token (login));
  kontor_sync_client_set_token (client_b, kontor_sync_client_get_token (login));

  /* A records a note and syncs the record, but not yet the audio */
  note = record_note (f->store, f->contact_id, 1.5);
  file_a = kontor_voice_notes_get_audio_file (f->store, note);
  kontor_blob_hash_file (file_a, &hash_a, &error);
  g_assert_no_error (error);
  sync_store (client_a, f->store);

  /* B sees the record; its audio is not on the server yet: a clear error */
  sync_store (client_b, b);
  note_b = kontor_store_get (b, kontor_record_get_id (note), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_record_get_string (note_b, "contact"), ==, f->contact_id);
  g_assert_null (kontor_voice_notes_get_audio_file (b, note_b));
  kontor_voice_notes_fetch_async (b, client_b, note_b, NULL, on_fetch_failed, &early);
  WAIT_UNTIL (early != NULL, 10000, "the refused download");
  g_assert_error (early, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NOT_AVAILABLE);

  /* A uploads in the background; a second round has nothing to send */
  kontor_voice_notes_upload_async (f->store, client_a, NULL, on_uploaded, &uploaded);
  WAIT_UNTIL (uploaded != G_MAXUINT, 10000, "the upload");
  g_assert_cmpuint (uploaded, ==, 1);
  uploaded = G_MAXUINT;
  kontor_voice_notes_upload_async (f->store, client_a, NULL, on_uploaded, &uploaded);
  WAIT_UNTIL (uploaded != G_MAXUINT, 10000, "the second upload");
  g_assert_cmpuint (uploaded, ==, 0);

  /* B downloads on demand: byte-identical */
  kontor_voice_notes_fetch_async (b, client_b, note_b, NULL, on_fetched, &file_b);
  WAIT_UNTIL (file_b != NULL, 10000, "the download");
  kontor_blob_hash_file (file_b, &hash_b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash_b, ==, hash_a);
  g_assert_cmpstr (hash_b, ==, kontor_record_get_string (note_b, "audio"));
  path_b = g_file_get_path (file_b);
  g_assert_cmpfloat (ABS (decoded_seconds (path_b) - 1.5), <, 0.25);

  /* a garbage collection keeps files of live notes */
  kontor_voice_notes_collect_garbage (b, &removed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 0);
  g_assert_true (g_file_test (path_b, G_FILE_TEST_IS_REGULAR));

  /* A deletes the note; after B's next sync its file is gone too */
  kontor_voice_notes_delete (f->store, kontor_record_get_id (note), &error);
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (file_a, NULL));
  sync_store (client_a, f->store);
  sync_store (client_b, b);
  kontor_voice_notes_collect_garbage (b, &removed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 1);
  g_assert_false (g_file_test (path_b, G_FILE_TEST_EXISTS));
}

/* The app's wiring: the engine's syncs upload and clean up by themselves. */
static void
test_engine_hook (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *server_dir = g_build_filename (f->dir, "server", NULL);
  g_autoptr(KontorTestServer) server = kontor_test_server_start (server_dir, 0, NULL);
  g_autoptr(KontorSyncClient) login = kontor_sync_client_new (server->url);
  g_autoptr(KontorSyncClient) client_a = kontor_sync_client_new (server->url);
  g_autoptr(KontorSyncClient) client_b = kontor_sync_client_new (server->url);
  g_autoptr(KontorStore) b = open_store (f->dir, "replica-b.db");
  g_autoptr(KontorSyncEngine) engine_a = NULL;
  g_autoptr(KontorSyncEngine) engine_b = NULL;
  g_autoptr(KontorRecord) note = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *path_b = NULL;
  gboolean exists = FALSE;

  kontor_sync_client_login (login, "anna", "s3cret-pass", NULL, &error);
  g_assert_no_error (error);
  kontor_sync_client_set_token (client_a, kontor_sync_client_get_token (login));
  kontor_sync_client_set_token (client_b, kontor_sync_client_get_token (login));

  engine_a = kontor_sync_engine_new (f->store, client_a);
  engine_b = kontor_sync_engine_new (b, client_b);
  kontor_sync_engine_set_debounce (engine_a, 100);
  kontor_sync_engine_set_debounce (engine_b, 100);
  kontor_voice_notes_attach_to_engine (engine_a, FALSE);
  /* B fetches ahead of time */
  kontor_voice_notes_attach_to_engine (engine_b, TRUE);
  kontor_sync_engine_start (engine_a);
  kontor_sync_engine_start (engine_b);

  note = record_note (f->store, f->contact_id, 1.0);
  hash = g_strdup (kontor_record_get_string (note, "audio"));
  WAIT_UNTIL ((kontor_blob_exists (client_a, hash, &exists, NULL, NULL), exists), 20000,
              "the background upload");

  path_b = kontor_voice_notes_get_blob_path (b, hash);
  WAIT_UNTIL (g_file_test (path_b, G_FILE_TEST_IS_REGULAR), 20000, "B's prefetch");
  kontor_sync_engine_sync_now (engine_b);

  kontor_voice_notes_delete (f->store, kontor_record_get_id (note), &error);
  g_assert_no_error (error);
  WAIT_UNTIL (!g_file_test (path_b, G_FILE_TEST_EXISTS), 20000, "B's file to go");

  kontor_sync_engine_stop (engine_a);
  kontor_sync_engine_stop (engine_b);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--child-record"))
    {
      gst_init (NULL, NULL);
      return child_record (argv[2], argv[3]);
    }

  self_path = g_canonicalize_filename (argv[0], NULL);
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/voice-notes/record", Fixture, NULL, fixture_setup, test_record, fixture_teardown);
  g_test_add ("/voice-notes/discard", Fixture, NULL, fixture_setup, test_discard, fixture_teardown);
  g_test_add ("/voice-notes/kill", Fixture, NULL, fixture_setup, test_kill, fixture_teardown);
  g_test_add ("/voice-notes/torn-page", Fixture, NULL, fixture_setup, test_torn_page,
              fixture_teardown);
  g_test_add ("/voice-notes/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  g_test_add_func ("/voice-notes/disk-full", test_disk_full);
  g_test_add ("/voice-notes/player", Fixture, NULL, fixture_setup, test_player, fixture_teardown);
  g_test_add ("/voice-notes/sync", Fixture, NULL, fixture_setup, test_sync, fixture_teardown);
  g_test_add ("/voice-notes/engine-hook", Fixture, NULL, fixture_setup, test_engine_hook,
              fixture_teardown);

  return g_test_run ();
}
