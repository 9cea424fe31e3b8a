/* kontor-sync-record.h: the causal state of one record and its merge
 *
 * The merge follows docs/sync-protocol.md: every field is a multi-value
 * register. A field holds one version (dot + value) normally, several when
 * concurrent writes have not been resolved yet (a conflict). The record's
 * version vector is the pointwise maximum of everything merged into it.
 *
 * Merge of local L into incoming R, per field present on both sides:
 * a version of one side survives if the other side holds the same dot too,
 * or the other side's vector does not cover its dot. A field present on
 * one side only keeps that side's versions. The result is commutative,
 * associative and idempotent. Versions are sorted by dot, highest first
 * (kontor_dot_compare(): counter, then replica): the first is the
 * provisional winner, the same on every replica.
 *
 * Field names are 1 to 128 bytes from [a-z0-9_]; "_deleted" is reserved and
 * only takes JSON true or false.
 *
 * Deletes: the reserved field "_deleted" (KONTOR_SYNC_FIELD_DELETED) holds
 * JSON true/false. A delete stores, beside true, the record's vector at the
 * time of the delete ("context"). A version of any other field whose dot is
 * not covered by the delete's context (and is not the delete's own dot, for
 * fields written in the same edit) is an edit concurrent with the delete:
 * kontor_sync_record_delete_conflict() reports it. When concurrent deletes
 * survive, the context is the union (pointwise maximum) of the contexts of
 * all surviving true versions: an edit any of them had seen was deleted
 * knowingly. That is a function of the merged state alone, hence
 * commutative. An edit made to an already deleted record is not covered by
 * the delete either, so it too is a delete conflict, not an undelete.
 * Neither side wins silently; resolving is a new edit (restore: "_deleted" =
 * false, or delete again with a context that covers the edit).
 *
 * Model-free and I/O-free: values are plain JsonNodes.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kontor-version-vector.h"

G_BEGIN_DECLS

#define KONTOR_SYNC_FIELD_DELETED "_deleted"

typedef struct _KontorSyncRecord KontorSyncRecord;

typedef struct
{
  KontorDot  dot;
  JsonNode  *value;   /* JSON null when the field was cleared */
  /* only for "_deleted" = true: the vector the delete was made against */
  KontorVersionVector *context;
} KontorFieldVersion;

GType             kontor_sync_record_get_type     (void) G_GNUC_CONST;
KontorSyncRecord *kontor_sync_record_new          (void);
KontorSyncRecord *kontor_sync_record_copy         (const KontorSyncRecord *rec);
void              kontor_sync_record_free         (KontorSyncRecord       *rec);

const KontorVersionVector *
                  kontor_sync_record_get_vv       (const KontorSyncRecord *rec);

/* Field names in byte order (stable). Includes "_deleted" if ever written.
 * Transfer full: a new array of newly allocated strings (free func set). */
GPtrArray        *kontor_sync_record_list_fields  (const KontorSyncRecord *rec);

/* All versions of a field, provisional winner first; NULL if never written.
 * Owned by rec. */
const GPtrArray  *kontor_sync_record_get_versions (const KontorSyncRecord *rec,
                                                   const char             *field);
/* The provisional winner's value (highest dot), NULL if never written.
 * Owned by rec and sealed (immutable). */
JsonNode         *kontor_sync_record_get_value    (const KontorSyncRecord *rec,
                                                   const char             *field);
gboolean          kontor_sync_record_is_deleted   (const KontorSyncRecord *rec);

/* A local edit: for every member of changes (JSON null clears) sets the
 * field to a single version with dot; vv[dot.replica] = dot.counter.
 * The caller guarantees dot.counter is fresh for that replica (above
 * vv[dot.replica], at most G_MAXINT64). Writing "_deleted" true records as
 * context the vv before the edit with the editor's own entry set to
 * dot.counter - 1: for this record that means the same (the editor wrote
 * nothing to it in between), and it is what a server rebuilding the delete
 * from a pushed op, which carries only the vector after the edit, gets. Values are deep-copied, object
 * members sorted; -0.0 is kept distinct from 0.0. A programmer error
 * (invalid field name, "_deleted" not a boolean, non-finite double, invalid
 * UTF-8, nesting deeper than 120 levels, stale dot) logs a critical and
 * changes nothing. */
