/* test-transcriber.c: transcription of voice notes with pocketsphinx
 *
 * Real speech throughout: espeak-ng says English digits, GStreamer encodes
 * them to Ogg/Opus as the recorder does, the note lives in a real SQLite
 * store, and the installed pocketsphinx recognises it. Skipped (exit 77)
 * when pocketsphinx or espeak-ng is not installed.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

#include "kontor-test-server.h"
#include "kontor-transcriber.h"
#include "kontor-voice-notes.h"

/* What espeak-ng says, and the words of it pocketsphinx has to get: over
 * Opus at 32 kbit/s the en-us model hears e.g. "well you two three four
 * five six suit", so "two", "three" and "four" come through every time. */
#define SPOKEN "one two three four five six seven"
static const char * const spoken_words[] = {
  "one", "two", "three", "four", "five", "six", "seven", NULL
};
#define MIN_WORDS 3

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

typedef struct
{
  char        *dir;
  KontorStore *store;
  char        *contact_id;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(KontorRecord) contact = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kontor-transcriber-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "kontor.db", NULL);
  f->store = kontor_store_open (path, &error);
  g_assert_no_error (error);

  json_object_set_string_member (values, "first_name", "Greta");
  json_object_set_string_member (values, "last_name", "Lindqvist");
  contact = kontor_store_create (f->store, "contact", NULL, values, NULL, &error);
  g_assert_no_error (error);
  f->contact_id = g_strdup (kontor_record_get_id (contact));
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

