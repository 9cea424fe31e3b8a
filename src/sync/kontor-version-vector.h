/* kontor-version-vector.h: dots and sparse version vectors
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KONTOR_SYNC_ERROR (kontor_sync_error_quark ())

typedef enum
{
  KONTOR_SYNC_ERROR_MALFORMED,   /* JSON of the wrong shape or type */
} KontorSyncError;

GQuark kontor_sync_error_quark (void);

/* The identity of one edit: the replica that made it and that replica's
 * counter at the time. Replica 0 is the server. */
typedef struct
{
  guint32 replica;
  guint64 counter;
} KontorDot;

/* Total order used only to pick a deterministic provisional winner among
 * concurrent versions: higher counter wins, then higher replica. */
int      kontor_dot_compare (const KontorDot *a,
                             const KontorDot *b);
gboolean kontor_dot_equal   (const KontorDot *a,
                             const KontorDot *b);

typedef enum
{
  KONTOR_VV_EQUAL,
  KONTOR_VV_BEFORE,      /* a < b: b has seen everything a has, and more */
  KONTOR_VV_AFTER,       /* a > b */
  KONTOR_VV_CONCURRENT,
} KontorVvOrder;

/* A sparse map replica -> counter (missing entries are 0), kept sorted by
 * replica (numerically) so that equal vectors serialise identically.
 * Counters are at most G_MAXINT64 so that they fit a JSON integer. */
typedef struct _KontorVersionVector KontorVersionVector;

GType                kontor_version_vector_get_type (void) G_GNUC_CONST;
KontorVersionVector *kontor_version_vector_new      (void);
KontorVersionVector *kontor_version_vector_copy     (const KontorVersionVector *vv);
void                 kontor_version_vector_free     (KontorVersionVector       *vv);
guint64              kontor_version_vector_get      (const KontorVersionVector *vv,
                                                     guint32                    replica);
/* Sets vv[replica] = counter (0 removes the entry; counter <= G_MAXINT64). */
void                 kontor_version_vector_set      (KontorVersionVector       *vv,
                                                     guint32                    replica,
                                                     guint64                    counter);
guint                kontor_version_vector_size     (const KontorVersionVector *vv);
/* vv[dot.replica] >= dot.counter */
gboolean             kontor_version_vector_covers   (const KontorVersionVector *vv,
                                                     const KontorDot           *dot);
/* Pointwise maximum into dest. */
void                 kontor_version_vector_merge    (KontorVersionVector       *dest,
                                                     const KontorVersionVector *other);
KontorVvOrder        kontor_version_vector_compare  (const KontorVersionVector *a,
                                                     const KontorVersionVector *b);
gboolean             kontor_version_vector_equal    (const KontorVersionVector *a,
                                                     const KontorVersionVector *b);
/* {"1":3,"7":12}: keys are decimal replica ids, values JSON integers. */
JsonNode            *kontor_version_vector_to_json  (const KontorVersionVector *vv);
char                *kontor_version_vector_to_string (const KontorVersionVector *vv);
/* Refuses non-objects, keys that are not canonical decimal numbers ("1x",
 * "-1", "", "01", "+1") or are above G_MAXUINT32, and counters that are not
 * JSON integers or are negative (KONTOR_SYNC_ERROR_MALFORMED, with a message
 * naming the key). A counter of 0 is accepted and means "no entry".
 * Counters above G_MAXINT64 cannot be told apart once json-glib has parsed
 * them (it wraps them), so parse untrusted text with
 * kontor_version_vector_from_string() / kontor_sync_json_parse(), which
 * refuse them. */
KontorVersionVector *kontor_version_vector_from_json (JsonNode   *node,
                                                      GError    **error);
KontorVersionVector *kontor_version_vector_from_string (const char *json,
                                                        GError    **error);

/* Strict JSON for the sync layer's wire and storage forms.
 *
 * kontor_sync_json_parse() accepts RFC 8259 JSON only and refuses
 * (KONTOR_SYNC_ERROR_MALFORMED) what json-glib 1.6's JsonParser lets through
 * or gets wrong: invalid UTF-8, nesting deeper than
 * KONTOR_SYNC_JSON_MAX_DEPTH (JsonParser recurses without bound), duplicate
 * member names, integers outside gint64 (JsonParser wraps them silently),
 * numbers too large for a double, "\u0000" (JsonParser truncates the string
 * there), lone surrogates, comments, single quotes, hex numbers, leading
 * zeros and trailing garbage. Integer literals become G_TYPE_INT64 values,
 * literals with a fraction or an exponent G_TYPE_DOUBLE values.
 *
 * kontor_sync_json_to_string() writes compact JSON, object members in the
 * order the objects hold them, doubles as the first of "%.15g", "%.16g",
 * "%.17g" that reads back bit-identically (so 0.1 is "0.1"; the text is a
 * function of the bits alone) and always with a "." or an exponent so that
 * they read back as doubles ("1.0", "-0.0", "1e+300"). json-glib 1.6's
 * JsonGenerator is not used because it writes 1e17 as "1e+17.0", which is
 * not JSON. Non-finite doubles have no JSON form: they are a programmer
 * error, logged as a critical and written as null. */
#define KONTOR_SYNC_JSON_MAX_DEPTH 128

JsonNode            *kontor_sync_json_parse         (const char *json,
                                                     GError    **error);
char                *kontor_sync_json_to_string     (JsonNode   *node);

/* Internal to the sync layer (the fast paths of kontor-sync-record.c and
 * the sync client): the text they read is valid UTF-8 already.
 *
 * _kontor_sync_json_read_at() reads one value at *pos exactly as
 * kontor_sync_json_parse() would at nesting depth, and moves *pos past it.
 * _kontor_sync_read_uint() reads a decimal integer in canonical spelling
 * (no sign, no leading zero) up to max. _kontor_version_vector_read_canonical()
 * reads a vector only in the canonical form kontor_version_vector_to_string()
 * writes (replicas ascending, counters from 1) and returns NULL, without an
 * error, for any other text: callers then take the general path. */
JsonNode            *_kontor_sync_json_read_at      (const char **pos,
                                                     guint        depth,
                                                     GError     **error);
gboolean             _kontor_sync_read_uint         (const char **pos,
                                                     guint64      max,
                                                     guint64     *value);
KontorVersionVector *_kontor_version_vector_read_canonical (const char **pos);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorVersionVector, kontor_version_vector_free)

G_END_DECLS
