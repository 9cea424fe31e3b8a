/* test-version-vector.c: dots, version vectors and the sync layer's JSON
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "kontor-version-vector.h"

/* Helpers ----------------------------------------------------------------- */

static KontorVersionVector *
vv_parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  KontorVersionVector *vv = kontor_version_vector_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (vv);

  return vv;
}

static void
assert_vv_string (const KontorVersionVector *vv,
                  const char                *expected)
{
  g_autofree char *str = kontor_version_vector_to_string (vv);

  g_assert_cmpstr (str, ==, expected);
}

static guint32
test_seed (void)
{
  const char *env = g_getenv ("KONTOR_SEED");
  guint64 seed;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 0, G_MAXUINT32, &seed, NULL))
    return (guint32) seed;

  return g_random_int ();
}

/* Dots -------------------------------------------------------------------- */

static void
test_dot_compare (void)
{
  KontorDot a = { 1, 5 };
  KontorDot b = { 2, 5 };
  KontorDot c = { 9, 4 };
  KontorDot d = { 1, 5 };
  KontorDot big = { G_MAXUINT32, G_MAXUINT64 };

  /* counter first, then replica */
  g_assert_cmpint (kontor_dot_compare (&a, &b), <, 0);
  g_assert_cmpint (kontor_dot_compare (&b, &a), >, 0);
  g_assert_cmpint (kontor_dot_compare (&c, &a), <, 0);
  g_assert_cmpint (kontor_dot_compare (&a, &c), >, 0);
  g_assert_cmpint (kontor_dot_compare (&a, &d), ==, 0);
  g_assert_cmpint (kontor_dot_compare (&big, &a), >, 0);
  g_assert_cmpint (kontor_dot_compare (&a, &big), <, 0);

  g_assert_true (kontor_dot_equal (&a, &d));
  g_assert_false (kontor_dot_equal (&a, &b));
  g_assert_false (kontor_dot_equal (&a, &c));
}

/* Basic operations -------------------------------------------------------- */

static void
test_vv_basic (void)
{
  g_autoptr(KontorVersionVector) vv = kontor_version_vector_new ();
  g_autoptr(KontorVersionVector) copy = NULL;

  g_assert_cmpuint (kontor_version_vector_size (vv), ==, 0);
  g_assert_cmpuint (kontor_version_vector_get (vv, 0), ==, 0);
  g_assert_cmpuint (kontor_version_vector_get (vv, 7), ==, 0);
  assert_vv_string (vv, "{}");

  kontor_version_vector_set (vv, 7, 12);
  kontor_version_vector_set (vv, 1, 3);
  g_assert_cmpuint (kontor_version_vector_size (vv), ==, 2);
  g_assert_cmpuint (kontor_version_vector_get (vv, 1), ==, 3);
  g_assert_cmpuint (kontor_version_vector_get (vv, 7), ==, 12);
  g_assert_cmpuint (kontor_version_vector_get (vv, 4), ==, 0);
  assert_vv_string (vv, "{\"1\":3,\"7\":12}");

  /* overwrite, also downwards: set is not a max */
  kontor_version_vector_set (vv, 7, 2);
  g_assert_cmpuint (kontor_version_vector_get (vv, 7), ==, 2);

  /* 0 removes */
  kontor_version_vector_set (vv, 7, 0);
  g_assert_cmpuint (kontor_version_vector_size (vv), ==, 1);
  g_assert_cmpuint (kontor_version_vector_get (vv, 7), ==, 0);
  kontor_version_vector_set (vv, 8, 0);
  g_assert_cmpuint (kontor_version_vector_size (vv), ==, 1);
  assert_vv_string (vv, "{\"1\":3}");

  /* numeric, not string order */
  kontor_version_vector_set (vv, 10, 1);
  kontor_version_vector_set (vv, 9, 1);
  kontor_version_vector_set (vv, 0, 5);
  kontor_version_vector_set (vv, 100, 1);
  assert_vv_string (vv, "{\"0\":5,\"1\":3,\"9\":1,\"10\":1,\"100\":1}");

  copy = kontor_version_vector_copy (vv);
  g_assert_true (kontor_version_vector_equal (vv, copy));
  kontor_version_vector_set (copy, 9, 2);
  g_assert_false (kontor_version_vector_equal (vv, copy));
  g_assert_cmpuint (kontor_version_vector_get (vv, 9), ==, 1);
}

