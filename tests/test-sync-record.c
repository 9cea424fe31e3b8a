/* test-sync-record.c: the multi-value register merge of sync records
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "kontor-sync-record.h"

/* Replicas in the hand-written tests */
#define SERVER 0
#define ALICE  1
#define BOB    2
#define CAROL  3

/* Helpers ----------------------------------------------------------------- */

static guint32
test_seed (void)
{
  const char *env = g_getenv ("KONTOR_SEED");
  guint64 seed;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 0, G_MAXUINT32, &seed, NULL))
    return (guint32) seed;

  return g_random_int ();
}

static KontorSyncRecord *
rec_parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  KontorSyncRecord *rec = kontor_sync_record_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rec);

  return rec;
}

static JsonObject *
object_parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = kontor_sync_json_parse (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_object_ref (json_node_get_object (node));
}

static void
edit (KontorSyncRecord *rec,
      guint32           replica,
      guint64           counter,
      const char       *changes)
{
  g_autoptr(JsonObject) object = object_parse (changes);
  KontorDot dot = { replica, counter };

  kontor_sync_record_apply_edit (rec, &dot, object);
}

static void
assert_rec_string (const KontorSyncRecord *rec,
                   const char             *expected)
{
  g_autofree char *str = kontor_sync_record_to_string (rec);

  g_assert_cmpstr (str, ==, expected);
}

static void
assert_same (const KontorSyncRecord *a,
             const KontorSyncRecord *b)
{
  g_autofree char *sa = kontor_sync_record_to_string (a);
  g_autofree char *sb = kontor_sync_record_to_string (b);

  g_assert_cmpstr (sa, ==, sb);
  g_assert_true (kontor_sync_record_equal (a, b));
  g_assert_true (kontor_sync_record_equal (b, a));
}

/* The winner's value as compact JSON, or NULL. */
static char *
value_string (const KontorSyncRecord *rec,
              const char             *field)
{
  JsonNode *value = kontor_sync_record_get_value (rec, field);

  return value != NULL ? kontor_sync_json_to_string (value) : NULL;
}

static void
assert_value (const KontorSyncRecord *rec,
              const char             *field,
              const char             *expected)
{
  g_autofree char *str = value_string (rec, field);

  g_assert_cmpstr (str, ==, expected);
}

static void
assert_names (GPtrArray  *names,
              const char *expected)   /* space separated, "" for none */
{
  g_auto(GStrv) want = g_strsplit (expected, " ", -1);
  guint n_want = expected[0] == '\0' ? 0 : g_strv_length (want);

  g_assert_nonnull (names);
  g_assert_cmpuint (names->len, ==, n_want);
  for (guint i = 0; i < n_want; i++)
    g_assert_cmpstr (g_ptr_array_index (names, i), ==, want[i]);
}

static void
assert_conflicts (const KontorSyncRecord *rec,
                  const char             *expected)
{
  g_autoptr(GPtrArray) names = kontor_sync_record_conflicts (rec);

  assert_names (names, expected);
}

/* merge and check what it reports as newly in conflict */
static void
merge_expect (KontorSyncRecord       *rec,
              const KontorSyncRecord *other,
              const char             *newly)
{
  g_autoptr(GPtrArray) names = kontor_sync_record_merge (rec, other);

  assert_names (names, newly);
}

static KontorSyncRecord *
merged (const KontorSyncRecord *a,
        const KontorSyncRecord *b)
{
  KontorSyncRecord *m = kontor_sync_record_copy (a);
  g_autoptr(GPtrArray) names = kontor_sync_record_merge (m, b);

  return m;
}

static void
assert_version_dot (const KontorSyncRecord *rec,
                    const char             *field,
                    guint                   index,
                    guint32                 replica,
                    guint64                 counter)
{
  const GPtrArray *versions = kontor_sync_record_get_versions (rec, field);
  const KontorFieldVersion *v;

  g_assert_nonnull (versions);
  g_assert_cmpuint (index, <, versions->len);
  v = g_ptr_array_index (versions, index);
  g_assert_cmpuint (v->dot.replica, ==, replica);
  g_assert_cmpuint (v->dot.counter, ==, counter);
}

static guint
n_versions (const KontorSyncRecord *rec,
            const char             *field)
{
  const GPtrArray *versions = kontor_sync_record_get_versions (rec, field);

  return versions != NULL ? versions->len : 0;
}

/* Basics ------------------------------------------------------------------ */

static void
test_new (void)
{
  g_autoptr(KontorSyncRecord) rec = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) other = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) back = NULL;
  g_autoptr(GPtrArray) fields = kontor_sync_record_list_fields (rec);

  g_assert_cmpuint (kontor_version_vector_size (kontor_sync_record_get_vv (rec)), ==, 0);
  assert_names (fields, "");
  g_assert_null (kontor_sync_record_get_versions (rec, "name"));
  g_assert_null (kontor_sync_record_get_value (rec, "name"));
  g_assert_false (kontor_sync_record_is_deleted (rec));
  g_assert_false (kontor_sync_record_delete_conflict (rec));
  assert_conflicts (rec, "");
  assert_rec_string (rec, "{\"vv\":{},\"f\":{}}");
  assert_same (rec, other);

  back = rec_parse ("{\"vv\":{},\"f\":{}}");
  assert_same (rec, back);
  merge_expect (back, rec, "");
  assert_same (rec, back);
}

static void
test_apply_edit (void)
{
  g_autoptr(KontorSyncRecord) rec = kontor_sync_record_new ();
  g_autoptr(GPtrArray) fields = NULL;
  const GPtrArray *versions;
  const KontorFieldVersion *v;

  /* one dot for all fields of an edit */
  edit (rec, ALICE, 1, "{\"name\":\"Müller\",\"phone\":null}");
  assert_rec_string (rec, "{\"vv\":{\"1\":1},\"f\":{"
                          "\"name\":[{\"d\":[1,1],\"v\":\"Müller\"}],"
                          "\"phone\":[{\"d\":[1,1],\"v\":null}]}}");
  fields = kontor_sync_record_list_fields (rec);
  assert_names (fields, "name phone");
  assert_value (rec, "phone", "null");

  /* a later edit replaces the single version; others stay */
  edit (rec, ALICE, 2, "{\"name\":\"Meier\"}");
  assert_value (rec, "name", "\"Meier\"");
  assert_version_dot (rec, "name", 0, ALICE, 2);
  assert_version_dot (rec, "phone", 0, ALICE, 1);
  g_assert_cmpuint (n_versions (rec, "name"), ==, 1);

  /* counters are per replica, not per record: gaps are normal */
  edit (rec, ALICE, 7, "{\"phone\":\"+49 30 1234\"}");
  g_assert_cmpuint (kontor_version_vector_get (kontor_sync_record_get_vv (rec), ALICE), ==, 7);

  /* another replica's edit */
  edit (rec, BOB, 1, "{\"email\":\"a@example.org\"}");
  g_assert_cmpuint (kontor_version_vector_get (kontor_sync_record_get_vv (rec), BOB), ==, 1);

  /* an empty edit still uses up its dot */
  edit (rec, BOB, 2, "{}");
  g_assert_cmpuint (kontor_version_vector_get (kontor_sync_record_get_vv (rec), BOB), ==, 2);

  /* a delete records the vector before the edit as its context */
  edit (rec, ALICE, 8, "{\"_deleted\":true}");
  g_assert_true (kontor_sync_record_is_deleted (rec));
  g_assert_false (kontor_sync_record_delete_conflict (rec));
  versions = kontor_sync_record_get_versions (rec, KONTOR_SYNC_FIELD_DELETED);
  g_assert_cmpuint (versions->len, ==, 1);
  v = g_ptr_array_index (versions, 0);
  g_assert_nonnull (v->context);
  {
    g_autofree char *context = kontor_version_vector_to_string (v->context);

    g_assert_cmpstr (context, ==, "{\"1\":7,\"2\":2}");
  }
  assert_rec_string (rec, "{\"vv\":{\"1\":8,\"2\":2},\"f\":{"
                          "\"_deleted\":[{\"d\":[1,8],\"v\":true,\"c\":{\"1\":7,\"2\":2}}],"
                          "\"email\":[{\"d\":[2,1],\"v\":\"a@example.org\"}],"
                          "\"name\":[{\"d\":[1,2],\"v\":\"Meier\"}],"
                          "\"phone\":[{\"d\":[1,7],\"v\":\"+49 30 1234\"}]}}");

  /* the editor's own entry in the context is dot.counter - 1, also across
   * a gap: the same meaning for this record, and what the server computes
   * when it rebuilds the delete from a pushed op */
  {
    g_autoptr(KontorSyncRecord) gap = kontor_sync_record_new ();

    edit (gap, BOB, 2, "{\"name\":\"x\"}");
    edit (gap, BOB, 9, "{\"_deleted\":true}");
    assert_rec_string (gap, "{\"vv\":{\"2\":9},\"f\":{"
                            "\"_deleted\":[{\"d\":[2,9],\"v\":true,\"c\":{\"2\":8}}],"
                            "\"name\":[{\"d\":[2,2],\"v\":\"x\"}]}}");
    g_assert_false (kontor_sync_record_delete_conflict (gap));
  }

  /* restoring has no context */
  edit (rec, BOB, 3, "{\"_deleted\":false}");
  g_assert_false (kontor_sync_record_is_deleted (rec));
  v = g_ptr_array_index (kontor_sync_record_get_versions (rec, KONTOR_SYNC_FIELD_DELETED), 0);
  g_assert_null (v->context);
}

