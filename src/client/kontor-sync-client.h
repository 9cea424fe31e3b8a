/* kontor-sync-client.h: talks to kontor-server for one replica
 *
 * Blocking calls meant for a worker thread (the app runs them through
 * kontor_sync_client_sync_async); the CLI calls them directly.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_SYNC_CLIENT_ERROR (kontor_sync_client_error_quark ())

typedef enum
{
  KONTOR_SYNC_CLIENT_ERROR_UNAUTHORIZED,   /* sign in (again) */
  KONTOR_SYNC_CLIENT_ERROR_OFFLINE,        /* the server cannot be reached */
  KONTOR_SYNC_CLIENT_ERROR_SERVER,         /* the server failed (5xx) */
  KONTOR_SYNC_CLIENT_ERROR_REFUSED,        /* the server refused the request (4xx) */
  KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,       /* the answer made no sense */
  KONTOR_SYNC_CLIENT_ERROR_REPLICA_REUSED, /* another copy of this database synced */
  KONTOR_SYNC_CLIENT_ERROR_RESYNC,         /* away too long: receive everything again */
} KontorSyncClientError;

GQuark kontor_sync_client_error_quark (void);

typedef struct
{
  guint pushed;      /* ops the server took (applied or merged) */
  guint duplicates;
  guint rejected;
  guint pulled;      /* records received */
  guint rounds;
  guint resyncs;     /* full resyncs after being away too long */
} KontorSyncStats;

/* For tests: what to do to a request (a lossy, repeating network). */
typedef enum
{
  KONTOR_FAULT_NONE,
  KONTOR_FAULT_DROP_RESPONSE,    /* the server handles it, the answer is lost */
  KONTOR_FAULT_DUPLICATE,        /* the request arrives twice */
  KONTOR_FAULT_FAIL_BEFORE,      /* the request never arrives */
} KontorFault;

typedef KontorFault (*KontorFaultFunc) (const char *path,
                                        gpointer    user_data);

#define KONTOR_TYPE_SYNC_CLIENT (kontor_sync_client_get_type ())

G_DECLARE_FINAL_TYPE (KontorSyncClient, kontor_sync_client, KONTOR, SYNC_CLIENT, GObject)

KontorSyncClient *kontor_sync_client_new        (const char        *base_url);
const char       *kontor_sync_client_get_url    (KontorSyncClient  *self);
const char       *kontor_sync_client_get_token  (KontorSyncClient  *self);
void              kontor_sync_client_set_token  (KontorSyncClient  *self,
                                                 const char        *token);
void              kontor_sync_client_set_batch_sizes (KontorSyncClient *self,
                                                      guint             push,
                                                      guint             pull);
void              kontor_sync_client_set_fault_func (KontorSyncClient *self,
                                                     KontorFaultFunc   func,
                                                     gpointer          user_data);

gboolean          kontor_sync_client_login      (KontorSyncClient  *self,
                                                 const char        *user,
                                                 const char        *password,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
gboolean          kontor_sync_client_logout     (KontorSyncClient  *self,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* Registers the replica if it has no id yet. */
gboolean          kontor_sync_client_register   (KontorSyncClient  *self,
                                                 KontorStore       *store,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* Sends the outbox in batches; refused ops move to the store's list of
 * rejected changes and their records are reset to the server's state. */
gboolean          kontor_sync_client_push       (KontorSyncClient  *self,
                                                 KontorStore       *store,
                                                 KontorSyncStats   *stats,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* Pulls the changes feed until it is exhausted. */
gboolean          kontor_sync_client_pull       (KontorSyncClient  *self,
                                                 KontorStore       *store,
                                                 KontorSyncStats   *stats,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* register + push + pull */
gboolean          kontor_sync_client_sync       (KontorSyncClient  *self,
                                                 KontorStore       *store,
                                                 KontorSyncStats   *stats,
                                                 GCancellable      *cancellable,
                                                 GError           **error);

/* Runs a whole sync in a worker thread on its own connection to the
 * database at store_path, so the caller's thread never waits on the
 * network. */
void              kontor_sync_client_sync_async  (KontorSyncClient    *self,
                                                  const char          *store_path,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          kontor_sync_client_sync_finish (KontorSyncClient    *self,
                                                  GAsyncResult        *result,
                                                  KontorSyncStats     *stats,
                                                  GError             **error);

G_END_DECLS
