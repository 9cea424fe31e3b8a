/* kontor-field.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-field.h"
#include "kontor-phone.h"
#include "kontor-uuid.h"
#include "kontor-validate.h"

struct _KontorField
{
  gatomicrefcount   ref_count;
  char             *name;
  char             *label;
  KontorFieldType   type;
  KontorFieldFlags  flags;
  GStrv             choices;
  GStrv             ref_kinds;
  char             *definition_id;
};

G_DEFINE_BOXED_TYPE (KontorField, kontor_field, kontor_field_ref, kontor_field_unref)

KontorField *
kontor_field_new (const char       *name,
                  const char       *label,
                  KontorFieldType   type,
                  KontorFieldFlags  flags)
{
  KontorField *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (type < KONTOR_N_FIELD_TYPES, NULL);

  self = g_new0 (KontorField, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->label = g_strdup (label ? label : name);
  self->type = type;
  self->flags = flags;

  return self;
}

KontorField *
kontor_field_ref (KontorField *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  g_atomic_ref_count_inc (&field->ref_count);
  return field;
}

void
kontor_field_unref (KontorField *field)
{
  g_return_if_fail (field != NULL);

  if (g_atomic_ref_count_dec (&field->ref_count))
    {
      g_free (field->name);
      g_free (field->label);
      g_strfreev (field->choices);
      g_strfreev (field->ref_kinds);
      g_free (field->definition_id);
      g_free (field);
    }
}

const char *
kontor_field_get_name (const KontorField *field)
{
  return field->name;
}

const char *
kontor_field_get_label (const KontorField *field)
{
  return field->label;
}

KontorFieldType
kontor_field_get_field_type (const KontorField *field)
{
  return field->type;
}

KontorFieldFlags
kontor_field_get_flags (const KontorField *field)
{
  return field->flags;
}

gboolean
kontor_field_has_flag (const KontorField *field,
                       KontorFieldFlags   flag)
{
  return (field->flags & flag) != 0;
}

const char * const *
kontor_field_get_choices (const KontorField *field)
{
  return (const char * const *) field->choices;
}

void
kontor_field_set_choices (KontorField        *field,
                          const char * const *choices)
{
  g_strfreev (field->choices);
  field->choices = g_strdupv ((char **) choices);
}

const char * const *
kontor_field_get_ref_kinds (const KontorField *field)
{
  return (const char * const *) field->ref_kinds;
}

void
kontor_field_set_ref_kinds (KontorField        *field,
                            const char * const *kinds)
{
  g_strfreev (field->ref_kinds);
  field->ref_kinds = g_strdupv ((char **) kinds);
}

const char *
kontor_field_get_definition_id (const KontorField *field)
{
  return field->definition_id;
}

void
kontor_field_set_definition_id (KontorField *field,
                                const char  *id)
{
  g_free (field->definition_id);
  field->definition_id = g_strdup (id);
}

gboolean
kontor_field_name_is_valid (const char *name)
{
  gsize len;

  if (name == NULL || !g_ascii_islower (name[0]))
    return FALSE;

  len = strlen (name);
  if (len > 63)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_islower (name[i]) || g_ascii_isdigit (name[i]) || name[i] == '_'))
      return FALSE;

  return TRUE;
}

static gboolean
choice_is_allowed (const KontorField *field,
                   const char        *value)
{
  if (field->choices == NULL)
    return TRUE;

  return g_strv_contains ((const char * const *) field->choices, value);
}

/* Choices match case-insensitively but are stored as declared. */
static const char *
find_choice (const KontorField *field,
             const char        *value)
{
  if (field->choices == NULL)
    return value;

  for (guint i = 0; field->choices[i]; i++)
    if (g_utf8_collate (field->choices[i], value) == 0 ||
        g_ascii_strcasecmp (field->choices[i], value) == 0)
      return field->choices[i];

  return NULL;
}

static JsonNode *
string_node (const char *s)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, s);
  return node;
}

