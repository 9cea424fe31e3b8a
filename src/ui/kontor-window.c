/* kontor-window.c: the main window; it hosts the areas and navigates
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three panes in an AdwLeaflet: the areas (sidebar), the area itself (a
 * list, the Today page, the deals board, the activities) and the record
 * that is open. On a narrow window they fold into one column and the
 * header bars' back buttons walk between them. The window owns no data:
 * every page reads the store, and the sync controller owns the account and
 * the engine.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kontor-activities-page.h"
#include "kontor-deal-board.h"
#include "kontor-duplicates-window.h"
#include "kontor-exporter.h"
#include "kontor-import-dialog.h"
#include "kontor-record-list-page.h"
#include "kontor-record-page.h"
#include "kontor-recorder.h"
#include "kontor-recorder-panel.h"
#include "kontor-sync-controller.h"
#include "kontor-sync-indicator.h"
#include "kontor-timeline.h"
#include "kontor-today-page.h"
#include "kontor-transcriber.h"
#include "kontor-voice-note-row.h"
#include "kontor-voice-notes.h"
#include "kontor-window.h"

struct _KontorWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListBox           *areas_list;
  AdwHeaderBar         *sidebar_header;
  AdwHeaderBar         *content_header;
  AdwWindowTitle       *area_title;
  GtkButton            *sidebar_button;
  GtkButton            *new_button;
  AdwBin               *sync_bin;
  GtkStack             *area_stack;
  GtkWidget            *detail_separator;
  AdwBin               *detail_bin;

  KontorStore          *store;
  KontorSyncController *sync;
  KontorSyncEngine     *attached_engine;   /* the engine voice notes follow */
  KontorTranscriber    *transcriber;       /* created on first use */
  GCancellable         *cancellable;
  char                 *area;
};

G_DEFINE_FINAL_TYPE (KontorWindow, kontor_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_AREA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The areas of the sidebar, in order; kind is what "New" creates there. */
static const struct
{
  const char *name;
  const char *label;
  const char *icon;
  const char *kind;
} areas[] = {
  { "today", N_("Today"), "go-home-symbolic", "contact" },
  { "contact", N_("Contacts"), "avatar-default-symbolic", "contact" },
  { "organization", N_("Organizations"), "system-users-symbolic", "organization" },
  { "lead", N_("Leads"), "star-new-symbolic", "lead" },
  { "deal", N_("Deals"), "x-office-spreadsheet-symbolic", "deal" },
  { "board", N_("Pipeline"), "view-grid-symbolic", "deal" },
  { "activity", N_("Activities"), "task-due-symbolic", "activity" },
};

static int
area_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    if (g_strcmp0 (areas[i].name, name) == 0)
      return (int) i;
  return -1;
}

static const char *
current_kind (KontorWindow *self)
{
  int i = area_index (self->area);

  return i >= 0 ? areas[i].kind : "contact";
}

static gboolean
detail_shown (KontorWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->detail_bin));
}

static KontorRecordPage *
current_record_page (KontorWindow *self)
{
  GtkWidget *child = adw_bin_get_child (self->detail_bin);

  return KONTOR_IS_RECORD_PAGE (child) ? KONTOR_RECORD_PAGE (child) : NULL;
}

/* The application: the window's, or while the window is constructed
 * (before its "application" is set) the running one. NULL in tests. */
static KontorApplication *
app_of (KontorWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (app == NULL)
    app = g_application_get_default ();
  return KONTOR_IS_APPLICATION (app) ? KONTOR_APPLICATION (app) : NULL;
}

static void
toast (KontorWindow *self,
       const char   *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* ---------------------------------------------------------------------- */
/* Folding                                                                */

static void
update_chrome (KontorWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  const char *visible = adw_leaflet_get_visible_child_name (self->leaflet);
  KontorRecordPage *page = current_record_page (self);

  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), folded);
  adw_header_bar_set_show_end_title_buttons (self->sidebar_header, folded);
  adw_header_bar_set_show_start_title_buttons (self->content_header, folded);
  adw_header_bar_set_show_end_title_buttons (self->content_header, folded || !detail_shown (self));
  gtk_widget_set_visible (self->detail_separator, detail_shown (self));
  if (page != NULL)
    kontor_record_page_set_folded (page, folded);

  /* a folded window that was showing the record it just closed */
  if (folded && g_strcmp0 (visible, "detail") == 0 && !detail_shown (self))
    adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

