/* test-record-list.c: the on-demand GListModel over the replica
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "kontor-record-list.h"

static char *
make_db (char **dir_out)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("kontor-list-XXXXXX", &error);

  g_assert_no_error (error);
  *dir_out = dir;
  return g_build_filename (dir, "replica.db", NULL);
}

static void
fill (KontorStore *store,
      guint        n)
{
  static const char * const last[] = { "Müller", "Schmidt", "Schneider", "Fischer", "Weber",
                                       "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann" };
  g_autoptr(GError) error = NULL;

  g_assert_true (kontor_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) v = json_object_new ();
      g_autoptr(KontorRecord) r = NULL;
      g_autofree char *first = g_strdup_printf ("Person%05u", i);

      json_object_set_string_member (v, "first_name", first);
      json_object_set_string_member (v, "last_name", last[i % G_N_ELEMENTS (last)]);
      json_object_set_int_member (v, "score", i % 100);
      r = kontor_store_create (store, "contact", NULL, v, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_true (kontor_store_commit (store, &error));
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *calls)
{
  (*calls)++;
}

static void
test_paging (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = make_db (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) store = kontor_store_open (path, &error);
  g_autoptr(KontorQuery) query = kontor_query_new ("contact");
  g_autoptr(KontorRecordList) list = NULL;
  g_autoptr(KontorRecord) first = NULL;
  g_autoptr(KontorRecord) last = NULL;
  g_autoptr(KontorRecord) mid = NULL;
  const guint n = 1050;

  g_assert_no_error (error);
  fill (store, n);

  kontor_query_parse_sort (query, "last_name,first_name");
  list = kontor_record_list_new (store, query);

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == KONTOR_TYPE_RECORD);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  /* counting reads no rows */
  g_assert_cmpuint (kontor_record_list_get_pages_loaded (list), ==, 0);

  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (kontor_record_get_string (first, "last_name"), ==, "Becker");
  g_assert_cmpstr (kontor_record_get_string (first, "first_name"), ==, "Person00007");
  g_assert_cmpuint (kontor_record_list_get_pages_loaded (list), ==, 1);

  /* the same page again is served from memory */
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (list), 42);
  g_assert_cmpuint (kontor_record_list_get_pages_loaded (list), ==, 1);

  last = g_list_model_get_item (G_LIST_MODEL (list), n - 1);
  g_assert_cmpstr (kontor_record_get_string (last, "last_name"), ==, "Weber");
  g_assert_cmpuint (kontor_record_list_get_pages_loaded (list), ==, 2);

  /* Müller sorts between Meyer and Schmidt (ü as u) */
  mid = g_list_model_get_item (G_LIST_MODEL (list), 4 * 105);
  g_assert_cmpstr (kontor_record_get_string (mid, "last_name"), ==, "Müller");

  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));

  /* walking everything keeps at most a few pages */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KontorRecord) r = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_assert_nonnull (r);
    }
  g_assert_cmpuint (kontor_record_list_get_pages_loaded (list), <=, 13);

  g_clear_object (&list);
  kontor_store_get_path (store);
  g_clear_object (&store);
  g_remove (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

static void
test_follows_store (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = make_db (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) store = kontor_store_open (path, &error);
  g_autoptr(KontorQuery) query = kontor_query_new ("contact");
  g_autoptr(KontorQuery) filtered = kontor_query_new ("contact");
  g_autoptr(KontorRecordList) list = NULL;
  g_autoptr(KontorRecord) r = NULL;
  g_autoptr(JsonObject) v = json_object_new ();
  guint calls = 0;

  g_assert_no_error (error);
  fill (store, 30);
  list = kontor_record_list_new (store, query);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &calls);

  json_object_set_string_member (v, "last_name", "Neu");
  r = kontor_store_create (store, "contact", NULL, v, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 31);

  /* a change of another kind leaves the list alone */
  {
    g_autoptr(JsonObject) o = json_object_new ();
    g_autoptr(KontorRecord) org = NULL;

    json_object_set_string_member (o, "name", "Andere GmbH");
    org = kontor_store_create (store, "organization", NULL, o, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (calls, ==, 1);
  }

  g_assert_true (kontor_store_delete (store, kontor_record_get_id (r), &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 30);

  /* a new query: score >= 90 gives 0..29 % 100 -> none; score < 10 -> 10 */
  kontor_query_parse_condition (filtered, "score<10", &error);
  g_assert_no_error (error);
  kontor_record_list_set_query (list, filtered);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
  g_assert_null (kontor_record_list_get_error (list));

  g_clear_object (&list);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  g_remove (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/record-list/paging", test_paging);
  g_test_add_func ("/record-list/follows-store", test_follows_store);

  return g_test_run ();
}
