/* kontor-store-keys.c: the sort and filter keys of each kind
 *
 * Lists sort and filter by schema fields. The values live in the record's
 * causal state (JSON), so the first schema indexed expressions over that
 * JSON: some 80 partial indexes on the record table. Every insert into the
 * table then opened a cursor on each of them and parsed the state once
 * per index of its kind, which made a bulk import spend more than half
 * its time there.
 *
 * Since schema 2 each kind with indexed fields has a key table
 * "x_<kind>" (rid INTEGER PRIMARY KEY, one column per indexed or title
 * field), holding the winning value of each such field for the kind's
 * live records, and the indexes are on that table. A write binds the
 * values it has in hand; a list joins the key table when it sorts or
 * filters by one of its columns. A column is named after the field and
 * its type ("last_name__text"), so a custom field given another type
 * gets a new column, filled from the records.
 *
 * Text keys are stored folded (kontor_fold: lower case, no accents,
 * ß -> ss) and compared as bytes, which orders exactly as the kontor_fold
 * collation does; an index build then sorts with memcmp instead of
 * folding both sides of every comparison. Conditions bind folded text
 * (_kontor_store_key_folds()).
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-store"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kontor-fold.h"
#include "kontor-store-private.h"

struct _KontorKindKeys
{
  char      *kind;
  GPtrArray *names;     /* char *: field names, in column order */
  GArray    *types;     /* KontorFieldType */
  char      *insert_sql;    /* INSERT OR IGNORE of a whole row */
  GPtrArray *update_sql;    /* per column: set it where it differs */
  char      *delete_sql;
};

void
_kontor_kind_keys_free (KontorKindKeys *keys)
{
  g_free (keys->kind);
  g_ptr_array_unref (keys->names);
  g_array_unref (keys->types);
  g_free (keys->insert_sql);
  g_ptr_array_unref (keys->update_sql);
  g_free (keys->delete_sql);
  g_free (keys);
}

static char *
column_name (const char      *field,
             KontorFieldType  type)
{
  return g_strdup_printf ("%s__%s", field, kontor_field_type_to_string (type));
}

gboolean
_kontor_store_key_folds (KontorFieldType type)
{
  switch (type)
    {
    case KONTOR_FIELD_TEXT:
    case KONTOR_FIELD_LONG_TEXT:
    case KONTOR_FIELD_EMAIL:
    case KONTOR_FIELD_URL:
    case KONTOR_FIELD_CHOICE:
      return TRUE;
    case KONTOR_FIELD_INTEGER:
    case KONTOR_FIELD_DECIMAL:
    case KONTOR_FIELD_MONEY:
    case KONTOR_FIELD_BOOLEAN:
    case KONTOR_FIELD_DATE:
    case KONTOR_FIELD_DATETIME:
    case KONTOR_FIELD_MULTI_CHOICE:
    case KONTOR_FIELD_REFERENCE:
    case KONTOR_FIELD_PHONE:
    case KONTOR_FIELD_BLOB:
    case KONTOR_N_FIELD_TYPES:
    default:
      return FALSE;
    }
}

static char *
key_expr (const char      *prefix,
          const char      *field,
          KontorFieldType  type)
{
  g_autofree char *column = column_name (field, type);

  return g_strdup_printf ("%s\"%s\"", prefix, column);
}

/* Fields with a column: the indexed ones and the title's sort keys. */
static GPtrArray *
key_fields (KontorKind *kind)
{
  GPtrArray *fields = kontor_kind_get_fields (kind);
  g_auto(GStrv) title_keys = kontor_kind_dup_title_sort_keys (kind);
  GPtrArray *keyed = g_ptr_array_new ();

  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);

      if (kontor_field_has_flag (f, KONTOR_FIELD_FLAG_INDEXED) ||
          (g_strv_length (title_keys) > 1 &&
           g_strv_contains ((const char * const *) title_keys, kontor_field_get_name (f))))
        g_ptr_array_add (keyed, f);
    }

  return keyed;
}

KontorKindKeys *
_kontor_store_get_keys (KontorStore *self,
                        const char  *kind)
{
  return g_hash_table_lookup (_kontor_store_get_key_tables (self), kind);
}

