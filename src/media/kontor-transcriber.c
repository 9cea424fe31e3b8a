/* kontor-transcriber.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-media"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

#include "kontor-transcriber.h"
#include "kontor-voice-notes.h"

/* What pocketsphinx's acoustic model was trained on. */
#define DECODE_PIPELINE                                                         \
  "filesrc name=src ! oggdemux ! opusdec ! audioconvert ! audioresample ! "     \
  "audio/x-raw,rate=16000,channels=1,format=S16LE ! wavenc ! filesink name=sink"

/* How often the worker looks at the cancellable while decoding. */
#define POLL_INTERVAL (100 * GST_MSECOND)

struct _KontorTranscriber
{
  GObject      parent_instance;

  KontorStore *store;
  char        *program;
};

G_DEFINE_FINAL_TYPE (KontorTranscriber, kontor_transcriber, G_TYPE_OBJECT)

G_DEFINE_QUARK (kontor-transcriber-error-quark, kontor_transcriber_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PROGRAM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- the engine ------------------------------------------------------------ */

static char *
model_path (const char *name)
{
  return g_build_filename (KONTOR_TRANSCRIBER_DEFAULT_MODEL_DIR, name, NULL);
}

static gboolean
model_is_installed (void)
{
  g_autofree char *mdef = g_build_filename (KONTOR_TRANSCRIBER_DEFAULT_MODEL_DIR,
                                            "en-us", "mdef", NULL);
  g_autofree char *lm = model_path ("en-us.lm.bin");
  g_autofree char *dict = model_path ("cmudict-en-us.dict");

  return g_file_test (mdef, G_FILE_TEST_IS_REGULAR) &&
         g_file_test (lm, G_FILE_TEST_IS_REGULAR) &&
         g_file_test (dict, G_FILE_TEST_IS_REGULAR);
}

gboolean
kontor_transcriber_is_available (void)
{
  g_autofree char *program = g_find_program_in_path (KONTOR_TRANSCRIBER_DEFAULT_PROGRAM);

  return program != NULL && model_is_installed ();
}

/* --- GObject --------------------------------------------------------------- */

static void
kontor_transcriber_finalize (GObject *object)
{
  KontorTranscriber *self = (KontorTranscriber *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->program, g_free);

  G_OBJECT_CLASS (kontor_transcriber_parent_class)->finalize (object);
}

static void
kontor_transcriber_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KontorTranscriber *self = KONTOR_TRANSCRIBER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PROGRAM:
      g_value_set_string (value, self->program);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_transcriber_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KontorTranscriber *self = KONTOR_TRANSCRIBER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_PROGRAM:
      {
        const char *program = g_value_get_string (value);

        g_free (self->program);
        self->program = g_find_program_in_path (program != NULL
                                                ? program
                                                : KONTOR_TRANSCRIBER_DEFAULT_PROGRAM);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_transcriber_class_init (KontorTranscriberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kontor_transcriber_finalize;
  object_class->get_property = kontor_transcriber_get_property;
  object_class->set_property = kontor_transcriber_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* A program name looked up in PATH, or a path; NULL for the default. */
  properties[PROP_PROGRAM] =
    g_param_spec_string ("program", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_transcriber_init (KontorTranscriber *self)
{
}

KontorTranscriber *
kontor_transcriber_new (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_TRANSCRIBER, "store", store, NULL);
}

KontorStore *
kontor_transcriber_get_store (KontorTranscriber *self)
{
  g_return_val_if_fail (KONTOR_IS_TRANSCRIBER (self), NULL);

  return self->store;
}

const char *
kontor_transcriber_get_program (KontorTranscriber *self)
{
  g_return_val_if_fail (KONTOR_IS_TRANSCRIBER (self), NULL);

  return self->program;
}

/* --- the worker ------------------------------------------------------------ */

typedef struct
{
  char  *note_id;
  char  *audio_hash;
  char  *audio_path;
  char  *program;
  GTask *outer;       /* only touched in the caller's thread */
} TranscribeData;

static void
transcribe_data_free (TranscribeData *data)
{
  g_free (data->note_id);
  g_free (data->audio_hash);
  g_free (data->audio_path);
  g_free (data->program);
  g_clear_object (&data->outer);
  g_free (data);
}

/* Decodes the Ogg/Opus file at src to a 16 kHz mono 16-bit WAV at dest;
 * blocks (runs in the worker). */
static gboolean
decode_to_wav (const char    *src,
               const char    *dest,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  gboolean ok = FALSE;

  pipeline = gst_parse_launch_full (DECODE_PIPELINE, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &local);
  if (pipeline == NULL)
    {
      g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_MISSING_CODEC,
                   _("Recordings cannot be decoded for transcription: %s"), local->message);
      return FALSE;
    }

  source = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (source, "location", src, NULL);
  g_object_set (sink, "location", dest, NULL);

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr(GError) gerror = NULL;

      if (msg != NULL)
        gst_message_parse_error (msg, &gerror, NULL);
      g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                   _("The recording could not be decoded: %s"),
                   gerror != NULL ? gerror->message : _("the pipeline did not start"));
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return FALSE;
    }

  for (;;)
    {
      g_autoptr(GstMessage) msg = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;

      msg = gst_bus_timed_pop_filtered (bus, POLL_INTERVAL, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      if (msg == NULL)
        continue;

      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS)
        {
          ok = TRUE;
        }
      else
        {
          g_autoptr(GError) gerror = NULL;
          g_autofree char *debug = NULL;

          gst_message_parse_error (msg, &gerror, &debug);
          g_debug ("Decoding %s for transcription failed: %s (%s)", src, gerror->message,
                   debug != NULL ? debug : "");
          g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                       _("The recording could not be decoded: %s"), gerror->message);
        }
      break;
    }

  /* the WAV header gets its sizes when the pipeline stops after EOS */
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ok;
}

