/* test-store.c: the SQLite replica on real files
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "kontor-fold.h"
#include "kontor-store.h"
#include "kontor-store-sync.h"
#include "kontor-sync-record.h"

typedef struct
{
  char        *dir;
  char        *path;
  KontorStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kontor-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "replica.db", NULL);
  f->store = kontor_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static JsonObject *
obj (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static KontorRecord *
create (KontorStore *store,
        const char  *kind,
        const char  *json)
{
  g_autoptr(JsonObject) values = obj (json);
  g_autoptr(GError) error = NULL;
  KontorRecord *r = kontor_store_create (store, kind, NULL, values, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static void
test_crud (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(KontorRecord) org = create (f->store, "organization",
                                        "{\"name\":\"Bäckerei Müller GmbH\",\"city\":\"Stuttgart\"}");
  g_autofree char *json = g_strdup_printf ("{\"first_name\":\"Anna\",\"last_name\":\"Müller\","
                                           "\"email\":\"anna@baeckerei-mueller.de\","
                                           "\"phone\":\"0711 1234567\",\"organization\":\"%s\"}",
                                           kontor_record_get_id (org));
  g_autoptr(KontorRecord) anna = create (f->store, "contact", json);
  g_autoptr(KontorRecord) got = NULL;
  g_autoptr(KontorRecord) updated = NULL;
  g_autoptr(KontorRecord) restored = NULL;
  g_autoptr(JsonObject) change = obj ("{\"phone\":\"+49 (0)711 7654321\",\"city\":\"Esslingen\"}");
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (kontor_record_get_title (anna), ==, "Anna Müller");
  g_assert_cmpstr (kontor_record_get_string (anna, "phone"), ==, "+497111234567");

  got = kontor_store_get (f->store, kontor_record_get_id (anna), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_record_get_string (got, "email"), ==, "anna@baeckerei-mueller.de");
  g_assert_cmpstr (kontor_record_get_string (got, "organization"), ==, kontor_record_get_id (org));

  updated = kontor_store_update (f->store, kontor_record_get_id (anna), change, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_record_get_string (updated, "phone"), ==, "+497117654321");
  g_assert_cmpstr (kontor_record_get_string (updated, "city"), ==, "Esslingen");
  g_assert_cmpstr (kontor_record_get_string (updated, "first_name"), ==, "Anna");

  g_assert_true (kontor_store_delete (f->store, kontor_record_get_id (anna), &error));
  g_assert_no_error (error);
  g_clear_object (&got);
  got = kontor_store_get (f->store, kontor_record_get_id (anna), &error);
  g_assert_no_error (error);
  g_assert_true (kontor_record_get_deleted (got));

  /* a tombstone cannot be edited, but restored */
  g_assert_null (kontor_store_update (f->store, kontor_record_get_id (anna), change, NULL, &error));
  g_assert_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_DELETED);
  g_clear_error (&error);

  restored = kontor_store_restore (f->store, kontor_record_get_id (anna), &error);
  g_assert_no_error (error);
  g_assert_false (kontor_record_get_deleted (restored));
  g_assert_cmpstr (kontor_record_get_string (restored, "city"), ==, "Esslingen");

  g_assert_null (kontor_store_get (f->store, "0190a0b0-0000-7000-8000-00000000ffff", &error));
  g_assert_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_NOT_FOUND);
}

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KontorRecord) c = create (f->store, "contact", "{\"last_name\":\"Schäfer\"}");
  g_autoptr(JsonObject) change = obj ("{\"first_name\":\"Jens\",\"city\":\"Ulm\"}");
  g_autoptr(JsonObject) same = obj ("{\"first_name\":\"Jens\"}");
  g_autoptr(KontorRecord) u1 = NULL;
  g_autoptr(KontorRecord) u2 = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  guint32 r = kontor_store_get_replica_id (f->store);
  JsonObject *e;
  JsonArray *dot;

  u1 = kontor_store_update (f->store, kontor_record_get_id (c), change, NULL, &error);
  g_assert_no_error (error);
  /* writing the same value again is not an edit */
  u2 = kontor_store_update (f->store, kontor_record_get_id (c), same, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kontor_store_delete (f->store, kontor_record_get_id (c), &error));

  g_assert_cmpuint (kontor_store_outbox_count (f->store), ==, 3);
  entries = kontor_store_outbox_list (f->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);

  e = json_node_get_object (g_ptr_array_index (entries, 0));
  g_assert_cmpstr (json_object_get_string_member (e, "kind"), ==, "contact");
  dot = json_object_get_array_member (e, "dot");
  g_assert_cmpint (json_array_get_int_element (dot, 0), ==, r);
  g_assert_cmpint (json_array_get_int_element (dot, 1), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (e, "fields"),
                                                  "last_name"), ==, "Schäfer");

  e = json_node_get_object (g_ptr_array_index (entries, 1));
  dot = json_object_get_array_member (e, "dot");
  g_assert_cmpint (json_array_get_int_element (dot, 1), ==, 2);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (e, "fields")), ==, 2);

  e = json_node_get_object (g_ptr_array_index (entries, 2));
  dot = json_object_get_array_member (e, "dot");
  g_assert_cmpint (json_array_get_int_element (dot, 1), ==, 3);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (e, "fields"),
                                                 "_deleted"));

  /* the record's causal state: vv[r] = 3, first_name written by dot 2 */
  state = kontor_store_get_state (f->store, kontor_record_get_id (c), &error);
  g_assert_no_error (error);
  {
    g_autoptr(KontorSyncRecord) s = kontor_sync_record_from_string (state, &error);
    const GPtrArray *versions;
    const KontorFieldVersion *v;

    g_assert_no_error (error);
    g_assert_cmpuint (kontor_version_vector_get (kontor_sync_record_get_vv (s), r), ==, 3);
    versions = kontor_sync_record_get_versions (s, "first_name");
    g_assert_cmpuint (versions->len, ==, 1);
    v = g_ptr_array_index (versions, 0);
    g_assert_cmpuint (v->dot.counter, ==, 2);
    g_assert_true (kontor_sync_record_is_deleted (s));
  }
}