static void
on_folded_changed (KontorWindow *self)
{
  update_chrome (self);
}

static void
on_sidebar_button_clicked (KontorWindow *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
}

static void
close_detail (KontorWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "content");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_bin), FALSE);
  adw_bin_set_child (self->detail_bin, NULL);
  update_chrome (self);
}

/* ---------------------------------------------------------------------- */
/* The record pane                                                        */

static void show_record (KontorWindow *self, const char *kind, const char *id);

static void
on_record_created (KontorRecordPage *page,
                   KontorRecord     *record,
                   KontorWindow     *self)
{
  g_autofree char *text = NULL;

  /* the new record's own page, with its timeline and links */
  show_record (self, kontor_record_get_kind (record), kontor_record_get_id (record));
  text = g_strdup_printf (_("“%s” created"), kontor_record_get_title (record)
                                             ? kontor_record_get_title (record) : "");
  toast (self, text);
}

static void
show_record (KontorWindow *self,
             const char   *kind,
             const char   *id)
{
  GtkWidget *page = kontor_record_page_new (self->store, kind, id);

  g_signal_connect_object (page, "record-created", G_CALLBACK (on_record_created), self, 0);
  adw_bin_set_child (self->detail_bin, page);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_bin), TRUE);
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
  update_chrome (self);
  /* typing goes to the form; a second Return must not hit Delete */
  kontor_record_page_focus_form (KONTOR_RECORD_PAGE (page));
}

static void
on_open_record (GtkWidget    *source,
                const char   *kind,
                const char   *id,
                KontorWindow *self)
{
  show_record (self, kind, id);
}

/* the sync controller, resolver and refused list name the id first */
static void
on_open_record_id_first (GObject      *source,
                         const char   *id,
                         const char   *kind,
                         KontorWindow *self)
{
  show_record (self, kind, id);
}

static void
on_list_record_activated (KontorRecordListPage *list,
                          KontorRecord         *record,
                          KontorWindow         *self)
{
  KontorRecordPage *open = current_record_page (self);
  KontorRecord *shown = open ? kontor_record_page_get_record (open) : NULL;

  if (shown != NULL && g_strcmp0 (kontor_record_get_id (shown), kontor_record_get_id (record)) == 0)
    {
      adw_leaflet_set_visible_child_name (self->leaflet, "detail");
      return;
    }
  show_record (self, kontor_record_get_kind (record), kontor_record_get_id (record));
}

/* ---------------------------------------------------------------------- */
/* Areas                                                                  */

static GtkWidget *
ensure_area_page (KontorWindow *self,
                  const char   *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->area_stack, name);
  int i = area_index (name);

  if (page != NULL || i < 0)
    return page;

  if (g_str_equal (name, "today"))
    page = kontor_today_page_new (self->store);
  else if (g_str_equal (name, "board"))
    page = kontor_deal_board_new (self->store);
  else if (g_str_equal (name, "activity"))
    page = kontor_activities_page_new (self->store);
  else
    {
      page = kontor_record_list_page_new (self->store, areas[i].kind);
      g_signal_connect_object (page, "record-activated",
                               G_CALLBACK (on_list_record_activated), self, 0);
    }

  if (!KONTOR_IS_RECORD_LIST_PAGE (page))
    g_signal_connect_object (page, "open-record", G_CALLBACK (on_open_record), self, 0);

  gtk_stack_add_titled (self->area_stack, page, name, _(areas[i].label));
  return page;
}

static void
select_area_row (KontorWindow *self,
                 int           index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->areas_list, index);

  if (row != NULL && gtk_list_box_get_selected_row (self->areas_list) != row)
    gtk_list_box_select_row (self->areas_list, row);
}

