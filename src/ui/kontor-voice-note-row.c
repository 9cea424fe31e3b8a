/* kontor-voice-note-row.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

#include "kontor-voice-note-row.h"
#include "kontor-voice-notes.h"

struct _KontorVoiceNoteRow
{
  GtkListBoxRow  parent_instance;

  GtkButton     *play_button;
  GtkAdjustment *position_adjustment;
  GtkScale      *position_scale;
  GtkLabel      *status_label;
  GtkLabel      *subtitle_label;
  GtkLabel      *time_label;
  GtkLabel      *title_label;

  KontorStore   *store;
  KontorRecord  *note;
  KontorPlayer  *player;
  GCancellable  *cancellable;
  gint64         duration;      /* ns: the record's until the file tells */
  gboolean       updating;      /* moving the scale from the player */
  gboolean       fetching;
};

G_DEFINE_FINAL_TYPE (KontorVoiceNoteRow, kontor_voice_note_row, GTK_TYPE_LIST_BOX_ROW)

static KontorSyncClient *sync_client;
static char *audio_sink;
/* one note plays at a time: starting another pauses this one */
static GWeakRef current_player;

void
kontor_voice_note_row_set_sync_client (KontorSyncClient *client)
{
  g_return_if_fail (client == NULL || KONTOR_IS_SYNC_CLIENT (client));
  g_set_object (&sync_client, client);
}

void
kontor_voice_note_row_set_audio_sink (const char *description)
{
  g_free (audio_sink);
  audio_sink = g_strdup (description);
}

static char *
format_time (gint64 ns)
{
  gint64 seconds = MAX (ns, 0) / GST_SECOND;

  /* Translators: a playback time, minutes:seconds */
  return g_strdup_printf (C_("playback time", "%d:%02d"),
                          (int) (seconds / 60), (int) (seconds % 60));
}

static void
update_time (KontorVoiceNoteRow *self)
{
  g_autofree char *position = format_time (kontor_player_get_position (self->player));
  g_autofree char *duration = format_time (self->duration);
  g_autofree char *text = NULL;

  if (kontor_player_get_position (self->player) > 0 || kontor_player_get_playing (self->player))
    /* Translators: playback position and duration, "0:12 / 1:30" */
    text = g_strdup_printf (_("%s / %s"), position, duration);
  else
    text = g_strdup (duration);
  gtk_label_set_text (self->time_label, text);
}

static void
update_play_button (KontorVoiceNoteRow *self)
{
  gboolean playing = kontor_player_get_playing (self->player);

  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), playing ? _("Pause") : _("Play"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  playing ? _("Pause") : _("Play"), -1);
}

static void
show_status (KontorVoiceNoteRow *self,
             const char         *text,
             gboolean            is_error)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
on_playing (KontorPlayer       *player,
            GParamSpec         *pspec,
            KontorVoiceNoteRow *self)
{
  if (kontor_player_get_playing (player))
    {
      g_autoptr(KontorPlayer) previous = g_weak_ref_get (&current_player);

      if (previous != NULL && previous != player)
        kontor_player_pause (previous);
      g_weak_ref_set (&current_player, player);
    }

  update_play_button (self);
  update_time (self);
}

static void
on_position (KontorPlayer       *player,
             GParamSpec         *pspec,
             KontorVoiceNoteRow *self)
{
  self->updating = TRUE;
  gtk_adjustment_set_value (self->position_adjustment,
                            (double) kontor_player_get_position (player) / GST_SECOND);
  self->updating = FALSE;
  update_time (self);
}

static void
on_duration (KontorPlayer       *player,
             GParamSpec         *pspec,
             KontorVoiceNoteRow *self)
{
  gint64 duration = kontor_player_get_duration (player);

  if (duration > 0)
    {
      self->duration = duration;
      gtk_adjustment_set_upper (self->position_adjustment, (double) duration / GST_SECOND);
      update_time (self);
    }
}

static void
on_player_error (KontorPlayer       *player,
                 GError             *error,
                 KontorVoiceNoteRow *self)
{
  show_status (self, error->message, TRUE);
}

/* Pipelines are made on first use: a timeline of many notes must not
 * hold a prerolled player for each. */
static gboolean
ensure_loaded (KontorVoiceNoteRow *self)
{
  g_autoptr(GFile) file = NULL;

  if (kontor_player_get_file (self->player) != NULL)
    return TRUE;
  file = kontor_voice_notes_get_audio_file (self->store, self->note);
  if (file == NULL)
    return FALSE;
  kontor_player_set_file (self->player, file);
  return TRUE;
}

static void
position_changed (GtkAdjustment      *adjustment,
                  KontorVoiceNoteRow *self)
{
  if (self->updating)
    return;
  if (!ensure_loaded (self))
    return;
  kontor_player_seek (self->player, (gint64) (gtk_adjustment_get_value (adjustment) * GST_SECOND));
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KontorVoiceNoteRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = kontor_voice_notes_fetch_finish (KONTOR_STORE (source), result, &error);

  self->fetching = FALSE;
  if (file == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_status (self, error->message, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), TRUE);
      return;
    }

  show_status (self, NULL, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->position_scale), TRUE);
  kontor_player_set_file (self->player, file);
  kontor_player_play (self->player);
}

