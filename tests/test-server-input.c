/* test-server-input.c: hostile and broken requests to a real kontor-server
 *
 * Every bad request gets a clear 4xx with a JSON error, changes nothing,
 * and the server keeps serving.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "kontor-test-server.h"

static KontorTestServer *server;
static SoupSession *session;
static char *token_anna;
static char *token_bert;
static char *dir;

typedef struct
{
  guint       status;
  JsonObject *body;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->body, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static Answer
request (const char *method,
         const char *path,
         const char *token,
         const char *body,
         gsize       body_len)
{
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  Answer a = { 0 };

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, body_len ? body_len : strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  a.status = soup_message_get_status (msg);
  node = kontor_test_parse_bytes (bytes);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    a.body = json_object_ref (json_node_get_object (node));
  return a;
}

static void
assert_error (Answer     *a,
              guint       status,
              const char *code)
{
  g_assert_cmpuint (a->status, ==, status);
  g_assert_nonnull (a->body);
  g_assert_cmpstr (json_object_get_string_member (a->body, "error"), ==, code);
  g_assert_nonnull (json_object_get_string_member (a->body, "message"));
}

static gint64
server_seq (void)
{
  g_auto(Answer) a = request ("GET", "sync/v1/status", NULL, NULL, 0);

  g_assert_cmpuint (a.status, ==, 200);
  return json_object_get_int_member (a.body, "seq");
}

static char *
login (const char *user,
       const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"%s\"}", user, password);
  g_auto(Answer) a = request ("POST", "sync/v1/login", NULL, body, 0);

  g_assert_cmpuint (a.status, ==, 200);
  return g_strdup (json_object_get_string_member (a.body, "token"));
}

static gint64
register_replica (const char *token)
{
  g_auto(Answer) a = request ("POST", "sync/v1/register", token,
                              "{\"name\":\"test\",\"database_id\":\"x\"}", 0);

  g_assert_cmpuint (a.status, ==, 200);
  return json_object_get_int_member (a.body, "replica_id");
}

static void
test_malformed_bodies (void)
{
  static const char * const bodies[] = {
    "", "{", "[]", "null", "42", "\"x\"", "{\"replica_id\":\"1\",\"ops\":[]}",
    "{\"replica_id\":1}", "{\"replica_id\":1,\"ops\":{}}", "{\"replica_id\":-5,\"ops\":[]}",
    "{\"replica_id\":1,\"ops\":[42]}",
    "{\"replica_id\":1,\"ops\":[{\"record\":\"a\",\"kind\":\"contact\",\"dot\":[1],\"fields\":{\"x\":1},\"vv\":{\"1\":1}}]}",
    "{\"replica_id\":1,\"ops\":[{\"record\":\"a\",\"kind\":\"contact\",\"dot\":[1,0],\"fields\":{\"x\":1},\"vv\":{\"1\":0}}]}",
    "{\"replica_id\":1,\"ops\":[{\"record\":\"a b\",\"kind\":\"contact\",\"dot\":[1,1],\"fields\":{\"x\":1},\"vv\":{\"1\":1}}]}",
    "{\"replica_id\":1,\"ops\":[{\"record\":\"a\",\"kind\":\"contact\",\"dot\":[1,1],\"fields\":{},\"vv\":{\"1\":1}}]}",
    "{\"replica_id\":1,\"ops\":[{\"record\":\"a\",\"kind\":\"contact\",\"dot\":[1,1],\"fields\":{\"x\":1},\"vv\":{\"1\":7}}]}",
    "{\"replica_id\":1,\"ops\":[{\"record\":\"a\",\"kind\":\"contact\",\"dot\":[1,1],\"fields\":{\"x\":1},\"vv\":{\"-1\":1}}]}",
    "{\"replica_id\":1,\"ops\":[{\"record\":\"a\",\"kind\":\"contact\",\"dot\":[1,1.5],\"fields\":{\"x\":1},\"vv\":{\"1\":1}}]}",
    "\xff\xfe{}",
    /* found by fuzz-protocol: an op without "vv" crashed the decoder */
    "{\"replica_id\":1,\"ops\":[{\"record\":\"a\",\"kind\":\"contact\",\"dot\":[1,1],\"fields\":{\"x\":1},\"v+\":{\"1\":1}}]}",
  };
  gint64 before = server_seq ();

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_auto(Answer) a = request ("POST", "sync/v1/push", token_anna, bodies[i], 0);

      g_test_message ("body %u -> %u", i, a.status);
      g_assert_cmpuint (a.status, ==, 400);
      g_assert_nonnull (a.body);
      g_assert_nonnull (json_object_get_string_member (a.body, "message"));
    }
  {
    /* deeply nested JSON must not exhaust the stack */
    g_autoptr(GString) deep = g_string_new ("{\"replica_id\":1,\"ops\":");
    g_auto(Answer) a = { 0 };

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    a = request ("POST", "sync/v1/push", token_anna, deep->str, 0);
    g_assert_cmpuint (a.status, ==, 400);
  }
  g_assert_cmpint (server_seq (), ==, before);
}

