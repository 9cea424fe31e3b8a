/* kontor-voice-notes.c
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
#include <gst/pbutils/pbutils.h>
#include <string.h>

#include "kontor-voice-notes.h"

G_DEFINE_QUARK (kontor-media-error-quark, kontor_media_error)

static const char * const linked_kinds[] = {
  "contact", "organization", "lead", "deal", "activity", NULL
};

/* "<dir>/<name without .db>-<suffix>" so that two stores in one folder
 * (two replicas in a test, say) keep their files apart. */
static char *
store_side_dir (KontorStore *store,
                const char  *suffix)
{
  const char *path = kontor_store_get_path (store);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');
  g_autofree char *name = NULL;
  char *result;

  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, "-", suffix, NULL);
  result = g_build_filename (dir, name, NULL);
  g_mkdir_with_parents (result, 0700);
  return result;
}

char *
kontor_voice_notes_get_blob_dir (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return store_side_dir (store, "blobs");
}

char *
kontor_voice_notes_get_recording_dir (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return store_side_dir (store, "recordings");
}

static gboolean
hash_is_valid (const char *sha256)
{
  return sha256 != NULL && strlen (sha256) == 64 && strspn (sha256, "0123456789abcdef") == 64;
}

char *
kontor_voice_notes_get_blob_path (KontorStore *store,
                                  const char  *sha256)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (hash_is_valid (sha256), NULL);

  dir = kontor_voice_notes_get_blob_dir (store);
  return g_build_filename (dir, sha256, NULL);
}

GFile *
kontor_voice_notes_get_audio_file (KontorStore  *store,
                                   KontorRecord *note)
{
  const char *hash;
  g_autofree char *path = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (KONTOR_IS_RECORD (note), NULL);

  hash = kontor_record_get_string (note, "audio");
  if (!hash_is_valid (hash))
    return NULL;
  path = kontor_voice_notes_get_blob_path (store, hash);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_file_new_for_path (path);
}

static void
set_error_from_errno (GError     **error,
                      int          saved_errno,
                      const char  *path)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_DISK_FULL,
                 _("The disk is full: “%s” could not be saved."), path);
  else
    g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_WRITE,
                 _("“%s” could not be saved: %s"), path, g_strerror (saved_errno));
}

char *
kontor_voice_notes_store_blob (KontorStore  *store,
                               GFile        *file,
                               GError      **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *src = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!kontor_blob_hash_file (file, &hash, error))
    return NULL;
  dest = kontor_voice_notes_get_blob_path (store, hash);
  src = g_file_get_path (file);

  if (g_file_test (dest, G_FILE_TEST_IS_REGULAR))
    {
      g_unlink (src);
      return g_steal_pointer (&hash);
    }

  if (g_rename (src, dest) != 0)
    {
      int saved = errno;

      if (saved != EXDEV)
        {
          set_error_from_errno (error, saved, dest);
          return NULL;
        }
      else
        {
          g_autoptr(GFile) to = g_file_new_for_path (dest);

          if (!g_file_move (file, to, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
            return NULL;
        }
    }

  return g_steal_pointer (&hash);
}

gint64
kontor_voice_notes_probe_duration (const char  *path,
                                   GError     **error)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *uri = NULL;
  GList *audio;
  gboolean has_audio;

  g_return_val_if_fail (path != NULL, -1);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  discoverer = gst_discoverer_new (10 * GST_SECOND, &local);
  if (discoverer == NULL)
    {
      g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_MISSING_CODEC,
                   _("Audio files cannot be read: %s"), local->message);
      return -1;
    }

  uri = gst_filename_to_uri (path, &local);
  if (uri == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return -1;
    }

  info = gst_discoverer_discover_uri (discoverer, uri, &local);
  if (info == NULL || gst_discoverer_info_get_result (info) != GST_DISCOVERER_OK)
    {
      g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                   _("“%s” is not a playable recording: %s"), path,
                   local != NULL ? local->message : _("unknown format"));
      return -1;
    }

  audio = gst_discoverer_info_get_audio_streams (info);
  has_audio = audio != NULL;
  gst_discoverer_stream_info_list_free (audio);
  if (!has_audio)
    {
      g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                   _("“%s” holds no audio."), path);
      return -1;
    }

  return (gint64) gst_discoverer_info_get_duration (info);
}

