/* kontor-types.h: forward declarations and enums of the model layer
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _KontorField  KontorField;
typedef struct _KontorKind   KontorKind;
typedef struct _KontorSchema KontorSchema;
typedef struct _KontorRecord KontorRecord;

/* The value types a field may have. How each is stored in a record's JSON
 * body is documented in docs/architecture.md ("Values"). */
typedef enum
{
  KONTOR_FIELD_TEXT,
  KONTOR_FIELD_LONG_TEXT,
  KONTOR_FIELD_INTEGER,
  KONTOR_FIELD_DECIMAL,
  KONTOR_FIELD_MONEY,
  KONTOR_FIELD_BOOLEAN,
  KONTOR_FIELD_DATE,
  KONTOR_FIELD_DATETIME,
  KONTOR_FIELD_CHOICE,
  KONTOR_FIELD_MULTI_CHOICE,
  KONTOR_FIELD_REFERENCE,
  KONTOR_FIELD_EMAIL,
  KONTOR_FIELD_PHONE,
  KONTOR_FIELD_URL,
  KONTOR_FIELD_BLOB,
  KONTOR_N_FIELD_TYPES
} KontorFieldType;

typedef enum
{
  KONTOR_FIELD_FLAG_NONE       = 0,
  KONTOR_FIELD_FLAG_REQUIRED   = 1 << 0,
  KONTOR_FIELD_FLAG_CUSTOM     = 1 << 1,
  KONTOR_FIELD_FLAG_INDEXED    = 1 << 2,  /* lists sort/filter by it: expression index */
  KONTOR_FIELD_FLAG_SEARCHABLE = 1 << 3,  /* goes into the full-text index */
  KONTOR_FIELD_FLAG_TITLE      = 1 << 4,  /* part of the record's display title */
} KontorFieldFlags;

#define KONTOR_MODEL_ERROR (kontor_model_error_quark ())

typedef enum
{
  KONTOR_MODEL_ERROR_INVALID,         /* one or more field values are invalid */
  KONTOR_MODEL_ERROR_UNKNOWN_KIND,
  KONTOR_MODEL_ERROR_UNKNOWN_FIELD,
  KONTOR_MODEL_ERROR_EXISTS,
} KontorModelError;

GQuark kontor_model_error_quark (void);

const char      *kontor_field_type_to_string   (KontorFieldType type);
gboolean         kontor_field_type_from_string (const char      *name,
                                                KontorFieldType *type);

G_END_DECLS