/* The last FATAL (else ERROR) line of pocketsphinx's log, for the message. */
static char *
last_engine_error (const char *log)
{
  g_auto(GStrv) lines = g_strsplit (log != NULL ? log : "", "\n", -1);
  const char *fatal = NULL;
  const char *other = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "FATAL:"))
      fatal = lines[i];
    else if (g_str_has_prefix (lines[i], "ERROR:"))
      other = lines[i];

  return g_strdup (fatal != NULL ? fatal : other);
}

/* Runs the engine on wav and returns the recognised words on one line;
 * blocks (runs in the worker). */
static char *
recognize (const char    *program,
           const char    *wav,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *hmm = model_path ("en-us");
  g_autofree char *lm = model_path ("en-us.lm.bin");
  g_autofree char *dict = model_path ("cmudict-en-us.dict");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT |
                              G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &local,
                              program, "-infile", wav, "-hmm", hmm, "-lm", lm, "-dict", dict,
                              NULL);
  if (process == NULL)
    {
      g_set_error (error, KONTOR_TRANSCRIBER_ERROR, KONTOR_TRANSCRIBER_ERROR_FAILED,
                   _("The speech recognition could not be started: %s"), local->message);
      return NULL;
    }

  if (!g_subprocess_communicate_utf8 (process, NULL, cancellable, &out, &log, &local))
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, KONTOR_TRANSCRIBER_ERROR, KONTOR_TRANSCRIBER_ERROR_FAILED,
                     _("The speech recognition failed: %s"), local->message);
      return NULL;
    }

  /* the log has ERROR lines that do not matter (a missing <s> in an
   * utterance); a failure is a FATAL line and exit status 1 */
  if (!g_subprocess_get_successful (process))
    {
      g_autofree char *engine_error = last_engine_error (log);

      g_set_error (error, KONTOR_TRANSCRIBER_ERROR, KONTOR_TRANSCRIBER_ERROR_FAILED,
                   _("The speech recognition failed: %s"),
                   engine_error != NULL ? engine_error : _("the engine stopped with an error"));
      return NULL;
    }

  /* one line per utterance */
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] == '\0')
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, lines[i]);
    }

  if (text->len == 0)
    {
      g_set_error (error, KONTOR_TRANSCRIBER_ERROR, KONTOR_TRANSCRIBER_ERROR_NO_SPEECH,
                   _("No words were recognised in the recording."));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
transcribe_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  TranscribeData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *text = NULL;
  int fd;

  fd = g_file_open_tmp ("kontor-transcribe-XXXXXX.wav", &wav, &error);
  if (fd < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_close (fd, NULL);

  if (decode_to_wav (data->audio_path, wav, cancellable, &error))
    text = recognize (data->program, wav, cancellable, &error);
  g_unlink (wav);

  if (text == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&text), g_free);
}

