/* kontor-csv-reader.h: streaming reader of CSV and similar files
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Rows longer than this are reported (KONTOR_IO_ERROR_BAD_ROW) and
 * skipped, so that a file with an unclosed quote or no line breaks cannot
 * make the reader hold it all. */
#define KONTOR_CSV_DEFAULT_MAX_RECORD_SIZE (1024 * 1024)

#define KONTOR_TYPE_CSV_READER (kontor_csv_reader_get_type ())

G_DECLARE_FINAL_TYPE (KontorCsvReader, kontor_csv_reader, KONTOR, CSV_READER, GObject)

/* Reads RFC 4180 CSV from stream, a chunk at a time: quoted fields with
 * delimiters, "" escapes and line breaks inside them, CRLF, LF or CR line
 * ends, rows shorter or longer than others. Text is decoded to UTF-8 (see
 * kontor-decoder-private.h for the detection), and the delimiter (',',
 * ';' or TAB) is sniffed from the first lines unless set. Blank lines are
 * skipped. */
KontorCsvReader *kontor_csv_reader_new        (GInputStream     *stream);

/* NULL (the default) detects the encoding. Set before the first row. */
void         kontor_csv_reader_set_encoding   (KontorCsvReader  *self,
                                               const char       *encoding);
/* The encoding in use ("UTF-8", "UTF-16LE", "WINDOWS-1252", ...): the one
 * set, or the one detected once the first row has been read. A file that
 * looked like UTF-8 but turns out to be Windows-1252 further on changes
 * from "UTF-8" to "WINDOWS-1252" when that is found. */
const char  *kontor_csv_reader_get_encoding   (KontorCsvReader  *self);
/* 0 (the default) sniffs. Set before the first row. */
void         kontor_csv_reader_set_delimiter  (KontorCsvReader  *self,
                                               char              delimiter);
/* The delimiter in use; 0 before the first row when sniffing. */
char         kontor_csv_reader_get_delimiter  (KontorCsvReader  *self);
void         kontor_csv_reader_set_max_record_size (KontorCsvReader *self,
                                                    gsize            size);
/* Bytes taken from the stream so far, for progress. */
guint64      kontor_csv_reader_get_bytes_read (KontorCsvReader  *self);

/* The next row as a NULL-terminated array of fields; *line is the 1-based
 * line of the source on which it starts. Returns NULL with no error at the
 * end of the input. A broken row (bytes invalid in the encoding, a quote
 * never closed, too long) fails with KONTOR_IO_ERROR_BAD_ROW and a message
 * that names its line; the row is then consumed and reading may go on.
 * Other errors (of the stream, an unknown encoding) end the reading. */
GStrv        kontor_csv_reader_read_row       (KontorCsvReader  *self,
                                               guint            *line,
                                               GCancellable     *cancellable,
                                               GError          **error);

/* Appends one RFC 4180 row (CRLF-terminated) to out, quoting fields that
 * need it. */
void         kontor_csv_append_row            (GString            *out,
                                               const char * const *fields,
                                               guint               n_fields,
                                               char                delimiter);

G_END_DECLS
