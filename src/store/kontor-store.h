/* kontor-store.h: the local SQLite replica
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kontor-field.h"
#include "kontor-query.h"
#include "kontor-record.h"
#include "kontor-schema.h"

G_BEGIN_DECLS

#define KONTOR_STORE_ERROR (kontor_store_error_quark ())

typedef enum
{
  KONTOR_STORE_ERROR_CORRUPT,        /* not a database, or a damaged one */
  KONTOR_STORE_ERROR_NOT_KONTOR,     /* an SQLite file of another program */
  KONTOR_STORE_ERROR_TOO_NEW,        /* written by a newer Kontor */
  KONTOR_STORE_ERROR_NOT_FOUND,
  KONTOR_STORE_ERROR_DELETED,
  KONTOR_STORE_ERROR_BUSY,
  KONTOR_STORE_ERROR_FAILED,
} KontorStoreError;

GQuark kontor_store_error_quark (void);

/* The schema version this build writes (PRAGMA user_version). */
#define KONTOR_STORE_SCHEMA_VERSION 2
/* Replica id of a replica that has not registered with a server yet. Its
 * dots are rewritten to the real id at registration (docs/sync-protocol.md). */
#define KONTOR_REPLICA_UNREGISTERED G_MAXUINT32

#define KONTOR_TYPE_STORE (kontor_store_get_type ())

G_DECLARE_FINAL_TYPE (KontorStore, kontor_store, KONTOR, STORE, GObject)

/* $XDG_DATA_HOME/kontor/kontor.db */
char          *kontor_store_default_path    (void);

/* Opens (creating if missing) a replica. A file that is not a database, is
 * damaged, belongs to another program, or was written by a newer schema
 * version is refused with a clear error and left untouched. */
KontorStore   *kontor_store_open            (const char    *path,
                                             GError       **error);
const char    *kontor_store_get_path        (KontorStore   *self);
/* SQLite's page cache of this connection in KiB (64 MiB by default, for
 * bulk writes; the app's browsing connection needs less). */
gboolean       kontor_store_set_cache_size  (KontorStore   *self,
                                             guint          kib,
                                             GError       **error);
KontorSchema  *kontor_store_get_schema      (KontorStore   *self);
/* Bulk loads: building a kind's indexes once after many inserts is some
 * three times cheaper than keeping them up to date row by row. With
 * expected_rows of 5,000 or more and at least as many as the kind has,
 * drops the kind's list indexes (*suspended set); lists of the kind sort
 * without them until kontor_store_resume_indexes(), or until the next
 * open if the process dies first. */
gboolean       kontor_store_suspend_indexes (KontorStore   *self,
                                             const char    *kind,
                                             guint64        expected_rows,
                                             gboolean      *suspended,
                                             GError       **error);
gboolean       kontor_store_resume_indexes  (KontorStore   *self,
                                             const char    *kind,
                                             GError       **error);
guint32        kontor_store_get_replica_id  (KontorStore   *self);
/* Parse defaults (region for phone numbers, currency); stored in the db. */
const KontorParseContext *
               kontor_store_get_parse_context (KontorStore *self);
gboolean       kontor_store_set_setting     (KontorStore   *self,
                                             const char    *key,
                                             const char    *value,
                                             GError       **error);
char          *kontor_store_get_setting     (KontorStore   *self,
                                             const char    *key);

/* Bulk work: everything between begin and commit is one transaction.
 * Calls nest. */
gboolean       kontor_store_begin           (KontorStore   *self,
                                             GError       **error);
gboolean       kontor_store_commit          (KontorStore   *self,
                                             GError       **error);
void           kontor_store_rollback        (KontorStore   *self);

/* Creates a record from a copy of values (the caller's object is not
 * changed), validated and normalised (problems, if wanted, lists one entry
 * per bad field). id may be NULL for a new UUIDv7. */
