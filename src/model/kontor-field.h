/* kontor-field.h: one field of a kind, and how its values are parsed
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kontor-types.h"

G_BEGIN_DECLS

/* Longest values, in characters: a one-line text (names, titles, cities)
 * and a long text (notes, transcripts). */
#define KONTOR_FIELD_TEXT_MAX_CHARS 1000
#define KONTOR_FIELD_LONG_TEXT_MAX_CHARS 200000

#define KONTOR_TYPE_FIELD (kontor_field_get_type ())

/* Defaults for values written without them (phone numbers in national
 * format, money without a currency). */
typedef struct
{
  const char *default_region;    /* ISO 3166 alpha-2, e.g. "DE" */
  const char *default_currency;  /* ISO 4217, e.g. "EUR" */
} KontorParseContext;

/* Answers the kind of an existing, not deleted record, or NULL. */
typedef char *(*KontorKindResolver) (const char *id,
                                     gpointer    user_data);

GType             kontor_field_get_type      (void) G_GNUC_CONST;
KontorField      *kontor_field_new           (const char       *name,
                                              const char       *label,
                                              KontorFieldType   type,
                                              KontorFieldFlags  flags);
KontorField      *kontor_field_ref           (KontorField      *field);
void              kontor_field_unref         (KontorField      *field);

const char       *kontor_field_get_name      (const KontorField *field);
/* Untranslated; pass through _() for display. */
const char       *kontor_field_get_label     (const KontorField *field);
KontorFieldType   kontor_field_get_field_type (const KontorField *field);
KontorFieldFlags  kontor_field_get_flags     (const KontorField *field);
gboolean          kontor_field_has_flag      (const KontorField *field,
                                              KontorFieldFlags  flag);
const char * const *kontor_field_get_choices (const KontorField *field);
void              kontor_field_set_choices   (KontorField      *field,
                                              const char * const *choices);
/* Kinds a reference may point at; NULL means any kind. */
const char * const *kontor_field_get_ref_kinds (const KontorField *field);
void              kontor_field_set_ref_kinds (KontorField      *field,
                                              const char * const *kinds);
/* For custom fields: the id of the custom_field record that defines it. */
const char       *kontor_field_get_definition_id (const KontorField *field);
void              kontor_field_set_definition_id (KontorField *field,
                                                  const char  *id);

/* TRUE for a legal field name: [a-z][a-z0-9_]{0,62}. */
gboolean          kontor_field_name_is_valid (const char *name);

/* Turns typed text into the stored JSON value. Empty text gives a JSON
 * null (the field is cleared). */
JsonNode         *kontor_field_parse_text    (const KontorField        *field,
                                              const char               *text,
                                              const KontorParseContext *ctx,
                                              GError                  **error);
/* Checks a JSON value (from the API, a script, sync) and returns its
 * canonical form: strings are parsed as by kontor_field_parse_text(),
 * values of the right JSON type are checked and normalised. */
JsonNode         *kontor_field_normalize     (const KontorField        *field,
                                              JsonNode                 *value,
                                              const KontorParseContext *ctx,
                                              GError                  **error);
/* A plain, locale-neutral text form of a stored value ("" for null). */
char             *kontor_field_format        (const KontorField *field,
                                              JsonNode          *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorField, kontor_field_unref)

G_END_DECLS
