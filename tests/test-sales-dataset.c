/* test-sales-dataset.c: the CRM Sales Opportunities files through an import profile
 *
 * The expected figures are computed here from the CSV files with code of
 * its own (the files have no quotes, so splitting at commas is exact),
 * never taken from the importer.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kontor-import-profile.h"

typedef struct
{
  char        *dir;
  char        *dataset;
  KontorStore *store;
} Fixture;

/* A CSV file of the dataset as rows of fields, header first. */
static GPtrArray *
read_csv (const char *dataset,
          const char *name)
{
  g_autofree char *path = g_build_filename (dataset, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_strdelimit (lines[i], "\r", '\0');
      if (lines[i][0] != '\0')
        g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
    }

  return rows;
}

static guint
column (GPtrArray  *rows,
        const char *name)
{
  GStrv header = g_ptr_array_index (rows, 0);

  for (guint i = 0; header[i]; i++)
    if (g_str_equal (header[i], name))
      return i;
  g_assert_not_reached ();
  return 0;
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
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *shared = g_getenv ("KONTOR_SHARED");

  f->dir = g_dir_make_tmp ("kontor-test-sales-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "replica.db", NULL);
  f->store = kontor_store_open (path, &error);
  g_assert_no_error (error);

  if (shared != NULL)
    {
      f->dataset = g_build_filename (shared, "datasets", "crm-sales-opportunities", NULL);
      if (!g_file_test (f->dataset, G_FILE_TEST_IS_DIR))
        g_clear_pointer (&f->dataset, g_free);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->dataset);
}

static gboolean
need_dataset (Fixture *f)
{
  if (f->dataset != NULL)
    return TRUE;
  g_test_skip ("KONTOR_SHARED/datasets/crm-sales-opportunities is not there");
  return FALSE;
}

static char *
profile_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "import-profiles",
                                "crm-sales-opportunities.json", NULL);
}

/* The project's profile; without_aliases drops its "aliases". */
static KontorImportProfile *
load_profile (Fixture  *f,
              gboolean  without_aliases)
{
  g_autofree char *path = profile_path ();
  g_autoptr(GFile) base = g_file_new_for_path (f->dataset);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  KontorImportProfile *profile;

  if (!without_aliases)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      profile = kontor_import_profile_new_from_file (file, &error);
      g_assert_no_error (error);
      kontor_import_profile_set_base (profile, base);
      return profile;
    }

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, contents, -1, &error);
  g_assert_no_error (error);
  json_object_remove_member (json_node_get_object (json_parser_get_root (parser)), "aliases");
  json_generator_set_root (gen, json_parser_get_root (parser));
  text = json_generator_to_data (gen, NULL);

  profile = kontor_import_profile_new_from_data (text, -1, base, &error);
  g_assert_no_error (error);
  return profile;
}

static guint
table_index (KontorImportProfile *profile,
             const char          *name)
{
  for (guint i = 0; i < kontor_import_profile_get_n_tables (profile); i++)
    if (g_str_equal (kontor_import_profile_get_stats (profile, i)->name, name))
      return i;
  g_assert_not_reached ();
  return 0;
}

static guint
count (KontorStore *store,
       const char  *kind,
       ...)
{
  g_autoptr(KontorQuery) query = kontor_query_new (kind);
  g_autoptr(GError) error = NULL;
  const char *condition;
  guint n = 0;
  va_list args;

  va_start (args, kind);
  while ((condition = va_arg (args, const char *)) != NULL)
    {
      kontor_query_parse_condition (query, condition, &error);
      g_assert_no_error (error);
    }
  va_end (args);

  kontor_store_count (store, query, &n, &error);
  g_assert_no_error (error);
  return n;
}

/* The one record of kind whose field is value. */
static KontorRecord *
find (KontorStore *store,
      const char  *kind,
      const char  *field,
      const char  *value)
{
  g_autoptr(KontorQuery) query = kontor_query_new (kind);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *values[] = { value, NULL };

  kontor_query_add_condition (query, field, KONTOR_QUERY_EQ, values);
  found = kontor_store_query (store, query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  return g_object_ref (g_ptr_array_index (found, 0));
}

static const char *
title_of (KontorStore *store,
          const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) record = NULL;
  static char title[256];

  g_assert_nonnull (id);
  record = kontor_store_get (store, id, &error);
  g_assert_no_error (error);
  g_strlcpy (title, kontor_record_get_string (record, "name"), sizeof title);
  return title;
}

