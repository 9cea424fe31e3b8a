/* kontor-server-sqlite.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-server"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "kontor-server-sqlite.h"

#define SERVER_SCHEMA_VERSION 1

/* WAL checkpoints run on a thread of their own, outside the requests: a
 * commit that leaves at least CHECKPOINT_PAGES pages in the WAL (SQLite's
 * own autocheckpoint threshold) asks for one. A commit is durable once its
 * WAL frames are synced (synchronous = FULL), so a checkpoint only copies
 * them into the database file. Should the WAL still grow past
 * CHECKPOINT_INLINE_PAGES (the thread cannot keep up), the commit
 * checkpoints itself as before. */
#define CHECKPOINT_PAGES 1000
#define CHECKPOINT_INLINE_PAGES 50000

struct _KontorServerSqlite
{
  GObject      parent_instance;
  sqlite3     *db;
  GHashTable  *stmts;
  gint64       seq;       /* last sequence number handed out */
  gboolean     seq_dirty; /* seq not yet written to meta in this transaction */
  int          depth;
  char        *path;
  GThreadPool *checkpointer;
  sqlite3     *checkpoint_db;      /* the checkpoint thread's own connection */
  gint         checkpoint_pending; /* atomic */
};

static void storage_iface_init (KontorServerStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KontorServerSqlite, kontor_server_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KONTOR_TYPE_SERVER_STORAGE,
                                                      storage_iface_init))

static const char * const schema_v1[] = {
  "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
  "  pw_hash TEXT NOT NULL, created_at INTEGER NOT NULL)",
  "CREATE TABLE tokens (hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
  "  expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID",
  /* replica 0 is the server itself; ids start at 1 */
  "CREATE TABLE replicas (id INTEGER PRIMARY KEY CHECK (id > 0),"
  "  user_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL,"
  "  database_id TEXT NOT NULL, applied_upto INTEGER NOT NULL DEFAULT 0,"
  "  last_seen INTEGER NOT NULL DEFAULT 0, retired INTEGER NOT NULL DEFAULT 0,"
  "  pulled_seq INTEGER NOT NULL DEFAULT 0)",
  /* ids of purged tombstones: an old edit of one is refused, never
   * resurrects it */
  "CREATE TABLE purged (id TEXT PRIMARY KEY) WITHOUT ROWID",
  "CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL,"
  "  seq INTEGER NOT NULL UNIQUE) WITHOUT ROWID",
  "CREATE INDEX records_seq ON records (seq)",
  "CREATE TABLE ops (replica INTEGER NOT NULL, counter INTEGER NOT NULL, hash TEXT NOT NULL,"
  "  PRIMARY KEY (replica, counter)) WITHOUT ROWID",
  "CREATE TABLE audit (id INTEGER PRIMARY KEY, seq INTEGER, at INTEGER NOT NULL,"
  "  user_id INTEGER, replica INTEGER, record TEXT, kind TEXT, fields TEXT, outcome TEXT)",
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID",
  "INSERT INTO meta VALUES ('last_seq', 0)",
  "INSERT INTO meta VALUES ('purged_upto', 0)",
  NULL
};

static gboolean
fail (GError     **error,
      sqlite3     *db,
      const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

static sqlite3_stmt *
prepare (KontorServerSqlite  *self,
         const char          *sql,
         GError             **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      fail (error, self->db, sql);
      return NULL;
    }
  g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
  return stmt;
}

static gboolean
done (KontorServerSqlite  *self,
      sqlite3_stmt        *stmt,
      GError             **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return fail (error, self->db, "write");
  return TRUE;
}

static gboolean
exec (KontorServerSqlite  *self,
      const char          *sql,
      GError             **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return fail (error, self->db, sql);
  return TRUE;
}

static void
text (sqlite3_stmt *stmt,
      int           i,
      const char   *value)
{
  sqlite3_bind_text (stmt, i, value, -1, SQLITE_TRANSIENT);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

/* --- transactions --------------------------------------------------- */

static void reload_seq (KontorServerSqlite *self);

static gboolean
sq_begin (KontorServerStorage  *storage,
          GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);

  g_return_val_if_fail (self->depth == 0, FALSE);
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->depth = 1;
  self->seq_dirty = FALSE;
  /* another process (an admin command) may have written since: with the
   * write lock held, the file's sequence number is the truth */
  reload_seq (self);
  return TRUE;
}

static void
reload_seq (KontorServerSqlite *self)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT value FROM meta WHERE key = 'last_seq'", NULL);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    self->seq = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
}

