/* kontor-server-storage.c: dispatch of the storage interface
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-server"

#include "config.h"

#include "kontor-server-storage.h"

G_DEFINE_INTERFACE (KontorServerStorage, kontor_server_storage, G_TYPE_OBJECT)

static void
kontor_server_storage_default_init (KontorServerStorageInterface *iface)
{
}

void
kontor_replica_info_free (KontorReplicaInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->database_id);
  g_free (info);
}

void
kontor_change_free (KontorChange *change)
{
  if (change == NULL)
    return;
  g_free (change->id);
  g_free (change->kind);
  g_free (change->state);
  g_free (change);
}

gboolean
kontor_server_storage_begin (KontorServerStorage *self,
                             GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->begin (self, error);
}

gboolean
kontor_server_storage_commit (KontorServerStorage *self,
                              GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->commit (self, error);
}

void
kontor_server_storage_rollback (KontorServerStorage *self)
{
  g_return_if_fail (KONTOR_IS_SERVER_STORAGE (self));

  KONTOR_SERVER_STORAGE_GET_IFACE (self)->rollback (self);
}

gboolean
kontor_server_storage_user_add (KontorServerStorage *self,
                                const char *name,
                                const char *pw_hash,
                                gint64 *user_id,
                                GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->user_add (self, name, pw_hash, user_id, error);
}

gboolean
kontor_server_storage_user_lookup (KontorServerStorage *self,
                                   const char *name,
                                   gint64 *user_id,
                                   char **pw_hash,
                                   GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->user_lookup (self, name, user_id, pw_hash, error);
}

gboolean
kontor_server_storage_user_set_password (KontorServerStorage *self,
                                         const char *name,
                                         const char *pw_hash,
                                         GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->user_set_password (self, name, pw_hash, error);
}

char    **
kontor_server_storage_user_list (KontorServerStorage *self,
                                 GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), NULL);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->user_list (self, error);
}

gboolean
kontor_server_storage_token_add (KontorServerStorage *self,
                                 const char *token_hash,
                                 gint64 user_id,
                                 gint64 expires_at,
                                 GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->token_add (self, token_hash, user_id, expires_at, error);
}

gboolean
kontor_server_storage_token_lookup (KontorServerStorage *self,
                                    const char *token_hash,
                                    gint64 now,
                                    gint64 *user_id,
                                    GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->token_lookup (self, token_hash, now, user_id, error);
}

gboolean
kontor_server_storage_token_revoke (KontorServerStorage *self,
                                    const char *token_hash,
                                    GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->token_revoke (self, token_hash, error);
}

gboolean
kontor_server_storage_token_revoke_user (KontorServerStorage *self,
                                         gint64 user_id,
                                         GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->token_revoke_user (self, user_id, error);
}

gboolean
kontor_server_storage_replica_add (KontorServerStorage *self,
                                   gint64 user_id,
                                   const char *name,
                                   const char *database_id,
                                   guint32 *replica_id,
                                   GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->replica_add (self, user_id, name, database_id, replica_id, error);
}

KontorReplicaInfo *
kontor_server_storage_replica_get (KontorServerStorage *self,
                                   guint32 replica_id,
                                   GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), NULL);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->replica_get (self, replica_id, error);
}

gboolean
kontor_server_storage_replica_update (KontorServerStorage *self,
                                      guint32 replica_id,
                                      guint64 applied_upto,
                                      gint64 last_seen,
                                      GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->replica_update (self, replica_id, applied_upto, last_seen, error);
}

gboolean
kontor_server_storage_replica_retire (KontorServerStorage *self,
                                      guint32 replica_id,
                                      GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->replica_retire (self, replica_id, error);
}

GPtrArray *
kontor_server_storage_replica_list (KontorServerStorage *self,
                                    GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), NULL);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->replica_list (self, error);
}

gboolean
kontor_server_storage_record_get (KontorServerStorage *self,
                                  const char *id,
                                  char **kind,
                                  char **state,
                                  GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->record_get (self, id, kind, state, error);
}

gboolean
kontor_server_storage_record_put (KontorServerStorage *self,
                                  const char *id,
                                  const char *kind,
                                  const char *state,
                                  gint64 *seq,
                                  GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->record_put (self, id, kind, state, seq, error);
}

GPtrArray *
kontor_server_storage_changes_since (KontorServerStorage *self,
                                     gint64 since,
                                     guint limit,
                                     GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), NULL);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->changes_since (self, since, limit, error);
}

gint64
kontor_server_storage_last_seq (KontorServerStorage *self)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), 0);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->last_seq (self);
}

gboolean
kontor_server_storage_op_record (KontorServerStorage *self,
                                 guint32 replica,
                                 guint64 counter,
                                 const char *hash,
                                 GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->op_record (self, replica, counter, hash, error);
}

gboolean
kontor_server_storage_op_lookup (KontorServerStorage *self,
                                 guint32 replica,
                                 guint64 counter,
                                 char **hash,
                                 GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->op_lookup (self, replica, counter, hash, error);
}

gboolean
kontor_server_storage_audit_add (KontorServerStorage *self,
                                 gint64 seq,
                                 gint64 user_id,
                                 guint32 replica,
                                 const char *record,
                                 const char *kind,
                                 const char *fields_json,
                                 const char *outcome,
                                 GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->audit_add (self, seq, user_id, replica, record, kind, fields_json, outcome, error);
}

GPtrArray *
kontor_server_storage_audit_list (KontorServerStorage *self,
                                  guint limit,
                                  GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), NULL);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->audit_list (self, limit, error);
}

gboolean
kontor_server_storage_replica_set_pulled (KontorServerStorage *self,
                                          guint32 replica_id,
                                          gint64 pulled_seq,
                                          gint64 last_seen,
                                          GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->replica_set_pulled (self, replica_id, pulled_seq,
                                                                      last_seen, error);
}

GPtrArray *
kontor_server_storage_tombstones_upto (KontorServerStorage *self,
                                       gint64 seq,
                                       GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), NULL);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->tombstones_upto (self, seq, error);
}

gboolean
kontor_server_storage_record_purge (KontorServerStorage *self,
                                    const char *id,
                                    GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->record_purge (self, id, error);
}

gboolean
kontor_server_storage_record_is_purged (KontorServerStorage *self,
                                        const char *id,
                                        gboolean *purged,
                                        GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->record_is_purged (self, id, purged, error);
}

gint64
kontor_server_storage_purged_upto (KontorServerStorage *self)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), 0);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->purged_upto (self);
}

gboolean
kontor_server_storage_set_purged_upto (KontorServerStorage *self,
                                       gint64 seq,
                                       GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->set_purged_upto (self, seq, error);
}

char *
kontor_server_storage_setting_get (KontorServerStorage *self,
                                   const char *key)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), NULL);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->setting_get (self, key);
}

gboolean
kontor_server_storage_setting_set (KontorServerStorage *self,
                                   const char *key,
                                   const char *value,
                                   GError **error)
{
  g_return_val_if_fail (KONTOR_IS_SERVER_STORAGE (self), FALSE);

  return KONTOR_SERVER_STORAGE_GET_IFACE (self)->setting_set (self, key, value, error);
}
