/* kontor-decoder-private.h: streaming text decoding for the readers
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reads a stream chunk by chunk and turns it into UTF-8.
 *
 * With no encoding given it is detected from the first chunk: a BOM
 * (UTF-8, UTF-16LE/BE), UTF-16 without BOM (the pattern of zero bytes of
 * mostly-ASCII text), UTF-8 (valid, or with fewer bad bytes than good
 * multi-byte sequences), and Windows-1252 otherwise. A file
 * detected as UTF-8 that has shown nothing but ASCII when an invalid byte
 * comes along is read as Windows-1252 from there on (both agree on ASCII,
 * so nothing read earlier changes meaning).
 *
 * Bytes that are not valid in the encoding become U+FFFD, and the decoder
 * remembers where in its output it put them, so that a reader can report
 * the line that held them (_kontor_decoder_take_bad()).
 *
 * With raw_unless_utf16 (vCard, whose properties carry their own charsets)
 * only UTF-16 is decoded; other bytes pass unchanged, minus a UTF-8 BOM. */
typedef struct _KontorDecoder KontorDecoder;

KontorDecoder *_kontor_decoder_new          (GInputStream   *stream,
                                             const char     *encoding,
                                             gboolean        raw_unless_utf16,
                                             GError        **error);
void           _kontor_decoder_free         (KontorDecoder  *self);
/* Appends the next decoded chunk to out. Sets *eof (and appends nothing)
 * at the end of the stream. */
gboolean       _kontor_decoder_read         (KontorDecoder  *self,
                                             GString        *out,
                                             gboolean       *eof,
                                             GCancellable   *cancellable,
                                             GError        **error);
/* "UTF-8", "UTF-16LE", "WINDOWS-1252", ...; NULL before the first read.
 * "BINARY" for the raw pass-through. */
const char    *_kontor_decoder_get_encoding (KontorDecoder  *self);
guint64        _kontor_decoder_get_bytes_in (KontorDecoder  *self);
/* TRUE if the decoder replaced an invalid byte at an output offset before
 * end; forgets those offsets. */
gboolean       _kontor_decoder_take_bad     (KontorDecoder  *self,
                                             guint64         end);

/* Windows-1252 to UTF-8. Every byte has a meaning (the five that
 * Windows-1252 leaves undefined map to the C1 controls, as browsers do),
 * which glibc's iconv refuses; that is why this is done by hand. */
char          *_kontor_cp1252_to_utf8       (const guint8   *bytes,
                                             gsize           len);

/* Detects the encoding of the start of a file as described above, without
 * the UTF-8-to-1252 switch: "UTF-8", "UTF-8-BOM", "UTF-16LE", "UTF-16BE",
 * "UTF-16LE-BOM", "UTF-16BE-BOM" or "WINDOWS-1252". complete says that
 * data is the whole file (a UTF-8 sequence cut at the end is then bad). */
const char    *_kontor_detect_encoding      (const guint8   *data,
                                             gsize           len,
                                             gboolean        complete);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorDecoder, _kontor_decoder_free)

G_END_DECLS