static void
run_profile (KontorImportProfile *profile,
             KontorStore         *store)
{
  g_autoptr(GError) error = NULL;

  kontor_import_profile_run (profile, store, NULL, &error);
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------------- */

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KontorImportProfile) profile = NULL;
  g_autoptr(GPtrArray) teams = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GPtrArray) pipeline = NULL;
  g_autoptr(GPtrArray) won = NULL;
  g_autoptr(KontorQuery) won_query = NULL;
  g_autoptr(KontorRecord) gtx_pro = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) managers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) offices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *gtx_condition = NULL;
  gint64 won_sum = 0;
  gint64 csv_won_sum = 0;
  guint csv_won = 0;
  guint csv_open = 0;
  guint csv_no_account = 0;
  guint csv_gtx_pro = 0;
  guint stage_col, value_col, account_col, product_col, date_col;
  const KontorProfileTableStats *deals;

  if (!need_dataset (f))
    return;

  teams = read_csv (f->dataset, "sales_teams.csv");
  accounts = read_csv (f->dataset, "accounts.csv");
  products = read_csv (f->dataset, "products.csv");
  pipeline = read_csv (f->dataset, "sales_pipeline.csv");

  stage_col = column (pipeline, "deal_stage");
  value_col = column (pipeline, "close_value");
  account_col = column (pipeline, "account");
  product_col = column (pipeline, "product");
  date_col = column (pipeline, "close_date");
  for (guint i = 1; i < pipeline->len; i++)
    {
      GStrv row = g_ptr_array_index (pipeline, i);

      if (g_str_equal (row[stage_col], "Won"))
        {
          csv_won++;
          csv_won_sum += g_ascii_strtoll (row[value_col], NULL, 10);
        }
      if (g_str_equal (row[stage_col], "Prospecting") || g_str_equal (row[stage_col], "Engaging"))
        csv_open++;
      if (row[account_col][0] == '\0')
        csv_no_account++;
      if (g_str_equal (row[product_col], "GTXPro"))
        csv_gtx_pro++;
    }
  for (guint i = 1; i < teams->len; i++)
    {
      GStrv row = g_ptr_array_index (teams, i);

      g_hash_table_add (managers, row[column (teams, "manager")]);
      g_hash_table_add (offices, row[column (teams, "regional_office")]);
    }
  g_assert_cmpuint (csv_gtx_pro, >, 0);

  profile = load_profile (f, FALSE);
  run_profile (profile, f->store);

  /* the counts the issue names, each also computed from the files */
  g_assert_cmpuint (accounts->len - 1, ==, 85);
  g_assert_cmpuint (count (f->store, "organization", NULL), ==, accounts->len - 1);
  g_assert_cmpuint (teams->len - 1, ==, 35);
  g_assert_cmpuint (count (f->store, "user", "role=rep", NULL), ==, teams->len - 1);
  g_assert_cmpuint (count (f->store, "user", "role=manager", NULL), ==, 6);
  g_assert_cmpuint (count (f->store, "user", "role=manager", NULL), ==,
                    g_hash_table_size (managers));
  g_assert_cmpuint (count (f->store, "team", NULL), ==, 3);
  g_assert_cmpuint (count (f->store, "team", NULL), ==, g_hash_table_size (offices));
  g_assert_cmpuint (count (f->store, "product", NULL), ==, 7);
  g_assert_cmpuint (count (f->store, "product", NULL), ==, products->len - 1);
  g_assert_cmpuint (count (f->store, "deal", NULL), ==, 8800);
  g_assert_cmpuint (count (f->store, "deal", NULL), ==, pipeline->len - 1);
  g_assert_cmpuint (count (f->store, "pipeline", NULL), ==, 1);
  g_assert_cmpuint (count (f->store, "stage", NULL), ==, 4);

  deals = kontor_import_profile_get_stats (profile, table_index (profile, "deals"));
  g_assert_cmpuint (deals->n_rows, ==, 8800);
  g_assert_cmpuint (deals->n_imported, ==, 8800);
  g_assert_cmpuint (deals->n_failed, ==, 0);
  g_assert_cmpuint (deals->n_warnings, ==, 0);
  g_assert_cmpuint (kontor_import_profile_get_unmatched (profile)->len, ==, 0);

  /* three reps from the file: their manager and team */
  {
    const guint sampled[] = { 1, 18, 35 };

    for (guint s = 0; s < G_N_ELEMENTS (sampled); s++)
      {
        GStrv row = g_ptr_array_index (teams, sampled[s]);
        g_autoptr(KontorRecord) rep = find (f->store, "user", "name",
                                            row[column (teams, "sales_agent")]);
        g_autoptr(KontorRecord) manager = NULL;

        g_assert_cmpstr (kontor_record_get_string (rep, "role"), ==, "rep");
        g_assert_cmpstr (title_of (f->store, kontor_record_get_string (rep, "team")), ==,
                         row[column (teams, "regional_office")]);
        g_assert_cmpstr (title_of (f->store, kontor_record_get_string (rep, "manager")), ==,
                         row[column (teams, "manager")]);
        manager = find (f->store, "user", "name", row[column (teams, "manager")]);
        g_assert_cmpstr (kontor_record_get_string (manager, "role"), ==, "manager");
        g_assert_cmpstr (kontor_record_get_string (manager, "team"), ==,
                         kontor_record_get_string (rep, "team"));
      }
  }

  /* won deals add up to the file's total, in US dollars */
  won_query = kontor_query_new ("deal");
  kontor_query_parse_condition (won_query, "status=won", &error);
  g_assert_no_error (error);
  won = kontor_store_query (f->store, won_query, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (won->len, ==, csv_won);
  for (guint i = 0; i < won->len; i++)
    {
      JsonNode *value = kontor_record_get_value (g_ptr_array_index (won, i), "value");
      JsonObject *money;

      g_assert_nonnull (value);
      money = json_node_get_object (value);
      g_assert_cmpstr (json_object_get_string_member (money, "currency"), ==, "USD");
      won_sum += json_object_get_int_member (money, "minor");
    }
  g_assert_cmpint (won_sum, ==, csv_won_sum * 100);
  g_test_message ("won deals: %u, sum %" G_GINT64_FORMAT " USD", csv_won, csv_won_sum);

  /* deals without an account are kept, without an organization */
  g_assert_cmpuint (csv_no_account, >, 0);
  g_assert_cmpuint (count (f->store, "deal", "organization?", NULL), ==, csv_no_account);

  /* open deals are kept without close date or value */
  g_assert_cmpuint (count (f->store, "deal", "status=open", NULL), ==, csv_open);
  g_assert_cmpuint (count (f->store, "deal", "status=open", "close_date!?", NULL), ==, 0);
  g_assert_cmpuint (count (f->store, "deal", "status=open", "value!?", NULL), ==, 0);
  g_assert_cmpuint (count (f->store, "deal", "close_date?", NULL), ==, csv_open);
  {
    guint csv_no_date = 0;

    for (guint i = 1; i < pipeline->len; i++)
      csv_no_date += ((GStrv) g_ptr_array_index (pipeline, i))[date_col][0] == '\0';
    g_assert_cmpuint (csv_no_date, ==, csv_open);
  }

  /* "GTXPro" reached "GTX Pro" through the alias; every deal has its product */
  gtx_pro = find (f->store, "product", "name", "GTX Pro");
  gtx_condition = g_strdup_printf ("product=%s", kontor_record_get_id (gtx_pro));
  g_assert_cmpuint (count (f->store, "deal", gtx_condition, NULL), ==, csv_gtx_pro);
  g_assert_cmpuint (count (f->store, "deal", "product?", NULL), ==, 0);
  g_assert_cmpuint (count (f->store, "deal", "owner?", NULL), ==, 0);
  g_assert_cmpuint (count (f->store, "deal", "stage?", NULL), ==, 0);
  g_assert_cmpuint (count (f->store, "deal", "opportunity_id?", NULL), ==, 0);

  /* accounts that are subsidiaries point at their parent */
  {
    g_autoptr(KontorRecord) bluth = find (f->store, "organization", "name", "Bluth Company");
    g_autoptr(KontorRecord) acme = find (f->store, "organization", "name", "Acme Corporation");
    JsonObject *revenue = json_node_get_object (kontor_record_get_value (acme,
                                                                         "annual_revenue"));

    g_assert_cmpstr (kontor_record_get_string (bluth, "parent"), ==, kontor_record_get_id (acme));
    /* 1100.04 million dollars */
    g_assert_cmpint (json_object_get_int_member (revenue, "minor"), ==,
                     G_GINT64_CONSTANT (110004000000));
  }
}