static gboolean
sq_commit (KontorServerStorage  *storage,
           GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);

  g_return_val_if_fail (self->depth == 1, FALSE);
  self->depth = 0;
  /* the feed position, written once per transaction instead of per record */
  if (self->seq_dirty)
    {
      sqlite3_stmt *stmt = prepare (self, "UPDATE meta SET value = ? WHERE key = 'last_seq'",
                                    error);

      self->seq_dirty = FALSE;
      if (stmt == NULL)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          reload_seq (self);
          return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, self->seq);
      if (!done (self, stmt, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          reload_seq (self);
          return FALSE;
        }
    }
  if (!exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      reload_seq (self);
      return FALSE;
    }
  return TRUE;
}

static void
sq_rollback (KontorServerStorage *storage)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);

  if (self->depth == 0)
    return;
  self->depth = 0;
  self->seq_dirty = FALSE;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  reload_seq (self);
}

/* --- users and tokens ----------------------------------------------- */

static gboolean
sq_user_add (KontorServerStorage  *storage,
             const char           *name,
             const char           *pw_hash,
             gint64               *user_id,
             GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO users (name, pw_hash, created_at) "
                                      "VALUES (?, ?, ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, name);
  text (stmt, 2, pw_hash);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("A user “%s” exists already"), name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return fail (error, self->db, "user_add");
  if (user_id)
    *user_id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

static gboolean
sq_user_lookup (KontorServerStorage  *storage,
                const char           *name,
                gint64               *user_id,
                char                **pw_hash,
                GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT id, pw_hash FROM users WHERE name = ?", error);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (user_id)
        *user_id = sqlite3_column_int64 (stmt, 0);
      if (pw_hash)
        *pw_hash = column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  return found;
}

static gboolean
sq_user_set_password (KontorServerStorage  *storage,
                      const char           *name,
                      const char           *pw_hash,
                      GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "UPDATE users SET pw_hash = ? WHERE name = ?", error);

  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, pw_hash);
  text (stmt, 2, name);
  if (!done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No user “%s”"), name);
      return FALSE;
    }
  return TRUE;
}

static char **
sq_user_list (KontorServerStorage  *storage,
              GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT name FROM users ORDER BY name", error);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (b, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return g_strv_builder_end (b);
}

static gboolean
sq_token_add (KontorServerStorage  *storage,
              const char           *token_hash,
              gint64                user_id,
              gint64                expires_at,
              GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO tokens (hash, user_id, expires_at) "
                                      "VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, expires_at);
  return done (self, stmt, error);
}

static gboolean
sq_token_lookup (KontorServerStorage  *storage,
                 const char           *token_hash,
                 gint64                now,
                 gint64               *user_id,
                 GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT user_id FROM tokens WHERE hash = ? "
                                      "AND revoked = 0 AND expires_at > ?", error);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      *user_id = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_reset (stmt);
  return found;
}

static gboolean
sq_token_revoke (KontorServerStorage  *storage,
                 const char           *token_hash,
                 GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "UPDATE tokens SET revoked = 1 WHERE hash = ?", error);

  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, token_hash);
  return done (self, stmt, error);
}

static gboolean
sq_token_revoke_user (KontorServerStorage  *storage,
                      gint64                user_id,
                      GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "UPDATE tokens SET revoked = 1 WHERE user_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  return done (self, stmt, error);
}

/* --- replicas ------------------------------------------------------- */

static gboolean
sq_replica_add (KontorServerStorage  *storage,
                gint64                user_id,
                const char           *name,
                const char           *database_id,
                guint32              *replica_id,
                GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO replicas (user_id, name, database_id, last_seen) "
                                      "VALUES (?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  text (stmt, 2, name);
  text (stmt, 3, database_id);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (!done (self, stmt, error))
    return FALSE;
  *replica_id = (guint32) sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

static KontorReplicaInfo *
replica_from_row (sqlite3_stmt *stmt)
{
  KontorReplicaInfo *info = g_new0 (KontorReplicaInfo, 1);

  info->replica_id = sqlite3_column_int64 (stmt, 0);
  info->user_id = sqlite3_column_int64 (stmt, 1);
  info->name = column_dup (stmt, 2);
  info->database_id = column_dup (stmt, 3);
  info->applied_upto = sqlite3_column_int64 (stmt, 4);
  info->last_seen = sqlite3_column_int64 (stmt, 5);
  info->retired = sqlite3_column_int (stmt, 6);
  info->pulled_seq = sqlite3_column_int64 (stmt, 7);
  return info;
}

#define REPLICA_COLUMNS "id, user_id, name, database_id, applied_upto, last_seen, retired, pulled_seq"

static KontorReplicaInfo *
sq_replica_get (KontorServerStorage  *storage,
                guint32               replica_id,
                GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT " REPLICA_COLUMNS " FROM replicas WHERE id = ?",
                                error);
  KontorReplicaInfo *info = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, replica_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    info = replica_from_row (stmt);
  sqlite3_reset (stmt);
  return info;
}