static void
test_validation_errors (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KontorRecord) person = create (f->store, "contact", "{\"last_name\":\"Jäger\"}");
  g_autoptr(JsonObject) bad = obj ("{\"last_name\":\"X\",\"email\":\"x@\",\"birthday\":\"2026-13-01\"}");
  g_autofree char *wrong_kind = g_strdup_printf ("{\"last_name\":\"Y\",\"organization\":\"%s\"}",
                                                 kontor_record_get_id (person));
  g_autoptr(JsonObject) wrong = obj (wrong_kind);
  g_autoptr(JsonObject) unknown = obj ("{\"last_name\":\"Z\",\"hair_colour\":\"red\"}");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  guint before = kontor_store_outbox_count (f->store);

  g_assert_null (kontor_store_create (f->store, "contact", NULL, bad, &problems, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "email: "));
  g_assert_nonnull (strstr (error->message, "birthday: "));
  g_assert_cmpuint (problems->len, ==, 2);
  g_clear_error (&error);

  g_assert_null (kontor_store_create (f->store, "contact", NULL, wrong, NULL, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "organization: refers to a contact, expected organization"));
  g_clear_error (&error);

  g_assert_null (kontor_store_create (f->store, "contact", NULL, unknown, NULL, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "hair_colour: unknown field of a contact"));
  g_clear_error (&error);

  g_assert_null (kontor_store_create (f->store, "spaceship", NULL, unknown, NULL, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_KIND);

  /* nothing was written */
  g_assert_cmpuint (kontor_store_outbox_count (f->store), ==, before);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  static const char * const queries[] = { "muller", "müller", "mueller", "MÜL", "Muel", NULL };
  g_autoptr(KontorRecord) a = create (f->store, "contact", "{\"first_name\":\"Anna\",\"last_name\":\"Müller\"}");
  g_autoptr(KontorRecord) b = create (f->store, "contact", "{\"first_name\":\"Bernd\",\"last_name\":\"Mueller\"}");
  g_autoptr(KontorRecord) c = create (f->store, "contact", "{\"first_name\":\"Clara\",\"last_name\":\"Weiß\","
                                      "\"email\":\"clara@strasse.example\"}");
  g_autoptr(KontorRecord) d = create (f->store, "organization", "{\"name\":\"Müller Logistik AG\"}");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; queries[i]; i++)
    {
      g_autoptr(GPtrArray) hits = kontor_store_search (f->store, queries[i], "contact", 10, &error);
      gboolean found_a = FALSE, found_b = FALSE;

      g_assert_no_error (error);
      for (guint j = 0; j < hits->len; j++)
        {
          const char *id = kontor_record_get_id (g_ptr_array_index (hits, j));
          found_a |= g_str_equal (id, kontor_record_get_id (a));
          found_b |= g_str_equal (id, kontor_record_get_id (b));
        }
      g_test_message ("query %s: %u hits", queries[i], hits->len);
      g_assert_true (found_a);
      /* "muller" is not a spelling of Mueller; the umlaut queries find both */
      if (!g_str_equal (queries[i], "muller"))
        g_assert_true (found_b);
      g_assert_cmpuint (hits->len, <=, 2);
    }

  {
    g_autoptr(GPtrArray) hits = kontor_store_search (f->store, "weiss", NULL, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpstr (kontor_record_get_id (g_ptr_array_index (hits, 0)), ==, kontor_record_get_id (c));
  }
  {
    g_autoptr(GPtrArray) hits = kontor_store_search (f->store, "müller logistik", NULL, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpstr (kontor_record_get_kind (g_ptr_array_index (hits, 0)), ==, "organization");
  }
  {
    /* hostile FTS syntax is just text */
    g_autoptr(GPtrArray) hits = kontor_store_search (f->store, "\"AND OR NEAR( *", NULL, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 0);
  }

  /* deleted records are not found */
  g_assert_true (kontor_store_delete (f->store, kontor_record_get_id (a), &error));
  {
    g_autoptr(GPtrArray) hits = kontor_store_search (f->store, "anna", NULL, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 0);
  }
}

static void
test_links (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(KontorRecord) org = create (f->store, "organization", "{\"name\":\"Köhler KG\"}");
  g_autofree char *cj = g_strdup_printf ("{\"last_name\":\"Köhler\",\"organization\":\"%s\"}",
                                         kontor_record_get_id (org));
  g_autoptr(KontorRecord) contact = create (f->store, "contact", cj);
  g_autoptr(KontorRecord) pipeline = create (f->store, "pipeline", "{\"name\":\"Neukunden\"}");
  g_autofree char *sj = g_strdup_printf ("{\"name\":\"Angebot\",\"pipeline\":\"%s\"}",
                                         kontor_record_get_id (pipeline));
  g_autoptr(KontorRecord) stage = create (f->store, "stage", sj);
  g_autofree char *dj = g_strdup_printf ("{\"title\":\"Rahmenvertrag\",\"pipeline\":\"%s\","
                                         "\"stage\":\"%s\",\"organization\":\"%s\","
                                         "\"contact\":\"%s\",\"value\":\"48.000 EUR\"}",
                                         kontor_record_get_id (pipeline),
                                         kontor_record_get_id (stage),
                                         kontor_record_get_id (org),
                                         kontor_record_get_id (contact));
  g_autoptr(KontorRecord) deal = create (f->store, "deal", dj);
  g_autofree char *aj = g_strdup_printf ("{\"type\":\"call\",\"subject\":\"Nachfassen\","
                                         "\"contact\":\"%s\"}", kontor_record_get_id (contact));
  g_autoptr(KontorRecord) call = create (f->store, "activity", aj);
  g_autoptr(GPtrArray) to_org = NULL;
  g_autoptr(GPtrArray) to_contact = NULL;
  g_autoptr(GError) error = NULL;

  to_org = kontor_store_list_linked (f->store, kontor_record_get_id (org), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (to_org->len, ==, 2);  /* contact and deal */

  to_contact = kontor_store_list_linked (f->store, kontor_record_get_id (contact), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (to_contact->len, ==, 2);  /* deal and call */

  g_assert_true (kontor_store_delete (f->store, kontor_record_get_id (call), &error));
  g_clear_pointer (&to_contact, g_ptr_array_unref);
  to_contact = kontor_store_list_linked (f->store, kontor_record_get_id (contact), &error);
  g_assert_cmpuint (to_contact->len, ==, 1);
  g_assert_cmpstr (kontor_record_get_id (g_ptr_array_index (to_contact, 0)), ==,
                   kontor_record_get_id (deal));
}

static GPtrArray *
run_query (KontorStore *store,
           const char  *kind,
           const char  *sort,
           const char * const *conds)
{
  g_autoptr(KontorQuery) q = kontor_query_new (kind);
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  for (guint i = 0; conds && conds[i]; i++)
    {
      kontor_query_parse_condition (q, conds[i], &error);
      g_assert_no_error (error);
    }
  if (sort)
    kontor_query_parse_sort (q, sort);
  rows = kontor_store_query (store, q, 0, 0, &error);
  g_assert_no_error (error);
  return rows;
}

static void
test_filters_and_custom_fields (Fixture       *f,
                                gconstpointer  data)
{
  static const char * const regions[] = { "Süd", "Nord", "Süd", "Süd", "West" };
  static const int scores[] = { 80, 90, 40, 65, 99 };
  static const char * const names[] = { "Zeller", "Adler", "Özdemir", "Becker", "Meyer" };
  g_autoptr(GError) error = NULL;
  KontorField *field;

  field = kontor_store_add_custom_field (f->store, "contact", "region_code", "Region code",
                                         "choice", (const char * const[]) { "N", "S", "W", NULL },
                                         &error);
  g_assert_no_error (error);
  g_assert_nonnull (field);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"last_name\":\"%s\",\"region\":\"%s\","
                                               "\"score\":%d,\"region_code\":\"%c\"}",
                                               names[i], regions[i], scores[i], regions[i][0]);
      g_autoptr(KontorRecord) r = create (f->store, "contact", json);
    }

  {
    /* region = Süd and score > 60, sorted by last name (Ö sorts as O) */
    g_autoptr(GPtrArray) rows = run_query (f->store, "contact", "last_name",
                                           (const char * const[]) { "region=süd", "score>60", NULL });
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (rows, 0), "last_name"), ==, "Becker");
    g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (rows, 1), "last_name"), ==, "Zeller");
  }
  {
    g_autoptr(GPtrArray) rows = run_query (f->store, "contact", "last_name", NULL);
    g_assert_cmpuint (rows->len, ==, 5);
    g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (rows, 0), "last_name"), ==, "Adler");
    g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (rows, 3), "last_name"), ==, "Özdemir");
  }
  {
    /* by the custom field, descending, then filtered with "in" */
    g_autoptr(GPtrArray) rows = run_query (f->store, "contact", "-region_code,last_name",
                                           (const char * const[]) { "region_code in N,W", NULL });
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (rows, 0), "last_name"), ==, "Meyer");
    g_assert_cmpstr (kontor_record_get_string (g_ptr_array_index (rows, 1), "last_name"), ==, "Adler");
  }
  {
    g_autoptr(GPtrArray) rows = run_query (f->store, "contact", "-score", NULL);
    g_assert_cmpint (kontor_record_get_int (g_ptr_array_index (rows, 0), "score", 0), ==, 99);
    g_assert_cmpint (kontor_record_get_int (g_ptr_array_index (rows, 4), "score", 0), ==, 40);
  }

  /* the custom field survives reopening */
  g_clear_object (&f->store);
  f->store = kontor_store_open (f->path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) rows = run_query (f->store, "contact", NULL,
                                           (const char * const[]) { "region_code=S", NULL });
    g_assert_cmpuint (rows->len, ==, 3);
  }

  /* bad filters are errors that name the field */
  {
    g_autoptr(KontorQuery) q = kontor_query_new ("contact");
    g_autoptr(GPtrArray) rows = NULL;
    guint n;

    kontor_query_parse_condition (q, "shoe>3", &error);
    g_assert_no_error (error);
    g_assert_false (kontor_store_count (f->store, q, &n, &error));
    g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_FIELD);
    g_assert_nonnull (strstr (error->message, "shoe"));
    g_clear_error (&error);
  }
  {
    g_autoptr(KontorQuery) q = kontor_query_new ("contact");
    guint n;

    kontor_query_parse_condition (q, "score>lots", &error);
    g_assert_false (kontor_store_count (f->store, q, &n, &error));
    g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "score: "));
  }
}