/* The record owns deep, canonical copies of the values. */
static void
test_apply_edit_copies (void)
{
  g_autoptr(KontorSyncRecord) rec = kontor_sync_record_new ();
  g_autoptr(JsonObject) changes = object_parse ("{\"address\":{\"zip\":\"10115\",\"city\":\"Berlin\","
                                                "\"lines\":[{\"b\":1,\"a\":2}]}}");
  JsonObject *address;
  JsonNode *value;
  KontorDot dot = { ALICE, 1 };

  kontor_sync_record_apply_edit (rec, &dot, changes);
  assert_value (rec, "address",
                "{\"city\":\"Berlin\",\"lines\":[{\"a\":2,\"b\":1}],\"zip\":\"10115\"}");

  /* changing the caller's object afterwards changes nothing */
  address = json_object_get_object_member (changes, "address");
  json_object_set_string_member (address, "city", "Hamburg");
  json_object_set_int_member (changes, "extra", 1);
  assert_value (rec, "address",
                "{\"city\":\"Berlin\",\"lines\":[{\"a\":2,\"b\":1}],\"zip\":\"10115\"}");
  g_assert_null (kontor_sync_record_get_value (rec, "extra"));

  /* and what get_value() returns is immutable */
  value = kontor_sync_record_get_value (rec, "address");
  g_assert_true (json_node_is_immutable (value));
}

static void
expect_refused_edit (KontorSyncRecord *rec,
                     guint32           replica,
                     guint64           counter,
                     JsonObject       *changes,
                     const char       *message)
{
  g_autofree char *before = kontor_sync_record_to_string (rec);
  g_autofree char *after = NULL;
  KontorDot dot = { replica, counter };

  g_test_expect_message ("kontor-sync", G_LOG_LEVEL_CRITICAL, message);
  kontor_sync_record_apply_edit (rec, &dot, changes);
  g_test_assert_expected_messages ();

  after = kontor_sync_record_to_string (rec);
  g_assert_cmpstr (after, ==, before);
}

static void
test_apply_edit_refuses (void)
{
  static const struct {
    const char *changes;
    const char *message;
  } cases[] = {
    { "{\"Name\":1}", "*“Name”*field names*" },
    { "{\"\":1}", "*“”*field names*" },
    { "{\"a-b\":1}", "*“a-b”*field names*" },
    { "{\"ok\":1,\"na me\":2}", "*“na me”*field names*" },
    { "{\"_deleted\":1}", "*_deleted*true or false*" },
    { "{\"_deleted\":null}", "*_deleted*true or false*" },
    { "{\"_deleted\":\"true\"}", "*_deleted*true or false*" },
  };
  g_autoptr(KontorSyncRecord) rec = kontor_sync_record_new ();
  g_autoptr(JsonObject) nan_changes = json_object_new ();
  g_autoptr(JsonObject) long_name = json_object_new ();
  g_autoptr(JsonObject) ok_name = json_object_new ();
  g_autoptr(JsonObject) bad_utf8 = json_object_new ();
  g_autoptr(JsonObject) deep = json_object_new ();
  g_autoptr(JsonObject) fine = object_parse ("{\"name\":\"x\"}");
  g_autofree char *name_128 = g_strnfill (128, 'a');
  g_autofree char *name_129 = g_strnfill (129, 'a');
  JsonNode *nested = json_node_init_int (json_node_alloc (), 1);

  edit (rec, ALICE, 5, "{\"name\":\"start\"}");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) changes = object_parse (cases[i].changes);

      expect_refused_edit (rec, ALICE, 6, changes, cases[i].message);
    }

  json_object_set_int_member (long_name, name_129, 1);
  expect_refused_edit (rec, ALICE, 6, long_name, "*field names*");
  json_object_set_int_member (ok_name, name_128, 1);
  json_object_set_double_member (nan_changes, "x", NAN);
  expect_refused_edit (rec, ALICE, 6, nan_changes, "*“x”*not finite*");
  json_object_set_double_member (nan_changes, "x", INFINITY);
  expect_refused_edit (rec, ALICE, 6, nan_changes, "*“x”*not finite*");
  json_object_set_string_member (bad_utf8, "x", "\xff");
  expect_refused_edit (rec, ALICE, 6, bad_utf8, "*“x”*UTF-8*");

  for (guint i = 0; i < 200; i++)
    {
      JsonArray *array = json_array_new ();

      json_array_add_element (array, nested);
      nested = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
    }
  json_object_set_member (deep, "x", nested);
  expect_refused_edit (rec, ALICE, 6, deep, "*“x”*nests more than*");

  /* stale or impossible dots */
  expect_refused_edit (rec, ALICE, 5, fine, "*counter > kontor_version_vector_get*");
  expect_refused_edit (rec, ALICE, 4, fine, "*counter > kontor_version_vector_get*");
  expect_refused_edit (rec, BOB, 0, fine, "*counter > 0*");
  expect_refused_edit (rec, BOB, (guint64) G_MAXINT64 + 1, fine, "*G_MAXINT64*");

  /* the longest field name is fine */
  {
    KontorDot dot = { ALICE, 6 };

    kontor_sync_record_apply_edit (rec, &dot, ok_name);
    g_assert_nonnull (kontor_sync_record_get_value (rec, name_128));
  }
}

/* Merge rules ------------------------------------------------------------- */

static void
test_merge_same_dot (void)
{
  g_autoptr(KontorSyncRecord) a = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) b = NULL;
  g_autofree char *before = NULL;

  edit (a, ALICE, 1, "{\"name\":\"x\",\"phone\":\"1\"}");
  b = kontor_sync_record_copy (a);
  before = kontor_sync_record_to_string (a);

  merge_expect (a, b, "");
  merge_expect (b, a, "");
  merge_expect (a, a, "");   /* with itself */
  assert_rec_string (a, before);
  assert_same (a, b);
  g_assert_cmpuint (n_versions (a, "name"), ==, 1);
}

static void
test_merge_covered_takes_remote (void)
{
  g_autoptr(KontorSyncRecord) a = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) b = NULL;

  edit (a, ALICE, 1, "{\"name\":\"x\"}");
  b = kontor_sync_record_copy (a);
  edit (b, BOB, 1, "{\"name\":\"y\"}");   /* b has seen a's write */

  /* local older, remote newer: take remote */
  merge_expect (a, b, "");
  assert_value (a, "name", "\"y\"");
  g_assert_cmpuint (n_versions (a, "name"), ==, 1);
  assert_version_dot (a, "name", 0, BOB, 1);

  /* local newer, remote older: keep local */
  {
    g_autoptr(KontorSyncRecord) old = rec_parse ("{\"vv\":{\"1\":1},\"f\":{\"name\":[{\"d\":[1,1],\"v\":\"x\"}]}}");

    merge_expect (b, old, "");
    assert_value (b, "name", "\"y\"");
    g_assert_cmpuint (n_versions (b, "name"), ==, 1);
  }

  assert_same (a, b);
  assert_conflicts (a, "");
}

static void
test_merge_concurrent (void)
{
  g_autoptr(KontorSyncRecord) a = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) b = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) ab = NULL;
  g_autoptr(KontorSyncRecord) ba = NULL;

  /* same counter: the higher replica is the provisional winner */
  edit (a, ALICE, 1, "{\"name\":\"x\"}");
  edit (b, BOB, 1, "{\"name\":\"y\"}");

  ab = kontor_sync_record_copy (a);
  merge_expect (ab, b, "name");
  ba = kontor_sync_record_copy (b);
  merge_expect (ba, a, "name");
  assert_same (ab, ba);

  g_assert_cmpuint (n_versions (ab, "name"), ==, 2);
  assert_version_dot (ab, "name", 0, BOB, 1);
  assert_version_dot (ab, "name", 1, ALICE, 1);
  assert_value (ab, "name", "\"y\"");
  assert_conflicts (ab, "name");
  assert_rec_string (ab, "{\"vv\":{\"1\":1,\"2\":1},\"f\":{\"name\":["
                         "{\"d\":[2,1],\"v\":\"y\"},{\"d\":[1,1],\"v\":\"x\"}]}}");

  /* merging again reports nothing new and changes nothing */
  merge_expect (ab, b, "");
  merge_expect (ab, a, "");
  merge_expect (ab, ba, "");
  assert_same (ab, ba);

  /* a higher counter wins over a higher replica */
  g_clear_pointer (&ab, kontor_sync_record_free);
  g_clear_pointer (&ba, kontor_sync_record_free);
  edit (a, ALICE, 5, "{\"name\":\"x5\"}");
  edit (b, BOB, 3, "{\"name\":\"y3\"}");
  ab = merged (a, b);
  ba = merged (b, a);
  assert_same (ab, ba);
  assert_version_dot (ab, "name", 0, ALICE, 5);
  assert_version_dot (ab, "name", 1, BOB, 3);
  assert_value (ab, "name", "\"x5\"");
}

static void
test_merge_different_fields (void)
{
  g_autoptr(KontorSyncRecord) base = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) a = NULL;
  g_autoptr(KontorSyncRecord) b = NULL;
  g_autoptr(KontorSyncRecord) ab = NULL;
  g_autoptr(KontorSyncRecord) ba = NULL;

  edit (base, SERVER, 1, "{\"name\":\"n0\",\"phone\":\"p0\"}");
  a = kontor_sync_record_copy (base);
  b = kontor_sync_record_copy (base);
  edit (a, ALICE, 1, "{\"name\":\"n1\"}");
  edit (b, BOB, 1, "{\"phone\":\"p1\",\"email\":\"e1\"}");

  ab = kontor_sync_record_copy (a);
  merge_expect (ab, b, "");
  ba = kontor_sync_record_copy (b);
  merge_expect (ba, a, "");
  assert_same (ab, ba);
  assert_conflicts (ab, "");
  assert_value (ab, "name", "\"n1\"");
  assert_value (ab, "phone", "\"p1\"");
  assert_value (ab, "email", "\"e1\"");
  g_assert_false (kontor_sync_record_delete_conflict (ab));
}

/* A field known on one side only keeps that side's versions. */
static void
test_merge_one_side (void)
{
  g_autoptr(KontorSyncRecord) a = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) b = kontor_sync_record_new ();

  edit (a, ALICE, 1, "{\"name\":\"x\"}");
  edit (b, BOB, 1, "{\"phone\":\"1\"}");
  edit (b, BOB, 2, "{\"phone\":\"2\"}");

  merge_expect (a, b, "");
  assert_value (a, "name", "\"x\"");
  assert_value (a, "phone", "\"2\"");
  assert_rec_string (a, "{\"vv\":{\"1\":1,\"2\":2},\"f\":{"
                        "\"name\":[{\"d\":[1,1],\"v\":\"x\"}],"
                        "\"phone\":[{\"d\":[2,2],\"v\":\"2\"}]}}");
}