/* Back in the caller's thread: the only place that writes the store. */
static void
on_recognized (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  KontorTranscriber *self = KONTOR_TRANSCRIBER (source);
  TranscribeData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GTask) outer = g_steal_pointer (&data->outer);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(KontorRecord) current = NULL;
  g_autoptr(KontorRecord) updated = NULL;
  g_autofree char *text = NULL;

  text = g_task_propagate_pointer (G_TASK (result), &error);
  if (text == NULL)
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (outer))
    return;

  /* the note may have gone, or got another recording, meanwhile */
  current = kontor_store_get (self->store, data->note_id, &error);
  if (current == NULL)
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  if (kontor_record_get_deleted (current) ||
      g_strcmp0 (kontor_record_get_string (current, "audio"), data->audio_hash) != 0)
    {
      g_task_return_new_error (outer, KONTOR_TRANSCRIBER_ERROR, KONTOR_TRANSCRIBER_ERROR_FAILED,
                               _("The voice note was changed or deleted during the "
                                 "transcription."));
      return;
    }

  changes = json_object_new ();
  json_object_set_string_member (changes, "transcript", text);
  updated = kontor_store_update (self->store, data->note_id, changes, NULL, &error);
  if (updated == NULL)
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  g_debug ("Transcribed voice note %s: %s", data->note_id, text);
  g_task_return_pointer (outer, g_steal_pointer (&updated), g_object_unref);
}

void
kontor_transcriber_transcribe_async (KontorTranscriber   *self,
                                     KontorRecord        *note,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GFile) audio = NULL;
  TranscribeData *data;
  const char *hash;

  g_return_if_fail (KONTOR_IS_TRANSCRIBER (self));
  g_return_if_fail (KONTOR_IS_RECORD (note));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_transcriber_transcribe_async);

  if (g_strcmp0 (kontor_record_get_kind (note), KONTOR_VOICE_NOTE_KIND) != 0)
    {
      g_task_return_new_error (task, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                               _("Only voice notes can be transcribed."));
      return;
    }

  if (self->program == NULL || !model_is_installed ())
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Transcription needs a speech engine. Install the packages "
                                 "“pocketsphinx” and “pocketsphinx-en-us” to use it."));
      return;
    }

  hash = kontor_record_get_string (note, "audio");
  if (hash == NULL || *hash == '\0')
    {
      g_task_return_new_error (task, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                               _("This voice note has no recording."));
      return;
    }

  audio = kontor_voice_notes_get_audio_file (self->store, note);
  if (audio == NULL)
    {
      g_task_return_new_error (task, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NOT_AVAILABLE,
                               _("The recording is not on this computer, so it cannot be "
                                 "transcribed. Play it once to download it."));
      return;
    }

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  data = g_new0 (TranscribeData, 1);
  data->note_id = g_strdup (kontor_record_get_id (note));
  data->audio_hash = g_strdup (hash);
  data->audio_path = g_file_get_path (audio);
  data->program = g_strdup (self->program);
  data->outer = g_steal_pointer (&task);

  /* the worker's result comes back in this thread's main context, where
   * on_recognized writes the store */
  worker = g_task_new (self, cancellable, on_recognized, NULL);
  g_task_set_source_tag (worker, transcribe_thread);
  g_task_set_return_on_cancel (worker, FALSE);
  g_task_set_task_data (worker, data, (GDestroyNotify) transcribe_data_free);
  g_task_run_in_thread (worker, transcribe_thread);
}

KontorRecord *
kontor_transcriber_transcribe_finish (KontorTranscriber  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (KONTOR_IS_TRANSCRIBER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        kontor_transcriber_transcribe_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