/* Runs a gst-launch description to its end. */
static void
run_pipeline (const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;

  g_assert_no_error (error);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gerror = NULL;

      gst_message_parse_error (msg, &gerror, NULL);
      g_error ("%s failed: %s", description, gerror->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

/* Encodes the audio of source (a gst-launch fragment) to Ogg/Opus as the
 * recorder does, stores it as a voice note on the fixture's contact and
 * returns the note. */
static KontorRecord *
create_note (Fixture    *f,
             const char *source)
{
  g_autofree char *recordings = kontor_voice_notes_get_recording_dir (f->store);
  g_autofree char *ogg = g_build_filename (recordings, "speech.ogg", NULL);
  g_autofree char *description = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (ogg);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  KontorRecord *note;
  gint64 duration;

  description = g_strdup_printf ("%s ! audioconvert ! audioresample ! "
                                 "audio/x-raw,rate=48000,channels=1 ! "
                                 "opusenc bitrate=32000 ! oggmux ! filesink location=\"%s\"",
                                 source, ogg);
  run_pipeline (description);

  duration = kontor_voice_notes_probe_duration (ogg, &error);
  g_assert_no_error (error);
  g_assert_cmpint (duration, >, 0);
  hash = kontor_voice_notes_store_blob (f->store, file, &error);
  g_assert_no_error (error);
  note = kontor_voice_notes_create (f->store, hash, duration / GST_MSECOND, now,
                                    "contact", f->contact_id, "Call with Greta", &error);
  g_assert_no_error (error);
  g_assert_null (kontor_record_get_string (note, "transcript"));
  return note;
}

static KontorRecord *
create_speech_note (Fixture    *f,
                    const char *text)
{
  g_autofree char *wav = g_build_filename (f->dir, "speech.wav", NULL);
  g_autofree char *source = g_strdup_printf ("filesrc location=\"%s\" ! wavparse", wav);
  g_autoptr(GError) error = NULL;
  int status = -1;
  const char *argv[] = { "espeak-ng", "-v", "en-us", "-w", wav, text, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (wav, G_FILE_TEST_IS_REGULAR));
  return create_note (f, source);
}

typedef struct
{
  gboolean      done;
  KontorRecord *record;
  GError       *error;
} Result;

static void
result_clear (Result *r)
{
  g_clear_object (&r->record);
  g_clear_error (&r->error);
}

static void
on_transcribed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Result *r = user_data;

  r->record = kontor_transcriber_transcribe_finish (KONTOR_TRANSCRIBER (source), result,
                                                    &r->error);
  g_assert_true ((r->record == NULL) != (r->error == NULL));
  r->done = TRUE;
}

static gboolean
count_tick (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Transcribes note and waits; *ticks (may be NULL) counts 10 ms timeouts
 * the main loop ran meanwhile. */
static void
transcribe (KontorTranscriber *transcriber,
            KontorRecord      *note,
            GCancellable      *cancellable,
            Result            *r,
            guint             *ticks)
{
  guint n = 0;
  guint tick = g_timeout_add (10, count_tick, &n);

  kontor_transcriber_transcribe_async (transcriber, note, cancellable, on_transcribed, r);
  /* never finishes before the main loop runs */
  g_assert_false (r->done);
  WAIT_UNTIL (r->done, 60000, "the transcription");
  g_source_remove (tick);
  if (ticks != NULL)
    *ticks = n;
}

static gboolean
has_word (const char *text,
          const char *word)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  return g_strv_contains ((const char * const *) words, word);
}

static gboolean
search_finds (KontorStore *store,
              const char  *text,
              const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = kontor_store_search (store, text, NULL, 0, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (kontor_record_get_id (g_ptr_array_index (hits, i)), id))
      return TRUE;
  return FALSE;
}

/* What a failure must leave alone: the record's causal state (values,
 * version vector) and the outbox. */
typedef struct
{
  char  *state;
  guint  outbox;
} Snapshot;

static void
snapshot_take (Snapshot    *s,
               KontorStore *store,
               const char  *id)
{
  g_autoptr(GError) error = NULL;

  s->state = kontor_store_get_state (store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s->state);
  s->outbox = kontor_store_outbox_count (store);
}

static void
snapshot_assert_unchanged (Snapshot    *s,
                           KontorStore *store,
                           const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *now = kontor_store_get_state (store, id, &error);
  g_autoptr(KontorRecord) record = kontor_store_get (store, id, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (now, ==, s->state);
  g_assert_cmpuint (kontor_store_outbox_count (store), ==, s->outbox);
  g_assert_null (kontor_record_get_string (record, "transcript"));
  g_free (s->state);
}

static void
test_speech (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KontorRecord) note = create_speech_note (f, SPOKEN);
  g_autoptr(KontorTranscriber) transcriber = kontor_transcriber_new (f->store);
  g_autoptr(KontorRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = kontor_record_get_id (note);
  const char *transcript;
  const char *found_word = NULL;
  guint outbox = kontor_store_outbox_count (f->store);
  guint n_found = 0;
  guint ticks = 0;
  Result r = { 0 };

  g_assert_true (kontor_transcriber_is_available ());
  g_assert_nonnull (kontor_transcriber_get_program (transcriber));
  g_assert_true (kontor_transcriber_get_store (transcriber) == f->store);
  /* nothing to find before */
  g_assert_false (search_finds (f->store, "three", id));

  transcribe (transcriber, note, NULL, &r, &ticks);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.record);
  transcript = kontor_record_get_string (r.record, "transcript");
  g_assert_nonnull (transcript);
  g_test_message ("said “%s”, recognised “%s”; the main loop ran %u ticks meanwhile",
                  SPOKEN, transcript, ticks);
  /* the main loop kept running: recognition takes a good half second */
  g_assert_cmpuint (ticks, >=, 5);

  for (guint i = 0; spoken_words[i] != NULL; i++)
    if (has_word (transcript, spoken_words[i]))
      {
        n_found++;
        if (found_word == NULL)
          found_word = spoken_words[i];
      }
  g_test_message ("%u of the 7 spoken words recognised", n_found);
  g_assert_cmpuint (n_found, >=, MIN_WORDS);
  g_assert_true (has_word (transcript, "three"));

  /* stored, as a local edit that syncs, nothing else changed */
  stored = kontor_store_get (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_record_get_string (stored, "transcript"), ==, transcript);
  g_assert_cmpstr (kontor_record_get_string (stored, "audio"), ==,
                   kontor_record_get_string (note, "audio"));
  g_assert_cmpstr (kontor_record_get_string (stored, "title"), ==, "Call with Greta");
  g_assert_cmpstr (kontor_record_get_string (stored, "contact"), ==, f->contact_id);
  g_assert_cmpuint (kontor_store_outbox_count (f->store), ==, outbox + 1);

  /* the full-text search finds the note by what was said */
  g_assert_true (search_finds (f->store, found_word, id));
  g_assert_true (search_finds (f->store, "three", id));
  g_assert_true (search_finds (f->store, "THREE", id));
  g_assert_false (search_finds (f->store, "zebra", id));
  result_clear (&r);
}

static void
test_missing_audio (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KontorRecord) note = create_speech_note (f, SPOKEN);
  g_autoptr(KontorTranscriber) transcriber = kontor_transcriber_new (f->store);
  g_autoptr(GFile) file = kontor_voice_notes_get_audio_file (f->store, note);
  g_autofree char *path = g_file_get_path (file);
  Snapshot s;
  Result r = { 0 };

  /* synced from another laptop, not downloaded yet */
  g_assert_cmpint (g_unlink (path), ==, 0);
  snapshot_take (&s, f->store, kontor_record_get_id (note));

  transcribe (transcriber, note, NULL, &r, NULL);
  g_assert_error (r.error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NOT_AVAILABLE);
  g_test_message ("%s", r.error->message);
  g_assert_nonnull (strstr (r.error->message, "not on this computer"));
  g_assert_null (r.record);
  snapshot_assert_unchanged (&s, f->store, kontor_record_get_id (note));
  result_clear (&r);
}

