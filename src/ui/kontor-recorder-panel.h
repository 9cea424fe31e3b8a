/* kontor-recorder-panel.h: records a voice note for a record
 *
 * Starts recording as soon as it is created: a live level meter, the
 * elapsed time, "Stop and Save" and "Discard". Failures (no microphone,
 * busy device, missing codec, full disk) are shown in the panel in plain
 * words; what was recorded before is kept.
 *
 * Signals:
 *   "saved" (KontorRecord *note): a voice note was saved (also one saved
 *           from a recording that failed half-way).
 *   "done": the panel has nothing more to do and can be closed.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kontor-recorder.h"
#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_RECORDER_PANEL (kontor_recorder_panel_get_type ())

G_DECLARE_FINAL_TYPE (KontorRecorderPanel, kontor_recorder_panel, KONTOR, RECORDER_PANEL, GtkWidget)

/* linked_kind: contact, organization, lead, deal or activity. Records
 * from the default microphone. */
GtkWidget      *kontor_recorder_panel_new          (KontorStore         *store,
                                                    const char          *linked_kind,
                                                    const char          *linked_id);
/* The same with a GStreamer source description instead of the default
 * microphone (tests: "audiotestsrc is-live=true"). */
GtkWidget      *kontor_recorder_panel_new_full     (KontorStore         *store,
                                                    const char          *source_description,
                                                    const char          *linked_kind,
                                                    const char          *linked_id);
KontorRecorder *kontor_recorder_panel_get_recorder (KontorRecorderPanel *self);

G_END_DECLS
