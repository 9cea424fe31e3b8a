/* kontor-store.c
 *
 * The replica keeps each record's full causal state (the sync layer's
 * canonical JSON) in one column; lists sort and filter by the winning
 * values of indexed fields kept in a key table per kind
 * (kontor-store-keys.c), other fields straight out of the state with
 * json_extract(). See docs/architecture.md.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-store"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "kontor-fold.h"
#include "kontor-store.h"
#include "kontor-store-private.h"
#include "kontor-store-sync.h"
#include "kontor-sync-record.h"
#include "kontor-uuid.h"

/* 'KONT' in PRAGMA application_id marks our files. */
#define KONTOR_APPLICATION_ID 0x4B4F4E54

struct _KontorStore
{
  GObject             parent_instance;
  sqlite3            *db;
  char               *path;
  char               *file_key;   /* "dev:ino" while open (open_files) */
  KontorSchema       *schema;
  GHashTable         *stmts;        /* sql -> sqlite3_stmt */
  GHashTable         *dirty_kinds;  /* kinds changed in the open transaction */
  GHashTable         *key_tables;   /* kind -> KontorKindKeys */
  guint32             replica_id;
  guint64             counter;
  gboolean            counter_dirty;  /* counter advanced; written to meta at commit */
  gint64              schema_cookie;  /* PRAGMA schema_version the key tables were read at */
  gboolean            keys_ready;     /* opened: key tables read */
  int                 tx_depth;
  gboolean            tx_failed;
  GArray             *tx_changes;   /* sqlite3_total_changes64 at each nested begin */
  GArray             *pruned;       /* guint32: replicas the server pruned from vectors */
  char               *region;
  char               *currency;
  KontorParseContext  ctx;
};

G_DEFINE_FINAL_TYPE (KontorStore, kontor_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (kontor-store-error-quark, kontor_store_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const schema_v1[] = {
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID",
  "CREATE TABLE record ("
  "  rid INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  conflicted INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER NOT NULL)",
  "CREATE INDEX record_kind ON record (kind, deleted)",
  "CREATE INDEX record_conflicted ON record (conflicted) WHERE conflicted != 0",
  /* rowid = record.rid; the text holds every searchable value, plus the
   * German transliteration of words with umlauts */
  "CREATE VIRTUAL TABLE record_fts USING fts5 (kind, text,"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
  "CREATE TABLE link ("
  "  dst TEXT NOT NULL,"
  "  src INTEGER NOT NULL,"
  "  field TEXT NOT NULL,"
  "  PRIMARY KEY (dst, src, field)) WITHOUT ROWID",
  "CREATE INDEX link_src ON link (src)",
  /* Tell the planner that "kind = ? AND deleted = 0" is not selective, so
   * that a sorted list walks the kind's partial expression index instead of
   * collecting every row of the kind and sorting it. ANALYZE replaces this
   * hint with real figures once there is data. */
  "ANALYZE",
  "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('record', 'record_kind', '1000000 100000 100000')",
  "ANALYZE sqlite_schema",
  "CREATE TABLE rejected ("
  "  id INTEGER PRIMARY KEY,"
  "  record_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  fields TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  at INTEGER NOT NULL)",
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  record_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  replica INTEGER NOT NULL,"
  "  counter INTEGER NOT NULL,"
  "  fields TEXT NOT NULL,"
  "  vv TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL)",
  "CREATE INDEX outbox_dot ON outbox (replica, counter)",
  "CREATE INDEX outbox_record ON outbox (record_id)",
  NULL
};

/* ---------------------------------------------------------------------- */
/* SQLite plumbing                                                        */

gboolean
_kontor_store_set_sqlite_error (GError    **error,
                  sqlite3    *db,
                  int         rc,
                  const char *what)
{
  int code = rc & 0xff;
  KontorStoreError kind = KONTOR_STORE_ERROR_FAILED;

  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    kind = KONTOR_STORE_ERROR_CORRUPT;
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    kind = KONTOR_STORE_ERROR_BUSY;

  if (kind == KONTOR_STORE_ERROR_CORRUPT)
    g_set_error (error, KONTOR_STORE_ERROR, kind,
                 _("The database is damaged or not a database (%s)"),
                 db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  else
    g_set_error (error, KONTOR_STORE_ERROR, kind, "%s: %s", what,
                 db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));

  return FALSE;
}

sqlite3_stmt *
_kontor_store_prepare (KontorStore  *self,
         const char   *sql,
         GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, _("Cannot prepare a query"));
      return NULL;
    }

  g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_kontor_store_exec (KontorStore  *self,
      const char   *sql,
      GError      **error)
{
  char *msg = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &msg);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, sql);
      sqlite3_free (msg);
      return FALSE;
    }

  return TRUE;
}

