/* fuzz-csv.c: libFuzzer target for the streaming CSV reader
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kontor-csv-reader.h"
#include "kontor-io.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(KontorCsvReader) reader = kontor_csv_reader_new (in);

  kontor_csv_reader_set_max_record_size (reader, 64 * 1024);
  /* a broken row is consumed; reading goes on until the end or a hard error */
  for (guint rows = 0; rows < 100000; rows++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) row = NULL;
      guint line = 0;

      row = kontor_csv_reader_read_row (reader, &line, NULL, &error);
      if (row == NULL && error == NULL)
        break;
      if (row == NULL && !g_error_matches (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_BAD_ROW))
        break;
      if (row != NULL)
        {
          g_autoptr(GString) out = g_string_new (NULL);
          kontor_csv_append_row (out, (const char * const *) row, g_strv_length (row), ',');
        }
    }
  return 0;
}
