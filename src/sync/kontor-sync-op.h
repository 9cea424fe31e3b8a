/* kontor-sync-op.h: one pushed edit, as it travels
 *
 *   {"record": "<uuid>", "kind": "contact", "dot": [7, 42],
 *    "fields": {"phone": "+49711…", "_deleted": true}, "vv": {"7": 42, "1": 3}}
 *
 * fields holds the values the edit wrote (null clears a field); vv is the
 * record's version vector right after the edit, i.e. everything the editor
 * had seen. Decoding is strict and never trusts the peer: see
 * docs/sync-protocol.md.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kontor-sync-record.h"

G_BEGIN_DECLS

/* Longest accepted record id and kind name. */
#define KONTOR_SYNC_ID_MAX   64
#define KONTOR_SYNC_KIND_MAX 64

typedef struct
{
  char                *record;
  char                *kind;
  KontorDot            dot;
  JsonObject          *fields;
  KontorVersionVector *vv;
} KontorSyncOp;

void          kontor_sync_op_free       (KontorSyncOp *op);
KontorSyncOp *kontor_sync_op_from_json  (JsonNode     *node,
                                         GError      **error);
JsonNode     *kontor_sync_op_to_json    (const KontorSyncOp *op);
/* The op as a partial causal state: only its fields, each with the op's
 * dot, and the op's vector; merging it into a record applies the edit. */
KontorSyncRecord *kontor_sync_op_to_record (const KontorSyncOp *op,
                                            GError            **error);
/* SHA-256 of the op's canonical form: a replayed op hashes the same, a
 * different edit under the same dot (a copied database) does not. */
char         *kontor_sync_op_hash       (const KontorSyncOp *op);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorSyncOp, kontor_sync_op_free)

G_END_DECLS

G_BEGIN_DECLS

/* Rewrites every dot, vector entry and delete context of replica `from`
 * to `to` (registration of a replica that edited before it had an id).
 * `to` must not occur in the state yet. */
KontorSyncRecord *kontor_sync_record_rename_replica (const KontorSyncRecord *rec,
                                                     guint32                 from,
                                                     guint32                 to);

G_END_DECLS

G_BEGIN_DECLS

/* Moves the dots (from, c) with c >= first_moved to (to, map[c]) — the
 * edits of a copied database that the server never took — and lowers every
 * vector entry of `from` to first_moved - 1 (what is shared with the
 * original), adding the matching entry of `to`. map: old counter -> new
 * counter, as GUINT_TO_POINTER (counters of one replica's outbox fit). */
KontorSyncRecord *kontor_sync_record_move_dots (const KontorSyncRecord *rec,
                                                guint32                 from,
                                                guint32                 to,
                                                guint64                 first_moved,
                                                GHashTable             *map);
/* The same for a bare vector. */
void              kontor_version_vector_move  (KontorVersionVector    *vv,
                                               guint32                 from,
                                               guint32                 to,
                                               guint64                 first_moved,
                                               GHashTable             *map);

G_END_DECLS

G_BEGIN_DECLS

/* Vector entries of retired replicas, once the server has pruned them:
 * drops vv[r] and every delete context's r entry for each r in pruned that
 * has no dot left in the record. Applied to every state written, on the
 * server and on every replica, so all converge on the same pruned form.
 * Returns NULL when nothing changes. */
KontorSyncRecord *kontor_sync_record_prune (const KontorSyncRecord *rec,
                                            GArray                 *pruned);

G_END_DECLS