void              kontor_sync_record_apply_edit   (KontorSyncRecord       *rec,
                                                   const KontorDot        *dot,
                                                   JsonObject             *changes);

/* Merges other into rec (rec is changed, other is not). Returns the names
 * of fields that are in conflict after the merge and were not before
 * (transfer full, may be empty, never NULL). */
GPtrArray        *kontor_sync_record_merge        (KontorSyncRecord       *rec,
                                                   const KontorSyncRecord *other);

/* Names of fields holding more than one version (sorted, transfer full). */
GPtrArray        *kontor_sync_record_conflicts    (const KontorSyncRecord *rec);
/* TRUE if the record is deleted and some field version is concurrent with
 * the delete (see above). */
gboolean          kontor_sync_record_delete_conflict (const KontorSyncRecord *rec);

gboolean          kontor_sync_record_equal        (const KontorSyncRecord *a,
                                                   const KontorSyncRecord *b);

/* Wire and storage form, canonical, so equal states give byte-identical
 * strings: members "vv" then "f"; field names in byte order; versions
 * winner first; version members "d", "v", then "c"; vector keys in numeric
 * order; object members inside values in byte order; no spaces:
 *   {"vv":{"1":3,"2":4},"f":{"_deleted":[{"d":[2,4],"v":true,"c":{"1":3,"2":3}}],
 *    "name":[{"d":[1,3],"v":"Müller"}]}}
 * gint64 values pass through exactly. Doubles are written with the fewest
 * of 15, 16 or 17 significant digits that read back bit-identically and
 * always with a "." or an exponent, so 1.0 stays a double and -0.0 stays -0.0 ("-0.0"); see
 * kontor_sync_json_to_string(). to_string() gives the same text as that
 * writer applied to to_json(); do not serialise to_json() with JsonGenerator (json-glib 1.6
 * writes 1e17 as "1e+17.0"). */
JsonNode         *kontor_sync_record_to_json      (const KontorSyncRecord *rec);
char             *kontor_sync_record_to_string    (const KontorSyncRecord *rec);
/* Refuses anything malformed (KONTOR_SYNC_ERROR_MALFORMED) with a message
 * naming what was wrong; never crashes on hostile input. Malformed: not the
 * shape above, unknown or missing members, an invalid field name, a field
 * with no versions, a dot that is not [replica <= G_MAXUINT32, counter >= 1],
 * a dot the record's "vv" does not cover (a state cannot hold a write it has
 * not seen; the merge relies on it), the same dot twice in one field,
 * "_deleted" not a boolean, a true "_deleted" without "c", a "c" anywhere
 * else, a "c" ahead of "vv" or covering its own delete, non-finite numbers.
 * Versions may come in any order. from_string() parses with
 * kontor_sync_json_parse(), which also refuses integers outside gint64. */
KontorSyncRecord *kontor_sync_record_from_json    (JsonNode               *node,
                                                   GError                **error);
KontorSyncRecord *kontor_sync_record_from_string  (const char             *json,
                                                   GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorSyncRecord, kontor_sync_record_free)

/* Internal to the sync layer: a state in exactly the canonical form
 * kontor_sync_record_to_string() writes, read at *pos (valid UTF-8) with
 * every check of kontor_sync_record_from_json(); *pos is moved past it.
 * NULL, without an error, for any other text (the caller then takes the
 * general path, which says what is wrong). */
KontorSyncRecord *_kontor_sync_record_read_canonical (const char **pos);

G_END_DECLS
