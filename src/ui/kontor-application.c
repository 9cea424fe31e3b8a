/* kontor-application.c: the Kontor desktop application
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kontor-application.h"
#include "kontor-resources.h"
#include "kontor-window.h"

struct _KontorApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  KontorStore    *store;
};

G_DEFINE_FINAL_TYPE (KontorApplication, kontor_application, ADW_TYPE_APPLICATION)

void
kontor_ui_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      kontor_register_resource ();
      g_once_init_leave (&once, 1);
    }
}

KontorApplication *
kontor_application_new (void)
{
  return g_object_new (KONTOR_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/kontor/Kontor",
                       NULL);
}

KontorStore *
kontor_application_get_store (KontorApplication *self)
{
  g_return_val_if_fail (KONTOR_IS_APPLICATION (self), NULL);

  return self->store;
}

static gint
kontor_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  KontorApplication *self = KONTOR_APPLICATION (app);
  const char *db = NULL;

  if (g_variant_dict_lookup (options, "db", "&s", &db))
    {
      g_free (self->db_path);
      self->db_path = g_strdup (db);
    }

  return -1;
}

static void
kontor_application_startup (GApplication *app)
{
  KontorApplication *self = KONTOR_APPLICATION (app);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (kontor_application_parent_class)->startup (app);

  path = self->db_path ? g_strdup (self->db_path) : kontor_store_default_path ();
  self->store = kontor_store_open (path, &error);
  if (self->store == NULL)
    g_printerr (_("Kontor cannot open its database %s: %s\n"), path, error->message);
}

static void
kontor_application_activate (GApplication *app)
{
  KontorApplication *self = KONTOR_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (kontor_window_new (self));

  gtk_window_present (window);
}

static void
kontor_application_finalize (GObject *object)
{
  KontorApplication *self = KONTOR_APPLICATION (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (kontor_application_parent_class)->finalize (object);
}

static void
kontor_application_class_init (KontorApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kontor_application_finalize;
  app_class->handle_local_options = kontor_application_handle_local_options;
  app_class->startup = kontor_application_startup;
  app_class->activate = kontor_application_activate;
}

static void
kontor_application_init (KontorApplication *self)
{
  static const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The replica database to open"), N_("PATH") },
    { NULL }
  };

  kontor_ui_init ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}
