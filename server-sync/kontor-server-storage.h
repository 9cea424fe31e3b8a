/* kontor-server-storage.h: what the sync server keeps, behind an interface
 *
 * The SQLite backend (kontor-server-sqlite.c) is the embedded default; a
 * PostgreSQL backend implements the same interface. Every call runs inside
 * a transaction opened with begin(); the server commits once per request so
 * that a request's effects and its checkpoints land together or not at all.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KONTOR_TYPE_SERVER_STORAGE (kontor_server_storage_get_type ())

G_DECLARE_INTERFACE (KontorServerStorage, kontor_server_storage, KONTOR, SERVER_STORAGE, GObject)

typedef struct
{
  guint32  replica_id;
  gint64   user_id;
  char    *name;
  char    *database_id;
  guint64  applied_upto;   /* highest counter of this replica's ops taken */
  gint64   pulled_seq;     /* the feed position it last confirmed */
  gint64   last_seen;      /* unix seconds */
  gboolean retired;
} KontorReplicaInfo;

void kontor_replica_info_free (KontorReplicaInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorReplicaInfo, kontor_replica_info_free)

typedef struct
{
  gint64  seq;
  char   *id;
  char   *kind;
  char   *state;   /* canonical sync JSON */
} KontorChange;

void kontor_change_free (KontorChange *change);

struct _KontorServerStorageInterface
{
  GTypeInterface parent_iface;

  gboolean  (*begin)            (KontorServerStorage *self, GError **error);
  gboolean  (*commit)           (KontorServerStorage *self, GError **error);
  void      (*rollback)         (KontorServerStorage *self);

  /* users: password hashes are argon2id strings (libsodium) */
  gboolean  (*user_add)         (KontorServerStorage *self, const char *name,
                                 const char *pw_hash, gint64 *user_id, GError **error);
  /* FALSE without error: no such user */
  gboolean  (*user_lookup)      (KontorServerStorage *self, const char *name,
                                 gint64 *user_id, char **pw_hash, GError **error);
  gboolean  (*user_set_password) (KontorServerStorage *self, const char *name,
                                  const char *pw_hash, GError **error);
  char    **(*user_list)        (KontorServerStorage *self, GError **error);

  /* tokens: only their SHA-256 is stored */
  gboolean  (*token_add)        (KontorServerStorage *self, const char *token_hash,
                                 gint64 user_id, gint64 expires_at, GError **error);
  /* FALSE without error: unknown, revoked or expired at now */
  gboolean  (*token_lookup)     (KontorServerStorage *self, const char *token_hash,
                                 gint64 now, gint64 *user_id, GError **error);
  gboolean  (*token_revoke)     (KontorServerStorage *self, const char *token_hash,
                                 GError **error);
  gboolean  (*token_revoke_user) (KontorServerStorage *self, gint64 user_id, GError **error);

  /* replicas */
  gboolean  (*replica_add)      (KontorServerStorage *self, gint64 user_id, const char *name,
                                 const char *database_id, guint32 *replica_id, GError **error);
  /* NULL without error: unknown */
  KontorReplicaInfo *(*replica_get) (KontorServerStorage *self, guint32 replica_id,
                                     GError **error);
  gboolean  (*replica_update)   (KontorServerStorage *self, guint32 replica_id,
                                 guint64 applied_upto, gint64 last_seen, GError **error);
  gboolean  (*replica_retire)   (KontorServerStorage *self, guint32 replica_id, GError **error);
  GPtrArray *(*replica_list)    (KontorServerStorage *self, GError **error);
  gboolean  (*replica_set_pulled) (KontorServerStorage *self, guint32 replica_id,
                                   gint64 pulled_seq, gint64 last_seen, GError **error);

  /* tombstones: deleted records at or below a sequence number (candidates
   * for purging), removal that leaves the id behind, and the lowest feed
   * position a replica may continue from */
  GPtrArray *(*tombstones_upto) (KontorServerStorage *self, gint64 seq, GError **error);
  gboolean  (*record_purge)     (KontorServerStorage *self, const char *id, GError **error);
  gboolean  (*record_is_purged) (KontorServerStorage *self, const char *id, gboolean *purged,
                                 GError **error);
  gint64    (*purged_upto)      (KontorServerStorage *self);
  /* small named settings (the pruned replicas, …); NULL when unset */
  char     *(*setting_get)      (KontorServerStorage *self, const char *key);
  gboolean  (*setting_set)      (KontorServerStorage *self, const char *key, const char *value,
                                 GError **error);
  gboolean  (*set_purged_upto)  (KontorServerStorage *self, gint64 seq, GError **error);

  /* records and the changes feed */
  /* *state NULL without error: no such record */
  gboolean  (*record_get)       (KontorServerStorage *self, const char *id, char **kind,
                                 char **state, GError **error);
  /* Writes a record's new state and stamps it with the next sequence number. */
  gboolean  (*record_put)       (KontorServerStorage *self, const char *id, const char *kind,
                                 const char *state, gint64 *seq, GError **error);
  /* Changes after since, oldest first (KontorChange). */
  GPtrArray *(*changes_since)   (KontorServerStorage *self, gint64 since, guint limit,
                                 GError **error);
  gint64    (*last_seq)         (KontorServerStorage *self);