static gboolean
sq_replica_update (KontorServerStorage  *storage,
                   guint32               replica_id,
                   guint64               applied_upto,
                   gint64                last_seen,
                   GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "UPDATE replicas SET applied_upto = ?, last_seen = ? "
                                      "WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) applied_upto);
  sqlite3_bind_int64 (stmt, 2, last_seen);
  sqlite3_bind_int64 (stmt, 3, replica_id);
  return done (self, stmt, error);
}

static gboolean
sq_replica_retire (KontorServerStorage  *storage,
                   guint32               replica_id,
                   GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "UPDATE replicas SET retired = 1 WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, replica_id);
  if (!done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No replica %u"), replica_id);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
sq_replica_list (KontorServerStorage  *storage,
                 GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT " REPLICA_COLUMNS " FROM replicas ORDER BY id",
                                error);
  GPtrArray *list;

  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_replica_info_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, replica_from_row (stmt));
  sqlite3_reset (stmt);
  return list;
}

/* --- records -------------------------------------------------------- */

static gboolean
sq_record_get (KontorServerStorage  *storage,
               const char           *id,
               char                **kind,
               char                **state,
               GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT kind, state FROM records WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, id);
  *state = NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (kind)
        *kind = column_dup (stmt, 0);
      *state = column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail (error, self->db, "record_get");
  return TRUE;
}

static gboolean
sq_record_put (KontorServerStorage  *storage,
               const char           *id,
               const char           *kind,
               const char           *state,
               gint64               *seq,
               GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt;
  gint64 next = self->seq + 1;

  g_return_val_if_fail (self->depth > 0, FALSE);

  /* the writer is serialised by the transaction, so seq is gap-free in
   * commit order */
  stmt = prepare (self, "INSERT INTO records (id, kind, state, seq) VALUES (?1, ?2, ?3, ?4) "
                        "ON CONFLICT (id) DO UPDATE SET state = ?3, seq = ?4", error);
  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, id);
  text (stmt, 2, kind);
  text (stmt, 3, state);
  sqlite3_bind_int64 (stmt, 4, next);
  if (!done (self, stmt, error))
    return FALSE;

  /* meta's last_seq is written by commit, in the same transaction */
  self->seq = next;
  self->seq_dirty = TRUE;
  if (seq)
    *seq = next;
  return TRUE;
}

static GPtrArray *
sq_changes_since (KontorServerStorage  *storage,
                  gint64                since,
                  guint                 limit,
                  GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT seq, id, kind, state FROM records "
                                      "WHERE seq > ? ORDER BY seq LIMIT ?", error);
  GPtrArray *list;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_change_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KontorChange *c = g_new0 (KontorChange, 1);

      c->seq = sqlite3_column_int64 (stmt, 0);
      c->id = column_dup (stmt, 1);
      c->kind = column_dup (stmt, 2);
      c->state = column_dup (stmt, 3);
      g_ptr_array_add (list, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_ptr_array_unref (list);
      fail (error, self->db, "changes_since");
      return NULL;
    }
  return list;
}

static gint64
sq_last_seq (KontorServerStorage *storage)
{
  return KONTOR_SERVER_SQLITE (storage)->seq;
}

static gboolean
sq_op_record (KontorServerStorage  *storage,
              guint32               replica,
              guint64               counter,
              const char           *hash,
              GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "INSERT OR REPLACE INTO ops (replica, counter, hash) "
                                      "VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, replica);
  sqlite3_bind_int64 (stmt, 2, (gint64) counter);
  text (stmt, 3, hash);
  return done (self, stmt, error);
}

static gboolean
sq_op_lookup (KontorServerStorage  *storage,
              guint32               replica,
              guint64               counter,
              char                **hash,
              GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT hash FROM ops WHERE replica = ? AND counter = ?",
                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, replica);
  sqlite3_bind_int64 (stmt, 2, (gint64) counter);
  *hash = NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *hash = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
sq_audit_add (KontorServerStorage  *storage,
              gint64                seq,
              gint64                user_id,
              guint32               replica,
              const char           *record,
              const char           *kind,
              const char           *fields_json,
              const char           *outcome,
              GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO audit (seq, at, user_id, replica, record, kind, "
                                      "fields, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  if (seq > 0)
    sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / 1000);
  sqlite3_bind_int64 (stmt, 3, user_id);
  sqlite3_bind_int64 (stmt, 4, replica);
  text (stmt, 5, record);
  text (stmt, 6, kind);
  text (stmt, 7, fields_json);
  text (stmt, 8, outcome);
  return done (self, stmt, error);
}