void
kontor_window_set_area (KontorWindow *self,
                        const char   *name)
{
  int i;

  g_return_if_fail (KONTOR_IS_WINDOW (self));

  i = area_index (name);
  if (i < 0)
    return;

  ensure_area_page (self, name);
  gtk_stack_set_visible_child_name (self->area_stack, name);
  adw_window_title_set_title (self->area_title, _(areas[i].label));
  select_area_row (self, i);
  adw_leaflet_set_visible_child_name (self->leaflet, "content");

  if (g_strcmp0 (self->area, name) != 0)
    {
      /* the open record belonged to the area left */
      if (self->area != NULL && detail_shown (self))
        close_detail (self);
      g_free (self->area);
      self->area = g_strdup (name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AREA]);
    }
  update_chrome (self);
}

const char *
kontor_window_get_area (KontorWindow *self)
{
  g_return_val_if_fail (KONTOR_IS_WINDOW (self), NULL);

  return self->area;
}

GtkWidget *
kontor_window_get_area_page (KontorWindow *self,
                             const char   *name)
{
  g_return_val_if_fail (KONTOR_IS_WINDOW (self), NULL);

  return ensure_area_page (self, name);
}

GtkWidget *
kontor_window_get_record_page (KontorWindow *self)
{
  g_return_val_if_fail (KONTOR_IS_WINDOW (self), NULL);

  return detail_shown (self) ? adw_bin_get_child (self->detail_bin) : NULL;
}

void
kontor_window_add_toast (KontorWindow *self,
                         AdwToast     *new_toast)
{
  g_return_if_fail (KONTOR_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, new_toast);
}

static void
on_area_row_activated (KontorWindow  *self,
                       GtkListBoxRow *row)
{
  kontor_window_set_area (self, areas[gtk_list_box_row_get_index (row)].name);
}

static void
build_sidebar (KontorWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (_(areas[i].label));
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (areas[i].icon));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_name (row, areas[i].name);
      gtk_list_box_append (self->areas_list, row);
    }
}

/* ---------------------------------------------------------------------- */
/* Actions                                                                */