/* Resolving is an edit that dominates both versions; once merged
 * everywhere, the conflict is gone everywhere. */
static void
test_merge_resolution (void)
{
  g_autoptr(KontorSyncRecord) a = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) b = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) server = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) carol = NULL;

  edit (a, ALICE, 1, "{\"name\":\"x\"}");
  edit (b, BOB, 1, "{\"name\":\"y\"}");
  carol = kontor_sync_record_copy (b);   /* has only one side */

  merge_expect (server, a, "");
  merge_expect (server, b, "name");
  merge_expect (a, server, "name");
  merge_expect (b, server, "name");

  /* Alice picks "z" */
  edit (a, ALICE, 2, "{\"name\":\"z\"}");
  assert_conflicts (a, "");
  assert_value (a, "name", "\"z\"");

  merge_expect (server, a, "");
  merge_expect (b, server, "");
  merge_expect (carol, server, "");
  assert_conflicts (server, "");
  assert_conflicts (b, "");
  assert_conflicts (carol, "");
  assert_same (a, server);
  assert_same (a, b);
  assert_same (a, carol);
  assert_value (carol, "name", "\"z\"");

  /* the stale conflicting states arriving late change nothing */
  {
    g_autoptr(KontorSyncRecord) old_b = rec_parse ("{\"vv\":{\"2\":1},\"f\":{\"name\":[{\"d\":[2,1],\"v\":\"y\"}]}}");

    merge_expect (server, old_b, "");
    assert_same (a, server);
  }
}

/* The return value lists only fields that were not in conflict before. */
static void
test_merge_newly_conflicted (void)
{
  g_autoptr(KontorSyncRecord) a = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) b = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) c = kontor_sync_record_new ();

  edit (a, ALICE, 1, "{\"name\":\"a\",\"phone\":\"a\"}");
  edit (b, BOB, 1, "{\"name\":\"b\"}");
  edit (c, CAROL, 1, "{\"name\":\"c\",\"phone\":\"c\",\"email\":\"c\"}");

  merge_expect (a, b, "name");
  /* name gets a third version: not new; phone is new */
  merge_expect (a, c, "phone");
  g_assert_cmpuint (n_versions (a, "name"), ==, 3);
  assert_version_dot (a, "name", 0, CAROL, 1);
  assert_version_dot (a, "name", 1, BOB, 1);
  assert_version_dot (a, "name", 2, ALICE, 1);
  assert_conflicts (a, "name phone");

  /* a merge that resolves nothing and adds nothing */
  merge_expect (b, a, "name phone");
  merge_expect (b, c, "");
}

/* Deletes ----------------------------------------------------------------- */

static void
test_delete_concurrent_edit (void)
{
  g_autoptr(KontorSyncRecord) base = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) a = NULL;
  g_autoptr(KontorSyncRecord) b = NULL;
  g_autoptr(KontorSyncRecord) ab = NULL;
  g_autoptr(KontorSyncRecord) ba = NULL;

  edit (base, SERVER, 1, "{\"name\":\"n0\",\"phone\":\"p0\"}");
  a = kontor_sync_record_copy (base);
  b = kontor_sync_record_copy (base);

  edit (a, ALICE, 1, "{\"_deleted\":true}");
  edit (b, BOB, 1, "{\"phone\":\"p1\"}");
  g_assert_true (kontor_sync_record_is_deleted (a));
  g_assert_false (kontor_sync_record_delete_conflict (a));

  ab = merged (a, b);
  ba = merged (b, a);
  assert_same (ab, ba);

  /* neither the delete nor the edit wins silently */
  g_assert_true (kontor_sync_record_is_deleted (ab));
  g_assert_true (kontor_sync_record_delete_conflict (ab));
  assert_value (ab, "phone", "\"p1\"");
  assert_conflicts (ab, "");

  /* resolution 1: delete again, knowing the edit */
  {
    g_autoptr(KontorSyncRecord) r = kontor_sync_record_copy (ab);

    edit (r, ALICE, 2, "{\"_deleted\":true}");
    g_assert_true (kontor_sync_record_is_deleted (r));
    g_assert_false (kontor_sync_record_delete_conflict (r));
    merge_expect (ba, r, "");
    assert_same (ba, r);
    g_assert_false (kontor_sync_record_delete_conflict (ba));
  }

  /* resolution 2: restore */
  {
    g_autoptr(KontorSyncRecord) r = kontor_sync_record_copy (ab);

    edit (r, BOB, 2, "{\"_deleted\":false}");
    g_assert_false (kontor_sync_record_is_deleted (r));
    g_assert_false (kontor_sync_record_delete_conflict (r));
    assert_value (r, "phone", "\"p1\"");
    merge_expect (ab, r, "");
    assert_same (ab, r);
  }
}

/* sync.md scenario 3: an edit based on the pre-delete version must
 * conflict, not undelete. */
static void
test_delete_pre_delete_edit (void)
{
  g_autoptr(KontorSyncRecord) server = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) a = NULL;
  g_autoptr(KontorSyncRecord) b = NULL;

  edit (server, SERVER, 1, "{\"name\":\"Acme\"}");
  a = kontor_sync_record_copy (server);
  b = kontor_sync_record_copy (server);

  /* Alice deletes and syncs */
  edit (a, ALICE, 1, "{\"_deleted\":true}");
  merge_expect (server, a, "");
  g_assert_true (kontor_sync_record_is_deleted (server));
  g_assert_false (kontor_sync_record_delete_conflict (server));

  /* Bob, offline, edited the version he had; then syncs */
  edit (b, BOB, 1, "{\"name\":\"Acme Corp\"}");
  merge_expect (server, b, "");
  merge_expect (b, server, "");
  merge_expect (a, server, "");

  for (guint i = 0; i < 3; i++)
    {
      KontorSyncRecord *r = i == 0 ? server : i == 1 ? a : b;

      g_assert_true (kontor_sync_record_is_deleted (r));   /* not undeleted */
      g_assert_true (kontor_sync_record_delete_conflict (r));
      assert_value (r, "name", "\"Acme Corp\"");           /* not lost */
    }
  assert_same (server, a);
  assert_same (server, b);
}

/* An edit made after seeing the delete is not covered by the delete's
 * context either: the rule reports it (the record stays deleted). */
static void
test_delete_edit_after_delete (void)
{
  g_autoptr(KontorSyncRecord) a = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) b = NULL;

  edit (a, ALICE, 1, "{\"name\":\"Acme\"}");
  edit (a, ALICE, 2, "{\"_deleted\":true}");
  b = kontor_sync_record_copy (a);
  edit (b, BOB, 1, "{\"name\":\"Acme Corp\"}");

  g_assert_true (kontor_sync_record_is_deleted (b));
  g_assert_true (kontor_sync_record_delete_conflict (b));
  merge_expect (a, b, "");
  assert_same (a, b);
}

static void
test_delete_knowing (void)
{
  g_autoptr(KontorSyncRecord) a = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) b = kontor_sync_record_new ();

  /* delete after seeing every edit: no conflict */
  edit (a, ALICE, 1, "{\"name\":\"Acme\"}");
  edit (b, BOB, 1, "{\"phone\":\"1\"}");
  merge_expect (a, b, "");
  edit (a, ALICE, 2, "{\"_deleted\":true}");
  g_assert_true (kontor_sync_record_is_deleted (a));
  g_assert_false (kontor_sync_record_delete_conflict (a));
  merge_expect (b, a, "");
  g_assert_false (kontor_sync_record_delete_conflict (b));

  /* fields written by the delete itself are no conflict */
  {
    g_autoptr(KontorSyncRecord) c = kontor_sync_record_new ();

    edit (c, CAROL, 1, "{\"_deleted\":true,\"reason\":\"duplicate\"}");
    g_assert_true (kontor_sync_record_is_deleted (c));
    g_assert_false (kontor_sync_record_delete_conflict (c));
  }

  /* a record that was never deleted, or was restored, has no delete conflict */
  edit (b, BOB, 2, "{\"_deleted\":false}");
  edit (b, BOB, 3, "{\"name\":\"new\"}");
  g_assert_false (kontor_sync_record_delete_conflict (b));
}

/* Two concurrent deletes: the union of their contexts decides. Bob deleted
 * having seen Carol's edit; Alice's concurrent delete (the provisional
 * winner) had not. Bob deleted the edit knowingly: no delete conflict. */
static void
test_delete_concurrent_deletes (void)
{
  g_autoptr(KontorSyncRecord) base = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) a = NULL;
  g_autoptr(KontorSyncRecord) b = NULL;
  g_autoptr(KontorSyncRecord) c = NULL;
  KontorSyncRecord *states[3];
  g_autofree char *first = NULL;
  const GPtrArray *deletes;

  edit (base, SERVER, 1, "{\"name\":\"Acme\"}");
  a = kontor_sync_record_copy (base);
  b = kontor_sync_record_copy (base);
  c = kontor_sync_record_copy (base);

  edit (c, CAROL, 1, "{\"name\":\"Acme Corp\"}");
  merge_expect (b, c, "");
  edit (b, BOB, 1, "{\"_deleted\":true}");
  edit (a, ALICE, 2, "{\"_deleted\":true}");

  states[0] = a;
  states[1] = b;
  states[2] = c;

  /* every merge order gives the same state and the same answer */
  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < 3; j++)
      for (guint k = 0; k < 3; k++)
        {
          g_autoptr(KontorSyncRecord) m = NULL;
          g_autofree char *str = NULL;

          if (i == j || j == k || i == k)
            continue;

          m = kontor_sync_record_copy (states[i]);
          g_ptr_array_unref (kontor_sync_record_merge (m, states[j]));
          g_ptr_array_unref (kontor_sync_record_merge (m, states[k]));
          str = kontor_sync_record_to_string (m);
          if (first == NULL)
            first = g_strdup (str);
          g_assert_cmpstr (str, ==, first);

          g_assert_true (kontor_sync_record_is_deleted (m));
          deletes = kontor_sync_record_get_versions (m, KONTOR_SYNC_FIELD_DELETED);
          g_assert_cmpuint (deletes->len, ==, 2);
          assert_version_dot (m, KONTOR_SYNC_FIELD_DELETED, 0, ALICE, 2);
          assert_conflicts (m, "_deleted");
          g_assert_false (kontor_sync_record_delete_conflict (m));
        }

  /* without Bob's delete, Alice's delete conflicts with Carol's edit */
  {
    g_autoptr(KontorSyncRecord) m = merged (a, c);

    g_assert_true (kontor_sync_record_delete_conflict (m));
  }
}

