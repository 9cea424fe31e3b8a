/* kontor-sync-op.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-sync-op.h"

void
kontor_sync_op_free (KontorSyncOp *op)
{
  if (op == NULL)
    return;
  g_free (op->record);
  g_free (op->kind);
  g_clear_pointer (&op->fields, json_object_unref);
  g_clear_pointer (&op->vv, kontor_version_vector_free);
  g_free (op);
}

static gboolean
malformed (GError    **error,
           const char *what)
{
  g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED, _("Malformed op: %s"), what);
  return FALSE;
}

static const char *
string_member (JsonObject *obj,
               const char *name,
               gsize       max_len)
{
  JsonNode *node = json_object_get_member (obj, name);
  const char *s;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  s = json_node_get_string (node);
  if (s[0] == '\0' || strlen (s) > max_len)
    return NULL;
  for (const char *p = s; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '_'))
      return NULL;
  return s;
}

KontorSyncOp *
kontor_sync_op_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(KontorSyncOp) op = g_new0 (KontorSyncOp, 1);
  JsonObject *obj;
  JsonNode *dot;
  JsonNode *fields;
  JsonArray *dot_array;
  JsonNode *r;
  JsonNode *c;
  const char *s;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return malformed (error, _("not an object")), NULL;
  obj = json_node_get_object (node);

  if ((s = string_member (obj, "record", KONTOR_SYNC_ID_MAX)) == NULL)
    return malformed (error, _("“record” must be an id")), NULL;
  op->record = g_strdup (s);
  if ((s = string_member (obj, "kind", KONTOR_SYNC_KIND_MAX)) == NULL)
    return malformed (error, _("“kind” must be a kind name")), NULL;
  op->kind = g_strdup (s);

  dot = json_object_get_member (obj, "dot");
  if (dot == NULL || !JSON_NODE_HOLDS_ARRAY (dot) ||
      json_array_get_length (dot_array = json_node_get_array (dot)) != 2)
    return malformed (error, _("“dot” must be [replica, counter]")), NULL;
  r = json_array_get_element (dot_array, 0);
  c = json_array_get_element (dot_array, 1);
  if (!JSON_NODE_HOLDS_VALUE (r) || json_node_get_value_type (r) != G_TYPE_INT64 ||
      !JSON_NODE_HOLDS_VALUE (c) || json_node_get_value_type (c) != G_TYPE_INT64 ||
      json_node_get_int (r) < 0 || json_node_get_int (r) > G_MAXUINT32 ||
      json_node_get_int (c) < 1)
    return malformed (error, _("“dot” must be [replica, counter] with counter ≥ 1")), NULL;
  op->dot.replica = json_node_get_int (r);
  op->dot.counter = json_node_get_int (c);

  fields = json_object_get_member (obj, "fields");
  if (fields == NULL || !JSON_NODE_HOLDS_OBJECT (fields) ||
      json_object_get_size (json_node_get_object (fields)) == 0)
    return malformed (error, _("“fields” must be a non-empty object")), NULL;
  op->fields = json_object_ref (json_node_get_object (fields));

  if (json_object_get_member (obj, "vv") == NULL)
    return malformed (error, _("“vv” is missing")), NULL;
  op->vv = kontor_version_vector_from_json (json_object_get_member (obj, "vv"), error);
  if (op->vv == NULL)
    return NULL;
  if (kontor_version_vector_get (op->vv, op->dot.replica) != op->dot.counter)
    return malformed (error, _("“vv” must hold the op's own dot")), NULL;

  return g_steal_pointer (&op);
}

JsonNode *
kontor_sync_op_to_json (const KontorSyncOp *op)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) fields = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (fields, op->fields);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "record");
  json_builder_add_string_value (b, op->record);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, op->kind);
  json_builder_set_member_name (b, "dot");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, op->dot.replica);
  json_builder_add_int_value (b, (gint64) op->dot.counter);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "fields");
  json_builder_add_value (b, json_node_copy (fields));
  json_builder_set_member_name (b, "vv");
  json_builder_add_value (b, kontor_version_vector_to_json (op->vv));
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

KontorSyncRecord *
kontor_sync_op_to_record (const KontorSyncOp  *op,
                          GError             **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) names = json_object_get_members (op->fields);

  names = g_list_sort (names, (GCompareFunc) strcmp);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "f");
  json_builder_begin_object (b);
  for (GList *l = names; l; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (op->fields, name);

      json_builder_set_member_name (b, name);
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "d");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, op->dot.replica);
      json_builder_add_int_value (b, (gint64) op->dot.counter);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "v");
      json_builder_add_value (b, json_node_copy (value));
      /* a delete carries what it was made against */
      if (g_str_equal (name, KONTOR_SYNC_FIELD_DELETED) && JSON_NODE_HOLDS_VALUE (value) &&
          json_node_get_value_type (value) == G_TYPE_BOOLEAN && json_node_get_boolean (value))
        {
          /* the vector before the edit: the op's own dot is not part of it */
          g_autoptr(KontorVersionVector) before = kontor_version_vector_copy (op->vv);

          kontor_version_vector_set (before, op->dot.replica, op->dot.counter - 1);
          json_builder_set_member_name (b, "c");
          json_builder_add_value (b, kontor_version_vector_to_json (before));
        }
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "vv");
  json_builder_add_value (b, kontor_version_vector_to_json (op->vv));
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return kontor_sync_record_from_json (root, error);
}

