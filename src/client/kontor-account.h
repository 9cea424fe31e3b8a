/* kontor-account.h: the sync account of one replica
 *
 * The server URL and the user name live in the store's meta table; the
 * token lives in the user's keyring (the Secret Service, through
 * libsecret), never in the database. The keyring item is keyed by server,
 * user and the store's database id, so two replicas on one machine each
 * keep their own token.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-store.h"

G_BEGIN_DECLS

/* The libsecret schema name of the token items. */
#define KONTOR_ACCOUNT_TOKEN_SCHEMA "org.kontor.Kontor.Token"

#define KONTOR_TYPE_ACCOUNT (kontor_account_get_type ())

G_DECLARE_FINAL_TYPE (KontorAccount, kontor_account, KONTOR, ACCOUNT, GObject)

KontorAccount *kontor_account_new              (const char           *server_url,
                                                const char           *user,
                                                const char           *database_id);
/* The account saved in store, or NULL when none is configured. */
KontorAccount *kontor_account_load             (KontorStore          *store);
/* Writes server URL and user name to store's meta table (never the token). */
gboolean       kontor_account_save             (KontorAccount        *self,
                                                KontorStore          *store,
                                                GError              **error);

const char    *kontor_account_get_server_url   (KontorAccount        *self);
const char    *kontor_account_get_user         (KontorAccount        *self);
const char    *kontor_account_get_database_id  (KontorAccount        *self);

/* The token in the keyring. These talk to the Secret Service over D-Bus
 * and may wait for it (or for an unlock prompt): the app uses the _async
 * variants. When no Secret Service can be reached the calls fail with
 * G_IO_ERROR_NOT_SUPPORTED; a locked keyring that stays locked fails with
 * G_IO_ERROR_PERMISSION_DENIED. There is no fallback to the database. */
gboolean       kontor_account_store_token_sync   (KontorAccount       *self,
                                                  const char          *token,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
/* NULL without an error when the keyring has no token for the account.
 * Free the result with g_free (wiping it first is up to the caller). */
char          *kontor_account_lookup_token_sync  (KontorAccount       *self,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
/* Removing a token that is not there is not an error. */
gboolean       kontor_account_clear_token_sync   (KontorAccount       *self,
                                                  GCancellable        *cancellable,
                                                  GError             **error);

void           kontor_account_store_token_async  (KontorAccount       *self,
                                                  const char          *token,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       kontor_account_store_token_finish (KontorAccount       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void           kontor_account_lookup_token_async (KontorAccount       *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char          *kontor_account_lookup_token_finish (KontorAccount      *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);
void           kontor_account_clear_token_async  (KontorAccount       *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       kontor_account_clear_token_finish (KontorAccount       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Builds before the keyring kept the token in the store's meta table
 * ("sync_token"). This moves such a token into the keyring and clears the
 * meta entry; without one it does nothing. When the keyring cannot take
 * it, the entry stays where it is and the keyring's error is returned. */
gboolean       kontor_account_migrate_legacy_token_sync (KontorAccount  *self,
                                                         KontorStore    *store,
                                                         GCancellable   *cancellable,
                                                         GError        **error);

G_END_DECLS
