/* kontor-store-records.c: records, queries and search of the replica
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-fold.h"
#include "kontor-store-private.h"
#include "kontor-sync-op.h"
#include "kontor-uuid.h"

/* ---------------------------------------------------------------------- */
/* Reading                                                                */

KontorRecord *
_kontor_store_record_from_state (KontorStore      *self,
                   const char       *id,
                   const char       *kind_name,
                   KontorSyncRecord *state)
{
  g_autoptr(JsonObject) values = _kontor_store_state_values (state);
  g_autoptr(GPtrArray) conflicts = kontor_sync_record_conflicts (state);
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (self), kind_name);
  KontorRecord *record = kontor_record_new (id, kind_name, values);

  if (kind != NULL)
    {
      g_autofree char *title = kontor_kind_format_title (kind, values);
      kontor_record_set_title (record, title);
    }

  if (kontor_sync_record_delete_conflict (state))
    g_ptr_array_add (conflicts, g_strdup (KONTOR_SYNC_FIELD_DELETED));
  if (conflicts->len > 0)
    {
      g_ptr_array_add (conflicts, NULL);
      kontor_record_set_conflicts (record, (const char * const *) conflicts->pdata);
    }
  kontor_record_set_deleted (record, kontor_sync_record_is_deleted (state));

  return record;
}

/* Columns 0..2 of stmt are id, kind, state. */
static KontorRecord *
record_from_row (KontorStore   *self,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  g_autoptr(KontorSyncRecord) state = NULL;

  state = parse_state ((const char *) sqlite3_column_text (stmt, 2), error);
  if (state == NULL)
    return NULL;

  return _kontor_store_record_from_state (self,
                            (const char *) sqlite3_column_text (stmt, 0),
                            (const char *) sqlite3_column_text (stmt, 1),
                            state);
}

gboolean
_kontor_store_load_state (KontorStore       *self,
            const char        *id,
            gint64            *rid,
            char             **kind,
            KontorSyncRecord **state,
            GError           **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT rid, kind, state FROM record WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_NOT_FOUND,
                   _("No record with id “%s”"), id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return set_sqlite_error (error, _kontor_store_get_db (self), rc,
                               _("Cannot read a record"));
    }

  *rid = sqlite3_column_int64 (stmt, 0);
  *kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  *state = parse_state ((const char *) sqlite3_column_text (stmt, 2), error);
  sqlite3_reset (stmt);

  return *state != NULL;
}

KontorRecord *
kontor_store_get (KontorStore  *self,
                  const char   *id,
                  GError      **error)
{
  g_autoptr(KontorSyncRecord) state = NULL;
  g_autofree char *kind = NULL;
  gint64 rid;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!_kontor_store_load_state (self, id, &rid, &kind, &state, error))
    return NULL;

  return _kontor_store_record_from_state (self, id, kind, state);
}

char *
kontor_store_get_state (KontorStore  *self,
                        const char   *id,
                        GError      **error)
{
  g_autoptr(KontorSyncRecord) state = NULL;
  g_autofree char *kind = NULL;
  gint64 rid;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);

  if (!_kontor_store_load_state (self, id, &rid, &kind, &state, error))
    return NULL;

  return kontor_sync_record_to_string (state);
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                */

static char *
resolve_kind (const char *id,
              gpointer    user_data)
{
  KontorStore *self = user_data;
  sqlite3_stmt *stmt = prepare (self, "SELECT kind FROM record WHERE id = ? AND deleted = 0",
                                NULL);
  char *kind = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return kind;
}

