/* kontor-server-blobs.c: content-addressed files, /sync/v1/blobs/<sha256>
 *
 * Files attached to records (photos, voice notes) are stored under the
 * SHA-256 of their bytes, the value the record's blob field holds:
 *
 *   DATA_DIR/blobs/partial/<hash>   an upload in progress
 *   DATA_DIR/blobs/<ab>/<hash>      complete and verified (ab: first two digits)
 *
 * Uploads stream to disk: an early handler checks the token, the hash, the
 * range and the size before a byte of the body is read, turns accumulation
 * of the request body off and appends each chunk to the partial file as it
 * arrives. So a 200 MiB upload is never held in memory, and a connection
 * that breaks in the middle of a chunk keeps what arrived: the next HEAD
 * reports it and the client continues from there. A completed file is
 * synced, hashed in a worker thread (the message paused meanwhile) and
 * renamed into place, so a complete blob is always a verified one.
 *
 * Downloads are served from a GMappedFile: the kernel pages the file in as
 * libsoup writes it out, nothing is copied into the heap. Single ranges
 * are answered 206 here; the built-in range support of SoupServer is
 * avoided because it flattens the body.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kontor-server-blobs.h"
#include "kontor-server-private.h"
#include "kontor-sync-record.h"

#define BLOB_PREFIX "/sync/v1/blobs/"
#define OFFSET_HEADER "Kontor-Upload-Offset"
#define UPLOAD_KEY "kontor-blob-upload"
#define PARTIAL_MAX_AGE (24 * 3600)
#define HASH_BUFFER_SIZE (256 * 1024)

typedef struct
{
  KontorServer *server;     /* not a reference: the server owns the SoupServer */
  char         *root;       /* DATA_DIR/blobs */
  guint64       max_size;
  GHashTable   *uploads;    /* hash -> Upload, one writer per blob */
} Blobs;

typedef struct
{
  Blobs   *blobs;
  char    *hash;
  char    *partial;
  int      fd;
  guint64  start;
  guint64  expected;        /* bytes in this request's body */
  guint64  total;           /* size of the whole file */
  guint64  written;
  int      write_errno;     /* 0 while every write succeeded */
} Upload;

/* --- paths and small helpers ------------------------------------------- */

gboolean
kontor_server_blob_hash_is_valid (const char *hash)
{
  return hash != NULL && strlen (hash) == 64 && strspn (hash, "0123456789abcdef") == 64;
}

static char *
complete_path (const char *root,
               const char *hash)
{
  char dir[3] = { hash[0], hash[1], '\0' };

  return g_build_filename (root, dir, hash, NULL);
}

static char *
partial_path (const char *root,
              const char *hash)
{
  return g_build_filename (root, "partial", hash, NULL);
}

/* Size of a regular file, or -1 if there is none. */
static gint64
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return -1;
  return st.st_size;
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              char              *json)  /* takes */
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    json, strlen (json));
}

static void
set_offset_header (SoupServerMessage *msg,
                   guint64            offset)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, offset);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                OFFSET_HEADER, text);
}

/* The hash in the path, or NULL after answering 400. */
static const char *
path_hash (SoupServerMessage *msg,
           const char        *path)
{
  const char *hash = g_str_has_prefix (path, BLOB_PREFIX) ? path + strlen (BLOB_PREFIX) : "";

  if (!kontor_server_blob_hash_is_valid (hash))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_hash",
                     _("A blob is named by the SHA-256 of its bytes: 64 lowercase hex digits"));
      return NULL;
    }
  return hash;
}

/* Streams a file through SHA-256; NULL with error when it cannot be read. */
static char *
hash_path (const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = NULL;
  gssize n;

  if (in == NULL)
    return NULL;
  buffer = g_malloc (HASH_BUFFER_SIZE);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, HASH_BUFFER_SIZE,
                                   cancellable, error)) > 0)
    g_checksum_update (sum, buffer, n);
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (sum));
}

/* --- uploads ---------------------------------------------------------- */

static void
upload_free (Upload *upload)
{
  if (upload->fd >= 0)
    close (upload->fd);
  /* the table entry is ours only while it points at this upload */
  if (g_hash_table_lookup (upload->blobs->uploads, upload->hash) == upload)
    g_hash_table_remove (upload->blobs->uploads, upload->hash);
  g_free (upload->hash);
  g_free (upload->partial);
  g_free (upload);
}

