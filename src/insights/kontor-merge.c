/* kontor-merge.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-insights"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-merge.h"

G_DEFINE_QUARK (kontor-merge-error-quark, kontor_merge_error)

G_DEFINE_BOXED_TYPE (KontorMergeResult, kontor_merge_result,
                     kontor_merge_result_copy, kontor_merge_result_free)

KontorMergeResult *
kontor_merge_result_copy (const KontorMergeResult *self)
{
  KontorMergeResult *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (KontorMergeResult, 1);
  copy->history_id = g_strdup (self->history_id);
  copy->survivor_id = g_strdup (self->survivor_id);
  copy->merged_id = g_strdup (self->merged_id);
  copy->changed_fields = g_strdupv (self->changed_fields);
  copy->n_moved_links = self->n_moved_links;

  return copy;
}

void
kontor_merge_result_free (KontorMergeResult *self)
{
  if (self == NULL)
    return;

  g_free (self->history_id);
  g_free (self->survivor_id);
  g_free (self->merged_id);
  g_strfreev (self->changed_fields);
  g_free (self);
}

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

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

static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  if (value_is_empty (a) || value_is_empty (b))
    return value_is_empty (a) && value_is_empty (b);

  return json_node_equal (a, b);
}

static gboolean
is_string (JsonNode   *node,
           const char *text)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING &&
         g_strcmp0 (json_node_get_string (node), text) == 0;
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static char *
array_to_string (JsonArray *array)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (node, array);
  return json_to_string (node, FALSE);
}

/* The union of two multi-choice values, a's order first. */
static JsonNode *
choice_union (JsonNode *a,
              JsonNode *b)
{
  JsonArray *aa = json_node_get_array (a);
  JsonArray *ba = json_node_get_array (b);
  g_autoptr(JsonArray) out = json_array_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  JsonNode *node;

  for (guint pass = 0; pass < 2; pass++)
    {
      JsonArray *array = pass == 0 ? aa : ba;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          gboolean dup = FALSE;

          for (guint j = 0; j < seen->len && !dup; j++)
            dup = json_node_equal (g_ptr_array_index (seen, j), e);
          if (dup)
            continue;
          g_ptr_array_add (seen, e);
          json_array_add_element (out, json_node_copy (e));
        }
    }

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, out);
  return node;
}

/* Writes exactly target's values to the record: fields not in target are
 * cleared. Only what differs is written. */
static gboolean
set_exact_values (KontorStore  *store,
                  const char   *id,
                  JsonObject   *target,
                  GError      **error)
{
  g_autoptr(KontorRecord) record = kontor_store_get (store, id, error);
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(GList) wanted = NULL;
  g_autoptr(GList) present = NULL;
  g_autoptr(KontorRecord) updated = NULL;
  JsonObject *current;

  if (record == NULL)
    return FALSE;
  current = kontor_record_get_values (record);

  wanted = json_object_get_members (target);
  for (GList *l = wanted; l; l = l->next)
    {
      JsonNode *want = json_object_get_member (target, l->data);

      if (!values_equal (json_object_get_member (current, l->data), want))
        json_object_set_member (changes, l->data, json_node_copy (want));
    }

  present = json_object_get_members (current);
  for (GList *l = present; l; l = l->next)
    if (!json_object_has_member (target, l->data))
      json_object_set_null_member (changes, l->data);

  if (json_object_get_size (changes) == 0)
    return TRUE;

  updated = kontor_store_update (store, id, changes, NULL, error);
  return updated != NULL;
}

/* ---------------------------------------------------------------------- */
/* Merge                                                                  */

