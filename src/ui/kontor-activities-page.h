/* kontor-activities-page.h: tasks and appointments by when they are due
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_ACTIVITIES_PAGE (kontor_activities_page_get_type ())
G_DECLARE_FINAL_TYPE (KontorActivitiesPage, kontor_activities_page, KONTOR, ACTIVITIES_PAGE, AdwBin)

/* Properties: "store" (construct only), "today" (ISO date, NULL for the
 * real today), "view" ("today", "overdue", "upcoming" or "all").
 * Signals: "open-record" (const char *kind, const char *id) when a row is
 * activated; "done-changed" (const char *id, gboolean done) after a check
 * button changed an activity in the store (an undo toast is shown when an
 * AdwToastOverlay is above the page; without one, the host can offer undo
 * from this signal).
 * Each view's GtkListView is named "<view>-list"; rows carry the object
 * data "kontor-id". */
GtkWidget   *kontor_activities_page_new        (KontorStore          *store);
const char  *kontor_activities_page_get_today  (KontorActivitiesPage *self);
void         kontor_activities_page_set_today  (KontorActivitiesPage *self,
                                                const char           *today);
const char  *kontor_activities_page_get_view   (KontorActivitiesPage *self);
void         kontor_activities_page_set_view   (KontorActivitiesPage *self,
                                                const char           *view);
/* The list model of one view (items are KontorRecord), for tests. */
GListModel  *kontor_activities_page_get_model  (KontorActivitiesPage *self,
                                                const char           *view);

G_END_DECLS