static void
on_upload_chunk (SoupServerMessage *msg,
                 GBytes            *chunk,
                 Upload            *upload)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  if (upload->write_errno != 0)
    return;
  if (upload->written + len > upload->expected)
    {
      upload->write_errno = EOVERFLOW;
      return;
    }
  while (len > 0)
    {
      gssize n = write (upload->fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          upload->write_errno = errno;
          g_warning ("blob %s: writing %s failed: %s", upload->hash, upload->partial,
                     g_strerror (upload->write_errno));
          return;
        }
      data += n;
      len -= n;
      upload->written += n;
    }
}

/* Runs before the body is read, so a refused upload costs no bandwidth and
 * no disk: checks everything, then opens the partial file for the chunks. */
static void
blobs_early (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Blobs *blobs = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *complete = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *partial_dir = NULL;
  const char *hash;
  goffset start, end, total;
  goffset length;
  gint64 received;
  gboolean whole;
  Upload *upload;
  int flags;
  int fd;

  if (!g_str_equal (soup_server_message_get_method (msg), "PUT"))
    return;

  if (!_kontor_server_authenticate (blobs->server, msg, NULL) || (hash = path_hash (msg, path)) == NULL)
    return;

  complete = complete_path (blobs->root, hash);
  if (file_size (complete) >= 0)
    {
      /* content-addressed: the same name is the same bytes */
      respond_text (msg, SOUP_STATUS_OK,
                    g_strdup_printf ("{\"sha256\":\"%s\",\"size\":%" G_GINT64_FORMAT "}",
                                     hash, file_size (complete)));
      return;
    }

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      respond_error (msg, SOUP_STATUS_LENGTH_REQUIRED, "length_required",
                     _("Send a Content-Length with each blob upload"));
      return;
    }
  length = soup_message_headers_get_content_length (headers);

  whole = soup_message_headers_get_one (headers, "Content-Range") == NULL;
  if (whole)
    {
      start = 0;
      total = length;
      end = length - 1;
    }
  else if (!soup_message_headers_get_content_range (headers, &start, &end, &total) ||
           total < 0 || start < 0 || end < start || end >= total || end - start + 1 != length)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_range",
                     _("Content-Range must be “bytes START-END/TOTAL” and match the body"));
      return;
    }

  if ((guint64) total > blobs->max_size)
    {
      g_autofree char *limit = g_format_size_full (blobs->max_size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *text = g_strdup_printf (_("The server takes files of up to %s"), limit);

      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", text);
      return;
    }

  partial = partial_path (blobs->root, hash);
  received = MAX (file_size (partial), 0);

  if (g_hash_table_contains (blobs->uploads, hash))
    {
      set_offset_header (msg, received);
      respond_error (msg, SOUP_STATUS_CONFLICT, "upload_busy",
                     _("Another upload of this file is in progress"));
      return;
    }

  /* a whole upload starts over; a chunk must continue where we stopped */
  if (!whole && start != received)
    {
      set_offset_header (msg, received);
      respond_error (msg, SOUP_STATUS_CONFLICT, "wrong_offset",
                     _("The upload continues at the offset in Kontor-Upload-Offset"));
      return;
    }

  partial_dir = g_path_get_dirname (partial);
  if (g_mkdir_with_parents (partial_dir, 0700) != 0)
    {
      int errsv = errno;
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", g_strerror (errsv));
      return;
    }
  flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (whole ? O_TRUNC : 0);
  fd = g_open (partial, flags, 0600);
  if (fd < 0)
    {
      int errsv = errno;
      g_warning ("blob %s: cannot open %s: %s", hash, partial, g_strerror (errsv));
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", g_strerror (errsv));
      return;
    }

  upload = g_new0 (Upload, 1);
  upload->blobs = blobs;
  upload->hash = g_strdup (hash);
  upload->partial = g_steal_pointer (&partial);
  upload->fd = fd;
  upload->start = start;
  upload->expected = length;
  upload->total = total;
  g_hash_table_insert (blobs->uploads, upload->hash, upload);
  /* freed with the message, however it ends (also a dropped connection) */
  g_object_set_data_full (G_OBJECT (msg), UPLOAD_KEY, upload, (GDestroyNotify) upload_free);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_upload_chunk), upload);
}

typedef struct
{
  char *hash;
  char *partial;
  char *complete;
} Verify;