static void
test_index_used (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  g_autoptr(GError) error = NULL;
  g_autofree char *plan = NULL;

  kontor_query_parse_sort (q, "last_name");
  plan = kontor_store_explain_query (f->store, q, &error);
  g_assert_no_error (error);
  g_test_message ("plan: %s", plan);
  /* the contact key table's index (covering: the record is found by rid) */
  g_assert_nonnull (strstr (plan, "SCAN x USING COVERING INDEX ix_contact__last_name__text"));
  g_assert_null (strstr (plan, "TEMP B-TREE"));

  /* a search in a sorted list starts from the search's hits (by rowid),
   * not from a walk of the whole index */
  {
    g_autoptr(KontorQuery) sq = kontor_query_new ("contact");
    g_autofree char *splan = NULL;

    kontor_query_parse_sort (sq, "last_name");
    kontor_query_set_search (sq, "müller");
    splan = kontor_store_explain_query (f->store, sq, &error);
    g_assert_no_error (error);
    g_test_message ("plan with search: %s", splan);
    g_assert_nonnull (strstr (splan, "SEARCH x USING INTEGER PRIMARY KEY (rowid=?)"));
    g_assert_nonnull (strstr (splan, "record_fts VIRTUAL TABLE"));
  }
}


static int
fold_collation (void       *data,
                int         a_len,
                const void *a,
                int         b_len,
                const void *b)
{
  return kontor_fold_collate (a, a_len, b, b_len);
}

