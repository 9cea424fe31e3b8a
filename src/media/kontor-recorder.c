/* kontor-recorder.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-media"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "kontor-recorder.h"

/* How long written audio may wait in the muxer before it goes to disk:
 * what a crash can lose at most. */
#define FLUSH_INTERVAL (500 * GST_MSECOND)
#define LEVEL_INTERVAL (100 * GST_MSECOND)
#define EOS_TIMEOUT_MS 5000
#define OPUS_RATE 48000

struct _KontorRecorder
{
  GObject              parent_instance;

  KontorStore         *store;
  char                *source_description;
  char                *linked_kind;
  char                *linked_id;
  char                *title;

  GstElement          *pipeline;
  guint                bus_watch;
  guint                tick_id;
  guint                eos_timeout_id;
  char                *location;
  char                *sidecar;

  KontorRecorderState  state;
  double               level;
  gint64               elapsed;
  GError              *error;
  KontorRecord        *record;
  GTask               *stop_task;
};

G_DEFINE_FINAL_TYPE (KontorRecorder, kontor_recorder, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (KontorRecorderState, kontor_recorder_state,
  G_DEFINE_ENUM_VALUE (KONTOR_RECORDER_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (KONTOR_RECORDER_STATE_RECORDING, "recording"),
  G_DEFINE_ENUM_VALUE (KONTOR_RECORDER_STATE_STOPPING, "stopping"),
  G_DEFINE_ENUM_VALUE (KONTOR_RECORDER_STATE_FINISHED, "finished"),
  G_DEFINE_ENUM_VALUE (KONTOR_RECORDER_STATE_DISCARDED, "discarded"),
  G_DEFINE_ENUM_VALUE (KONTOR_RECORDER_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_STORE,
  PROP_SOURCE_DESCRIPTION,
  PROP_LINKED_KIND,
  PROP_LINKED_ID,
  PROP_STATE,
  PROP_LEVEL,
  PROP_ELAPSED,
  PROP_LOCATION,
  N_PROPS
};

enum {
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- Ogg pages ------------------------------------------------------------- */

typedef struct
{
  gsize   complete_len;   /* bytes up to the end of the last complete page */
  guint   n_pages;
  gint64  last_granule;   /* of the last complete page that has one */
  guint   pre_skip;       /* from OpusHead */
  gboolean is_opus;
} OggScan;

static void
scan_ogg (const guint8 *data,
          gsize         len,
          OggScan      *scan)
{
  gsize pos = 0;

  memset (scan, 0, sizeof *scan);
  scan->last_granule = -1;

  while (pos + 27 <= len && memcmp (data + pos, "OggS", 4) == 0)
    {
      guint n_segs = data[pos + 26];
      gsize body = 0;
      gint64 granule = 0;

      if (pos + 27 + n_segs > len)
        break;
      for (guint i = 0; i < n_segs; i++)
        body += data[pos + 27 + i];
      if (pos + 27 + n_segs + body > len)
        break;

      for (int i = 7; i >= 0; i--)
        granule = (granule << 8) | data[pos + 6 + i];

      if (scan->n_pages == 0 && body >= 19 &&
          memcmp (data + pos + 27 + n_segs, "OpusHead", 8) == 0)
        {
          const guint8 *head = data + pos + 27 + n_segs;

          scan->is_opus = TRUE;
          scan->pre_skip = head[10] | (head[11] << 8);
        }
      if (granule > 0)
        scan->last_granule = granule;

      scan->n_pages++;
      pos += 27 + n_segs + body;
      scan->complete_len = pos;
    }
}

static gboolean
read_sidecar (const char  *path,
              char       **linked_kind,
              char       **linked_id,
              char       **title,
              GDateTime  **started)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj;

  if (!json_parser_load_from_file (parser, path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  obj = json_node_get_object (json_parser_get_root (parser));
  *linked_kind = g_strdup (json_object_get_string_member_with_default (obj, "linked_kind", NULL));
  *linked_id = g_strdup (json_object_get_string_member_with_default (obj, "linked_id", NULL));
  *title = g_strdup (json_object_get_string_member_with_default (obj, "title", NULL));
  *started = g_date_time_new_from_iso8601 (json_object_get_string_member_with_default (obj, "started_at", ""), NULL);
  return TRUE;
}

static gboolean
write_sidecar (const char  *path,
               const char  *linked_kind,
               const char  *linked_id,
               const char  *title,
               GDateTime   *started,
               GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *when = g_date_time_format_iso8601 (started);
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "started_at");
  json_builder_add_string_value (builder, when);
  if (linked_kind != NULL && linked_id != NULL)
    {
      json_builder_set_member_name (builder, "linked_kind");
      json_builder_add_string_value (builder, linked_kind);
      json_builder_set_member_name (builder, "linked_id");
      json_builder_add_string_value (builder, linked_id);
    }
  if (title != NULL)
    {
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, title);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);

  if (!g_file_set_contents (path, text, -1, error))
    return FALSE;
  return TRUE;
}

static char *
sidecar_for (const char *ogg_path)
{
  g_autofree char *stem = g_strndup (ogg_path, strlen (ogg_path) - strlen (".ogg"));

  return g_strconcat (stem, ".json", NULL);
}

/* Makes a finished or cut-off recording a voice note: cuts a torn last
 * page, reads the duration from the last granule position, moves the file
 * into blob storage and creates the record. A file with no audio at all
 * is removed (*record stays NULL, TRUE is returned). On failure the files
 * stay where they are for the next recovery. */
static gboolean
save_recording (KontorStore   *store,
                const char    *ogg_path,
                KontorRecord **record,
                GError       **error)
{
  g_autofree char *sidecar = sidecar_for (ogg_path);
  g_autofree char *contents = NULL;
  g_autofree char *linked_kind = NULL;
  g_autofree char *linked_id = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *stored = NULL;
  gsize len = 0;
  OggScan scan;
  gint64 samples;

  *record = NULL;

  if (!g_file_get_contents (ogg_path, &contents, &len, error))
    return FALSE;

  scan_ogg ((const guint8 *) contents, len, &scan);

  /* two header pages (OpusHead, OpusTags), then audio */
  if (!scan.is_opus || scan.n_pages < 3 || scan.last_granule <= (gint64) scan.pre_skip)
    {
      g_debug ("Removing recording %s: no audio in it", ogg_path);
      g_unlink (ogg_path);
      g_unlink (sidecar);
      return TRUE;
    }

  if (scan.complete_len < len)
    {
      /* a page torn by the crash: demuxers stop at it, players complain */
      if (truncate (ogg_path, (off_t) scan.complete_len) != 0)
        {
          int saved = errno;

          g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_WRITE,
                       _("The recording “%s” could not be repaired: %s"),
                       ogg_path, g_strerror (saved));
          return FALSE;
        }
    }

  samples = scan.last_granule - scan.pre_skip;

  if (!read_sidecar (sidecar, &linked_kind, &linked_id, &title, &started) || started == NULL)
    {
      GStatBuf st;

      g_clear_pointer (&started, g_date_time_unref);
      if (g_stat (ogg_path, &st) == 0)
        started = g_date_time_new_from_unix_utc (st.st_mtime - samples / OPUS_RATE);
      else
        started = g_date_time_new_now_utc ();
    }

  file = g_file_new_for_path (ogg_path);
  if (!kontor_blob_hash_file (file, &hash, error))
    return FALSE;

  /* the linked record may be gone (deleted meanwhile): keep the note */
  if (linked_id != NULL)
    {
      g_autoptr(KontorRecord) linked = kontor_store_get (store, linked_id, NULL);

      if (linked == NULL || kontor_record_get_deleted (linked))
        g_clear_pointer (&linked_id, g_free);
    }

  /* the record first: if the database cannot take it (a full disk), the
   * file stays with its sidecar for the next recovery */
  *record = kontor_voice_notes_create (store, hash, samples * 1000 / OPUS_RATE, started,
                                       linked_kind, linked_id, title, error);
  if (*record == NULL)
    return FALSE;

  stored = kontor_voice_notes_store_blob (store, file, error);
  if (stored == NULL)
    {
      kontor_store_delete (store, kontor_record_get_id (*record), NULL);
      g_clear_object (record);
      return FALSE;
    }

  g_unlink (sidecar);
  return TRUE;
}

/* --- the recorder ---------------------------------------------------------- */

static void
set_state (KontorRecorder      *self,
           KontorRecorderState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
teardown_pipeline (KontorRecorder *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->eos_timeout_id, g_source_remove);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_pointer (&self->pipeline, gst_object_unref);
    }
}

static void
kontor_recorder_dispose (GObject *object)
{
  KontorRecorder *self = (KontorRecorder *) object;

  /* a recording still running when its owner goes away stays on disk
   * and becomes a note at the next recovery */
  teardown_pipeline (self);
  g_clear_object (&self->store);
  g_clear_object (&self->record);
  g_clear_object (&self->stop_task);

  G_OBJECT_CLASS (kontor_recorder_parent_class)->dispose (object);
}

static void
kontor_recorder_finalize (GObject *object)
{
  KontorRecorder *self = (KontorRecorder *) object;

  g_free (self->source_description);
  g_free (self->linked_kind);
  g_free (self->linked_id);
  g_free (self->title);
  g_free (self->location);
  g_free (self->sidecar);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (kontor_recorder_parent_class)->finalize (object);
}

static void
kontor_recorder_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KontorRecorder *self = KONTOR_RECORDER (object);

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
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LEVEL:
      g_value_set_double (value, self->level);
      break;
    case PROP_ELAPSED:
      g_value_set_int64 (value, self->elapsed);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_recorder_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KontorRecorder *self = KONTOR_RECORDER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SOURCE_DESCRIPTION:
      g_free (self->source_description);
      self->source_description = g_value_dup_string (value);
      if (self->source_description == NULL)
        self->source_description = g_strdup (KONTOR_RECORDER_DEFAULT_SOURCE);
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
kontor_recorder_class_init (KontorRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_recorder_dispose;
  object_class->finalize = kontor_recorder_finalize;
  object_class->get_property = kontor_recorder_get_property;
  object_class->set_property = kontor_recorder_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE_DESCRIPTION] =
    g_param_spec_string ("source-description", NULL, NULL, KONTOR_RECORDER_DEFAULT_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINKED_KIND] =
    g_param_spec_string ("linked-kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINKED_ID] =
    g_param_spec_string ("linked-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, KONTOR_TYPE_RECORDER_STATE,
                       KONTOR_RECORDER_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEVEL] =
    g_param_spec_double ("level", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, -100.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ELAPSED] =
    g_param_spec_int64 ("elapsed", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCATION] =
    g_param_spec_string ("location", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The recording stopped because of error (a GError); what was recorded
   * up to then has been kept. */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
kontor_recorder_init (KontorRecorder *self)
{
  self->level = -100.0;
  self->source_description = g_strdup (KONTOR_RECORDER_DEFAULT_SOURCE);
}

KontorRecorder *
kontor_recorder_new (KontorStore *store,
                     const char  *source_description,
                     const char  *linked_kind,
                     const char  *linked_id)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_RECORDER,
                       "store", store,
                       "source-description", source_description,
                       "linked-kind", linked_kind,
                       "linked-id", linked_id,
                       NULL);
}

KontorStore *
kontor_recorder_get_store (KontorRecorder *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORDER (self), NULL);
  return self->store;
}