/* What the survivor's fields become. */
static JsonObject *
merged_changes (KontorKind   *kind,
                KontorRecord *survivor,
                KontorRecord *other,
                JsonObject   *chosen_values)
{
  JsonObject *changes = json_object_new ();
  JsonObject *sv = kontor_record_get_values (survivor);
  JsonObject *ov = kontor_record_get_values (other);
  const char *survivor_id = kontor_record_get_id (survivor);
  const char *other_id = kontor_record_get_id (other);
  GPtrArray *fields = kontor_kind_get_fields (kind);
  g_autoptr(GList) chosen = NULL;

  /* a chosen field the kind does not have is left in, for the update to
   * refuse with the field's name */
  if (chosen_values != NULL)
    {
      chosen = json_object_get_members (chosen_values);
      for (GList *l = chosen; l; l = l->next)
        if (kontor_kind_get_field (kind, l->data) == NULL)
          json_object_set_member (changes, l->data,
                                  json_node_copy (json_object_get_member (chosen_values, l->data)));
    }

  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *field = g_ptr_array_index (fields, i);
      const char *name = kontor_field_get_name (field);
      KontorFieldType type = kontor_field_get_field_type (field);
      JsonNode *s = json_object_get_member (sv, name);
      JsonNode *o = json_object_get_member (ov, name);
      g_autoptr(JsonNode) target = NULL;

      if (chosen_values != NULL && json_object_has_member (chosen_values, name))
        target = json_node_copy (json_object_get_member (chosen_values, name));
      else if (type == KONTOR_FIELD_MULTI_CHOICE && !value_is_empty (s) && !value_is_empty (o) &&
               JSON_NODE_HOLDS_ARRAY (s) && JSON_NODE_HOLDS_ARRAY (o))
        target = choice_union (s, o);
      else if (value_is_empty (s) && !value_is_empty (o))
        target = json_node_copy (o);
      else if (s != NULL)
        target = json_node_copy (s);
      else
        continue;

      /* the merged record is gone, and a record cannot refer to itself */
      if (type == KONTOR_FIELD_REFERENCE &&
          (is_string (target, other_id) || is_string (target, survivor_id)))
        {
          if (value_is_empty (s) || is_string (s, other_id) || is_string (s, survivor_id))
            {
              json_node_unref (target);
              target = json_node_new (JSON_NODE_NULL);
            }
          else
            {
              json_node_unref (target);
              target = json_node_copy (s);
            }
        }

      if (!values_equal (s, target))
        json_object_set_member (changes, name, g_steal_pointer (&target));
    }

  return changes;
}

/* Points every reference to other_id at survivor_id; appends
 * {"record":…, "field":…} for each to moved. */
static gboolean
move_links (KontorStore  *store,
            const char   *survivor_id,
            const char   *other_id,
            JsonArray    *moved,
            GError      **error)
{
  KontorSchema *schema = kontor_store_get_schema (store);
  g_autoptr(GPtrArray) linked = kontor_store_list_linked (store, other_id, error);

  if (linked == NULL)
    return FALSE;

  for (guint i = 0; i < linked->len; i++)
    {
      KontorRecord *record = g_ptr_array_index (linked, i);
      const char *id = kontor_record_get_id (record);
      KontorKind *kind = kontor_schema_get_kind (schema, kontor_record_get_kind (record));
      g_autoptr(JsonObject) changes = json_object_new ();
      GPtrArray *fields;

      /* the survivor's own fields are set by the merge; a history entry
       * stays about the merge it records */
      if (g_str_equal (id, survivor_id) ||
          g_str_equal (kontor_record_get_kind (record), KONTOR_KIND_MERGE_HISTORY) ||
          kind == NULL)
        continue;

      fields = kontor_kind_get_fields (kind);
      for (guint j = 0; j < fields->len; j++)
        {
          KontorField *field = g_ptr_array_index (fields, j);
          const char *name = kontor_field_get_name (field);
          JsonObject *entry;

          if (kontor_field_get_field_type (field) != KONTOR_FIELD_REFERENCE ||
              !is_string (kontor_record_get_value (record, name), other_id))
            continue;

          json_object_set_string_member (changes, name, survivor_id);
          entry = json_object_new ();
          json_object_set_string_member (entry, "record", id);
          json_object_set_string_member (entry, "field", name);
          json_array_add_object_element (moved, entry);
        }

      if (json_object_get_size (changes) > 0)
        {
          g_autoptr(KontorRecord) updated = kontor_store_update (store, id, changes, NULL, error);

          if (updated == NULL)
            return FALSE;
        }
    }

  return TRUE;
}