static GStrv
last_names (KontorStore *store)
{
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  kontor_query_parse_sort (q, "last_name");
  records = kontor_store_query (store, q, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    g_strv_builder_add (names, kontor_record_get_string (g_ptr_array_index (records, i),
                                                        "last_name"));
  return g_strv_builder_end (names);
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* A replica of schema 1 (expression indexes on record) opens as schema 2:
 * the old indexes go, the key tables are filled from the records, and
 * lists, filters and later edits use them. */
static void
test_migrate_v1 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) meyer = NULL;
  g_autoptr(KontorRecord) gone = NULL;
  g_autoptr(KontorRecord) updated = NULL;
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  g_auto(GStrv) edited = NULL;
  sqlite3 *db = NULL;
  guint n = 0;

  g_object_unref (create (f->store, "contact", "{\"first_name\":\"Anna\",\"last_name\":\"Müller\"}"));
  g_object_unref (create (f->store, "contact", "{\"first_name\":\"Zoë\",\"last_name\":\"Ärger\"}"));
  meyer = create (f->store, "contact", "{\"first_name\":\"Bob\",\"last_name\":\"Meyer\"}");
  gone = create (f->store, "contact", "{\"first_name\":\"Al\",\"last_name\":\"Abel\"}");
  g_assert_true (kontor_store_delete (f->store, kontor_record_get_id (gone), &error));
  g_assert_no_error (error);
  before = last_names (f->store);
  g_clear_object (&f->store);

  /* back to schema 1 as an older Kontor wrote it */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sqlite3_create_collation (db, "kontor_fold", SQLITE_UTF8, NULL, fold_collation);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TABLE x_contact; DROP TABLE x_organization;"
                                 "CREATE INDEX ix_contact__last_name__text ON record "
                                 "(json_extract(state, '$.f.last_name[0].v') COLLATE kontor_fold) "
                                 "WHERE kind = 'contact' AND deleted = 0;"
                                 "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE name = 'x_contact'"),
                   ==, 0);

  f->store = kontor_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->path, "PRAGMA user_version"), ==, 2);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                     "AND tbl_name = 'record' AND name LIKE 'ix%'"), ==, 0);
  /* the three live contacts, not the deleted one */
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM x_contact"), ==, 3);

  after = last_names (f->store);
  g_assert_cmpstrv (after, before);
  g_assert_cmpstr (after[0], ==, "Ärger");
  g_assert_cmpstr (after[1], ==, "Meyer");
  g_assert_cmpstr (after[2], ==, "Müller");

  {
    g_autoptr(KontorQuery) q = kontor_query_new ("contact");

    kontor_query_parse_condition (q, "last_name=MÜLLER", &error);
    g_assert_no_error (error);
    g_assert_true (kontor_store_count (f->store, q, &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 1);
  }

  /* an edit moves the key, a delete removes it */
  {
    g_autoptr(JsonObject) change = obj ("{\"last_name\":\"Zander\"}");

    updated = kontor_store_update (f->store, kontor_record_get_id (meyer), change, NULL, &error);
    g_assert_no_error (error);
  }
  edited = last_names (f->store);
  g_assert_cmpstr (edited[2], ==, "Zander");
  g_assert_true (kontor_store_delete (f->store, kontor_record_get_id (meyer), &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM x_contact"), ==, 2);

  /* restored, it is listed again under its last name */
  {
    g_autoptr(KontorRecord) back = kontor_store_restore (f->store, kontor_record_get_id (meyer),
                                                         &error);
    g_auto(GStrv) restored = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (back);
    restored = last_names (f->store);
    g_assert_cmpuint (g_strv_length (restored), ==, 3);
    g_assert_cmpstr (restored[2], ==, "Zander");
  }
}

/* Indexes suspended for a bulk load: lists still sort right (without
 * them), and resuming builds them again. */
static void
test_suspend_indexes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) during = NULL;
  g_auto(GStrv) after = NULL;
  gint64 n_indexes;
  gboolean suspended = TRUE;

  n_indexes = sql_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                "AND tbl_name = 'x_contact'");
  g_assert_cmpint (n_indexes, >=, 5);

  /* a small load keeps them */
  g_assert_true (kontor_store_suspend_indexes (f->store, "contact", 100, &suspended, &error));
  g_assert_no_error (error);
  g_assert_false (suspended);

  g_object_unref (create (f->store, "contact", "{\"first_name\":\"Anna\",\"last_name\":\"Weiß\"}"));
  g_assert_true (kontor_store_suspend_indexes (f->store, "contact", 10000, &suspended, &error));
  g_assert_no_error (error);
  g_assert_true (suspended);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                     "AND tbl_name = 'x_contact'"), ==, 0);

  g_object_unref (create (f->store, "contact", "{\"first_name\":\"Jörg\",\"last_name\":\"Bühler\"}"));
  g_object_unref (create (f->store, "contact", "{\"first_name\":\"Zoë\",\"last_name\":\"Weber\"}"));
  during = last_names (f->store);
  g_assert_cmpstr (during[0], ==, "Bühler");
  g_assert_cmpstr (during[1], ==, "Weber");
  g_assert_cmpstr (during[2], ==, "Weiß");

  /* another connection opened meanwhile leaves them to the loader,
   * which still runs */
  {
    g_autoptr(KontorStore) other = kontor_store_open (f->path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                       "AND tbl_name = 'x_contact'"), ==, 0);
  }

  g_assert_true (kontor_store_resume_indexes (f->store, "contact", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                     "AND tbl_name = 'x_contact'"), ==, n_indexes);
  after = last_names (f->store);
  g_assert_cmpstrv (after, during);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM meta "
                                     "WHERE key LIKE 'indexes_suspended:%'"), ==, 0);

  /* a loader that died: the next open builds them */
  g_assert_true (kontor_store_suspend_indexes (f->store, "contact", 10000, &suspended, &error));
  g_assert_true (suspended);
  g_clear_object (&f->store);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE meta SET value = '999999999 1' "
                                       "WHERE key = 'indexes_suspended:contact'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  f->store = kontor_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f->path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                     "AND tbl_name = 'x_contact'"), ==, n_indexes);
}