const char *
kontor_recorder_get_source_description (KontorRecorder *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORDER (self), NULL);
  return self->source_description;
}

KontorRecorderState
kontor_recorder_get_state (KontorRecorder *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORDER (self), KONTOR_RECORDER_STATE_IDLE);
  return self->state;
}

double
kontor_recorder_get_level (KontorRecorder *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORDER (self), -100.0);
  return self->level;
}

gint64
kontor_recorder_get_elapsed (KontorRecorder *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORDER (self), 0);
  return self->elapsed;
}

const GError *
kontor_recorder_get_error (KontorRecorder *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORDER (self), NULL);
  return self->error;
}

KontorRecord *
kontor_recorder_get_record (KontorRecorder *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORDER (self), NULL);
  return self->record;
}

const char *
kontor_recorder_get_location (KontorRecorder *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORDER (self), NULL);
  return self->location;
}

void
kontor_recorder_set_title (KontorRecorder *self,
                           const char     *title)
{
  g_return_if_fail (KONTOR_IS_RECORDER (self));
  g_free (self->title);
  self->title = g_strdup (title);
}

/* Translates a GStreamer error into one a person can act on. */
static GError *
media_error_from_gst (const GError *gerror,
                      gboolean      from_source)
{
  if (gerror->domain == GST_RESOURCE_ERROR)
    switch (gerror->code)
      {
      case GST_RESOURCE_ERROR_NO_SPACE_LEFT:
        return g_error_new (KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_DISK_FULL,
                            _("The disk is full. What was recorded up to now has been kept."));
      case GST_RESOURCE_ERROR_BUSY:
        return g_error_new (KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_BUSY,
                            _("The microphone is in use by another program."));
      case GST_RESOURCE_ERROR_NOT_FOUND:
        if (from_source)
          return g_error_new (KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NO_DEVICE,
                              _("No microphone was found. Connect one and try again."));
        break;
      case GST_RESOURCE_ERROR_OPEN_READ:
      case GST_RESOURCE_ERROR_OPEN_READ_WRITE:
      case GST_RESOURCE_ERROR_READ:
      case GST_RESOURCE_ERROR_SETTINGS:
        if (from_source)
          return g_error_new (KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_BUSY,
                              _("The microphone cannot be opened. It may be in use by another "
                                "program (%s)."), gerror->message);
        break;
      case GST_RESOURCE_ERROR_OPEN_WRITE:
      case GST_RESOURCE_ERROR_WRITE:
      case GST_RESOURCE_ERROR_CLOSE:
      case GST_RESOURCE_ERROR_SYNC:
        return g_error_new (KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_WRITE,
                            _("The recording could not be written to disk: %s"),
                            gerror->message);
      default:
        break;
      }

  if (from_source)
    return g_error_new (KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NO_DEVICE,
                        _("No working microphone was found: %s"), gerror->message);

  if ((gerror->domain == GST_CORE_ERROR && gerror->code == GST_CORE_ERROR_MISSING_PLUGIN) ||
      (gerror->domain == GST_STREAM_ERROR && (gerror->code == GST_STREAM_ERROR_CODEC_NOT_FOUND ||
                                              gerror->code == GST_STREAM_ERROR_NOT_IMPLEMENTED)))
    return g_error_new (KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_MISSING_CODEC,
                        _("A component needed for recording is not installed: %s"),
                        gerror->message);

  return g_error_new (KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_FAILED,
                      _("Recording failed: %s"), gerror->message);
}

