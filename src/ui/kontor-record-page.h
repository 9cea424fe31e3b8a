/* kontor-record-page.h: one record, built from the schema
 *
 * Shows every field of the record's kind (custom fields included) as an
 * editable row; an edit is saved as soon as it is applied, and problems
 * the model finds are shown under the row. A page without an id creates
 * a new record. Below the fields: the 360° timeline (activities, voice
 * notes, deals, leads linked to the record, newest first) and the other
 * linked records.
 *
 * Navigation goes through window actions, so the page works in any
 * window that has them: "win.show-record" ((ss): kind, id),
 * "win.delete-record" (s: id) and "win.go-back".
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_RECORD_PAGE (kontor_record_page_get_type ())
G_DECLARE_FINAL_TYPE (KontorRecordPage, kontor_record_page, KONTOR, RECORD_PAGE, AdwBin)

/* Signals:
 *   "record-created" (KontorRecord *record)  a new record was saved */

/* id NULL: a form for a new record of kind. */
GtkWidget    *kontor_record_page_new            (KontorStore      *store,
                                                 const char       *kind,
                                                 const char       *id);
KontorStore  *kontor_record_page_get_store      (KontorRecordPage *self);
const char   *kontor_record_page_get_kind       (KontorRecordPage *self);
/* The record shown, NULL for a new one (transfer none). */
KontorRecord *kontor_record_page_get_record     (KontorRecordPage *self);
/* Whether the header shows a back button (the window folded). */
void          kontor_record_page_set_folded     (KontorRecordPage *self,
                                                 gboolean          folded);

/* Adds a widget (usually a button, e.g. "Record Voice Note") to the row
 * of actions under the title. */
void          kontor_record_page_add_action     (KontorRecordPage *self,
                                                 GtkWidget        *widget);

/* Called for every page of an existing record; returns a widget for the
 * actions row or NULL (e.g. when the kind is not one it handles). */
typedef GtkWidget *(*KontorRecordPageActionFactory) (KontorRecordPage *page,
                                                     gpointer          user_data);
void          kontor_record_page_register_action_factory (KontorRecordPageActionFactory factory,
                                                          gpointer                      user_data);

/* Reloads the record, timeline and linked records from the store. */
void          kontor_record_page_reload         (KontorRecordPage *self);

/* For tests and keyboard users: the editing widget of a field (an
 * AdwEntryRow, AdwComboRow or AdwActionRow), its inline error (NULL when
 * none), applying a field as its row's apply button does, and creating
 * as the Create button does. */
GtkWidget    *kontor_record_page_get_field_row  (KontorRecordPage *self,
                                                 const char       *field);
const char   *kontor_record_page_get_field_error (KontorRecordPage *self,
                                                  const char       *field);
gboolean      kontor_record_page_apply_field    (KontorRecordPage *self,
                                                 const char       *field);
KontorRecord *kontor_record_page_create         (KontorRecordPage *self);
/* Rows of the timeline and of the linked records. */
/* The field's stored value back in its row, its message gone (what
 * Escape does in a text row). */
gboolean      kontor_record_page_revert_field   (KontorRecordPage *self,
                                                 const char       *field);
/* Keyboard focus to the first field (never to Delete in the header). */
void          kontor_record_page_focus_form     (KontorRecordPage *self);
guint         kontor_record_page_get_n_timeline_rows (KontorRecordPage *self);
guint         kontor_record_page_get_n_linked_rows   (KontorRecordPage *self);

G_END_DECLS