/* Runs a prepared statement that returns no rows. */
gboolean
_kontor_store_step_done (KontorStore   *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sqlite_error (error, self->db, rc, _("Cannot write to the database"));

  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           i,
           const char   *text)
{
  sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
}

static int
fold_collation (void       *data,
                int         a_len,
                const void *a,
                int         b_len,
                const void *b)
{
  return kontor_fold_collate (a, a_len, b, b_len);
}

static void
fold_function (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  const char *text;
  char *folded;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  text = (const char *) sqlite3_value_text (argv[0]);
  folded = kontor_fold (text, sqlite3_value_bytes (argv[0]));
  sqlite3_result_text (context, folded, -1, g_free);
}

/* Every connection to a replica must know the collation its indexes use. */
static void
register_functions (sqlite3 *db)
{
  sqlite3_create_collation (db, "kontor_fold", SQLITE_UTF8, NULL, fold_collation);
  sqlite3_create_function (db, "kontor_fold", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                           NULL, fold_function, NULL, NULL);
}

/* ---------------------------------------------------------------------- */
/* Transactions                                                           */

static void  load_pruned (KontorStore *self);
static gboolean load_custom_fields (KontorStore *self, GError **error);
static gint64 schema_version (KontorStore *self);

/* Another connection (the sync thread, kontor-cli) may have added a key
 * column (an indexed custom field) since this one read its key tables:
 * its writes must fill that column too. The schema version tells, once
 * per transaction, under the write lock. Indexes are not rebuilt here: a
 * bulk import elsewhere may have suspended them on purpose. */
static void
refresh_keys_if_changed (KontorStore *self)
{
  gint64 version = schema_version (self);
  GPtrArray *kinds;
  g_autoptr(GError) error = NULL;

  if (!self->keys_ready || version == self->schema_cookie || version < 0)
    return;

  if (!load_custom_fields (self, &error))
    {
      g_warning ("Could not reload custom fields: %s", error->message);
      return;
    }
  kinds = kontor_schema_list_kinds (self->schema);
  for (guint i = 0; i < kinds->len; i++)
    if (!_kontor_store_read_keys (self, g_ptr_array_index (kinds, i), &error))
      {
        g_warning ("Could not read the key tables: %s", error->message);
        return;
      }
  self->schema_cookie = schema_version (self);
}

static void
emit_dirty (KontorStore *self)
{
  g_autoptr(GHashTable) kinds = g_steal_pointer (&self->dirty_kinds);
  GHashTableIter iter;
  gpointer kind;

  self->dirty_kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, kinds);
  while (g_hash_table_iter_next (&iter, &kind, NULL))
    g_signal_emit (self, signals[CHANGED], 0, (const char *) kind);
}

gboolean
kontor_store_begin (KontorStore  *self,
                    GError      **error)
{
  gint64 changes;

  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);

  /* Nested levels are bookkeeping only: an SQL savepoint per record makes
   * FTS5 flush and merge its pending segments every time, which made bulk
   * inserts twenty times slower. */
  if (self->tx_depth == 0)
    {
      g_autofree char *replica = NULL;
      g_autofree char *counter = NULL;

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      self->tx_failed = FALSE;

      /* Another connection to the file (the sync thread) may have
       * registered the replica or taken dots since this one last wrote:
       * the write lock is ours now, so the file has the truth. */
      replica = meta_get (self, "replica_id");
      counter = meta_get (self, "counter");
      if (replica != NULL)
        self->replica_id = (guint32) g_ascii_strtoull (replica, NULL, 10);
      if (counter != NULL)
        self->counter = g_ascii_strtoull (counter, NULL, 10);
      load_pruned (self);
      refresh_keys_if_changed (self);
    }

  changes = sqlite3_total_changes64 (self->db);
  g_array_append_val (self->tx_changes, changes);
  self->tx_depth++;
  return TRUE;
}

