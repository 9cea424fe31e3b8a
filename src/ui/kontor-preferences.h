/* kontor-preferences.h: the preferences window
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

/* An AdwPreferencesWindow: the replica's default phone region and
 * currency (settings of the store, they decide how typed values are
 * read), and, when settings is not NULL, the style and whether voice
 * notes download ahead of time. */
GtkWidget *kontor_preferences_window_new (KontorStore *store,
                                          GSettings   *settings);

G_END_DECLS
