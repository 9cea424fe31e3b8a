/* kontor-record.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-model"

#include "config.h"

#include "kontor-record.h"

struct _KontorRecord
{
  GObject     parent_instance;
  char       *id;
  char       *kind;
  char       *title;
  JsonObject *values;
  GStrv       conflicts;
  guint       deleted : 1;
};

G_DEFINE_FINAL_TYPE (KontorRecord, kontor_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_TITLE,
  PROP_DELETED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kontor_record_finalize (GObject *object)
{
  KontorRecord *self = (KontorRecord *) object;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->title);
  g_clear_pointer (&self->values, json_object_unref);
  g_strfreev (self->conflicts);

  G_OBJECT_CLASS (kontor_record_parent_class)->finalize (object);
}

static void
kontor_record_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KontorRecord *self = KONTOR_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_TITLE:
      g_value_set_string (value, kontor_record_get_title (self));
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_record_class_init (KontorRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kontor_record_finalize;
  object_class->get_property = kontor_record_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_record_init (KontorRecord *self)
{
}

static JsonNode *
deep_copy_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *copy = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) obj = kontor_json_object_copy (json_node_get_object (node));

      json_node_set_object (copy, obj);
      return copy;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *in = json_node_get_array (node);
      g_autoptr(JsonArray) out = json_array_sized_new (json_array_get_length (in));
      JsonNode *copy = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < json_array_get_length (in); i++)
        json_array_add_element (out, deep_copy_node (json_array_get_element (in, i)));
      json_node_set_array (copy, out);
      return copy;
    }
  return json_node_copy (node);
}

JsonObject *
kontor_json_object_copy (JsonObject *obj)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (obj != NULL, NULL);

  members = json_object_get_members (obj);
  for (GList *l = members; l; l = l->next)
    json_object_set_member (copy, l->data, deep_copy_node (json_object_get_member (obj, l->data)));

  return copy;
}

KontorRecord *
kontor_record_new (const char *id,
                   const char *kind,
                   JsonObject *values)
{
  KontorRecord *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  self = g_object_new (KONTOR_TYPE_RECORD, NULL);
  self->id = g_strdup (id);
  self->kind = g_strdup (kind);
  self->values = values ? kontor_json_object_copy (values) : json_object_new ();

  return self;
}

const char *
kontor_record_get_id (KontorRecord *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD (self), NULL);
  return self->id;
}

const char *
kontor_record_get_kind (KontorRecord *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD (self), NULL);
  return self->kind;
}

JsonObject *
kontor_record_get_values (KontorRecord *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD (self), NULL);
  return self->values;
}

JsonNode *
kontor_record_get_value (KontorRecord *self,
                         const char   *field)
{
  g_return_val_if_fail (KONTOR_IS_RECORD (self), NULL);
  return json_object_get_member (self->values, field);
}

const char *
kontor_record_get_string (KontorRecord *self,
                          const char   *field)
{
  JsonNode *node = kontor_record_get_value (self, field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gint64
kontor_record_get_int (KontorRecord *self,
                       const char   *field,
                       gint64        default_value)
{
  JsonNode *node = kontor_record_get_value (self, field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return default_value;

  return json_node_get_int (node);
}

gboolean
kontor_record_get_deleted (KontorRecord *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD (self), FALSE);
  return self->deleted;
}

void
kontor_record_set_deleted (KontorRecord *self,
                           gboolean      deleted)
{
  g_return_if_fail (KONTOR_IS_RECORD (self));

  deleted = !!deleted;
  if (self->deleted != deleted)
    {
      self->deleted = deleted;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
    }
}

const char * const *
kontor_record_get_conflicts (KontorRecord *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD (self), NULL);
  return (const char * const *) self->conflicts;
}

void
kontor_record_set_conflicts (KontorRecord       *self,
                             const char * const *fields)
{
  g_return_if_fail (KONTOR_IS_RECORD (self));

  g_strfreev (self->conflicts);
  self->conflicts = (fields && fields[0]) ? g_strdupv ((char **) fields) : NULL;
}

const char *
kontor_record_get_title (KontorRecord *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD (self), NULL);
  return self->title ? self->title : "";
}

void
kontor_record_set_title (KontorRecord *self,
                         const char   *title)
{
  g_return_if_fail (KONTOR_IS_RECORD (self));

  if (g_strcmp0 (self->title, title) != 0)
    {
      g_free (self->title);
      self->title = g_strdup (title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
}

JsonNode *
kontor_record_to_json (KontorRecord *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) values = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (KONTOR_IS_RECORD (self), NULL);

  json_node_set_object (values, self->values);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, self->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, self->kind);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, kontor_record_get_title (self));
  json_builder_set_member_name (b, "deleted");
  json_builder_add_boolean_value (b, self->deleted);
  if (self->conflicts != NULL)
    {
      json_builder_set_member_name (b, "conflicts");
      json_builder_begin_array (b);
      for (guint i = 0; self->conflicts[i]; i++)
        json_builder_add_string_value (b, self->conflicts[i]);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "values");
  json_builder_add_value (b, json_node_copy (values));
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