gboolean
kontor_store_commit (KontorStore  *self,
                     GError      **error)
{
  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  g_array_set_size (self->tx_changes, self->tx_changes->len - 1);
  if (self->tx_depth > 1)
    {
      self->tx_depth--;
      return TRUE;
    }

  if (self->tx_failed)
    {
      self->tx_depth = 1;
      g_array_set_size (self->tx_changes, 0);
      g_array_append_val (self->tx_changes, (gint64) { 0 });
      kontor_store_rollback (self);
      g_set_error_literal (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_FAILED,
                           _("An earlier step of this transaction failed; nothing was saved"));
      return FALSE;
    }

  /* the counter goes to meta once per transaction, not once per dot */
  if (self->counter_dirty)
    {
      if (!meta_set_int (self, "counter", (gint64) self->counter, error))
        {
          self->tx_depth = 1;
          g_array_append_val (self->tx_changes, (gint64) { 0 });
          kontor_store_rollback (self);
          return FALSE;
        }
      self->counter_dirty = FALSE;
    }

  if (!exec (self, "COMMIT", error))
    {
      self->tx_depth = 1;
      g_array_append_val (self->tx_changes, (gint64) { 0 });
      kontor_store_rollback (self);
      return FALSE;
    }

  self->tx_depth = 0;
  emit_dirty (self);
  return TRUE;
}

void
kontor_store_rollback (KontorStore *self)
{
  gint64 at_begin;

  g_return_if_fail (KONTOR_IS_STORE (self));

  if (self->tx_depth == 0)
    return;

  at_begin = g_array_index (self->tx_changes, gint64, self->tx_changes->len - 1);
  g_array_set_size (self->tx_changes, self->tx_changes->len - 1);

  if (self->tx_depth > 1)
    {
      /* a nested step that wrote nothing (say, a record that failed
       * validation) leaves the outer transaction intact; one that wrote
       * half its rows spoils it */
      if (sqlite3_total_changes64 (self->db) != at_begin)
        self->tx_failed = TRUE;
      self->tx_depth--;
      return;
    }

  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->tx_depth = 0;
  self->counter_dirty = FALSE;
  g_array_set_size (self->tx_changes, 0);
  g_hash_table_remove_all (self->dirty_kinds);

  /* the counter may have advanced inside the failed transaction */
  {
    sqlite3_stmt *stmt = prepare (self, "SELECT value FROM meta WHERE key = 'counter'", NULL);

    if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
      self->counter = sqlite3_column_int64 (stmt, 0);
    if (stmt != NULL)
      sqlite3_reset (stmt);
  }
}

/* ---------------------------------------------------------------------- */
/* Meta settings                                                          */

char *
_kontor_store_meta_get (KontorStore *self,
                        const char  *key)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return value;
}

gboolean
_kontor_store_meta_set (KontorStore  *self,
                        const char   *key,
                        const char   *value,
                        GError      **error)
{
  sqlite3_stmt *stmt = value != NULL
    ? prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error)
    : prepare (self, "DELETE FROM meta WHERE key = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  if (value != NULL)
    bind_text (stmt, 2, value);
  return step_done (self, stmt, error);
}

gboolean
_kontor_store_schema_has (KontorStore *self,
                          const char  *type,
                          const char  *name)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?",
                                NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, type);
  bind_text (stmt, 2, name);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

gboolean
_kontor_store_drop_indexes (KontorStore  *self,
                            const char   *where,
                            const char   *arg1,
                            const char   *arg2,
                            guint        *n_dropped,
                            GError      **error)
{
  g_autofree char *query = g_strconcat ("SELECT name FROM sqlite_schema "
                                        "WHERE type = 'index' AND sql IS NOT NULL AND ",
                                        where, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = prepare (self, query, error);

  if (stmt == NULL)
    return FALSE;
  if (arg1 != NULL)
    bind_text (stmt, 1, arg1);
  if (arg2 != NULL)
    bind_text (stmt, 2, arg2);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP INDEX \"%s\"",
                                              (char *) g_ptr_array_index (names, i));

      if (!exec (self, sql, error))
        return FALSE;
    }
  if (n_dropped != NULL)
    *n_dropped = names->len;
  return TRUE;
}