static guint
count_where (KontorStore *store,
             const char  *condition)
{
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  g_autoptr(GError) error = NULL;
  guint n = G_MAXUINT;

  kontor_query_parse_condition (q, condition, &error);
  g_assert_no_error (error);
  g_assert_true (kontor_store_count (store, q, &n, &error));
  g_assert_no_error (error);
  return n;
}

static void
set_definition (KontorStore *store,
                const char  *id,
                const char  *json)
{
  g_autoptr(JsonObject) change = obj (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) r = kontor_store_update (store, id, change, NULL, &error);

  g_assert_no_error (error);
}

/* A custom field given another type and then its old one back, or
 * deleted and restored, finds every record by its value again: its key
 * column is not left with what it held before (found by a helper session
 * trying to break the key tables). */
static void
test_custom_field_comes_back (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) alpha = NULL;
  const char *def;

  g_assert_nonnull (kontor_store_add_custom_field (f->store, "contact", "rank", "Rang", "integer",
                                                   NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (kontor_store_add_custom_field (f->store, "contact", "tier", "Stufe", "text",
                                                   NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(KontorQuery) q = kontor_query_new ("custom_field");
    g_autoptr(GPtrArray) defs = NULL;

    kontor_query_parse_condition (q, "name=rank", &error);
    defs = kontor_store_query (f->store, q, 0, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (defs->len, ==, 1);
    def = g_intern_string (kontor_record_get_id (g_ptr_array_index (defs, 0)));
  }
  alpha = create (f->store, "contact", "{\"last_name\":\"Alpha\",\"rank\":3,\"tier\":\"aaa\"}");
  g_object_unref (create (f->store, "contact", "{\"last_name\":\"Beta\",\"rank\":1,\"tier\":\"bbb\"}"));
  g_object_unref (create (f->store, "contact", "{\"last_name\":\"Gamma\",\"rank\":2}"));
  g_assert_cmpuint (count_where (f->store, "rank=2"), ==, 1);

  /* integer -> decimal -> integer */
  set_definition (f->store, def, "{\"type\":\"decimal\"}");
  set_definition (f->store, def, "{\"type\":\"integer\"}");
  g_assert_cmpuint (count_where (f->store, "rank=2"), ==, 1);
  g_assert_cmpuint (count_where (f->store, "rank>1"), ==, 2);

  /* deleted, a record restored meanwhile, restored */
  g_assert_true (kontor_store_delete (f->store, def, &error));
  g_assert_true (kontor_store_delete (f->store, kontor_record_get_id (alpha), &error));
  g_object_unref (kontor_store_restore (f->store, kontor_record_get_id (alpha), &error));
  g_object_unref (kontor_store_restore (f->store, def, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_where (f->store, "rank=3"), ==, 1);

  /* text -> long text (no key) with an edit meanwhile -> text */
  {
    g_autoptr(KontorQuery) q = kontor_query_new ("custom_field");
    g_autoptr(GPtrArray) defs = NULL;
    const char *tier;

    kontor_query_parse_condition (q, "name=tier", &error);
    defs = kontor_store_query (f->store, q, 0, 0, &error);
    g_assert_no_error (error);
    tier = kontor_record_get_id (g_ptr_array_index (defs, 0));
    set_definition (f->store, tier, "{\"type\":\"long_text\"}");
    {
      g_autoptr(JsonObject) change = obj ("{\"tier\":\"zzz\"}");
      g_autoptr(KontorRecord) r = kontor_store_update (f->store, kontor_record_get_id (alpha),
                                                       change, NULL, &error);

      g_assert_no_error (error);
    }
    set_definition (f->store, tier, "{\"type\":\"text\"}");
  }
  g_assert_cmpuint (count_where (f->store, "tier=zzz"), ==, 1);
  g_assert_cmpuint (count_where (f->store, "tier=aaa"), ==, 0);
}

static void
write_file (const char *path,
            const void *data,
            gsize       len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

static void
assert_untouched (const char *path,
                  const char *before,
                  gsize       before_len)
{
  g_autofree char *after = NULL;
  gsize after_len;

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, before, before_len);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
}

static void
test_refuse_bad_files (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *garbage = g_build_filename (f->dir, "garbage.db", NULL);
  g_autofree char *damaged = g_build_filename (f->dir, "damaged.db", NULL);
  g_autofree char *newer = g_build_filename (f->dir, "newer.db", NULL);
  g_autofree char *foreign = g_build_filename (f->dir, "foreign.db", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;
  KontorStore *store;

  /* not SQLite at all */
  write_file (garbage, "BEGIN:VCARD\nFN:Nope\nEND:VCARD\n" "0123456789012345678901234567890123456789"
              "0123456789012345678901234567890123456789", 110);
  g_file_get_contents (garbage, &contents, &len, NULL);
  store = kontor_store_open (garbage, &error);
  g_assert_null (store);
  g_assert_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not a Kontor database"));
  assert_untouched (garbage, contents, len);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);

  /* a real replica, then its schema pages overwritten */
  {
    g_autoptr(KontorStore) s = kontor_store_open (damaged, &error);
    g_autoptr(KontorRecord) r = create (s, "contact", "{\"last_name\":\"Groß\"}");
    g_assert_no_error (error);
  }
  {
    g_autofree char *wal = g_strconcat (damaged, "-wal", NULL);
    g_autofree char *shm = g_strconcat (damaged, "-shm", NULL);
    char *bytes;

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));  /* checkpointed on close */
    g_remove (shm);
    g_file_get_contents (damaged, &contents, &len, NULL);
    bytes = contents;
    memset (bytes + 100, 0x5A, MIN (len, 4096) - 100);  /* page 1 after the header */
    write_file (damaged, bytes, len);
  }
  store = kontor_store_open (damaged, &error);
  g_assert_null (store);
  g_assert_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_CORRUPT);
  g_test_message ("damaged: %s", error->message);
  assert_untouched (damaged, contents, len);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);

  /* from a newer Kontor */
  {
    g_autoptr(KontorStore) s = kontor_store_open (newer, &error);
    sqlite3 *db;

    g_assert_no_error (error);
    g_clear_object (&s);
    g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode=DELETE; PRAGMA user_version = 99",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_file_get_contents (newer, &contents, &len, NULL);
  store = kontor_store_open (newer, &error);
  g_assert_null (store);
  g_assert_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  assert_untouched (newer, contents, len);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);

  /* another program's database */
  {
    sqlite3 *db;

    g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE moz_places (id INTEGER)", NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_file_get_contents (foreign, &contents, &len, NULL);
  store = kontor_store_open (foreign, &error);
  g_assert_null (store);
  g_assert_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_NOT_KONTOR);
  assert_untouched (foreign, contents, len);
}