static gboolean
message_from_source (KontorRecorder *self,
                     GstMessage     *message)
{
  GstObject *src = GST_MESSAGE_SRC (message);
  GstElement *source = gst_bin_get_by_name (GST_BIN (self->pipeline), "kontor-source");
  gboolean result = FALSE;

  if (source != NULL)
    {
      result = src == GST_OBJECT (source) || gst_object_has_as_ancestor (src, GST_OBJECT (source));
      gst_object_unref (source);
    }
  return result;
}

static GError *
error_from_message (KontorRecorder *self,
                    GstMessage     *message)
{
  g_autoptr(GError) gerror = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (message, &gerror, &debug);
  g_debug ("GStreamer error from %s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
           gerror->message, debug ? debug : "");
  return media_error_from_gst (gerror, message_from_source (self, message));
}

static void
finish_stop (KontorRecorder *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) record = NULL;
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);

  teardown_pipeline (self);

  if (self->location != NULL && !save_recording (self->store, self->location, &record, &error))
    {
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
      set_state (self, KONTOR_RECORDER_STATE_FAILED);
      if (task != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_set_object (&self->record, record);
  set_state (self, KONTOR_RECORDER_STATE_FINISHED);

  if (task == NULL)
    return;
  if (record == NULL)
    g_task_return_new_error (task, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                             _("Nothing was recorded."));
  else
    g_task_return_pointer (task, g_steal_pointer (&record), g_object_unref);
}

/* An error while recording: stop, keep what is on disk as a note. */
static void
fail (KontorRecorder *self,
      GError         *error)
{
  g_autoptr(KontorRecord) record = NULL;
  g_autoptr(GError) save_error = NULL;
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);

  g_clear_error (&self->error);
  self->error = error;

  teardown_pipeline (self);
  if (self->location != NULL && !save_recording (self->store, self->location, &record, &save_error))
    g_debug ("The recording stays for recovery: %s", save_error->message);
  g_set_object (&self->record, record);

  set_state (self, KONTOR_RECORDER_STATE_FAILED);
  g_signal_emit (self, signals[FAILED], 0, self->error);

  if (task != NULL)
    {
      if (record != NULL)
        g_task_return_pointer (task, g_steal_pointer (&record), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (self->error));
    }
}