/* A delete concurrent with a restore: a "_deleted" conflict; the winner
 * decides whether the record shows as deleted meanwhile. */
static void
test_delete_concurrent_restore (void)
{
  g_autoptr(KontorSyncRecord) base = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) a = NULL;
  g_autoptr(KontorSyncRecord) b = NULL;
  g_autoptr(KontorSyncRecord) m = NULL;

  edit (base, ALICE, 1, "{\"name\":\"Acme\"}");
  edit (base, ALICE, 2, "{\"_deleted\":true}");
  a = kontor_sync_record_copy (base);
  b = kontor_sync_record_copy (base);
  edit (a, ALICE, 3, "{\"_deleted\":false}");   /* restore */
  edit (b, BOB, 5, "{\"_deleted\":true}");      /* delete again */

  /* the delete (2,5) is the provisional winner over the restore (1,3) */
  m = merged (a, b);
  assert_conflicts (m, "_deleted");
  g_assert_true (kontor_sync_record_is_deleted (m));
  g_assert_false (kontor_sync_record_delete_conflict (m));

  /* a later restore wins provisionally, and is no delete conflict */
  edit (a, ALICE, 9, "{\"_deleted\":false}");
  g_clear_pointer (&m, kontor_sync_record_free);
  m = merged (b, a);
  assert_conflicts (m, "_deleted");
  g_assert_false (kontor_sync_record_is_deleted (m));
  g_assert_false (kontor_sync_record_delete_conflict (m));
}

/* sync.md scenarios -------------------------------------------------------- */

static void
permute_and_check (KontorSyncRecord **states,
                   guint              n,
                   guint             *order,
                   guint              depth,
                   gboolean          *used,
                   const char        *expected,
                   guint             *count)
{
  if (depth == n)
    {
      g_autoptr(KontorSyncRecord) m = kontor_sync_record_new ();
      g_autofree char *str = NULL;

      for (guint i = 0; i < n; i++)
        g_ptr_array_unref (kontor_sync_record_merge (m, states[order[i]]));
      str = kontor_sync_record_to_string (m);
      g_assert_cmpstr (str, ==, expected);

      /* and each change applied twice, the second time in reverse */
      for (guint i = n; i > 0; i--)
        g_ptr_array_unref (kontor_sync_record_merge (m, states[order[i - 1]]));
      g_free (str);
      str = kontor_sync_record_to_string (m);
      g_assert_cmpstr (str, ==, expected);

      (*count)++;
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      if (used[i])
        continue;
      used[i] = TRUE;
      order[depth] = i;
      permute_and_check (states, n, order, depth + 1, used, expected, count);
      used[i] = FALSE;
    }
}

/* Scenario 5: the same change set applied in every order gives the same
 * state. */
static void
test_scenario_5 (void)
{
  g_autoptr(KontorSyncRecord) base = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) a1 = NULL;
  g_autoptr(KontorSyncRecord) b1 = NULL;
  g_autoptr(KontorSyncRecord) c1 = NULL;
  g_autoptr(KontorSyncRecord) s1 = NULL;
  g_autoptr(KontorSyncRecord) a2 = NULL;
  g_autoptr(KontorSyncRecord) all = kontor_sync_record_new ();
  KontorSyncRecord *states[5];
  g_autofree char *expected = NULL;
  guint order[5];
  gboolean used[5] = { FALSE, };
  guint count = 0;

  edit (base, SERVER, 1, "{\"name\":\"n\",\"phone\":\"p\",\"stage\":\"lead\"}");

  a1 = kontor_sync_record_copy (base);
  edit (a1, ALICE, 1, "{\"name\":\"na\"}");
  b1 = kontor_sync_record_copy (base);
  edit (b1, BOB, 1, "{\"name\":\"nb\",\"phone\":\"pb\"}");
  c1 = kontor_sync_record_copy (a1);
  edit (c1, CAROL, 1, "{\"stage\":\"won\",\"amount\":{\"minor\":125000,\"currency\":\"EUR\"}}");
  s1 = kontor_sync_record_copy (b1);
  edit (s1, SERVER, 2, "{\"_deleted\":true}");
  a2 = merged (a1, c1);
  edit (a2, ALICE, 2, "{\"email\":\"x@example.org\",\"score\":0.1}");

  states[0] = a1;
  states[1] = b1;
  states[2] = c1;
  states[3] = s1;
  states[4] = a2;

  for (guint i = 0; i < 5; i++)
    g_ptr_array_unref (kontor_sync_record_merge (all, states[i]));
  expected = kontor_sync_record_to_string (all);

  permute_and_check (states, 5, order, 0, used, expected, &count);
  g_assert_cmpuint (count, ==, 120);

  /* what the state is: name and phone in conflict (Alice vs Bob), stage
   * from Carol, deleted by the server concurrently with Alice's and
   * Carol's edits */
  assert_conflicts (all, "name");
  assert_value (all, "phone", "\"pb\"");
  assert_value (all, "stage", "\"won\"");
  assert_value (all, "score", "0.1");
  g_assert_true (kontor_sync_record_is_deleted (all));
  g_assert_true (kontor_sync_record_delete_conflict (all));
}

/* Scenario 8: two clients taking turns (read, modify, write) through the
 * server, with no real concurrency: zero conflicts. */
static void
test_scenario_8 (void)
{
  g_autoptr(KontorSyncRecord) server = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) a = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) b = kontor_sync_record_new ();
  static const char * const fields[] = { "name", "phone", "stage" };
  guint64 counter[2] = { 0, 0 };

  for (guint round = 0; round < 200; round++)
    {
      KontorSyncRecord *client = round % 2 ? b : a;
      guint32 replica = round % 2 ? BOB : ALICE;
      g_autofree char *changes = NULL;

      merge_expect (client, server, "");   /* read */
      changes = g_strdup_printf ("{\"%s\":%u}", fields[round % 3], round);
      counter[round % 2] += 1 + round % 3;
      edit (client, replica, counter[round % 2], changes);   /* modify */
      merge_expect (server, client, "");   /* write */

      assert_conflicts (server, "");
    }

  merge_expect (a, server, "");
  merge_expect (b, server, "");
  assert_same (a, server);
  assert_same (b, server);
  assert_conflicts (a, "");
  g_assert_false (kontor_sync_record_delete_conflict (a));
  for (guint f = 0; f < 3; f++)
    g_assert_cmpuint (n_versions (a, fields[f]), ==, 1);
}

/* Scenario 9: two local edits pushed, the first response lost, so the
 * first is pushed again (and an old batch replayed): no self-conflict. */
static void
test_scenario_9 (void)
{
  g_autoptr(KontorSyncRecord) server = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) a = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) after_first = NULL;
  g_autoptr(KontorSyncRecord) after_second = NULL;

  edit (a, ALICE, 1, "{\"name\":\"first\",\"phone\":\"1\"}");
  after_first = kontor_sync_record_copy (a);
  edit (a, ALICE, 2, "{\"name\":\"second\"}");
  after_second = kontor_sync_record_copy (a);

  merge_expect (server, after_first, "");    /* applied, response lost */
  merge_expect (server, after_first, "");    /* resent */
  merge_expect (server, after_second, "");
  merge_expect (server, after_first, "");    /* an old batch replayed */
  merge_expect (server, after_second, "");
  assert_conflicts (server, "");
  assert_value (server, "name", "\"second\"");
  assert_value (server, "phone", "\"1\"");

  merge_expect (a, server, "");              /* the pull */
  assert_same (a, server);
  assert_conflicts (a, "");

  /* the other arrival order too */
  {
    g_autoptr(KontorSyncRecord) s2 = kontor_sync_record_new ();

    merge_expect (s2, after_second, "");
    merge_expect (s2, after_first, "");
    assert_same (s2, server);
  }
}

/* Canonical JSON -------------------------------------------------------- */

static void
test_json_canonical (void)
{
  g_autoptr(KontorSyncRecord) x = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) y = kontor_sync_record_new ();
  g_autoptr(KontorSyncRecord) example = NULL;
  g_autoptr(KontorSyncRecord) shuffled = NULL;
  const char *canonical_example =
    "{\"vv\":{\"1\":3,\"2\":4},\"f\":{"
    "\"_deleted\":[{\"d\":[2,4],\"v\":true,\"c\":{\"1\":3,\"2\":3}}],"
    "\"name\":[{\"d\":[1,3],\"v\":\"Müller\"}]}}";

  /* members given in a different order give the same text */
  edit (x, ALICE, 1, "{\"zeta\":1,\"alpha\":{\"b\":[1,{\"y\":1,\"x\":2}],\"a\":null}}");
  edit (y, ALICE, 1, "{\"alpha\":{\"a\":null,\"b\":[1,{\"x\":2,\"y\":1}]},\"zeta\":1}");
  assert_same (x, y);
  assert_rec_string (x, "{\"vv\":{\"1\":1},\"f\":{"
                        "\"alpha\":[{\"d\":[1,1],\"v\":{\"a\":null,\"b\":[1,{\"x\":2,\"y\":1}]}}],"
                        "\"zeta\":[{\"d\":[1,1],\"v\":1}]}}");

  /* the header's example */
  example = rec_parse (canonical_example);
  assert_rec_string (example, canonical_example);
  g_assert_true (kontor_sync_record_is_deleted (example));

  /* any member order, version order and spacing is read, and written
   * canonically */
  shuffled = rec_parse ("{ \"f\" : {\"name\":[{\"v\":\"Müller\",\"d\":[1,3]}],"
                        "\"_deleted\":[{\"c\":{\"2\":3,\"1\":3},\"v\":true,\"d\":[2,4]}]},"
                        "\"vv\":{\"2\":4,\"1\":3}}");
  assert_same (shuffled, example);

  {
    g_autoptr(KontorSyncRecord) v1 = rec_parse ("{\"vv\":{\"1\":5,\"2\":5},\"f\":{\"n\":["
                                                "{\"d\":[1,5],\"v\":1},{\"d\":[2,5],\"v\":2},"
                                                "{\"d\":[2,4],\"v\":3}]}}");

    assert_rec_string (v1, "{\"vv\":{\"1\":5,\"2\":5},\"f\":{\"n\":["
                           "{\"d\":[2,5],\"v\":2},{\"d\":[1,5],\"v\":1},{\"d\":[2,4],\"v\":3}]}}");
    assert_value (v1, "n", "2");
  }
}

