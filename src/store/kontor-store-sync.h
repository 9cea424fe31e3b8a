/* kontor-store-sync.h: what the sync engine asks of the replica
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kontor-store.h"
#include "kontor-sync-op.h"

G_BEGIN_DECLS

/* One record of the changes feed. */
typedef struct
{
  gint64            seq;
  char             *id;
  char             *kind;
  KontorSyncRecord *state;
} KontorRemoteChange;

void kontor_remote_change_free (KontorRemoteChange *change);

/* A change the server refused, kept for the user to fix and resend. */
typedef struct
{
  gint64      id;
  char       *record;
  char       *kind;
  JsonObject *fields;
  char       *reason;
} KontorRejected;

void kontor_rejected_free (KontorRejected *rejected);

/* Replicas whose vector entries the server pruned (from the changes
 * feed); every state written from now on is pruned the same way. */
gboolean    kontor_store_set_pruned_replicas (KontorStore   *self,
                                              GArray        *replicas,
                                              GError       **error);

/* The changes feed position stored with the data (meta "last_seq"). */
gint64      kontor_store_get_last_seq        (KontorStore   *self);
const char *kontor_store_get_database_id     (KontorStore   *self);

/* Takes the replica id the server handed out. Dots written before (by the
 * unregistered replica) are rewritten to it in the same transaction. */
gboolean    kontor_store_set_replica_id      (KontorStore   *self,
                                              guint32        replica_id,
                                              GError       **error);

/* After the server found a copy of this database using the same replica
 * id: outbox entries below first_moved are shared history (acknowledged,
 * removed); the rest, and their dots in every state, move to new_replica
 * with fresh counters 1, 2, …; new_replica becomes this replica's id. All
 * in one transaction. */
gboolean    kontor_store_move_unacked        (KontorStore   *self,
                                              guint32        new_replica,
                                              guint64        first_moved,
                                              GError       **error);

/* The oldest unacknowledged local edits, as ops (transfer full). */
GPtrArray  *kontor_store_outbox_ops          (KontorStore   *self,
                                              guint          limit,
                                              GError       **error);
/* Removes the outbox entries of this replica with counter <= upto. */
gboolean    kontor_store_outbox_ack          (KontorStore   *self,
                                              guint64        upto,
                                              GError       **error);
/* Moves one op to the list of refused changes (same transaction as its
 * removal from the outbox). */
gboolean    kontor_store_reject_op           (KontorStore   *self,
                                              const KontorSyncOp *op,
                                              const char    *reason,
                                              GError       **error);
GPtrArray  *kontor_store_list_rejected       (KontorStore   *self,
                                              GError       **error);
/* Forgets a refused change (after it was fixed and saved again). */
gboolean    kontor_store_dismiss_rejected    (KontorStore   *self,
                                              gint64         rejected_id,
                                              GError       **error);

/* Merges a batch of the changes feed and stores last_seq, in one
 * transaction: a crash leaves either both or neither. */
gboolean    kontor_store_apply_remote        (KontorStore   *self,
                                              GPtrArray     *changes,
                                              gint64         last_seq,
                                              GError       **error);
/* Replaces a record's state by the server's (NULL: the server has no such
 * record) and replays this replica's unacknowledged ops of that record on
 * top: used after an op of it was refused. */
gboolean    kontor_store_reset_record        (KontorStore   *self,
                                              const char    *id,
                                              const char    *kind,
                                              KontorSyncRecord *server_state,
                                              GError       **error);

/* After a full resync: removes every record that is not in keep (ids the
 * server sent) and has no unsent edit: the server purged it. Returns how
 * many went. */
gboolean    kontor_store_forget_missing      (KontorStore   *self,
                                              GHashTable    *keep,
                                              guint         *n_removed,
                                              GError       **error);

/* Records with unresolved conflicts (same-field or delete/edit). */
GPtrArray  *kontor_store_list_conflicts      (KontorStore   *self,
                                              GError       **error);
/* The competing values of one field, provisional winner first
 * (JsonNode, transfer full). */
GPtrArray  *kontor_store_get_conflict_values (KontorStore   *self,
                                              const char    *id,
                                              const char    *field,
                                              GError       **error);
/* Resolves a conflict with the chosen (or a new) value: a new local edit
 * whose dot dominates every competing version. field "_deleted" with true
 * or false settles a delete/edit conflict. */
KontorRecord *kontor_store_resolve           (KontorStore   *self,
                                              const char    *id,
                                              const char    *field,
                                              JsonNode      *value,
                                              GError       **error);

/* Tells lists that another connection (the sync thread) changed kinds. */
void        kontor_store_notify_changed      (KontorStore   *self,
                                              const char    *kind);

G_END_DECLS
