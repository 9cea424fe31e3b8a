/* kontor-import-dialog.h: a file into the store, after a preview
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_IMPORT_DIALOG (kontor_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (KontorImportDialog, kontor_import_dialog, KONTOR, IMPORT_DIALOG, AdwWindow)

/* A modal window that asks for a CSV, vCard or iCalendar file, checks it
 * in a dry run (off the UI thread, on a connection of its own to the
 * store's file), shows the detected format, encoding, separator and
 * column mapping for changing, the first records and every problem by
 * row, and imports on "Import" with progress and a summary. Possible
 * duplicates of the new records are offered for review at the end.
 * The "busy" property is TRUE while a check or an import runs. */
GtkWidget *kontor_import_dialog_new      (KontorStore        *store);
/* Checks file as if it had been chosen (for tests and drag and drop). */
void       kontor_import_dialog_set_file (KontorImportDialog *self,
                                          GFile              *file);
gboolean   kontor_import_dialog_get_busy (KontorImportDialog *self);

G_END_DECLS
