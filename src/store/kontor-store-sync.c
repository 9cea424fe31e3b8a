/* kontor-store-sync.c: the replica's side of sync
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-store-private.h"
#include "kontor-store-sync.h"

void
kontor_remote_change_free (KontorRemoteChange *change)
{
  if (change == NULL)
    return;
  g_free (change->id);
  g_free (change->kind);
  g_clear_pointer (&change->state, kontor_sync_record_free);
  g_free (change);
}

void
kontor_rejected_free (KontorRejected *rejected)
{
  if (rejected == NULL)
    return;
  g_free (rejected->record);
  g_free (rejected->kind);
  g_clear_pointer (&rejected->fields, json_object_unref);
  g_free (rejected->reason);
  g_free (rejected);
}

gint64
kontor_store_get_last_seq (KontorStore *self)
{
  g_autofree char *v = kontor_store_get_setting (self, "last_seq");

  return v ? g_ascii_strtoll (v, NULL, 10) : 0;
}

const char *
kontor_store_get_database_id (KontorStore *self)
{
  char *v = g_object_get_data (G_OBJECT (self), "kontor-database-id");

  /* written once at creation and never changed: read it once */
  if (v == NULL)
    {
      v = kontor_store_get_setting (self, "database_id");
      g_object_set_data_full (G_OBJECT (self), "kontor-database-id", v, g_free);
    }
  return v;
}

static gboolean
rename_in_outbox (KontorStore  *self,
                  guint32       from,
                  guint32       to,
                  GError      **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT seq, vv FROM outbox WHERE replica = ?", error);
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) vvs = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      g_autoptr(KontorVersionVector) vv =
        kontor_version_vector_from_string ((const char *) sqlite3_column_text (stmt, 1), NULL);

      if (vv == NULL)
        continue;
      kontor_version_vector_set (vv, to, kontor_version_vector_get (vv, from));
      kontor_version_vector_set (vv, from, 0);
      g_array_append_val (seqs, seq);
      g_ptr_array_add (vvs, kontor_version_vector_to_string (vv));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read the outbox"));

  for (guint i = 0; i < seqs->len; i++)
    {
      stmt = prepare (self, "UPDATE outbox SET replica = ?, vv = ? WHERE seq = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, to);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (vvs, i), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, g_array_index (seqs, gint64, i));
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
rename_in_records (KontorStore  *self,
                   guint32       from,
                   guint32       to,
                   GError      **error)
{
  g_autofree char *pattern = g_strdup_printf ("%%%u%%", from);
  sqlite3_stmt *stmt = prepare (self, "SELECT rid, id, kind, state FROM record WHERE state LIKE ?",
                                error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read records"));

  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(KontorSyncRecord) state = NULL;
      g_autoptr(KontorSyncRecord) renamed = NULL;
      g_autofree char *kind = NULL;
      gint64 rid;

      if (!_kontor_store_load_state (self, g_ptr_array_index (rows, i), &rid, &kind, &state, error))
        return FALSE;
      if (kontor_version_vector_get (kontor_sync_record_get_vv (state), from) == 0)
        continue;  /* the digits matched elsewhere */
      renamed = kontor_sync_record_rename_replica (state, from, to);
      if (renamed == NULL ||
          !_kontor_store_write_state (self, &rid, g_ptr_array_index (rows, i), kind, renamed, error))
        return renamed != NULL ? FALSE : set_sqlite_error (error, NULL, 1, "rename");
    }

  return TRUE;
}

gboolean
kontor_store_set_replica_id (KontorStore  *self,
                             guint32       replica_id,
                             GError      **error)
{
  guint32 old;

  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);
  g_return_val_if_fail (replica_id != KONTOR_REPLICA_UNREGISTERED, FALSE);

  old = kontor_store_get_replica_id (self);
  if (old == replica_id)
    return TRUE;

  if (!kontor_store_begin (self, error))
    return FALSE;

  /* Dots of an unregistered replica were never seen by anyone: give them
   * the new id. A registered replica that registers again (a copied
   * database) keeps its old dots: the server knows them under that id. */
  if (old == KONTOR_REPLICA_UNREGISTERED &&
      (!rename_in_records (self, old, replica_id, error) ||
       !rename_in_outbox (self, old, replica_id, error)))
    goto fail;

  if (!meta_set_int (self, "replica_id", replica_id, error))
    goto fail;
  _kontor_store_set_replica (self, replica_id);

  if (!kontor_store_commit (self, error))
    {
      _kontor_store_set_replica (self, old);
      return FALSE;
    }
  return TRUE;

fail:
  kontor_store_rollback (self);
  _kontor_store_set_replica (self, old);
  return FALSE;
}

static KontorSyncOp *
op_from_row (sqlite3_stmt *stmt,
             int           first)
{
  g_autoptr(KontorSyncOp) op = g_new0 (KontorSyncOp, 1);
  g_autoptr(JsonNode) fields = NULL;

  op->record = g_strdup ((const char *) sqlite3_column_text (stmt, first));
  op->kind = g_strdup ((const char *) sqlite3_column_text (stmt, first + 1));
  op->dot.replica = sqlite3_column_int64 (stmt, first + 2);
  op->dot.counter = sqlite3_column_int64 (stmt, first + 3);
  fields = json_from_string ((const char *) sqlite3_column_text (stmt, first + 4), NULL);
  op->vv = kontor_version_vector_from_string ((const char *) sqlite3_column_text (stmt, first + 5),
                                              NULL);
  if (fields == NULL || !JSON_NODE_HOLDS_OBJECT (fields) || op->vv == NULL)
    return NULL;
  op->fields = json_object_ref (json_node_get_object (fields));

  return g_steal_pointer (&op);
}

GPtrArray *
kontor_store_outbox_ops (KontorStore  *self,
                         guint         limit,
                         GError      **error)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_sync_op_free);
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT record_id, kind, replica, counter, fields, vv "
                                "FROM outbox ORDER BY seq LIMIT ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit ? limit : G_MAXINT64);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KontorSyncOp *op = op_from_row (stmt, 0);

      if (op == NULL)
        {
          sqlite3_reset (stmt);
          g_set_error_literal (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_CORRUPT,
                               _("An outbox entry is damaged"));
          return NULL;
        }
      g_ptr_array_add (ops, op);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read the outbox"));
      return NULL;
    }

  return g_steal_pointer (&ops);
}