static void
handle_level (KontorRecorder     *self,
              const GstStructure *s)
{
  const GValue *peaks = gst_structure_get_value (s, "peak");
  double peak = -100.0;

  if (peaks == NULL)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (G_VALUE_HOLDS (peaks, g_value_array_get_type ()))
    {
      GValueArray *array = g_value_get_boxed (peaks);

      for (guint i = 0; array != NULL && i < array->n_values; i++)
        peak = MAX (peak, g_value_get_double (g_value_array_get_nth (array, i)));
    }
  G_GNUC_END_IGNORE_DEPRECATIONS

  peak = CLAMP (peak, -100.0, 0.0);
  if (peak != self->level)
    {
      self->level = peak;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
    }
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  KontorRecorder *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      self->bus_watch = 0;
      fail (self, error_from_message (self, message));
      return G_SOURCE_REMOVE;

    case GST_MESSAGE_EOS:
      self->bus_watch = 0;
      finish_stop (self);
      return G_SOURCE_REMOVE;

    case GST_MESSAGE_ELEMENT:
      {
        const GstStructure *s = gst_message_get_structure (message);

        if (s != NULL && gst_structure_has_name (s, "level"))
          handle_level (self, s);
      }
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick (gpointer user_data)
{
  KontorRecorder *self = user_data;
  gint64 position = 0;

  GstClockTime running;

  /* the clock, not the sinks' position: the file lags by what the
   * encoder and muxer hold back */
  if (self->pipeline == NULL)
    return G_SOURCE_CONTINUE;
  running = gst_element_get_current_running_time (self->pipeline);
  if (GST_CLOCK_TIME_IS_VALID (running))
    position = (gint64) running;
  if (position != self->elapsed && position >= 0)
    {
      self->elapsed = position;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED]);
    }
  return G_SOURCE_CONTINUE;
}