char *
kontor_sync_op_hash (const KontorSyncOp *op)
{
  g_autoptr(KontorSyncRecord) rec = kontor_sync_op_to_record (op, NULL);
  g_autofree char *state = NULL;
  g_autofree char *text = NULL;

  /* the canonical state sorts fields and normalises numbers */
  state = rec ? kontor_sync_record_to_string (rec) : g_strdup ("?");
  text = g_strdup_printf ("%s\n%s\n%s", op->record, op->kind, state);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static void
rename_vv (JsonObject *vv,
           const char *from,
           const char *to)
{
  JsonNode *node = json_object_get_member (vv, from);

  if (node != NULL)
    {
      json_object_set_member (vv, to, json_node_copy (node));
      json_object_remove_member (vv, from);
    }
}

KontorSyncRecord *
kontor_sync_record_rename_replica (const KontorSyncRecord *rec,
                                   guint32                 from,
                                   guint32                 to)
{
  g_autoptr(JsonNode) root = kontor_sync_record_to_json (rec);
  g_autofree char *from_s = g_strdup_printf ("%u", from);
  g_autofree char *to_s = g_strdup_printf ("%u", to);
  JsonObject *obj = json_node_get_object (root);
  JsonObject *fields = json_object_get_object_member (obj, "f");
  g_autoptr(GList) names = NULL;
  g_autoptr(GError) error = NULL;
  KontorSyncRecord *renamed;

  rename_vv (json_object_get_object_member (obj, "vv"), from_s, to_s);

  names = json_object_get_members (fields);
  for (GList *l = names; l; l = l->next)
    {
      JsonArray *versions = json_object_get_array_member (fields, l->data);

      for (guint i = 0; i < json_array_get_length (versions); i++)
        {
          JsonObject *v = json_array_get_object_element (versions, i);
          JsonArray *dot = json_object_get_array_member (v, "d");

          if ((guint64) json_array_get_int_element (dot, 0) == from)
            {
              gint64 counter = json_array_get_int_element (dot, 1);
              JsonArray *nd = json_array_new ();

              json_array_add_int_element (nd, to);
              json_array_add_int_element (nd, counter);
              json_object_set_array_member (v, "d", nd);
            }
          if (json_object_has_member (v, "c"))
            rename_vv (json_object_get_object_member (v, "c"), from_s, to_s);
        }
    }

  renamed = kontor_sync_record_from_json (root, &error);
  if (renamed == NULL)
    g_critical ("renaming replica %u to %u broke a state: %s", from, to, error->message);
  return renamed;
}

/* The highest new counter among moved old counters <= old. */
static guint64
mapped_upto (GHashTable *map,
             guint64     old)
{
  GHashTableIter iter;
  gpointer k, v;
  guint64 best = 0;

  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (GPOINTER_TO_SIZE (k) <= old && GPOINTER_TO_SIZE (v) > best)
      best = GPOINTER_TO_SIZE (v);
  return best;
}

void
kontor_version_vector_move (KontorVersionVector *vv,
                            guint32              from,
                            guint32              to,
                            guint64              first_moved,
                            GHashTable          *map)
{
  guint64 seen = kontor_version_vector_get (vv, from);

  if (seen < first_moved)
    return;
  kontor_version_vector_set (vv, to, MAX (kontor_version_vector_get (vv, to),
                                          mapped_upto (map, seen)));
  kontor_version_vector_set (vv, from, first_moved - 1);
}

static void
move_vv_json (JsonObject *obj,
              guint32     from,
              guint32     to,
              guint64     first_moved,
              GHashTable *map)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(KontorVersionVector) vv = NULL;
  g_autoptr(JsonNode) moved = NULL;
  g_autoptr(GList) names = NULL;

  json_node_set_object (node, obj);
  vv = kontor_version_vector_from_json (node, NULL);
  if (vv == NULL)
    return;
  kontor_version_vector_move (vv, from, to, first_moved, map);
  moved = kontor_version_vector_to_json (vv);

  names = json_object_get_members (obj);
  for (GList *l = names; l; l = l->next)
    json_object_remove_member (obj, l->data);
  g_list_free (g_steal_pointer (&names));
  names = json_object_get_members (json_node_get_object (moved));
  for (GList *l = names; l; l = l->next)
    json_object_set_member (obj, l->data,
                            json_node_copy (json_object_get_member (json_node_get_object (moved),
                                                                    l->data)));
}

