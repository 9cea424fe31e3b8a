/* fuzz-vcard.c: libFuzzer target for the vCard reader and its mapping
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kontor-io.h"
#include "kontor-vcard.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static KontorSchema *schema;
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(KontorVCardReader) reader = kontor_vcard_reader_new (in);

  if (schema == NULL)
    schema = kontor_schema_new ();

  for (guint cards = 0; cards < 10000; cards++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KontorVCard) card = kontor_vcard_reader_next (reader, NULL, &error);
      g_autoptr(JsonObject) values = NULL;
      g_autoptr(KontorVCardPhoto) photo = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autofree char *kind = NULL;
      g_autofree char *text = NULL;

      if (card == NULL)
        {
          if (error == NULL || !g_error_matches (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_BAD_ROW))
            break;
          continue;
        }
      values = kontor_vcard_to_values (card, schema, "contact", &kind, &photo, &problems);
      text = kontor_vcard_to_string (card);
    }
  return 0;
}