gboolean
kontor_store_outbox_ack (KontorStore  *self,
                         guint64       upto,
                         GError      **error)
{
  sqlite3_stmt *stmt = prepare (self, "DELETE FROM outbox WHERE replica = ? AND counter <= ?",
                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, kontor_store_get_replica_id (self));
  sqlite3_bind_int64 (stmt, 2, (gint64) upto);
  return step_done (self, stmt, error);
}

gboolean
kontor_store_reject_op (KontorStore         *self,
                        const KontorSyncOp  *op,
                        const char          *reason,
                        GError             **error)
{
  g_autoptr(JsonNode) fields = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *fields_json = NULL;
  sqlite3_stmt *stmt;

  json_node_set_object (fields, op->fields);
  fields_json = json_to_string (fields, FALSE);

  if (!kontor_store_begin (self, error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO rejected (record_id, kind, fields, reason, at) "
                        "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, op->record, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, op->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, fields_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / 1000);
  if (!step_done (self, stmt, error))
    goto fail;

  stmt = prepare (self, "DELETE FROM outbox WHERE replica = ? AND counter = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, op->dot.replica);
  sqlite3_bind_int64 (stmt, 2, (gint64) op->dot.counter);
  if (!step_done (self, stmt, error))
    goto fail;

  return kontor_store_commit (self, error);

fail:
  kontor_store_rollback (self);
  return FALSE;
}

GPtrArray *
kontor_store_list_rejected (KontorStore  *self,
                            GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_rejected_free);
  sqlite3_stmt *stmt = prepare (self, "SELECT id, record_id, kind, fields, reason FROM rejected "
                                      "ORDER BY id", error);

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KontorRejected *r = g_new0 (KontorRejected, 1);
      g_autoptr(JsonNode) fields = json_from_string ((const char *) sqlite3_column_text (stmt, 3),
                                                     NULL);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->record = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      r->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      r->fields = (fields && JSON_NODE_HOLDS_OBJECT (fields))
                  ? json_object_ref (json_node_get_object (fields)) : json_object_new ();
      r->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      g_ptr_array_add (list, r);
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&list);
}

gboolean
kontor_store_dismiss_rejected (KontorStore  *self,
                               gint64        rejected_id,
                               GError      **error)
{
  sqlite3_stmt *stmt = prepare (self, "DELETE FROM rejected WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rejected_id);
  return step_done (self, stmt, error);
}

static gboolean
merge_one (KontorStore         *self,
           KontorRemoteChange  *change,
           GError             **error)
{
  g_autoptr(KontorSyncRecord) local = NULL;
  g_autofree char *kind = NULL;
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(GPtrArray) newly = NULL;
  gint64 rid = 0;

  if (!_kontor_store_load_state (self, change->id, &rid, &kind, &local, &lookup_error))
    {
      if (!g_error_matches (lookup_error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&lookup_error));
          return FALSE;
        }
      /* a record new here: the server's state as it is (written, not kept) */
      rid = 0;
      return _kontor_store_write_state (self, &rid, change->id, change->kind, change->state, error);
    }

  if (!g_str_equal (kind, change->kind))
    {
      g_warning ("Ignoring a change that turns %s %s into a %s", kind, change->id, change->kind);
      return TRUE;
    }

  newly = kontor_sync_record_merge (local, change->state);
  return _kontor_store_write_state (self, &rid, change->id, kind, local, error);
}

gboolean
kontor_store_apply_remote (KontorStore  *self,
                           GPtrArray    *changes,
                           gint64        last_seq,
                           GError      **error)
{
  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);

  if (!kontor_store_begin (self, error))
    return FALSE;

  /* custom field definitions first, so records that use them validate and
   * index with the right schema */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < changes->len; i++)
      {
        KontorRemoteChange *c = g_ptr_array_index (changes, i);
        gboolean is_def = g_str_equal (c->kind, KONTOR_KIND_CUSTOM_FIELD);

        if ((pass == 0) != is_def)
          continue;
        if (!merge_one (self, c, error))
          goto fail;
      }

  if (!meta_set_int (self, "last_seq", last_seq, error))
    goto fail;

  return kontor_store_commit (self, error);