static KontorRecord *
get_live (KontorStore  *store,
          const char   *id,
          GError      **error)
{
  g_autoptr(KontorRecord) record = kontor_store_get (store, id, error);

  if (record == NULL)
    return NULL;
  if (kontor_record_get_deleted (record))
    {
      g_set_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_DELETED,
                   _("The record “%s” has been deleted"), id);
      return NULL;
    }

  return g_steal_pointer (&record);
}

gboolean
kontor_merge_records (KontorStore        *store,
                      const char         *survivor_id,
                      const char         *other_id,
                      JsonObject         *chosen_values,
                      KontorMergeResult **result,
                      GError            **error)
{
  g_autoptr(KontorRecord) survivor = NULL;
  g_autoptr(KontorRecord) other = NULL;
  g_autoptr(KontorRecord) history = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonObject) entry = json_object_new ();
  g_autoptr(JsonArray) moved = json_array_new ();
  g_autofree char *before_survivor = NULL;
  g_autofree char *before_other = NULL;
  g_autofree char *moved_text = NULL;
  g_autoptr(GList) changed = NULL;
  const char *kind_name;
  KontorKind *kind;

  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);
  g_return_val_if_fail (survivor_id != NULL, FALSE);
  g_return_val_if_fail (other_id != NULL, FALSE);
  g_return_val_if_fail (result == NULL || *result == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_str_equal (survivor_id, other_id))
    {
      g_set_error_literal (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_SAME_RECORD,
                           _("A record cannot be merged with itself"));
      return FALSE;
    }

  if (!kontor_store_begin (store, error))
    return FALSE;

  if (!(survivor = get_live (store, survivor_id, error)) ||
      !(other = get_live (store, other_id, error)))
    goto fail;

  kind_name = kontor_record_get_kind (survivor);
  if (!g_str_equal (kind_name, kontor_record_get_kind (other)))
    {
      g_set_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_KIND_MISMATCH,
                   _("A %s cannot be merged with a %s"), kind_name, kontor_record_get_kind (other));
      goto fail;
    }
  if (g_str_equal (kind_name, KONTOR_KIND_MERGE_HISTORY) ||
      g_str_equal (kind_name, KONTOR_KIND_CUSTOM_FIELD))
    {
      g_set_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_NOT_MERGEABLE,
                   _("Records of the kind “%s” cannot be merged"), kind_name);
      goto fail;
    }

  kind = kontor_schema_require_kind (kontor_store_get_schema (store), kind_name, error);
  if (kind == NULL)
    goto fail;

  before_survivor = object_to_string (kontor_record_get_values (survivor));
  before_other = object_to_string (kontor_record_get_values (other));

  changes = merged_changes (kind, survivor, other, chosen_values);
  if (json_object_get_size (changes) > 0)
    {
      g_autoptr(KontorRecord) updated = kontor_store_update (store, survivor_id, changes,
                                                             NULL, error);

      if (updated == NULL)
        goto fail;
    }

  if (!move_links (store, survivor_id, other_id, moved, error))
    goto fail;

  /* written while the other is alive: its reference must resolve */
  moved_text = array_to_string (moved);
  json_object_set_string_member (entry, "survivor", survivor_id);
  json_object_set_string_member (entry, "merged", other_id);
  json_object_set_string_member (entry, "before_survivor", before_survivor);
  json_object_set_string_member (entry, "before_other", before_other);
  json_object_set_string_member (entry, "moved_links", moved_text);
  json_object_set_boolean_member (entry, "undone", FALSE);
  history = kontor_store_create (store, KONTOR_KIND_MERGE_HISTORY, NULL, entry, NULL, error);
  if (history == NULL)
    goto fail;

  if (!kontor_store_delete (store, other_id, error))
    goto fail;

  if (!kontor_store_commit (store, error))
    return FALSE;

  if (result != NULL)
    {
      KontorMergeResult *r = g_new0 (KontorMergeResult, 1);
      g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();

      changed = json_object_get_members (changes);
      for (GList *l = changed; l; l = l->next)
        g_strv_builder_add (fields, l->data);

      r->history_id = g_strdup (kontor_record_get_id (history));
      r->survivor_id = g_strdup (survivor_id);
      r->merged_id = g_strdup (other_id);
      r->changed_fields = g_strv_builder_end (fields);
      r->n_moved_links = json_array_get_length (moved);
      *result = r;
    }

  return TRUE;