static char *
search_text (KontorKind *kind,
             JsonObject *values)
{
  GPtrArray *fields = kontor_kind_get_fields (kind);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      JsonNode *value;
      g_autofree char *s = NULL;

      if (!kontor_field_has_flag (f, KONTOR_FIELD_FLAG_SEARCHABLE))
        continue;
      value = json_object_get_member (values, kontor_field_get_name (f));
      if (value == NULL)
        continue;
      s = kontor_field_format (f, value);
      if (s[0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, s);
      /* phone numbers: also the national digits, so "0711 123" finds +49711123... */
      if (kontor_field_get_field_type (f) == KONTOR_FIELD_PHONE && s[0] == '+')
        g_string_append_printf (text, " %s", s + 1);
    }

  /* the German spelling of each word with an umlaut or ß ("Müller" is
   * found as "Mueller"); the others are in the text already */
  if (kontor_fold_has_umlaut (text->str))
    {
      gsize len = text->len;
      gsize start = 0;

      g_string_append_c (text, '\n');
      while (start < len)
        {
          gsize end = start;
          gboolean umlaut = FALSE;

          while (end < len && !g_ascii_isspace (text->str[end]))
            {
              if ((guchar) text->str[end] >= 0x80)
                umlaut = TRUE;
              end++;
            }
          if (umlaut)
            {
              g_autofree char *word = g_strndup (text->str + start, end - start);

              if (kontor_fold_has_umlaut (word))
                {
                  g_autofree char *translit = kontor_fold_transliterate (word, -1);

                  g_string_append (text, translit);
                  g_string_append_c (text, ' ');
                }
            }
          start = end + 1;
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* values: the state's winning values when the caller has them, or NULL */
static gboolean
reindex (KontorStore       *self,
         gint64             rid,
         gboolean           is_new,
         KontorKind        *kind,
         KontorSyncRecord  *state,
         JsonObject        *given_values,
         GError           **error)
{
  g_autoptr(JsonObject) values = NULL;
  sqlite3_stmt *stmt;
  GPtrArray *fields;

  if (!is_new)
    {
      if (!(stmt = prepare (self, "DELETE FROM record_fts WHERE rowid = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      if (!step_done (self, stmt, error))
        return FALSE;

      if (!(stmt = prepare (self, "DELETE FROM link WHERE src = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  /* tombstones are neither found, nor listed, nor linked */
  if (kontor_sync_record_is_deleted (state) || kind == NULL)
    return is_new || kind == NULL ||
           _kontor_store_delete_keys (self, rid, kontor_kind_get_name (kind), error);

  values = given_values ? json_object_ref (given_values) : _kontor_store_state_values (state);

  if (!_kontor_store_write_keys (self, rid, kontor_kind_get_name (kind), values, is_new, error))
    return FALSE;

  {
    g_autofree char *text = search_text (kind, values);

    if (!(stmt = prepare (self, "INSERT INTO record_fts (rowid, kind, text) VALUES (?, ?, ?)",
                          error)))
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, rid);
    sqlite3_bind_text (stmt, 2, kontor_kind_get_name (kind), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
    if (!step_done (self, stmt, error))
      return FALSE;
  }

  fields = kontor_kind_get_fields (kind);
  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      const char *name = kontor_field_get_name (f);
      JsonNode *value;

      if (kontor_field_get_field_type (f) != KONTOR_FIELD_REFERENCE)
        continue;
      value = json_object_get_member (values, name);
      if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
          json_node_get_value_type (value) != G_TYPE_STRING)
        continue;

      if (!(stmt = prepare (self, "INSERT OR IGNORE INTO link (dst, src, field) VALUES (?, ?, ?)",
                            error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, json_node_get_string (value), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, rid);
      sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
_kontor_store_reindex (KontorStore       *self,
         gint64             rid,
         gboolean           is_new,
         KontorKind        *kind,
         KontorSyncRecord  *state,
         GError           **error)
{
  return reindex (self, rid, is_new, kind, state, NULL, error);
}

/* Custom field definitions are records; keep the schema in step with them. */
static gboolean
apply_custom_field (KontorStore       *self,
                    const char        *id,
                    KontorSyncRecord  *state,
                    GError           **error)
{
  KontorSchema *schema = kontor_store_get_schema (self);
  g_autoptr(JsonObject) values = NULL;
  KontorField *field;

  if (kontor_sync_record_is_deleted (state))
    {
      kontor_schema_remove_definition (schema, id);
      return TRUE;
    }

  values = _kontor_store_state_values (state);
  field = kontor_schema_apply_definition (schema, id, values, error);
  if (field == NULL)
    return FALSE;

  return _kontor_store_ensure_field_index (self,
                                           json_object_get_string_member (values, "kind"),
                                           field, error);
}

static gboolean
write_state (KontorStore       *self,
             gint64            *rid,
             const char        *id,
             const char        *kind_name,
             KontorSyncRecord  *state,
             JsonObject        *values,
             GError           **error)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (self), kind_name);
  /* vector entries the server pruned stay pruned here too */
  g_autoptr(KontorSyncRecord) pruned = kontor_sync_record_prune (state,
                                                                 _kontor_store_get_pruned (self));
  g_autofree char *json = kontor_sync_record_to_string (pruned ? pruned : state);
  g_autoptr(GPtrArray) conflicts = kontor_sync_record_conflicts (state);
  gboolean conflicted = conflicts->len > 0 || kontor_sync_record_delete_conflict (state);
  gboolean is_new = *rid == 0;
  sqlite3_stmt *stmt;

  if (g_str_equal (kind_name, KONTOR_KIND_CUSTOM_FIELD) &&
      !apply_custom_field (self, id, state, error))
    return FALSE;

  if (is_new)
    {
      stmt = prepare (self,
                      "INSERT INTO record (id, kind, state, deleted, conflicted, updated_at) "
                      "VALUES (?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, kind_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, kontor_sync_record_is_deleted (state));
      sqlite3_bind_int (stmt, 5, conflicted);
      sqlite3_bind_int64 (stmt, 6, g_get_real_time () / 1000);
      if (!step_done (self, stmt, error))
        return FALSE;
      *rid = sqlite3_last_insert_rowid (_kontor_store_get_db (self));
    }
  else
    {
      stmt = prepare (self,
                      "UPDATE record SET state = ?, deleted = ?, conflicted = ?, updated_at = ? "
                      "WHERE rid = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, kontor_sync_record_is_deleted (state));
      sqlite3_bind_int (stmt, 3, conflicted);
      sqlite3_bind_int64 (stmt, 4, g_get_real_time () / 1000);
      sqlite3_bind_int64 (stmt, 5, *rid);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  if (!reindex (self, *rid, is_new, kind, state, values, error))
    return FALSE;

  _kontor_store_mark_dirty (self, kind_name);
  return TRUE;
}

gboolean
_kontor_store_write_state (KontorStore       *self,
             gint64            *rid,
             const char        *id,
             const char        *kind_name,
             KontorSyncRecord  *state,
             GError           **error)
{
  return write_state (self, rid, id, kind_name, state, NULL, error);
}

static gboolean
append_outbox (KontorStore       *self,
               const char        *id,
               const char        *kind,
               const KontorDot   *dot,
               JsonObject        *changes,
               KontorSyncRecord  *state,
               GError           **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *fields = NULL;
  g_autofree char *vv = kontor_version_vector_to_string (kontor_sync_record_get_vv (state));
  sqlite3_stmt *stmt;

  json_node_set_object (node, changes);
  fields = json_to_string (node, FALSE);

  stmt = prepare (self,
                  "INSERT INTO outbox (record_id, kind, replica, counter, fields, vv, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, dot->replica);
  sqlite3_bind_int64 (stmt, 4, (gint64) dot->counter);
  sqlite3_bind_text (stmt, 5, fields, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, vv, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / 1000);

  return step_done (self, stmt, error);
}

/* One local edit: a fresh dot, the state, its indexes and the outbox entry,
 * all in one transaction. */
static gboolean
local_edit (KontorStore       *self,
            gint64            *rid,
            const char        *id,
            const char        *kind,
            KontorSyncRecord  *state,
            JsonObject        *changes,
            gboolean           created,
            GError           **error)
{
  KontorDot dot;
  /* a created record's values are its first edit's */
  gboolean fresh = *rid == 0 && created;

  if (!_kontor_store_next_dot (self, &dot, error))
    return FALSE;

  kontor_sync_record_apply_edit (state, &dot, changes);

  return write_state (self, rid, id, kind, state, fresh ? changes : NULL, error) &&
         append_outbox (self, id, kind, &dot, changes, state, error);
}

static gboolean
validate (KontorStore  *self,
          KontorKind   *kind,
          JsonObject   *values,
          gboolean      partial,
          GPtrArray   **problems,
          GError      **error)
{
  g_autoptr(GPtrArray) found = NULL;

  if (kontor_kind_validate (kind, values, partial, kontor_store_get_parse_context (self),
                            resolve_kind, self, &found))
    return TRUE;

  kontor_field_problems_to_error (found, error);
  if (problems != NULL)
    *problems = g_steal_pointer (&found);
  return FALSE;
}

/* Validates and writes a new record; its state and id come back. */
static gboolean
create_record (KontorStore       *self,
               const char        *kind_name,
               const char        *id,
               JsonObject        *values,
               KontorSyncRecord **state_out,
               char             **id_out,
               GPtrArray        **problems,
               GError           **error)
{
  g_autoptr(JsonObject) clean = NULL;
  g_autoptr(KontorSyncRecord) state = NULL;
  g_autofree char *new_id = NULL;
  g_autoptr(GList) members = NULL;
  KontorKind *kind;
  gint64 rid = 0;

  kind = kontor_schema_require_kind (kontor_store_get_schema (self), kind_name, error);
  if (kind == NULL)
    return FALSE;

  if (id != NULL && !kontor_uuid_is_valid (id))
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                   _("“%s” is not a record id"), id);
      return FALSE;
    }

  clean = kontor_json_object_copy (values);
  if (!validate (self, kind, clean, FALSE, problems, error))
    return FALSE;

  /* a new record carries only the fields that have a value */
  members = json_object_get_members (clean);
  for (GList *l = members; l; l = l->next)
    if (JSON_NODE_HOLDS_NULL (json_object_get_member (clean, l->data)))
      json_object_remove_member (clean, l->data);

  new_id = id ? g_strdup (id) : kontor_uuid_new ();
  state = kontor_sync_record_new ();

  if (!kontor_store_begin (self, error))
    return FALSE;

  /* a fresh UUIDv7 is new; a given id may be taken */
  if (id != NULL)
    {
      sqlite3_stmt *stmt = prepare (self, "SELECT 1 FROM record WHERE id = ?", error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, new_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_EXISTS,
                       _("A record with id “%s” exists already"), new_id);
          goto fail;
        }
      sqlite3_reset (stmt);
    }

  if (!local_edit (self, &rid, new_id, kind_name, state, clean, TRUE, error))
    goto fail;

  if (!kontor_store_commit (self, error))
    return FALSE;

  if (state_out != NULL)
    *state_out = g_steal_pointer (&state);
  if (id_out != NULL)
    *id_out = g_steal_pointer (&new_id);
  return TRUE;

fail:
  kontor_store_rollback (self);
  return FALSE;
}

KontorRecord *
kontor_store_create (KontorStore  *self,
                     const char   *kind_name,
                     const char   *id,
                     JsonObject   *values,
                     GPtrArray   **problems,
                     GError      **error)
{
  g_autoptr(KontorSyncRecord) state = NULL;
  g_autofree char *new_id = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  g_return_val_if_fail (kind_name != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  if (!create_record (self, kind_name, id, values, &state, &new_id, problems, error))
    return NULL;

  return _kontor_store_record_from_state (self, new_id, kind_name, state);
}

gboolean
kontor_store_add (KontorStore  *self,
                  const char   *kind_name,
                  const char   *id,
                  JsonObject   *values,
                  char        **new_id,
                  GPtrArray   **problems,
                  GError      **error)
{
  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind_name != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  return create_record (self, kind_name, id, values, NULL, new_id, problems, error);
}

KontorRecord *
kontor_store_update (KontorStore  *self,
                     const char   *id,
                     JsonObject   *changes,
                     GPtrArray   **problems,
                     GError      **error)
{
  g_autoptr(KontorSyncRecord) state = NULL;
  g_autoptr(JsonObject) clean = NULL;
  g_autoptr(JsonObject) effective = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *kind_name = NULL;
  KontorKind *kind;
  gint64 rid;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (changes != NULL, NULL);

  if (!kontor_store_begin (self, error))
    return NULL;

  if (!_kontor_store_load_state (self, id, &rid, &kind_name, &state, error))
    goto fail;

  if (kontor_sync_record_is_deleted (state))
    {
      g_set_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_DELETED,
                   _("The record “%s” has been deleted"), id);
      goto fail;
    }

  kind = kontor_schema_require_kind (kontor_store_get_schema (self), kind_name, error);
  if (kind == NULL)
    goto fail;

  clean = kontor_json_object_copy (changes);
  if (!validate (self, kind, clean, TRUE, problems, error))
    goto fail;

  /* only what really changes gets a dot; writing a conflicted field, even
   * with one of its values, resolves the conflict */
  effective = json_object_new ();
  members = json_object_get_members (clean);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      JsonNode *new_value = json_object_get_member (clean, name);
      const GPtrArray *versions = kontor_sync_record_get_versions (state, name);
      JsonNode *current = kontor_sync_record_get_value (state, name);
      gboolean same;

      if (current == NULL || JSON_NODE_HOLDS_NULL (current))
        same = JSON_NODE_HOLDS_NULL (new_value);
      else
        same = json_node_equal (current, new_value);

      if (same && (versions == NULL || versions->len <= 1))
        continue;
      json_object_set_member (effective, name, json_node_copy (new_value));
    }

  if (json_object_get_size (effective) > 0 &&
      !local_edit (self, &rid, id, kind_name, state, effective, FALSE, error))
    goto fail;

  if (!kontor_store_commit (self, error))
    return NULL;

  return _kontor_store_record_from_state (self, id, kind_name, state);

fail:
  kontor_store_rollback (self);
  return NULL;
}

KontorRecord *
_kontor_store_set_deleted (KontorStore  *self,
             const char   *id,
             gboolean      deleted,
             GError      **error)
{
  g_autoptr(KontorSyncRecord) state = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autofree char *kind_name = NULL;
  gint64 rid;

  if (!kontor_store_begin (self, error))
    return NULL;

  if (!_kontor_store_load_state (self, id, &rid, &kind_name, &state, error))
    goto fail;

  if (kontor_sync_record_is_deleted (state) != deleted ||
      kontor_sync_record_delete_conflict (state))
    {
      json_object_set_boolean_member (changes, KONTOR_SYNC_FIELD_DELETED, deleted);
      if (!local_edit (self, &rid, id, kind_name, state, changes, FALSE, error))
        goto fail;
    }

  if (!kontor_store_commit (self, error))
    return NULL;

  return _kontor_store_record_from_state (self, id, kind_name, state);

fail:
  kontor_store_rollback (self);
  return NULL;
}

gboolean
kontor_store_delete (KontorStore  *self,
                     const char   *id,
                     GError      **error)
{
  g_autoptr(KontorRecord) record = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  record = _kontor_store_set_deleted (self, id, TRUE, error);
  return record != NULL;
}

KontorRecord *
kontor_store_restore (KontorStore  *self,
                      const char   *id,
                      GError      **error)
{
  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return _kontor_store_set_deleted (self, id, FALSE, error);
}

KontorField *
kontor_store_add_custom_field (KontorStore         *self,
                               const char          *kind,
                               const char          *name,
                               const char          *label,
                               const char          *type,
                               const char * const  *choices,
                               GError             **error)
{
  g_autoptr(JsonObject) def = json_object_new ();
  g_autoptr(KontorRecord) record = NULL;
  KontorKind *k;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL && name != NULL && type != NULL, NULL);

  json_object_set_string_member (def, "kind", kind);
  json_object_set_string_member (def, "name", name);
  json_object_set_string_member (def, "label", label ? label : name);
  json_object_set_string_member (def, "type", type);
  if (choices != NULL && choices[0] != NULL)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; choices[i]; i++)
        json_array_add_string_element (array, choices[i]);
      json_object_set_array_member (def, "choices", array);
    }

  record = kontor_store_create (self, KONTOR_KIND_CUSTOM_FIELD, NULL, def, NULL, error);
  if (record == NULL)
    return NULL;

  k = kontor_schema_get_kind (kontor_store_get_schema (self), kind);
  return k ? kontor_kind_get_field (k, name) : NULL;
}

/* ---------------------------------------------------------------------- */
/* Outbox                                                                 */

guint
kontor_store_outbox_count (KontorStore *self)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT count(*) FROM outbox", NULL);
  guint n = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  return n;
}

GPtrArray *
kontor_store_outbox_list (KontorStore  *self,
                          guint         limit,
                          GError      **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT seq, record_id, kind, replica, counter, fields, vv "
                                "FROM outbox ORDER BY seq LIMIT ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit ? limit : G_MAXINT64);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) fields = json_from_string ((const char *) sqlite3_column_text (stmt, 5),
                                                     NULL);
      g_autoptr(JsonNode) vv = json_from_string ((const char *) sqlite3_column_text (stmt, 6),
                                                 NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 0));
      json_builder_set_member_name (b, "record");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 1));
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 2));
      json_builder_set_member_name (b, "dot");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 3));
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 4));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "fields");
      json_builder_add_value (b, g_steal_pointer (&fields));
      json_builder_set_member_name (b, "vv");
      json_builder_add_value (b, g_steal_pointer (&vv));
      json_builder_end_object (b);
      g_ptr_array_add (entries, json_builder_get_root (b));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read the outbox"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/* ---------------------------------------------------------------------- */
