/* kontor-kind.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-model"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-kind.h"

struct _KontorKind
{
  GObject     parent_instance;
  char       *name;
  char       *label;
  char       *plural_label;
  GPtrArray  *fields;      /* KontorField */
  GHashTable *by_name;     /* name -> KontorField (borrowed from fields) */
};

G_DEFINE_FINAL_TYPE (KontorKind, kontor_kind, G_TYPE_OBJECT)

void
kontor_field_problem_free (KontorFieldProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

static void
add_problem (GPtrArray  *problems,
             const char *field,
             const char *message)
{
  KontorFieldProblem *p = g_new0 (KontorFieldProblem, 1);

  p->field = g_strdup (field);
  p->message = g_strdup (message);
  g_ptr_array_add (problems, p);
}

void
kontor_field_problems_to_error (GPtrArray  *problems,
                                GError    **error)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_return_if_fail (problems != NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      KontorFieldProblem *p = g_ptr_array_index (problems, i);

      if (i > 0)
        g_string_append (s, "; ");
      g_string_append_printf (s, "%s: %s", p->field, p->message);
    }

  g_set_error_literal (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID, s->str);
}

static void
kontor_kind_finalize (GObject *object)
{
  KontorKind *self = (KontorKind *) object;

  g_free (self->name);
  g_free (self->label);
  g_free (self->plural_label);
  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);

  G_OBJECT_CLASS (kontor_kind_parent_class)->finalize (object);
}

static void
kontor_kind_class_init (KontorKindClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kontor_kind_finalize;
}

static void
kontor_kind_init (KontorKind *self)
{
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_field_unref);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
}

KontorKind *
kontor_kind_new (const char *name,
                 const char *label,
                 const char *plural_label)
{
  KontorKind *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (KONTOR_TYPE_KIND, NULL);
  self->name = g_strdup (name);
  self->label = g_strdup (label ? label : name);
  self->plural_label = g_strdup (plural_label ? plural_label : self->label);

  return self;
}

const char *
kontor_kind_get_name (KontorKind *self)
{
  g_return_val_if_fail (KONTOR_IS_KIND (self), NULL);
  return self->name;
}

const char *
kontor_kind_get_label (KontorKind *self)
{
  g_return_val_if_fail (KONTOR_IS_KIND (self), NULL);
  return self->label;
}

const char *
kontor_kind_get_plural_label (KontorKind *self)
{
  g_return_val_if_fail (KONTOR_IS_KIND (self), NULL);
  return self->plural_label;
}

GPtrArray *
kontor_kind_get_fields (KontorKind *self)
{
  g_return_val_if_fail (KONTOR_IS_KIND (self), NULL);
  return self->fields;
}

KontorField *
kontor_kind_get_field (KontorKind *self,
                       const char *name)
{
  g_return_val_if_fail (KONTOR_IS_KIND (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->by_name, name);
}

void
kontor_kind_add_field (KontorKind  *self,
                       KontorField *field)
{
  g_return_if_fail (KONTOR_IS_KIND (self));
  g_return_if_fail (field != NULL);
  g_return_if_fail (kontor_kind_get_field (self, kontor_field_get_name (field)) == NULL);

  g_ptr_array_add (self->fields, kontor_field_ref (field));
  g_hash_table_insert (self->by_name, (gpointer) kontor_field_get_name (field), field);
}

gboolean
kontor_kind_remove_field (KontorKind *self,
                          const char *name)
{
  KontorField *field;

  g_return_val_if_fail (KONTOR_IS_KIND (self), FALSE);

  field = g_hash_table_lookup (self->by_name, name);
  if (field == NULL)
    return FALSE;

  g_hash_table_remove (self->by_name, name);
  g_ptr_array_remove (self->fields, field);
  return TRUE;
}

char *
kontor_kind_format_title (KontorKind *self,
                          JsonObject *values)
{
  g_autoptr(GString) title = g_string_new (NULL);

  g_return_val_if_fail (KONTOR_IS_KIND (self), NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (self->fields, i);
      JsonNode *node;
      g_autofree char *text = NULL;

      if (!kontor_field_has_flag (f, KONTOR_FIELD_FLAG_TITLE))
        continue;
      node = values ? json_object_get_member (values, kontor_field_get_name (f)) : NULL;
      text = kontor_field_format (f, node);
      if (text[0] == '\0')
        continue;
      if (title->len > 0)
        g_string_append_c (title, ' ');
      g_string_append (title, text);
    }

  return g_string_free (g_steal_pointer (&title), FALSE);
}

static gboolean
value_is_empty (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node)[0] == '\0';
  return FALSE;
}