static void
action_area (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  kontor_window_set_area (KONTOR_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
action_show_record (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  const char *kind, *id;

  g_variant_get (param, "(&s&s)", &kind, &id);
  show_record (KONTOR_WINDOW (widget), kind, id);
}

static void
action_new_record (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  KontorWindow *self = KONTOR_WINDOW (widget);

  show_record (self, current_kind (self), NULL);
}

static void
action_go_back (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  KontorWindow *self = KONTOR_WINDOW (widget);
  const char *visible = adw_leaflet_get_visible_child_name (self->leaflet);

  if (adw_leaflet_get_folded (self->leaflet))
    {
      if (g_strcmp0 (visible, "detail") == 0)
        close_detail (self);
      else if (g_strcmp0 (visible, "content") == 0)
        adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
    }
  else if (detail_shown (self))
    close_detail (self);
}

static void
action_delete_record (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  KontorWindow *self = KONTOR_WINDOW (widget);
  const char *id = g_variant_get_string (param, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) record = kontor_store_get (self->store, id, &error);
  g_autofree char *text = NULL;
  KontorRecordPage *page = current_record_page (self);
  AdwToast *undo;

  /* the audio of a voice note (or a photo) must still be there for Undo:
   * held from clean-up for longer than the toast stays */
  if (record != NULL)
    kontor_voice_notes_hold_files (self->store, record, 60);
  if (record == NULL || !kontor_store_delete (self->store, id, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot delete: %s"), error->message);

      toast (self, message);
      return;
    }

  if (page != NULL && kontor_record_page_get_record (page) != NULL &&
      g_strcmp0 (kontor_record_get_id (kontor_record_page_get_record (page)), id) == 0)
    close_detail (self);

  text = g_strdup_printf (_("“%s” deleted"), kontor_record_get_title (record)
                                             ? kontor_record_get_title (record) : "");
  undo = adw_toast_new (text);
  adw_toast_set_button_label (undo, _("_Undo"));
  adw_toast_set_action_name (undo, "win.undo-delete");
  adw_toast_set_action_target_value (undo, g_variant_new_string (id));
  adw_toast_set_priority (undo, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, undo);
}

static void
action_undo_delete (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  KontorWindow *self = KONTOR_WINDOW (widget);
  const char *id = g_variant_get_string (param, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) record = kontor_store_restore (self->store, id, &error);

  if (record == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot restore: %s"), error->message);

      toast (self, message);
      return;
    }
  show_record (self, kontor_record_get_kind (record), id);
}

static void
action_search (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  KontorWindow *self = KONTOR_WINDOW (widget);
  GtkWidget *page;

  /* Today, the board and the activities have no search field: Contacts' */
  page = ensure_area_page (self, self->area);
  if (!KONTOR_IS_RECORD_LIST_PAGE (page))
    {
      kontor_window_set_area (self, "contact");
      page = ensure_area_page (self, "contact");
    }
  adw_leaflet_set_visible_child_name (self->leaflet, "content");
  kontor_record_list_page_focus_search (KONTOR_RECORD_LIST_PAGE (page));
}

static void
action_import (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  KontorWindow *self = KONTOR_WINDOW (widget);
  GtkWidget *dialog = kontor_import_dialog_new (self->store);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_duplicates (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  KontorWindow *self = KONTOR_WINDOW (widget);
  const char *kind = current_kind (self);
  GtkWidget *window = kontor_duplicates_window_new (self->store);

  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
  kontor_duplicates_window_scan (KONTOR_DUPLICATES_WINDOW (window),
                                 g_str_equal (kind, "organization") ? "organization" : "contact");
}

/* Export: the current area's kind, as CSV (or vCard for contacts). It
 * runs in a worker thread on a connection of its own (a store is not
 * shared between threads), so 100,000 records do not stop the window. */
typedef struct
{
  char              *kind;
  char              *db_path;
  GFile             *file;
  KontorExportFormat format;
  guint              n_exported;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->file);
  g_free (data->kind);
  g_free (data->db_path);
  g_free (data);
}

static void
export_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) store = kontor_store_open (data->db_path, &error);
  g_autoptr(KontorExporter) exporter = NULL;
  g_autoptr(GFileOutputStream) out = NULL;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  exporter = kontor_exporter_new (store, data->kind, data->format);
  out = g_file_replace (data->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                        &error);
  if (out == NULL ||
      !kontor_exporter_run (exporter, G_OUTPUT_STREAM (out), cancellable, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->n_exported = kontor_exporter_get_n_exported (exporter);
  g_task_return_boolean (task, TRUE);
}

void
kontor_window_export_async (KontorWindow        *self,
                            const char          *kind,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *basename = NULL;
  ExportData *data;

  g_return_if_fail (KONTOR_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_window_export_async);
  if (self->store == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No database is open"));
      return;
    }

  data = g_new0 (ExportData, 1);
  data->kind = g_strdup (kind);
  data->file = g_object_ref (file);
  data->db_path = g_strdup (kontor_store_get_path (self->store));
  basename = g_file_get_basename (file);
  data->format = g_str_has_suffix (basename, ".vcf") || g_str_has_suffix (basename, ".VCF")
                 ? KONTOR_EXPORT_VCARD : KONTOR_EXPORT_CSV;
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_in_thread);
}

gboolean
kontor_window_export_finish (KontorWindow  *self,
                             GAsyncResult  *result,
                             guint         *n_exported,
                             GError       **error)
{
  ExportData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (n_exported != NULL)
    *n_exported = data->n_exported;
  return TRUE;
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  KontorWindow *self = KONTOR_WINDOW (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *text = NULL;
  guint n = 0;

  if (!kontor_window_export_finish (self, result, &n, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Export failed: %s"), error->message);
    }
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record exported to %s",
                                         "%u records exported to %s", n), n, basename);
  toast (self, text);
}

typedef struct
{
  KontorWindow *self;
  char         *kind;
} ExportChoice;

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    ExportChoice    *choice)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      kontor_window_export_async (choice->self, choice->kind, file, choice->self->cancellable,
                                  on_exported, g_object_ref (file));
    }
  g_object_unref (chooser);
  g_object_unref (choice->self);
  g_free (choice->kind);
  g_free (choice);
}