KontorRecord *
kontor_voice_notes_create (KontorStore  *store,
                           const char   *audio_sha256,
                           gint64        duration_ms,
                           GDateTime    *recorded_at,
                           const char   *linked_kind,
                           const char   *linked_id,
                           const char   *title,
                           GError      **error)
{
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *when = NULL;
  g_autofree char *owner = NULL;

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (hash_is_valid (audio_sha256), NULL);
  g_return_val_if_fail (recorded_at != NULL, NULL);

  utc = g_date_time_to_utc (recorded_at);
  when = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  json_object_set_string_member (values, "audio", audio_sha256);
  json_object_set_string_member (values, "recorded_at", when);
  json_object_set_int_member (values, "duration_ms", MAX (duration_ms, 0));
  if (title != NULL && *title != '\0')
    json_object_set_string_member (values, "title", title);

  if (linked_kind != NULL && linked_id != NULL)
    {
      if (!g_strv_contains (linked_kinds, linked_kind))
        {
          g_set_error (error, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_FAILED,
                       _("A voice note cannot be linked to a record of kind “%s”."),
                       linked_kind);
          return NULL;
        }
      json_object_set_string_member (values, linked_kind, linked_id);
    }

  /* the signed-in sales rep, when the app knows who that is */
  owner = kontor_store_get_setting (store, "current_user");
  if (owner != NULL && *owner != '\0')
    json_object_set_string_member (values, "owner", owner);

  return kontor_store_create (store, KONTOR_VOICE_NOTE_KIND, NULL, values, NULL, error);
}

/* Every blob hash a live record refers to, over all kinds with blob fields. */
static GHashTable *
referenced_blobs (KontorStore  *store,
                  GError      **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *kinds = kontor_schema_list_kinds (kontor_store_get_schema (store));

  for (guint i = 0; i < kinds->len; i++)
    {
      KontorKind *kind = g_ptr_array_index (kinds, i);
      GPtrArray *fields = kontor_kind_get_fields (kind);
      g_autoptr(GPtrArray) blob_fields = g_ptr_array_new ();
      g_autoptr(KontorQuery) query = NULL;
      g_autoptr(GPtrArray) records = NULL;

      for (guint j = 0; j < fields->len; j++)
        {
          KontorField *f = g_ptr_array_index (fields, j);

          if (kontor_field_get_field_type (f) == KONTOR_FIELD_BLOB)
            g_ptr_array_add (blob_fields, (gpointer) kontor_field_get_name (f));
        }
      /* one query per blob field, of the records that have one: a few
       * photos among 100,000 contacts are read, not every contact */
      for (guint j = 0; j < blob_fields->len; j++)
        {
          const char *field = g_ptr_array_index (blob_fields, j);

          query = kontor_query_new (kontor_kind_get_name (kind));
          kontor_query_add_condition (query, field, KONTOR_QUERY_NOT_EMPTY, NULL);
          records = kontor_store_query (store, query, 0, 0, error);
          g_clear_pointer (&query, kontor_query_unref);
          if (records == NULL)
            return NULL;
          for (guint r = 0; r < records->len; r++)
            {
              const char *hash = kontor_record_get_string (g_ptr_array_index (records, r), field);

              if (hash_is_valid (hash))
                g_hash_table_add (set, g_strdup (hash));
            }
          g_clear_pointer (&records, g_ptr_array_unref);
        }
    }

  return g_steal_pointer (&set);
}

