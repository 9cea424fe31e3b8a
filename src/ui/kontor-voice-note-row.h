/* kontor-voice-note-row.h: a voice note on the timeline
 *
 * Title, when and who, play/pause, a position scale to seek and the
 * duration. Audio that is not on this computer yet is downloaded when
 * play is pressed, through the client set with
 * kontor_voice_note_row_set_sync_client().
 *
 * Matches KontorTimelineRowFactory:
 *   kontor_timeline_register_row_factory ("voice_note", kontor_voice_note_row_new);
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kontor-player.h"
#include "kontor-store.h"
#include "kontor-sync-client.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_VOICE_NOTE_ROW (kontor_voice_note_row_get_type ())

G_DECLARE_FINAL_TYPE (KontorVoiceNoteRow, kontor_voice_note_row, KONTOR, VOICE_NOTE_ROW, GtkListBoxRow)

GtkWidget    *kontor_voice_note_row_new             (KontorStore        *store,
                                                     KontorRecord       *note);
KontorPlayer *kontor_voice_note_row_get_player      (KontorVoiceNoteRow *self);
/* Starts playing (downloading first when needed); the play button. */
void          kontor_voice_note_row_toggle_play     (KontorVoiceNoteRow *self);

/* The signed-in client for downloads (NULL when signed out); set by the
 * app whenever the sync engine changes. Shared by all rows. */
void          kontor_voice_note_row_set_sync_client (KontorSyncClient   *client);
/* Where rows play to: NULL for the desktop's output (tests use
 * "fakesink sync=true"). */
void          kontor_voice_note_row_set_audio_sink  (const char         *description);

G_END_DECLS