/* Running the profile again creates nothing: rows are matched by key. */
static void
test_second_run (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KontorImportProfile) profile = NULL;
  guint outbox;

  if (!need_dataset (f))
    return;

  profile = load_profile (f, FALSE);
  run_profile (profile, f->store);
  outbox = kontor_store_outbox_count (f->store);

  run_profile (profile, f->store);
  for (guint i = 0; i < kontor_import_profile_get_n_tables (profile); i++)
    {
      const KontorProfileTableStats *stats = kontor_import_profile_get_stats (profile, i);

      g_assert_cmpuint (stats->n_imported, ==, 0);
      g_assert_cmpuint (stats->n_completed, ==, 0);
      g_assert_cmpuint (stats->n_failed, ==, 0);
    }
  g_assert_cmpuint (kontor_import_profile_get_stats (profile,
                                                     table_index (profile, "deals"))->n_existing,
                    ==, 8800);
  g_assert_cmpuint (kontor_store_outbox_count (f->store), ==, outbox);
  g_assert_cmpuint (count (f->store, "deal", NULL), ==, 8800);
  g_assert_cmpuint (count (f->store, "user", NULL), ==, 41);
  g_assert_cmpuint (count (f->store, "organization", NULL), ==, 85);
}

/* Without the alias "GTXPro" is reported per row with the fix, never
 * dropped without a word; adding the alias and running again fills in the
 * products and creates nothing new. */