static void
assert_round_trip (const KontorSyncRecord *rec)
{
  g_autofree char *str = kontor_sync_record_to_string (rec);
  g_autoptr(KontorSyncRecord) back = rec_parse (str);
  g_autoptr(JsonNode) node = kontor_sync_record_to_json (rec);
  g_autoptr(KontorSyncRecord) from_node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *node_str = kontor_sync_json_to_string (node);

  /* to_string() is the canonical writer applied to to_json() */
  g_assert_cmpstr (node_str, ==, str);
  assert_same (rec, back);

  from_node = kontor_sync_record_from_json (node, &error);
  g_assert_no_error (error);
  assert_same (rec, from_node);
}

/* sync.md scenario 16 for what passes through the record: doubles and big
 * integers round-trip bit-identical. */
static void
test_json_numbers (void)
{
  static const double doubles[] = {
    0.1, 1e300, 5e-324, -0.0, 0.0, 1.0, -1.0, 1e17, 1e16, 2.5, 1.0 / 3.0,
    1.7976931348623157e308, 2.2250738585072014e-308, 9007199254740993.0,
  };
  static const gint64 ints[] = {
    G_MAXINT64, G_MAXINT64 - 1, G_MININT64, G_MININT64 + 1, 0, -1,
    ((gint64) 1 << 53) + 1, 1234567890123456789,
  };
  guint32 seed = test_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint64 counter = 0;

  g_test_message ("seed %u (replay with KONTOR_SEED=%u)", seed, seed);

  for (guint n = 0; n < 3000 + G_N_ELEMENTS (doubles); n++)
    {
      g_autoptr(KontorSyncRecord) rec = kontor_sync_record_new ();
      g_autoptr(KontorSyncRecord) back = NULL;
      g_autoptr(JsonObject) changes = json_object_new ();
      g_autoptr(JsonArray) list = json_array_new ();
      g_autofree char *str = NULL;
      KontorDot dot = { ALICE, ++counter };
      double d;
      JsonArray *got;

      if (n < G_N_ELEMENTS (doubles))
        d = doubles[n];
      else
        do
          {
            guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);

            memcpy (&d, &bits, sizeof d);
          }
        while (!isfinite (d));

      json_object_set_double_member (changes, "d", d);
      json_array_add_double_element (list, d);
      json_array_add_int_element (list, ints[n % G_N_ELEMENTS (ints)]);
      json_array_add_int_element (list, (gint64) (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand)));
      json_object_set_array_member (changes, "list", json_array_ref (list));
      json_object_set_int_member (changes, "i", ints[n % G_N_ELEMENTS (ints)]);
      kontor_sync_record_apply_edit (rec, &dot, changes);

      str = kontor_sync_record_to_string (rec);
      back = rec_parse (str);
      assert_same (rec, back);

      {
        double got_d = json_node_get_double (kontor_sync_record_get_value (back, "d"));

        g_assert_cmpint (json_node_get_value_type (kontor_sync_record_get_value (back, "d")), ==, G_TYPE_DOUBLE);
        if (memcmp (&got_d, &d, sizeof d) != 0)
          g_error ("KONTOR_SEED=%u: %.17g came back as %.17g from %s", seed, d, got_d, str);
      }
      got = json_node_get_array (kontor_sync_record_get_value (back, "list"));
      for (guint i = 0; i < 3; i++)
        g_assert_true (json_node_equal (json_array_get_element (got, i),
                                        json_array_get_element (list, i)));
      g_assert_cmpint (json_node_get_int (kontor_sync_record_get_value (back, "i")), ==,
                       ints[n % G_N_ELEMENTS (ints)]);
      g_assert_cmpint (json_node_get_value_type (kontor_sync_record_get_value (back, "i")), ==,
                       G_TYPE_INT64);
    }

  /* -0.0 and 0.0, 1.0 and 1 are different states */
  {
    g_autoptr(KontorSyncRecord) zero = kontor_sync_record_new ();
    g_autoptr(KontorSyncRecord) minus_zero = kontor_sync_record_new ();
    g_autoptr(KontorSyncRecord) one_int = kontor_sync_record_new ();
    g_autoptr(KontorSyncRecord) one_double = kontor_sync_record_new ();

    edit (zero, ALICE, 1, "{\"x\":0.0}");
    edit (minus_zero, ALICE, 1, "{\"x\":-0.0}");
    edit (one_int, ALICE, 1, "{\"x\":1}");
    edit (one_double, ALICE, 1, "{\"x\":1.0}");
    g_assert_false (kontor_sync_record_equal (zero, minus_zero));
    g_assert_false (kontor_sync_record_equal (one_int, one_double));
    assert_value (minus_zero, "x", "-0.0");
    assert_value (one_double, "x", "1.0");
    assert_value (one_int, "x", "1");
    assert_round_trip (minus_zero);
    assert_round_trip (one_double);
  }
}

static void
test_json_refuses (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    /* shape */
    { "[]", "Sync record is not a JSON object" },
    { "null", "Sync record is not a JSON object" },
    { "{}", "no member “vv”" },
    { "{\"vv\":{}}", "no member “f”" },
    { "{\"f\":{}}", "no member “vv”" },
    { "{\"vv\":{},\"f\":{},\"x\":1}", "unknown member “x”" },
    { "{\"vv\":{},\"f\":{},\"vv\":{}}", "duplicate member “vv”" },
    { "{\"vv\":[],\"f\":{}}", "member “vv”: Version vector is not a JSON object" },
    { "{\"vv\":{\"a\":1},\"f\":{}}", "member “vv”: Version vector key “a” is not a replica id" },
    { "{\"vv\":{\"1\":-1},\"f\":{}}", "member “vv”: Version vector counter of replica 1 is negative" },
    { "{\"vv\":{},\"f\":[]}", "member “f” is not a JSON object" },
    { "{\"vv\":{},\"f\":null}", "member “f” is not a JSON object" },
    /* field names */
    { "{\"vv\":{\"1\":1},\"f\":{\"Name\":[{\"d\":[1,1],\"v\":1}]}}", "Field name “Name” is not valid" },
    { "{\"vv\":{\"1\":1},\"f\":{\"\":[{\"d\":[1,1],\"v\":1}]}}", "Field name “” is not valid" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a-b\":[{\"d\":[1,1],\"v\":1}]}}", "Field name “a-b” is not valid" },
    { "{\"vv\":{\"1\":1},\"f\":{\"nämlich\":[{\"d\":[1,1],\"v\":1}]}}", "is not valid" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\\nb\":[{\"d\":[1,1],\"v\":1}]}}", "Field name “a\\nb” is not valid" },
    /* versions */
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":{}}}", "Field “a” is not a JSON array of versions" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":\"x\"}}", "Field “a” is not a JSON array of versions" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[]}}", "Field “a” has no versions" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[1]}}", "Field “a”, version 0: not a JSON object" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[[1,1]]}}", "Field “a”, version 0: not a JSON object" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1]}]}}", "Field “a”, version 0: member “v” is missing" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"v\":1}]}}", "Field “a”, version 0: member “d” is missing" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1],\"v\":1,\"x\":2}]}}", "version 0: unknown member “x”" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1],\"v\":1},{\"d\":[1,1],\"v\":1}]}}", "Field “a” holds dot [1,1] twice" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1],\"v\":1},{\"d\":[1,1],\"v\":2}]}}", "Field “a” holds dot [1,1] twice" },
    { "{\"vv\":{\"1\":1,\"2\":1},\"f\":{\"a\":[{\"d\":[1,1],\"v\":1},{\"v\":2}]}}", "Field “a”, version 1: member “d” is missing" },
    /* dots */
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1,1],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":{},\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":null,\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":\"1,1\",\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[-1,1],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[4294967296,1],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,0],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,-1],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1.0],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1.0,1],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[\"1\",1],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,true],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,null],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,[1]],\"v\":1}]}}", "the dot “d” is not [replica, counter]" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,18446744073709551617],\"v\":1}]}}", "integer out of range" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,2],\"v\":1}]}}", "dot [1,2] is not covered by the record’s version vector" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[2,1],\"v\":1}]}}", "dot [2,1] is not covered by the record’s version vector" },
    { "{\"vv\":{},\"f\":{\"a\":[{\"d\":[0,1],\"v\":1}]}}", "dot [0,1] is not covered" },
    /* deletes and contexts */
    { "{\"vv\":{\"1\":1},\"f\":{\"_deleted\":[{\"d\":[1,1],\"v\":1}]}}", "the value of “_deleted” is not true or false" },
    { "{\"vv\":{\"1\":1},\"f\":{\"_deleted\":[{\"d\":[1,1],\"v\":null}]}}", "the value of “_deleted” is not true or false" },
    { "{\"vv\":{\"1\":1},\"f\":{\"_deleted\":[{\"d\":[1,1],\"v\":\"true\"}]}}", "the value of “_deleted” is not true or false" },
    { "{\"vv\":{\"1\":1},\"f\":{\"_deleted\":[{\"d\":[1,1],\"v\":true}]}}", "a delete has no context “c”" },
    { "{\"vv\":{\"1\":1},\"f\":{\"_deleted\":[{\"d\":[1,1],\"v\":false,\"c\":{}}]}}", "only a “_deleted” version with the value true has a context" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1],\"v\":true,\"c\":{}}]}}", "only a “_deleted” version with the value true has a context" },
    { "{\"vv\":{\"1\":1},\"f\":{\"_deleted\":[{\"d\":[1,1],\"v\":true,\"c\":[]}]}}", "context “c”: Version vector is not a JSON object" },
    { "{\"vv\":{\"1\":1},\"f\":{\"_deleted\":[{\"d\":[1,1],\"v\":true,\"c\":{\"x\":1}}]}}", "context “c”: Version vector key “x”" },
    { "{\"vv\":{\"1\":2},\"f\":{\"_deleted\":[{\"d\":[1,2],\"v\":true,\"c\":{\"1\":1,\"2\":1}}]}}", "the context “c” is ahead of the record’s version vector" },
    { "{\"vv\":{\"1\":2},\"f\":{\"_deleted\":[{\"d\":[1,2],\"v\":true,\"c\":{\"1\":3}}]}}", "the context “c” is ahead of the record’s version vector" },
    { "{\"vv\":{\"1\":2},\"f\":{\"_deleted\":[{\"d\":[1,2],\"v\":true,\"c\":{\"1\":2}}]}}", "the context “c” covers the delete’s own dot [1,2]" },
    /* values */
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1],\"v\":1e400}]}}", "number out of range" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1],\"v\":\"\\u0000\"}]}}", "\\u0000 is not allowed" },
    { "{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1],\"v\":NaN}]}}", "unexpected character" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KontorSyncRecord) rec = kontor_sync_record_from_string (cases[i].json, &error);

      g_assert_null (rec);
      g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("input %s: message “%s” does not contain “%s”",
                 cases[i].json, error->message, cases[i].message);
    }
}

