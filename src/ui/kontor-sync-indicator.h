/* kontor-sync-indicator.h: the sync state in the header bar
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-sync-controller.h"
#include "kontor-sync-engine.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_SYNC_INDICATOR (kontor_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (KontorSyncIndicator, kontor_sync_indicator, KONTOR, SYNC_INDICATOR, GtkWidget)

/* Follows engine (may be NULL: sync is off). */
GtkWidget        *kontor_sync_indicator_new                 (KontorSyncEngine     *engine);
/* Follows the controller's engine as it comes and goes; "Account…",
 * "Conflicts…" and "Refused Changes…" open their windows. */
GtkWidget        *kontor_sync_indicator_new_for_controller  (KontorSyncController *controller);

KontorSyncEngine *kontor_sync_indicator_get_engine          (KontorSyncIndicator  *self);
void              kontor_sync_indicator_set_engine          (KontorSyncIndicator  *self,
                                                             KontorSyncEngine     *engine);
KontorSyncController *
                  kontor_sync_indicator_get_controller      (KontorSyncIndicator  *self);

/* What the indicator shows, for tests: the icon name, the heading of its
 * popover ("Up to date", "Offline", …), the plain-words detail. */
const char       *kontor_sync_indicator_get_icon_name       (KontorSyncIndicator  *self);
const char       *kontor_sync_indicator_get_title           (KontorSyncIndicator  *self);
const char       *kontor_sync_indicator_get_detail          (KontorSyncIndicator  *self);

G_END_DECLS