static void
test_unmatched (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KontorImportProfile) bare = NULL;
  g_autoptr(KontorImportProfile) profile = NULL;
  g_autofree char *alias = NULL;
  const KontorProfileTableStats *deals;
  KontorProfileUnmatched *u;
  GPtrArray *problems;
  guint deals_index;

  if (!need_dataset (f))
    return;

  bare = load_profile (f, TRUE);
  run_profile (bare, f->store);
  deals_index = table_index (bare, "deals");
  deals = kontor_import_profile_get_stats (bare, deals_index);

  g_assert_cmpuint (deals->n_imported, ==, 8800);
  g_assert_cmpuint (deals->n_warnings, ==, 1480);
  g_assert_cmpuint (count (f->store, "deal", "product?", NULL), ==, 1480);

  g_assert_cmpuint (kontor_import_profile_get_unmatched (bare)->len, ==, 1);
  u = g_ptr_array_index (kontor_import_profile_get_unmatched (bare), 0);
  g_assert_cmpstr (u->table, ==, "deals");
  g_assert_cmpstr (u->field, ==, "product");
  g_assert_cmpstr (u->target, ==, "products");
  g_assert_cmpstr (u->value, ==, "GTXPro");
  g_assert_cmpstr (u->suggestion, ==, "GTX Pro");
  g_assert_cmpuint (u->n_rows, ==, 1480);
  alias = kontor_profile_unmatched_alias_json (u);
  g_assert_cmpstr (alias, ==, "\"aliases\": {\"products\":{\"GTXPro\":\"GTX Pro\"}}");

  problems = kontor_import_profile_get_problems (bare, deals_index);
  g_assert_cmpuint (problems->len, ==, 1480);
  {
    KontorImportProblem *p = g_ptr_array_index (problems, 0);

    g_assert_cmpuint (p->line, ==, 3);   /* Z063OYW0, the first GTXPro row */
    g_assert_cmpstr (p->field, ==, "product");
    g_assert_false (p->fatal);
    g_assert_nonnull (strstr (p->message, "GTXPro"));
    g_assert_nonnull (strstr (p->message, "GTX Pro"));
  }

  profile = load_profile (f, FALSE);
  run_profile (profile, f->store);
  deals = kontor_import_profile_get_stats (profile, deals_index);
  g_assert_cmpuint (deals->n_imported, ==, 0);
  g_assert_cmpuint (deals->n_existing, ==, 8800);
  g_assert_cmpuint (deals->n_completed, ==, 1480);
  g_assert_cmpuint (count (f->store, "deal", "product?", NULL), ==, 0);
  g_assert_cmpuint (count (f->store, "deal", NULL), ==, 8800);
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KontorImportProfile) profile = NULL;

  if (!need_dataset (f))
    return;

  profile = load_profile (f, FALSE);
  kontor_import_profile_set_dry_run (profile, TRUE);
  run_profile (profile, f->store);

  g_assert_cmpuint (kontor_import_profile_get_stats (profile,
                                                     table_index (profile, "deals"))->n_imported,
                    ==, 8800);
  g_assert_cmpuint (kontor_import_profile_get_stats (profile,
                                                     table_index (profile, "deals"))->n_failed,
                    ==, 0);
  g_assert_cmpuint (count (f->store, "deal", NULL), ==, 0);
  g_assert_cmpuint (count (f->store, "user", NULL), ==, 0);
  g_assert_cmpuint (kontor_store_outbox_count (f->store), ==, 0);
  g_assert_null (kontor_kind_get_field (kontor_schema_get_kind (kontor_store_get_schema (f->store),
                                                                "deal"), "opportunity_id"));
}