static void
test_vv_limits (void)
{
  g_autoptr(KontorVersionVector) vv = kontor_version_vector_new ();
  g_autoptr(KontorVersionVector) back = NULL;
  g_autofree char *str = NULL;

  kontor_version_vector_set (vv, G_MAXUINT32, G_MAXINT64);
  kontor_version_vector_set (vv, 0, 1);
  str = kontor_version_vector_to_string (vv);
  g_assert_cmpstr (str, ==, "{\"0\":1,\"4294967295\":9223372036854775807}");

  back = vv_parse (str);
  g_assert_true (kontor_version_vector_equal (vv, back));
  g_assert_cmpuint (kontor_version_vector_get (back, G_MAXUINT32), ==, G_MAXINT64);
}

static void
test_vv_set_too_big (void)
{
  g_autoptr(KontorVersionVector) vv = kontor_version_vector_new ();

  g_test_expect_message ("kontor-sync", G_LOG_LEVEL_CRITICAL, "*counter <= G_MAXINT64*");
  kontor_version_vector_set (vv, 1, (guint64) G_MAXINT64 + 1);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (kontor_version_vector_size (vv), ==, 0);
}

static void
test_vv_covers (void)
{
  g_autoptr(KontorVersionVector) vv = vv_parse ("{\"1\":3,\"7\":12}");
  KontorDot d;

  d = (KontorDot) { 1, 3 };
  g_assert_true (kontor_version_vector_covers (vv, &d));
  d = (KontorDot) { 1, 1 };
  g_assert_true (kontor_version_vector_covers (vv, &d));
  d = (KontorDot) { 1, 4 };
  g_assert_false (kontor_version_vector_covers (vv, &d));
  d = (KontorDot) { 7, 12 };
  g_assert_true (kontor_version_vector_covers (vv, &d));
  d = (KontorDot) { 2, 1 };
  g_assert_false (kontor_version_vector_covers (vv, &d));
  /* a counter of 0 is covered by anything */
  d = (KontorDot) { 2, 0 };
  g_assert_true (kontor_version_vector_covers (vv, &d));
}

static void
test_vv_merge (void)
{
  g_autoptr(KontorVersionVector) a = vv_parse ("{\"1\":3,\"2\":7,\"5\":1}");
  g_autoptr(KontorVersionVector) b = vv_parse ("{\"0\":4,\"2\":9,\"5\":1,\"6\":2}");
  g_autoptr(KontorVersionVector) empty = kontor_version_vector_new ();

  kontor_version_vector_merge (a, b);
  assert_vv_string (a, "{\"0\":4,\"1\":3,\"2\":9,\"5\":1,\"6\":2}");
  assert_vv_string (b, "{\"0\":4,\"2\":9,\"5\":1,\"6\":2}");

  /* idempotent, with self, with empty */
  kontor_version_vector_merge (a, b);
  kontor_version_vector_merge (a, a);
  kontor_version_vector_merge (a, empty);
  assert_vv_string (a, "{\"0\":4,\"1\":3,\"2\":9,\"5\":1,\"6\":2}");

  kontor_version_vector_merge (empty, b);
  g_assert_true (kontor_version_vector_equal (empty, b));
}

