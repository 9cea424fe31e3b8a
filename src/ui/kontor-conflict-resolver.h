/* kontor-conflict-resolver.h: both values of a conflict, side by side
 *
 * Lists the records whose fields were changed here and elsewhere at the
 * same time; for one of them shows each conflicting field's values next
 * to each other and keeps the one the user picks (or types). Resolving is
 * a new local edit that dominates every competing version, so it goes out
 * with the next sync like any edit.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_CONFLICT_RESOLVER (kontor_conflict_resolver_get_type ())

G_DECLARE_FINAL_TYPE (KontorConflictResolver, kontor_conflict_resolver, KONTOR, CONFLICT_RESOLVER, AdwWindow)

/* Emits "open-record" (id, kind) when the user asks to see the record. */
GtkWidget *kontor_conflict_resolver_new     (KontorStore            *store);
/* Shows the conflicts of record id (FALSE when it has none). */
gboolean   kontor_conflict_resolver_select  (KontorConflictResolver *self,
                                             const char             *id);
/* The number of records with conflicts in the list. */
guint      kontor_conflict_resolver_get_n_records (KontorConflictResolver *self);

G_END_DECLS