/* Values too deep for the record, and values JSON text cannot even carry,
 * given as nodes. */
static void
test_json_refuses_nodes (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1],\"v\":");
  g_autoptr(KontorSyncRecord) rec = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *version;
  guint levels = KONTOR_SYNC_JSON_MAX_DEPTH - 6;

  /* deeper than a value may be, though still parseable */
  for (guint i = 0; i < levels; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < levels; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}]}}");

  rec = kontor_sync_record_from_string (deep->str, &error);
  g_assert_null (rec);
  g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "Field “a”, version 0: the value nests more than"));
  g_clear_error (&error);

  /* non-finite numbers and bad UTF-8 in a node built in code */
  node = kontor_sync_json_parse ("{\"vv\":{\"1\":1},\"f\":{\"a\":[{\"d\":[1,1],\"v\":1}]}}", &error);
  g_assert_no_error (error);
  version = json_array_get_object_element (
    json_object_get_array_member (
      json_object_get_object_member (json_node_get_object (node), "f"), "a"), 0);

  json_object_set_double_member (version, "v", NAN);
  rec = kontor_sync_record_from_json (node, &error);
  g_assert_null (rec);
  g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "not finite"));
  g_clear_error (&error);

  json_object_set_double_member (version, "v", -INFINITY);
  rec = kontor_sync_record_from_json (node, &error);
  g_assert_null (rec);
  g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
  g_clear_error (&error);

  json_object_set_string_member (version, "v", "\xc3\x28");
  rec = kontor_sync_record_from_json (node, &error);
  g_assert_null (rec);
  g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_clear_error (&error);

  /* and back to a fine value */
  json_object_set_int_member (version, "v", 1);
  rec = kontor_sync_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rec);
}

/* Hostile input: mutated canonical texts never crash, and whatever is
 * accepted is a consistent state. */
static const char * const fuzz_seeds[] = {
  "{\"vv\":{},\"f\":{}}",
  "{\"vv\":{\"1\":3,\"2\":4},\"f\":{\"_deleted\":[{\"d\":[2,4],\"v\":true,\"c\":{\"1\":3,\"2\":3}}],"
  "\"name\":[{\"d\":[1,3],\"v\":\"Müller\"}]}}",
  "{\"vv\":{\"0\":9,\"1\":5,\"2\":5},\"f\":{\"n\":[{\"d\":[2,5],\"v\":[1,2.5,{\"a\":null}]},"
  "{\"d\":[1,5],\"v\":-0.0},{\"d\":[0,9],\"v\":\"\\u0001\\\"\"}],\"x\":[{\"d\":[0,1],\"v\":false}]}}",
};

static void
test_json_fuzz (void)
{
  guint32 seed = test_seed ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  static const char alphabet[] = "{}[]\":,-0123456789.eE+truefalsnl\\ _dvcf";
  guint accepted = 0;

  g_test_message ("seed %u (replay with KONTOR_SEED=%u)", seed, seed);

  for (guint n = 0; n < 20000; n++)
    {
      g_autoptr(GString) text = g_string_new (fuzz_seeds[n % G_N_ELEMENTS (fuzz_seeds)]);
      g_autoptr(KontorSyncRecord) rec = NULL;
      g_autoptr(GError) error = NULL;
      guint mutations = g_rand_int_range (rand, 1, 4);

      for (guint m = 0; m < mutations && text->len > 0; m++)
        {
          guint pos = g_rand_int_range (rand, 0, text->len);
          char c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

          switch (g_rand_int_range (rand, 0, 5))
            {
            case 0: text->str[pos] = c; break;
            case 1: g_string_insert_c (text, pos, c); break;
            case 2: g_string_erase (text, pos, 1); break;
            case 3: g_string_truncate (text, pos); break;
            default: text->str[pos] = (char) g_rand_int_range (rand, 1, 256); break;
            }
        }

      rec = kontor_sync_record_from_string (text->str, &error);
      if (rec == NULL)
        {
          g_assert_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          continue;
        }

      g_assert_no_error (error);
      accepted++;
      assert_round_trip (rec);

      /* and merges with a sane state in both directions the same way */
      {
        g_autoptr(KontorSyncRecord) other = rec_parse (fuzz_seeds[1]);
        g_autoptr(KontorSyncRecord) ab = merged (rec, other);
        g_autoptr(KontorSyncRecord) ba = merged (other, rec);

        assert_same (ab, ba);
        kontor_sync_record_delete_conflict (ab);
      }
    }

  g_test_message ("%u of 20000 mutated texts accepted", accepted);
}

static void
test_boxed (void)
{
  g_autoptr(KontorSyncRecord) rec = kontor_sync_record_new ();
  GType type = kontor_sync_record_get_type ();
  KontorSyncRecord *copy;

  edit (rec, ALICE, 1, "{\"name\":\"x\"}");
  g_assert_true (G_TYPE_IS_BOXED (type));
  g_assert_cmpstr (g_type_name (type), ==, "KontorSyncRecord");
  copy = g_boxed_copy (type, rec);
  assert_same (copy, rec);

  /* the copy is independent */
  edit (copy, ALICE, 2, "{\"name\":\"y\"}");
  assert_value (rec, "name", "\"x\"");
  g_boxed_free (type, copy);
}

/* Randomized convergence with a causal oracle ----------------------------
 *
 * Replicas edit and merge at random. Beside the records, the test keeps the
 * causal history explicitly: every edit is an event with the set of events
 * its replica had seen (a bit mask), and every replica the set of events it
 * has seen. From that alone the oracle derives what each field must hold:
 * the writes to it that no other seen write to it has seen (the maximal
 * ones), and whether a delete conflicts. */

#define MAX_EVENTS   64
#define MAX_REPLICAS 5
#define N_FIELDS     4

static const char * const random_fields[N_FIELDS] = { "a", "b", "c", KONTOR_SYNC_FIELD_DELETED };
#define DELETED_INDEX 3

typedef struct
{
  KontorDot dot;
  guint64   past;                  /* events seen before this one */
  guint     fields;                /* bit i: wrote random_fields[i] */
  JsonNode *values[N_FIELDS];      /* what it wrote */
} Event;

typedef struct
{
  KontorSyncRecord *rec;
  guint64           seen;
  guint32           id;
  guint64           counter;
} Replica;

typedef struct
{
  GRand   *rand;
  guint32  seed;
  guint    run;
  guint    step;
  Event    events[MAX_EVENTS];
  guint    n_events;
  Replica  replicas[MAX_REPLICAS];
  guint    n_replicas;
} World;

static void world_fail (World      *w,
                        const char *format,
                        ...) G_GNUC_PRINTF (2, 3);

static void
world_fail (World      *w,
            const char *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* enough to reproduce by hand */
  for (guint i = 0; i < w->n_replicas; i++)
    if (w->replicas[i].rec != NULL)
      {
        g_autofree char *state = kontor_sync_record_to_string (w->replicas[i].rec);

        g_printerr ("replica %u (seen %#" G_GINT64_MODIFIER "x): %s\n",
                    w->replicas[i].id, w->replicas[i].seen, state);
      }
  for (guint i = 0; i < w->n_events; i++)
    g_printerr ("event %u: dot [%u,%" G_GUINT64_FORMAT "] past %#" G_GINT64_MODIFIER "x fields %#x\n",
                i, w->events[i].dot.replica, w->events[i].dot.counter,
                w->events[i].past, w->events[i].fields);

  g_error ("KONTOR_SEED=%u, run %u, step %u: %s", w->seed, w->run, w->step, message);
}