char *
_kontor_store_key_expr (KontorStore *self,
                        const char  *kind,
                        KontorField *field,
                        const char  *prefix)
{
  KontorKindKeys *keys = _kontor_store_get_keys (self, kind);
  const char *name = kontor_field_get_name (field);
  KontorFieldType type = kontor_field_get_field_type (field);

  if (keys == NULL)
    return NULL;
  for (guint i = 0; i < keys->names->len; i++)
    if (g_str_equal (g_ptr_array_index (keys->names, i), name) &&
        g_array_index (keys->types, KontorFieldType, i) == type)
      return key_expr (prefix, name, type);

  return NULL;
}

/* The value json_extract(state, '$.f.<field>[0].v') gave the first
 * schema's indexes: money as its minor units, decimals as REAL. */
static void
bind_key (sqlite3_stmt    *stmt,
          int              i,
          KontorFieldType  type,
          JsonNode        *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      sqlite3_bind_null (stmt, i);
      return;
    }

  if (type == KONTOR_FIELD_MONEY)
    {
      if (JSON_NODE_HOLDS_OBJECT (value) &&
          json_object_has_member (json_node_get_object (value), "minor"))
        sqlite3_bind_int64 (stmt, i, json_object_get_int_member (json_node_get_object (value),
                                                                 "minor"));
      else
        sqlite3_bind_null (stmt, i);
      return;
    }

  if (JSON_NODE_HOLDS_VALUE (value))
    {
      GType vt = json_node_get_value_type (value);

      if (type == KONTOR_FIELD_DECIMAL)
        {
          if (vt == G_TYPE_STRING)
            sqlite3_bind_double (stmt, i, g_ascii_strtod (json_node_get_string (value), NULL));
          else
            sqlite3_bind_double (stmt, i, json_node_get_double (value));
          return;
        }
      if (vt == G_TYPE_STRING && _kontor_store_key_folds (type))
        {
          const char *text = json_node_get_string (value);

          sqlite3_bind_text (stmt, i, kontor_fold (text, -1), -1, g_free);
        }
      else if (vt == G_TYPE_INT64)
        sqlite3_bind_int64 (stmt, i, json_node_get_int (value));
      else if (vt == G_TYPE_DOUBLE)
        sqlite3_bind_double (stmt, i, json_node_get_double (value));
      else if (vt == G_TYPE_BOOLEAN)
        sqlite3_bind_int (stmt, i, json_node_get_boolean (value) ? 1 : 0);
      else
        sqlite3_bind_text (stmt, i, json_node_get_string (value), -1, SQLITE_TRANSIENT);
      return;
    }

  /* lists and objects: their JSON text, as json_extract gave it */
  {
    g_autofree char *text = json_to_string (value, FALSE);

    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  }
}

/* A new record's row is inserted. For an edited one, each column is set
 * only where its value changed: SQLite updates every index of a column
 * named in SET, so replacing the whole row would rewrite all of the
 * kind's indexes for a one-field edit (a pull of 1,000 edits spent most
 * of its time committing index pages). columns: the indices of the
 * columns to set on an existing row, NULL for all. */