static void
test_invalid_values_rejected (void)
{
  gint64 replica = register_replica (token_anna);
  g_autofree char *body = g_strdup_printf (
    "{\"replica_id\":%" G_GINT64_FORMAT ",\"ops\":["
    "{\"record\":\"r1\",\"kind\":\"spaceship\",\"dot\":[%" G_GINT64_FORMAT ",1],\"fields\":{\"x\":1},\"vv\":{\"%" G_GINT64_FORMAT "\":1}},"
    "{\"record\":\"r2\",\"kind\":\"contact\",\"dot\":[%" G_GINT64_FORMAT ",2],\"fields\":{\"last_name\":42},\"vv\":{\"%" G_GINT64_FORMAT "\":2}},"
    "{\"record\":\"r3\",\"kind\":\"contact\",\"dot\":[%" G_GINT64_FORMAT ",3],\"fields\":{\"hair\":\"red\"},\"vv\":{\"%" G_GINT64_FORMAT "\":3}},"
    "{\"record\":\"r4\",\"kind\":\"contact\",\"dot\":[%" G_GINT64_FORMAT ",4],\"fields\":{\"last_name\":\"Ok\"},\"vv\":{\"%" G_GINT64_FORMAT "\":4}}"
    "]}", replica, replica, replica, replica, replica, replica, replica, replica, replica);
  g_auto(Answer) a = request ("POST", "sync/v1/push", token_anna, body, 0);
  JsonArray *results;
  gint64 before_seq;

  g_assert_cmpuint (a.status, ==, 200);
  results = json_object_get_array_member (a.body, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "status"), ==, "rejected");
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (results, 0), "reason"), "spaceship"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1), "status"), ==, "rejected");
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (results, 1), "reason"), "last_name"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 2), "status"), ==, "rejected");
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (results, 2), "reason"), "hair"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 3), "status"), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (a.body, "applied_upto"), ==, 4);

  /* the same batch again: all duplicates, nothing changes */
  before_seq = server_seq ();
  {
    g_auto(Answer) again = request ("POST", "sync/v1/push", token_anna, body, 0);
    results = json_object_get_array_member (again.body, "results");
    for (guint i = 0; i < 4; i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i), "status"), ==, "duplicate");
  }
  g_assert_cmpint (server_seq (), ==, before_seq);
}

static void
test_tokens (void)
{
  gint64 before = server_seq ();
  gint64 bert_replica = register_replica (token_bert);
  g_autofree char *body = g_strdup_printf (
    "{\"replica_id\":%" G_GINT64_FORMAT ",\"ops\":[{\"record\":\"t1\",\"kind\":\"contact\","
    "\"dot\":[%" G_GINT64_FORMAT ",1],\"fields\":{\"last_name\":\"X\"},\"vv\":{\"%" G_GINT64_FORMAT "\":1}}]}",
    bert_replica, bert_replica, bert_replica);

  {
    g_auto(Answer) a = request ("GET", "sync/v1/changes?since=0", NULL, NULL, 0);
    assert_error (&a, 401, "unauthorized");
  }
  {
    g_auto(Answer) a = request ("GET", "sync/v1/changes?since=0", "forged-token-AAAAAAAAAAAAAAAAAAAA", NULL, 0);
    assert_error (&a, 401, "invalid_token");
  }
  {
    /* anna pushes into bert's replica */
    g_auto(Answer) a = request ("POST", "sync/v1/push", token_anna, body, 0);
    assert_error (&a, 403, "not_your_replica");
  }
  {
    g_auto(Answer) a = request ("GET", "sync/v1/changes?since=abc", token_anna, NULL, 0);
    assert_error (&a, 400, "malformed");
  }
  {
    g_auto(Answer) a = request ("GET", "sync/v1/changes?limit=999999", token_anna, NULL, 0);
    assert_error (&a, 400, "malformed");
  }
  {
    g_auto(Answer) a = request ("GET", "sync/v1/push", token_anna, NULL, 0);
    assert_error (&a, 405, "method");
  }
  /* a token that was signed out is dead */
  {
    g_autofree char *t = login ("bert", "bert-password");
    g_auto(Answer) out = request ("POST", "sync/v1/logout", t, "{}", 0);
    g_auto(Answer) a = request ("GET", "sync/v1/changes", t, NULL, 0);

    g_assert_cmpuint (out.status, ==, 200);
    assert_error (&a, 401, "invalid_token");
  }
  g_assert_cmpint (server_seq (), ==, before);
}

