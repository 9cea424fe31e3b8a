/* kontor-record.h: one CRM record as the app sees it
 *
 * A record is an id, a kind and the current (winning) values of its fields.
 * Its causal state (dots, version vector, concurrent versions) lives in the
 * sync layer and the store; a record only says which fields are in conflict.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kontor-types.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_RECORD (kontor_record_get_type ())

G_DECLARE_FINAL_TYPE (KontorRecord, kontor_record, KONTOR, RECORD, GObject)

/* A deep copy: nothing is shared with obj (json_node_copy shares nested
 * objects and arrays). */
JsonObject   *kontor_json_object_copy      (JsonObject   *obj);

/* values is copied. */
KontorRecord *kontor_record_new            (const char   *id,
                                            const char   *kind,
                                            JsonObject   *values);
const char   *kontor_record_get_id         (KontorRecord *self);
const char   *kontor_record_get_kind       (KontorRecord *self);
/* Owned by the record; do not modify. */
JsonObject   *kontor_record_get_values     (KontorRecord *self);
JsonNode     *kontor_record_get_value      (KontorRecord *self,
                                            const char   *field);
/* The value of a text-like field, or NULL. */
const char   *kontor_record_get_string     (KontorRecord *self,
                                            const char   *field);
gint64        kontor_record_get_int        (KontorRecord *self,
                                            const char   *field,
                                            gint64        default_value);
gboolean      kontor_record_get_deleted    (KontorRecord *self);
void          kontor_record_set_deleted    (KontorRecord *self,
                                            gboolean      deleted);
/* Names of fields with unresolved concurrent values (may be NULL). */
const char * const *kontor_record_get_conflicts (KontorRecord *self);
void          kontor_record_set_conflicts  (KontorRecord *self,
                                            const char * const *fields);
const char   *kontor_record_get_title      (KontorRecord *self);
void          kontor_record_set_title      (KontorRecord *self,
                                            const char   *title);
/* {"id":…,"kind":…,"deleted":…,"values":{…}} for scripts and the API. */
JsonNode     *kontor_record_to_json        (KontorRecord *self);

G_END_DECLS