static gboolean
write_key_row (KontorStore     *self,
               KontorKindKeys  *keys,
               gint64           rid,
               JsonObject      *values,
               gboolean         is_new,
               GArray          *columns,
               GError         **error)
{
  sqlite3_stmt *stmt;
  guint n = columns ? columns->len : keys->names->len;

  /* an edited record may have no row yet (it was deleted, or its kind's
   * table is new, or the row was lost): OR IGNORE keeps an existing one */
  stmt = prepare (self, keys->insert_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);
  for (guint i = 0; i < keys->names->len; i++)
    bind_key (stmt, i + 2, g_array_index (keys->types, KontorFieldType, i),
              json_object_get_member (values, g_ptr_array_index (keys->names, i)));
  if (!step_done (self, stmt, error))
    return FALSE;
  if (is_new || sqlite3_changes (_kontor_store_get_db (self)) > 0)
    return TRUE;

  for (guint c = 0; c < n; c++)
    {
      guint i = columns ? g_array_index (columns, guint, c) : c;

      stmt = prepare (self, g_ptr_array_index (keys->update_sql, i), error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rid);
      bind_key (stmt, 2, g_array_index (keys->types, KontorFieldType, i),
                json_object_get_member (values, g_ptr_array_index (keys->names, i)));
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
_kontor_store_write_keys (KontorStore  *self,
                          gint64        rid,
                          const char   *kind,
                          JsonObject   *values,
                          gboolean      is_new,
                          GError      **error)
{
  KontorKindKeys *keys = _kontor_store_get_keys (self, kind);

  return keys == NULL || write_key_row (self, keys, rid, values, is_new, NULL, error);
}

gboolean
_kontor_store_delete_keys (KontorStore  *self,
                           gint64        rid,
                           const char   *kind,
                           GError      **error)
{
  KontorKindKeys *keys = _kontor_store_get_keys (self, kind);
  sqlite3_stmt *stmt;

  if (keys == NULL)
    return TRUE;

  stmt = prepare (self, keys->delete_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rid);

  return step_done (self, stmt, error);
}

/* Fills the key table from the kind's live records: whole rows into a new
 * table (added == NULL), else only the columns at the indices in added,
 * leaving the others as they are. */
static gboolean
fill_keys (KontorStore  *self,
           const char   *kind,
           GArray       *added,
           GError      **error)
{
  KontorKindKeys *keys = _kontor_store_get_keys (self, kind);
  sqlite3_stmt *stmt;
  int rc;

  /* a statement of its own: the cached ones may be stepping */
  rc = sqlite3_prepare_v2 (_kontor_store_get_db (self),
                           "SELECT rid, state FROM record WHERE kind = ? AND deleted = 0",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read records"));
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(KontorSyncRecord) state = NULL;
      g_autoptr(JsonObject) values = NULL;
      gint64 rid = sqlite3_column_int64 (stmt, 0);

      state = parse_state ((const char *) sqlite3_column_text (stmt, 1), error);
      if (state != NULL)
        values = _kontor_store_state_values (state);
      /* a new table is empty: whole rows; else only the added columns */
      if (state == NULL ||
          !write_key_row (self, keys, rid, values, added == NULL, added, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read records"));

  return TRUE;
}

/* A column no field keeps up to date any more (its custom field was
 * removed, or given another type) goes, with its index: were it kept,
 * the field's return would find stale values in it. */
static gboolean
drop_column (KontorStore  *self,
             const char   *table,
             const char   *column,
             GError      **error)
{
  g_autofree char *pattern = g_strdup_printf ("%%\"%s\"%%", column);
  g_autofree char *drop = g_strdup_printf ("ALTER TABLE \"%s\" DROP COLUMN \"%s\"", table, column);

  return _kontor_store_drop_indexes (self, "tbl_name = ? AND sql LIKE ?", table, pattern, NULL,
                                     error) &&
         exec (self, drop, error);
}

static GHashTable *
table_columns (KontorStore  *self,
               const char   *table,
               GError      **error)
{
  g_autoptr(GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_info(\"%s\")", table);
  sqlite3_stmt *stmt;
  int rc;

  rc = sqlite3_prepare_v2 (_kontor_store_get_db (self), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read the schema"));
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, _kontor_store_get_db (self), rc, _("Cannot read the schema"));
      return NULL;
    }

  return g_steal_pointer (&columns);
}

/* When a process started (clock ticks after boot, /proc/PID/stat field
 * 22), 0 if it does not run. With the pid it names a process uniquely. */
static guint64
process_started (guint pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  /* the command name in parentheses may hold spaces */
  after = strrchr (text, ')');
  if (after == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", 0);
  /* fields[0] is field 3 (state), so field 22 is fields[19] */
  if (g_strv_length (fields) < 20)
    return 0;
  return g_ascii_strtoull (fields[19], NULL, 10);
}

static char *
suspended_key (const char *kind)
{
  return g_strdup_printf ("indexes_suspended:%s", kind);
}

/* The kind's indexes are suspended by a process that still runs (another
 * import, or a first sync): building them now would take the write lock
 * from it for seconds, and be undone. */
static gboolean
suspended_elsewhere (KontorStore *self,
                     const char  *kind)
{
  g_autofree char *key = suspended_key (kind);
  g_autofree char *owner = meta_get (self, key);
  guint pid = 0;
  guint64 started = 0;

  if (owner == NULL || sscanf (owner, "%u %" G_GUINT64_FORMAT, &pid, &started) != 2)
    return FALSE;
  return started != 0 && process_started (pid) == started;
}

static gboolean
set_suspended (KontorStore  *self,
               const char   *kind,
               gboolean      suspended,
               GError      **error)
{
  g_autofree char *key = suspended_key (kind);
  g_autofree char *owner = NULL;

  if (suspended)
    owner = g_strdup_printf ("%u %" G_GUINT64_FORMAT, (guint) getpid (),
                             process_started ((guint) getpid ()));
  return meta_set (self, key, owner, error);
}

/* Creates or widens the kind's key table (and its indexes, if asked),
 * filling what is new from the records. Call inside a transaction. */
typedef enum
{
  KEYS_ONLY,          /* another connection changed the schema */
  KEYS_AND_INDEXES,   /* opening: unless a running process suspended them */
  KEYS_RESUME,        /* the end of a bulk load: always */
} EnsureMode;

static gboolean
ensure_keys (KontorStore  *self,
             KontorKind   *kind,
             EnsureMode    mode,
             GError      **error)
{
  const char *kind_name = kontor_kind_get_name (kind);
  g_autoptr(GPtrArray) fields = key_fields (kind);
  g_autofree char *table = g_strdup_printf ("x_%s", kind_name);
  g_autoptr(GHashTable) columns = NULL;
  g_autoptr(GString) insert = NULL;
  g_autoptr(GString) params = NULL;
  g_auto(GStrv) title_keys = NULL;
  g_autoptr(GArray) added = g_array_new (FALSE, FALSE, sizeof (guint));
  KontorKindKeys *keys;
  gboolean created = FALSE;

  if (fields->len == 0)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS \"%s\"", table);

      g_hash_table_remove (_kontor_store_get_key_tables (self), kind_name);
      return exec (self, sql, error);
    }

  /* a new table with all its columns in one statement: each ALTER TABLE
   * makes SQLite parse the whole schema again */
  if (!_kontor_store_schema_has (self, "table", table))
    {
      g_autoptr(GString) sql = g_string_new (NULL);

      g_string_printf (sql, "CREATE TABLE \"%s\" (rid INTEGER PRIMARY KEY", table);
      for (guint i = 0; i < fields->len; i++)
        {
          KontorField *f = g_ptr_array_index (fields, i);
          g_autofree char *column = column_name (kontor_field_get_name (f),
                                                 kontor_field_get_field_type (f));

          g_string_append_printf (sql, ", \"%s\"", column);
        }
      g_string_append_c (sql, ')');
      if (!exec (self, sql->str, error))
        return FALSE;
      created = TRUE;
    }

  columns = table_columns (self, table, error);
  if (columns == NULL)
    return FALSE;

  /* columns no field keeps any more */
  {
    g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    GHashTableIter iter;
    gpointer column;
    g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);

    g_hash_table_add (wanted, g_strdup ("rid"));
    for (guint i = 0; i < fields->len; i++)
      {
        KontorField *f = g_ptr_array_index (fields, i);

        g_hash_table_add (wanted, column_name (kontor_field_get_name (f),
                                               kontor_field_get_field_type (f)));
      }
    g_hash_table_iter_init (&iter, columns);
    while (g_hash_table_iter_next (&iter, &column, NULL))
      if (!g_hash_table_contains (wanted, column))
        g_ptr_array_add (stale, g_strdup (column));
    for (guint i = 0; i < stale->len; i++)
      {
        if (!drop_column (self, table, g_ptr_array_index (stale, i), error))
          return FALSE;
        g_hash_table_remove (columns, g_ptr_array_index (stale, i));
      }
  }

  keys = g_new0 (KontorKindKeys, 1);
  keys->kind = g_strdup (kind_name);
  keys->names = g_ptr_array_new_with_free_func (g_free);
  keys->types = g_array_new (FALSE, FALSE, sizeof (KontorFieldType));
  keys->update_sql = g_ptr_array_new_with_free_func (g_free);
  insert = g_string_new (NULL);
  params = g_string_new ("?");
  g_string_printf (insert, "INSERT OR IGNORE INTO \"%s\" (rid", table);

  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      KontorFieldType type = kontor_field_get_field_type (f);
      g_autofree char *column = column_name (kontor_field_get_name (f), type);

      if (!g_hash_table_contains (columns, column))
        {
          g_autofree char *sql = g_strdup_printf ("ALTER TABLE \"%s\" ADD COLUMN \"%s\"",
                                                  table, column);

          if (!exec (self, sql, error))
            {
              _kontor_kind_keys_free (keys);
              return FALSE;
            }
          g_array_append_val (added, i);
        }
      g_ptr_array_add (keys->names, g_strdup (kontor_field_get_name (f)));
      g_array_append_val (keys->types, type);
      g_string_append_printf (insert, ", \"%s\"", column);
      g_string_append (params, ", ?");
      g_ptr_array_add (keys->update_sql,
                       g_strdup_printf ("UPDATE \"%s\" SET \"%s\" = ?2 "
                                        "WHERE rid = ?1 AND \"%s\" IS NOT ?2",
                                        table, column, column));
    }
  g_string_append_printf (insert, ") VALUES (%s)", params->str);
  keys->insert_sql = g_string_free (g_steal_pointer (&insert), FALSE);
  keys->delete_sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE rid = ?", table);
  g_hash_table_replace (_kontor_store_get_key_tables (self), keys->kind, keys);

  if (created && !fill_keys (self, kind_name, NULL, error))
    return FALSE;
  if (!created && added->len > 0 && !fill_keys (self, kind_name, added, error))
    return FALSE;
  if (mode == KEYS_ONLY)
    return TRUE;
  if (mode == KEYS_AND_INDEXES && suspended_elsewhere (self, kind_name))
    {
      g_message ("The indexes of %s are being rebuilt by another process", kind_name);
      return TRUE;
    }
  if (!set_suspended (self, kind_name, FALSE, error))
    return FALSE;

  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      KontorFieldType type = kontor_field_get_field_type (f);
      g_autofree char *expr = NULL;
      g_autofree char *sql = NULL;

      if (!kontor_field_has_flag (f, KONTOR_FIELD_FLAG_INDEXED))
        continue;
      expr = key_expr ("", kontor_field_get_name (f), type);
      sql = g_strdup_printf ("CREATE INDEX IF NOT EXISTS \"ix_%s__%s__%s\" ON \"%s\" (%s)",
                             kind_name, kontor_field_get_name (f),
                             kontor_field_type_to_string (type), table, expr);
      if (!exec (self, sql, error))
        return FALSE;
    }

  /* a title of several fields (a contact's last and first name): one
   * index in the order lists sort by title, else every page of a sorted
   * list would sort the whole kind */
  title_keys = kontor_kind_dup_title_sort_keys (kind);
  if (g_strv_length (title_keys) > 1)
    {
      g_autoptr(GString) exprs = g_string_new (NULL);
      g_autofree char *sql = NULL;

      for (guint j = 0; title_keys[j] != NULL; j++)
        {
          KontorField *f = kontor_kind_get_field (kind, title_keys[j]);
          g_autofree char *expr = key_expr ("", title_keys[j], kontor_field_get_field_type (f));

          g_string_append_printf (exprs, "%s%s", j > 0 ? ", " : "", expr);
        }
      sql = g_strdup_printf ("CREATE INDEX IF NOT EXISTS \"ix_%s__title\" ON \"%s\" (%s)",
                             kind_name, table, exprs->str);
      if (!exec (self, sql, error))
        return FALSE;
    }

  return TRUE;
}

/* Whether opening must write: a key table, column or index missing, or a
 * column no field keeps. Opening without writing does not wait for the
 * write lock (an import elsewhere holds it for half a second at a time). */
gboolean
_kontor_store_keys_need_work (KontorStore *self,
                              KontorKind  *kind)
{
  const char *kind_name = kontor_kind_get_name (kind);
  g_autoptr(GPtrArray) fields = key_fields (kind);
  g_autofree char *table = g_strdup_printf ("x_%s", kind_name);
  g_autoptr(GHashTable) columns = NULL;
  g_auto(GStrv) title_keys = NULL;
  gboolean check_indexes;

  if (fields->len == 0)
    return _kontor_store_schema_has (self, "table", table);
  if (!_kontor_store_schema_has (self, "table", table))
    return TRUE;
  columns = table_columns (self, table, NULL);
  if (columns == NULL || g_hash_table_size (columns) != fields->len + 1)
    return TRUE;

  check_indexes = !suspended_elsewhere (self, kind_name);
  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      KontorFieldType type = kontor_field_get_field_type (f);
      g_autofree char *column = column_name (kontor_field_get_name (f), type);

      if (!g_hash_table_contains (columns, column))
        return TRUE;
      if (check_indexes && kontor_field_has_flag (f, KONTOR_FIELD_FLAG_INDEXED))
        {
          g_autofree char *name = g_strdup_printf ("ix_%s__%s__%s", kind_name,
                                                   kontor_field_get_name (f),
                                                   kontor_field_type_to_string (type));

          if (!_kontor_store_schema_has (self, "index", name))
            return TRUE;
        }
    }

  title_keys = kontor_kind_dup_title_sort_keys (kind);
  if (check_indexes && g_strv_length (title_keys) > 1)
    {
      g_autofree char *name = g_strdup_printf ("ix_%s__title", kind_name);

      if (!_kontor_store_schema_has (self, "index", name))
        return TRUE;
    }

  return FALSE;
}