static JsonNode *
money_node (gint64      minor,
            const char *currency)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (obj, "minor", minor);
  json_object_set_string_member (obj, "currency", currency);
  json_node_set_object (node, obj);
  return node;
}

static gboolean
parse_boolean (const char *text,
               gboolean   *value)
{
  static const char * const yes[] = { "true", "yes", "ja", "1", "y", "j", "x", "wahr", NULL };
  static const char * const no[] = { "false", "no", "nein", "0", "n", "falsch", NULL };
  g_autofree char *lower = g_utf8_strdown (text, -1);

  if (g_strv_contains (yes, lower))
    *value = TRUE;
  else if (g_strv_contains (no, lower))
    *value = FALSE;
  else
    return FALSE;

  return TRUE;
}

JsonNode *
kontor_field_parse_text (const KontorField        *field,
                         const char               *text,
                         const KontorParseContext *ctx,
                         GError                  **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *canonical = NULL;
  const char *region = ctx ? ctx->default_region : NULL;
  const char *currency = ctx ? ctx->default_currency : NULL;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                           _("text is not valid UTF-8"));
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (text));
  if (field->type != KONTOR_FIELD_LONG_TEXT && trimmed[0] == '\0')
    return json_node_new (JSON_NODE_NULL);

  switch (field->type)
    {
    case KONTOR_FIELD_TEXT:
      if (strchr (trimmed, '\n') != NULL)
        {
          g_set_error_literal (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                               _("must be a single line"));
          return NULL;
        }
      /* a name of 100,000 characters is a mistake, and one that would
       * reach every replica */
      if (g_utf8_strlen (trimmed, -1) > KONTOR_FIELD_TEXT_MAX_CHARS)
        {
          g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                       _("is too long (%ld characters; at most %d)"),
                       (long) g_utf8_strlen (trimmed, -1), KONTOR_FIELD_TEXT_MAX_CHARS);
          return NULL;
        }
      return string_node (trimmed);

    case KONTOR_FIELD_LONG_TEXT:
      if (text[0] == '\0')
        return json_node_new (JSON_NODE_NULL);
      if (g_utf8_strlen (text, -1) > KONTOR_FIELD_LONG_TEXT_MAX_CHARS)
        {
          g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                       _("is too long (%ld characters; at most %d)"),
                       (long) g_utf8_strlen (text, -1), KONTOR_FIELD_LONG_TEXT_MAX_CHARS);
          return NULL;
        }
      return string_node (text);

    case KONTOR_FIELD_INTEGER:
      {
        gint64 v;
        JsonNode *node;

        if (!kontor_validate_integer (trimmed, &v, error))
          return NULL;
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_int (node, v);
        return node;
      }

    case KONTOR_FIELD_DECIMAL:
      if (!kontor_validate_decimal (trimmed, &canonical, error))
        return NULL;
      return string_node (canonical);

    case KONTOR_FIELD_MONEY:
      {
        gint64 minor;
        g_autofree char *cur = NULL;

        if (!kontor_validate_money (trimmed, currency, &minor, &cur, error))
          return NULL;
        return money_node (minor, cur);
      }

    case KONTOR_FIELD_BOOLEAN:
      {
        gboolean v;
        JsonNode *node;

        if (!parse_boolean (trimmed, &v))
          {
            g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                         _("“%s” is not yes or no"), trimmed);
            return NULL;
          }
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_boolean (node, v);
        return node;
      }

    case KONTOR_FIELD_DATE:
      if (!kontor_validate_date (trimmed, &canonical, error))
        return NULL;
      return string_node (canonical);

    case KONTOR_FIELD_DATETIME:
      if (!kontor_validate_datetime (trimmed, &canonical, error))
        return NULL;
      return string_node (canonical);

    case KONTOR_FIELD_CHOICE:
      {
        const char *choice = find_choice (field, trimmed);

        if (choice == NULL)
          {
            g_autofree char *allowed = g_strjoinv (", ", field->choices);

            g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                         _("“%s” is not one of: %s"), trimmed, allowed);
            return NULL;
          }
        return string_node (choice);
      }

    case KONTOR_FIELD_MULTI_CHOICE:
      {
        g_auto(GStrv) parts = g_strsplit_set (trimmed, ",;", -1);
        g_autoptr(JsonArray) array = json_array_new ();
        JsonNode *node;

        for (guint i = 0; parts[i]; i++)
          {
            const char *choice;

            g_strstrip (parts[i]);
            if (parts[i][0] == '\0')
              continue;
            choice = find_choice (field, parts[i]);
            if (choice == NULL)
              {
                g_autofree char *allowed = g_strjoinv (", ", field->choices);

                g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                             _("“%s” is not one of: %s"), parts[i], allowed);
                return NULL;
              }
            json_array_add_string_element (array, choice);
          }
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_set_array (node, array);
        return node;
      }

    case KONTOR_FIELD_REFERENCE:
    case KONTOR_FIELD_BLOB:
      {
        g_autofree char *lower = g_ascii_strdown (trimmed, -1);

        if (field->type == KONTOR_FIELD_REFERENCE && !kontor_uuid_is_valid (lower))
          {
            g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                         _("“%s” is not a record id"), trimmed);
            return NULL;
          }
        if (field->type == KONTOR_FIELD_BLOB &&
            (strlen (lower) != 64 || strspn (lower, "0123456789abcdef") != 64))
          {
            g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                         _("“%s” is not a SHA-256 content hash"), trimmed);
            return NULL;
          }
        return string_node (lower);
      }

    case KONTOR_FIELD_EMAIL:
      if (!kontor_validate_email (trimmed, &canonical, error))
        return NULL;
      return string_node (canonical);

    case KONTOR_FIELD_PHONE:
      if (!kontor_phone_normalize (trimmed, region, &canonical, error))
        return NULL;
      return string_node (canonical);

    case KONTOR_FIELD_URL:
      if (!kontor_validate_url (trimmed, &canonical, error))
        return NULL;
      return string_node (canonical);

    case KONTOR_N_FIELD_TYPES:
    default:
      g_assert_not_reached ();
    }

  return NULL;
}