static void
test_silence (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KontorRecord) note = create_note (f, "audiotestsrc wave=silence num-buffers=100");
  g_autoptr(KontorTranscriber) transcriber = kontor_transcriber_new (f->store);
  Snapshot s;
  Result r = { 0 };

  g_assert_cmpint (kontor_record_get_int (note, "duration_ms", 0), >=, 2000);
  snapshot_take (&s, f->store, kontor_record_get_id (note));
  transcribe (transcriber, note, NULL, &r, NULL);
  g_assert_error (r.error, KONTOR_TRANSCRIBER_ERROR, KONTOR_TRANSCRIBER_ERROR_NO_SPEECH);
  g_test_message ("%s", r.error->message);
  g_assert_null (r.record);
  snapshot_assert_unchanged (&s, f->store, kontor_record_get_id (note));
  result_clear (&r);
}

static void
test_invalid_audio (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KontorRecord) note = create_speech_note (f, SPOKEN);
  g_autoptr(KontorTranscriber) transcriber = kontor_transcriber_new (f->store);
  g_autoptr(GFile) file = kontor_voice_notes_get_audio_file (f->store, note);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  Snapshot s;
  Result r = { 0 };

  /* a damaged file where the recording should be */
  g_file_set_contents (path, "this is not an Ogg file, just some text", -1, &error);
  g_assert_no_error (error);
  snapshot_take (&s, f->store, kontor_record_get_id (note));
  transcribe (transcriber, note, NULL, &r, NULL);
  g_assert_error (r.error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID);
  g_test_message ("%s", r.error->message);
  g_assert_null (r.record);
  snapshot_assert_unchanged (&s, f->store, kontor_record_get_id (note));
  result_clear (&r);
}

static void
test_no_engine (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KontorRecord) note = create_speech_note (f, SPOKEN);
  g_autoptr(KontorTranscriber) transcriber = NULL;
  Snapshot s;
  Result r = { 0 };

  transcriber = g_object_new (KONTOR_TYPE_TRANSCRIBER, "store", f->store,
                              "program", "/nonexistent/pocketsphinx_continuous", NULL);
  g_assert_null (kontor_transcriber_get_program (transcriber));
  snapshot_take (&s, f->store, kontor_record_get_id (note));
  transcribe (transcriber, note, NULL, &r, NULL);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_test_message ("%s", r.error->message);
  g_assert_nonnull (strstr (r.error->message, "pocketsphinx"));
  snapshot_assert_unchanged (&s, f->store, kontor_record_get_id (note));
  result_clear (&r);
}