static GPtrArray *
sq_audit_list (KontorServerStorage  *storage,
               guint                 limit,
               GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT json_object('seq', a.seq, 'at_ms', a.at, 'user', u.name, "
                                "'replica', a.replica, 'record', a.record, 'kind', a.kind, "
                                "'fields', json(a.fields), 'outcome', a.outcome) "
                                "FROM audit a LEFT JOIN users u ON u.id = a.user_id "
                                "ORDER BY a.id DESC LIMIT ?", error);
  GPtrArray *lines;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit ? limit : G_MAXINT64);
  lines = g_ptr_array_new_with_free_func (g_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (lines, column_dup (stmt, 0));
  sqlite3_reset (stmt);
  return lines;
}

static gboolean
sq_replica_set_pulled (KontorServerStorage  *storage,
                       guint32               replica_id,
                       gint64                pulled_seq,
                       gint64                last_seen,
                       GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "UPDATE replicas SET pulled_seq = max(pulled_seq, ?), "
                                      "last_seen = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pulled_seq);
  sqlite3_bind_int64 (stmt, 2, last_seen);
  sqlite3_bind_int64 (stmt, 3, replica_id);
  return done (self, stmt, error);
}

static GPtrArray *
sq_tombstones_upto (KontorServerStorage  *storage,
                    gint64                seq,
                    GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT seq, id, kind, state FROM records WHERE seq <= ? "
                                      "AND json_extract(state, '$.f._deleted[0].v') = 1", error);
  GPtrArray *list;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_change_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KontorChange *c = g_new0 (KontorChange, 1);

      c->seq = sqlite3_column_int64 (stmt, 0);
      c->id = column_dup (stmt, 1);
      c->kind = column_dup (stmt, 2);
      c->state = column_dup (stmt, 3);
      g_ptr_array_add (list, c);
    }
  sqlite3_reset (stmt);
  return list;
}

static gboolean
sq_record_purge (KontorServerStorage  *storage,
                 const char           *id,
                 GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "DELETE FROM records WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, id);
  if (!done (self, stmt, error))
    return FALSE;
  stmt = prepare (self, "INSERT OR IGNORE INTO purged (id) VALUES (?)", error);
  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, id);
  return done (self, stmt, error);
}

static gboolean
sq_record_is_purged (KontorServerStorage  *storage,
                     const char           *id,
                     gboolean             *purged,
                     GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT 1 FROM purged WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, id);
  *purged = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return TRUE;
}

static gint64
sq_purged_upto (KontorServerStorage *storage)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT value FROM meta WHERE key = 'purged_upto'", NULL);
  gint64 v = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return v;
}

static gboolean
sq_set_purged_upto (KontorServerStorage  *storage,
                    gint64                seq,
                    GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "INSERT OR REPLACE INTO meta VALUES ('purged_upto', ?)",
                                error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return done (self, stmt, error);
}

static char *
sq_setting_get (KontorServerStorage *storage,
                const char          *key)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  char *v = NULL;

  if (stmt == NULL)
    return NULL;
  text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    v = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return v;
}

static gboolean
sq_setting_set (KontorServerStorage  *storage,
                const char           *key,
                const char           *value,
                GError              **error)
{
  KontorServerSqlite *self = KONTOR_SERVER_SQLITE (storage);
  sqlite3_stmt *stmt = prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                error);

  if (stmt == NULL)
    return FALSE;
  text (stmt, 1, key);
  text (stmt, 2, value);
  return done (self, stmt, error);
}

static void
storage_iface_init (KontorServerStorageInterface *iface)
{
  iface->setting_get = sq_setting_get;
  iface->setting_set = sq_setting_set;
  iface->replica_set_pulled = sq_replica_set_pulled;
  iface->tombstones_upto = sq_tombstones_upto;
  iface->record_purge = sq_record_purge;
  iface->record_is_purged = sq_record_is_purged;
  iface->purged_upto = sq_purged_upto;
  iface->set_purged_upto = sq_set_purged_upto;

  iface->begin = sq_begin;
  iface->commit = sq_commit;
  iface->rollback = sq_rollback;
  iface->user_add = sq_user_add;
  iface->user_lookup = sq_user_lookup;
  iface->user_set_password = sq_user_set_password;
  iface->user_list = sq_user_list;
  iface->token_add = sq_token_add;
  iface->token_lookup = sq_token_lookup;
  iface->token_revoke = sq_token_revoke;
  iface->token_revoke_user = sq_token_revoke_user;
  iface->replica_add = sq_replica_add;
  iface->replica_get = sq_replica_get;
  iface->replica_update = sq_replica_update;
  iface->replica_retire = sq_replica_retire;
  iface->replica_list = sq_replica_list;
  iface->record_get = sq_record_get;
  iface->record_put = sq_record_put;
  iface->changes_since = sq_changes_since;
  iface->last_seq = sq_last_seq;
  iface->op_record = sq_op_record;
  iface->op_lookup = sq_op_lookup;
  iface->audit_add = sq_audit_add;
  iface->audit_list = sq_audit_list;
}