static void
on_changed (KontorStore *store,
            const char  *kind,
            GPtrArray   *seen)
{
  g_ptr_array_add (seen, g_strdup (kind));
}

static void
test_transaction (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorQuery) q = kontor_query_new ("contact");
  guint n = 99;

  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), seen);

  /* many creates in one transaction: one signal after the commit */
  g_assert_true (kontor_store_begin (f->store, &error));
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(KontorRecord) r = create (f->store, "contact", "{\"last_name\":\"Nußbaum\"}");
    }
  g_assert_cmpuint (seen->len, ==, 0);
  g_assert_true (kontor_store_commit (f->store, &error));
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "contact");
  g_assert_true (kontor_store_count (f->store, q, &n, &error));
  g_assert_cmpuint (n, ==, 50);

  /* a rolled back transaction leaves nothing, and the counter goes on from
   * where the database says */
  g_assert_true (kontor_store_begin (f->store, &error));
  {
    g_autoptr(KontorRecord) r = create (f->store, "contact", "{\"last_name\":\"Rollback\"}");
  }
  kontor_store_rollback (f->store);
  g_assert_true (kontor_store_count (f->store, q, &n, &error));
  g_assert_cmpuint (n, ==, 50);
  g_assert_cmpuint (kontor_store_outbox_count (f->store), ==, 50);
  {
    g_autoptr(KontorRecord) r = create (f->store, "contact", "{\"last_name\":\"Danach\"}");
    g_autoptr(GPtrArray) out = kontor_store_outbox_list (f->store, 0, &error);
    JsonObject *last = json_node_get_object (g_ptr_array_index (out, out->len - 1));

    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (last, "dot"), 1),
                     ==, 51);
  }
}