fail:
  kontor_store_rollback (self);
  return FALSE;
}

gboolean
kontor_store_reset_record (KontorStore       *self,
                           const char        *id,
                           const char        *kind,
                           KontorSyncRecord  *server_state,
                           GError           **error)
{
  g_autoptr(KontorSyncRecord) state = NULL;
  g_autoptr(KontorSyncRecord) local = NULL;
  g_autofree char *local_kind = NULL;
  g_autoptr(GError) lookup_error = NULL;
  sqlite3_stmt *stmt;
  gboolean any_op = FALSE;
  gint64 rid = 0;
  int rc;

  if (!kontor_store_begin (self, error))
    return FALSE;

  if (!_kontor_store_load_state (self, id, &rid, &local_kind, &local, &lookup_error))
    rid = 0;

  state = server_state ? kontor_sync_record_copy (server_state) : kontor_sync_record_new ();

  stmt = prepare (self, "SELECT record_id, kind, replica, counter, fields, vv FROM outbox "
                        "WHERE record_id = ? ORDER BY seq", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KontorSyncOp) op = op_from_row (stmt, 0);
      g_autoptr(KontorSyncRecord) op_state = op ? kontor_sync_op_to_record (op, NULL) : NULL;
      g_autoptr(GPtrArray) newly = NULL;

      if (op_state == NULL)
        continue;
      newly = kontor_sync_record_merge (state, op_state);
      any_op = TRUE;
    }
  sqlite3_reset (stmt);

  if (server_state == NULL && !any_op)
    {
      /* a create the server refused: the record exists nowhere else */
      if (rid != 0)
        {
          KontorKind *k = kontor_schema_get_kind (kontor_store_get_schema (self), kind);
          g_autoptr(KontorSyncRecord) tomb = kontor_sync_record_new ();
          g_autoptr(JsonObject) del = json_object_new ();
          KontorDot dot = { 0, 1 };

          json_object_set_boolean_member (del, KONTOR_SYNC_FIELD_DELETED, TRUE);
          kontor_sync_record_apply_edit (tomb, &dot, del);
          if (!_kontor_store_reindex (self, rid, FALSE, k, tomb, error))
            goto fail;
          stmt = prepare (self, "DELETE FROM record WHERE rid = ?", error);
          if (stmt == NULL)
            goto fail;
          sqlite3_bind_int64 (stmt, 1, rid);
          if (!step_done (self, stmt, error))
            goto fail;
          _kontor_store_mark_dirty (self, kind);
        }
      return kontor_store_commit (self, error);
    }

  if (!_kontor_store_write_state (self, &rid, id, kind, state, error))
    goto fail;

  return kontor_store_commit (self, error);