/* Files held back from clean-up: hash -> monotonic expiry (gint64 *). */
static GHashTable *
held_files (KontorStore *store)
{
  GHashTable *held = g_object_get_data (G_OBJECT (store), "kontor-voice-notes-held");

  if (held == NULL)
    {
      held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (store), "kontor-voice-notes-held", held,
                              (GDestroyNotify) g_hash_table_unref);
    }
  return held;
}

static gboolean
is_held (KontorStore *store,
         const char  *hash)
{
  GHashTable *held = g_object_get_data (G_OBJECT (store), "kontor-voice-notes-held");
  gint64 *until = held ? g_hash_table_lookup (held, hash) : NULL;

  if (until == NULL)
    return FALSE;
  if (*until > g_get_monotonic_time ())
    return TRUE;
  g_hash_table_remove (held, hash);
  return FALSE;
}

static gboolean
collect_after_hold (gpointer data)
{
  g_autoptr(KontorStore) store = g_weak_ref_get (data);
  g_autoptr(GError) error = NULL;

  if (store != NULL && !kontor_voice_notes_collect_garbage (store, NULL, &error))
    g_debug ("Cleaning up voice note files failed: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

void
kontor_voice_notes_hold_files (KontorStore  *store,
                               KontorRecord *record,
                               guint         seconds)
{
  KontorKind *kind;
  GPtrArray *fields;
  GWeakRef *ref;

  g_return_if_fail (KONTOR_IS_STORE (store));
  g_return_if_fail (KONTOR_IS_RECORD (record));

  kind = kontor_schema_get_kind (kontor_store_get_schema (store), kontor_record_get_kind (record));
  fields = kind ? kontor_kind_get_fields (kind) : NULL;
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      const char *hash;
      gint64 *until;

      if (kontor_field_get_field_type (f) != KONTOR_FIELD_BLOB)
        continue;
      hash = kontor_record_get_string (record, kontor_field_get_name (f));
      if (!hash_is_valid (hash))
        continue;
      until = g_new (gint64, 1);
      *until = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
      g_hash_table_replace (held_files (store), g_strdup (hash), until);
    }

  /* once the hold is over, what is still unreferenced goes */
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, store);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT_IDLE, seconds + 1, collect_after_hold, ref,
                              weak_ref_free);
}

gboolean
kontor_voice_notes_collect_garbage (KontorStore  *store,
                                    guint        *n_removed,
                                    GError      **error)
{
  g_autoptr(GHashTable) refs = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint removed = 0;

  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);

  refs = referenced_blobs (store, error);
  if (refs == NULL)
    return FALSE;

  dir = kontor_voice_notes_get_blob_dir (store);
  d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return FALSE;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;

      /* "<hash>.partial" is a download in progress: keep it while its
       * note is alive so the download can resume */
      if (g_str_has_suffix (name, ".partial"))
        {
          g_autofree char *hash = g_strndup (name, strlen (name) - strlen (".partial"));

          if (g_hash_table_contains (refs, hash))
            continue;
        }
      else if (!hash_is_valid (name) || g_hash_table_contains (refs, name) || is_held (store, name))
        continue;

      path = g_build_filename (dir, name, NULL);
      if (g_unlink (path) == 0)
        {
          g_debug ("Removed unreferenced file %s", name);
          removed++;
        }
    }

  if (n_removed != NULL)
    *n_removed = removed;
  return TRUE;
}

