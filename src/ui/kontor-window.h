/* kontor-window.h: the main window; it hosts the areas and navigates
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-application.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_WINDOW (kontor_window_get_type ())
G_DECLARE_FINAL_TYPE (KontorWindow, kontor_window, KONTOR, WINDOW, AdwApplicationWindow)

KontorWindow *kontor_window_new (KontorApplication *application);

G_END_DECLS
