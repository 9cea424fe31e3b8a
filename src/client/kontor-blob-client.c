/* kontor-blob-client.c: resumable upload and download of attached files
 *
 * The protocol (docs/sync-protocol.md, "Blobs"): HEAD tells whether the
 * server has a file, or how many bytes of an upload it has received
 * (Kontor-Upload-Offset); PUT appends one chunk with Content-Range at
 * exactly that offset; GET with Range continues a download. The server
 * verifies a finished upload's SHA-256 and this side verifies a finished
 * download's, so a file is never stored under a name it does not match.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-client"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "kontor-blob-client.h"

#define OFFSET_HEADER "Kontor-Upload-Offset"
#define HASH_BUFFER_SIZE (256 * 1024)
#define MAX_OFFSET_RETRIES 3

/* A session per thread that uses it: SoupSession is not thread-safe. */
static SoupSession *
get_session (void)
{
  static GPrivate key = G_PRIVATE_INIT (g_object_unref);
  SoupSession *session = g_private_get (&key);

  if (session == NULL)
    {
      session = soup_session_new_with_options ("timeout", 120, "idle-timeout", 30,
                                               "user-agent", "Kontor/" PACKAGE_VERSION, NULL);
      g_private_set (&key, session);
    }
  return session;
}

static gboolean
check_hash (const char  *sha256,
            GError     **error)
{
  if (sha256 != NULL && strlen (sha256) == 64 && strspn (sha256, "0123456789abcdef") == 64)
    return TRUE;
  g_set_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
               _("“%s” is not a SHA-256 content hash"), sha256 ? sha256 : "");
  return FALSE;
}

static SoupMessage *
new_message (KontorSyncClient  *client,
             const char        *method,
             const char        *sha256,
             GError           **error)
{
  const char *url = kontor_sync_client_get_url (client);
  const char *token = kontor_sync_client_get_token (client);
  g_autofree char *uri = g_strconcat (url, g_str_has_suffix (url, "/") ? "" : "/",
                                      "sync/v1/blobs/", sha256, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  if (msg == NULL)
    {
      g_set_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                   _("“%s” is not a valid server address"), url);
      return NULL;
    }
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  return msg;
}

static void
set_network_error (GError  **error,
                   GError   *local)  /* takes */
{
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, local);
  else
    {
      g_set_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_OFFLINE,
                   _("The server cannot be reached: %s"), local->message);
      g_error_free (local);
    }
}

/* Turns a failed answer into an error saying what to do. */
static void
set_status_error (SoupMessage  *msg,
                  GBytes       *body,
                  GError      **error)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *message = NULL;
  KontorSyncClientError kind = KONTOR_SYNC_CLIENT_ERROR_REFUSED;
  JsonNode *root;

  if (body != NULL && g_bytes_get_size (body) > 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);

      message = g_strdup (json_object_get_string_member_with_default (
        obj, "message", json_object_get_string_member_with_default (obj, "error", "")));
    }
  if (message == NULL || message[0] == '\0')
    {
      g_free (message);
      message = g_strdup_printf (_("The server answered %u %s"), status,
                                 soup_status_get_phrase (status));
    }

  if (status == SOUP_STATUS_UNAUTHORIZED)
    kind = KONTOR_SYNC_CLIENT_ERROR_UNAUTHORIZED;
  else if (status >= 500)
    kind = KONTOR_SYNC_CLIENT_ERROR_SERVER;
  else if (status < 400)
    kind = KONTOR_SYNC_CLIENT_ERROR_PROTOCOL;
  g_set_error_literal (error, KONTOR_SYNC_CLIENT_ERROR, kind, message);
}

/* Sends msg and reads the whole (small) answer; NULL on a network error. */
static GBytes *
send_and_read (SoupMessage   *msg,
               GCancellable  *cancellable,
               GError       **error)
{
  GError *local = NULL;
  GBytes *bytes = soup_session_send_and_read (get_session (), msg, cancellable, &local);

  if (bytes == NULL)
    set_network_error (error, local);
  return bytes;
}

static gboolean
parse_offset (SoupMessage *msg,
              guint64     *offset)
{
  const char *text = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   OFFSET_HEADER);

  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, offset, NULL);
}

gboolean
kontor_blob_hash_file (GFile   *file,
                       char   **sha256,
                       GError **error)
{
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) sum = NULL;
  g_autofree guint8 *buffer = NULL;
  gssize n;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  in = g_file_read (file, NULL, error);
  if (in == NULL)
    return FALSE;
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  buffer = g_malloc (HASH_BUFFER_SIZE);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, HASH_BUFFER_SIZE,
                                   NULL, error)) > 0)
    g_checksum_update (sum, buffer, n);
  if (n < 0)
    return FALSE;
  *sha256 = g_strdup (g_checksum_get_string (sum));
  return TRUE;
}