/* Mistakes in a profile are found before anything is written. */
static void
test_profile_errors (Fixture       *f,
                     gconstpointer  data)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { "[]", "not a JSON object" },
    { "{\"tables\": []}", "at least one table" },
    { "{\"tabels\": []}", "unknown member “tabels”" },
    { "{\"tables\": [{\"name\": \"a\", \"kind\": \"deal\", \"file\": \"x.csv\", "
      "\"fields\": {\"stage\": {\"column\": \"s\", \"link\": \"stages\"}}}]}",
      "links to “stages”, which is no table listed before it" },
    { "{\"tables\": [{\"name\": \"a\", \"kind\": \"deal\", \"file\": \"x.csv\", "
      "\"fields\": {\"title\": {\"template\": \"{a\"}}}]}", "does not close" },
    { "{\"tables\": [{\"name\": \"a\", \"kind\": \"deal\", \"file\": \"x.csv\", "
      "\"fields\": {\"value\": {\"column\": \"v\", \"scale\": 12}}}]}", "power of ten" },
    { "{\"tables\": [{\"name\": \"a\", \"kind\": \"deal\", \"file\": \"x.csv\", \"rows\": [], "
      "\"fields\": {}}]}", "either “file” or “rows”" },
  };
  g_autoptr(GFile) base = g_file_new_for_path (f->dir);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KontorImportProfile) profile =
        kontor_import_profile_new_from_data (cases[i].json, -1, base, &error);

      g_assert_null (profile);
      g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FORMAT);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].message);
    }

  /* a column the file does not have, a field the kind does not have */
  {
    g_autofree char *csv = g_build_filename (f->dir, "x.csv", NULL);
    const char *bad_column = "{\"tables\": [{\"name\": \"a\", \"kind\": \"organization\", "
                             "\"file\": \"x.csv\", \"fields\": {\"name\": \"Firma\"}}]}";
    const char *bad_field = "{\"tables\": [{\"name\": \"a\", \"kind\": \"organization\", "
                            "\"file\": \"x.csv\", \"fields\": {\"colour\": \"Name\"}}]}";
    g_autoptr(GError) error = NULL;
    g_autoptr(KontorImportProfile) p1 = NULL;
    g_autoptr(KontorImportProfile) p2 = NULL;

    g_file_set_contents (csv, "Name,City\nAcme,Bonn\n", -1, &error);
    g_assert_no_error (error);

    p1 = kontor_import_profile_new_from_data (bad_column, -1, base, &error);
    g_assert_no_error (error);
    g_assert_false (kontor_import_profile_run (p1, f->store, NULL, &error));
    g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "“Firma”"));
    g_clear_error (&error);

    p2 = kontor_import_profile_new_from_data (bad_field, -1, base, &error);
    g_assert_no_error (error);
    g_assert_false (kontor_import_profile_run (p2, f->store, NULL, &error));
    g_assert_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "colour"));
    g_assert_cmpuint (count (f->store, "organization", NULL), ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sales-dataset/import", Fixture, NULL, fixture_setup, test_import,
              fixture_teardown);
  g_test_add ("/sales-dataset/second-run", Fixture, NULL, fixture_setup, test_second_run,
              fixture_teardown);
  g_test_add ("/sales-dataset/unmatched", Fixture, NULL, fixture_setup, test_unmatched,
              fixture_teardown);
  g_test_add ("/sales-dataset/dry-run", Fixture, NULL, fixture_setup, test_dry_run,
              fixture_teardown);
  g_test_add ("/sales-dataset/profile-errors", Fixture, NULL, fixture_setup,
              test_profile_errors, fixture_teardown);

  return g_test_run ();
}
