/* test-blobs.c: attached files through a real kontor-server
 *
 * Resumable upload and download, hash verification on both sides, the
 * refusals (bad name, no token, too large, wrong offset), ranges, deletion
 * of unreferenced files only, and the admin garbage collection.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <utime.h>

#include "kontor-blob-client.h"
#include "kontor-test-server.h"

#define KIB 1024
#define MIB (1024 * 1024)
#define MAX_BLOB (8 * MIB)

static KontorTestServer *server;
static KontorSyncClient *client;
static SoupSession *session;
static char *dir;
static char *server_dir;

typedef struct
{
  SoupMessage *msg;
  GBytes      *body;
} Raw;

static void
raw_clear (Raw *r)
{
  g_clear_object (&r->msg);
  g_clear_pointer (&r->body, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Raw, raw_clear)

static Raw
request (const char  *method,
         const char  *hash,
         gboolean     with_token,
         const char  *header,
         const char  *value,
         GBytes      *body)
{
  g_autofree char *uri = g_strconcat (server->url, "sync/v1/blobs/", hash, NULL);
  g_autoptr(GError) error = NULL;
  Raw r = { 0 };

  r.msg = soup_message_new (method, uri);
  g_assert_nonnull (r.msg);
  if (with_token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", kontor_sync_client_get_token (client), NULL);
      soup_message_headers_replace (soup_message_get_request_headers (r.msg), "Authorization", auth);
    }
  if (header != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (r.msg), header, value);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (r.msg, "application/octet-stream", body);
  r.body = soup_session_send_and_read (session, r.msg, NULL, &error);
  g_assert_no_error (error);
  return r;
}

static guint
status_of (Raw *r)
{
  return soup_message_get_status (r->msg);
}

static const char *
header_of (Raw        *r,
           const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (r->msg), name);
}

static void
assert_error_code (Raw        *r,
                   guint       status,
                   const char *code)
{
  g_autoptr(JsonNode) node = kontor_test_parse_bytes (r->body);

  g_assert_cmpuint (status_of (r), ==, status);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "error"), ==, code);
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (node), "message"));
}

/* Writes size pseudo-random bytes; returns the file, *hash its SHA-256. */
static GFile *
make_file (const char *name,
           gsize       size,
           guint32     seed,
           char      **hash)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *data = g_malloc (MAX (size, 1));
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  GFile *file;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int (rand);
  g_file_set_contents (path, (char *) data, size, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  kontor_blob_hash_file (file, hash, &error);
  g_assert_no_error (error);
  {
    g_autofree char *expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
    g_assert_cmpstr (*hash, ==, expected);
  }
  return file;
}

