/* kontor-merge.h: merging two records into one, and undoing it
 *
 * A merge is written as a record of the built-in kind "merge_history"
 * (fields survivor, merged, before_survivor, before_other, moved_links,
 * undone), so the history syncs and survives like any data and an undo
 * on another replica works from the same facts.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_KIND_MERGE_HISTORY "merge_history"

#define KONTOR_MERGE_ERROR (kontor_merge_error_quark ())

typedef enum
{
  KONTOR_MERGE_ERROR_SAME_RECORD,     /* a record merged with itself */
  KONTOR_MERGE_ERROR_KIND_MISMATCH,   /* a contact with an organization */
  KONTOR_MERGE_ERROR_NOT_MERGEABLE,   /* custom field definitions, merge history */
  KONTOR_MERGE_ERROR_NOT_A_MERGE,     /* undo of something that is no merge entry */
  KONTOR_MERGE_ERROR_ALREADY_UNDONE,
  KONTOR_MERGE_ERROR_SURVIVOR_GONE,   /* the kept record was deleted or merged since */
  KONTOR_MERGE_ERROR_CORRUPT,         /* a history entry that cannot be read */
} KontorMergeError;

GQuark kontor_merge_error_quark (void);

typedef struct
{
  char  *history_id;      /* the merge_history record */
  char  *survivor_id;
  char  *merged_id;
  GStrv  changed_fields;  /* fields of the survivor the merge wrote */
  guint  n_moved_links;   /* references moved from the merged record */
} KontorMergeResult;

#define KONTOR_TYPE_MERGE_RESULT (kontor_merge_result_get_type ())

GType              kontor_merge_result_get_type (void) G_GNUC_CONST;
KontorMergeResult *kontor_merge_result_copy     (const KontorMergeResult *self);
void               kontor_merge_result_free     (KontorMergeResult       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorMergeResult, kontor_merge_result_free)

/* Merges other_id into survivor_id, both live records of one kind, in one
 * transaction:
 *
 * - the survivor's fields: chosen_values says per field which value to
 *   keep (any value, JSON null to leave the field empty); a field not in
 *   it keeps the survivor's value, an empty one takes the other's, and a
 *   multi-choice field (tags) gets the union of both. chosen_values may be
 *   NULL. A reference of the survivor to the other is cleared;
 * - every live record with a reference field pointing at other_id (the
 *   activities, deals, notes, contacts of an organization, ...) points at
 *   survivor_id instead; merge history entries keep theirs;
 * - the other becomes a tombstone (it syncs as a delete);
 * - a merge_history record keeps both records' values from before and the
 *   list of moved references.
 *
 * result (may be NULL) describes what was done. On an error nothing is
 * changed. */
gboolean   kontor_merge_records       (KontorStore        *store,
                                       const char         *survivor_id,
                                       const char         *other_id,
                                       JsonObject         *chosen_values,
                                       KontorMergeResult **result,
                                       GError            **error);

/* Undoes the merge recorded in history_id, in one transaction: the merged
 * record is restored with exactly its values from before the merge, the
 * survivor gets exactly its values from before (fields it did not have
 * are cleared, including edits made after the merge), and every moved
 * reference that still points at the survivor points at the merged record
 * again (one moved elsewhere since, or whose record was deleted since, is
 * left alone). The history entry is kept and marked undone; undoing it
 * twice fails with KONTOR_MERGE_ERROR_ALREADY_UNDONE, and so does an undo
 * whose survivor was deleted or merged into a third record since
 * (KONTOR_MERGE_ERROR_SURVIVOR_GONE: undo that later merge first). */
gboolean   kontor_merge_undo          (KontorStore        *store,
                                       const char         *history_id,
                                       GError            **error);

/* The merge_history records whose survivor or merged record is record_id,
 * newest first (undone ones included). */
GPtrArray *kontor_merge_list_history  (KontorStore        *store,
                                       const char         *record_id,
                                       GError            **error);

G_END_DECLS