static GstElement *
make_element (const char  *factory,
              const char  *name,
              GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    {
      if (g_str_equal (factory, "opusenc"))
        g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_MISSING_CODEC,
                     _("The Opus audio encoder is not installed. Install the GStreamer "
                       "base plugins (gstreamer1.0-plugins-base) to record voice notes."));
      else if (g_str_equal (factory, "oggmux"))
        g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_MISSING_CODEC,
                     _("The Ogg file writer is not installed. Install the GStreamer "
                       "base plugins (gstreamer1.0-plugins-base) to record voice notes."));
      else
        g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_MISSING_CODEC,
                     _("The GStreamer element “%s” is not installed, so voice notes "
                       "cannot be recorded."), factory);
    }
  return element;
}

static void
remove_files (KontorRecorder *self)
{
  if (self->location != NULL)
    g_unlink (self->location);
  if (self->sidecar != NULL)
    g_unlink (self->sidecar);
}

gboolean
kontor_recorder_start (KontorRecorder  *self,
                       GError         **error)
{
  static const char * const chain[] = {
    "audioconvert", "audioresample", "level", "opusenc", "oggmux", "filesink"
  };
  g_autoptr(GError) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *name = NULL;
  GstElement *elements[G_N_ELEMENTS (chain)] = { NULL, };
  GstElement *source;
  GstElement *pipeline;
  GstStateChangeReturn ret;

  g_return_val_if_fail (KONTOR_IS_RECORDER (self), FALSE);
  g_return_val_if_fail (self->state == KONTOR_RECORDER_STATE_IDLE, FALSE);

  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, &local))
    {
      g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_MISSING_CODEC,
                   _("GStreamer could not be started: %s"), local->message);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (chain); i++)
    {
      elements[i] = make_element (chain[i], NULL, error);
      if (elements[i] == NULL)
        {
          for (guint j = 0; j < i; j++)
            gst_object_unref (elements[j]);
          return FALSE;
        }
    }

  source = gst_parse_bin_from_description_full (self->source_description, TRUE, NULL,
                                                GST_PARSE_FLAG_FATAL_ERRORS, &local);
  if (source == NULL)
    {
      for (guint j = 0; j < G_N_ELEMENTS (chain); j++)
        gst_object_unref (elements[j]);
      if (g_error_matches (local, GST_PARSE_ERROR, GST_PARSE_ERROR_NO_SUCH_ELEMENT))
        g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NO_DEVICE,
                     _("The audio input “%s” is not available: %s"),
                     self->source_description, local->message);
      else
        g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NO_DEVICE,
                     _("The audio input “%s” cannot be used: %s"),
                     self->source_description, local->message);
      return FALSE;
    }
  gst_object_set_name (GST_OBJECT (source), "kontor-source");

  dir = kontor_voice_notes_get_recording_dir (self->store);
  uuid = g_uuid_string_random ();
  name = g_strconcat (uuid, ".ogg", NULL);
  g_free (self->location);
  self->location = g_build_filename (dir, name, NULL);
  g_free (self->sidecar);
  self->sidecar = sidecar_for (self->location);
  now = g_date_time_new_now_utc ();

  /* written first: a crash a second later still knows where the audio
   * belongs */
  if (!write_sidecar (self->sidecar, self->linked_kind, self->linked_id, self->title, now, &local))
    {
      g_set_error (error, KONTOR_MEDIA_ERROR,
                   g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOSPC)
                     ? KONTOR_MEDIA_ERROR_DISK_FULL : KONTOR_MEDIA_ERROR_WRITE,
                   _("The recording cannot be saved: %s"), local->message);
      gst_object_unref (source);
      for (guint j = 0; j < G_N_ELEMENTS (chain); j++)
        gst_object_unref (elements[j]);
      g_clear_pointer (&self->location, g_free);
      g_clear_pointer (&self->sidecar, g_free);
      return FALSE;
    }

  /* level: a meter wants about ten values a second */
  g_object_set (elements[2], "interval", (guint64) LEVEL_INTERVAL, "post-messages", TRUE, NULL);
  /* speech needs little: 32 kbit/s Opus is about 240 KB a minute */
  g_object_set (elements[3], "bitrate", 32000, NULL);
  g_object_set (elements[4],
                "max-delay", (guint64) FLUSH_INTERVAL,
                "max-page-delay", (guint64) FLUSH_INTERVAL,
                NULL);
  /* every page straight to the file, no stdio buffer */
  g_object_set (elements[5], "location", self->location, "sync", FALSE, "async", FALSE, NULL);
  gst_util_set_object_arg (G_OBJECT (elements[5]), "buffer-mode", "unbuffered");
  /* and through the page cache onto the disk, so that a power cut keeps it
   * too: a couple of small synchronous writes a second */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (elements[5]), "o-sync") != NULL)
    g_object_set (elements[5], "o-sync", TRUE, NULL);

  pipeline = gst_pipeline_new ("kontor-recorder");
  gst_bin_add (GST_BIN (pipeline), source);
  for (guint i = 0; i < G_N_ELEMENTS (chain); i++)
    gst_bin_add (GST_BIN (pipeline), elements[i]);

  if (!gst_element_link (source, elements[0]) ||
      !gst_element_link_many (elements[0], elements[1], elements[2], elements[3],
                              elements[4], elements[5], NULL))
    {
      gst_object_unref (pipeline);
      remove_files (self);
      g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NO_DEVICE,
                   _("The audio input “%s” does not deliver sound that can be recorded."),
                   self->source_description);
      return FALSE;
    }

  self->pipeline = pipeline;
  bus = gst_element_get_bus (pipeline);

  ret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  if (ret == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      if (message != NULL)
        {
          g_autoptr(GError) media_error = error_from_message (self, message);

          /* a device that refuses to start is busy unless it is missing */
          if (media_error->code == KONTOR_MEDIA_ERROR_FAILED)
            media_error->code = KONTOR_MEDIA_ERROR_BUSY;
          g_propagate_error (error, g_steal_pointer (&media_error));
        }
      else
        g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_BUSY,
                     _("The microphone cannot be started. It may be in use by another program."));
      teardown_pipeline (self);
      remove_files (self);
      return FALSE;
    }

  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  self->tick_id = g_timeout_add (100, on_tick, self);
  self->elapsed = 0;
  g_clear_error (&self->error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
  set_state (self, KONTOR_RECORDER_STATE_RECORDING);
  return TRUE;
}

