/* kontor-voice-notes.h: voice note records and their audio files
 *
 * A voice note is a record of kind "voice_note" whose "audio" field holds
 * the SHA-256 of an Ogg/Opus file. The file lives next to the database in
 * "<name>-blobs/<sha256>" (content-addressed, so a file is stored once);
 * recordings in progress are written to "<name>-recordings/" with a small
 * "<uuid>.json" sidecar that says which record they are for.
 *
 * Sync of the files goes through the blob client: uploads run in the
 * background after each sync, downloads happen on demand (or ahead of
 * time), and files no live record refers to any more are removed after
 * each sync, which is how a delete (or an erasure) on another replica
 * removes the file here. kontor_voice_notes_attach_to_engine() wires all
 * of this to a KontorSyncEngine.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kontor-blob-client.h"
#include "kontor-store.h"
#include "kontor-sync-engine.h"

G_BEGIN_DECLS

#define KONTOR_VOICE_NOTE_KIND "voice_note"

#define KONTOR_MEDIA_ERROR (kontor_media_error_quark ())

typedef enum
{
  KONTOR_MEDIA_ERROR_NO_DEVICE,       /* no microphone, or no such source */
  KONTOR_MEDIA_ERROR_BUSY,            /* the device is used by another program */
  KONTOR_MEDIA_ERROR_MISSING_CODEC,   /* an encoder, muxer or plugin is not installed */
  KONTOR_MEDIA_ERROR_DISK_FULL,
  KONTOR_MEDIA_ERROR_WRITE,           /* any other failure to write the file */
  KONTOR_MEDIA_ERROR_NOT_AVAILABLE,   /* the audio is not on this machine (yet) */
  KONTOR_MEDIA_ERROR_INVALID,         /* not a playable recording */
  KONTOR_MEDIA_ERROR_FAILED,
} KontorMediaError;

GQuark        kontor_media_error_quark              (void);

/* Where files of this store live (created on demand). */
char         *kontor_voice_notes_get_blob_dir       (KontorStore   *store);
char         *kontor_voice_notes_get_recording_dir  (KontorStore   *store);
/* The local path of a blob, whether it exists or not. */
char         *kontor_voice_notes_get_blob_path      (KontorStore   *store,
                                                     const char    *sha256);
/* The local audio file of a voice note, NULL when it has not been
 * downloaded (or the record has no audio). */
GFile        *kontor_voice_notes_get_audio_file     (KontorStore   *store,
                                                     KontorRecord  *note);

/* Hashes file and moves it into the blob directory (replacing nothing: a
 * file with the same content is already there). Returns the SHA-256. */
char         *kontor_voice_notes_store_blob         (KontorStore   *store,
                                                     GFile         *file,
                                                     GError       **error);

/* Duration of an audio file in nanoseconds (GstDiscoverer), or -1. */
gint64        kontor_voice_notes_probe_duration     (const char    *path,
                                                     GError       **error);

/* Creates the record. linked_kind/linked_id may be NULL (an unlinked
 * note); linked_kind must be one of contact, organization, lead, deal,
 * activity. title may be NULL. */
KontorRecord *kontor_voice_notes_create             (KontorStore   *store,
                                                     const char    *audio_sha256,
                                                     gint64         duration_ms,
                                                     GDateTime     *recorded_at,
                                                     const char    *linked_kind,
                                                     const char    *linked_id,
                                                     const char    *title,
                                                     GError       **error);

/* Deletes the record (a tombstone that syncs) and its local file when no
 * other live record uses it. */
gboolean      kontor_voice_notes_delete             (KontorStore   *store,
                                                     const char    *id,
                                                     GError       **error);

/* Removes blob files that no live record refers to (after a sync brought
 * deletes). *n_removed may be NULL. */
gboolean      kontor_voice_notes_collect_garbage    (KontorStore   *store,
                                                     guint         *n_removed,
                                                     GError       **error);

/* The hashes of local audio files of live voice notes (to upload). */
GPtrArray    *kontor_voice_notes_list_local_audio   (KontorStore   *store,
                                                     GError       **error);

/* Uploads the local audio of every voice note the server does not hold
 * yet, resuming partial uploads; the store is only read in the calling
 * thread, the network work runs in a worker thread. */
void          kontor_voice_notes_upload_async       (KontorStore          *store,
                                                     KontorSyncClient     *client,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean      kontor_voice_notes_upload_finish      (KontorStore          *store,
                                                     GAsyncResult         *result,
                                                     guint                *n_uploaded,
                                                     GError              **error);

/* Makes the note's audio local (downloading it, resumable, when missing)
 * and returns the file. */
void          kontor_voice_notes_fetch_async        (KontorStore          *store,
                                                     KontorSyncClient     *client,
                                                     KontorRecord         *note,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GFile        *kontor_voice_notes_fetch_finish       (KontorStore          *store,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Removes the files of deleted voice notes whenever the store changes
 * (a local delete, an erasure, or a sync that brought deletes), whether or
 * not an account is set up. Lives as long as the store. */
void          kontor_voice_notes_watch_store        (KontorStore          *store);
/* Keeps the files of record (its blob fields: a voice note's audio, a
 * photo) from every clean-up for the next seconds, so that an Undo of its
 * delete finds them; the clean-up runs again when the hold ends. */
void          kontor_voice_notes_hold_files         (KontorStore          *store,
                                                     KontorRecord         *record,
                                                     guint                 seconds);

/* After every completed sync of engine: uploads pending audio, removes
 * files of deleted notes and, when prefetch is TRUE, downloads the audio
 * of notes that are not local yet. Lives as long as the engine. */
void          kontor_voice_notes_attach_to_engine   (KontorSyncEngine     *engine,
                                                     gboolean              prefetch);

G_END_DECLS
