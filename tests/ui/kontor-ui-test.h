/* kontor-ui-test.h: small helpers shared by the UI tests (h2's widgets)
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <glib/gstdio.h>

#include "kontor-application.h"
#include "kontor-store.h"

/* Runs the main loop for about ms milliseconds. */
static inline void
kontor_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* Runs the main loop until done(data) or timeout_ms; returns done(). */
static inline gboolean
kontor_test_wait (gboolean (*done) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    kontor_test_spin (10);
  return done (data);
}

/* Depth-first: every widget below root (root included) whose object data
 * key is set (and equals value, if value is not NULL). */
static inline void
kontor_test_collect (GtkWidget  *root,
                     const char *key,
                     const char *value,
                     GPtrArray  *out)
{
  const char *data = g_object_get_data (G_OBJECT (root), key);

  if (data != NULL && (value == NULL || g_str_equal (data, value)))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    kontor_test_collect (c, key, value, out);
}

static inline GtkWidget *
kontor_test_find (GtkWidget  *root,
                  const char *key,
                  const char *value)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  kontor_test_collect (root, key, value, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* The widget below root with the given widget name (gtk_widget_set_name). */
static inline GtkWidget *
kontor_test_find_named (GtkWidget  *root,
                        const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *w = kontor_test_find_named (c, name);

      if (w != NULL)
        return w;
    }
  return NULL;
}

/* Every widget of type below root, depth-first, visible ones only if asked. */
static inline void
kontor_test_collect_type (GtkWidget *root,
                          GType      type,
                          gboolean   visible_only,
                          GPtrArray *out)
{
  if (visible_only && !gtk_widget_get_visible (root))
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    kontor_test_collect_type (c, type, visible_only, out);
}

/* A fresh replica in a temporary directory (removed by the caller's
 * kontor_test_store_free). */
typedef struct
{
  char        *dir;
  KontorStore *store;
} KontorTestStore;

static inline KontorTestStore *
kontor_test_store_new (void)
{
  KontorTestStore *ts = g_new0 (KontorTestStore, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  ts->dir = g_dir_make_tmp ("kontor-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (ts->dir, "kontor.db", NULL);
  ts->store = kontor_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (kontor_store_set_setting (ts->store, "default_currency", "EUR", &error));
  g_assert_no_error (error);
  return ts;
}

static inline void
kontor_test_store_free (KontorTestStore *ts)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_clear_object (&ts->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strdup_printf ("kontor.db%s", suffixes[i]);
      g_autofree char *path = g_build_filename (ts->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (ts->dir);
  g_free (ts->dir);
  g_free (ts);
}

/* Creates a record from "field", "value", … pairs (strings; parsed by the
 * field's type like typed text) and returns its id. */
static inline char *
kontor_test_create (KontorStore *store,
                    const char  *kind,
                    ...)
{
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) record = NULL;
  KontorKind *k = kontor_schema_get_kind (kontor_store_get_schema (store), kind);
  const char *field;
  va_list args;

  va_start (args, kind);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      const char *text = va_arg (args, const char *);
      KontorField *f = kontor_kind_get_field (k, field);
      g_autoptr(JsonNode) node = NULL;

      g_assert_nonnull (f);
      node = kontor_field_parse_text (f, text, kontor_store_get_parse_context (store), &error);
      g_assert_no_error (error);
      json_object_set_member (values, field, g_steal_pointer (&node));
    }
  va_end (args);

  record = kontor_store_create (store, kind, NULL, values, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (kontor_record_get_id (record));
}

/* The environment every UI test starts from: C locale, UTC, GResources. */
static inline void
kontor_test_ui_init (int    *argc,
                     char ***argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
  kontor_ui_init ();
}