gboolean
_kontor_store_meta_set_int (KontorStore  *self,
              const char   *key,
              gint64        value,
              GError      **error)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, value);
  return step_done (self, stmt, error);
}

static void
update_parse_context (KontorStore *self)
{
  g_free (self->region);
  g_free (self->currency);
  self->region = meta_get (self, "default_region");
  self->currency = meta_get (self, "default_currency");
  if (self->region == NULL)
    self->region = g_strdup ("DE");
  if (self->currency == NULL)
    self->currency = g_strdup ("EUR");
  self->ctx.default_region = self->region;
  self->ctx.default_currency = self->currency;
}

gboolean
kontor_store_set_setting (KontorStore  *self,
                          const char   *key,
                          const char   *value,
                          GError      **error)
{
  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (g_str_equal (key, "default_region") &&
      (value == NULL || strlen (value) != 2 || !g_ascii_isalpha (value[0]) ||
       !g_ascii_isalpha (value[1])))
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                   _("default_region: “%s” is not a two-letter country code"), value);
      return FALSE;
    }
  if (g_str_equal (key, "default_currency") &&
      (value == NULL || strlen (value) != 3 ||
       strspn (value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != 3))
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                   _("default_currency: “%s” is not a three-letter currency code"), value);
      return FALSE;
    }

  {
    g_autofree char *upper = value ? g_ascii_strup (value, -1) : NULL;
    const char *v = (g_str_has_prefix (key, "default_") && upper) ? upper : value;

    if (!meta_set (self, key, v, error))
      return FALSE;
  }
  update_parse_context (self);
  return TRUE;
}

char *
kontor_store_get_setting (KontorStore *self,
                          const char  *key)
{
  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  return meta_get (self, key);
}

/* ---------------------------------------------------------------------- */
/* Field expressions and indexes                                          */

/* The SQL expression of a field's winning value as lists sort and filter
 * by it. Field names are [a-z0-9_] (checked by the schema), so they can
 * stand in the JSON path literally. */
char *
_kontor_store_field_expr (KontorField *field,
                          const char  *table)
{
  const char *name = kontor_field_get_name (field);

  switch (kontor_field_get_field_type (field))
    {
    case KONTOR_FIELD_MONEY:
      return g_strdup_printf ("json_extract(%sstate, '$.f.%s[0].v.minor')", table, name);
    case KONTOR_FIELD_DECIMAL:
      /* ordering only: the stored value stays the exact decimal text */
      return g_strdup_printf ("CAST(json_extract(%sstate, '$.f.%s[0].v') AS REAL)", table, name);
    case KONTOR_FIELD_TEXT:
    case KONTOR_FIELD_LONG_TEXT:
    case KONTOR_FIELD_EMAIL:
    case KONTOR_FIELD_URL:
    case KONTOR_FIELD_CHOICE:
      return g_strdup_printf ("json_extract(%sstate, '$.f.%s[0].v') COLLATE kontor_fold",
                              table, name);
    case KONTOR_FIELD_INTEGER:
    case KONTOR_FIELD_BOOLEAN:
    case KONTOR_FIELD_DATE:
    case KONTOR_FIELD_DATETIME:
    case KONTOR_FIELD_MULTI_CHOICE:
    case KONTOR_FIELD_REFERENCE:
    case KONTOR_FIELD_PHONE:
    case KONTOR_FIELD_BLOB:
    case KONTOR_N_FIELD_TYPES:
    default:
      return g_strdup_printf ("json_extract(%sstate, '$.f.%s[0].v')", table, name);
    }
}

