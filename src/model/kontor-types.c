/* kontor-types.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-model"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-types.h"

G_DEFINE_QUARK (kontor-model-error-quark, kontor_model_error)

static const char * const type_names[KONTOR_N_FIELD_TYPES] = {
  [KONTOR_FIELD_TEXT] = "text",
  [KONTOR_FIELD_LONG_TEXT] = "long_text",
  [KONTOR_FIELD_INTEGER] = "integer",
  [KONTOR_FIELD_DECIMAL] = "decimal",
  [KONTOR_FIELD_MONEY] = "money",
  [KONTOR_FIELD_BOOLEAN] = "boolean",
  [KONTOR_FIELD_DATE] = "date",
  [KONTOR_FIELD_DATETIME] = "datetime",
  [KONTOR_FIELD_CHOICE] = "choice",
  [KONTOR_FIELD_MULTI_CHOICE] = "multi_choice",
  [KONTOR_FIELD_REFERENCE] = "reference",
  [KONTOR_FIELD_EMAIL] = "email",
  [KONTOR_FIELD_PHONE] = "phone",
  [KONTOR_FIELD_URL] = "url",
  [KONTOR_FIELD_BLOB] = "blob",
};

const char *
kontor_field_type_to_string (KontorFieldType type)
{
  g_return_val_if_fail (type < KONTOR_N_FIELD_TYPES, NULL);

  return type_names[type];
}

gboolean
kontor_field_type_from_string (const char      *name,
                               KontorFieldType *type)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < KONTOR_N_FIELD_TYPES; i++)
    {
      if (g_str_equal (name, type_names[i]))
        {
          if (type != NULL)
            *type = i;
          return TRUE;
        }
    }

  return FALSE;
}
