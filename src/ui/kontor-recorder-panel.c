/* kontor-recorder-panel.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

#include "kontor-recorder-panel.h"

struct _KontorRecorderPanel
{
  GtkWidget       parent_instance;

  GtkButton      *discard_button;
  GtkLabel       *elapsed_label;
  GtkLabel       *error_label;
  GtkLevelBar    *level_bar;
  GtkLabel       *status_label;
  GtkButton      *stop_button;

  KontorStore    *store;
  KontorRecorder *recorder;
  char           *source_description;
  char           *linked_kind;
  char           *linked_id;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (KontorRecorderPanel, kontor_recorder_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SOURCE_DESCRIPTION,
  PROP_LINKED_KIND,
  PROP_LINKED_ID,
  N_PROPS
};

enum {
  SAVED,
  DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
format_elapsed (gint64 ns)
{
  gint64 seconds = ns / GST_SECOND;

  /* Translators: elapsed recording time, minutes:seconds */
  return g_strdup_printf (C_("elapsed time", "%d:%02d"),
                          (int) (seconds / 60), (int) (seconds % 60));
}

static void
show_error (KontorRecorderPanel *self,
            const GError        *error,
            gboolean             saved)
{
  g_autofree char *text = NULL;

  if (saved)
    /* Translators: %s is why the recording stopped */
    text = g_strdup_printf (_("%s What was recorded up to then has been saved."), error->message);
  else
    text = g_strdup (error->message);

  gtk_label_set_text (self->status_label, _("Recording Stopped"));
  gtk_label_set_text (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->level_bar), FALSE);
  gtk_level_bar_set_value (self->level_bar, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), FALSE);
  gtk_button_set_label (self->discard_button, _("_Close"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->discard_button), "destructive-action");
  gtk_widget_set_sensitive (GTK_WIDGET (self->discard_button), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->discard_button));
}

static void
on_level (KontorRecorder      *recorder,
          GParamSpec          *pspec,
          KontorRecorderPanel *self)
{
  /* a meter shows the last 60 dB: quieter is silence for speech */
  double db = kontor_recorder_get_level (recorder);

  gtk_level_bar_set_value (self->level_bar, CLAMP ((db + 60.0) / 60.0, 0.0, 1.0));
}

static void
on_elapsed (KontorRecorder      *recorder,
            GParamSpec          *pspec,
            KontorRecorderPanel *self)
{
  g_autofree char *text = format_elapsed (kontor_recorder_get_elapsed (recorder));

  gtk_label_set_text (self->elapsed_label, text);
}

static void
on_failed (KontorRecorder      *recorder,
           GError              *error,
           KontorRecorderPanel *self)
{
  KontorRecord *note = kontor_recorder_get_record (recorder);

  show_error (self, error, note != NULL);
  if (note != NULL)
    g_signal_emit (self, signals[SAVED], 0, note);
}

static void
on_stopped (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KontorRecorderPanel) self = user_data;
  g_autoptr(KontorRecord) note = NULL;
  g_autoptr(GError) error = NULL;

  note = kontor_recorder_stop_finish (KONTOR_RECORDER (source), result, &error);
  if (note == NULL)
    {
      show_error (self, error, FALSE);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, note);
  g_signal_emit (self, signals[DONE], 0);
}

static void
stop_clicked (GtkButton           *button,
              KontorRecorderPanel *self)
{
  gtk_label_set_text (self->status_label, _("Saving…"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->stop_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->discard_button), FALSE);
  kontor_recorder_stop_async (self->recorder, NULL, on_stopped, g_object_ref (self));
}

static void
discard_clicked (GtkButton           *button,
                 KontorRecorderPanel *self)
{
  KontorRecorderState state = kontor_recorder_get_state (self->recorder);

  if (state == KONTOR_RECORDER_STATE_RECORDING || state == KONTOR_RECORDER_STATE_IDLE)
    kontor_recorder_discard (self->recorder);
  g_signal_emit (self, signals[DONE], 0);
}

static void
start_recording (KontorRecorderPanel *self)
{
  g_autoptr(GError) error = NULL;

  self->recorder = kontor_recorder_new (self->store, self->source_description,
                                        self->linked_kind, self->linked_id);
  g_signal_connect_object (self->recorder, "notify::level", G_CALLBACK (on_level), self, 0);
  g_signal_connect_object (self->recorder, "notify::elapsed", G_CALLBACK (on_elapsed), self, 0);
  g_signal_connect_object (self->recorder, "failed", G_CALLBACK (on_failed), self, 0);

  if (!kontor_recorder_start (self->recorder, &error))
    {
      show_error (self, error, FALSE);
      gtk_label_set_text (self->status_label, _("Cannot Record"));
      return;
    }
  gtk_label_set_text (self->status_label, _("Recording…"));
  gtk_widget_grab_focus (GTK_WIDGET (self->stop_button));
}

