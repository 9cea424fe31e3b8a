/* kontor-timeline.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kontor-format.h"
#include "kontor-timeline.h"

static GHashTable *factories;   /* kind -> KontorTimelineRowFactory */

void
kontor_timeline_register_row_factory (const char               *kind,
                                      KontorTimelineRowFactory  factory)
{
  g_return_if_fail (kind != NULL);

  if (factories == NULL)
    factories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (factory == NULL)
    g_hash_table_remove (factories, kind);
  else
    g_hash_table_insert (factories, g_strdup (kind), (gpointer) factory);
}

KontorTimelineRowFactory
kontor_timeline_lookup_row_factory (const char *kind)
{
  if (factories == NULL || kind == NULL)
    return NULL;

  return (KontorTimelineRowFactory) g_hash_table_lookup (factories, kind);
}

gboolean
kontor_timeline_kind_is_timeline (const char *kind)
{
  static const char * const kinds[] = { "activity", "voice_note", "deal", "lead", NULL };

  return (kind != NULL && g_strv_contains (kinds, kind))
         || kontor_timeline_lookup_row_factory (kind) != NULL;
}

const char *
kontor_timeline_kind_icon (const char *kind)
{
  static const struct { const char *kind, *icon; } icons[] = {
    { "contact", "avatar-default-symbolic" },
    { "organization", "system-users-symbolic" },
    { "lead", "starred-symbolic" },
    { "deal", "emblem-documents-symbolic" },
    { "activity", "task-due-symbolic" },
    { "voice_note", "audio-input-microphone-symbolic" },
    { "product", "x-office-presentation-symbolic" },
    { "user", "system-switch-user-symbolic" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    if (g_strcmp0 (kind, icons[i].kind) == 0)
      return icons[i].icon;

  return "x-office-document-symbolic";
}

GtkWidget *
kontor_timeline_generic_row_new (KontorStore  *store,
                                 KontorRecord *record)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (store),
                                             kontor_record_get_kind (record));
  const char *title = kontor_record_get_title (record);
  gint64 when = kontor_format_record_time (record);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (kontor_timeline_kind_icon (kontor_record_get_kind (record)));
  const char *kind_label = kind ? _(kontor_kind_get_label (kind)) : kontor_record_get_kind (record);

  if (when != 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (when);
      g_autofree char *date = g_date_time_format (dt, "%x");

      /* Translators: a record's kind and date in the timeline, "Call · 03.12.2026" */
      subtitle = g_strdup_printf (_("%s · %s"), kind_label, date);
    }
  else
    subtitle = g_strdup (kind_label);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 title && *title ? title : _("Untitled"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "kontor-record-id",
                          g_strdup (kontor_record_get_id (record)), g_free);
  g_object_set_data_full (G_OBJECT (row), "kontor-record-kind",
                          g_strdup (kontor_record_get_kind (record)), g_free);

  return row;
}