/* --- WAL checkpoints, outside the requests --------------------------- */

static void
checkpoint_run (gpointer data,
                gpointer user_data)
{
  KontorServerSqlite *self = user_data;

  /* a commit from now on asks again */
  g_atomic_int_set (&self->checkpoint_pending, 0);

  if (self->checkpoint_db == NULL)
    {
      sqlite3 *db = NULL;

      if (sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
          sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
        {
          g_warning ("Cannot open %s for checkpoints: %s", self->path,
                     db ? sqlite3_errmsg (db) : "out of memory");
          sqlite3_close_v2 (db);
          return;
        }
      self->checkpoint_db = db;
    }

  /* PASSIVE: never waits for the request connection, which may write
   * meanwhile; what it leaves is taken by the next checkpoint */
  sqlite3_wal_checkpoint_v2 (self->checkpoint_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

/* Called by SQLite after each commit of the request connection, with the
 * commit durable already. Replaces the automatic checkpoint. */
static int
on_wal_commit (void       *data,
               sqlite3    *db,
               const char *name,
               int         pages)
{
  KontorServerSqlite *self = data;

  if (pages >= CHECKPOINT_INLINE_PAGES)
    {
      sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      return SQLITE_OK;
    }
  if (pages >= CHECKPOINT_PAGES && self->checkpointer != NULL &&
      g_atomic_int_compare_and_exchange (&self->checkpoint_pending, 0, 1))
    g_thread_pool_push (self->checkpointer, GINT_TO_POINTER (1), NULL);
  return SQLITE_OK;
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
kontor_server_sqlite_finalize (GObject *object)
{
  KontorServerSqlite *self = (KontorServerSqlite *) object;

  /* waits for a running checkpoint */
  if (self->checkpointer != NULL)
    g_thread_pool_free (g_steal_pointer (&self->checkpointer), FALSE, TRUE);
  if (self->checkpoint_db)
    sqlite3_close_v2 (self->checkpoint_db);
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (kontor_server_sqlite_parent_class)->finalize (object);
}

static void
kontor_server_sqlite_class_init (KontorServerSqliteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kontor_server_sqlite_finalize;
}

static void
kontor_server_sqlite_init (KontorServerSqlite *self)
{
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
}

KontorServerSqlite *
kontor_server_sqlite_open (const char  *data_dir,
                           GError     **error)
{
  g_autoptr(KontorServerSqlite) self = NULL;
  g_autofree char *path = NULL;
  sqlite3_stmt *stmt = NULL;
  int version = 0;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot create the data folder “%s”: %s"), data_dir, g_strerror (errsv));
      return NULL;
    }

  self = g_object_new (KONTOR_TYPE_SERVER_SQLITE, NULL);
  path = g_build_filename (data_dir, "kontor-server.db", NULL);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      fail (error, self->db, path);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a Kontor server database: %s"), path, sqlite3_errmsg (self->db));
      return NULL;
    }
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > SERVER_SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” was written by a newer kontor-server (schema %d)"), path, version);
      return NULL;
    }

  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) ||
      /* 64 MiB of pages (the default is 2 MiB): a push of thousands of
       * edits reads as many records, which must not go to the disk */
      !exec (self, "PRAGMA cache_size = -65536", error))
    return NULL;

  self->path = g_strdup (path);
  self->checkpointer = g_thread_pool_new (checkpoint_run, self, 1, FALSE, NULL);
  sqlite3_wal_hook (self->db, on_wal_commit, self);

  if (version < 1)
    {
      if (!exec (self, "BEGIN", error))
        return NULL;
      for (guint i = 0; schema_v1[i]; i++)
        if (!exec (self, schema_v1[i], error))
          {
            sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
            return NULL;
          }
      if (!exec (self, "PRAGMA user_version = 1", error) || !exec (self, "COMMIT", error))
        return NULL;
    }

  reload_seq (self);
  return g_steal_pointer (&self);
}