fail:
  kontor_store_rollback (store);
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Undo                                                                   */

static JsonNode *
parse_member (KontorRecord  *history,
              const char    *field,
              JsonNodeType   type,
              GError       **error)
{
  const char *text = kontor_record_get_string (history, field);
  g_autoptr(JsonNode) node = NULL;

  if (text != NULL)
    node = json_from_string (text, NULL);

  if (node == NULL || JSON_NODE_TYPE (node) != type)
    {
      g_set_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_CORRUPT,
                   _("The merge history entry “%s” has no readable “%s”"),
                   kontor_record_get_id (history), field);
      return NULL;
    }

  return g_steal_pointer (&node);
}

static gboolean
move_links_back (KontorStore  *store,
                 const char   *survivor_id,
                 const char   *merged_id,
                 JsonArray    *moved,
                 GError      **error)
{
  for (guint i = 0; i < json_array_get_length (moved); i++)
    {
      JsonNode *node = json_array_get_element (moved, i);
      g_autoptr(KontorRecord) record = NULL;
      g_autoptr(KontorRecord) updated = NULL;
      g_autoptr(JsonObject) changes = NULL;
      g_autoptr(GError) local = NULL;
      const char *id, *field;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = json_object_get_string_member_with_default (json_node_get_object (node), "record", NULL);
      field = json_object_get_string_member_with_default (json_node_get_object (node), "field",
                                                          NULL);
      if (id == NULL || field == NULL)
        continue;

      /* purged or deleted since: there is nothing to point back */
      record = kontor_store_get (store, id, &local);
      if (record == NULL)
        {
          if (g_error_matches (local, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (kontor_record_get_deleted (record))
        continue;

      /* pointed elsewhere by someone since the merge: theirs is newer */
      if (!is_string (kontor_record_get_value (record, field), survivor_id))
        continue;

      changes = json_object_new ();
      json_object_set_string_member (changes, field, merged_id);
      updated = kontor_store_update (store, id, changes, NULL, error);
      if (updated == NULL)
        return FALSE;
    }

  return TRUE;
}

gboolean
kontor_merge_undo (KontorStore  *store,
                   const char   *history_id,
                   GError      **error)
{
  g_autoptr(KontorRecord) history = NULL;
  g_autoptr(KontorRecord) survivor = NULL;
  g_autoptr(KontorRecord) merged = NULL;
  g_autoptr(KontorRecord) marked = NULL;
  g_autoptr(JsonNode) before_survivor = NULL;
  g_autoptr(JsonNode) before_other = NULL;
  g_autoptr(JsonNode) moved = NULL;
  g_autoptr(JsonObject) undone = json_object_new ();
  const char *survivor_id;
  const char *merged_id;

  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);
  g_return_val_if_fail (history_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kontor_store_begin (store, error))
    return FALSE;

  history = kontor_store_get (store, history_id, error);
  if (history == NULL)
    goto fail;

  if (!g_str_equal (kontor_record_get_kind (history), KONTOR_KIND_MERGE_HISTORY) ||
      kontor_record_get_deleted (history))
    {
      g_set_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_NOT_A_MERGE,
                   _("“%s” is not a merge that can be undone"), history_id);
      goto fail;
    }

  {
    JsonNode *flag = kontor_record_get_value (history, "undone");

    if (flag != NULL && JSON_NODE_HOLDS_VALUE (flag) && json_node_get_boolean (flag))
      {
        g_set_error_literal (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_ALREADY_UNDONE,
                             _("This merge has been undone already"));
        goto fail;
      }
  }

  survivor_id = kontor_record_get_string (history, "survivor");
  merged_id = kontor_record_get_string (history, "merged");
  if (survivor_id == NULL || merged_id == NULL)
    {
      g_set_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_CORRUPT,
                   _("The merge history entry “%s” names no records"), history_id);
      goto fail;
    }

  if (!(before_survivor = parse_member (history, "before_survivor", JSON_NODE_OBJECT, error)) ||
      !(before_other = parse_member (history, "before_other", JSON_NODE_OBJECT, error)) ||
      !(moved = parse_member (history, "moved_links", JSON_NODE_ARRAY, error)))
    goto fail;

  survivor = kontor_store_get (store, survivor_id, error);
  if (survivor == NULL)
    goto fail;
  if (kontor_record_get_deleted (survivor))
    {
      g_set_error (error, KONTOR_MERGE_ERROR, KONTOR_MERGE_ERROR_SURVIVOR_GONE,
                   _("The kept record has been deleted or merged into another since; "
                     "restore it or undo that merge first"));
      goto fail;
    }

  merged = kontor_store_get (store, merged_id, error);
  if (merged == NULL)
    goto fail;
  if (kontor_record_get_deleted (merged))
    {
      g_autoptr(KontorRecord) restored = kontor_store_restore (store, merged_id, error);

      if (restored == NULL)
        goto fail;
    }

  /* the merged record first: the survivor's old values may refer to it */
  if (!set_exact_values (store, merged_id, json_node_get_object (before_other), error) ||
      !set_exact_values (store, survivor_id, json_node_get_object (before_survivor), error) ||
      !move_links_back (store, survivor_id, merged_id, json_node_get_array (moved), error))
    goto fail;

  json_object_set_boolean_member (undone, "undone", TRUE);
  marked = kontor_store_update (store, history_id, undone, NULL, error);
  if (marked == NULL)
    goto fail;

  return kontor_store_commit (store, error);

fail:
  kontor_store_rollback (store);
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* History                                                                */

static int
compare_newest_first (gconstpointer pa,
                      gconstpointer pb)
{
  KontorRecord *a = *(KontorRecord * const *) pa;
  KontorRecord *b = *(KontorRecord * const *) pb;

  /* UUIDv7 ids sort by creation time */
  return -g_strcmp0 (kontor_record_get_id (a), kontor_record_get_id (b));
}

GPtrArray *
kontor_merge_list_history (KontorStore  *store,
                           const char   *record_id,
                           GError      **error)
{
  static const char * const fields[] = { "survivor", "merged" };
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (record_id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(KontorQuery) query = kontor_query_new (KONTOR_KIND_MERGE_HISTORY);
      g_autoptr(GPtrArray) page = NULL;
      const char *values[] = { record_id, NULL };

      kontor_query_add_condition (query, fields[i], KONTOR_QUERY_EQ, values);
      page = kontor_store_query (store, query, 0, 0, error);
      if (page == NULL)
        return NULL;
      for (guint j = 0; j < page->len; j++)
        g_ptr_array_add (entries, g_object_ref (g_ptr_array_index (page, j)));
    }

  g_ptr_array_sort (entries, compare_newest_first);

  return g_steal_pointer (&entries);
}
