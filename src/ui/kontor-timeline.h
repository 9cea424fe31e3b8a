/* kontor-timeline.h: rows of the 360° timeline, pluggable per kind
 *
 * The record page lists everything linked to a record by date. A feature
 * that owns a kind (voice notes, tickets, e-mails) registers a factory
 * that builds the row for records of that kind, e.g. a playback row:
 *
 *   kontor_timeline_register_row_factory ("voice_note", voice_note_row_new);
 *
 * Without a factory, a generic row (icon, title, kind and date) is used.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kontor-store.h"

G_BEGIN_DECLS

/* Returns a new widget (floating) to be placed in a GtkListBox (a
 * GtkListBoxRow or any widget, e.g. an AdwActionRow). */
typedef GtkWidget *(*KontorTimelineRowFactory) (KontorStore  *store,
                                                KontorRecord *record);

/* Registers (or, with NULL, removes) the row factory of kind. Call from
 * the main thread, e.g. when the feature initialises. */
void                     kontor_timeline_register_row_factory (const char               *kind,
                                                               KontorTimelineRowFactory  factory);
KontorTimelineRowFactory kontor_timeline_lookup_row_factory   (const char               *kind);

/* Kinds shown in the timeline (by date) rather than among linked records:
 * activities, voice notes, deals, leads and any kind with a factory. */
gboolean                 kontor_timeline_kind_is_timeline     (const char               *kind);

/* The generic row: kind icon, title, kind label and locale date; activatable,
 * with the record's id as data "kontor-record-id" and kind as "kontor-record-kind". */
GtkWidget               *kontor_timeline_generic_row_new      (KontorStore              *store,
                                                               KontorRecord             *record);
/* Symbolic icon of a kind. */
const char              *kontor_timeline_kind_icon            (const char               *kind);

G_END_DECLS