/* Two connections to one file, as the app's and the sync thread's: the
 * replica id and counter the other took, and the custom fields it wrote,
 * are honoured. */
static void
test_two_connections (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) other = kontor_store_open (f->path, &error);
  g_autoptr(KontorRecord) before = NULL;
  g_autoptr(KontorRecord) after = NULL;
  g_autoptr(GPtrArray) out = NULL;
  g_autofree char *state = NULL;
  JsonObject *last;

  g_assert_no_error (error);
  before = create (f->store, "contact", "{\"last_name\":\"Vorher\"}");
  /* the other connection registers the replica (and renames the dots) */
  g_assert_true (kontor_store_set_replica_id (other, 7, &error));
  g_assert_no_error (error);
  after = create (f->store, "contact", "{\"last_name\":\"Nachher\"}");

  out = kontor_store_outbox_list (f->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 2);
  last = json_node_get_object (g_ptr_array_index (out, 1));
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (last, "dot"), 0), ==, 7);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (last, "dot"), 1), ==, 2);
  g_assert_cmpuint (kontor_store_get_replica_id (f->store), ==, 7);
  state = kontor_store_get_state (f->store, kontor_record_get_id (before), &error);
  g_assert_nonnull (strstr (state, "\"7\":1"));

  /* opening a file whose key tables are complete takes no write lock:
   * it does not wait for a writer elsewhere (an import's batch) */
  {
    g_autoptr(KontorStore) third = NULL;
    gint64 start;

    g_assert_true (kontor_store_begin (f->store, &error));
    start = g_get_monotonic_time ();
    third = kontor_store_open (f->path, &error);
    g_assert_no_error (error);
    g_assert_nonnull (third);
    g_test_message ("opened beside a writer in %.3f s",
                    (g_get_monotonic_time () - start) / 1e6);
    g_assert_true (kontor_store_commit (f->store, &error));
  }

  /* a custom field added on the other connection reaches this schema */
  g_assert_nonnull (kontor_store_add_custom_field (other, "contact", "hobby", "Hobby", "text",
                                                   NULL, &error));
  g_assert_no_error (error);
  kontor_store_notify_changed (f->store, "custom_field");
  g_assert_nonnull (kontor_kind_get_field (kontor_schema_get_kind (kontor_store_get_schema (f->store),
                                                                   "contact"), "hobby"));

  /* ... and its key column is filled by this connection's writes, so
   * both connections find the record by it (through the key table) */
  g_object_unref (create (f->store, "contact", "{\"last_name\":\"Kletterer\",\"hobby\":\"Bouldern\"}"));
  {
    KontorStore *stores[] = { f->store, other };

    for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
      {
        g_autoptr(KontorQuery) q = kontor_query_new ("contact");
        g_autofree char *plan = NULL;
        guint n = 0;

        kontor_query_parse_condition (q, "hobby=bouldern", &error);
        g_assert_no_error (error);
        plan = kontor_store_explain_query (stores[i], q, &error);
        g_assert_no_error (error);
        g_assert_nonnull (strstr (plan, "ix_contact__hobby__text"));
        g_assert_true (kontor_store_count (stores[i], q, &n, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (n, ==, 1);
      }
  }
}

/* A second store of the same file in this process must not drop the first
 * one's locks (closing any descriptor of a file drops all of a process's
 * POSIX locks on it): else another program that opens and closes the file
 * takes it for unused and deletes the WAL under the app. */
static void
test_locks_kept (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) other = NULL;
  g_autoptr(KontorRecord) first = create (f->store, "contact", "{\"last_name\":\"Erster\"}");
  g_autoptr(KontorRecord) second = NULL;
  g_autoptr(KontorRecord) seen = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) sqlite = NULL;

  other = kontor_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* another program reads the file and closes it */
  sqlite = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                             "sqlite3", f->path, "SELECT count(*) FROM record WHERE kind = 'contact'",
                             NULL);
  if (sqlite == NULL)
    {
      g_test_skip ("sqlite3 is not installed");
      return;
    }
  g_assert_true (g_subprocess_communicate_utf8 (sqlite, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_strstrip (out), ==, "1");
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* both stores go on working and see each other's writes */
  second = create (f->store, "contact", "{\"last_name\":\"Zweiter\"}");
  seen = kontor_store_get (other, kontor_record_get_id (second), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_record_get_title (seen), ==, "Zweiter");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/crud", test_crud);
  ADD ("/store/outbox", test_outbox);
  ADD ("/store/validation-errors", test_validation_errors);
  ADD ("/store/search", test_search);
  ADD ("/store/links", test_links);
  ADD ("/store/filters-and-custom-fields", test_filters_and_custom_fields);
  ADD ("/store/index-used", test_index_used);
  ADD ("/store/migrate-v1", test_migrate_v1);
  ADD ("/store/suspend-indexes", test_suspend_indexes);
  ADD ("/store/custom-field-comes-back", test_custom_field_comes_back);
  ADD ("/store/refuse-bad-files", test_refuse_bad_files);
  ADD ("/store/transaction", test_transaction);
  ADD ("/store/two-connections", test_two_connections);
  ADD ("/store/locks-kept", test_locks_kept);
#undef ADD

  return g_test_run ();
}