gboolean
_kontor_store_ensure_field_index (KontorStore  *self,
                    const char   *kind,
                    KontorField  *field,
                    GError      **error)
{
  KontorKind *k = kontor_schema_get_kind (self->schema, kind);

  if (k == NULL || !kontor_field_has_flag (field, KONTOR_FIELD_FLAG_INDEXED))
    return TRUE;

  return _kontor_store_ensure_keys (self, k, error);
}

static gint64
schema_version (KontorStore *self)
{
  sqlite3_stmt *stmt = prepare (self, "PRAGMA schema_version", NULL);
  gint64 version = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return version;
}

static gboolean
ensure_indexes (KontorStore  *self,
                GError      **error)
{
  GPtrArray *kinds = kontor_schema_list_kinds (self->schema);
  gboolean work = FALSE;

  /* mostly all is there: then read the key tables without taking the
   * write lock, so that opening does not wait for a writer elsewhere */
  work = !_kontor_store_schema_has (self, "index", "record_updated");
  for (guint i = 0; i < kinds->len && !work; i++)
    work = _kontor_store_keys_need_work (self, g_ptr_array_index (kinds, i));
  if (!work)
    {
      for (guint i = 0; i < kinds->len; i++)
        if (!_kontor_store_read_keys (self, g_ptr_array_index (kinds, i), error))
          return FALSE;
      self->schema_cookie = schema_version (self);
      return TRUE;
    }

  if (!kontor_store_begin (self, error))
    return FALSE;

  /* "what changed since the last visit" (the Today page), newest first */
  if (!exec (self, "CREATE INDEX IF NOT EXISTS record_updated ON record (updated_at) "
                   "WHERE deleted = 0", error))
    goto fail;

  for (guint i = 0; i < kinds->len; i++)
    if (!_kontor_store_ensure_keys (self, g_ptr_array_index (kinds, i), error))
      goto fail;

  if (!kontor_store_commit (self, error))
    return FALSE;
  self->schema_cookie = schema_version (self);
  return TRUE;

fail:
  kontor_store_rollback (self);
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Opening                                                                */

static void file_closed (const char *key);

static void
kontor_store_finalize (GObject *object)
{
  KontorStore *self = (KontorStore *) object;

  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  file_closed (self->file_key);
  g_free (self->file_key);
  g_clear_pointer (&self->dirty_kinds, g_hash_table_unref);
  g_clear_pointer (&self->key_tables, g_hash_table_unref);
  g_clear_pointer (&self->tx_changes, g_array_unref);
  g_clear_pointer (&self->pruned, g_array_unref);
  g_clear_object (&self->schema);
  g_free (self->path);
  g_free (self->region);
  g_free (self->currency);

  G_OBJECT_CLASS (kontor_store_parent_class)->finalize (object);
}

static void
kontor_store_class_init (KontorStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kontor_store_finalize;

  /* Emitted after a commit with the name of each kind that changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
kontor_store_init (KontorStore *self)
{
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  self->dirty_kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->key_tables = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) _kontor_kind_keys_free);
  self->tx_changes = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pruned = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->schema = kontor_schema_new ();
  self->replica_id = KONTOR_REPLICA_UNREGISTERED;
}

char *
kontor_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "kontor", "kontor.db", NULL);
}

static gint64
pragma_int (sqlite3    *db,
            const char *sql,
            int        *rc_out)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  *rc_out = rc;

  return value;
}

/* Looks at an existing file without writing to it: is it an SQLite
 * database, ours, and not from the future? */
/* Files a store of this process has open, by device and inode. Closing any
 * descriptor of a file drops every POSIX lock this process holds on it,
 * SQLite's included (they are per process, not per descriptor): reading the
 * header of a file that another store here has open would let a second
 * program take it for unused and delete its WAL. Such a file was checked
 * when it was first opened, so it is not read again. */
G_LOCK_DEFINE_STATIC (open_files);
static GHashTable *open_files;   /* "dev:ino" -> count */

static char *
file_key (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return NULL;
  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
                          (guint64) st.st_dev, (guint64) st.st_ino);
}

static gboolean
file_is_open_here (const char *key)
{
  gboolean open;

  G_LOCK (open_files);
  open = open_files != NULL && key != NULL && g_hash_table_contains (open_files, key);
  G_UNLOCK (open_files);
  return open;
}

static void
file_opened (const char *key)
{
  guint n;

  if (key == NULL)
    return;
  G_LOCK (open_files);
  if (open_files == NULL)
    open_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (open_files, key));
  g_hash_table_insert (open_files, g_strdup (key), GUINT_TO_POINTER (n + 1));
  G_UNLOCK (open_files);
}