  /* The content hash of each op taken, to tell a replayed op from a copied
   * database that reuses (replica, counter) for different content. */
  gboolean  (*op_record)        (KontorServerStorage *self, guint32 replica, guint64 counter,
                                 const char *hash, GError **error);
  /* *hash NULL without error: not known */
  gboolean  (*op_lookup)        (KontorServerStorage *self, guint32 replica, guint64 counter,
                                 char **hash, GError **error);

  /* audit trail: every accepted change */
  gboolean  (*audit_add)        (KontorServerStorage *self, gint64 seq, gint64 user_id,
                                 guint32 replica, const char *record, const char *kind,
                                 const char *fields_json, const char *outcome, GError **error);
  /* newest first, as JSON lines */
  GPtrArray *(*audit_list)      (KontorServerStorage *self, guint limit, GError **error);
};

gboolean  kontor_server_storage_begin       (KontorServerStorage *self, GError **error);
gboolean  kontor_server_storage_commit      (KontorServerStorage *self, GError **error);
void      kontor_server_storage_rollback    (KontorServerStorage *self);
gboolean  kontor_server_storage_user_add    (KontorServerStorage *self, const char *name,
                                             const char *pw_hash, gint64 *user_id,
                                             GError **error);
gboolean  kontor_server_storage_user_lookup (KontorServerStorage *self, const char *name,
                                             gint64 *user_id, char **pw_hash, GError **error);
gboolean  kontor_server_storage_user_set_password (KontorServerStorage *self, const char *name,
                                                   const char *pw_hash, GError **error);
char    **kontor_server_storage_user_list   (KontorServerStorage *self, GError **error);
gboolean  kontor_server_storage_token_add   (KontorServerStorage *self, const char *token_hash,
                                             gint64 user_id, gint64 expires_at, GError **error);
gboolean  kontor_server_storage_token_lookup (KontorServerStorage *self, const char *token_hash,
                                              gint64 now, gint64 *user_id, GError **error);
gboolean  kontor_server_storage_token_revoke (KontorServerStorage *self, const char *token_hash,
                                              GError **error);
gboolean  kontor_server_storage_token_revoke_user (KontorServerStorage *self, gint64 user_id,
                                                   GError **error);
gboolean  kontor_server_storage_replica_add (KontorServerStorage *self, gint64 user_id,
                                             const char *name, const char *database_id,
                                             guint32 *replica_id, GError **error);
KontorReplicaInfo *kontor_server_storage_replica_get (KontorServerStorage *self,
                                                      guint32 replica_id, GError **error);
gboolean  kontor_server_storage_replica_update (KontorServerStorage *self, guint32 replica_id,
                                                guint64 applied_upto, gint64 last_seen,
                                                GError **error);
gboolean  kontor_server_storage_replica_retire (KontorServerStorage *self, guint32 replica_id,
                                                GError **error);
GPtrArray *kontor_server_storage_replica_list (KontorServerStorage *self, GError **error);
gboolean  kontor_server_storage_replica_set_pulled (KontorServerStorage *self, guint32 replica_id,
                                                    gint64 pulled_seq, gint64 last_seen,
                                                    GError **error);
GPtrArray *kontor_server_storage_tombstones_upto (KontorServerStorage *self, gint64 seq,
                                                  GError **error);
gboolean  kontor_server_storage_record_purge (KontorServerStorage *self, const char *id,
                                              GError **error);
gboolean  kontor_server_storage_record_is_purged (KontorServerStorage *self, const char *id,
                                                  gboolean *purged, GError **error);
gint64    kontor_server_storage_purged_upto (KontorServerStorage *self);
char     *kontor_server_storage_setting_get (KontorServerStorage *self, const char *key);
gboolean  kontor_server_storage_setting_set (KontorServerStorage *self, const char *key,
                                             const char *value, GError **error);
gboolean  kontor_server_storage_set_purged_upto (KontorServerStorage *self, gint64 seq,
                                                 GError **error);
gboolean  kontor_server_storage_record_get  (KontorServerStorage *self, const char *id,
                                             char **kind, char **state, GError **error);
gboolean  kontor_server_storage_record_put  (KontorServerStorage *self, const char *id,
                                             const char *kind, const char *state, gint64 *seq,
                                             GError **error);
GPtrArray *kontor_server_storage_changes_since (KontorServerStorage *self, gint64 since,
                                                guint limit, GError **error);
gint64    kontor_server_storage_last_seq    (KontorServerStorage *self);
gboolean  kontor_server_storage_op_record   (KontorServerStorage *self, guint32 replica,
                                             guint64 counter, const char *hash, GError **error);
gboolean  kontor_server_storage_op_lookup   (KontorServerStorage *self, guint32 replica,
                                             guint64 counter, char **hash, GError **error);
gboolean  kontor_server_storage_audit_add   (KontorServerStorage *self, gint64 seq,
                                             gint64 user_id, guint32 replica, const char *record,
                                             const char *kind, const char *fields_json,
                                             const char *outcome, GError **error);
GPtrArray *kontor_server_storage_audit_list (KontorServerStorage *self, guint limit,
                                             GError **error);

G_END_DECLS
