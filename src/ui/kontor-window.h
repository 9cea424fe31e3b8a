/* kontor-window.h: the main window; it hosts the areas and navigates
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-application.h"
#include "kontor-sync-controller.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_WINDOW (kontor_window_get_type ())
G_DECLARE_FINAL_TYPE (KontorWindow, kontor_window, KONTOR, WINDOW, AdwApplicationWindow)

KontorWindow         *kontor_window_new                 (KontorApplication *application);

/* The sidebar's areas: today, contact, organization, lead, deal, board,
 * activity. */
void                  kontor_window_set_area            (KontorWindow      *self,
                                                         const char        *name);
const char           *kontor_window_get_area            (KontorWindow      *self);
/* The page of an area (created when first asked for). */
GtkWidget            *kontor_window_get_area_page       (KontorWindow      *self,
                                                         const char        *name);
/* The open record's page, or NULL. */
GtkWidget            *kontor_window_get_record_page     (KontorWindow      *self);
KontorSyncController *kontor_window_get_sync_controller (KontorWindow      *self);
/* Size, maximized and area from settings, saved again on close. */
void                  kontor_window_restore_state       (KontorWindow      *self,
                                                         GSettings         *settings);
/* Writes every record of kind to file (CSV; vCard when the name ends in
 * .vcf) in a worker thread, on a connection of its own. */
void                  kontor_window_export_async        (KontorWindow        *self,
                                                         const char          *kind,
                                                         GFile               *file,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean              kontor_window_export_finish       (KontorWindow        *self,
                                                         GAsyncResult        *result,
                                                         guint               *n_exported,
                                                         GError             **error);
void                  kontor_window_add_toast           (KontorWindow      *self,
                                                         AdwToast          *toast);

G_END_DECLS