static JsonNode *
random_value (GRand *rand,
              guint  depth)
{
  switch (g_rand_int_range (rand, 0, depth < 2 ? 10 : 8))
    {
    case 0:
      return json_node_init_null (json_node_alloc ());
    case 1:
      return json_node_init_boolean (json_node_alloc (), g_rand_boolean (rand));
    case 2:
      {
        static const gint64 ints[] = { 0, -1, 42, G_MAXINT64, G_MININT64, G_MAXINT64 - 1, G_MININT64 + 1 };

        return json_node_init_int (json_node_alloc (), ints[g_rand_int_range (rand, 0, G_N_ELEMENTS (ints))]);
      }
    case 3:
      return json_node_init_int (json_node_alloc (),
                                 (gint64) (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand)));
    case 4:
      {
        static const double doubles[] = { 0.1, 1e300, 5e-324, -0.0, 0.0, 1.0, -2.5, 1e17 };

        return json_node_init_double (json_node_alloc (),
                                      doubles[g_rand_int_range (rand, 0, G_N_ELEMENTS (doubles))]);
      }
    case 5:
      {
        double d;

        do
          {
            guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);

            memcpy (&d, &bits, sizeof d);
          }
        while (!isfinite (d));

        return json_node_init_double (json_node_alloc (), d);
      }
    case 6:
    case 7:
      {
        static const char * const strings[] = { "", "Müller", "a\"b\\c", "line\nbreak\t\x01", "😀", "x" };

        return json_node_init_string (json_node_alloc (),
                                      strings[g_rand_int_range (rand, 0, G_N_ELEMENTS (strings))]);
      }
    case 8:
      {
        g_autoptr(JsonArray) array = json_array_new ();
        guint len = g_rand_int_range (rand, 0, 3);

        for (guint i = 0; i < len; i++)
          json_array_add_element (array, random_value (rand, depth + 1));

        return json_node_init_array (json_node_alloc (), array);
      }
    default:
      {
        /* members in byte order, so the canonical text equals ours */
        g_autoptr(JsonObject) object = json_object_new ();
        static const char * const keys[] = { "amount", "currency", "minor" };

        for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
          if (g_rand_boolean (rand))
            json_object_set_member (object, keys[i], random_value (rand, depth + 1));

        return json_node_init_object (json_node_alloc (), object);
      }
    }
}

/* Exact equality, independent of the library's: same types (an integer is
 * no double), same double bits, members compared by name. */