KontorRecord  *kontor_store_create          (KontorStore   *self,
                                             const char    *kind,
                                             const char    *id,
                                             JsonObject    *values,
                                             GPtrArray    **problems,
                                             GError       **error);
/* kontor_store_create() for bulk work that needs no record back: the same
 * checks and writes; *new_id (if wanted) is the record's id. */
gboolean       kontor_store_add             (KontorStore   *self,
                                             const char    *kind,
                                             const char    *id,
                                             JsonObject    *values,
                                             char         **new_id,
                                             GPtrArray    **problems,
                                             GError       **error);
KontorRecord  *kontor_store_get             (KontorStore   *self,
                                             const char    *id,
                                             GError       **error);
/* Changes the given fields (JSON null clears one). An edit that changes
 * nothing writes nothing. */
KontorRecord  *kontor_store_update          (KontorStore   *self,
                                             const char    *id,
                                             JsonObject    *changes,
                                             GPtrArray    **problems,
                                             GError       **error);
/* Deletes as a tombstone (the delete syncs); restore undoes it. */
gboolean       kontor_store_delete          (KontorStore   *self,
                                             const char    *id,
                                             GError       **error);
KontorRecord  *kontor_store_restore         (KontorStore   *self,
                                             const char    *id,
                                             GError       **error);

/* Records matching query, after offset, at most limit (0: no limit). */
GPtrArray     *kontor_store_query           (KontorStore   *self,
                                             KontorQuery   *query,
                                             guint          offset,
                                             guint          limit,
                                             GError       **error);
gboolean       kontor_store_count           (KontorStore   *self,
                                             KontorQuery   *query,
                                             guint         *count,
                                             GError       **error);
/* The SQL plan of the page query (EXPLAIN QUERY PLAN), for benchmarks and
 * tests that prove an index is used. */
char          *kontor_store_explain_query   (KontorStore   *self,
                                             KontorQuery   *query,
                                             GError       **error);

/* Prefix full-text search over every searchable field, folding case,
 * accents and German umlaut spellings ("muller", "müller" and "mueller"
 * find "Müller"). kind may be NULL for all kinds. Best matches first. */
GPtrArray     *kontor_store_search          (KontorStore   *self,
                                             const char    *text,
                                             const char    *kind,
                                             guint          limit,
                                             GError       **error);
/* The FTS5 MATCH expression that kontor_store_search() runs (kind may be
 * NULL); NULL when text has no word to search for. */
char          *kontor_store_search_expression (const char  *text,
                                                const char  *kind);

/* Every live record with a reference field pointing at id (the 360° view). */
GPtrArray     *kontor_store_list_linked     (KontorStore   *self,
                                             const char    *id,
                                             GError       **error);

/* Live records written after since_ms (Unix time in milliseconds), by a
 * local edit or by sync, newest first, at most limit (0: no limit). */
GPtrArray     *kontor_store_list_changed_since (KontorStore *self,
                                                gint64       since_ms,
                                                guint        limit,
                                                GError     **error);

/* Adds a custom field (U3): a custom_field record plus its index. The
 * field returned belongs to the schema (transfer none). */
KontorField   *kontor_store_add_custom_field (KontorStore  *self,
                                              const char   *kind,
                                              const char   *name,
                                              const char   *label,
                                              const char   *type,
                                              const char * const *choices,
                                              GError      **error);

/* Outbox: local edits not yet acknowledged by the server. */
guint          kontor_store_outbox_count    (KontorStore   *self);
/* Entries as JSON objects {seq, record, kind, dot:[r,c], fields, vv},
 * oldest first. */
GPtrArray     *kontor_store_outbox_list     (KontorStore   *self,
                                             guint          limit,
                                             GError       **error);

/* The raw causal state of a record (canonical sync JSON), for sync and
 * tests. */
char          *kontor_store_get_state       (KontorStore   *self,
                                             const char    *id,
                                             GError       **error);

G_END_DECLS
