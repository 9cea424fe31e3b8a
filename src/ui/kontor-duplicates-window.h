/* kontor-duplicates-window.h: pairs of records that may be one, to merge
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_DUPLICATES_WINDOW (kontor_duplicates_window_get_type ())

G_DECLARE_FINAL_TYPE (KontorDuplicatesWindow, kontor_duplicates_window, KONTOR, DUPLICATES_WINDOW, AdwWindow)

/* Lists possible duplicates with their score and reasons; for one pair
 * shows both records field by field side by side, the user picks which
 * value survives per field, and "Merge" merges them (kontor-merge: links
 * move to the kept record, the merge is recorded and can be undone from
 * the toast or the "Undo Merge" button). "Not a Duplicate" hides a pair
 * for good (kept in the store's settings). Starts a scan of contacts
 * (off the UI thread, on a connection of its own) when created. The
 * "busy" property is TRUE while a scan runs. */
GtkWidget *kontor_duplicates_window_new            (KontorStore            *store);
/* Scans the records of kind ("contact" or "organization") again. */
void       kontor_duplicates_window_scan           (KontorDuplicatesWindow *self,
                                                    const char             *kind);
/* Shows candidates (KontorDuplicateCandidate, copied) of kind instead of
 * a scan's, e.g. those an import found. */
void       kontor_duplicates_window_set_candidates (KontorDuplicatesWindow *self,
                                                    const char             *kind,
                                                    GPtrArray              *candidates);
guint      kontor_duplicates_window_get_n_candidates (KontorDuplicatesWindow *self);
gboolean   kontor_duplicates_window_get_busy       (KontorDuplicatesWindow *self);

G_END_DECLS