static void
verify_free (Verify *v)
{
  g_free (v->hash);
  g_free (v->partial);
  g_free (v->complete);
  g_free (v);
}

/* In a worker thread: hash the finished file and move it into place.
 * Returns the size, or fails with G_IO_ERROR_INVALID_DATA on a mismatch. */
static void
verify_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Verify *v = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *actual = hash_path (v->partial, cancellable, &error);
  g_autofree char *dir = NULL;
  gint64 size = file_size (v->partial);

  if (actual == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_str_equal (actual, v->hash))
    {
      g_unlink (v->partial);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The file’s SHA-256 is %s, not %s as named; it was discarded"),
                               actual, v->hash);
      return;
    }

  dir = g_path_get_dirname (v->complete);
  if (g_mkdir_with_parents (dir, 0700) != 0 || g_rename (v->partial, v->complete) != 0)
    {
      int errsv = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errsv),
                               _("Cannot store the blob: %s"), g_strerror (errsv));
      return;
    }
  /* the rename is durable once its directory is */
  {
    int dfd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

    if (dfd >= 0)
      {
        fsync (dfd);
        close (dfd);
      }
  }
  g_task_return_int (task, size);
}

static void
verify_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  Upload *upload = g_object_get_data (G_OBJECT (msg), UPLOAD_KEY);
  g_autoptr(GError) error = NULL;
  gssize size = g_task_propagate_int (G_TASK (result), &error);

  if (size < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    {
      g_message ("blob %s: hash mismatch, upload discarded", upload->hash);
      set_offset_header (msg, 0);
      respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "hash_mismatch", error->message);
    }
  else if (size < 0)
    {
      g_warning ("blob %s: %s", upload->hash, error->message);
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", error->message);
    }
  else
    {
      g_message ("blob %s stored (%" G_GSSIZE_FORMAT " bytes)", upload->hash, size);
      respond_text (msg, SOUP_STATUS_CREATED,
                    g_strdup_printf ("{\"sha256\":\"%s\",\"size\":%" G_GSSIZE_FORMAT "}",
                                     upload->hash, size));
    }
  soup_server_message_unpause (msg);
}

static void
handle_put (Blobs             *blobs,
            SoupServerMessage *msg)
{
  Upload *upload = g_object_get_data (G_OBJECT (msg), UPLOAD_KEY);
  g_autoptr(GTask) task = NULL;
  Verify *v;

  if (upload == NULL)
    {
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                     _("The upload was not prepared"));
      return;
    }
  if (upload->write_errno != 0 || upload->written != upload->expected)
    {
      const char *why = upload->write_errno ? g_strerror (upload->write_errno)
                                            : _("the body is shorter than announced");

      set_offset_header (msg, upload->start + upload->written);
      respond_error (msg, upload->write_errno && upload->write_errno != EOVERFLOW
                            ? SOUP_STATUS_INSUFFICIENT_STORAGE : SOUP_STATUS_BAD_REQUEST,
                     "write_failed", why);
      return;
    }
  if (fsync (upload->fd) != 0)
    {
      int errsv = errno;
      respond_error (msg, SOUP_STATUS_INSUFFICIENT_STORAGE, "storage", g_strerror (errsv));
      return;
    }

  if (upload->start + upload->written < upload->total)
    {
      set_offset_header (msg, upload->start + upload->written);
      respond_text (msg, SOUP_STATUS_OK,
                    g_strdup_printf ("{\"offset\":%" G_GUINT64_FORMAT "}",
                                     upload->start + upload->written));
      return;
    }

  close (upload->fd);
  upload->fd = -1;

  v = g_new0 (Verify, 1);
  v->hash = g_strdup (upload->hash);
  v->partial = g_strdup (upload->partial);
  v->complete = complete_path (blobs->root, upload->hash);
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, verify_done, g_object_ref (msg));
  g_task_set_task_data (task, v, (GDestroyNotify) verify_free);
  g_task_run_in_thread (task, verify_thread);
}

/* --- HEAD, GET, DELETE ------------------------------------------------ */

