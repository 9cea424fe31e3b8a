/* kontor-today-page.h: the start page: what is due, overdue, stuck, new
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_TODAY_PAGE (kontor_today_page_get_type ())
G_DECLARE_FINAL_TYPE (KontorTodayPage, kontor_today_page, KONTOR, TODAY_PAGE, AdwBin)

/* Properties: "store" (construct only), "today" (ISO date "YYYY-MM-DD",
 * NULL for the real today), "owner" (a user id: only their records; NULL
 * for everyone's).
 * Signals: "open-record" (const char *kind, const char *id).
 * The section lists are named "schedule-list", "due-list", "overdue-list",
 * "attention-list" and "changes-list" (gtk_widget_get_name).
 * The time of the previous visit is the store setting "today_last_visit"
 * (Unix milliseconds); the page reads it once and stores the current
 * time. */
GtkWidget   *kontor_today_page_new       (KontorStore     *store);
const char  *kontor_today_page_get_today (KontorTodayPage *self);
void         kontor_today_page_set_today (KontorTodayPage *self,
                                          const char      *today);
const char  *kontor_today_page_get_owner (KontorTodayPage *self);
void         kontor_today_page_set_owner (KontorTodayPage *self,
                                          const char      *owner);
void         kontor_today_page_reload    (KontorTodayPage *self);

G_END_DECLS