gboolean
kontor_voice_notes_delete (KontorStore  *store,
                           const char   *id,
                           GError      **error)
{
  g_autoptr(KontorRecord) note = NULL;
  g_autoptr(GHashTable) refs = NULL;
  const char *hash;

  g_return_val_if_fail (KONTOR_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  note = kontor_store_get (store, id, error);
  if (note == NULL)
    return FALSE;
  if (!kontor_store_delete (store, id, error))
    return FALSE;

  hash = kontor_record_get_string (note, "audio");
  if (!hash_is_valid (hash))
    return TRUE;

  /* the same recording may be attached twice (a copied note) */
  refs = referenced_blobs (store, NULL);
  if (refs != NULL && !g_hash_table_contains (refs, hash))
    {
      g_autofree char *path = kontor_voice_notes_get_blob_path (store, hash);

      g_unlink (path);
    }
  return TRUE;
}

GPtrArray *
kontor_voice_notes_list_local_audio (KontorStore  *store,
                                     GError      **error)
{
  g_autoptr(KontorQuery) query = kontor_query_new (KONTOR_VOICE_NOTE_KIND);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  records = kontor_store_query (store, query, 0, 0, error);
  if (records == NULL)
    return NULL;

  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr(GFile) file = kontor_voice_notes_get_audio_file (store,
                                                                 g_ptr_array_index (records, i));
      const char *hash = kontor_record_get_string (g_ptr_array_index (records, i), "audio");

      if (file != NULL && !g_ptr_array_find_with_equal_func (hashes, hash, g_str_equal, NULL))
        g_ptr_array_add (hashes, g_strdup (hash));
    }

  return g_steal_pointer (&hashes);
}

/* --- upload ---------------------------------------------------------------- */

typedef struct
{
  KontorSyncClient *client;
  char             *blob_dir;
  GPtrArray        *hashes;
} UploadData;

static void
upload_data_free (UploadData *data)
{
  g_clear_object (&data->client);
  g_free (data->blob_dir);
  g_clear_pointer (&data->hashes, g_ptr_array_unref);
  g_free (data);
}

static void
upload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  UploadData *data = task_data;
  guint n_uploaded = 0;

  for (guint i = 0; i < data->hashes->len; i++)
    {
      const char *hash = g_ptr_array_index (data->hashes, i);
      g_autofree char *path = g_build_filename (data->blob_dir, hash, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      gboolean exists = FALSE;

      if (!kontor_blob_exists (data->client, hash, &exists, cancellable, &error) ||
          (!exists && !kontor_blob_upload (data->client, file, hash, 0, cancellable, &error)))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (!exists)
        n_uploaded++;
    }

  g_task_return_int (task, n_uploaded);
}

void
kontor_voice_notes_upload_async (KontorStore         *store,
                                 KontorSyncClient    *client,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  UploadData *data;
  GPtrArray *hashes;

  g_return_if_fail (KONTOR_IS_STORE (store));
  g_return_if_fail (KONTOR_IS_SYNC_CLIENT (client));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_voice_notes_upload_async);

  hashes = kontor_voice_notes_list_local_audio (store, &error);
  if (hashes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (UploadData, 1);
  data->client = g_object_ref (client);
  data->blob_dir = kontor_voice_notes_get_blob_dir (store);
  data->hashes = hashes;
  g_task_set_task_data (task, data, (GDestroyNotify) upload_data_free);
  g_task_run_in_thread (task, upload_thread);
}

gboolean
kontor_voice_notes_upload_finish (KontorStore   *store,
                                  GAsyncResult  *result,
                                  guint         *n_uploaded,
                                  GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_uploaded != NULL)
    *n_uploaded = (guint) n;
  return TRUE;
}

/* --- download -------------------------------------------------------------- */

typedef struct
{
  KontorSyncClient *client;
  char             *hash;
  char             *dest;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->client);
  g_free (data->hash);
  g_free (data->dest);
  g_free (data);
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FetchData *data = task_data;
  g_autoptr(GFile) dest = g_file_new_for_path (data->dest);
  g_autoptr(GError) error = NULL;

  if (!kontor_blob_download (data->client, data->hash, dest, cancellable, &error))
    {
      if (g_error_matches (error, KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_REFUSED))
        g_task_return_new_error (task, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NOT_AVAILABLE,
                                 _("The recording has not reached the server yet. "
                                   "Try again after the next sync."));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&dest), g_object_unref);
}