/* HEAD: TRUE and *complete, or FALSE and *offset (0 when nothing arrived). */
static gboolean
head (KontorSyncClient  *client,
      const char        *sha256,
      gboolean          *complete,
      guint64           *offset,
      GCancellable      *cancellable,
      GError           **error)
{
  g_autoptr(SoupMessage) msg = new_message (client, "HEAD", sha256, error);
  g_autoptr(GBytes) body = NULL;

  if (msg == NULL || (body = send_and_read (msg, cancellable, error)) == NULL)
    return FALSE;

  *offset = 0;
  switch (soup_message_get_status (msg))
    {
    case SOUP_STATUS_OK:
      *complete = TRUE;
      return TRUE;
    case SOUP_STATUS_NOT_FOUND:
      *complete = FALSE;
      parse_offset (msg, offset);
      return TRUE;
    default:
      set_status_error (msg, body, error);
      return FALSE;
    }
}

gboolean
kontor_blob_exists (KontorSyncClient  *client,
                    const char        *sha256,
                    gboolean          *exists,
                    GCancellable      *cancellable,
                    GError           **error)
{
  guint64 offset;

  g_return_val_if_fail (KONTOR_IS_SYNC_CLIENT (client), FALSE);
  g_return_val_if_fail (exists != NULL, FALSE);

  return check_hash (sha256, error) &&
         head (client, sha256, exists, &offset, cancellable, error);
}

gboolean
kontor_blob_upload (KontorSyncClient  *client,
                    GFile             *file,
                    const char        *sha256,
                    gsize              chunk_size,
                    GCancellable      *cancellable,
                    GError           **error)
{
  return kontor_blob_upload_full (client, file, sha256, chunk_size, NULL, NULL,
                                  cancellable, error);
}

gboolean
kontor_blob_upload_full (KontorSyncClient        *client,
                         GFile                   *file,
                         const char              *sha256,
                         gsize                    chunk_size,
                         KontorBlobProgressFunc   progress,
                         gpointer                 user_data,
                         GCancellable            *cancellable,
                         GError                 **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autofree guint8 *buffer = NULL;
  gboolean complete = FALSE;
  guint64 offset = 0;
  guint64 size;
  guint retries = 0;

  g_return_val_if_fail (KONTOR_IS_SYNC_CLIENT (client), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!check_hash (sha256, error))
    return FALSE;
  if (chunk_size == 0)
    chunk_size = KONTOR_BLOB_DEFAULT_CHUNK_SIZE;

  if (!head (client, sha256, &complete, &offset, cancellable, error))
    return FALSE;
  if (complete)
    return TRUE;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return FALSE;
  size = g_file_info_get_size (info);
  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return FALSE;
  buffer = g_malloc (MAX (chunk_size, 1));

  /* an empty file, or a partial copy that cannot be ours: send it whole */
  if (size == 0 || offset > size)
    offset = G_MAXUINT64;

  for (;;)
    {
      g_autoptr(SoupMessage) msg = new_message (client, "PUT", sha256, error);
      g_autoptr(GBytes) chunk = NULL;
      g_autoptr(GBytes) answer = NULL;
      gboolean whole = offset == G_MAXUINT64;
      guint64 start = whole ? 0 : offset;
      gsize len = whole ? MIN (size, G_MAXSIZE) : (gsize) MIN (chunk_size, size - start);
      gsize got = 0;
      guint64 server_offset;
      guint status;

      if (msg == NULL)
        return FALSE;
      if (!g_seekable_seek (G_SEEKABLE (in), start, G_SEEK_SET, cancellable, error))
        return FALSE;
      if (whole)
        {
          /* only for empty or small files: one request holds it all */
          g_autofree guint8 *all = g_malloc (MAX (len, 1));

          if (!g_input_stream_read_all (G_INPUT_STREAM (in), all, len, &got, cancellable, error))
            return FALSE;
          chunk = g_bytes_new_take (g_steal_pointer (&all), got);
        }
      else
        {
          g_autofree char *range = NULL;

          if (!g_input_stream_read_all (G_INPUT_STREAM (in), buffer, len, &got, cancellable,
                                        error))
            return FALSE;
          if (got != len)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The file changed while it was being uploaded"));
              return FALSE;
            }
          chunk = g_bytes_new (buffer, got);
          range = g_strdup_printf ("bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT "/%"
                                   G_GUINT64_FORMAT, start, start + len - 1, size);
          soup_message_headers_replace (soup_message_get_request_headers (msg),
                                        "Content-Range", range);
        }
      soup_message_set_request_body_from_bytes (msg, "application/octet-stream", chunk);

      answer = send_and_read (msg, cancellable, error);
      if (answer == NULL)
        return FALSE;
      status = soup_message_get_status (msg);

      if (status == SOUP_STATUS_CONFLICT && parse_offset (msg, &server_offset) &&
          retries++ < MAX_OFFSET_RETRIES)
        {
          /* another attempt got further (or less far) than we thought */
          offset = server_offset > size ? G_MAXUINT64 : server_offset;
          continue;
        }
      if (!SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          set_status_error (msg, answer, error);
          return FALSE;
        }
      /* a chunk taken carries the new offset; the last one, or a file the
       * server had already, does not */
      if (!parse_offset (msg, &server_offset))
        {
          if (progress)
            progress (size, size, user_data);
          return TRUE;
        }
      offset = server_offset;
      retries = 0;
      if (progress)
        progress (offset, size, user_data);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
}

