/* kontor-store-private.h: what the store's files share
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "kontor-store.h"
#include "kontor-sync-record.h"

G_BEGIN_DECLS

#define prepare(self, sql, error)        _kontor_store_prepare (self, sql, error)
#define set_sqlite_error(e, db, rc, w)   _kontor_store_set_sqlite_error (e, db, rc, w)
#define step_done(self, stmt, error)     _kontor_store_step_done (self, stmt, error)
#define exec(self, sql, error)           _kontor_store_exec (self, sql, error)
#define parse_state(json, error)         _kontor_store_parse_state (json, error)
#define meta_set_int(self, k, v, error)  _kontor_store_meta_set_int (self, k, v, error)
#define meta_get(self, k)                _kontor_store_meta_get (self, k)
#define meta_set(self, k, v, error)      _kontor_store_meta_set (self, k, v, error)

sqlite3          *_kontor_store_get_db            (KontorStore   *self);
sqlite3_stmt     *_kontor_store_prepare           (KontorStore   *self,
                                                   const char    *sql,
                                                   GError       **error);
gboolean          _kontor_store_set_sqlite_error  (GError       **error,
                                                   sqlite3       *db,
                                                   int            rc,
                                                   const char    *what);
gboolean          _kontor_store_step_done         (KontorStore   *self,
                                                   sqlite3_stmt  *stmt,
                                                   GError       **error);
gboolean          _kontor_store_exec              (KontorStore   *self,
                                                   const char    *sql,
                                                   GError       **error);
KontorSyncRecord *_kontor_store_parse_state       (const char    *json,
                                                   GError       **error);
JsonObject       *_kontor_store_state_values      (KontorSyncRecord *state);
char             *_kontor_store_field_expr        (KontorField   *field,
                                                   const char    *table);
gboolean          _kontor_store_ensure_field_index (KontorStore  *self,
                                                   const char    *kind,
                                                   KontorField   *field,
                                                   GError       **error);
char             *_kontor_store_meta_get          (KontorStore   *self,
                                                   const char    *key);
/* A NULL value removes the key. */
gboolean          _kontor_store_meta_set          (KontorStore   *self,
                                                   const char    *key,
                                                   const char    *value,
                                                   GError       **error);
/* An object of sqlite_schema of this type ("table", "index") and name */
gboolean          _kontor_store_schema_has        (KontorStore   *self,
                                                   const char    *type,
                                                   const char    *name);
/* Drops the indexes "WHERE type = 'index' AND <where>" selects, binding
 * arg1 and arg2 (either may be NULL). */
gboolean          _kontor_store_drop_indexes      (KontorStore   *self,
                                                   const char    *where,
                                                   const char    *arg1,
                                                   const char    *arg2,
                                                   guint         *n_dropped,
                                                   GError       **error);
gboolean          _kontor_store_meta_set_int      (KontorStore   *self,
                                                   const char    *key,
                                                   gint64         value,
                                                   GError       **error);
/* Marks a kind changed; "changed" is emitted after the commit. */
void              _kontor_store_mark_dirty        (KontorStore   *self,
                                                   const char    *kind);
/* Takes the next dot of this replica (persisted in the transaction). */
gboolean          _kontor_store_next_dot          (KontorStore   *self,
                                                   KontorDot     *dot,
                                                   GError       **error);

KontorRecord     *_kontor_store_record_from_state (KontorStore      *self,
                                                  const char       *id,
                                                  const char       *kind,
                                                  KontorSyncRecord *state);
/* *state is NULL-safe output; fails with NOT_FOUND for an unknown id */
gboolean          _kontor_store_load_state        (KontorStore       *self,
                                                   const char        *id,
                                                   gint64            *rid,
                                                   char             **kind,
                                                   KontorSyncRecord **state,
                                                   GError           **error);
/* *rid == 0 inserts a new row and sets it */
gboolean          _kontor_store_write_state       (KontorStore       *self,
                                                   gint64            *rid,
                                                   const char        *id,
                                                   const char        *kind,
                                                   KontorSyncRecord  *state,
                                                   GError           **error);
gboolean          _kontor_store_reindex           (KontorStore       *self,
                                                   gint64             rid,
                                                   gboolean           is_new,
                                                   KontorKind        *kind,
                                                   KontorSyncRecord  *state,
                                                   GError           **error);
KontorRecord     *_kontor_store_set_deleted       (KontorStore       *self,
                                                   const char        *id,
                                                   gboolean           deleted,
                                                   GError           **error);
void              _kontor_store_set_replica       (KontorStore       *self,
                                                   guint32            replica_id);
void              _kontor_store_set_counter       (KontorStore       *self,
                                                   guint64            counter);
GArray           *_kontor_store_get_pruned        (KontorStore       *self);

/* kontor-store-keys.c: the key table of each kind (see there) */
typedef struct _KontorKindKeys KontorKindKeys;

void              _kontor_kind_keys_free          (KontorKindKeys    *keys);
/* kind name -> KontorKindKeys */
GHashTable       *_kontor_store_get_key_tables    (KontorStore       *self);
KontorKindKeys   *_kontor_store_get_keys          (KontorStore       *self,
                                                   const char        *kind);
gboolean          _kontor_store_ensure_keys       (KontorStore       *self,
                                                   KontorKind        *kind,
                                                   GError           **error);
/* Whether _kontor_store_ensure_keys() would write anything. */
gboolean          _kontor_store_keys_need_work    (KontorStore       *self,
                                                   KontorKind        *kind);
/* The same without (re)building indexes: after another connection
 * changed the schema. */
gboolean          _kontor_store_read_keys         (KontorStore       *self,
                                                   KontorKind        *kind,
                                                   GError           **error);
/* The expression of a field's key column after prefix ("x."); NULL when
 * the field has no column. Text keys of the types for which
 * _kontor_store_key_folds() holds are stored folded: compare them with
 * kontor_fold() of the value. */
char             *_kontor_store_key_expr          (KontorStore       *self,
                                                   const char        *kind,
                                                   KontorField       *field,
                                                   const char        *prefix);
gboolean          _kontor_store_key_folds         (KontorFieldType    type);
gboolean          _kontor_store_write_keys        (KontorStore       *self,
                                                   gint64             rid,
                                                   const char        *kind,
                                                   JsonObject        *values,
                                                   gboolean           is_new,
                                                   GError           **error);
gboolean          _kontor_store_delete_keys       (KontorStore       *self,
                                                   gint64             rid,
                                                   const char        *kind,
                                                   GError           **error);

G_END_DECLS
