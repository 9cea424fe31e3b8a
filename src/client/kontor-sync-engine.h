/* kontor-sync-engine.h: keeps a replica in sync in the background
 *
 * Pushes soon after local edits, pulls when the server nudges over its
 * WebSocket and every few minutes, backs off while the server is away and
 * resumes by itself. The network work runs in a worker thread with its own
 * connection to the database: nothing here makes the calling thread wait.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-store.h"
#include "kontor-sync-client.h"

G_BEGIN_DECLS

typedef enum
{
  KONTOR_SYNC_STATE_IDLE,        /* in step with the server, or not started */
  KONTOR_SYNC_STATE_SYNCING,
  KONTOR_SYNC_STATE_OFFLINE,     /* the server cannot be reached; retrying */
  KONTOR_SYNC_STATE_SIGNED_OUT,  /* the token was refused; sign in again */
  KONTOR_SYNC_STATE_ERROR,       /* see "last-error" */
} KontorSyncState;

GType kontor_sync_state_get_type (void) G_GNUC_CONST;
#define KONTOR_TYPE_SYNC_STATE (kontor_sync_state_get_type ())

#define KONTOR_TYPE_SYNC_ENGINE (kontor_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (KontorSyncEngine, kontor_sync_engine, KONTOR, SYNC_ENGINE, GObject)

/* store is the calling thread's connection: the engine takes its path,
 * follows its "changed" signal and, after a background sync brought
 * changes, emits kontor_store_notify_changed() on it so lists refresh. */
KontorSyncEngine *kontor_sync_engine_new              (KontorStore      *store,
                                                       KontorSyncClient *client);
KontorStore      *kontor_sync_engine_get_store        (KontorSyncEngine *self);
KontorSyncClient *kontor_sync_engine_get_client       (KontorSyncEngine *self);

void              kontor_sync_engine_start            (KontorSyncEngine *self);
void              kontor_sync_engine_stop             (KontorSyncEngine *self);
gboolean          kontor_sync_engine_is_started       (KontorSyncEngine *self);
/* The "sync now" button: syncs at once, even while backing off or
 * signed out. */
void              kontor_sync_engine_sync_now         (KontorSyncEngine *self);
/* Hands a new token (after signing in again) to the client and resumes. */
void              kontor_sync_engine_set_token        (KontorSyncEngine *self,
                                                       const char       *token);

KontorSyncState   kontor_sync_engine_get_state        (KontorSyncEngine *self);
guint             kontor_sync_engine_get_pending      (KontorSyncEngine *self);
const char       *kontor_sync_engine_get_last_error   (KontorSyncEngine *self);
guint             kontor_sync_engine_get_conflicts    (KontorSyncEngine *self);
gint64            kontor_sync_engine_get_last_sync    (KontorSyncEngine *self);
gboolean          kontor_sync_engine_get_connected    (KontorSyncEngine *self);

/* Timing; the defaults suit the app, tests shorten them. */
void              kontor_sync_engine_set_debounce     (KontorSyncEngine *self,
                                                       guint             msec);
void              kontor_sync_engine_set_interval     (KontorSyncEngine *self,
                                                       guint             seconds);
void              kontor_sync_engine_set_backoff      (KontorSyncEngine *self,
                                                       guint             base_msec,
                                                       guint             cap_msec);

G_END_DECLS
