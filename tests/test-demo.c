/* test-demo.c: the demo data generator
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-demo"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kontor-demo.h"

typedef struct
{
  char        *dir;
  char        *path;
  KontorStore *store;
} TempStore;

static void
temp_store_free (TempStore *ts)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&ts->store);

  dir = g_dir_open (ts->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (ts->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (ts->dir);

  g_free (ts->dir);
  g_free (ts->path);
  g_free (ts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TempStore, temp_store_free)

typedef struct
{
  guint calls;
  guint last_done;
  guint total;
} Progress;

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpuint (done, >, p->last_done);
  g_assert_cmpuint (done, <=, total);
  p->calls++;
  p->last_done = done;
  p->total = total;
}

/* A fresh database file filled with the demo data of opts. */
static TempStore *
generate (const KontorDemoOptions *opts,
          Progress                *progress)
{
  g_autoptr(GError) error = NULL;
  TempStore *ts = g_new0 (TempStore, 1);

  ts->dir = g_dir_make_tmp ("kontor-test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  ts->path = g_build_filename (ts->dir, "demo.db", NULL);
  ts->store = kontor_store_open (ts->path, &error);
  g_assert_no_error (error);

  kontor_demo_generate (ts->store, opts, progress ? on_progress : NULL, progress, &error);
  g_assert_no_error (error);

  return ts;
}

static guint
count_kind (KontorStore *store,
            const char  *kind)
{
  g_autoptr(KontorQuery) query = kontor_query_new (kind);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  kontor_store_count (store, query, &n, &error);
  g_assert_no_error (error);

  return n;
}

/* Every live record of a kind in creation order. */
static GPtrArray *
all_of (KontorStore *store,
        const char  *kind,
        guint        limit)
{
  g_autoptr(KontorQuery) query = kontor_query_new (kind);
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  records = kontor_store_query (store, query, 0, limit, &error);
  g_assert_no_error (error);
  g_assert_nonnull (records);

  return records;
}

static void
test_defaults (void)
{
  KontorDemoOptions opts;

  kontor_demo_options_init_default (&opts, 1);
  g_assert_cmpuint (opts.n_organizations, ==, 40);
  g_assert_cmpuint (opts.n_contacts, ==, 200);
  g_assert_cmpuint (opts.n_leads, ==, 60);
  g_assert_cmpuint (opts.n_deals, ==, 120);
  g_assert_cmpuint (opts.n_activities, ==, 400);

  kontor_demo_options_init_default (&opts, 5);
  g_assert_cmpuint (opts.n_organizations, ==, 200);
  g_assert_cmpuint (opts.n_contacts, ==, 1000);
  g_assert_cmpuint (opts.n_leads, ==, 300);
  g_assert_cmpuint (opts.n_deals, ==, 600);
  g_assert_cmpuint (opts.n_activities, ==, 2000);
}

static void
test_counts (void)
{
  KontorDemoOptions opts;
  g_autoptr(TempStore) ts = NULL;
  Progress progress = { 0 };
  guint n_users;

  kontor_demo_options_init_default (&opts, 1);
  ts = generate (&opts, &progress);

  g_assert_cmpuint (count_kind (ts->store, "organization"), ==, opts.n_organizations);
  g_assert_cmpuint (count_kind (ts->store, "contact"), ==, opts.n_contacts);
  g_assert_cmpuint (count_kind (ts->store, "lead"), ==, opts.n_leads);
  g_assert_cmpuint (count_kind (ts->store, "deal"), ==, opts.n_deals);
  g_assert_cmpuint (count_kind (ts->store, "activity"), ==, opts.n_activities);
  g_assert_cmpuint (count_kind (ts->store, "team"), ==, 3);
  g_assert_cmpuint (count_kind (ts->store, "pipeline"), ==, 2);
  g_assert_cmpuint (count_kind (ts->store, "stage"), ==, 11);
  g_assert_cmpuint (count_kind (ts->store, "product"), >=, 5);
  n_users = count_kind (ts->store, "user");
  g_assert_cmpuint (n_users, >=, 3 + 3);

  /* every record is reported once at the end, and every 1,000 before */
  g_assert_cmpuint (progress.last_done, ==, progress.total);
  g_assert_cmpuint (progress.total, ==,
                    opts.n_organizations + opts.n_contacts + opts.n_leads + opts.n_deals +
                    opts.n_activities + 3 + n_users + count_kind (ts->store, "product") + 2 + 11);
  g_assert_cmpuint (progress.calls, ==, progress.total / 1000 + (progress.total % 1000 != 0));
}

static void
test_deterministic (void)
{
  KontorDemoOptions opts;
  g_autoptr(TempStore) a = NULL;
  g_autoptr(TempStore) b = NULL;
  g_autoptr(TempStore) c = NULL;
  g_autoptr(GPtrArray) ca = NULL;
  g_autoptr(GPtrArray) cb = NULL;
  g_autoptr(GPtrArray) cc = NULL;
  guint n_same_names = 0;

  kontor_demo_options_init_default (&opts, 1);
  opts.seed = G_GUINT64_CONSTANT (0x123456789abcdef0);
  a = generate (&opts, NULL);
  b = generate (&opts, NULL);
  opts.seed++;
  c = generate (&opts, NULL);

  ca = all_of (a->store, "contact", 20);
  cb = all_of (b->store, "contact", 20);
  cc = all_of (c->store, "contact", 20);
  g_assert_cmpuint (ca->len, ==, 20);
  g_assert_cmpuint (cb->len, ==, 20);
  g_assert_cmpuint (cc->len, ==, 20);

  for (guint i = 0; i < ca->len; i++)
    {
      KontorRecord *ra = g_ptr_array_index (ca, i);
      KontorRecord *rb = g_ptr_array_index (cb, i);
      KontorRecord *rc = g_ptr_array_index (cc, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *sa = NULL;
      g_autofree char *sb = NULL;
      g_autofree char *sc = NULL;

      g_assert_cmpstr (kontor_record_get_id (ra), ==, kontor_record_get_id (rb));
      sa = kontor_store_get_state (a->store, kontor_record_get_id (ra), &error);
      g_assert_no_error (error);
      sb = kontor_store_get_state (b->store, kontor_record_get_id (rb), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sa, ==, sb);

      /* another seed: other ids, other people */
      g_assert_cmpstr (kontor_record_get_id (ra), !=, kontor_record_get_id (rc));
      sc = kontor_store_get_state (c->store, kontor_record_get_id (rc), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sa, !=, sc);
      if (g_strcmp0 (kontor_record_get_string (ra, "first_name"),
                     kontor_record_get_string (rc, "first_name")) == 0 &&
          g_strcmp0 (kontor_record_get_string (ra, "email"),
                     kontor_record_get_string (rc, "email")) == 0)
        n_same_names++;
    }
  g_assert_cmpuint (n_same_names, <, 5);

  /* the whole dataset, not just its start: a deal and an activity late in
   * the run are the same too */
  {
    g_autoptr(GPtrArray) da = all_of (a->store, "activity", 0);
    g_autoptr(GPtrArray) db = all_of (b->store, "activity", 0);
    KontorRecord *last_a = g_ptr_array_index (da, da->len - 1);
    KontorRecord *last_b = g_ptr_array_index (db, db->len - 1);
    g_autofree char *sa = kontor_store_get_state (a->store, kontor_record_get_id (last_a), NULL);
    g_autofree char *sb = kontor_store_get_state (b->store, kontor_record_get_id (last_b), NULL);

    g_assert_cmpuint (da->len, ==, db->len);
    g_assert_nonnull (sa);
    g_assert_cmpstr (sa, ==, sb);
  }
}

static const char *
string_or_empty (KontorRecord *record,
                 const char   *field)
{
  const char *s = kontor_record_get_string (record, field);

  return s ? s : "";
}

static void
test_deals (void)
{
  KontorDemoOptions opts;
  g_autoptr(TempStore) ts = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  guint n_open = 0, n_won = 0, n_lost = 0;

  kontor_demo_options_init_default (&opts, 1);
  ts = generate (&opts, NULL);
  deals = all_of (ts->store, "deal", 0);
  g_assert_cmpuint (deals->len, ==, opts.n_deals);

  for (guint i = 0; i < deals->len; i++)
    {
      KontorRecord *deal = g_ptr_array_index (deals, i);
      g_autoptr(KontorRecord) stage = NULL;
      g_autoptr(KontorRecord) pipeline = NULL;
      g_autoptr(GError) error = NULL;
      const char *status = kontor_record_get_string (deal, "status");
      const char *outcome;
      JsonNode *value;
      JsonObject *money;

      stage = kontor_store_get (ts->store, kontor_record_get_string (deal, "stage"), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (kontor_record_get_kind (stage), ==, "stage");
      g_assert_cmpstr (kontor_record_get_string (stage, "pipeline"), ==,
                       kontor_record_get_string (deal, "pipeline"));
      pipeline = kontor_store_get (ts->store, kontor_record_get_string (deal, "pipeline"), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (kontor_record_get_kind (pipeline), ==, "pipeline");

      /* the status follows the stage */
      outcome = kontor_record_get_string (stage, "outcome");
      g_assert_cmpstr (status, ==, outcome);
      g_assert_cmpint (kontor_record_get_int (deal, "probability", -1), ==,
                       kontor_record_get_int (stage, "probability", -2));
      if (g_str_equal (status, "won"))
        {
          g_assert_cmpstr (kontor_record_get_string (stage, "name"), ==, "Gewonnen");
          g_assert_cmpstr (kontor_record_get_string (deal, "close_date"), <, "2026-12-01");
          n_won++;
        }
      else if (g_str_equal (status, "lost"))
        {
          g_assert_cmpstr (kontor_record_get_string (stage, "name"), ==, "Verloren");
          n_lost++;
        }
      else
        n_open++;

      value = kontor_record_get_value (deal, "value");
      g_assert_nonnull (value);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (value));
      money = json_node_get_object (value);
      g_assert_cmpstr (json_object_get_string_member (money, "currency"), ==, "EUR");
      g_assert_cmpint (json_object_get_int_member (money, "minor"), >=, 100000);
      g_assert_cmpint (json_object_get_int_member (money, "minor"), <=, 100000000);

      g_assert_nonnull (kontor_record_get_string (deal, "owner"));
      g_assert_nonnull (kontor_record_get_string (deal, "product"));
      g_assert_nonnull (kontor_record_get_string (deal, "organization"));
      g_assert_cmpstr (kontor_record_get_string (deal, "engaged_date"), <=,
                       kontor_record_get_string (deal, "close_date"));
    }

  g_assert_cmpuint (n_open, >, 0);
  g_assert_cmpuint (n_won, >, 0);
  g_assert_cmpuint (n_lost, >, 0);
}

static gboolean
has_german_letter (const char *text)
{
  static const char * const letters[] = { "ä", "ö", "ü", "Ä", "Ö", "Ü", "ß" };

  for (guint i = 0; i < G_N_ELEMENTS (letters); i++)
    if (strstr (text, letters[i]) != NULL)
      return TRUE;

  return FALSE;
}

static void
test_names_and_search (void)
{
  KontorDemoOptions opts;
  g_autoptr(TempStore) ts = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  guint n_umlaut = 0;
  gboolean found_mueller = FALSE;

  kontor_demo_options_init_default (&opts, 1);
  ts = generate (&opts, NULL);
  contacts = all_of (ts->store, "contact", 0);

  for (guint i = 0; i < contacts->len; i++)
    {
      KontorRecord *c = g_ptr_array_index (contacts, i);
      const char *last = kontor_record_get_string (c, "last_name");
      const char *email = string_or_empty (c, "email");
      const char *country = string_or_empty (c, "country");

      g_assert_nonnull (last);
      if (has_german_letter (last))
        n_umlaut++;

      /* addresses are transliterated: Müller -> mueller, ß -> ss */
      for (const char *p = email; *p; p++)
        g_assert_true (g_ascii_isprint (*p));
      if (g_str_equal (last, "Müller") && kontor_record_get_string (c, "organization"))
        g_assert_nonnull (strstr (email, "mueller"));

      /* Switzerland writes no ß */
      if (g_str_equal (country, "Schweiz"))
        g_assert_null (strstr (last, "ß"));

      /* phones are stored in E.164 */
      if (kontor_record_get_string (c, "phone") != NULL)
        g_assert_true (kontor_record_get_string (c, "phone")[0] == '+');
    }
  g_assert_cmpuint (n_umlaut, >, 0);

  found = kontor_store_search (ts->store, "muller", "contact", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >, 0);
  for (guint i = 0; i < found->len; i++)
    {
      KontorRecord *c = g_ptr_array_index (found, i);

      g_assert_cmpstr (kontor_record_get_kind (c), ==, "contact");
      if (g_strcmp0 (kontor_record_get_string (c, "last_name"), "Müller") == 0)
        found_mueller = TRUE;
    }
  g_assert_true (found_mueller);

  /* the other spellings meet too */
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kontor_store_search (ts->store, "nussbaum", "contact", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >, 0);
}

static void
test_organizations (void)
{
  KontorDemoOptions opts;
  g_autoptr(TempStore) ts = NULL;
  g_autoptr(GPtrArray) orgs = NULL;
  gboolean countries[3] = { FALSE };

  kontor_demo_options_init_default (&opts, 2);
  ts = generate (&opts, NULL);
  orgs = all_of (ts->store, "organization", 0);
  g_assert_cmpuint (orgs->len, ==, 80);

  for (guint i = 0; i < orgs->len; i++)
    {
      KontorRecord *o = g_ptr_array_index (orgs, i);
      const char *country = kontor_record_get_string (o, "country");
      const char *region = kontor_record_get_string (o, "region");
      const char *phone = kontor_record_get_string (o, "phone");
      const char *postal = kontor_record_get_string (o, "postal_code");
      const char *website = kontor_record_get_string (o, "website");
      const char *email = kontor_record_get_string (o, "email");
      const char *domain = strchr (email, '@') + 1;

      g_assert_nonnull (kontor_record_get_string (o, "name"));
      g_assert_nonnull (kontor_record_get_string (o, "industry"));
      g_assert_nonnull (kontor_record_get_string (o, "owner"));
      g_assert_true (g_str_has_prefix (website, "https://www."));
      g_assert_nonnull (strstr (website, domain));

      if (g_str_equal (country, "Deutschland"))
        {
          countries[0] = TRUE;
          g_assert_true (g_str_has_prefix (phone, "+49"));
          g_assert_cmpuint (strlen (postal), ==, 5);
          g_assert_true (g_str_has_suffix (domain, ".de"));
          g_assert_true (g_strv_contains ((const char *[]) { "Nord", "Süd", "West", "Ost",
                                                             "Mitte", NULL }, region));
        }
      else if (g_str_equal (country, "Österreich"))
        {
          countries[1] = TRUE;
          g_assert_true (g_str_has_prefix (phone, "+43"));
          g_assert_cmpuint (strlen (postal), ==, 4);
          g_assert_true (g_str_has_suffix (domain, ".at"));
          g_assert_cmpstr (region, ==, "Österreich");
        }
      else
        {
          countries[2] = TRUE;
          g_assert_cmpstr (country, ==, "Schweiz");
          g_assert_true (g_str_has_prefix (phone, "+41"));
          g_assert_cmpuint (strlen (phone), ==, 12);
          g_assert_cmpuint (strlen (postal), ==, 4);
          g_assert_true (g_str_has_suffix (domain, ".ch"));
          g_assert_cmpstr (region, ==, "Schweiz");
        }
    }

  g_assert_true (countries[0] && countries[1] && countries[2]);
}

static void
test_activities (void)
{
  KontorDemoOptions opts;
  g_autoptr(TempStore) ts = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  guint overdue = 0, today = 0, future = 0, done = 0;

  kontor_demo_options_init_default (&opts, 1);
  ts = generate (&opts, NULL);
  activities = all_of (ts->store, "activity", 0);

  for (guint i = 0; i < activities->len; i++)
    {
      KontorRecord *a = g_ptr_array_index (activities, i);
      const char *type = kontor_record_get_string (a, "type");
      const char *due = kontor_record_get_string (a, "due");
      const char *start = kontor_record_get_string (a, "start");
      const char *when = due ? due : start;
      JsonNode *done_node = kontor_record_get_value (a, "done");
      gboolean is_done = done_node != NULL && json_node_get_boolean (done_node);

      g_assert_nonnull (when);
      g_assert_true (g_str_has_suffix (when, "Z"));
      g_assert_nonnull (kontor_record_get_string (a, "owner"));
      if (is_done)
        done++;

      /* business hours in Central European Time, 2026-12-01 is the
       * reference day */
      if (g_str_equal (type, "task") || g_str_equal (type, "call"))
        {
          g_assert_nonnull (due);
          if (g_str_has_prefix (due, "2026-12-01"))
            today++;
          else if (strcmp (due, "2026-12-01") < 0 && !is_done)
            overdue++;
          else if (strcmp (due, "2026-12-02") > 0)
            future++;
        }
      else if (g_str_equal (type, "meeting"))
        {
          g_assert_nonnull (start);
          g_assert_cmpstr (kontor_record_get_string (a, "end"), >, start);
        }
    }

  g_assert_cmpuint (overdue, >, 0);
  g_assert_cmpuint (today, >, 0);
  g_assert_cmpuint (future, >, 0);
  g_assert_cmpuint (done, >, 0);
}

/* A failed run leaves nothing of its open batch behind: here the second
 * run with the same seed meets its own first id. */
static void
test_failure_rolls_back (void)
{
  KontorDemoOptions opts;
  g_autoptr(TempStore) ts = NULL;
  g_autoptr(GError) error = NULL;
  guint n_contacts;
  guint n_teams;

  kontor_demo_options_init_default (&opts, 1);
  ts = generate (&opts, NULL);
  n_contacts = count_kind (ts->store, "contact");
  n_teams = count_kind (ts->store, "team");

  g_assert_false (kontor_demo_generate (ts->store, &opts, NULL, NULL, &error));
  g_assert_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_EXISTS);
  g_assert_cmpuint (count_kind (ts->store, "contact"), ==, n_contacts);
  g_assert_cmpuint (count_kind (ts->store, "team"), ==, n_teams);

  /* and the store is usable afterwards */
  g_clear_error (&error);
  opts.seed = 99;
  kontor_demo_generate (ts->store, &opts, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_kind (ts->store, "contact"), ==, 2 * n_contacts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/defaults", test_defaults);
  g_test_add_func ("/demo/counts", test_counts);
  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/deals", test_deals);
  g_test_add_func ("/demo/names-and-search", test_names_and_search);
  g_test_add_func ("/demo/organizations", test_organizations);
  g_test_add_func ("/demo/activities", test_activities);
  g_test_add_func ("/demo/failure-rolls-back", test_failure_rolls_back);

  return g_test_run ();
}