static void
action_export (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  KontorWindow *self = KONTOR_WINDOW (widget);
  const char *kind = current_kind (self);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  ExportChoice *choice;
  int i = area_index (self->area);

  chooser = gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("CSV spreadsheet"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  if (g_str_equal (kind, "contact"))
    {
      g_autoptr(GtkFileFilter) vcf = gtk_file_filter_new ();

      gtk_file_filter_set_name (vcf, _("vCard address book"));
      gtk_file_filter_add_suffix (vcf, "vcf");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), vcf);
    }
  /* TRANSLATORS: the suggested file name of an export, e.g. Contacts.csv */
  name = g_strdup_printf ("%s.csv", i >= 0 && !g_str_equal (areas[i].name, "today")
                                    ? _(areas[i].label) : _("Contacts"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  choice = g_new0 (ExportChoice, 1);
  choice->self = g_object_ref (self);
  choice->kind = g_strdup (kind);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), choice);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
action_sync_now (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  KontorWindow *self = KONTOR_WINDOW (widget);
  KontorSyncEngine *engine = self->sync ? kontor_sync_controller_get_engine (self->sync) : NULL;

  if (engine != NULL)
    kontor_sync_engine_sync_now (engine);
  else
    toast (self, _("Sign in to a Kontor server to sync"));
}

/* ---------------------------------------------------------------------- */
/* Voice notes on record pages                                            */

static GSettings *
window_settings (KontorWindow *self)
{
  KontorApplication *app = app_of (self);

  return app != NULL ? kontor_application_get_settings (app) : NULL;
}

static void
on_transcribed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KontorWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) note = kontor_transcriber_transcribe_finish (KONTOR_TRANSCRIBER (source),
                                                                      result, &error);

  if (note != NULL)
    toast (self, _("Transcript added to the voice note"));
  else if (g_error_matches (error, KONTOR_TRANSCRIBER_ERROR, KONTOR_TRANSCRIBER_ERROR_NO_SPEECH))
    toast (self, _("No words were recognized in the voice note"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("The voice note could not be transcribed: %s"),
                                               error->message);

      toast (self, text);
    }
}

static void
on_recorder_saved (GtkWidget    *panel,
                   KontorRecord *note,
                   KontorWindow *self)
{
  GSettings *settings = window_settings (self);

  toast (self, _("Voice note saved"));

  /* opt-in (the model is English), off the main thread, local only */
  if (settings != NULL && g_settings_get_boolean (settings, "transcribe-voice-notes") &&
      kontor_transcriber_is_available ())
    {
      if (self->transcriber == NULL)
        self->transcriber = kontor_transcriber_new (self->store);
      kontor_transcriber_transcribe_async (self->transcriber, note, self->cancellable,
                                           on_transcribed, g_object_ref (self));
    }
}

static void
on_recorder_done (GtkWidget *panel,
                  GtkWindow *dialog)
{
  gtk_window_destroy (dialog);
}

static void
on_record_voice_note (GtkButton        *button,
                      KontorRecordPage *page)
{
  KontorRecord *record = kontor_record_page_get_record (page);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));
  GtkWidget *dialog, *panel, *box, *header;

  if (record == NULL)
    return;

  dialog = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (dialog), _("Voice Note"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  /* closing goes through Stop or Discard, so nothing is lost by accident */
  gtk_window_set_deletable (GTK_WINDOW (dialog), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, -1);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Voice Note"),
                                                         kontor_record_get_title (record)));
  gtk_box_append (GTK_BOX (box), header);
  panel = kontor_recorder_panel_new (kontor_record_page_get_store (page),
                                     kontor_record_get_kind (record),
                                     kontor_record_get_id (record));
  gtk_box_append (GTK_BOX (box), panel);
  adw_window_set_content (ADW_WINDOW (dialog), box);

  if (KONTOR_IS_WINDOW (root))
    g_signal_connect_object (panel, "saved", G_CALLBACK (on_recorder_saved), root, 0);
  g_signal_connect_object (panel, "done", G_CALLBACK (on_recorder_done), dialog, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
voice_note_action (KontorRecordPage *page,
                   gpointer          user_data)
{
  static const char *const kinds[] = { "contact", "organization", "lead", "deal", "activity", NULL };
  KontorRecord *record = kontor_record_page_get_record (page);
  GtkWidget *button;

  if (record == NULL || !g_strv_contains (kinds, kontor_record_get_kind (record)))
    return NULL;

  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button),
                        adw_button_content_new ());
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (button))),
                                    "audio-input-microphone-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (button))),
                                _("Record Voice Note"));
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (button))),
                                        TRUE);
  gtk_widget_set_name (button, "record-voice-note");
  g_signal_connect (button, "clicked", G_CALLBACK (on_record_voice_note), page);
  return button;
}