static void
kontor_recorder_panel_constructed (GObject *object)
{
  KontorRecorderPanel *self = (KontorRecorderPanel *) object;

  G_OBJECT_CLASS (kontor_recorder_panel_parent_class)->constructed (object);

  start_recording (self);
}

static void
kontor_recorder_panel_dispose (GObject *object)
{
  KontorRecorderPanel *self = (KontorRecorderPanel *) object;
  GtkWidget *child;

  /* closed while recording: keep the audio (it becomes a note at the
   * next recovery rather than being lost) */
  if (self->recorder != NULL)
    g_signal_handlers_disconnect_by_data (self->recorder, self);
  g_clear_object (&self->recorder);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_RECORDER_PANEL);
  /* the template's outer box is not a bound child */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (kontor_recorder_panel_parent_class)->dispose (object);
}

static void
kontor_recorder_panel_finalize (GObject *object)
{
  KontorRecorderPanel *self = (KontorRecorderPanel *) object;

  g_free (self->source_description);
  g_free (self->linked_kind);
  g_free (self->linked_id);

  G_OBJECT_CLASS (kontor_recorder_panel_parent_class)->finalize (object);
}

static void
kontor_recorder_panel_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KontorRecorderPanel *self = KONTOR_RECORDER_PANEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SOURCE_DESCRIPTION:
      g_value_set_string (value, self->source_description);
      break;
    case PROP_LINKED_KIND:
      g_value_set_string (value, self->linked_kind);
      break;
    case PROP_LINKED_ID:
      g_value_set_string (value, self->linked_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_recorder_panel_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  KontorRecorderPanel *self = KONTOR_RECORDER_PANEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SOURCE_DESCRIPTION:
      self->source_description = g_value_dup_string (value);
      break;
    case PROP_LINKED_KIND:
      self->linked_kind = g_value_dup_string (value);
      break;
    case PROP_LINKED_ID:
      self->linked_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_recorder_panel_class_init (KontorRecorderPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kontor_recorder_panel_constructed;
  object_class->dispose = kontor_recorder_panel_dispose;
  object_class->finalize = kontor_recorder_panel_finalize;
  object_class->get_property = kontor_recorder_panel_get_property;
  object_class->set_property = kontor_recorder_panel_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE_DESCRIPTION] =
    g_param_spec_string ("source-description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINKED_KIND] =
    g_param_spec_string ("linked-kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINKED_ID] =
    g_param_spec_string ("linked-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, KONTOR_TYPE_RECORD);
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kontor/Kontor/kontor-recorder-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorRecorderPanel, discard_button);
  gtk_widget_class_bind_template_child (widget_class, KontorRecorderPanel, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, KontorRecorderPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, KontorRecorderPanel, level_bar);
  gtk_widget_class_bind_template_child (widget_class, KontorRecorderPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, KontorRecorderPanel, stop_button);
  gtk_widget_class_bind_template_callback (widget_class, discard_clicked);
  gtk_widget_class_bind_template_callback (widget_class, stop_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "recorderpanel");
}

static void
kontor_recorder_panel_init (KontorRecorderPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_level_bar_add_offset_value (self->level_bar, GTK_LEVEL_BAR_OFFSET_LOW, 0.3);
  gtk_level_bar_add_offset_value (self->level_bar, GTK_LEVEL_BAR_OFFSET_HIGH, 0.9);
  gtk_level_bar_add_offset_value (self->level_bar, GTK_LEVEL_BAR_OFFSET_FULL, 1.0);
}

GtkWidget *
kontor_recorder_panel_new (KontorStore *store,
                           const char  *linked_kind,
                           const char  *linked_id)
{
  return kontor_recorder_panel_new_full (store, NULL, linked_kind, linked_id);
}

GtkWidget *
kontor_recorder_panel_new_full (KontorStore *store,
                                const char  *source_description,
                                const char  *linked_kind,
                                const char  *linked_id)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_RECORDER_PANEL,
                       "store", store,
                       "source-description", source_description,
                       "linked-kind", linked_kind,
                       "linked-id", linked_id,
                       NULL);
}

KontorRecorder *
kontor_recorder_panel_get_recorder (KontorRecorderPanel *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORDER_PANEL (self), NULL);
  return self->recorder;
}