fail:
  kontor_store_rollback (self);
  return FALSE;
}

GPtrArray *
kontor_store_list_conflicts (KontorStore  *self,
                             GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = prepare (self, "SELECT id, kind, state FROM record WHERE conflicted != 0 "
                                      "ORDER BY +rid", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KontorSyncRecord) state =
        parse_state ((const char *) sqlite3_column_text (stmt, 2), error);

      if (state == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (list, _kontor_store_record_from_state (self,
                                                              (const char *) sqlite3_column_text (stmt, 0),
                                                              (const char *) sqlite3_column_text (stmt, 1),
                                                              state));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot list conflicts"));
      return NULL;
    }

  return g_steal_pointer (&list);
}

GPtrArray *
kontor_store_get_conflict_values (KontorStore  *self,
                                  const char   *id,
                                  const char   *field,
                                  GError      **error)
{
  g_autoptr(KontorSyncRecord) state = NULL;
  g_autofree char *kind = NULL;
  const GPtrArray *versions;
  GPtrArray *values;
  gint64 rid;

  if (!_kontor_store_load_state (self, id, &rid, &kind, &state, error))
    return NULL;

  values = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  versions = kontor_sync_record_get_versions (state, field);
  for (guint i = 0; versions && i < versions->len; i++)
    {
      const KontorFieldVersion *v = g_ptr_array_index (versions, i);
      g_ptr_array_add (values, json_node_copy (v->value));
    }

  return values;
}

KontorRecord *
kontor_store_resolve (KontorStore  *self,
                      const char   *id,
                      const char   *field,
                      JsonNode     *value,
                      GError      **error)
{
  g_autoptr(JsonObject) change = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL && field != NULL && value != NULL, NULL);

  if (g_str_equal (field, KONTOR_SYNC_FIELD_DELETED))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
        {
          g_set_error_literal (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                               _("_deleted: choose true (keep it deleted) or false (restore it)"));
          return NULL;
        }
      return _kontor_store_set_deleted (self, id, json_node_get_boolean (value), error);
    }

  change = json_object_new ();
  json_object_set_member (change, field, json_node_copy (value));
  return kontor_store_update (self, id, change, NULL, error);
}