gboolean
_kontor_store_ensure_keys (KontorStore  *self,
                           KontorKind   *kind,
                           GError      **error)
{
  return ensure_keys (self, kind, KEYS_AND_INDEXES, error);
}

gboolean
_kontor_store_read_keys (KontorStore  *self,
                         KontorKind   *kind,
                         GError      **error)
{
  return ensure_keys (self, kind, KEYS_ONLY, error);
}

gboolean
kontor_store_suspend_indexes (KontorStore  *self,
                              const char   *kind,
                              guint64       expected_rows,
                              gboolean     *suspended,
                              GError      **error)
{
  g_autofree char *count_sql = NULL;
  g_autofree char *table = NULL;
  sqlite3_stmt *stmt;
  gint64 existing = 0;
  guint n_dropped = 0;

  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  *suspended = FALSE;
  if (_kontor_store_get_keys (self, kind) == NULL || expected_rows < 5000)
    return TRUE;

  count_sql = g_strdup_printf ("SELECT count(*) FROM \"x_%s\"", kind);
  stmt = prepare (self, count_sql, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    existing = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if ((guint64) existing > expected_rows)
    return TRUE;

  if (!kontor_store_begin (self, error))
    return FALSE;

  table = g_strdup_printf ("x_%s", kind);
  if (!_kontor_store_drop_indexes (self, "tbl_name = ?", table, NULL, &n_dropped, error))
    goto fail;
  if (n_dropped > 0 && !set_suspended (self, kind, TRUE, error))
    goto fail;

  if (!kontor_store_commit (self, error))
    return FALSE;
  *suspended = n_dropped > 0;
  return TRUE;

fail:
  kontor_store_rollback (self);
  return FALSE;
}

gboolean
kontor_store_resume_indexes (KontorStore  *self,
                             const char   *kind,
                             GError      **error)
{
  KontorKind *k;

  g_return_val_if_fail (KONTOR_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  k = kontor_schema_get_kind (kontor_store_get_schema (self), kind);
  if (k == NULL)
    return TRUE;

  if (!kontor_store_begin (self, error))
    return FALSE;
  if (!ensure_keys (self, k, KEYS_RESUME, error))
    {
      kontor_store_rollback (self);
      return FALSE;
    }
  return kontor_store_commit (self, error);
}
