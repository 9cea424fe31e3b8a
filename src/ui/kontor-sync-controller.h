/* kontor-sync-controller.h: the app's owner of the sync account and engine
 *
 * Given the app's store, it loads the account saved in it, fetches the
 * token from the keyring (asynchronously) and runs a KontorSyncEngine.
 * Signing in and out goes through it too, so every window's sync
 * indicator follows one engine. Nothing here waits on the network or on
 * the keyring in the calling thread.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-account.h"
#include "kontor-store.h"
#include "kontor-sync-engine.h"

G_BEGIN_DECLS

#define KONTOR_SYNC_CONTROLLER_ERROR (kontor_sync_controller_error_quark ())

typedef enum
{
  KONTOR_SYNC_CONTROLLER_ERROR_BAD_URL,
  KONTOR_SYNC_CONTROLLER_ERROR_WRONG_PASSWORD,
  KONTOR_SYNC_CONTROLLER_ERROR_UNREACHABLE,
  KONTOR_SYNC_CONTROLLER_ERROR_KEYRING,
  KONTOR_SYNC_CONTROLLER_ERROR_FAILED,
} KontorSyncControllerError;

GQuark kontor_sync_controller_error_quark (void);

#define KONTOR_TYPE_SYNC_CONTROLLER (kontor_sync_controller_get_type ())

G_DECLARE_FINAL_TYPE (KontorSyncController, kontor_sync_controller, KONTOR, SYNC_CONTROLLER, GObject)

KontorSyncController *kontor_sync_controller_new          (KontorStore          *store);
KontorStore          *kontor_sync_controller_get_store    (KontorSyncController *self);
/* NULL until an account with a token in the keyring is known ("engine"
 * is notified when it appears, changes or goes). */
KontorSyncEngine     *kontor_sync_controller_get_engine   (KontorSyncController *self);
/* The account saved in the store, signed in or not (may be NULL). */
KontorAccount        *kontor_sync_controller_get_account  (KontorSyncController *self);
/* TRUE while the keyring lookup of start() runs. */
gboolean              kontor_sync_controller_get_loading  (KontorSyncController *self);

/* Why there is no engine, for the user (no keyring, …), or NULL. */
const char           *kontor_sync_controller_get_problem  (KontorSyncController *self);

/* Loads the account and, once the keyring answered, starts the engine. */
void                  kontor_sync_controller_start        (KontorSyncController *self);
/* Stops the engine (on quit); the account stays. */
void                  kontor_sync_controller_stop         (KontorSyncController *self);

/* Signs in (the network and the keyring in the background), keeps the
 * token in the keyring, saves the account in the store and (re)starts the
 * engine with it. Errors are KONTOR_SYNC_CONTROLLER_ERROR with a message
 * for the user. */
void                  kontor_sync_controller_sign_in_async  (KontorSyncController *self,
                                                             const char           *server_url,
                                                             const char           *user,
                                                             const char           *password,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean              kontor_sync_controller_sign_in_finish (KontorSyncController *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
/* Ends the server session (when it can be reached), removes the token
 * from the keyring and stops the engine. The account's server and user
 * stay for the next sign-in. */
void                  kontor_sync_controller_sign_out_async  (KontorSyncController *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean              kontor_sync_controller_sign_out_finish (KontorSyncController *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* Asks the window to show a record (from the conflict resolver or the
 * list of refused changes): emits "open-record". */
void                  kontor_sync_controller_open_record  (KontorSyncController *self,
                                                           const char           *id,
                                                           const char           *kind);

G_END_DECLS
