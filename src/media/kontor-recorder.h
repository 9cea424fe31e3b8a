/* kontor-recorder.h: records a voice note with GStreamer
 *
 * source → audioconvert → audioresample → level → opusenc → oggmux →
 * filesink, written while recording into the store's recordings folder
 * with Ogg pages flushed at least every half second, so a crash or power
 * loss keeps all but the last moment. Stopping sends EOS, waits for the
 * file to be complete, moves it into content-addressed storage and creates
 * the voice_note record. A recording cut short by a crash is turned into a
 * voice note by kontor_recorder_recover_sync() on the next start.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-store.h"
#include "kontor-voice-notes.h"

G_BEGIN_DECLS

/* The desktop's default microphone (PipeWire, PulseAudio or ALSA). */
#define KONTOR_RECORDER_DEFAULT_SOURCE "autoaudiosrc"

typedef enum
{
  KONTOR_RECORDER_STATE_IDLE,
  KONTOR_RECORDER_STATE_RECORDING,
  KONTOR_RECORDER_STATE_STOPPING,
  KONTOR_RECORDER_STATE_FINISHED,   /* the voice note was saved */
  KONTOR_RECORDER_STATE_DISCARDED,
  KONTOR_RECORDER_STATE_FAILED,     /* see "error"; what was recorded is kept */
} KontorRecorderState;

GType kontor_recorder_state_get_type (void) G_GNUC_CONST;
#define KONTOR_TYPE_RECORDER_STATE (kontor_recorder_state_get_type ())

#define KONTOR_TYPE_RECORDER (kontor_recorder_get_type ())

G_DECLARE_FINAL_TYPE (KontorRecorder, kontor_recorder, KONTOR, RECORDER, GObject)

/* source_description: a gst-launch description of the microphone, NULL
 * for KONTOR_RECORDER_DEFAULT_SOURCE ("audiotestsrc is-live=true" in
 * tests). linked_kind/linked_id: the record the note is about (may be
 * NULL). */
KontorRecorder      *kontor_recorder_new                (KontorStore      *store,
                                                         const char       *source_description,
                                                         const char       *linked_kind,
                                                         const char       *linked_id);
KontorStore         *kontor_recorder_get_store          (KontorRecorder   *self);
const char          *kontor_recorder_get_source_description (KontorRecorder *self);
KontorRecorderState  kontor_recorder_get_state          (KontorRecorder   *self);
/* Peak level of the last 100 ms in dB (-100 … 0); "notify::level". */
double               kontor_recorder_get_level          (KontorRecorder   *self);
/* Recorded time in nanoseconds; "notify::elapsed" about ten times a second. */
gint64               kontor_recorder_get_elapsed        (KontorRecorder   *self);
/* The failure that stopped the recording, or NULL. */
const GError        *kontor_recorder_get_error          (KontorRecorder   *self);
/* The voice note saved by the last stop (or from a recording that failed
 * half-way), or NULL. */
KontorRecord        *kontor_recorder_get_record         (KontorRecorder   *self);
/* The file being written (NULL before start). */
const char          *kontor_recorder_get_location       (KontorRecorder   *self);
void                 kontor_recorder_set_title          (KontorRecorder   *self,
                                                         const char       *title);

/* Starts recording. Fails with KONTOR_MEDIA_ERROR (NO_DEVICE, BUSY,
 * MISSING_CODEC, WRITE) when the pipeline cannot start. Errors during
 * the recording set state FAILED and emit "failed"; what was recorded up
 * to then is saved as a voice note when possible, otherwise left for
 * recovery. */
gboolean             kontor_recorder_start              (KontorRecorder   *self,
                                                         GError          **error);
/* Ends the recording and saves it; the result is the new voice_note
 * record. */
void                 kontor_recorder_stop_async         (KontorRecorder   *self,
                                                         GCancellable     *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer          user_data);
KontorRecord        *kontor_recorder_stop_finish        (KontorRecorder   *self,
                                                         GAsyncResult     *result,
                                                         GError          **error);
/* Stops and throws the recording away. */
void                 kontor_recorder_discard            (KontorRecorder   *self);

/* Turns partial recordings left in the store's recordings folder by a
 * crash into voice notes linked to the record they were for. Blocks
 * (reads each file); call once at start-up, before any recorder runs.
 * recovered (may be NULL) receives the new records. */
gboolean             kontor_recorder_recover_sync       (KontorStore      *store,
                                                         GPtrArray       **recovered,
                                                         GCancellable     *cancellable,
                                                         GError          **error);

G_END_DECLS