static void
assert_same_file (GFile *a,
                  GFile *b)
{
  g_autofree char *da = NULL;
  g_autofree char *db = NULL;
  gsize la, lb;
  g_autoptr(GError) error = NULL;

  g_file_load_contents (a, NULL, &da, &la, NULL, &error);
  g_assert_no_error (error);
  g_file_load_contents (b, NULL, &db, &lb, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (da, la, db, lb);
}

static char *
stored_path (const char *hash)
{
  char sub[3] = { hash[0], hash[1], '\0' };

  return g_build_filename (server_dir, "blobs", sub, hash, NULL);
}

static char *
partial_path (const char *hash)
{
  return g_build_filename (server_dir, "blobs", "partial", hash, NULL);
}

static void
upload (GFile      *file,
        const char *hash)
{
  g_autoptr(GError) error = NULL;

  kontor_blob_upload (client, file, hash, 64 * KIB, NULL, &error);
  g_assert_no_error (error);
}

/* --- tests -------------------------------------------------------------- */

static void
test_roundtrip (void)
{
  g_autofree char *hash = NULL;
  g_autoptr(GFile) file = make_file ("five.bin", 5 * MIB, 1, &hash);
  g_autofree char *dest_path = g_build_filename (dir, "five-downloaded.bin", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (dest_path);
  g_autofree char *stored = stored_path (hash);
  g_autoptr(GError) error = NULL;
  gboolean exists = TRUE;

  kontor_blob_exists (client, hash, &exists, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (exists);

  kontor_blob_upload (client, file, hash, 256 * KIB, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (stored, G_FILE_TEST_IS_REGULAR));

  kontor_blob_exists (client, hash, &exists, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (exists);

  {
    g_auto(Raw) r = request ("HEAD", hash, TRUE, NULL, NULL, NULL);

    g_assert_cmpuint (status_of (&r), ==, 200);
    g_assert_cmpstr (header_of (&r, "Content-Length"), ==, "5242880");
  }

  /* uploading again changes nothing and succeeds */
  kontor_blob_upload (client, file, hash, 256 * KIB, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) again = g_bytes_new_static ("x", 1);
    g_auto(Raw) r = request ("PUT", hash, TRUE, NULL, NULL, again);

    g_assert_cmpuint (status_of (&r), ==, 200);
  }

  kontor_blob_download (client, hash, dest, NULL, &error);
  g_assert_no_error (error);
  assert_same_file (file, dest);
  {
    g_autofree char *partial = g_strconcat (dest_path, ".partial", NULL);
    g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  }
}

typedef struct
{
  GCancellable *cancellable;
  guint64       cancel_at;
  guint64       first;       /* offset after the first chunk of this attempt */
} Progress;

static void
on_progress (guint64  sent,
             guint64  total,
             gpointer user_data)
{
  Progress *p = user_data;

  if (p->first == 0)
    p->first = sent;
  if (p->cancellable && sent >= p->cancel_at)
    g_cancellable_cancel (p->cancellable);
}

static void
test_resume_upload (void)
{
  g_autofree char *hash = NULL;
  g_autoptr(GFile) file = make_file ("resume.bin", 5 * MIB, 2, &hash);
  g_autofree char *dest_path = g_build_filename (dir, "resume-downloaded.bin", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (dest_path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Progress p = { cancellable, 2 * MIB + 512 * KIB, 0 };

  /* the connection "drops" after ten chunks of 256 KiB */
  kontor_blob_upload_full (client, file, hash, 256 * KIB, on_progress, &p, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  {
    g_auto(Raw) r = request ("HEAD", hash, TRUE, NULL, NULL, NULL);

    g_assert_cmpuint (status_of (&r), ==, 404);
    g_assert_cmpstr (header_of (&r, "Kontor-Upload-Offset"), ==, "2621440");
  }
  {
    /* a chunk elsewhere than where the server stopped is refused */
    g_autoptr(GBytes) chunk = g_bytes_new_static ("0123456789", 10);
    g_auto(Raw) r = request ("PUT", hash, TRUE, "Content-Range", "bytes 0-9/5242880", chunk);

    assert_error_code (&r, 409, "wrong_offset");
    g_assert_cmpstr (header_of (&r, "Kontor-Upload-Offset"), ==, "2621440");
  }

  /* calling again continues: its first chunk ends at 2.75 MiB, not 256 KiB */
  p.cancellable = NULL;
  p.first = 0;
  kontor_blob_upload_full (client, file, hash, 256 * KIB, on_progress, &p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (p.first, ==, 2 * MIB + 768 * KIB);

  kontor_blob_download (client, hash, dest, NULL, &error);
  g_assert_no_error (error);
  assert_same_file (file, dest);
}

static void
test_resume_download (void)
{
  g_autofree char *hash = NULL;
  g_autoptr(GFile) file = make_file ("dl.bin", 700 * KIB, 3, &hash);
  g_autofree char *dest_path = g_build_filename (dir, "dl-downloaded.bin", NULL);
  g_autofree char *partial_local = g_strconcat (dest_path, ".partial", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (dest_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  upload (file, hash);

  /* a download that broke after 300 KiB continues from there */
  g_file_load_contents (file, NULL, &data, &len, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents (partial_local, data, 300 * KIB, &error);
  g_assert_no_error (error);
  kontor_blob_download (client, hash, dest, NULL, &error);
  g_assert_no_error (error);
  assert_same_file (file, dest);
  g_assert_false (g_file_test (partial_local, G_FILE_TEST_EXISTS));

  /* a corrupt partial file fails the check and is removed */
  g_file_set_contents (partial_local, "garbage", -1, &error);
  g_assert_no_error (error);
  g_file_delete (dest, NULL, NULL);
  kontor_blob_download (client, hash, dest, NULL, &error);
  g_assert_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "SHA-256"));
  g_clear_error (&error);
  g_assert_false (g_file_test (partial_local, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dest_path, G_FILE_TEST_EXISTS));

  /* and the next attempt starts over and succeeds */
  kontor_blob_download (client, hash, dest, NULL, &error);
  g_assert_no_error (error);
  assert_same_file (file, dest);
}

static void
test_wrong_hash (void)
{
  g_autofree char *hash_a = NULL;
  g_autofree char *hash_b = NULL;
  g_autoptr(GFile) a = make_file ("a.bin", 100 * KIB, 4, &hash_a);
  g_autoptr(GFile) b = make_file ("b.bin", 100 * KIB, 5, &hash_b);
  g_autofree char *stored = stored_path (hash_a);
  g_autofree char *partial = partial_path (hash_a);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  /* b's bytes under a's name: refused at the end, nothing kept */
  kontor_blob_upload (client, b, hash_a, 32 * KIB, NULL, &error);
  g_assert_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "SHA-256"));
  g_clear_error (&error);
  g_assert_false (g_file_test (stored, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  g_file_load_contents (b, NULL, &data, &len, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) body = g_bytes_new (data, len);
    g_auto(Raw) r = request ("PUT", hash_a, TRUE, NULL, NULL, body);

    assert_error_code (&r, 422, "hash_mismatch");
  }
  {
    g_auto(Raw) r = request ("HEAD", hash_a, TRUE, NULL, NULL, NULL);

    g_assert_cmpuint (status_of (&r), ==, 404);
    g_assert_null (header_of (&r, "Kontor-Upload-Offset"));
  }
  g_assert_false (g_file_test (stored, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  /* the right bytes under that name are fine afterwards */
  upload (a, hash_a);
  g_assert_true (g_file_test (stored, G_FILE_TEST_IS_REGULAR));
}

static void
test_refusals (void)
{
  static const char * const bad_names[] = {
    "abc", "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/x",
  };
  const char *good = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  g_autoptr(GBytes) small = g_bytes_new_static ("0123456789", 10);

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_auto(Raw) get = request ("GET", bad_names[i], TRUE, NULL, NULL, NULL);
      g_auto(Raw) put = request ("PUT", bad_names[i], TRUE, NULL, NULL, small);

      assert_error_code (&get, 400, "bad_hash");
      assert_error_code (&put, 400, "bad_hash");
    }

  {
    g_auto(Raw) head = request ("HEAD", good, FALSE, NULL, NULL, NULL);
    g_auto(Raw) get = request ("GET", good, FALSE, NULL, NULL, NULL);
    g_auto(Raw) put = request ("PUT", good, FALSE, NULL, NULL, small);
    g_auto(Raw) del = request ("DELETE", good, FALSE, NULL, NULL, NULL);

    g_assert_cmpuint (status_of (&head), ==, 401);
    assert_error_code (&get, 401, "unauthorized");
    assert_error_code (&put, 401, "unauthorized");
    assert_error_code (&del, 401, "unauthorized");
  }

  {
    /* the announced total decides, before any byte is stored */
    g_autofree char *range = g_strdup_printf ("bytes 0-9/%u", MAX_BLOB + 1);
    g_auto(Raw) r = request ("PUT", good, TRUE, "Content-Range", range, small);
    g_autofree char *partial = partial_path (good);

    assert_error_code (&r, 413, "too_large");
    g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  }
  {
    g_autofree guint8 *big = g_malloc0 (MAX_BLOB + 1);
    g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&big), MAX_BLOB + 1);
    g_auto(Raw) r = request ("PUT", good, TRUE, NULL, NULL, body);

    assert_error_code (&r, 413, "too_large");
  }
  {
    /* a range that does not match the body */
    g_auto(Raw) r = request ("PUT", good, TRUE, "Content-Range", "bytes 0-99/200", small);

    assert_error_code (&r, 400, "bad_range");
  }
  {
    g_auto(Raw) get = request ("GET", good, TRUE, NULL, NULL, NULL);
    g_auto(Raw) head = request ("HEAD", good, TRUE, NULL, NULL, NULL);

    assert_error_code (&get, 404, "not_found");
    g_assert_cmpuint (status_of (&head), ==, 404);
  }
}

static void
test_range (void)
{
  g_autofree char *hash = NULL;
  g_autoptr(GFile) file = make_file ("range.bin", 100 * KIB, 6, &hash);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  upload (file, hash);
  g_file_load_contents (file, NULL, &data, &len, NULL, &error);
  g_assert_no_error (error);

  {
    g_auto(Raw) r = request ("GET", hash, TRUE, "Range", "bytes=1000-1999", NULL);

    g_assert_cmpuint (status_of (&r), ==, 206);
    g_assert_cmpstr (header_of (&r, "Content-Range"), ==, "bytes 1000-1999/102400");
    g_assert_cmpmem (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body), data + 1000, 1000);
  }
  {
    g_auto(Raw) r = request ("GET", hash, TRUE, "Range", "bytes=102000-", NULL);

    g_assert_cmpuint (status_of (&r), ==, 206);
    g_assert_cmpmem (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body), data + 102000, 400);
  }
  {
    g_auto(Raw) r = request ("GET", hash, TRUE, "Range", "bytes=200000-", NULL);

    g_assert_cmpuint (status_of (&r), ==, 416);
  }
  {
    g_auto(Raw) r = request ("GET", hash, TRUE, NULL, NULL, NULL);

    g_assert_cmpuint (status_of (&r), ==, 200);
    g_assert_cmpstr (header_of (&r, "Content-Type"), ==, "application/octet-stream");
    g_assert_cmpmem (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body), data, len);
  }
}

static char *referenced_hash;

static void
push_photo (const char *hash)
{
  g_autofree char *auth = g_strconcat ("Bearer ", kontor_sync_client_get_token (client), NULL);
  g_autofree char *uri = g_strconcat (server->url, "sync/v1/register", NULL);
  g_autoptr(SoupMessage) reg = soup_message_new ("POST", uri);
  g_autoptr(SoupMessage) push = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gint64 replica;
  JsonObject *result;

  soup_message_headers_replace (soup_message_get_request_headers (reg), "Authorization", auth);
  {
    static const char reg_body[] = "{\"name\":\"blobs\",\"database_id\":\"b\"}";
    g_autoptr(GBytes) b = g_bytes_new_static (reg_body, strlen (reg_body));
    soup_message_set_request_body_from_bytes (reg, "application/json", b);
  }
  answer = soup_session_send_and_read (session, reg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (reg), ==, 200);
  node = kontor_test_parse_bytes (answer);
  replica = json_object_get_int_member (json_node_get_object (node), "replica_id");
  g_clear_pointer (&answer, g_bytes_unref);
  g_clear_pointer (&node, json_node_unref);

  body = g_strdup_printf (
    "{\"replica_id\":%" G_GINT64_FORMAT ",\"ops\":[{\"record\":\"blob-contact-1\","
    "\"kind\":\"contact\",\"dot\":[%" G_GINT64_FORMAT ",1],"
    "\"fields\":{\"last_name\":\"Photo\",\"photo\":\"%s\"},\"vv\":{\"%" G_GINT64_FORMAT "\":1}}]}",
    replica, replica, hash, replica);
  g_free (uri);
  uri = g_strconcat (server->url, "sync/v1/push", NULL);
  push = soup_message_new ("POST", uri);
  soup_message_headers_replace (soup_message_get_request_headers (push), "Authorization", auth);
  {
    g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
    soup_message_set_request_body_from_bytes (push, "application/json", b);
  }
  answer = soup_session_send_and_read (session, push, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (push), ==, 200);
  node = kontor_test_parse_bytes (answer);
  result = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (node), "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
}

static void
test_delete (void)
{
  g_autofree char *hash_x = NULL;
  g_autofree char *hash_y = NULL;
  g_autoptr(GFile) x = make_file ("photo.bin", 50 * KIB, 7, &hash_x);
  g_autoptr(GFile) y = make_file ("loose.bin", 50 * KIB, 8, &hash_y);
  g_autoptr(GError) error = NULL;

  upload (x, hash_x);
  upload (y, hash_y);
  push_photo (hash_x);
  referenced_hash = g_strdup (hash_x);

  {
    g_auto(Raw) r = request ("DELETE", hash_x, TRUE, NULL, NULL, NULL);

    assert_error_code (&r, 409, "referenced");
  }
  kontor_blob_delete (client, hash_x, NULL, &error);
  g_assert_error (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_REFUSED);
  g_clear_error (&error);
  {
    g_auto(Raw) r = request ("GET", hash_x, TRUE, NULL, NULL, NULL);

    g_assert_cmpuint (status_of (&r), ==, 200);
  }

  {
    g_auto(Raw) r = request ("DELETE", hash_y, TRUE, NULL, NULL, NULL);

    g_assert_cmpuint (status_of (&r), ==, 204);
  }
  {
    g_auto(Raw) get = request ("GET", hash_y, TRUE, NULL, NULL, NULL);
    g_auto(Raw) again = request ("DELETE", hash_y, TRUE, NULL, NULL, NULL);

    assert_error_code (&get, 404, "not_found");
    assert_error_code (&again, 404, "not_found");
  }
}

static void
test_gc (void)
{
  g_autofree char *hash_z = NULL;
  g_autoptr(GFile) z = make_file ("gc.bin", 10 * KIB, 9, &hash_z);
  g_autofree char *stored_z = stored_path (hash_z);
  g_autofree char *stored_ref = NULL;
  const char *stale_hash = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  const char *fresh_hash = "00000000000000000000000000000000000000000000000000000000000000aa";
  g_autofree char *stale = partial_path (stale_hash);
  g_autofree char *fresh = partial_path (fresh_hash);
  g_autoptr(GSubprocess) gc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 two_days_ago = g_get_real_time () / G_USEC_PER_SEC - 2 * 24 * 3600;
  struct utimbuf old = { two_days_ago, two_days_ago };

  g_assert_nonnull (referenced_hash);
  stored_ref = stored_path (referenced_hash);
  upload (z, hash_z);

  g_file_set_contents (stale, "half", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_utime (stale, &old), ==, 0);
  g_file_set_contents (fresh, "half", -1, &error);
  g_assert_no_error (error);

  /* the default minimum age spares files uploaded today */
  gc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, server->binary,
                         "--data-dir", server_dir, "admin", "blobs-gc", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (gc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (gc));
  g_assert_true (g_file_test (stored_z, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  g_clear_object (&gc);
  g_clear_pointer (&out, g_free);

  gc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, server->binary,
                         "--data-dir", server_dir, "--min-age", "0", "admin", "blobs-gc", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (gc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("blobs-gc: %s", out);
  g_assert_true (g_subprocess_get_successful (gc));
  g_assert_false (g_file_test (stored_z, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (stored_ref, G_FILE_TEST_IS_REGULAR));
  {
    g_auto(Raw) gone = request ("GET", hash_z, TRUE, NULL, NULL, NULL);
    g_auto(Raw) kept = request ("HEAD", referenced_hash, TRUE, NULL, NULL, NULL);

    g_assert_cmpuint (status_of (&gone), ==, 404);
    g_assert_cmpuint (status_of (&kept), ==, 200);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *max = g_strdup_printf ("%u", MAX_BLOB);
  const char *args[] = { "--max-blob-size", max, NULL };
  int rc;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_make_tmp ("kontor-blobs-XXXXXX", &error);
  g_assert_no_error (error);
  server_dir = g_build_filename (dir, "server", NULL);
  g_mkdir_with_parents (server_dir, 0700);
  server = kontor_test_server_start (server_dir, 0, args);
  session = soup_session_new ();
  client = kontor_sync_client_new (server->url);
  kontor_sync_client_login (client, "anna", "s3cret-pass", NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/blobs/roundtrip", test_roundtrip);
  g_test_add_func ("/blobs/resume-upload", test_resume_upload);
  g_test_add_func ("/blobs/resume-download", test_resume_download);
  g_test_add_func ("/blobs/wrong-hash", test_wrong_hash);
  g_test_add_func ("/blobs/refusals", test_refusals);
  g_test_add_func ("/blobs/range", test_range);
  g_test_add_func ("/blobs/delete", test_delete);
  g_test_add_func ("/blobs/gc", test_gc);
  rc = g_test_run ();

  kontor_test_server_free (server);
  g_clear_object (&client);
  g_clear_object (&session);
  kontor_test_rm_rf (dir);
  g_free (dir);
  g_free (server_dir);
  g_free (referenced_hash);
  return rc;
}