static void
test_expired_token (void)
{
  g_autofree char *expiring_dir = g_build_filename (dir, "expiring", NULL);
  KontorTestServer *main_server = server;
  g_autofree char *t = NULL;

  server = kontor_test_server_start (expiring_dir, 0,
                                     (const char * const[]) { "--token-lifetime", "1", NULL });
  t = login ("anna", "s3cret-pass");
  {
    g_auto(Answer) a = request ("GET", "sync/v1/changes", t, NULL, 0);
    g_assert_cmpuint (a.status, ==, 200);
  }
  g_usleep (2100000);
  {
    g_auto(Answer) a = request ("GET", "sync/v1/changes", t, NULL, 0);
    assert_error (&a, 401, "invalid_token");
  }
  kontor_test_server_free (server);
  server = main_server;
}

static void
test_oversized (void)
{
  gsize len = 17 * 1024 * 1024;
  g_autofree char *huge = g_malloc (len + 1);
  gint64 before = server_seq ();

  memset (huge, ' ', len);
  huge[0] = '{';
  huge[len - 1] = '}';
  huge[len] = '\0';
  {
    g_auto(Answer) a = request ("POST", "sync/v1/push", token_anna, huge, len);
    assert_error (&a, 413, "too_large");
  }
  g_assert_cmpint (server_seq (), ==, before);
}

static void
test_login_rate_limit (void)
{
  for (guint i = 0; i < 5; i++)
    {
      g_auto(Answer) a = request ("POST", "sync/v1/login", NULL,
                                  "{\"user\":\"carla\",\"password\":\"guess\"}", 0);
      assert_error (&a, 401, "invalid_credentials");
    }
  {
    /* even the right password waits now */
    g_auto(Answer) a = request ("POST", "sync/v1/login", NULL,
                                "{\"user\":\"carla\",\"password\":\"carla-password\"}", 0);
    assert_error (&a, 429, "rate_limited");
  }
  {
    /* other users are not affected */
    g_autofree char *t = login ("anna", "s3cret-pass");
    g_assert_nonnull (t);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server_dir = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_make_tmp ("kontor-server-input-XXXXXX", &error);
  g_assert_no_error (error);
  server_dir = g_build_filename (dir, "server", NULL);
  g_mkdir_with_parents (server_dir, 0700);
  kontor_test_add_user (server_dir, "anna", "s3cret-pass");
  kontor_test_add_user (server_dir, "bert", "bert-password");
  kontor_test_add_user (server_dir, "carla", "carla-password");
  server = kontor_test_server_start (server_dir, 0, NULL);
  session = soup_session_new ();
  token_anna = login ("anna", "s3cret-pass");
  token_bert = login ("bert", "bert-password");

  g_test_add_func ("/server-input/malformed-bodies", test_malformed_bodies);
  g_test_add_func ("/server-input/invalid-values-rejected", test_invalid_values_rejected);
  g_test_add_func ("/server-input/tokens", test_tokens);
  g_test_add_func ("/server-input/expired-token", test_expired_token);
  g_test_add_func ("/server-input/oversized", test_oversized);
  g_test_add_func ("/server-input/login-rate-limit", test_login_rate_limit);
  rc = g_test_run ();

  /* after all that, the server still answers */
  g_assert_cmpint (server_seq (), >=, 0);

  kontor_test_server_free (server);
  g_clear_object (&session);
  kontor_test_rm_rf (dir);
  g_free (dir);
  g_free (token_anna);
  g_free (token_bert);
  return rc;
}
