/* kontor-preferences.c: the preferences window
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a class of its own: an AdwPreferencesWindow filled here. The phone
 * region and the currency belong to the replica (they decide how typed
 * phone numbers and amounts are read, for the CLI as much as for the app),
 * so they are the store's settings; the style and the voice note download
 * are the desktop's (GSettings).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kontor-preferences.h"
#include "kontor-transcriber.h"

/* A region or currency code entry: applied with its button, refused with
 * the store's message under the row. */
typedef struct
{
  KontorStore *store;
  char        *key;
  GtkWidget   *row;
  GtkWidget   *message;
} CodeRow;

static void
code_row_free (gpointer data)
{
  CodeRow *cr = data;

  g_object_unref (cr->store);
  g_free (cr->key);
  g_free (cr);
}

static void
on_code_apply (AdwEntryRow *row,
               CodeRow     *cr)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (!kontor_store_set_setting (cr->store, cr->key, text, &error))
    {
      gtk_label_set_label (GTK_LABEL (cr->message), error->message);
      gtk_widget_set_visible (cr->message, TRUE);
      gtk_widget_add_css_class (cr->row, "error");
      return;
    }

  gtk_widget_set_visible (cr->message, FALSE);
  gtk_widget_remove_css_class (cr->row, "error");
  stored = kontor_store_get_setting (cr->store, cr->key);
  gtk_editable_set_text (GTK_EDITABLE (row), stored ? stored : "");
}

static void
add_code_row (AdwPreferencesGroup *group,
              KontorStore         *store,
              const char          *key,
              const char          *title,
              const char          *name)
{
  CodeRow *cr = g_new0 (CodeRow, 1);
  g_autofree char *value = kontor_store_get_setting (store, key);

  cr->store = g_object_ref (store);
  cr->key = g_strdup (key);
  cr->row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (cr->row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (cr->row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (cr->row), value ? value : "");
  gtk_widget_set_name (cr->row, name);
  g_signal_connect_data (cr->row, "apply", G_CALLBACK (on_code_apply), cr,
                         (GClosureNotify) (void (*) (void)) code_row_free, 0);

  cr->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (cr->message), 0);
  gtk_label_set_wrap (GTK_LABEL (cr->message), TRUE);
  gtk_widget_add_css_class (cr->message, "error");
  gtk_widget_add_css_class (cr->message, "caption");
  gtk_widget_set_margin_top (cr->message, 6);
  gtk_widget_set_visible (cr->message, FALSE);

  adw_preferences_group_add (group, cr->row);
  adw_preferences_group_add (group, cr->message);
}

static gboolean
scheme_to_selected (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  g_value_set_uint (value, g_str_equal (nick, "light") ? 1 : g_str_equal (nick, "dark") ? 2 : 0);
  return TRUE;
}

static GVariant *
selected_to_scheme (const GValue       *value,
                    const GVariantType *type,
                    gpointer            user_data)
{
  static const char *const nicks[] = { "follow", "light", "dark" };
  guint selected = g_value_get_uint (value);

  return g_variant_new_string (nicks[selected < G_N_ELEMENTS (nicks) ? selected : 0]);
}

GtkWidget *
kontor_preferences_window_new (KontorStore *store,
                               GSettings   *settings)
{
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *data = adw_preferences_group_new ();

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 520);
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("General"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "preferences-system-symbolic");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (data), _("Typed Values"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (data),
                                         _("How phone numbers without a country code and amounts "
                                           "without a currency are read in this database."));
  add_code_row (ADW_PREFERENCES_GROUP (data), store, "default_region",
                _("Phone region (two letters, e.g. DE)"), "default-region");
  add_code_row (ADW_PREFERENCES_GROUP (data), store, "default_currency",
                _("Currency (three letters, e.g. EUR)"), "default-currency");
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (data));

  if (settings != NULL)
    {
      GtkWidget *look = adw_preferences_group_new ();
      GtkWidget *style = adw_combo_row_new ();
      GtkWidget *sync = adw_preferences_group_new ();
      GtkWidget *ahead = adw_action_row_new ();
      GtkWidget *ahead_switch = gtk_switch_new ();
      const char *const styles[] = { _("Follow the system"), _("Light"), _("Dark"), NULL };
      g_autoptr(GtkStringList) model = gtk_string_list_new (styles);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (look), _("Appearance"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (style), _("Style"));
      adw_combo_row_set_model (ADW_COMBO_ROW (style), G_LIST_MODEL (model));
      gtk_widget_set_name (style, "color-scheme");
      g_settings_bind_with_mapping (settings, "color-scheme", style, "selected",
                                    G_SETTINGS_BIND_DEFAULT, scheme_to_selected,
                                    selected_to_scheme, NULL, NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (look), style);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (look));

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (sync), _("Voice Notes"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (ahead), _("Download ahead of time"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (ahead),
                                   _("Every voice note plays offline, at the cost of disk space. "
                                     "Otherwise a note downloads when it is first played."));
      gtk_widget_set_valign (ahead_switch, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (ahead), ahead_switch);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (ahead), ahead_switch);
      g_settings_bind (settings, "download-voice-notes-ahead", ahead_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (sync), ahead);

      /* only where the local engine is installed */
      if (kontor_transcriber_is_available ())
        {
          GtkWidget *transcribe = adw_action_row_new ();
          GtkWidget *transcribe_switch = gtk_switch_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (transcribe), _("Transcribe new voice notes"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (transcribe),
                                       _("English speech only. The words become searchable; "
                                         "nothing leaves this computer."));
          gtk_widget_set_valign (transcribe_switch, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (transcribe), transcribe_switch);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (transcribe), transcribe_switch);
          g_settings_bind (settings, "transcribe-voice-notes", transcribe_switch, "active",
                           G_SETTINGS_BIND_DEFAULT);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (sync), transcribe);
        }
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (sync));
    }

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  return window;
}