/* Search                                                                 */

char *
kontor_store_search_expression (const char *text,
                                const char *kind)
{
  g_autoptr(GString) expr = g_string_new (NULL);
  const char *p = text;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  while (*p)
    {
      const char *start;
      g_autofree char *word = NULL;
      g_autofree char *folded = NULL;

      while (*p && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (!*p)
        break;
      start = p;
      while (*p && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);

      word = g_strndup (start, p - start);
      folded = kontor_fold (word, -1);
      if (expr->len > 0)
        g_string_append (expr, " AND ");

      /* words are letters and digits only, so quoting them is safe */
      if (kontor_fold_has_umlaut (word) || strstr (folded, "ss") != NULL)
        {
          g_autofree char *translit = kontor_fold_transliterate (word, -1);

          g_string_append_printf (expr, "(\"%s\"* OR \"%s\"*)", folded, translit);
        }
      else
        g_string_append_printf (expr, "\"%s\"*", folded);
    }

  if (expr->len == 0)
    return NULL;

  /* kind names are [a-z_]: safe in a phrase */
  if (kind != NULL)
    return g_strdup_printf ("kind : \"%s\" AND text : (%s)", kind, expr->str);
  return g_strdup_printf ("text : (%s)", expr->str);
}

GPtrArray *
kontor_store_search (KontorStore  *self,
                     const char   *text,
                     const char   *kind,
                     guint         limit,
                     GError      **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *expr = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (kind != NULL && kontor_schema_get_kind (kontor_store_get_schema (self), kind) == NULL)
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_KIND,
                   _("Unknown kind “%s”"), kind);
      return NULL;
    }

  expr = kontor_store_search_expression (text, kind);
  if (expr == NULL)
    return g_steal_pointer (&results);

  /* the kind is part of the match, so only the hits are joined */
  stmt = prepare (self,
                  "SELECT r.id, r.kind, r.state FROM record_fts "
                  "JOIN record r ON r.rid = record_fts.rowid "
                  "WHERE record_fts MATCH ?1 "
                  "ORDER BY record_fts.rank LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, expr, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, limit ? limit : G_MAXINT64);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KontorRecord *record = record_from_row (self, stmt, error);

      if (record == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (results, record);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Search failed"));
      return NULL;
    }

  return g_steal_pointer (&results);
}

GPtrArray *
kontor_store_list_linked (KontorStore  *self,
                          const char   *id,
                          GError      **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = prepare (self,
                  "SELECT DISTINCT r.id, r.kind, r.state, r.rid FROM link l "
                  "JOIN record r ON r.rid = l.src "
                  "WHERE l.dst = ? AND r.deleted = 0 ORDER BY r.rid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KontorRecord *record = record_from_row (self, stmt, error);

      if (record == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (results, record);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read links"));
      return NULL;
    }

  return g_steal_pointer (&results);
}

GPtrArray *
kontor_store_list_changed_since (KontorStore  *self,
                                 gint64        since_ms,
                                 guint         limit,
                                 GError      **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT id, kind, state, rid FROM record "
                  "WHERE updated_at > ? AND deleted = 0 "
                  "ORDER BY updated_at DESC, rid DESC LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since_ms);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KontorRecord *record = record_from_row (self, stmt, error);

      if (record == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (results, record);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read recent changes"));
      return NULL;
    }

  return g_steal_pointer (&results);
}