static void
test_vv_compare (void)
{
  static const struct {
    const char    *a;
    const char    *b;
    KontorVvOrder  order;
  } cases[] = {
    { "{}", "{}", KONTOR_VV_EQUAL },
    { "{\"1\":3}", "{\"1\":3}", KONTOR_VV_EQUAL },
    { "{}", "{\"1\":1}", KONTOR_VV_BEFORE },
    { "{\"1\":1}", "{}", KONTOR_VV_AFTER },
    { "{\"1\":3}", "{\"1\":4}", KONTOR_VV_BEFORE },
    { "{\"1\":4}", "{\"1\":3}", KONTOR_VV_AFTER },
    { "{\"1\":3}", "{\"1\":3,\"2\":1}", KONTOR_VV_BEFORE },
    { "{\"1\":3,\"2\":1}", "{\"1\":3}", KONTOR_VV_AFTER },
    { "{\"1\":3}", "{\"2\":3}", KONTOR_VV_CONCURRENT },
    { "{\"1\":4,\"2\":1}", "{\"1\":3,\"2\":2}", KONTOR_VV_CONCURRENT },
    { "{\"1\":4}", "{\"1\":3,\"2\":2}", KONTOR_VV_CONCURRENT },
    { "{\"0\":1,\"9\":5}", "{\"0\":1,\"5\":1,\"9\":5}", KONTOR_VV_BEFORE },
    { "{\"0\":1,\"5\":1,\"9\":4}", "{\"0\":1,\"9\":5}", KONTOR_VV_CONCURRENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KontorVersionVector) a = vv_parse (cases[i].a);
      g_autoptr(KontorVersionVector) b = vv_parse (cases[i].b);
      KontorVvOrder reverse;

      g_test_message ("compare %s %s", cases[i].a, cases[i].b);
      g_assert_cmpint (kontor_version_vector_compare (a, b), ==, cases[i].order);

      switch (cases[i].order)
        {
        case KONTOR_VV_BEFORE: reverse = KONTOR_VV_AFTER; break;
        case KONTOR_VV_AFTER: reverse = KONTOR_VV_BEFORE; break;
        case KONTOR_VV_EQUAL:
        case KONTOR_VV_CONCURRENT:
        default:
          reverse = cases[i].order;
          break;
        }
      g_assert_cmpint (kontor_version_vector_compare (b, a), ==, reverse);
      g_assert_cmpint (kontor_version_vector_equal (a, b), ==, cases[i].order == KONTOR_VV_EQUAL);
    }
}

/* Against a dense reference model, with random vectors. */
#define REF_REPLICAS 6

static void
random_vv (GRand               *rand,
           KontorVersionVector *vv,
           guint64             *ref)
{
  for (guint r = 0; r < REF_REPLICAS; r++)
    {
      /* sparse: most entries missing; small counters so that ties happen */
      ref[r] = g_rand_int_range (rand, 0, 3) == 0 ? (guint64) g_rand_int_range (rand, 1, 4) : 0;
    }

  /* insert in a random order so that sorting is exercised */
  for (guint k = 0; k < 2 * REF_REPLICAS; k++)
    {
      guint r = g_rand_int_range (rand, 0, REF_REPLICAS);

      kontor_version_vector_set (vv, r * 1000, ref[r]);
    }
  for (guint r = 0; r < REF_REPLICAS; r++)
    kontor_version_vector_set (vv, r * 1000, ref[r]);
}