static void
file_closed (const char *key)
{
  guint n;

  if (key == NULL)
    return;
  G_LOCK (open_files);
  n = open_files ? GPOINTER_TO_UINT (g_hash_table_lookup (open_files, key)) : 0;
  if (n > 1)
    g_hash_table_insert (open_files, g_strdup (key), GUINT_TO_POINTER (n - 1));
  else if (open_files != NULL)
    g_hash_table_remove (open_files, key);
  G_UNLOCK (open_files);
}

/* A big-endian 32-bit field of the SQLite file header. */
static guint32
header_int (const char *head,
            guint       offset)
{
  guint32 v;

  memcpy (&v, head + offset, sizeof v);
  return GUINT32_FROM_BE (v);
}

static gboolean
check_existing (const char  *path,
                GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  g_autofree char *head = NULL;
  gsize len = 0;
  gint64 version;
  gint64 app_id;
  gint64 schema_cookie;   /* not 0 once a table was ever created */

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  {
    g_autofree char *key = file_key (path);

    if (file_is_open_here (key))
      return TRUE;
  }

  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
    guint8 buf[100];

    if (in == NULL)
      return FALSE;
    if (!g_input_stream_read_all (G_INPUT_STREAM (in), buf, sizeof buf, &len, NULL, error))
      return FALSE;
    head = g_memdup2 (buf, len);
  }

  if (len == 0)
    return TRUE;  /* an empty file is a new database */

  if (len < 100 || memcmp (head, magic, 16) != 0)
    {
      g_set_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_CORRUPT,
                   _("“%s” is not a Kontor database (it is not an SQLite file); "
                     "it was left untouched"), path);
      return FALSE;
    }

  /* The header says what the file is (SQLite's file format: user_version
   * at 60, application_id at 68, the schema cookie at 40, big-endian).
   * Read as bytes: an SQLite connection without locks (immutable) saw
   * pages half written while another process checkpointed, and called a
   * sound file damaged. The WAL may hold newer values; migrate() checks
   * again through a real connection. */
  version = header_int (head, 60);
  app_id = (gint32) header_int (head, 68);
  schema_cookie = header_int (head, 40);

  if (app_id != KONTOR_APPLICATION_ID && (app_id != 0 || schema_cookie != 0))
    {
      g_set_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_NOT_KONTOR,
                   _("“%s” is an SQLite database of another program; it was left untouched"),
                   path);
      return FALSE;
    }

  if (version > KONTOR_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Kontor (schema %d, this "
                     "version knows %d); it was left untouched. Please update Kontor."),
                   path, (int) version, KONTOR_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (KontorStore  *self,
         GError      **error)
{
  int rc;
  gint64 version = pragma_int (self->db, "PRAGMA user_version", &rc);

  if (rc != SQLITE_OK)
    return set_sqlite_error (error, self->db, rc, _("Cannot read the schema version"));

  /* the header check before opening read the main file; a newer version
   * written only to the WAL so far shows here */
  if (version > KONTOR_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Kontor (schema %d, this "
                     "version knows %d); it was left untouched. Please update Kontor."),
                   self->path, (int) version, KONTOR_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (version == KONTOR_STORE_SCHEMA_VERSION)
    return TRUE;

  if (!kontor_store_begin (self, error))
    return FALSE;

  if (version < 1)
    {
      g_autofree char *app = g_strdup_printf ("PRAGMA application_id = %d", KONTOR_APPLICATION_ID);

      for (guint i = 0; schema_v1[i]; i++)
        if (!exec (self, schema_v1[i], error))
          goto fail;
      if (!exec (self, app, error) ||
          !meta_set_int (self, "replica_id", KONTOR_REPLICA_UNREGISTERED, error) ||
          !meta_set_int (self, "counter", 0, error))
        goto fail;
      {
        g_autofree char *db_id = kontor_uuid_new ();

        if (!meta_set (self, "database_id", db_id, error))
          goto fail;
      }
    }

  /* 2: the per-kind partial expression indexes on record give way to key
   * tables (kontor-store-keys.c), created and filled by ensure_indexes() */
  if (version == 1 &&
      !_kontor_store_drop_indexes (self, "tbl_name = 'record' AND name LIKE 'ix\\_%' ESCAPE '\\'",
                                   NULL, NULL, NULL, error))
    goto fail;

  /* future migrations: if (version < 3) { ... } */

  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d",
                                            KONTOR_STORE_SCHEMA_VERSION);
    if (!exec (self, sql, error))
      goto fail;
  }

  return kontor_store_commit (self, error);

fail:
  kontor_store_rollback (self);
  return FALSE;
}