static gboolean
json_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
json_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

JsonNode *
kontor_field_normalize (const KontorField        *field,
                        JsonNode                 *value,
                        const KontorParseContext *ctx,
                        GError                  **error)
{
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (JSON_NODE_HOLDS_NULL (value))
    return json_node_new (JSON_NODE_NULL);

  /* text from a script or an import goes through the same parser a
   * person's typing does */
  if (json_is_string (value) && field->type != KONTOR_FIELD_MULTI_CHOICE)
    return kontor_field_parse_text (field, json_node_get_string (value), ctx, error);

  switch (field->type)
    {
    case KONTOR_FIELD_INTEGER:
      if (json_is_int (value))
        return json_node_copy (value);
      break;

    case KONTOR_FIELD_BOOLEAN:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
        return json_node_copy (value);
      break;

    case KONTOR_FIELD_MONEY:
      if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *obj = json_node_get_object (value);
          JsonNode *minor = json_object_get_member (obj, "minor");
          JsonNode *cur = json_object_get_member (obj, "currency");
          g_autofree char *upper = NULL;

          if (minor == NULL || cur == NULL || !json_is_int (minor) || !json_is_string (cur) ||
              json_object_get_size (obj) != 2)
            {
              g_set_error_literal (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                                   _("money must be {\"minor\": integer, \"currency\": code}"));
              return NULL;
            }
          upper = g_ascii_strup (json_node_get_string (cur), -1);
          if (strlen (upper) != 3 || strspn (upper, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
            {
              g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                           _("“%s” is not a currency code"), json_node_get_string (cur));
              return NULL;
            }
          return money_node (json_node_get_int (minor), upper);
        }
      break;

    case KONTOR_FIELD_MULTI_CHOICE:
      if (json_is_string (value))
        return kontor_field_parse_text (field, json_node_get_string (value), ctx, error);
      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *in = json_node_get_array (value);
          g_autoptr(JsonArray) out = json_array_new ();
          JsonNode *node;

          for (guint i = 0; i < json_array_get_length (in); i++)
            {
              JsonNode *e = json_array_get_element (in, i);
              const char *choice;

              if (!json_is_string (e))
                {
                  g_set_error_literal (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                                       _("choices must be text"));
                  return NULL;
                }
              choice = find_choice (field, json_node_get_string (e));
              if (choice == NULL || !choice_is_allowed (field, choice))
                {
                  g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                               _("“%s” is not an allowed choice"), json_node_get_string (e));
                  return NULL;
                }
              json_array_add_string_element (out, choice);
            }
          node = json_node_new (JSON_NODE_ARRAY);
          json_node_set_array (node, out);
          return node;
        }
      break;

    case KONTOR_FIELD_TEXT:
    case KONTOR_FIELD_LONG_TEXT:
    case KONTOR_FIELD_DECIMAL:
    case KONTOR_FIELD_DATE:
    case KONTOR_FIELD_DATETIME:
    case KONTOR_FIELD_CHOICE:
    case KONTOR_FIELD_REFERENCE:
    case KONTOR_FIELD_EMAIL:
    case KONTOR_FIELD_PHONE:
    case KONTOR_FIELD_URL:
    case KONTOR_FIELD_BLOB:
    case KONTOR_N_FIELD_TYPES:
    default:
      break;
    }

  g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
               _("wrong kind of value for a %s field"),
               kontor_field_type_to_string (field->type));
  return NULL;
}

