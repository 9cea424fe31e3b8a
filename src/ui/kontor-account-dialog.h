/* kontor-account-dialog.h: sign in to (and out of) the sync server
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-sync-controller.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_ACCOUNT_DIALOG (kontor_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (KontorAccountDialog, kontor_account_dialog, KONTOR, ACCOUNT_DIALOG, AdwWindow)

GtkWidget  *kontor_account_dialog_new       (KontorSyncController *controller);
/* The error shown inline under the form, or NULL (for tests). */
const char *kontor_account_dialog_get_error (KontorAccountDialog  *self);
/* TRUE while signing in or out. */
gboolean    kontor_account_dialog_get_busy  (KontorAccountDialog  *self);

G_END_DECLS