KontorSyncRecord *
_kontor_store_parse_state (const char  *json,
             GError     **error)
{
  g_autoptr(GError) local = NULL;
  KontorSyncRecord *rec = kontor_sync_record_from_string (json, &local);

  if (rec == NULL)
    g_set_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_CORRUPT,
                 _("A record in the database is damaged: %s"), local->message);

  return rec;
}

/* The winning values of a causal state, without cleared fields. */
JsonObject *
_kontor_store_state_values (KontorSyncRecord *state)
{
  g_autoptr(GPtrArray) fields = kontor_sync_record_list_fields (state);
  JsonObject *values = json_object_new ();

  for (guint i = 0; i < fields->len; i++)
    {
      const char *name = g_ptr_array_index (fields, i);
      JsonNode *value;

      if (name[0] == '_')
        continue;
      value = kontor_sync_record_get_value (state, name);
      if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
        json_object_set_member (values, name, json_node_copy (value));
    }

  return values;
}

static gboolean
load_custom_fields (KontorStore  *self,
                    GError      **error)
{
  sqlite3_stmt *stmt = prepare (self,
                                "SELECT id, state, deleted FROM record "
                                "WHERE kind = '" KONTOR_KIND_CUSTOM_FIELD "' "
                                /* +rid: through the kind index and a small
                                 * sort, not a scan of every record */
                                "ORDER BY +rid", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(KontorSyncRecord) state = NULL;
      g_autoptr(JsonObject) values = NULL;
      g_autoptr(GError) local = NULL;

      if (sqlite3_column_int (stmt, 2))
        {
          kontor_schema_remove_definition (self->schema, id);
          continue;
        }

      state = parse_state ((const char *) sqlite3_column_text (stmt, 1), error);
      if (state == NULL)
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      values = _kontor_store_state_values (state);
      /* a definition that no longer applies (say, from a newer schema) is
       * skipped, not fatal: the data stays in the record */
      if (kontor_schema_apply_definition (self->schema, id, values, &local) == NULL)
        g_warning ("Custom field %s skipped: %s", id, local->message);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, self->db, rc, _("Cannot read custom fields"));

  return TRUE;
}

KontorStore *
kontor_store_open (const char  *path,
                   GError     **error)
{
  g_autoptr(KontorStore) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *value = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_existing (path, error))
    return NULL;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (errsv));
      return NULL;
    }

  self = g_object_new (KONTOR_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, _("Cannot open the database"));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);
  register_functions (self->db);

  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) ||
      /* some 70 partial indexes and the FTS index: 64 MiB keeps them hot */
      !exec (self, "PRAGMA cache_size = -65536", error) ||
      /* checkpoint every 32 MiB of WAL, not 4: a pull of 1,000 changes
       * (some 3,000 pages with the indexes) no longer ends in a checkpoint
       * of its own (pull 0.20 -> 0.16 s, initial sync 9.1 -> 8.4 s) */
      !exec (self, "PRAGMA wal_autocheckpoint = 8192", error) ||
      !migrate (self, error))
    return NULL;

  value = meta_get (self, "replica_id");
  if (value != NULL)
    self->replica_id = (guint32) g_ascii_strtoull (value, NULL, 10);
  g_clear_pointer (&value, g_free);
  value = meta_get (self, "counter");
  if (value != NULL)
    self->counter = g_ascii_strtoull (value, NULL, 10);

  update_parse_context (self);
  load_pruned (self);

  if (!load_custom_fields (self, error) || !ensure_indexes (self, error))
    return NULL;
  self->keys_ready = TRUE;

  self->file_key = file_key (path);
  file_opened (self->file_key);

  return g_steal_pointer (&self);
}

