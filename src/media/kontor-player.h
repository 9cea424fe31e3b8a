/* kontor-player.h: plays a voice note (playbin)
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KONTOR_TYPE_PLAYER (kontor_player_get_type ())

G_DECLARE_FINAL_TYPE (KontorPlayer, kontor_player, KONTOR, PLAYER, GObject)

/* audio_sink: a gst-launch description of the output, NULL for the
 * desktop's default ("fakesink sync=true" in tests). */
KontorPlayer *kontor_player_new          (const char    *audio_sink);
/* Loads file (NULL unloads); stops what was playing. */
void          kontor_player_set_file     (KontorPlayer  *self,
                                          GFile         *file);
GFile        *kontor_player_get_file     (KontorPlayer  *self);
void          kontor_player_play         (KontorPlayer  *self);
void          kontor_player_pause        (KontorPlayer  *self);
/* "playing"; FALSE again at the end of the file (which rewinds). */
gboolean      kontor_player_get_playing  (KontorPlayer  *self);
/* Nanoseconds; "notify::position" about ten times a second while playing,
 * "notify::duration" once known (-1 before). */
gint64        kontor_player_get_position (KontorPlayer  *self);
gint64        kontor_player_get_duration (KontorPlayer  *self);
void          kontor_player_seek         (KontorPlayer  *self,
                                          gint64         position);

G_END_DECLS