void
kontor_voice_notes_fetch_async (KontorStore         *store,
                                KontorSyncClient    *client,
                                KontorRecord        *note,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) local = NULL;
  const char *hash;
  FetchData *data;

  g_return_if_fail (KONTOR_IS_STORE (store));
  g_return_if_fail (client == NULL || KONTOR_IS_SYNC_CLIENT (client));
  g_return_if_fail (KONTOR_IS_RECORD (note));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_voice_notes_fetch_async);

  hash = kontor_record_get_string (note, "audio");
  if (!hash_is_valid (hash))
    {
      g_task_return_new_error (task, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_INVALID,
                               _("This voice note has no recording."));
      return;
    }

  local = kontor_voice_notes_get_audio_file (store, note);
  if (local != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&local), g_object_unref);
      return;
    }

  if (client == NULL)
    {
      g_task_return_new_error (task, KONTOR_MEDIA_ERROR, KONTOR_MEDIA_ERROR_NOT_AVAILABLE,
                               _("The recording is not on this computer. "
                                 "Sign in to a server to download it."));
      return;
    }

  data = g_new0 (FetchData, 1);
  data->client = g_object_ref (client);
  data->hash = g_strdup (hash);
  data->dest = kontor_voice_notes_get_blob_path (store, hash);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  g_task_run_in_thread (task, fetch_thread);
}

GFile *
kontor_voice_notes_fetch_finish (KontorStore   *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- store watch ----------------------------------------------------------- */

typedef struct
{
  GWeakRef store;
  guint    idle_id;
} StoreWatch;

static void
store_watch_free (gpointer data)
{
  StoreWatch *watch = data;

  g_clear_handle_id (&watch->idle_id, g_source_remove);
  g_weak_ref_clear (&watch->store);
  g_free (watch);
}

static gboolean
collect_in_idle (gpointer data)
{
  StoreWatch *watch = data;
  g_autoptr(KontorStore) store = g_weak_ref_get (&watch->store);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  watch->idle_id = 0;
  if (store != NULL && !kontor_voice_notes_collect_garbage (store, &n, &error))
    g_debug ("Cleaning up voice note files failed: %s", error->message);
  else if (n > 0)
    g_debug ("Removed %u files of deleted voice notes", n);
  return G_SOURCE_REMOVE;
}

static void
on_watched_store_changed (KontorStore *store,
                          const char  *kind,
                          StoreWatch  *watch)
{
  KontorKind *k = kind ? kontor_schema_get_kind (kontor_store_get_schema (store), kind) : NULL;
  GPtrArray *fields = k ? kontor_kind_get_fields (k) : NULL;
  gboolean has_blob = FALSE;

  /* only a kind with files can drop a file */
  for (guint i = 0; fields != NULL && i < fields->len && !has_blob; i++)
    has_blob = kontor_field_get_field_type (g_ptr_array_index (fields, i)) == KONTOR_FIELD_BLOB;
  if (k != NULL && !has_blob)
    return;

  /* one clean-up after a burst of changes (a sync applies many) */
  if (watch->idle_id == 0)
    watch->idle_id = g_idle_add (collect_in_idle, watch);
}

void
kontor_voice_notes_watch_store (KontorStore *store)
{
  StoreWatch *watch;

  g_return_if_fail (KONTOR_IS_STORE (store));

  if (g_object_get_data (G_OBJECT (store), "kontor-voice-notes-watch") != NULL)
    return;
  watch = g_new0 (StoreWatch, 1);
  g_weak_ref_init (&watch->store, store);
  g_object_set_data_full (G_OBJECT (store), "kontor-voice-notes-watch", watch, store_watch_free);
  g_signal_connect (store, "changed", G_CALLBACK (on_watched_store_changed), watch);
}

/* --- sync engine hook ------------------------------------------------------ */

typedef struct
{
  GWeakRef      engine;
  GCancellable *cancellable;
  KontorStore  *store;
  gulong        changed_id;
  gboolean      prefetch;
  gboolean      uploading;
} EngineHook;

static void
engine_hook_free (gpointer data)
{
  EngineHook *hook = data;

  g_cancellable_cancel (hook->cancellable);
  g_clear_object (&hook->cancellable);
  g_clear_signal_handler (&hook->changed_id, hook->store);
  g_clear_object (&hook->store);
  g_weak_ref_clear (&hook->engine);
  g_free (hook);
}

static void
on_uploaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!kontor_voice_notes_upload_finish (KONTOR_STORE (source), result, &n, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Uploading voice notes failed (retried after the next sync): %s",
                 error->message);
    }
  else if (n > 0)
    g_debug ("Uploaded %u voice note recordings", n);

  /* user_data is the hook, which may be gone when cancelled */
  if (error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ((EngineHook *) user_data)->uploading = FALSE;
}