gboolean
kontor_store_set_cache_size (KontorStore  *self,
                             guint         kib,
                             GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);
  g_return_val_if_fail (kib > 0, FALSE);

  sql = g_strdup_printf ("PRAGMA cache_size = -%u", kib);
  return exec (self, sql, error);
}

const char *
kontor_store_get_path (KontorStore *self)
{
  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  return self->path;
}

KontorSchema *
kontor_store_get_schema (KontorStore *self)
{
  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  return self->schema;
}

guint32
kontor_store_get_replica_id (KontorStore *self)
{
  g_return_val_if_fail (KONTOR_IS_STORE (self), 0);
  return self->replica_id;
}

const KontorParseContext *
kontor_store_get_parse_context (KontorStore *self)
{
  g_return_val_if_fail (KONTOR_IS_STORE (self), NULL);
  return &self->ctx;
}

sqlite3 *
_kontor_store_get_db (KontorStore *self)
{
  return self->db;
}

void
_kontor_store_mark_dirty (KontorStore *self,
                          const char  *kind)
{
  if (!g_hash_table_contains (self->dirty_kinds, kind))
    g_hash_table_add (self->dirty_kinds, g_strdup (kind));
}

gboolean
_kontor_store_next_dot (KontorStore  *self,
                        KontorDot    *dot,
                        GError      **error)
{
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  self->counter++;
  self->counter_dirty = TRUE;
  dot->replica = self->replica_id;
  dot->counter = self->counter;
  return TRUE;
}

void
_kontor_store_set_replica (KontorStore *self,
                           guint32      replica_id)
{
  self->replica_id = replica_id;
}

/* Inside a transaction: the next dot is counter + 1 (written at commit). */
void
_kontor_store_set_counter (KontorStore *self,
                           guint64      counter)
{
  g_return_if_fail (self->tx_depth > 0);

  self->counter = counter;
  self->counter_dirty = TRUE;
}

void
kontor_store_notify_changed (KontorStore *self,
                             const char  *kind)
{
  g_return_if_fail (KONTOR_IS_STORE (self));

  /* definitions another connection wrote: this connection's schema too */
  if (g_strcmp0 (kind, KONTOR_KIND_CUSTOM_FIELD) == 0)
    {
      g_autoptr(GError) error = NULL;

      if (!load_custom_fields (self, &error))
        g_warning ("Could not reload custom fields: %s", error->message);
    }

  g_signal_emit (self, signals[CHANGED], 0, kind);
}

static void
load_pruned (KontorStore *self)
{
  g_autofree char *text = meta_get (self, "pruned_replicas");
  g_auto(GStrv) parts = NULL;

  g_array_set_size (self->pruned, 0);
  if (text == NULL || text[0] == '\0')
    return;
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      guint64 r;

      if (g_ascii_string_to_unsigned (parts[i], 10, 1, G_MAXUINT32, &r, NULL))
        {
          guint32 v = r;
          g_array_append_val (self->pruned, v);
        }
    }
}

GArray *
_kontor_store_get_pruned (KontorStore *self)
{
  return self->pruned;
}

GHashTable *
_kontor_store_get_key_tables (KontorStore *self)
{
  return self->key_tables;
}

gboolean
kontor_store_set_pruned_replicas (KontorStore  *self,
                                  GArray       *replicas,
                                  GError      **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);

  for (guint i = 0; i < replicas->len; i++)
    g_string_append_printf (text, "%s%u", i ? "," : "", g_array_index (replicas, guint32, i));
  {
    g_autofree char *current = meta_get (self, "pruned_replicas");

    if (g_strcmp0 (current ? current : "", text->str) == 0)
      return TRUE;
  }
  if (!meta_set (self, "pruned_replicas", text->str, error))
    return FALSE;
  load_pruned (self);
  return TRUE;
}