/* An engine that fails: "false" exits 1 without a word. */
static void
test_engine_fails (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KontorRecord) note = create_speech_note (f, SPOKEN);
  g_autoptr(KontorTranscriber) transcriber = NULL;
  Snapshot s;
  Result r = { 0 };

  transcriber = g_object_new (KONTOR_TYPE_TRANSCRIBER, "store", f->store,
                              "program", "false", NULL);
  g_assert_nonnull (kontor_transcriber_get_program (transcriber));
  snapshot_take (&s, f->store, kontor_record_get_id (note));
  transcribe (transcriber, note, NULL, &r, NULL);
  g_assert_error (r.error, KONTOR_TRANSCRIBER_ERROR, KONTOR_TRANSCRIBER_ERROR_FAILED);
  g_test_message ("%s", r.error->message);
  snapshot_assert_unchanged (&s, f->store, kontor_record_get_id (note));
  result_clear (&r);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KontorRecord) note = create_speech_note (f, SPOKEN);
  g_autoptr(KontorTranscriber) transcriber = kontor_transcriber_new (f->store);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Snapshot s;
  Result r = { 0 };

  snapshot_take (&s, f->store, kontor_record_get_id (note));
  kontor_transcriber_transcribe_async (transcriber, note, cancellable, on_transcribed, &r);
  g_cancellable_cancel (cancellable);
  WAIT_UNTIL (r.done, 60000, "the cancelled transcription");
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  snapshot_assert_unchanged (&s, f->store, kontor_record_get_id (note));
  result_clear (&r);
}

/* The note is deleted while the engine listens: the tombstone stays as it
 * is, without a transcript. */
static void
test_deleted_meanwhile (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KontorRecord) note = create_speech_note (f, SPOKEN);
  g_autoptr(KontorTranscriber) transcriber = kontor_transcriber_new (f->store);
  g_autoptr(KontorRecord) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *state_after = NULL;
  guint outbox;
  Result r = { 0 };

  kontor_transcriber_transcribe_async (transcriber, note, NULL, on_transcribed, &r);
  kontor_store_delete (f->store, kontor_record_get_id (note), &error);
  g_assert_no_error (error);
  state = kontor_store_get_state (f->store, kontor_record_get_id (note), &error);
  g_assert_no_error (error);
  outbox = kontor_store_outbox_count (f->store);

  WAIT_UNTIL (r.done, 60000, "the transcription");
  g_assert_error (r.error, KONTOR_TRANSCRIBER_ERROR, KONTOR_TRANSCRIBER_ERROR_FAILED);
  g_test_message ("%s", r.error->message);
  state_after = kontor_store_get_state (f->store, kontor_record_get_id (note), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (state_after, ==, state);
  g_assert_cmpuint (kontor_store_outbox_count (f->store), ==, outbox);
  after = kontor_store_get (f->store, kontor_record_get_id (note), &error);
  g_assert_no_error (error);
  g_assert_true (kontor_record_get_deleted (after));
  g_assert_null (kontor_record_get_string (after, "transcript"));
  result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *espeak = NULL;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  if (!kontor_transcriber_is_available ())
    {
      g_print ("SKIP: no speech engine (install pocketsphinx and pocketsphinx-en-us)\n");
      return 77;
    }
  espeak = g_find_program_in_path ("espeak-ng");
  if (espeak == NULL)
    {
      g_print ("SKIP: espeak-ng is not installed, so there is no speech to recognise\n");
      return 77;
    }

  g_test_add ("/transcriber/speech", Fixture, NULL, fixture_setup, test_speech,
              fixture_teardown);
  g_test_add ("/transcriber/missing-audio", Fixture, NULL, fixture_setup, test_missing_audio,
              fixture_teardown);
  g_test_add ("/transcriber/silence", Fixture, NULL, fixture_setup, test_silence,
              fixture_teardown);
  g_test_add ("/transcriber/invalid-audio", Fixture, NULL, fixture_setup, test_invalid_audio,
              fixture_teardown);
  g_test_add ("/transcriber/no-engine", Fixture, NULL, fixture_setup, test_no_engine,
              fixture_teardown);
  g_test_add ("/transcriber/engine-fails", Fixture, NULL, fixture_setup, test_engine_fails,
              fixture_teardown);
  g_test_add ("/transcriber/cancel", Fixture, NULL, fixture_setup, test_cancel,
              fixture_teardown);
  g_test_add ("/transcriber/deleted-meanwhile", Fixture, NULL, fixture_setup,
              test_deleted_meanwhile, fixture_teardown);

  return g_test_run ();
}
