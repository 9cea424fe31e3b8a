/* kontor-record-list-page.h: the list of one kind's records
 *
 * One class for every kind: a column view over a KontorRecordList (rows
 * are paged from SQLite on demand), instant full-text search, sorting by
 * a click on a column header, conditions and saved segments.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_RECORD_LIST_PAGE (kontor_record_list_page_get_type ())
G_DECLARE_FINAL_TYPE (KontorRecordListPage, kontor_record_list_page, KONTOR, RECORD_LIST_PAGE, AdwBin)

/* Signals:
 *   "record-selected"  (KontorRecord *record)  a row was selected
 *   "record-activated" (KontorRecord *record)  Enter or double click on a row */

GtkWidget   *kontor_record_list_page_new             (KontorStore          *store,
                                                      const char           *kind);
const char  *kontor_record_list_page_get_kind        (KontorRecordListPage *self);
/* The KontorRecordList shown (transfer none). */
GListModel  *kontor_record_list_page_get_model       (KontorRecordListPage *self);
GtkWidget   *kontor_record_list_page_get_search_entry (KontorRecordListPage *self);
void         kontor_record_list_page_focus_search    (KontorRecordListPage *self);
/* Moves the focus to the list (first row selected when none is). */
void         kontor_record_list_page_focus_list      (KontorRecordListPage *self);

/* Sorting, as a click on a column header does; field is any field. */
void         kontor_record_list_page_sort_by         (KontorRecordListPage *self,
                                                      const char           *field,
                                                      gboolean              descending);

/* Conditions in the syntax of kontor_query_parse_condition ("city=Köln"). */
gboolean     kontor_record_list_page_add_condition   (KontorRecordListPage *self,
                                                      const char           *condition,
                                                      GError              **error);
void         kontor_record_list_page_clear_conditions (KontorRecordListPage *self);
/* The active conditions (NULL-terminated, transfer full). */
GStrv        kontor_record_list_page_get_conditions  (KontorRecordListPage *self);

/* Segments: named sets of conditions, saved in the store's settings
 * ("ui.segments.<kind>") so they survive restarts. */
gboolean     kontor_record_list_page_save_segment    (KontorRecordListPage *self,
                                                      const char           *name,
                                                      GError              **error);
gboolean     kontor_record_list_page_apply_segment   (KontorRecordListPage *self,
                                                      const char           *name);
gboolean     kontor_record_list_page_delete_segment  (KontorRecordListPage *self,
                                                      const char           *name);
GStrv        kontor_record_list_page_list_segments   (KontorRecordListPage *self);

G_END_DECLS
