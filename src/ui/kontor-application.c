/* kontor-application.c: the Kontor desktop application
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kontor-application.h"
#include "kontor-preferences.h"
#include "kontor-resources.h"
#include "kontor-window.h"

struct _KontorApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  KontorStore    *store;
  char           *open_error;  /* why the store could not be opened */
  gboolean        created;     /* the file did not exist before */
  GSettings      *settings;   /* NULL when the schema is not installed */
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

  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    {
      g_free (self->db_path);
      self->db_path = g_strdup (db);
    }

  return -1;
}

GSettings *
kontor_application_lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* run from the build tree without GSETTINGS_SCHEMA_DIR: no settings,
   * rather than an abort */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

const char *
kontor_application_get_open_error (KontorApplication *self)
{
  g_return_val_if_fail (KONTOR_IS_APPLICATION (self), NULL);

  return self->open_error;
}

gboolean
kontor_application_get_created (KontorApplication *self)
{
  g_return_val_if_fail (KONTOR_IS_APPLICATION (self), FALSE);

  return self->created;
}

const char *
kontor_application_get_db_path (KontorApplication *self)
{
  g_return_val_if_fail (KONTOR_IS_APPLICATION (self), NULL);

  return self->db_path;
}

GSettings *
kontor_application_get_settings (KontorApplication *self)
{
  g_return_val_if_fail (KONTOR_IS_APPLICATION (self), NULL);

  return self->settings;
}

static void
apply_color_scheme (KontorApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK
  };
  int scheme = g_settings_get_enum (self->settings, "color-scheme");

  if (scheme >= 0 && scheme < (int) G_N_ELEMENTS (schemes))
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[scheme]);
}

static void
action_about (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  static const char *developers[] = { "The Kontor authors", NULL };
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-name", _("Kontor"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Kontor authors"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("The offline-first CRM for sales, marketing and service "
                                      "teams: contacts, leads and deals on your laptop, merged "
                                      "field by field with your team’s server."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Kontor authors",
                        /* TRANSLATORS: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
action_preferences (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  KontorApplication *self = KONTOR_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *prefs;

  if (self->store == NULL)
    return;
  prefs = kontor_preferences_window_new (self->store, self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
action_quit (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* closing each window lets it save its state */
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;

      windows = windows->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_actions[] = {
  { "about", action_about, NULL, NULL, NULL, { 0 } },
  { "preferences", action_preferences, NULL, NULL, NULL, { 0 } },
  { "quit", action_quit, NULL, NULL, NULL, { 0 } },
};
static const char *const quit_accels[] = { "<Control>q", NULL };
static const char *const prefs_accels[] = { "<Control>comma", NULL };

static void
kontor_application_startup (GApplication *app)
{
  KontorApplication *self = KONTOR_APPLICATION (app);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (kontor_application_parent_class)->startup (app);

  path = self->db_path ? g_strdup (self->db_path) : kontor_store_default_path ();
  self->created = !g_file_test (path, G_FILE_TEST_EXISTS);
  self->store = kontor_store_open (path, &error);
  if (self->store == NULL)
    {
      g_printerr (_("Kontor cannot open its database %s: %s\n"), path, error->message);
      self->open_error = g_strdup (error->message);
    }
  else if (self->created && self->db_path == NULL)
    self->created = FALSE;   /* the first start: nothing to say */

  self->settings = kontor_application_lookup_settings ();
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::color-scheme",
                               G_CALLBACK (apply_color_scheme), self, G_CONNECT_SWAPPED);
      apply_color_scheme (self);
    }

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
}

static void
kontor_application_activate (GApplication *app)
{
  KontorApplication *self = KONTOR_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (kontor_window_new (self));
      if (self->settings != NULL)
        kontor_window_restore_state (KONTOR_WINDOW (window), self->settings);
    }

  gtk_window_present (window);
}

static void
kontor_application_finalize (GObject *object)
{
  KontorApplication *self = KONTOR_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->open_error, g_free);

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