static void
check_reference (KontorField        *field,
                 JsonNode           *value,
                 KontorKindResolver  resolver,
                 gpointer            resolver_data,
                 GPtrArray          *problems)
{
  const char * const *kinds = kontor_field_get_ref_kinds (field);
  const char *id = json_node_get_string (value);
  g_autofree char *kind = resolver (id, resolver_data);

  if (kind == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("no record with id %s"), id);
      add_problem (problems, kontor_field_get_name (field), msg);
    }
  else if (kinds != NULL && !g_strv_contains (kinds, kind))
    {
      g_autofree char *allowed = g_strjoinv (", ", (char **) kinds);
      g_autofree char *msg = g_strdup_printf (_("refers to a %s, expected %s"), kind, allowed);
      add_problem (problems, kontor_field_get_name (field), msg);
    }
}

gboolean
kontor_kind_validate (KontorKind               *self,
                      JsonObject               *values,
                      gboolean                  partial,
                      const KontorParseContext *ctx,
                      KontorKindResolver        resolver,
                      gpointer                  resolver_data,
                      GPtrArray               **problems)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_field_problem_free);
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (KONTOR_IS_KIND (self), FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  members = json_object_get_members (values);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      KontorField *field = kontor_kind_get_field (self, name);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) normalized = NULL;

      if (field == NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("unknown field of a %s"), self->name);
          add_problem (found, name, msg);
          continue;
        }

      normalized = kontor_field_normalize (field, json_object_get_member (values, name),
                                           ctx, &error);
      if (normalized == NULL)
        {
          add_problem (found, name, error->message);
          continue;
        }

      if (kontor_field_get_field_type (field) == KONTOR_FIELD_REFERENCE &&
          resolver != NULL && !JSON_NODE_HOLDS_NULL (normalized))
        check_reference (field, normalized, resolver, resolver_data, found);

      json_object_set_member (values, name, g_steal_pointer (&normalized));
    }

  for (guint i = 0; i < self->fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (self->fields, i);
      const char *name = kontor_field_get_name (f);

      if (!kontor_field_has_flag (f, KONTOR_FIELD_FLAG_REQUIRED))
        continue;
      if (partial && !json_object_has_member (values, name))
        continue;
      if (value_is_empty (json_object_get_member (values, name)))
        add_problem (found, name, _("is required"));
    }

  if (found->len > 0)
    {
      if (problems != NULL)
        *problems = g_steal_pointer (&found);
      return FALSE;
    }

  return TRUE;
}

GStrv
kontor_kind_dup_title_sort_keys (KontorKind *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  KontorField *last_name;

  g_return_val_if_fail (KONTOR_IS_KIND (self), NULL);

  last_name = kontor_kind_get_field (self, "last_name");
  if (last_name != NULL && kontor_field_has_flag (last_name, KONTOR_FIELD_FLAG_TITLE))
    g_strv_builder_add (builder, "last_name");

  for (guint i = 0; i < self->fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (self->fields, i);

      if (kontor_field_has_flag (f, KONTOR_FIELD_FLAG_TITLE) && f != last_name)
        g_strv_builder_add (builder, kontor_field_get_name (f));
    }

  return g_strv_builder_end (builder);
}