gboolean
kontor_blob_download (KontorSyncClient  *client,
                      const char        *sha256,
                      GFile             *dest,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autoptr(GFile) parent = NULL;
  g_autoptr(GFile) partial = NULL;
  g_autofree char *base = NULL;
  g_autofree char *partial_name = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  GError *local = NULL;
  guint64 offset = 0;
  guint status;

  g_return_val_if_fail (KONTOR_IS_SYNC_CLIENT (client), FALSE);
  g_return_val_if_fail (G_IS_FILE (dest), FALSE);

  if (!check_hash (sha256, error))
    return FALSE;

  parent = g_file_get_parent (dest);
  base = g_file_get_basename (dest);
  partial_name = g_strconcat (base, ".partial", NULL);
  partial = parent ? g_file_get_child (parent, partial_name) : g_file_new_for_path (partial_name);

  info = g_file_query_info (partial, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  if (info != NULL)
    offset = g_file_info_get_size (info);

  msg = new_message (client, "GET", sha256, error);
  if (msg == NULL)
    return FALSE;
  if (offset > 0)
    {
      g_autofree char *range = g_strdup_printf ("bytes=%" G_GUINT64_FORMAT "-", offset);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
    }

  in = soup_session_send (get_session (), msg, cancellable, &local);
  if (in == NULL)
    {
      set_network_error (error, local);
      return FALSE;
    }
  status = soup_message_get_status (msg);

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      goffset start, end, total;

      if (!soup_message_headers_get_content_range (soup_message_get_response_headers (msg),
                                                   &start, &end, &total) ||
          (guint64) start != offset)
        {
          g_set_error_literal (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                               _("The server sent another part of the file than asked for"));
          return FALSE;
        }
      out = g_file_append_to (partial, G_FILE_CREATE_PRIVATE, cancellable, error);
    }
  else if (status == SOUP_STATUS_OK)
    out = g_file_replace (partial, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
  else if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && offset > 0)
    {
      /* the partial file already holds all there is: check it below */
      g_input_stream_close (in, cancellable, NULL);
    }
  else
    {
      g_autoptr(GBytes) body = g_input_stream_read_bytes (in, 64 * 1024, cancellable, NULL);

      set_status_error (msg, body, error);
      return FALSE;
    }

  if (out != NULL)
    {
      /* whatever arrives stays in the partial file for the next attempt */
      if (g_output_stream_splice (G_OUTPUT_STREAM (out), in,
                                  G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                  G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                  cancellable, &local) < 0)
        {
          g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
          set_network_error (error, local);
          return FALSE;
        }
    }
  else if (status != SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
    return FALSE;

  if (!kontor_blob_hash_file (partial, &actual, error))
    return FALSE;
  if (!g_str_equal (actual, sha256))
    {
      g_file_delete (partial, NULL, NULL);
      g_set_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL,
                   _("The downloaded file’s SHA-256 is %s, not %s; it was discarded"),
                   actual, sha256);
      return FALSE;
    }

  return g_file_move (partial, dest, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, error);
}

gboolean
kontor_blob_delete (KontorSyncClient  *client,
                    const char        *sha256,
                    GCancellable      *cancellable,
                    GError           **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;

  g_return_val_if_fail (KONTOR_IS_SYNC_CLIENT (client), FALSE);

  if (!check_hash (sha256, error) ||
      (msg = new_message (client, "DELETE", sha256, error)) == NULL ||
      (answer = send_and_read (msg, cancellable, error)) == NULL)
    return FALSE;
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      set_status_error (msg, answer, error);
      return FALSE;
    }
  return TRUE;
}
