/* kontor-transcriber.h: optional transcription of voice notes
 *
 * When a local speech engine is installed (Debian: the pocketsphinx and
 * pocketsphinx-en-us packages), a voice note's recording can be turned
 * into text that goes into the note's "transcript" field, which is
 * searchable. Nothing else depends on it: without the engine
 * kontor_transcriber_is_available() says FALSE and the app offers no
 * transcription.
 *
 * The recording is decoded with GStreamer to a 16 kHz mono WAV in a
 * temporary file and recognised by pocketsphinx_continuous, both in a
 * worker thread; the store is only touched in the thread that called
 * kontor_transcriber_transcribe_async(), when the text is there.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-store.h"

G_BEGIN_DECLS

/* Debian 12's pocketsphinx and its US English model. */
#define KONTOR_TRANSCRIBER_DEFAULT_PROGRAM "pocketsphinx_continuous"
#define KONTOR_TRANSCRIBER_DEFAULT_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"

#define KONTOR_TRANSCRIBER_ERROR (kontor_transcriber_error_quark ())

typedef enum
{
  KONTOR_TRANSCRIBER_ERROR_NO_SPEECH,   /* the engine heard no words */
  KONTOR_TRANSCRIBER_ERROR_FAILED,      /* the engine failed or the note changed meanwhile */
} KontorTranscriberError;

GQuark kontor_transcriber_error_quark (void);

#define KONTOR_TYPE_TRANSCRIBER (kontor_transcriber_get_type ())

G_DECLARE_FINAL_TYPE (KontorTranscriber, kontor_transcriber, KONTOR, TRANSCRIBER, GObject)

/* Whether the default engine (program and model) is installed. Cheap
 * enough to call whenever a recording is saved. */
gboolean           kontor_transcriber_is_available   (void);

KontorTranscriber *kontor_transcriber_new            (KontorStore        *store);
KontorStore       *kontor_transcriber_get_store      (KontorTranscriber  *self);
/* The engine program: the "program" construct property, by default
 * pocketsphinx_continuous as found in PATH (NULL when it is not). */
const char        *kontor_transcriber_get_program    (KontorTranscriber  *self);

/* Recognises the speech in note's recording and stores it in the note's
 * "transcript" field (replacing what was there). The result is the
 * updated record. Fails, leaving the note unchanged, with
 * G_IO_ERROR_NOT_SUPPORTED when no engine is installed,
 * KONTOR_MEDIA_ERROR_NOT_AVAILABLE when the recording is not on this
 * computer, KONTOR_MEDIA_ERROR_INVALID when it does not decode,
 * KONTOR_MEDIA_ERROR_MISSING_CODEC when a GStreamer element is missing,
 * KONTOR_TRANSCRIBER_ERROR_NO_SPEECH when no words were recognised,
 * KONTOR_TRANSCRIBER_ERROR_FAILED when the engine failed or the note was
 * deleted meanwhile, and G_IO_ERROR_CANCELLED. Must be called in the
 * thread that owns the store. */
void               kontor_transcriber_transcribe_async  (KontorTranscriber   *self,
                                                         KontorRecord        *note,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
KontorRecord      *kontor_transcriber_transcribe_finish (KontorTranscriber   *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
