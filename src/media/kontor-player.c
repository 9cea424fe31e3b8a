/* kontor-player.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-media"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

#include "kontor-player.h"
#include "kontor-voice-notes.h"

struct _KontorPlayer
{
  GObject     parent_instance;

  char       *audio_sink;
  GstElement *playbin;
  GFile      *file;
  guint       bus_watch;
  guint       tick_id;
  gboolean    playing;
  gint64      position;
  gint64      duration;
  gint64      pending_seek;   /* a seek asked for before the file was ready */
};

G_DEFINE_FINAL_TYPE (KontorPlayer, kontor_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AUDIO_SINK,
  PROP_FILE,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_DURATION,
  N_PROPS
};

enum {
  ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_playing (KontorPlayer *self,
             gboolean      playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
set_position (KontorPlayer *self,
              gint64        position)
{
  if (self->position == position)
    return;
  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
update_duration (KontorPlayer *self)
{
  gint64 duration = -1;

  if (self->playbin != NULL &&
      gst_element_query_duration (self->playbin, GST_FORMAT_TIME, &duration) &&
      duration != self->duration && duration > 0)
    {
      self->duration = duration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
}

static gboolean
on_tick (gpointer user_data)
{
  KontorPlayer *self = user_data;
  gint64 position;

  if (self->duration < 0)
    update_duration (self);
  if (gst_element_query_position (self->playbin, GST_FORMAT_TIME, &position) && position >= 0)
    set_position (self, position);
  return G_SOURCE_CONTINUE;
}

static void
stop_ticking (KontorPlayer *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  KontorPlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      /* back to the start, ready to play again */
      stop_ticking (self);
      gst_element_set_state (self->playbin, GST_STATE_PAUSED);
      gst_element_seek_simple (self->playbin, GST_FORMAT_TIME,
                               GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT, 0);
      set_playing (self, FALSE);
      set_position (self, 0);
      break;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gerror = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &gerror, &debug);
        g_debug ("Playback error: %s (%s)", gerror->message, debug ? debug : "");
        stop_ticking (self);
        gst_element_set_state (self->playbin, GST_STATE_NULL);
        set_playing (self, FALSE);
        error = g_error_new (KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                             _("The voice note cannot be played: %s"), gerror->message);
        g_signal_emit (self, signals[ERROR], 0, error);
      }
      break;

    case GST_MESSAGE_DURATION_CHANGED:
      self->duration = -1;
      update_duration (self);
      break;

    case GST_MESSAGE_ASYNC_DONE:
      update_duration (self);
      if (self->pending_seek >= 0)
        {
          gint64 target = self->pending_seek;

          self->pending_seek = -1;
          gst_element_seek_simple (self->playbin, GST_FORMAT_TIME,
                                   GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, target);
        }
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static void
ensure_playbin (KontorPlayer *self)
{
  g_autoptr(GstBus) bus = NULL;

  if (self->playbin != NULL)
    return;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  self->playbin = gst_element_factory_make ("playbin", NULL);
  if (self->playbin == NULL)
    return;
  gst_object_ref_sink (self->playbin);

  /* audio only: no video window for a voice note */
  gst_util_set_object_arg (G_OBJECT (self->playbin), "flags", "audio");
  if (self->audio_sink != NULL)
    {
      g_autoptr(GError) error = NULL;
      GstElement *sink = gst_parse_bin_from_description (self->audio_sink, TRUE, &error);

      if (sink != NULL)
        g_object_set (self->playbin, "audio-sink", sink, NULL);
      else
        g_debug ("Audio output “%s” unusable: %s", self->audio_sink, error->message);
    }

  bus = gst_element_get_bus (self->playbin);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
}

static void
kontor_player_dispose (GObject *object)
{
  KontorPlayer *self = (KontorPlayer *) object;

  stop_ticking (self);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->playbin != NULL)
    {
      gst_element_set_state (self->playbin, GST_STATE_NULL);
      g_clear_pointer (&self->playbin, gst_object_unref);
    }
  g_clear_object (&self->file);

  G_OBJECT_CLASS (kontor_player_parent_class)->dispose (object);
}

static void
kontor_player_finalize (GObject *object)
{
  KontorPlayer *self = (KontorPlayer *) object;

  g_free (self->audio_sink);

  G_OBJECT_CLASS (kontor_player_parent_class)->finalize (object);
}

static void
kontor_player_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KontorPlayer *self = KONTOR_PLAYER (object);

  switch (prop_id)
    {
    case PROP_AUDIO_SINK:
      g_value_set_string (value, self->audio_sink);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_player_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KontorPlayer *self = KONTOR_PLAYER (object);

  switch (prop_id)
    {
    case PROP_AUDIO_SINK:
      self->audio_sink = g_value_dup_string (value);
      break;
    case PROP_FILE:
      kontor_player_set_file (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_player_class_init (KontorPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_player_dispose;
  object_class->finalize = kontor_player_finalize;
  object_class->get_property = kontor_player_get_property;
  object_class->set_property = kontor_player_set_property;

  properties[PROP_AUDIO_SINK] =
    g_param_spec_string ("audio-sink", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The file cannot be played (a GError for the user). */
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
kontor_player_init (KontorPlayer *self)
{
  self->duration = -1;
  self->pending_seek = -1;
}

KontorPlayer *
kontor_player_new (const char *audio_sink)
{
  return g_object_new (KONTOR_TYPE_PLAYER, "audio-sink", audio_sink, NULL);
}

void
kontor_player_set_file (KontorPlayer *self,
                        GFile        *file)
{
  g_return_if_fail (KONTOR_IS_PLAYER (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->file == file)
    return;

  ensure_playbin (self);
  stop_ticking (self);
  if (self->playbin != NULL)
    gst_element_set_state (self->playbin, GST_STATE_NULL);
  g_set_object (&self->file, file);
  self->duration = -1;
  self->pending_seek = -1;
  set_playing (self, FALSE);
  set_position (self, 0);

  if (file != NULL && self->playbin != NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_object_set (self->playbin, "uri", uri, NULL);
      /* prerolled, so duration and seeking work before playing */
      gst_element_set_state (self->playbin, GST_STATE_PAUSED);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

GFile *
kontor_player_get_file (KontorPlayer *self)
{
  g_return_val_if_fail (KONTOR_IS_PLAYER (self), NULL);
  return self->file;
}

void
kontor_player_play (KontorPlayer *self)
{
  g_return_if_fail (KONTOR_IS_PLAYER (self));

  if (self->file == NULL || self->playbin == NULL)
    return;
  if (gst_element_set_state (self->playbin, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    return;
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add (100, on_tick, self);
  set_playing (self, TRUE);
}

void
kontor_player_pause (KontorPlayer *self)
{
  g_return_if_fail (KONTOR_IS_PLAYER (self));

  if (self->playbin == NULL || !self->playing)
    return;
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
  stop_ticking (self);
  on_tick (self);
  set_playing (self, FALSE);
}

gboolean
kontor_player_get_playing (KontorPlayer *self)
{
  g_return_val_if_fail (KONTOR_IS_PLAYER (self), FALSE);
  return self->playing;
}

gint64
kontor_player_get_position (KontorPlayer *self)
{
  g_return_val_if_fail (KONTOR_IS_PLAYER (self), 0);
  return self->position;
}

gint64
kontor_player_get_duration (KontorPlayer *self)
{
  g_return_val_if_fail (KONTOR_IS_PLAYER (self), -1);
  return self->duration;
}

void
kontor_player_seek (KontorPlayer *self,
                    gint64        position)
{
  GstState state = GST_STATE_NULL;

  g_return_if_fail (KONTOR_IS_PLAYER (self));

  if (self->playbin == NULL || self->file == NULL)
    return;

  position = MAX (position, 0);
  if (self->duration > 0)
    position = MIN (position, self->duration);

  gst_element_get_state (self->playbin, &state, NULL, 0);
  if (state < GST_STATE_PAUSED)
    self->pending_seek = position;   /* done when prerolled */
  else
    gst_element_seek_simple (self->playbin, GST_FORMAT_TIME,
                             GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, position);
  set_position (self, position);
}