static void
test_vv_random (void)
{
  guint32 seed = test_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  g_test_message ("seed %u (replay with KONTOR_SEED=%u)", seed, seed);

  for (guint n = 0; n < 5000; n++)
    {
      g_autoptr(KontorVersionVector) a = kontor_version_vector_new ();
      g_autoptr(KontorVersionVector) b = kontor_version_vector_new ();
      g_autoptr(KontorVersionVector) m = NULL;
      g_autoptr(KontorVersionVector) back = NULL;
      g_autofree char *str = NULL;
      guint64 ra[REF_REPLICAS];
      guint64 rb[REF_REPLICAS];
      gboolean a_ahead = FALSE;
      gboolean b_ahead = FALSE;
      KontorVvOrder expected;
      guint size = 0;

      random_vv (rand, a, ra);
      random_vv (rand, b, rb);

      for (guint r = 0; r < REF_REPLICAS; r++)
        {
          a_ahead |= ra[r] > rb[r];
          b_ahead |= rb[r] > ra[r];
          size += ra[r] != 0;
          g_assert_cmpuint (kontor_version_vector_get (a, r * 1000), ==, ra[r]);
        }
      g_assert_cmpuint (kontor_version_vector_size (a), ==, size);

      if (a_ahead && b_ahead)
        expected = KONTOR_VV_CONCURRENT;
      else if (a_ahead)
        expected = KONTOR_VV_AFTER;
      else if (b_ahead)
        expected = KONTOR_VV_BEFORE;
      else
        expected = KONTOR_VV_EQUAL;

      if (kontor_version_vector_compare (a, b) != expected)
        g_error ("KONTOR_SEED=%u case %u: compare gave %d, expected %d",
                 seed, n, kontor_version_vector_compare (a, b), expected);

      m = kontor_version_vector_copy (a);
      kontor_version_vector_merge (m, b);
      for (guint r = 0; r < REF_REPLICAS; r++)
        g_assert_cmpuint (kontor_version_vector_get (m, r * 1000), ==, MAX (ra[r], rb[r]));

      /* the merge is an upper bound of both */
      g_assert_cmpint (kontor_version_vector_compare (a, m), !=, KONTOR_VV_AFTER);
      g_assert_cmpint (kontor_version_vector_compare (a, m), !=, KONTOR_VV_CONCURRENT);
      g_assert_cmpint (kontor_version_vector_compare (b, m), !=, KONTOR_VV_AFTER);
      g_assert_cmpint (kontor_version_vector_compare (b, m), !=, KONTOR_VV_CONCURRENT);

      str = kontor_version_vector_to_string (a);
      back = vv_parse (str);
      g_assert_true (kontor_version_vector_equal (a, back));
      {
        g_autoptr(JsonNode) node = kontor_version_vector_to_json (a);
        g_autofree char *node_str = kontor_sync_json_to_string (node);

        g_assert_cmpstr (node_str, ==, str);
      }
    }
}

/* JSON of vectors ---------------------------------------------------------- */

static void
test_vv_json_accepts (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "{}", "{}" },
    { " { \"1\" : 3 , \"7\":12 } ", "{\"1\":3,\"7\":12}" },
    { "{\"7\":12,\"1\":3}", "{\"1\":3,\"7\":12}" },
    { "{\"0\":1}", "{\"0\":1}" },
    /* 0 means no entry */
    { "{\"3\":0,\"4\":1}", "{\"4\":1}" },
    { "{\"4294967295\":9223372036854775807}", "{\"4294967295\":9223372036854775807}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KontorVersionVector) vv = vv_parse (cases[i].in);

      assert_vv_string (vv, cases[i].out);
    }
}

