/* kontor-uuid.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-model"

#include "config.h"

#include "kontor-uuid.h"

static char *
format_uuid (const guint8 b[16])
{
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static char *
build_v7 (gint64  unix_ms,
          guint16 seq12,
          GRand  *rand)
{
  guint8 b[16];

  for (int i = 0; i < 6; i++)
    b[i] = (unix_ms >> (8 * (5 - i))) & 0xff;
  b[6] = 0x70 | ((seq12 >> 8) & 0x0f);
  b[7] = seq12 & 0xff;
  for (int i = 8; i < 16; i++)
    b[i] = rand ? g_rand_int_range (rand, 0, 256) : g_random_int_range (0, 256);
  b[8] = 0x80 | (b[8] & 0x3f);

  return format_uuid (b);
}

char *
kontor_uuid_new (void)
{
  static GMutex lock;
  static gint64 last_ms;
  static guint16 seq;
  gint64 now = g_get_real_time () / 1000;
  guint16 s;

  /* The 12 bits after the version count up within one millisecond so ids
   * made by this process sort in creation order (RFC 9562, method 1). */
  g_mutex_lock (&lock);
  if (now <= last_ms)
    {
      now = last_ms;
      seq++;
      if (seq > 0x0fff)
        {
          now = ++last_ms;
          seq = g_random_int_range (0, 0x0800);
        }
    }
  else
    {
      last_ms = now;
      seq = g_random_int_range (0, 0x0800);
    }
  s = seq;
  g_mutex_unlock (&lock);

  return build_v7 (now, s, NULL);
}

char *
kontor_uuid_new_from (gint64  unix_ms,
                      GRand  *rand)
{
  g_return_val_if_fail (rand != NULL, NULL);

  return build_v7 (unix_ms, g_rand_int_range (rand, 0, 0x1000), rand);
}

gboolean
kontor_uuid_is_valid (const char *text)
{
  if (text == NULL)
    return FALSE;

  for (int i = 0; i < 36; i++)
    {
      char c = text[i];

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (c != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (c) || g_ascii_isupper (c))
        return FALSE;
    }

  return text[36] == '\0';
}