void
kontor_voice_note_row_toggle_play (KontorVoiceNoteRow *self)
{
  g_return_if_fail (KONTOR_IS_VOICE_NOTE_ROW (self));

  if (kontor_player_get_playing (self->player))
    {
      kontor_player_pause (self->player);
      return;
    }
  if (ensure_loaded (self))
    {
      kontor_player_play (self->player);
      return;
    }
  if (self->fetching)
    return;

  self->fetching = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), FALSE);
  show_status (self, _("Downloading the recording…"), FALSE);
  kontor_voice_notes_fetch_async (self->store, sync_client, self->note, self->cancellable,
                                  on_fetched, g_object_ref (self));
}

static void
play_clicked (GtkButton          *button,
              KontorVoiceNoteRow *self)
{
  kontor_voice_note_row_toggle_play (self);
}

static void
kontor_voice_note_row_dispose (GObject *object)
{
  KontorVoiceNoteRow *self = (KontorVoiceNoteRow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->player != NULL)
    g_signal_handlers_disconnect_by_data (self->player, self);
  g_clear_object (&self->player);
  g_clear_object (&self->note);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_VOICE_NOTE_ROW);

  G_OBJECT_CLASS (kontor_voice_note_row_parent_class)->dispose (object);
}

static void
kontor_voice_note_row_class_init (KontorVoiceNoteRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_voice_note_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kontor/Kontor/kontor-voice-note-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorVoiceNoteRow, play_button);
  gtk_widget_class_bind_template_child (widget_class, KontorVoiceNoteRow, position_adjustment);
  gtk_widget_class_bind_template_child (widget_class, KontorVoiceNoteRow, position_scale);
  gtk_widget_class_bind_template_child (widget_class, KontorVoiceNoteRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, KontorVoiceNoteRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, KontorVoiceNoteRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, KontorVoiceNoteRow, title_label);
  gtk_widget_class_bind_template_callback (widget_class, play_clicked);
  gtk_widget_class_bind_template_callback (widget_class, position_changed);
}

static void
kontor_voice_note_row_init (KontorVoiceNoteRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->player = kontor_player_new (audio_sink);
  g_signal_connect (self->player, "notify::playing", G_CALLBACK (on_playing), self);
  g_signal_connect (self->player, "notify::position", G_CALLBACK (on_position), self);
  g_signal_connect (self->player, "notify::duration", G_CALLBACK (on_duration), self);
  g_signal_connect (self->player, "error", G_CALLBACK (on_player_error), self);
}

static char *
format_recorded_at (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso == NULL || (utc = g_date_time_new_from_iso8601 (iso, NULL)) == NULL)
    return NULL;
  local = g_date_time_to_local (utc);
  /* Translators: when a voice note was recorded, see g_date_time_format() */
  return g_date_time_format (local, C_("voice note date", "%x %H:%M"));
}

static char *
owner_name (KontorStore  *store,
            KontorRecord *note)
{
  const char *owner = kontor_record_get_string (note, "owner");
  g_autoptr(KontorRecord) user = NULL;

  if (owner == NULL)
    return NULL;
  user = kontor_store_get (store, owner, NULL);
  if (user == NULL || kontor_record_get_title (user) == NULL)
    return NULL;
  return g_strdup (kontor_record_get_title (user));
}

GtkWidget *
kontor_voice_note_row_new (KontorStore  *store,
                           KontorRecord *note)
{
  KontorVoiceNoteRow *self;
  const char *title;
  g_autofree char *when = NULL;
  g_autofree char *who = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (KONTOR_IS_RECORD (note), NULL);

  self = g_object_new (KONTOR_TYPE_VOICE_NOTE_ROW, NULL);
  self->store = g_object_ref (store);
  self->note = g_object_ref (note);
  self->duration = kontor_record_get_int (note, "duration_ms", 0) * GST_MSECOND;

  title = kontor_record_get_string (note, "title");
  gtk_label_set_text (self->title_label, title != NULL && *title ? title : _("Voice note"));

  when = format_recorded_at (kontor_record_get_string (note, "recorded_at"));
  who = owner_name (store, note);
  if (when != NULL && who != NULL)
    /* Translators: when a voice note was recorded and by whom, "03.12.2026 14:05 · Anna Roth" */
    subtitle = g_strdup_printf (_("%s · %s"), when, who);
  else
    subtitle = g_strdup (when != NULL ? when : (who != NULL ? who : ""));
  gtk_label_set_text (self->subtitle_label, subtitle);

  gtk_adjustment_set_upper (self->position_adjustment, MAX ((double) self->duration / GST_SECOND, 0.1));
  update_time (self);
  update_play_button (self);

  /* audio that is not here yet is downloaded by the play button */
  file = kontor_voice_notes_get_audio_file (store, note);
  gtk_widget_set_sensitive (GTK_WIDGET (self->position_scale), file != NULL);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
  g_object_set_data_full (G_OBJECT (self), "kontor-record-id",
                          g_strdup (kontor_record_get_id (note)), g_free);
  g_object_set_data_full (G_OBJECT (self), "kontor-record-kind",
                          g_strdup (kontor_record_get_kind (note)), g_free);

  return GTK_WIDGET (self);
}

KontorPlayer *
kontor_voice_note_row_get_player (KontorVoiceNoteRow *self)
{
  g_return_val_if_fail (KONTOR_IS_VOICE_NOTE_ROW (self), NULL);
  return self->player;
}