static void
test_vv_json_refuses (void)
{
  static const struct {
    const char *json;
    const char *message;   /* a part of the expected message */
  } cases[] = {
    { "[]", "not a JSON object" },
    { "[1,2]", "not a JSON object" },
    { "3", "not a JSON object" },
    { "null", "not a JSON object" },
    { "\"{}\"", "not a JSON object" },
    { "true", "not a JSON object" },
    { "{\"-1\":3}", "“-1” is not a replica id" },
    { "{\"1x\":3}", "“1x” is not a replica id" },
    { "{\"\":3}", "“” is not a replica id" },
    { "{\"x\":3}", "“x” is not a replica id" },
    { "{\" 1\":3}", "“ 1” is not a replica id" },
    { "{\"1 \":3}", "“1 ” is not a replica id" },
    { "{\"+1\":3}", "“+1” is not a replica id" },
    { "{\"01\":3}", "“01” is not a replica id" },
    { "{\"00\":3}", "“00” is not a replica id" },
    { "{\"1.0\":3}", "“1.0” is not a replica id" },
    { "{\"0x1\":3}", "“0x1” is not a replica id" },
    { "{\"4294967296\":3}", "“4294967296” is not a replica id" },
    { "{\"99999999999\":3}", "“99999999999” is not a replica id" },
    { "{\"18446744073709551617\":3}", "is not a replica id" },
    { "{\"1\":-1}", "counter of replica 1 is negative" },
    { "{\"1\":-9223372036854775808}", "counter of replica 1 is negative" },
    { "{\"1\":3.0}", "counter of replica 1 is not a JSON integer" },
    { "{\"1\":3.5}", "counter of replica 1 is not a JSON integer" },
    { "{\"1\":1e3}", "counter of replica 1 is not a JSON integer" },
    { "{\"1\":\"3\"}", "counter of replica 1 is not a JSON integer" },
    { "{\"1\":true}", "counter of replica 1 is not a JSON integer" },
    { "{\"1\":null}", "counter of replica 1 is not a JSON integer" },
    { "{\"1\":[3]}", "counter of replica 1 is not a JSON integer" },
    { "{\"1\":{}}", "counter of replica 1 is not a JSON integer" },
    { "{\"1\":9223372036854775808}", "integer out of range" },
    { "{\"1\":18446744073709551617}", "integer out of range" },
    { "{\"1\":99999999999999999999999}", "integer out of range" },
    { "{\"1\":3,\"1\":4}", "duplicate member “1”" },
    { "{\"1\":3", "expected “,” or “}”" },
    { "", "unexpected end of text" },
    { "{\"1\":3}x", "trailing characters" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KontorVersionVector) vv = NULL;

      vv = kontor_version_vector_from_string (cases[i].json, &error);
      g_assert_null (vv);
      g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("input %s: message “%s” does not contain “%s”",
                 cases[i].json, error->message, cases[i].message);
    }
}

/* Nodes built in code, not parsed: every JSON type as a counter. */
static void
test_vv_json_nodes (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) array_node = json_node_init_array (json_node_alloc (), array);
  g_autoptr(JsonNode) null_node = json_node_init_null (json_node_alloc ());
  g_autoptr(JsonNode) int_node = json_node_init_int (json_node_alloc (), 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorVersionVector) vv = NULL;
  JsonNode *refused[] = { array_node, null_node, int_node };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      vv = kontor_version_vector_from_json (refused[i], &error);
      g_assert_null (vv);
      g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
      g_clear_error (&error);
    }

  json_object_set_double_member (object, "2", 2.0);
  node = json_node_init_object (json_node_alloc (), object);
  vv = kontor_version_vector_from_json (node, &error);
  g_assert_null (vv);
  g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "replica 2 is not a JSON integer"));
  g_clear_error (&error);

  json_object_set_int_member (object, "2", 2);
  json_object_set_boolean_member (object, "3", TRUE);
  vv = kontor_version_vector_from_json (node, &error);
  g_assert_null (vv);
  g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
  g_clear_error (&error);

  json_object_remove_member (object, "3");
  json_object_set_int_member (object, "9", G_MININT64);
  vv = kontor_version_vector_from_json (node, &error);
  g_assert_null (vv);
  g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
  g_clear_error (&error);

  json_object_set_int_member (object, "9", 9);
  vv = kontor_version_vector_from_json (node, &error);
  g_assert_no_error (error);
  assert_vv_string (vv, "{\"2\":2,\"9\":9}");
}

static void
test_vv_boxed (void)
{
  g_autoptr(KontorVersionVector) vv = vv_parse ("{\"3\":4}");
  KontorVersionVector *copy;
  GType type = kontor_version_vector_get_type ();

  g_assert_true (G_TYPE_IS_BOXED (type));
  g_assert_cmpstr (g_type_name (type), ==, "KontorVersionVector");
  copy = g_boxed_copy (type, vv);
  g_assert_true (copy != vv);
  g_assert_true (kontor_version_vector_equal (copy, vv));
  g_boxed_free (type, copy);

  g_assert_cmpstr (g_quark_to_string (KONTOR_SYNC_ERROR), ==, "kontor-sync-error-quark");
}

