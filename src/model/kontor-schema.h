/* kontor-schema.h: the registry of kinds and fields
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kontor-kind.h"

G_BEGIN_DECLS

/* The kind whose records define custom fields (U3). Its records sync like
 * any other and are turned into fields by kontor_schema_apply_definition(). */
#define KONTOR_KIND_CUSTOM_FIELD "custom_field"

#define KONTOR_TYPE_SCHEMA (kontor_schema_get_type ())

G_DECLARE_FINAL_TYPE (KontorSchema, kontor_schema, KONTOR, SCHEMA, GObject)

/* A schema holding the built-in kinds only. */
KontorSchema *kontor_schema_new                 (void);
KontorKind   *kontor_schema_get_kind            (KontorSchema  *self,
                                                 const char    *name);
/* Kinds in a stable display order. */
GPtrArray    *kontor_schema_list_kinds          (KontorSchema  *self);
/* Looks a kind up or fails with KONTOR_MODEL_ERROR_UNKNOWN_KIND. */
KontorKind   *kontor_schema_require_kind        (KontorSchema  *self,
                                                 const char    *name,
                                                 GError       **error);

/* Turns the values of a custom_field record into a field of its target
 * kind: {"kind":"contact","name":"shoe_size","label":"Shoe size",
 * "type":"integer","choices":[...],"ref_kinds":[...],"required":false}.
 * Fails if the kind is unknown, the name is illegal or taken by a built-in
 * field, or the type is unknown. Re-applying the same definition id
 * replaces the earlier field (its type or label may have changed). */
KontorField  *kontor_schema_apply_definition    (KontorSchema  *self,
                                                 const char    *definition_id,
                                                 JsonObject    *definition,
                                                 GError       **error);
/* Removes the custom field defined by definition_id (when its record is
 * deleted). Returns FALSE if there was none. */
gboolean      kontor_schema_remove_definition   (KontorSchema  *self,
                                                 const char    *definition_id);

G_END_DECLS
