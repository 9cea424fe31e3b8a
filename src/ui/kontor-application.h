/* kontor-application.h: the Kontor desktop application
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_APPLICATION (kontor_application_get_type ())
G_DECLARE_FINAL_TYPE (KontorApplication, kontor_application, KONTOR, APPLICATION, AdwApplication)

/* Registers the compiled-in GResource (templates, styles); idempotent.
 * Tests that build widgets without an application call it first. */
void               kontor_ui_init                  (void);

KontorApplication *kontor_application_new          (void);
/* The replica the app works on; opened on startup (--db PATH or the
 * default under XDG_DATA_HOME). NULL until then. */
KontorStore       *kontor_application_get_store    (KontorApplication *self);
GSettings         *kontor_application_get_settings (KontorApplication *self);
/* Why the database could not be opened (NULL when it was). */
const char        *kontor_application_get_open_error (KontorApplication *self);
/* TRUE when --db named a file that did not exist: it was created empty. */
gboolean           kontor_application_get_created  (KontorApplication *self);
const char        *kontor_application_get_db_path  (KontorApplication *self);
/* The app's settings, or NULL when the schema is not installed (a build
 * tree run without GSETTINGS_SCHEMA_DIR). */
GSettings         *kontor_application_lookup_settings (void);

G_END_DECLS