static void
handle_head (Blobs             *blobs,
             SoupServerMessage *msg,
             const char        *hash)
{
  g_autofree char *complete = complete_path (blobs->root, hash);
  g_autofree char *partial = partial_path (blobs->root, hash);
  SoupMessageHeaders *out = soup_server_message_get_response_headers (msg);
  gint64 size = file_size (complete);

  if (size >= 0)
    {
      soup_message_headers_set_content_length (out, size);
      soup_message_headers_replace (out, "Accept-Ranges", "bytes");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      return;
    }
  size = file_size (partial);
  if (size >= 0)
    set_offset_header (msg, size);
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
handle_get (Blobs             *blobs,
            SoupServerMessage *msg,
            const char        *hash)
{
  g_autofree char *complete = complete_path (blobs->root, hash);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *out = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupRange *ranges = NULL;
  gsize size;
  int n_ranges = 0;

  mapped = g_mapped_file_new (complete, FALSE, &error);
  if (mapped == NULL)
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("No such blob"));
      else
        respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage", error->message);
      return;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  size = g_bytes_get_size (bytes);
  soup_message_headers_replace (out, "Accept-Ranges", "bytes");

  if (soup_message_headers_get_one (in, "Range") != NULL)
    {
      /* libsoup 3.2 lets an open range start past the end through */
      if (!soup_message_headers_get_ranges (in, size, &ranges, &n_ranges) ||
          (n_ranges == 1 && (ranges[0].start >= (goffset) size || ranges[0].end >= (goffset) size ||
                             ranges[0].end < ranges[0].start)))
        {
          if (ranges != NULL)
            soup_message_headers_free_ranges (in, ranges);
          g_autofree char *unsatisfied = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, size);

          soup_message_headers_replace (out, "Content-Range", unsatisfied);
          respond_error (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, "bad_range",
                         _("The range lies outside the file"));
          return;
        }
      if (n_ranges == 1)
        {
          g_autoptr(GBytes) part = g_bytes_new_from_bytes (bytes, ranges[0].start,
                                                           ranges[0].end - ranges[0].start + 1);

          soup_message_headers_set_content_range (out, ranges[0].start, ranges[0].end, size);
          soup_message_headers_set_content_type (out, "application/octet-stream", NULL);
          soup_message_body_append_bytes (body, part);
          soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
          soup_message_headers_free_ranges (in, ranges);
          return;
        }
      /* several ranges: the whole file instead, which HTTP allows; keep
       * SoupServer from building a (flattened) multipart answer */
      soup_message_headers_free_ranges (in, ranges);
      soup_message_headers_remove (in, "Range");
    }

  soup_message_headers_set_content_type (out, "application/octet-stream", NULL);
  soup_message_body_append_bytes (body, bytes);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
handle_delete (Blobs             *blobs,
               SoupServerMessage *msg,
               const char        *hash)
{
  KontorServerStorage *storage = _kontor_server_get_storage (blobs->server);
  g_autofree char *complete = complete_path (blobs->root, hash);
  g_autofree char *partial = partial_path (blobs->root, hash);
  g_autoptr(GHashTable) refs = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (g_hash_table_contains (blobs->uploads, hash))
    {
      respond_error (msg, SOUP_STATUS_CONFLICT, "upload_busy",
                     _("An upload of this file is in progress"));
      return;
    }

  refs = kontor_server_blobs_references (storage, &error);
  if (refs == NULL)
    {
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage", error->message);
      return;
    }
  if (g_hash_table_contains (refs, hash))
    {
      respond_error (msg, SOUP_STATUS_CONFLICT, "referenced",
                     _("A record still refers to this file"));
      return;
    }

  if (g_unlink (complete) == 0)
    found = TRUE;
  if (g_unlink (partial) == 0)
    found = TRUE;
  if (!found)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("No such blob"));
      return;
    }
  g_message ("blob %s deleted", hash);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
handle_blobs (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Blobs *blobs = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *hash;

  /* PUT was authenticated and checked by blobs_early */
  if (g_str_equal (method, "PUT"))
    {
      handle_put (blobs, msg);
      return;
    }

  if (!_kontor_server_authenticate (blobs->server, msg, NULL) || (hash = path_hash (msg, path)) == NULL)
    return;

  if (g_str_equal (method, "HEAD"))
    handle_head (blobs, msg, hash);
  else if (g_str_equal (method, "GET"))
    handle_get (blobs, msg, hash);
  else if (g_str_equal (method, "DELETE"))
    handle_delete (blobs, msg, hash);
  else
    respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method", _("Method not allowed"));
}

static void
blobs_free (Blobs *blobs)
{
  g_hash_table_unref (blobs->uploads);
  g_free (blobs->root);
  g_free (blobs);
}