char *
kontor_field_format (const KontorField *field,
                     JsonNode          *value)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("");

  switch (field->type)
    {
    case KONTOR_FIELD_INTEGER:
      if (json_is_int (value))
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
      break;

    case KONTOR_FIELD_BOOLEAN:
      if (JSON_NODE_HOLDS_VALUE (value))
        return g_strdup (json_node_get_boolean (value) ? "yes" : "no");
      break;

    case KONTOR_FIELD_MONEY:
      if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *obj = json_node_get_object (value);
          gint64 minor = json_object_get_int_member_with_default (obj, "minor", 0);
          const char *cur = json_object_get_string_member_with_default (obj, "currency", "");
          guint digits = kontor_currency_digits (cur);
          guint64 abs_minor = minor < 0 ? -(guint64) minor : (guint64) minor;
          guint64 scale = 1;

          for (guint i = 0; i < digits; i++)
            scale *= 10;
          if (digits == 0)
            return g_strdup_printf ("%s%" G_GUINT64_FORMAT " %s", minor < 0 ? "-" : "",
                                    abs_minor, cur);
          return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT " %s",
                                  minor < 0 ? "-" : "", abs_minor / scale, (int) digits,
                                  abs_minor % scale, cur);
        }
      break;

    case KONTOR_FIELD_MULTI_CHOICE:
      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *array = json_node_get_array (value);
          g_autoptr(GString) s = g_string_new (NULL);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              if (i > 0)
                g_string_append (s, ", ");
              g_string_append (s, json_array_get_string_element (array, i));
            }
          return g_string_free (g_steal_pointer (&s), FALSE);
        }
      break;

    case KONTOR_FIELD_TEXT:
    case KONTOR_FIELD_LONG_TEXT:
    case KONTOR_FIELD_DECIMAL:
    case KONTOR_FIELD_DATE:
    case KONTOR_FIELD_DATETIME:
    case KONTOR_FIELD_CHOICE:
    case KONTOR_FIELD_REFERENCE:
    case KONTOR_FIELD_EMAIL:
    case KONTOR_FIELD_PHONE:
    case KONTOR_FIELD_URL:
    case KONTOR_FIELD_BLOB:
    case KONTOR_N_FIELD_TYPES:
    default:
      if (json_is_string (value))
        return g_strdup (json_node_get_string (value));
      break;
    }

  /* a value of an unexpected shape (from a newer schema): show its JSON */
  return json_to_string (value, FALSE);
}