static gboolean
json_exact_equal (JsonNode *a,
                  JsonNode *b)
{
  if (json_node_get_node_type (a) != json_node_get_node_type (b))
    return FALSE;

  switch (json_node_get_node_type (a))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        g_autoptr(GList) members = json_object_get_members (oa);

        if (json_object_get_size (oa) != json_object_get_size (ob))
          return FALSE;
        for (const GList *l = members; l != NULL; l = l->next)
          if (!json_object_has_member (ob, l->data)
              || !json_exact_equal (json_object_get_member (oa, l->data),
                                    json_object_get_member (ob, l->data)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a);
        JsonArray *ab = json_node_get_array (b);

        if (json_array_get_length (aa) != json_array_get_length (ab))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (aa); i++)
          if (!json_exact_equal (json_array_get_element (aa, i), json_array_get_element (ab, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      if (json_node_get_value_type (a) == G_TYPE_DOUBLE)
        {
          double da = json_node_get_double (a);
          double db = json_node_get_double (b);

          return memcmp (&da, &db, sizeof da) == 0;
        }
      return json_node_equal (a, b);

    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/* The vector of everything in mask: per replica, the highest counter. */
static KontorVersionVector *
oracle_vv (World   *w,
           guint64  mask)
{
  KontorVersionVector *vv = kontor_version_vector_new ();

  for (guint i = 0; i < w->n_events; i++)
    if (mask & (G_GUINT64_CONSTANT (1) << i))
      {
        const KontorDot *d = &w->events[i].dot;

        if (kontor_version_vector_get (vv, d->replica) < d->counter)
          kontor_version_vector_set (vv, d->replica, d->counter);
      }

  return vv;
}

/* The maximal writes to field f among the events in mask. */
static guint64
oracle_maximal (World   *w,
                guint64  mask,
                guint    f)
{
  guint64 writes = 0;
  guint64 maximal = 0;

  for (guint i = 0; i < w->n_events; i++)
    if ((mask & (G_GUINT64_CONSTANT (1) << i)) && (w->events[i].fields & (1u << f)))
      writes |= G_GUINT64_CONSTANT (1) << i;

  for (guint i = 0; i < w->n_events; i++)
    {
      gboolean dominated = FALSE;

      if (!(writes & (G_GUINT64_CONSTANT (1) << i)))
        continue;

      for (guint j = 0; j < w->n_events && !dominated; j++)
        if ((writes & (G_GUINT64_CONSTANT (1) << j))
            && (w->events[j].past & (G_GUINT64_CONSTANT (1) << i)))
          dominated = TRUE;

      if (!dominated)
        maximal |= G_GUINT64_CONSTANT (1) << i;
    }

  return maximal;
}

static int
find_event (World           *w,
            const KontorDot *dot)
{
  for (guint i = 0; i < w->n_events; i++)
    if (kontor_dot_equal (&w->events[i].dot, dot))
      return (int) i;

  return -1;
}

static void
oracle_check (World   *w,
              Replica *r)
{
  g_autoptr(KontorVersionVector) vv = oracle_vv (w, r->seen);
  g_autoptr(GPtrArray) fields = kontor_sync_record_list_fields (r->rec);
  guint64 deleted_past = 0;
  gboolean deleted = FALSE;
  gboolean delete_conflict = FALSE;
  guint n_present = 0;

  if (!kontor_version_vector_equal (vv, kontor_sync_record_get_vv (r->rec)))
    world_fail (w, "replica %u: wrong version vector", r->id);

  for (guint f = 0; f < N_FIELDS; f++)
    {
      guint64 maximal = oracle_maximal (w, r->seen, f);
      const GPtrArray *versions = kontor_sync_record_get_versions (r->rec, random_fields[f]);
      guint n_maximal = 0;

      for (guint i = 0; i < w->n_events; i++)
        n_maximal += (maximal >> i) & 1;

      if (n_maximal == 0)
        {
          if (versions != NULL)
            world_fail (w, "replica %u: field %s should not exist", r->id, random_fields[f]);
          continue;
        }

      n_present++;
      if (versions == NULL || versions->len != n_maximal)
        world_fail (w, "replica %u: field %s has %u versions, expected %u", r->id,
                    random_fields[f], versions != NULL ? versions->len : 0, n_maximal);

      for (guint k = 0; k < versions->len; k++)
        {
          const KontorFieldVersion *v = g_ptr_array_index (versions, k);
          int e = find_event (w, &v->dot);
          gboolean is_true = (JSON_NODE_HOLDS_VALUE (v->value)
                              && json_node_get_value_type (v->value) == G_TYPE_BOOLEAN
                              && json_node_get_boolean (v->value));

          if (e < 0 || !(maximal & (G_GUINT64_CONSTANT (1) << e)))
            world_fail (w, "replica %u: field %s holds a version that is not maximal",
                        r->id, random_fields[f]);
          if (!json_exact_equal (v->value, w->events[e].values[f]))
            {
              g_autofree char *got = kontor_sync_json_to_string (v->value);
              g_autofree char *want = kontor_sync_json_to_string (w->events[e].values[f]);

              world_fail (w, "replica %u: field %s has %s, expected %s", r->id,
                          random_fields[f], got, want);
            }
          if (k > 0)
            {
              const KontorFieldVersion *prev = g_ptr_array_index (versions, k - 1);

              if (kontor_dot_compare (&prev->dot, &v->dot) <= 0)
                world_fail (w, "replica %u: versions of %s not winner first", r->id, random_fields[f]);
            }

          if (f == DELETED_INDEX && is_true)
            {
              /* what the editor had seen, its own entry at counter - 1 */
              g_autoptr(KontorVersionVector) context = oracle_vv (w, w->events[e].past);

              kontor_version_vector_set (context, v->dot.replica, v->dot.counter - 1);

              if (v->context == NULL || !kontor_version_vector_equal (v->context, context))
                world_fail (w, "replica %u: wrong delete context", r->id);
              deleted_past |= w->events[e].past | (G_GUINT64_CONSTANT (1) << e);
            }
          else if (v->context != NULL)
            world_fail (w, "replica %u: context on a version that is no delete", r->id);

          if (f == DELETED_INDEX && k == 0)
            deleted = is_true;
        }
    }

  if (fields->len != n_present)
    world_fail (w, "replica %u: %u fields, expected %u", r->id, fields->len, n_present);

  /* a maximal write to another field that no surviving delete has seen, and
   * that is not a delete itself */
  if (deleted)
    for (guint f = 0; f < N_FIELDS; f++)
      {
        guint64 maximal;

        if (f == DELETED_INDEX)
          continue;
        maximal = oracle_maximal (w, r->seen, f);
        if (maximal & ~deleted_past)
          delete_conflict = TRUE;
      }

  if (kontor_sync_record_is_deleted (r->rec) != deleted)
    world_fail (w, "replica %u: is_deleted is %d, expected %d", r->id,
                kontor_sync_record_is_deleted (r->rec), deleted);
  if (kontor_sync_record_delete_conflict (r->rec) != delete_conflict)
    world_fail (w, "replica %u: delete_conflict is %d, expected %d", r->id,
                kontor_sync_record_delete_conflict (r->rec), delete_conflict);
}

static void
world_edit (World   *w,
            Replica *r)
{
  g_autoptr(JsonObject) changes = json_object_new ();
  Event *e = &w->events[w->n_events];
  guint fields = 0;

  while (fields == 0)
    for (guint f = 0; f < N_FIELDS - 1; f++)
      if (g_rand_int_range (w->rand, 0, 3) == 0)
        fields |= 1u << f;
  if (g_rand_int_range (w->rand, 0, 6) == 0)
    {
      fields |= 1u << DELETED_INDEX;
      /* sometimes a delete alone */
      if (g_rand_boolean (w->rand))
        fields = 1u << DELETED_INDEX;
    }

  for (guint f = 0; f < N_FIELDS; f++)
    {
      JsonNode *value;

      if (!(fields & (1u << f)))
        continue;

      if (f == DELETED_INDEX)
        value = json_node_init_boolean (json_node_alloc (), g_rand_int_range (w->rand, 0, 3) != 0);
      else
        value = random_value (w->rand, 0);

      e->values[f] = json_node_ref (value);
      json_object_set_member (changes, random_fields[f], value);
    }

  r->counter += g_rand_int_range (w->rand, 1, 4);
  e->dot.replica = r->id;
  e->dot.counter = r->counter;
  e->past = r->seen;
  e->fields = fields;

  kontor_sync_record_apply_edit (r->rec, &e->dot, changes);
  r->seen |= G_GUINT64_CONSTANT (1) << w->n_events;
  w->n_events++;
}

static void
world_merge (World   *w,
             Replica *dst,
             Replica *src)
{
  g_autoptr(GPtrArray) before = kontor_sync_record_conflicts (dst->rec);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) newly = kontor_sync_record_merge (dst->rec, src->rec);

  after = kontor_sync_record_conflicts (dst->rec);
  for (guint i = 0; i < after->len; i++)
    {
      const char *name = g_ptr_array_index (after, i);
      gboolean was = g_ptr_array_find_with_equal_func (before, name, g_str_equal, NULL);
      gboolean reported = g_ptr_array_find_with_equal_func (newly, name, g_str_equal, NULL);

      if (was == reported)
        world_fail (w, "merge reported %s wrongly as %snew", name, reported ? "" : "not ");
    }
  for (guint i = 0; i < newly->len; i++)
    if (!g_ptr_array_find_with_equal_func (after, g_ptr_array_index (newly, i), g_str_equal, NULL))
      world_fail (w, "merge reported %s, which is not in conflict",
                  (const char *) g_ptr_array_index (newly, i));

  dst->seen |= src->seen;
}

static char *
merged_string (const KontorSyncRecord *a,
               const KontorSyncRecord *b)
{
  g_autoptr(KontorSyncRecord) m = merged (a, b);

  return kontor_sync_record_to_string (m);
}

static void
world_check_laws (World *w)
{
  Replica *x = &w->replicas[g_rand_int_range (w->rand, 0, w->n_replicas)];
  Replica *y = &w->replicas[g_rand_int_range (w->rand, 0, w->n_replicas)];
  Replica *z = &w->replicas[g_rand_int_range (w->rand, 0, w->n_replicas)];
  g_autofree char *sx = kontor_sync_record_to_string (x->rec);
  g_autofree char *xy = merged_string (x->rec, y->rec);
  g_autofree char *yx = merged_string (y->rec, x->rec);
  g_autofree char *xx = NULL;
  g_autofree char *xy_y = NULL;
  g_autofree char *left = NULL;
  g_autofree char *right = NULL;

  /* commutative */
  if (strcmp (xy, yx) != 0)
    world_fail (w, "merge not commutative:\n%s\n%s", xy, yx);

  /* idempotent: with an equal copy, and merging the same state twice */
  {
    g_autoptr(KontorSyncRecord) copy = kontor_sync_record_copy (x->rec);

    xx = merged_string (x->rec, copy);
    if (strcmp (xx, sx) != 0)
      world_fail (w, "merge not idempotent:\n%s\n%s", xx, sx);
  }
  {
    g_autoptr(KontorSyncRecord) m = merged (x->rec, y->rec);

    xy_y = merged_string (m, y->rec);
    if (strcmp (xy_y, xy) != 0)
      world_fail (w, "merging twice differs:\n%s\n%s", xy_y, xy);
  }

  /* associative */
  {
    g_autoptr(KontorSyncRecord) xy_rec = merged (x->rec, y->rec);
    g_autoptr(KontorSyncRecord) yz_rec = merged (y->rec, z->rec);

    left = merged_string (xy_rec, z->rec);
    right = merged_string (x->rec, yz_rec);
    if (strcmp (left, right) != 0)
      world_fail (w, "merge not associative:\n%s\n%s", left, right);
  }

  /* equal() agrees with the text; storage round trip, also via to_json() */
  {
    g_autofree char *sy = kontor_sync_record_to_string (y->rec);

    if (kontor_sync_record_equal (x->rec, y->rec) != (strcmp (sx, sy) == 0))
      world_fail (w, "equal() disagrees with the canonical text");
    assert_round_trip (x->rec);
  }
}

static void
world_run (World *w)
{
  guint n_steps = g_rand_int_range (w->rand, 4, 50);

  w->n_replicas = g_rand_int_range (w->rand, 2, MAX_REPLICAS + 1);
  w->n_events = 0;

  /* distinct replica ids, sometimes including the server's 0 */
  for (guint i = 0; i < w->n_replicas; i++)
    {
      Replica *r = &w->replicas[i];
      gboolean unique;

      do
        {
          r->id = g_rand_int_range (w->rand, 0, 8);
          unique = TRUE;
          for (guint j = 0; j < i; j++)
            unique &= w->replicas[j].id != r->id;
        }
      while (!unique);

      r->rec = kontor_sync_record_new ();
      r->seen = 0;
      r->counter = g_rand_int_range (w->rand, 0, 3);
    }

  for (w->step = 0; w->step < n_steps && w->n_events < MAX_EVENTS; w->step++)
    {
      Replica *r = &w->replicas[g_rand_int_range (w->rand, 0, w->n_replicas)];

      if (g_rand_int_range (w->rand, 0, 100) < 45)
        {
          world_edit (w, r);
        }
      else
        {
          Replica *s = &w->replicas[g_rand_int_range (w->rand, 0, w->n_replicas)];

          world_merge (w, r, s);
        }

      /* sometimes the state goes through storage */
      if (g_rand_int_range (w->rand, 0, 10) == 0)
        {
          g_autofree char *str = kontor_sync_record_to_string (r->rec);

          kontor_sync_record_free (r->rec);
          r->rec = rec_parse (str);
        }

      oracle_check (w, r);

      if (g_rand_int_range (w->rand, 0, 20) == 0)
        world_check_laws (w);
    }

  if (g_rand_boolean (w->rand))
    world_check_laws (w);

  /* quiescence: everyone merges everything */
  for (guint i = 1; i < w->n_replicas; i++)
    world_merge (w, &w->replicas[0], &w->replicas[i]);
  for (guint i = 1; i < w->n_replicas; i++)
    world_merge (w, &w->replicas[i], &w->replicas[0]);

  {
    g_autofree char *first = kontor_sync_record_to_string (w->replicas[0].rec);

    for (guint i = 0; i < w->n_replicas; i++)
      {
        g_autofree char *str = kontor_sync_record_to_string (w->replicas[i].rec);

        oracle_check (w, &w->replicas[i]);
        if (strcmp (str, first) != 0)
          world_fail (w, "replicas differ after a full sync:\n%s\n%s", first, str);
        if (!kontor_sync_record_equal (w->replicas[i].rec, w->replicas[0].rec))
          world_fail (w, "equal() says the synced replicas differ");
      }
  }

  for (guint i = 0; i < w->n_replicas; i++)
    g_clear_pointer (&w->replicas[i].rec, kontor_sync_record_free);
  for (guint i = 0; i < w->n_events; i++)
    for (guint f = 0; f < N_FIELDS; f++)
      g_clear_pointer (&w->events[i].values[f], json_node_unref);
}

static void
test_random (void)
{
  World w = { NULL, };
  guint runs = g_test_slow () ? 30000 : 3000;
  gint64 start = g_get_monotonic_time ();
  const char *env_runs = g_getenv ("KONTOR_RANDOM_RUNS");
  guint64 value;

  /* fewer under valgrind, more for a soak */
  if (env_runs != NULL && g_ascii_string_to_unsigned (env_runs, 10, 1, G_MAXUINT, &value, NULL))
    runs = (guint) value;

  w.seed = test_seed ();
  w.rand = g_rand_new_with_seed (w.seed);
  g_test_message ("seed %u (replay with KONTOR_SEED=%u)", w.seed, w.seed);

  for (w.run = 0; w.run < runs; w.run++)
    world_run (&w);

  g_test_message ("%u random runs in %.2f s", runs,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_rand_free (w.rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-record/new", test_new);
  g_test_add_func ("/sync-record/apply-edit", test_apply_edit);
  g_test_add_func ("/sync-record/apply-edit/copies", test_apply_edit_copies);
  g_test_add_func ("/sync-record/apply-edit/refuses", test_apply_edit_refuses);
  g_test_add_func ("/sync-record/merge/same-dot", test_merge_same_dot);
  g_test_add_func ("/sync-record/merge/covered-takes-remote", test_merge_covered_takes_remote);
  g_test_add_func ("/sync-record/merge/concurrent", test_merge_concurrent);
  g_test_add_func ("/sync-record/merge/different-fields", test_merge_different_fields);
  g_test_add_func ("/sync-record/merge/one-side", test_merge_one_side);
  g_test_add_func ("/sync-record/merge/resolution", test_merge_resolution);
  g_test_add_func ("/sync-record/merge/newly-conflicted", test_merge_newly_conflicted);
  g_test_add_func ("/sync-record/delete/concurrent-edit", test_delete_concurrent_edit);
  g_test_add_func ("/sync-record/delete/pre-delete-edit", test_delete_pre_delete_edit);
  g_test_add_func ("/sync-record/delete/edit-after-delete", test_delete_edit_after_delete);
  g_test_add_func ("/sync-record/delete/knowing", test_delete_knowing);
  g_test_add_func ("/sync-record/delete/concurrent-deletes", test_delete_concurrent_deletes);
  g_test_add_func ("/sync-record/delete/concurrent-restore", test_delete_concurrent_restore);
  g_test_add_func ("/sync-record/scenario/5-every-order", test_scenario_5);
  g_test_add_func ("/sync-record/scenario/8-taking-turns", test_scenario_8);
  g_test_add_func ("/sync-record/scenario/9-lost-response", test_scenario_9);
  g_test_add_func ("/sync-record/json/canonical", test_json_canonical);
  g_test_add_func ("/sync-record/json/numbers", test_json_numbers);
  g_test_add_func ("/sync-record/json/refuses", test_json_refuses);
  g_test_add_func ("/sync-record/json/refuses-nodes", test_json_refuses_nodes);
  g_test_add_func ("/sync-record/json/fuzz", test_json_fuzz);
  g_test_add_func ("/sync-record/boxed", test_boxed);
  g_test_add_func ("/sync-record/random", test_random);

  return g_test_run ();
}