void
kontor_server_blobs_register (SoupServer   *soup,
                              KontorServer *server,
                              const char   *data_dir,
                              guint64       max_size)
{
  Blobs *blobs;

  g_return_if_fail (SOUP_IS_SERVER (soup));
  g_return_if_fail (data_dir != NULL);

  blobs = g_new0 (Blobs, 1);
  blobs->server = server;
  blobs->root = g_build_filename (data_dir, "blobs", NULL);
  blobs->max_size = max_size > 0 ? max_size : KONTOR_SERVER_BLOB_DEFAULT_MAX;
  /* keys belong to the uploads, which remove themselves */
  blobs->uploads = g_hash_table_new (g_str_hash, g_str_equal);

  soup_server_add_early_handler (soup, "/sync/v1/blobs", blobs_early, blobs, NULL);
  soup_server_add_handler (soup, "/sync/v1/blobs", handle_blobs, blobs,
                           (GDestroyNotify) blobs_free);
}

/* --- references and garbage collection --------------------------------- */

/* Adds every run of exactly 64 lowercase hex digits in text: blob fields
 * hold nothing else of that shape, ids and values never look like one. */
static void
add_hashes (GHashTable *set,
            const char *text)
{
  const char *p = text;

  while (*p)
    {
      gsize run = strspn (p, "0123456789abcdef");

      if (run == 64)
        g_hash_table_add (set, g_strndup (p, 64));
      p += run > 0 ? run : 1;
    }
}

GHashTable *
kontor_server_blobs_references (KontorServerStorage  *storage,
                                GError              **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 since = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) changes = kontor_server_storage_changes_since (storage, since, 1000,
                                                                          error);
      if (changes == NULL)
        return NULL;
      if (changes->len == 0)
        break;
      for (guint i = 0; i < changes->len; i++)
        {
          KontorChange *c = g_ptr_array_index (changes, i);
          g_autoptr(KontorSyncRecord) state = NULL;

          since = c->seq;
          if (strstr (c->state, "_deleted") != NULL)
            {
              /* an erased record lets go of its files, unless an edit
               * concurrent with the delete may still bring it back */
              state = kontor_sync_record_from_string (c->state, NULL);
              if (state != NULL && kontor_sync_record_is_deleted (state) &&
                  !kontor_sync_record_delete_conflict (state))
                continue;
            }
          add_hashes (set, c->state);
        }
    }
  return g_steal_pointer (&set);
}

static gboolean
older_than (const char *path,
            gint64      seconds)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 && (gint64) st.st_mtime <= g_get_real_time () / G_USEC_PER_SEC - seconds;
}

gboolean
kontor_server_blobs_gc (KontorServerStorage  *storage,
                        const char           *data_dir,
                        gint64                min_age,
                        guint                *n_blobs,
                        guint                *n_partial,
                        GError              **error)
{
  g_autofree char *root = g_build_filename (data_dir, "blobs", NULL);
  g_autofree char *partial_root = g_build_filename (root, "partial", NULL);
  g_autoptr(GHashTable) refs = kontor_server_blobs_references (storage, error);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint removed = 0;
  guint stale = 0;

  if (refs == NULL)
    return FALSE;

  dir = g_dir_open (root, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub_path = g_build_filename (root, name, NULL);
      g_autoptr(GDir) sub = NULL;
      const char *hash;

      if (strlen (name) != 2 || (sub = g_dir_open (sub_path, 0, NULL)) == NULL)
        continue;
      while ((hash = g_dir_read_name (sub)) != NULL)
        {
          g_autofree char *path = g_build_filename (sub_path, hash, NULL);

          if (!kontor_server_blob_hash_is_valid (hash) || g_hash_table_contains (refs, hash) ||
              !older_than (path, min_age))
            continue;
          if (g_unlink (path) == 0)
            {
              g_message ("blobs-gc: removed unreferenced blob %s", hash);
              removed++;
            }
        }
    }

  g_clear_pointer (&dir, g_dir_close);
  dir = g_dir_open (partial_root, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (partial_root, name, NULL);

      if (!older_than (path, MAX (min_age, PARTIAL_MAX_AGE)))
        continue;
      if (g_unlink (path) == 0)
        {
          g_message ("blobs-gc: removed stale partial upload %s", name);
          stale++;
        }
    }

  if (n_blobs)
    *n_blobs = removed;
  if (n_partial)
    *n_partial = stale;
  return TRUE;
}