static GtkWidget *
voice_note_timeline_row (KontorStore  *store,
                         KontorRecord *record)
{
  return kontor_voice_note_row_new (store, record);
}

/* ---------------------------------------------------------------------- */
/* Sync                                                                   */

static void
on_engine_changed (KontorWindow *self)
{
  KontorSyncEngine *engine = kontor_sync_controller_get_engine (self->sync);
  GSettings *settings = window_settings (self);

  if (engine == NULL || engine == self->attached_engine)
    return;

  /* voice notes upload after each sync and download when played, or all
   * at once when the preferences say so */
  kontor_voice_notes_attach_to_engine (engine, settings != NULL &&
                                       g_settings_get_boolean (settings, "download-voice-notes-ahead"));
  kontor_voice_note_row_set_sync_client (kontor_sync_engine_get_client (engine));
  g_set_object (&self->attached_engine, engine);
}

static void
setup_sync (KontorWindow *self)
{
  GtkWidget *indicator;

  self->sync = kontor_sync_controller_new (self->store);
  g_signal_connect_object (self->sync, "open-record",
                           G_CALLBACK (on_open_record_id_first), self, 0);
  g_signal_connect_object (self->sync, "notify::engine",
                           G_CALLBACK (on_engine_changed), self, G_CONNECT_SWAPPED);
  indicator = kontor_sync_indicator_new_for_controller (self->sync);
  adw_bin_set_child (self->sync_bin, indicator);
  kontor_sync_controller_start (self->sync);
  on_engine_changed (self);
}

static void
recover_recordings (KontorWindow *self)
{
  g_autoptr(GPtrArray) recovered = NULL;
  g_autoptr(GError) error = NULL;

  if (!kontor_recorder_recover_sync (self->store, &recovered, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("An interrupted voice note could not be recovered: %s"),
                                               error->message);

      toast (self, text);
    }
  else if (recovered != NULL && recovered->len > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u interrupted voice note was recovered",
                                      "%u interrupted voice notes were recovered",
                                      recovered->len), recovered->len);

      toast (self, text);
    }
}

KontorSyncController *
kontor_window_get_sync_controller (KontorWindow *self)
{
  g_return_val_if_fail (KONTOR_IS_WINDOW (self), NULL);

  return self->sync;
}

/* ---------------------------------------------------------------------- */
/* Window state                                                           */

static gboolean
on_close_request (KontorWindow *self,
                  GSettings    *settings)
{
  int width = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (settings);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (self->area != NULL)
    g_settings_set_string (settings, "last-area", self->area);
  g_settings_apply (settings);

  return FALSE;
}

