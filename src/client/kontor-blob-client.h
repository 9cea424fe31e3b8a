/* kontor-blob-client.h: resumable upload and download of attached files
 *
 * Files are named by the SHA-256 of their bytes (a record's blob field
 * holds it) and stored by kontor-server under /sync/v1/blobs/<sha256>.
 * Both directions resume: calling upload or download again after a broken
 * connection continues where the bytes stopped. Blocking calls meant for
 * a worker thread, like those of KontorSyncClient, whose URL and token
 * they use; errors are KONTOR_SYNC_CLIENT_ERROR.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-sync-client.h"

G_BEGIN_DECLS

#define KONTOR_BLOB_DEFAULT_CHUNK_SIZE (1024 * 1024)

/* Called after each chunk the server took; sent counts from the start of
 * the file, also the bytes an earlier attempt sent. */
typedef void (*KontorBlobProgressFunc) (guint64  sent,
                                        guint64  total,
                                        gpointer user_data);

/* Streams file through SHA-256; *sha256 gets 64 lowercase hex digits. */
gboolean kontor_blob_hash_file     (GFile                   *file,
                                    char                   **sha256,
                                    GError                 **error);

/* *exists: whether the server holds the complete, verified file. */
gboolean kontor_blob_exists        (KontorSyncClient        *client,
                                    const char              *sha256,
                                    gboolean                *exists,
                                    GCancellable            *cancellable,
                                    GError                 **error);

/* Uploads file, whose SHA-256 is sha256, in chunks of chunk_size bytes
 * (0: KONTOR_BLOB_DEFAULT_CHUNK_SIZE), starting where the server's partial
 * copy ends; a file the server has already is not sent again. */
gboolean kontor_blob_upload        (KontorSyncClient        *client,
                                    GFile                   *file,
                                    const char              *sha256,
                                    gsize                    chunk_size,
                                    GCancellable            *cancellable,
                                    GError                 **error);
gboolean kontor_blob_upload_full   (KontorSyncClient        *client,
                                    GFile                   *file,
                                    const char              *sha256,
                                    gsize                    chunk_size,
                                    KontorBlobProgressFunc   progress,
                                    gpointer                 user_data,
                                    GCancellable            *cancellable,
                                    GError                 **error);

/* Downloads into "<dest>.partial", continuing a partial file left by an
 * earlier attempt, verifies the SHA-256 and renames it to dest (replacing
 * it). A mismatch deletes the partial file and fails. */
gboolean kontor_blob_download      (KontorSyncClient        *client,
                                    const char              *sha256,
                                    GFile                   *dest,
                                    GCancellable            *cancellable,
                                    GError                 **error);

/* Removes a file no record refers to any more (KONTOR_SYNC_CLIENT_ERROR_REFUSED
 * while one does). */
gboolean kontor_blob_delete        (KontorSyncClient        *client,
                                    const char              *sha256,
                                    GCancellable            *cancellable,
                                    GError                 **error);

G_END_DECLS