static gboolean
on_eos_timeout (gpointer user_data)
{
  KontorRecorder *self = user_data;

  /* a source that ignores EOS: what is on disk is complete pages anyway */
  self->eos_timeout_id = 0;
  g_debug ("No end of stream after %d ms; saving what was written", EOS_TIMEOUT_MS);
  finish_stop (self);
  return G_SOURCE_REMOVE;
}

void
kontor_recorder_stop_async (KontorRecorder      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KONTOR_IS_RECORDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_recorder_stop_async);
  /* the file must be finished even if the caller lost interest */
  g_task_set_check_cancellable (task, FALSE);

  switch (self->state)
    {
    case KONTOR_RECORDER_STATE_RECORDING:
      break;
    case KONTOR_RECORDER_STATE_FINISHED:
    case KONTOR_RECORDER_STATE_FAILED:
      if (self->record != NULL)
        g_task_return_pointer (task, g_object_ref (self->record), g_object_unref);
      else if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else
        g_task_return_new_error (task, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                                 _("Nothing was recorded."));
      return;
    case KONTOR_RECORDER_STATE_STOPPING:
    case KONTOR_RECORDER_STATE_IDLE:
    case KONTOR_RECORDER_STATE_DISCARDED:
    default:
      g_task_return_new_error (task, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                               _("Nothing is being recorded."));
      return;
    }

  self->stop_task = g_steal_pointer (&task);
  set_state (self, KONTOR_RECORDER_STATE_STOPPING);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  on_tick (self);
  gst_element_send_event (self->pipeline, gst_event_new_eos ());
  self->eos_timeout_id = g_timeout_add (EOS_TIMEOUT_MS, on_eos_timeout, self);
}