void
kontor_window_restore_state (KontorWindow *self,
                             GSettings    *settings)
{
  g_autofree char *area = NULL;

  g_return_if_fail (KONTOR_IS_WINDOW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (360, g_settings_get_int (settings, "window-width")),
                               MAX (294, g_settings_get_int (settings, "window-height")));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  area = g_settings_get_string (settings, "last-area");
  if (self->store != NULL && area_index (area) >= 0)
    kontor_window_set_area (self, area);

  g_signal_connect_object (self, "close-request", G_CALLBACK (on_close_request), settings, 0);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

KontorWindow *
kontor_window_new (KontorApplication *application)
{
  return g_object_new (KONTOR_TYPE_WINDOW,
                       "application", application,
                       "store", kontor_application_get_store (application),
                       NULL);
}

/* The window's actions that need the store. */
static const char *const store_actions[] = {
  "win.area", "win.show-record", "win.new-record", "win.go-back", "win.delete-record",
  "win.undo-delete", "win.search", "win.import", "win.export", "win.duplicates", "win.sync-now",
};

static void
kontor_window_constructed (GObject *object)
{
  KontorWindow *self = KONTOR_WINDOW (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (kontor_window_parent_class)->constructed (object);

  build_sidebar (self);

  if (self->store == NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *status = adw_status_page_new ();
      KontorApplication *app = app_of (self);
      const char *reason = app != NULL ? kontor_application_get_open_error (app) : NULL;
      g_autofree char *description = NULL;

      /* the reason names the file and says it was left as it was */
      description = g_markup_printf_escaped ("%s\n\n%s", reason ? reason : _("The database is missing."),
                                             _("Open another file with “kontor --db FILE”."));
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-error-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("The Database Cannot Be Opened"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status), description);
      gtk_widget_set_vexpand (status, TRUE);
      gtk_box_append (GTK_BOX (box), status);
      adw_toast_overlay_set_child (self->toast_overlay, box);
      /* nothing to show, create or sync without a database */
      for (guint i = 0; i < G_N_ELEMENTS (store_actions); i++)
        gtk_widget_action_set_enabled (GTK_WIDGET (self), store_actions[i], FALSE);
      return;
    }

  /* browsing reads a few pages at a time: 8 MiB of SQLite cache keep a
   * 100,000-contact list well under 30 MB more than an empty one, also
   * after scrolling through all of it (imports use their own connection) */
  if (!kontor_store_set_cache_size (self->store, 8 * 1024, &error))
    g_warning ("Cannot set the page cache: %s", error->message);
  kontor_voice_notes_watch_store (self->store);
  setup_sync (self);
  recover_recordings (self);
  kontor_window_set_area (self, self->area ? self->area : "today");

  {
    KontorApplication *app = app_of (self);

    /* a mistyped --db path must not look like a database that lost
     * everything */
    if (app != NULL && kontor_application_get_created (app))
      {
        g_autofree char *text = g_strdup_printf (_("“%s” did not exist: a new, empty database was created"),
                                                 kontor_application_get_db_path (app));
        AdwToast *created = adw_toast_new (text);

        adw_toast_set_timeout (created, 0);
        adw_toast_overlay_add_toast (self->toast_overlay, created);
      }
  }
}

static void
kontor_window_dispose (GObject *object)
{
  KontorWindow *self = KONTOR_WINDOW (object);

  if (self->sync != NULL)
    kontor_sync_controller_stop (self->sync);
  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (object), KONTOR_TYPE_WINDOW);

  g_clear_object (&self->transcriber);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->attached_engine);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_window_parent_class)->dispose (object);
}

static void
kontor_window_finalize (GObject *object)
{
  KontorWindow *self = KONTOR_WINDOW (object);

  g_free (self->area);

  G_OBJECT_CLASS (kontor_window_parent_class)->finalize (object);
}

static void
kontor_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KontorWindow *self = KONTOR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_AREA:
      g_value_set_string (value, self->area);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KontorWindow *self = KONTOR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_AREA:
      if (self->store != NULL && gtk_widget_get_first_child (GTK_WIDGET (self->areas_list)) != NULL)
        kontor_window_set_area (self, g_value_get_string (value));
      else
        {
          g_free (self->area);
          self->area = g_value_dup_string (value);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_window_class_init (KontorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kontor_window_constructed;
  object_class->dispose = kontor_window_dispose;
  object_class->finalize = kontor_window_finalize;
  object_class->get_property = kontor_window_get_property;
  object_class->set_property = kontor_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AREA] =
    g_param_spec_string ("area", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kontor/Kontor/kontor-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, areas_list);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, sidebar_header);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, area_title);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, new_button);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, sync_bin);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, area_stack);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, detail_separator);
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, detail_bin);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_area_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_button_clicked);

  gtk_widget_class_install_action (widget_class, "win.area", "s", action_area);
  gtk_widget_class_install_action (widget_class, "win.show-record", "(ss)", action_show_record);
  gtk_widget_class_install_action (widget_class, "win.new-record", NULL, action_new_record);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, action_go_back);
  gtk_widget_class_install_action (widget_class, "win.delete-record", "s", action_delete_record);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "s", action_undo_delete);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, action_import);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, action_export);
  gtk_widget_class_install_action (widget_class, "win.duplicates", NULL, action_duplicates);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, action_sync_now);

  /* bound on the class, so they work in a window without an application too */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.sync-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.area", "s", areas[i].name);

  kontor_timeline_register_row_factory ("voice_note", voice_note_timeline_row);
  kontor_record_page_register_action_factory (voice_note_action, NULL);
}

static void
kontor_window_init (KontorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
