/* kontor-server-blobs.h: content-addressed files, /sync/v1/blobs/<sha256>
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "kontor-server.h"
#include "kontor-server-storage.h"

G_BEGIN_DECLS

#define KONTOR_SERVER_BLOB_DEFAULT_MAX (200 * 1024 * 1024)

/* Adds the blob handlers to soup; files live under DATA_DIR/blobs.
 * max_size 0 means KONTOR_SERVER_BLOB_DEFAULT_MAX. */
void        kontor_server_blobs_register    (SoupServer           *soup,
                                             KontorServer         *server,
                                             const char           *data_dir,
                                             guint64               max_size);

/* TRUE if hash is 64 lowercase hex digits. */
gboolean    kontor_server_blob_hash_is_valid (const char          *hash);

/* The blob hashes (char *, a set) that live records hold: deleted records
 * not in a delete/edit conflict do not count. */
GHashTable *kontor_server_blobs_references  (KontorServerStorage  *storage,
                                             GError              **error);

/* Removes complete blobs that no live record references and partial
 * uploads untouched for a day; both only when older than min_age seconds,
 * so a file uploaded just before its record is pushed survives. */
gboolean    kontor_server_blobs_gc          (KontorServerStorage  *storage,
                                             const char           *data_dir,
                                             gint64                min_age,
                                             guint                *n_blobs,
                                             guint                *n_partial,
                                             GError              **error);

G_END_DECLS