KontorRecord *
kontor_recorder_stop_finish (KontorRecorder  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kontor_recorder_discard (KontorRecorder *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KONTOR_IS_RECORDER (self));

  task = g_steal_pointer (&self->stop_task);
  teardown_pipeline (self);
  if (self->state == KONTOR_RECORDER_STATE_RECORDING ||
      self->state == KONTOR_RECORDER_STATE_STOPPING)
    remove_files (self);
  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The recording was discarded."));
  set_state (self, KONTOR_RECORDER_STATE_DISCARDED);
}

gboolean
kontor_recorder_recover_sync (KontorStore   *store,
                              GPtrArray    **recovered,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);

  dir = kontor_voice_notes_get_recording_dir (store);
  d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return FALSE;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".ogg"))
      g_ptr_array_add (names, g_strdup (name));
    else if (g_str_has_suffix (name, ".json"))
      {
        /* a sidecar whose recording never got a byte */
        g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".json"));
        g_autofree char *ogg = g_strconcat (dir, G_DIR_SEPARATOR_S, stem, ".ogg", NULL);

        if (!g_file_test (ogg, G_FILE_TEST_EXISTS))
          {
            g_autofree char *path = g_build_filename (dir, name, NULL);
            g_unlink (path);
          }
      }

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autoptr(KontorRecord) record = NULL;
      g_autoptr(GError) local = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (!save_recording (store, path, &record, &local))
        {
          /* one bad file must not block the others; it stays for later */
          g_message ("Could not recover the recording %s: %s", path, local->message);
          continue;
        }
      if (record != NULL)
        {
          g_message ("Recovered an interrupted recording as voice note %s",
                     kontor_record_get_id (record));
          g_ptr_array_add (records, g_steal_pointer (&record));
        }
    }

  if (recovered != NULL)
    *recovered = g_steal_pointer (&records);
  return TRUE;
}