/* Strict JSON ------------------------------------------------------------- */

static char *
reserialise (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = kontor_sync_json_parse (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return kontor_sync_json_to_string (node);
}

static void
test_json_accepts (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "null", "null" },
    { " true ", "true" },
    { "\tfalse\r\n", "false" },
    { "0", "0" },
    { "-0", "0" },          /* an integer: -0 is 0 */
    { "-0.0", "-0.0" },     /* a double keeps its sign */
    { "1.0", "1.0" },
    { "1.5e3", "1500.0" },
    { "1E2", "100.0" },
    { "1e-2", "0.01" },
    { "0.1", "0.1" },
    { "1e300", "1e+300" },
    { "5e-324", "4.94065645841247e-324" },
    { "2.5e-324", "4.94065645841247e-324" },   /* rounds to the smallest subnormal */
    { "0.30000000000000004", "0.30000000000000004" },
    { "1e-400", "0.0" },                       /* underflows to 0 */
    { "1e17", "1e+17" },
    { "123456789012345678", "123456789012345678" },
    { "9223372036854775807", "9223372036854775807" },
    { "-9223372036854775808", "-9223372036854775808" },
    { "\"\"", "\"\"" },
    { "\"a\\\"b\\\\c\\/d\"", "\"a\\\"b\\\\c/d\"" },
    { "\"\\b\\f\\n\\r\\t\"", "\"\\b\\f\\n\\r\\t\"" },
    { "\"\\u0001\\u001f\\u007f\"", "\"\\u0001\\u001f\x7f\"" },
    { "\"\\u00fc\\u20ac\"", "\"ü€\"" },
    { "\"\\ud83d\\ude00\"", "\"😀\"" },
    { "\"Müller\"", "\"Müller\"" },
    { "[]", "[]" },
    { "[ 1 , [ ] , { } ]", "[1,[],{}]" },
    { "{}", "{}" },
    /* member order is kept as written */
    { "{\"b\":1,\"a\":[true,null]}", "{\"b\":1,\"a\":[true,null]}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = reserialise (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_json_refuses (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "", "unexpected end of text" },
    { "   ", "unexpected end of text" },
    { "nul", "unexpected character" },
    { "True", "unexpected character" },
    { "NaN", "unexpected character" },
    { "Infinity", "unexpected character" },
    { "-Infinity", "bad number" },
    { "+1", "unexpected character" },
    { "01", "trailing characters" },
    { "0x10", "trailing characters" },
    { ".5", "unexpected character" },
    { "1.", "bad number" },
    { "1.e3", "bad number" },
    { "1e", "bad number" },
    { "1e+", "bad number" },
    { "-", "bad number" },
    { "1e400", "number out of range" },
    { "-1e400", "number out of range" },
    { "9223372036854775808", "integer out of range" },
    { "-9223372036854775809", "integer out of range" },
    { "18446744073709551617", "integer out of range" },
    { "[1,]", "unexpected character" },
    { "[1 2]", "expected “,” or “]”" },
    { "{\"a\":1,}", "expected a member name" },
    { "{\"a\" 1}", "expected “:”" },
    { "{a:1}", "expected a member name" },
    { "{'a':1}", "expected a member name" },
    { "['a']", "unexpected character" },
    { "{\"a\":1,\"a\":2}", "duplicate member “a”" },
    { "/* c */ 1", "unexpected character" },
    { "1 // c", "trailing characters" },
    { "var x = 1", "unexpected character" },
    { "[1] [2]", "trailing characters" },
    { "\"abc", "unterminated string" },
    { "\"a\nb\"", "control character in string" },
    { "\"a\tb\"", "control character in string" },
    { "\"\\x41\"", "unknown escape" },
    { "\"\\u12\"", "bad \\u escape" },
    { "\"\\u12G4\"", "bad \\u escape" },
    { "\"\\u0000\"", "\\u0000 is not allowed" },
    { "\"\\ud800\"", "lone surrogate" },
    { "\"\\ud800x\"", "lone surrogate" },
    { "\"\\ud800\\u0041\"", "lone surrogate" },
    { "\"\\udc00\"", "lone surrogate" },
    { "\"\xff\"", "not valid UTF-8" },
    { "\"\xc3\"", "not valid UTF-8" },
    { "\"\xed\xa0\x80\"", "not valid UTF-8" },   /* an encoded surrogate */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = kontor_sync_json_parse (cases[i].json, &error);

      g_assert_null (node);
      g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("input %s: message “%s” does not contain “%s”",
                 cases[i].json, error->message, cases[i].message);
    }
}