gboolean
kontor_store_forget_missing (KontorStore  *self,
                             GHashTable   *keep,
                             guint        *n_removed,
                             GError      **error)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!kontor_store_begin (self, error))
    return FALSE;

  stmt = prepare (self, "SELECT id, kind FROM record r WHERE NOT EXISTS "
                        "(SELECT 1 FROM outbox o WHERE o.record_id = r.id)", error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_hash_table_contains (keep, id))
        {
          g_ptr_array_add (gone, g_strdup (id));
          g_ptr_array_add (kinds, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read records"));
      goto fail;
    }

  for (guint i = 0; i < gone->len; i++)
    {
      /* a record the server forgot exists nowhere else: remove it whole */
      if (!kontor_store_reset_record (self, g_ptr_array_index (gone, i),
                                      g_ptr_array_index (kinds, i), NULL, error))
        goto fail;
    }

  if (n_removed)
    *n_removed = gone->len;
  return kontor_store_commit (self, error);

fail:
  kontor_store_rollback (self);
  return FALSE;
}

gboolean
kontor_store_move_unacked (KontorStore  *self,
                           guint32       new_replica,
                           guint64       first_moved,
                           GError      **error)
{
  g_autoptr(GHashTable) map = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) vvs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) counters = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint32 old;
  guint64 next = 0;
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key;
  int rc;

  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);

  if (!kontor_store_begin (self, error))
    return FALSE;
  old = kontor_store_get_replica_id (self);

  /* what the server has under the old id is shared history */
  if (!kontor_store_outbox_ack (self, first_moved - 1, error))
    goto fail;

  stmt = prepare (self, "SELECT seq, record_id, counter, vv FROM outbox WHERE replica = ? "
                        "ORDER BY counter", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, old);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      guint64 counter = sqlite3_column_int64 (stmt, 2);

      next++;
      g_hash_table_insert (map, GSIZE_TO_POINTER (counter), GSIZE_TO_POINTER (next));
      g_hash_table_add (records, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_array_append_val (seqs, seq);
      g_array_append_val (counters, next);
      g_ptr_array_add (vvs, g_strdup ((const char *) sqlite3_column_text (stmt, 3)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read the outbox"));
      goto fail;
    }

  /* the states first, then the outbox rows that describe the same edits */
  g_hash_table_iter_init (&iter, records);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(KontorSyncRecord) state = NULL;
      g_autoptr(KontorSyncRecord) moved = NULL;
      g_autofree char *kind = NULL;
      gint64 rid;

      if (!_kontor_store_load_state (self, key, &rid, &kind, &state, error))
        goto fail;
      moved = kontor_sync_record_move_dots (state, old, new_replica, first_moved, map);
      if (moved == NULL)
        {
          g_set_error_literal (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_FAILED,
                               _("Could not move this copy's edits to its new replica id"));
          goto fail;
        }
      if (!_kontor_store_write_state (self, &rid, key, kind, moved, error))
        goto fail;
    }

  for (guint i = 0; i < seqs->len; i++)
    {
      g_autoptr(KontorVersionVector) vv =
        kontor_version_vector_from_string (g_ptr_array_index (vvs, i), NULL);
      g_autofree char *vv_text = NULL;

      if (vv == NULL)
        continue;
      kontor_version_vector_move (vv, old, new_replica, first_moved, map);
      vv_text = kontor_version_vector_to_string (vv);
      stmt = prepare (self, "UPDATE outbox SET replica = ?, counter = ?, vv = ? WHERE seq = ?",
                      error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, new_replica);
      sqlite3_bind_int64 (stmt, 2, (gint64) g_array_index (counters, guint64, i));
      sqlite3_bind_text (stmt, 3, vv_text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, g_array_index (seqs, gint64, i));
      if (!step_done (self, stmt, error))
        goto fail;
    }

  if (!meta_set_int (self, "replica_id", new_replica, error))
    goto fail;
  _kontor_store_set_replica (self, new_replica);
  _kontor_store_set_counter (self, next);

  return kontor_store_commit (self, error);

fail:
  kontor_store_rollback (self);
  return FALSE;
}
