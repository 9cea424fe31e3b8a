/* kontor-record-list.h: a GListModel of records read from the replica on demand
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_RECORD_LIST (kontor_record_list_get_type ())

G_DECLARE_FINAL_TYPE (KontorRecordList, kontor_record_list, KONTOR, RECORD_LIST, GObject)

/* Counts the matching rows once and then reads pages of rows only when an
 * item is asked for, keeping a few pages; 100,000 contacts never become
 * 100,000 objects. Follows the store: a commit that touches the query's
 * kind refreshes the list. */
KontorRecordList *kontor_record_list_new        (KontorStore      *store,
                                                 KontorQuery      *query);
KontorQuery      *kontor_record_list_get_query  (KontorRecordList *self);
/* Replaces the query (new filter, sort or search) and refreshes. */
void              kontor_record_list_set_query  (KontorRecordList *self,
                                                 KontorQuery      *query);
/* The last error of a refresh or page read, if any (the list is then
 * empty or shorter; the UI shows it). */
const GError     *kontor_record_list_get_error  (KontorRecordList *self);
/* How many pages were read from SQLite so far (for tests, benchmarks). */
guint             kontor_record_list_get_pages_loaded (KontorRecordList *self);
/* Rows per page. */
#define KONTOR_RECORD_LIST_PAGE_SIZE 100

G_END_DECLS