static void
test_json_depth (void)
{
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < KONTOR_SYNC_JSON_MAX_DEPTH; i++)
    g_string_append (ok, i % 2 ? "[" : "{\"a\":");
  for (guint i = KONTOR_SYNC_JSON_MAX_DEPTH; i > 0; i--)
    g_string_append (ok, (i - 1) % 2 ? "]" : "}");

  node = kontor_sync_json_parse (ok->str, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  {
    g_autofree char *back = kontor_sync_json_to_string (node);

    g_assert_cmpstr (back, ==, ok->str);
  }

  g_string_append_printf (deep, "[%s]", ok->str);
  g_clear_pointer (&node, json_node_unref);
  node = kontor_sync_json_parse (deep->str, &error);
  g_assert_null (node);
  g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
  g_clear_error (&error);

  /* json-glib's own parser would overflow the stack here */
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (huge, '[');
  node = kontor_sync_json_parse (huge->str, &error);
  g_assert_null (node);
  g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
}

/* Random bits, including subnormals; non-finite ones are skipped. */
static double
random_double (GRand *rand)
{
  guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
  double d;

  memcpy (&d, &bits, sizeof d);

  return d;
}

static void
assert_double_round_trip (double d)
{
  g_autoptr(JsonNode) node = json_node_init_double (json_node_alloc (), d);
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *str = kontor_sync_json_to_string (node);
  double got;
  JsonNode *root;

  back = kontor_sync_json_parse (str, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_value_type (back), ==, G_TYPE_DOUBLE);
  got = json_node_get_double (back);
  if (memcmp (&got, &d, sizeof d) != 0)
    g_error ("%.17g written as %s read back as %.17g", d, str, got);

  /* json-glib's own parser reads it back identically too */
  g_assert_true (json_parser_load_from_data (parser, str, -1, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_cmpint (json_node_get_value_type (root), ==, G_TYPE_DOUBLE);
  got = json_node_get_double (root);
  if (memcmp (&got, &d, sizeof d) != 0)
    g_error ("%.17g written as %s read back by JsonParser as %.17g", d, str, got);
}

static void
test_json_doubles (void)
{
  static const double fixed[] = {
    0.0, -0.0, 0.1, 0.2, 0.30000000000000004, 1.0, -1.0, 1.5, 100.0, 1e16, 1e17, 1e21,
    1e22, 1e23, 1e300, -1e300, 5e-324, -5e-324, 2.2250738585072009e-308,
    DBL_MIN, DBL_MAX, -DBL_MAX, DBL_EPSILON, 9007199254740993.0, 9007199254740992.0,
    4503599627370496.5, 123456789.123456789, 1.0 / 3.0, 2.0 / 3.0, G_PI, G_E,
    9223372036854775807.0, -9223372036854775808.0,
  };
  guint32 seed = test_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *minus_zero = NULL;
  g_autoptr(JsonNode) node = json_node_init_double (json_node_alloc (), -0.0);

  g_test_message ("seed %u (replay with KONTOR_SEED=%u)", seed, seed);

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    assert_double_round_trip (fixed[i]);

  for (guint i = 0; i < 20000; i++)
    {
      double d = random_double (rand);

      if (isfinite (d))
        assert_double_round_trip (d);
      /* and the doubles an application is more likely to hold */
      assert_double_round_trip (g_rand_double_range (rand, -1e6, 1e6));
      assert_double_round_trip ((double) g_rand_int_range (rand, -1000000, 1000000) / 100.0);
    }

  minus_zero = kontor_sync_json_to_string (node);
  g_assert_cmpstr (minus_zero, ==, "-0.0");
}

static void
test_json_integers (void)
{
  static const gint64 fixed[] = {
    0, 1, -1, G_MAXINT32, G_MININT32, (gint64) 1 << 53, ((gint64) 1 << 53) + 1,
    G_MAXINT64, G_MAXINT64 - 1, G_MININT64, G_MININT64 + 1,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    {
      g_autoptr(JsonNode) node = json_node_init_int (json_node_alloc (), fixed[i]);
      g_autoptr(JsonNode) back = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *str = kontor_sync_json_to_string (node);
      g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, fixed[i]);

      g_assert_cmpstr (str, ==, expected);
      back = kontor_sync_json_parse (str, &error);
      g_assert_no_error (error);
      g_assert_cmpint (json_node_get_value_type (back), ==, G_TYPE_INT64);
      g_assert_cmpint (json_node_get_int (back), ==, fixed[i]);
    }
}

static void
test_json_strings (void)
{
  guint32 seed = test_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  g_test_message ("seed %u (replay with KONTOR_SEED=%u)", seed, seed);

  /* every code point class: controls, quotes, backslash, DEL, 2-4 byte UTF-8 */
  for (guint n = 0; n < 2000; n++)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonNode) back = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *str = NULL;
      guint len = g_rand_int_range (rand, 0, 12);

      for (guint i = 0; i < len; i++)
        {
          gunichar c;

          switch (g_rand_int_range (rand, 0, 5))
            {
            case 0: c = g_rand_int_range (rand, 1, 0x20); break;
            case 1: c = "\"\\/\x7f"[g_rand_int_range (rand, 0, 4)]; break;
            case 2: c = g_rand_int_range (rand, 0x20, 0x7f); break;
            case 3: c = g_rand_int_range (rand, 0x80, 0xd800); break;
            default: c = g_rand_int_range (rand, 0xe000, 0x110000); break;
            }
          if (!g_unichar_validate (c))
            c = 'x';
          g_string_append_unichar (s, c);
        }

      node = json_node_init_string (json_node_alloc (), s->str);
      str = kontor_sync_json_to_string (node);
      back = kontor_sync_json_parse (str, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_node_get_string (back), ==, s->str);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/version-vector/dot/compare", test_dot_compare);
  g_test_add_func ("/version-vector/basic", test_vv_basic);
  g_test_add_func ("/version-vector/limits", test_vv_limits);
  g_test_add_func ("/version-vector/set-too-big", test_vv_set_too_big);
  g_test_add_func ("/version-vector/covers", test_vv_covers);
  g_test_add_func ("/version-vector/merge", test_vv_merge);
  g_test_add_func ("/version-vector/compare", test_vv_compare);
  g_test_add_func ("/version-vector/random", test_vv_random);
  g_test_add_func ("/version-vector/json/accepts", test_vv_json_accepts);
  g_test_add_func ("/version-vector/json/refuses", test_vv_json_refuses);
  g_test_add_func ("/version-vector/json/nodes", test_vv_json_nodes);
  g_test_add_func ("/version-vector/boxed", test_vv_boxed);
  g_test_add_func ("/sync-json/accepts", test_json_accepts);
  g_test_add_func ("/sync-json/refuses", test_json_refuses);
  g_test_add_func ("/sync-json/depth", test_json_depth);
  g_test_add_func ("/sync-json/doubles", test_json_doubles);
  g_test_add_func ("/sync-json/integers", test_json_integers);
  g_test_add_func ("/sync-json/strings", test_json_strings);

  return g_test_run ();
}