static void
on_prefetched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = kontor_voice_notes_fetch_finish (KONTOR_STORE (source), result, &error);

  if (file == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Downloading a voice note failed: %s", error->message);
}

static void
after_changes (EngineHook *hook)
{
  g_autoptr(KontorSyncEngine) engine = g_weak_ref_get (&hook->engine);
  KontorStore *store;
  KontorSyncClient *client;
  g_autoptr(GError) error = NULL;

  if (engine == NULL)
    return;
  store = kontor_sync_engine_get_store (engine);
  client = kontor_sync_engine_get_client (engine);

  if (!kontor_voice_notes_collect_garbage (store, NULL, &error))
    g_debug ("Cleaning up voice note files failed: %s", error->message);

  if (!hook->uploading)
    {
      hook->uploading = TRUE;
      kontor_voice_notes_upload_async (store, client, hook->cancellable, on_uploaded, hook);
    }

  if (hook->prefetch)
    {
      g_autoptr(KontorQuery) query = kontor_query_new (KONTOR_VOICE_NOTE_KIND);
      g_autoptr(GPtrArray) notes = kontor_store_query (store, query, 0, 0, NULL);

      for (guint i = 0; notes != NULL && i < notes->len; i++)
        {
          KontorRecord *note = g_ptr_array_index (notes, i);
          g_autoptr(GFile) file = kontor_voice_notes_get_audio_file (store, note);

          if (file == NULL)
            kontor_voice_notes_fetch_async (store, client, note, hook->cancellable,
                                            on_prefetched, NULL);
        }
    }
}

/* After a sync (retries uploads that failed while offline). */
static void
on_last_sync (KontorSyncEngine *engine,
              GParamSpec       *pspec,
              EngineHook       *hook)
{
  after_changes (hook);
}

/* A sync that brought changes, or a local edit: deletes from other
 * replicas arrive this way. */
static void
on_store_changed (KontorStore *store,
                  const char  *kind,
                  EngineHook  *hook)
{
  if (kind == NULL || g_str_equal (kind, KONTOR_VOICE_NOTE_KIND))
    after_changes (hook);
}

void
kontor_voice_notes_attach_to_engine (KontorSyncEngine *engine,
                                     gboolean          prefetch)
{
  EngineHook *hook;

  g_return_if_fail (KONTOR_IS_SYNC_ENGINE (engine));

  hook = g_new0 (EngineHook, 1);
  g_weak_ref_init (&hook->engine, engine);
  hook->cancellable = g_cancellable_new ();
  hook->prefetch = prefetch;
  g_object_set_data_full (G_OBJECT (engine), "kontor-voice-notes-hook", hook, engine_hook_free);
  g_signal_connect (engine, "notify::last-sync", G_CALLBACK (on_last_sync), hook);
  hook->store = g_object_ref (kontor_sync_engine_get_store (engine));
  hook->changed_id = g_signal_connect (hook->store, "changed", G_CALLBACK (on_store_changed), hook);
}