KontorSyncRecord *
kontor_sync_record_move_dots (const KontorSyncRecord *rec,
                              guint32                 from,
                              guint32                 to,
                              guint64                 first_moved,
                              GHashTable             *map)
{
  g_autoptr(JsonNode) root = kontor_sync_record_to_json (rec);
  JsonObject *obj = json_node_get_object (root);
  JsonObject *fields = json_object_get_object_member (obj, "f");
  g_autoptr(GList) names = json_object_get_members (fields);
  g_autoptr(GError) error = NULL;
  KontorSyncRecord *moved;

  for (GList *l = names; l; l = l->next)
    {
      JsonArray *versions = json_object_get_array_member (fields, l->data);

      for (guint i = 0; i < json_array_get_length (versions); i++)
        {
          JsonObject *v = json_array_get_object_element (versions, i);
          JsonArray *dot = json_object_get_array_member (v, "d");
          guint64 counter = json_array_get_int_element (dot, 1);

          if ((guint64) json_array_get_int_element (dot, 0) == from && counter >= first_moved &&
              g_hash_table_contains (map, GSIZE_TO_POINTER (counter)))
            {
              JsonArray *nd = json_array_new ();

              json_array_add_int_element (nd, to);
              json_array_add_int_element (nd, GPOINTER_TO_SIZE (g_hash_table_lookup (map,
                                                                                    GSIZE_TO_POINTER (counter))));
              json_object_set_array_member (v, "d", nd);
            }
          if (json_object_has_member (v, "c"))
            move_vv_json (json_object_get_object_member (v, "c"), from, to, first_moved, map);
        }
    }
  move_vv_json (json_object_get_object_member (obj, "vv"), from, to, first_moved, map);

  moved = kontor_sync_record_from_json (root, &error);
  if (moved == NULL)
    g_critical ("moving the dots of replica %u to %u broke a state: %s", from, to,
                error->message);
  return moved;
}

static gboolean
has_dot_of (JsonObject *fields,
            guint32     replica)
{
  g_autoptr(GList) names = json_object_get_members (fields);

  for (GList *l = names; l; l = l->next)
    {
      JsonArray *versions = json_object_get_array_member (fields, l->data);

      for (guint i = 0; i < json_array_get_length (versions); i++)
        {
          JsonArray *dot = json_object_get_array_member (json_array_get_object_element (versions, i),
                                                         "d");
          if ((guint64) json_array_get_int_element (dot, 0) == replica)
            return TRUE;
        }
    }
  return FALSE;
}

KontorSyncRecord *
kontor_sync_record_prune (const KontorSyncRecord *rec,
                          GArray                 *pruned)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *obj;
  JsonObject *fields;
  JsonObject *vv;
  gboolean changed = FALSE;
  KontorSyncRecord *result;

  if (pruned == NULL || pruned->len == 0)
    return NULL;

  root = kontor_sync_record_to_json (rec);
  obj = json_node_get_object (root);
  fields = json_object_get_object_member (obj, "f");
  vv = json_object_get_object_member (obj, "vv");

  for (guint p = 0; p < pruned->len; p++)
    {
      guint32 r = g_array_index (pruned, guint32, p);
      g_autofree char *key = g_strdup_printf ("%u", r);
      g_autoptr(GList) names = NULL;

      if (!json_object_has_member (vv, key) || has_dot_of (fields, r))
        continue;

      json_object_remove_member (vv, key);
      changed = TRUE;
      names = json_object_get_members (fields);
      for (GList *l = names; l; l = l->next)
        {
          JsonArray *versions = json_object_get_array_member (fields, l->data);

          for (guint i = 0; i < json_array_get_length (versions); i++)
            {
              JsonObject *v = json_array_get_object_element (versions, i);

              if (json_object_has_member (v, "c"))
                {
                  JsonObject *c = json_object_get_object_member (v, "c");

                  if (json_object_has_member (c, key))
                    json_object_remove_member (c, key);
                }
            }
        }
    }

  if (!changed)
    return NULL;

  result = kontor_sync_record_from_json (root, &error);
  if (result == NULL)
    g_critical ("pruning a state broke it: %s", error->message);
  return result;
}
