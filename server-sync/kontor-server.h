/* kontor-server.h: the sync server's HTTP side
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "kontor-server-storage.h"

G_BEGIN_DECLS

typedef struct
{
  const char *address;         /* default 127.0.0.1 */
  guint       port;            /* 0: any free port */
  const char *tls_cert;        /* PEM files; both or neither */
  const char *tls_key;
  gint64      token_lifetime;  /* seconds */
  gsize       max_body;        /* bytes */
  guint       max_failed_logins; /* per user and 15 minutes */
  const char *data_dir;        /* blobs live in DATA_DIR/blobs; NULL: ./kontor-data */
  guint64     max_blob;        /* bytes per blob; 0: the default (200 MiB) */
} KontorServerConfig;

void kontor_server_config_init (KontorServerConfig *config);

#define KONTOR_TYPE_SERVER (kontor_server_get_type ())

G_DECLARE_FINAL_TYPE (KontorServer, kontor_server, KONTOR, SERVER, GObject)

KontorServer *kontor_server_new        (KontorServerStorage       *storage,
                                        const KontorServerConfig  *config,
                                        GError                   **error);
gboolean      kontor_server_listen     (KontorServer              *self,
                                        GError                   **error);
/* The base URL it listens on, after listen(). */
const char   *kontor_server_get_url    (KontorServer              *self);

/* Password hashing (argon2id, libsodium) for the admin commands. */
char         *kontor_server_hash_password (const char *password,
                                           GError    **error);

/* Removes deleted records (not in a delete/edit conflict) that every
 * replica seen within horizon_seconds has pulled past; their ids are kept
 * so an old edit of one is refused, not resurrected. */
gboolean      kontor_server_purge_tombstones (KontorServerStorage  *storage,
                                              gint64                horizon_seconds,
                                              guint                *n_purged,
                                              GError              **error);

/* Removes the vector entries of retired replicas from every record that no
 * longer holds a dot of theirs, once every active replica has pulled
 * everything; the pruned list travels in the changes feed so replicas
 * prune the same way. */
gboolean      kontor_server_prune_retired   (KontorServerStorage  *storage,
                                             guint                *n_rewritten,
                                             GError              **error);

G_END_DECLS
