/* kontor-decoder.c: streaming text decoding for the readers
 *
 * UTF-8, UTF-16 and Windows-1252 are decoded here rather than by GIConv:
 * the readers must know where in the text an invalid byte was (to name
 * its line and go on with the next one), which iconv's all-or-nothing
 * conversion of a buffer does not tell, and glibc refuses five bytes of
 * Windows-1252 that real files contain. Every other encoding a person
 * chooses goes through GIConv.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-io"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "kontor-decoder-private.h"
#include "kontor-io.h"

#define CHUNK_SIZE  (64 * 1024)
#define DETECT_MIN  4096

typedef enum
{
  MODE_UNSET,
  MODE_UTF8,
  MODE_UTF16LE,
  MODE_UTF16BE,
  MODE_CP1252,
  MODE_ICONV,
  MODE_RAW,
} Mode;

struct _KontorDecoder
{
  GInputStream *stream;
  char         *requested;
  gboolean      raw_unless_utf16;
  Mode          mode;
  gboolean      auto_utf8;       /* UTF-8 by detection: may still become 1252 */
  gboolean      seen_non_ascii;
  char         *encoding;
  GIConv        cd;
  GByteArray   *pending;         /* bytes read but not decoded yet */
  guint8       *chunk;
  gboolean      eof;
  guint64       bytes_in;
  guint64       bytes_out;
  GArray       *bad;             /* guint64 output offsets of U+FFFD we wrote */
};

static const gunichar cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static gunichar
cp1252_char (guint8 b)
{
  if (b >= 0x80 && b < 0xA0)
    return cp1252_high[b - 0x80];
  return b;
}

char *
_kontor_cp1252_to_utf8 (const guint8 *bytes,
                        gsize         len)
{
  GString *s = g_string_sized_new (len + len / 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      if (bytes[i] < 0x80)
        g_string_append_c (s, (char) bytes[i]);
      else
        g_string_append_unichar (s, cp1252_char (bytes[i]));
    }

  return g_string_free (s, FALSE);
}

/* A UTF-8 sequence whose start is there but whose end was cut off. */
static gboolean
incomplete_utf8 (const guint8 *p,
                 gsize         len)
{
  gsize need;

  if (p[0] >= 0xC2 && p[0] <= 0xDF)
    need = 2;
  else if (p[0] >= 0xE0 && p[0] <= 0xEF)
    need = 3;
  else if (p[0] >= 0xF0 && p[0] <= 0xF4)
    need = 4;
  else
    return FALSE;

  if (len >= need)
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if ((p[i] & 0xC0) != 0x80)
      return FALSE;

  return TRUE;
}

/* UTF-8, perhaps with a few bad bytes: at least as many well-formed
 * multi-byte sequences as bytes that are not. Text in Windows-1252 hardly
 * ever forms a UTF-8 sequence by chance ("M\xfcller" does not), while a
 * UTF-8 file with one broken line should be read as UTF-8, so that the
 * broken line is reported and the others keep their umlauts. NUL bytes
 * are bad in any encoding and count for nothing. */
static gboolean
looks_utf8 (const guint8 *data,
            gsize         len,
            gboolean      complete)
{
  gsize i = 0;
  gsize n_multi = 0;
  gsize n_bad = 0;

  while (i < len)
    {
      const char *end;
      gsize stop;

      g_utf8_validate_len ((const char *) data + i, len - i, &end);
      stop = (const guint8 *) end - data;
      for (; i < stop; i++)
        n_multi += data[i] >= 0xC0;
      if (i >= len)
        break;
      if (data[i] != 0 && !(!complete && incomplete_utf8 (data + i, len - i)))
        n_bad++;
      i++;
    }

  return n_bad == 0 || (n_multi > 0 && n_multi >= n_bad);
}

const char *
_kontor_detect_encoding (const guint8 *data,
                         gsize         len,
                         gboolean      complete)
{
  gsize n_pairs;
  gsize zero_even = 0;
  gsize zero_odd = 0;

  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    return "UTF-8-BOM";
  if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    return "UTF-16LE-BOM";
  if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    return "UTF-16BE-BOM";

  /* Mostly-ASCII text in UTF-16 has a zero in every other byte. */
  n_pairs = MIN (len, 1024) / 2;
  for (gsize i = 0; i < n_pairs; i++)
    {
      zero_even += data[2 * i] == 0;
      zero_odd += data[2 * i + 1] == 0;
    }
  if (n_pairs >= 2)
    {
      if (zero_odd * 4 >= n_pairs && zero_even * 20 <= n_pairs)
        return "UTF-16LE";
      if (zero_even * 4 >= n_pairs && zero_odd * 20 <= n_pairs)
        return "UTF-16BE";
    }

  if (looks_utf8 (data, len, complete))
    return "UTF-8";

  return "WINDOWS-1252";
}

KontorDecoder *
_kontor_decoder_new (GInputStream  *stream,
                     const char    *encoding,
                     gboolean       raw_unless_utf16,
                     GError       **error)
{
  g_autoptr(KontorDecoder) self = g_new0 (KontorDecoder, 1);

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self->stream = g_object_ref (stream);
  self->raw_unless_utf16 = raw_unless_utf16;
  self->pending = g_byte_array_new ();
  self->chunk = g_malloc (CHUNK_SIZE);
  self->bad = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->cd = (GIConv) -1;

  if (encoding != NULL && encoding[0] != '\0')
    {
      g_autofree char *upper = g_ascii_strup (encoding, -1);

      self->requested = g_strdup (upper);
      if (g_str_equal (upper, "UTF-8") || g_str_equal (upper, "UTF8"))
        self->mode = MODE_UTF8;
      else if (g_str_equal (upper, "UTF-16LE"))
        self->mode = MODE_UTF16LE;
      else if (g_str_equal (upper, "UTF-16BE"))
        self->mode = MODE_UTF16BE;
      else if (g_str_equal (upper, "UTF-16"))
        self->mode = MODE_UNSET;   /* byte order from BOM or zeros */
      else if (g_str_equal (upper, "WINDOWS-1252") || g_str_equal (upper, "CP1252") ||
               g_str_equal (upper, "WINDOWS1252"))
        self->mode = MODE_CP1252;
      else
        {
          self->cd = g_iconv_open ("UTF-8", upper);
          if (self->cd == (GIConv) -1)
            {
              g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_ENCODING,
                           _("“%s” is not an encoding this system knows"), encoding);
              return NULL;
            }
          self->mode = MODE_ICONV;
        }

      if (self->mode != MODE_UNSET)
        {
          self->encoding = g_strdup (self->mode == MODE_CP1252 ? "WINDOWS-1252"
                                     : self->mode == MODE_UTF8 ? "UTF-8" : upper);
          if (raw_unless_utf16 && self->mode != MODE_UTF16LE && self->mode != MODE_UTF16BE)
            {
              g_clear_pointer (&self->encoding, g_free);
              self->encoding = g_strdup ("BINARY");
              self->mode = MODE_RAW;
            }
        }
    }

  return g_steal_pointer (&self);
}

void
_kontor_decoder_free (KontorDecoder *self)
{
  if (self == NULL)
    return;

  if (self->cd != (GIConv) -1)
    g_iconv_close (self->cd);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->pending, g_byte_array_unref);
  g_clear_pointer (&self->bad, g_array_unref);
  g_free (self->chunk);
  g_free (self->requested);
  g_free (self->encoding);
  g_free (self);
}

const char *
_kontor_decoder_get_encoding (KontorDecoder *self)
{
  return self->encoding;
}

guint64
_kontor_decoder_get_bytes_in (KontorDecoder *self)
{
  return self->bytes_in;
}

gboolean
_kontor_decoder_take_bad (KontorDecoder *self,
                          guint64        end)
{
  guint n = 0;

  while (n < self->bad->len && g_array_index (self->bad, guint64, n) < end)
    n++;
  if (n > 0)
    g_array_remove_range (self->bad, 0, n);

  return n > 0;
}

static void
emit (KontorDecoder *self,
      GString       *out,
      const guint8  *data,
      gsize          len)
{
  g_string_append_len (out, (const char *) data, len);
  self->bytes_out += len;
}

static void
emit_char (KontorDecoder *self,
           GString       *out,
           gunichar       c)
{
  gsize before = out->len;

  g_string_append_unichar (out, c);
  self->bytes_out += out->len - before;
}

static void
emit_bad (KontorDecoder *self,
          GString       *out)
{
  g_array_append_val (self->bad, self->bytes_out);
  emit_char (self, out, 0xFFFD);
}

static void
set_encoding (KontorDecoder *self,
              const char    *name)
{
  g_free (self->encoding);
  self->encoding = g_strdup (name);
}

static gsize
decode_cp1252 (KontorDecoder *self,
               const guint8  *p,
               gsize          n,
               GString       *out)
{
  for (gsize i = 0; i < n; i++)
    {
      if (p[i] == 0)
        emit_bad (self, out);
      else if (p[i] < 0x80)
        emit (self, out, p + i, 1);
      else
        emit_char (self, out, cp1252_char (p[i]));
    }

  return n;
}

static gsize
decode_utf8 (KontorDecoder *self,
             const guint8  *p,
             gsize          n,
             gboolean       final,
             GString       *out)
{
  gsize i = 0;

  while (i < n)
    {
      const char *end;
      gsize valid;

      g_utf8_validate_len ((const char *) p + i, n - i, &end);
      valid = (const guint8 *) end - (p + i);

      if (!self->seen_non_ascii)
        for (gsize j = i; j < i + valid; j++)
          if (p[j] >= 0x80)
            {
              self->seen_non_ascii = TRUE;
              break;
            }

      emit (self, out, p + i, valid);
      i += valid;
      if (i >= n)
        break;

      if (p[i] == 0)
        {
          emit_bad (self, out);
          i++;
          continue;
        }
      if (!final && incomplete_utf8 (p + i, n - i))
        break;
      if (self->auto_utf8 && !self->seen_non_ascii)
        {
          self->mode = MODE_CP1252;
          set_encoding (self, "WINDOWS-1252");
          return i + decode_cp1252 (self, p + i, n - i, out);
        }
      emit_bad (self, out);
      i++;
    }

  return i;
}

static gsize
decode_utf16 (KontorDecoder *self,
              const guint8  *p,
              gsize          n,
              gboolean       final,
              gboolean       big_endian,
              GString       *out)
{
  gsize i = 0;

#define UNIT(k) (big_endian ? (guint) (p[(k)] << 8 | p[(k) + 1]) \
                    : (guint) (p[(k) + 1] << 8 | p[(k)]))

  while (i + 1 < n)
    {
      guint u = UNIT (i);

      if (u >= 0xD800 && u <= 0xDBFF)
        {
          guint u2;

          if (i + 3 >= n)
            {
              if (!final)
                break;
              emit_bad (self, out);
              i += 2;
              continue;
            }
          u2 = UNIT (i + 2);
          if (u2 >= 0xDC00 && u2 <= 0xDFFF)
            {
              emit_char (self, out, 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00));
              i += 4;
            }
          else
            {
              emit_bad (self, out);
              i += 2;
            }
        }
      else if ((u >= 0xDC00 && u <= 0xDFFF) || u == 0)
        {
          emit_bad (self, out);
          i += 2;
        }
      else
        {
          emit_char (self, out, u);
          i += 2;
        }
    }

#undef UNIT

  if (final && i < n)
    {
      emit_bad (self, out);
      i = n;
    }

  return i;
}

static gsize
decode_iconv (KontorDecoder *self,
              const guint8  *p,
              gsize          n,
              gboolean       final,
              GString       *out)
{
  char buf[4096];
  char *inbuf = (char *) p;
  gsize inleft = n;

  while (inleft > 0)
    {
      char *outbuf = buf;
      gsize outleft = sizeof buf;
      gsize rc = g_iconv (self->cd, &inbuf, &inleft, &outbuf, &outleft);
      int errsv = errno;

      emit (self, out, (const guint8 *) buf, outbuf - buf);
      if (rc != (gsize) -1)
        continue;

      if (errsv == E2BIG)
        continue;
      if (errsv == EINVAL && !final)
        break;
      /* EILSEQ, or a sequence cut off by the end of the file */
      emit_bad (self, out);
      inbuf++;
      inleft--;
    }

  return n - inleft;
}

/* Decodes what is pending; keeps a cut-off sequence for the next chunk
 * unless this is the end. */
static void
decode_pending (KontorDecoder *self,
                GString       *out)
{
  const guint8 *p = self->pending->data;
  gsize n = self->pending->len;
  gboolean final = self->eof;
  gsize used = 0;

  switch (self->mode)
    {
    case MODE_UTF8:
      used = decode_utf8 (self, p, n, final, out);
      break;
    case MODE_UTF16LE:
    case MODE_UTF16BE:
      used = decode_utf16 (self, p, n, final, self->mode == MODE_UTF16BE, out);
      break;
    case MODE_CP1252:
      used = decode_cp1252 (self, p, n, out);
      break;
    case MODE_ICONV:
      used = decode_iconv (self, p, n, final, out);
      break;
    case MODE_RAW:
      emit (self, out, p, n);
      used = n;
      break;
    case MODE_UNSET:
    default:
      g_assert_not_reached ();
    }

  g_byte_array_remove_range (self->pending, 0, used);
}

static gboolean
read_chunk (KontorDecoder  *self,
            GCancellable   *cancellable,
            GError        **error)
{
  gssize n = g_input_stream_read (self->stream, self->chunk, CHUNK_SIZE, cancellable, error);

  if (n < 0)
    return FALSE;
  if (n == 0)
    self->eof = TRUE;
  g_byte_array_append (self->pending, self->chunk, n);
  self->bytes_in += n;
  return TRUE;
}

static void
skip_bom (KontorDecoder *self,
          gsize          len)
{
  if (self->pending->len >= len)
    g_byte_array_remove_range (self->pending, 0, len);
}

static void
detect (KontorDecoder *self)
{
  const char *found = _kontor_detect_encoding (self->pending->data, self->pending->len,
                                               self->eof);
  gboolean bom = g_str_has_suffix (found, "-BOM");
  gboolean utf16 = g_str_has_prefix (found, "UTF-16");
  gboolean be = g_str_has_prefix (found, "UTF-16BE");

  if (self->requested != NULL)
    {
      /* "UTF-16" was asked for: only the byte order is open */
      self->mode = be ? MODE_UTF16BE : MODE_UTF16LE;
      if (utf16 && bom)
        skip_bom (self, 2);
      set_encoding (self, be ? "UTF-16BE" : "UTF-16LE");
      return;
    }

  if (utf16)
    {
      self->mode = be ? MODE_UTF16BE : MODE_UTF16LE;
      if (bom)
        skip_bom (self, 2);
      set_encoding (self, be ? "UTF-16BE" : "UTF-16LE");
      return;
    }

  if (g_str_equal (found, "UTF-8-BOM"))
    skip_bom (self, 3);

  if (self->raw_unless_utf16)
    {
      self->mode = MODE_RAW;
      set_encoding (self, "BINARY");
      return;
    }

  if (g_str_has_prefix (found, "UTF-8"))
    {
      self->mode = MODE_UTF8;
      /* with a BOM the writer said UTF-8; without, it is our guess */
      self->auto_utf8 = !bom;
      set_encoding (self, "UTF-8");
    }
  else
    {
      self->mode = MODE_CP1252;
      set_encoding (self, "WINDOWS-1252");
    }
}

gboolean
_kontor_decoder_read (KontorDecoder  *self,
                      GString        *out,
                      gboolean       *eof,
                      GCancellable   *cancellable,
                      GError        **error)
{
  gsize start = out->len;
  gboolean first = self->bytes_in == 0 && !self->eof;

  *eof = FALSE;

  if (first)
    {
      /* enough of the start to tell the encoding */
      while (!self->eof && self->pending->len < DETECT_MIN)
        if (!read_chunk (self, cancellable, error))
          return FALSE;

      if (self->mode == MODE_UNSET)
        detect (self);
      else if (self->mode == MODE_UTF8 && self->pending->len >= 3 &&
               memcmp (self->pending->data, "\xEF\xBB\xBF", 3) == 0)
        skip_bom (self, 3);
      else if (self->mode == MODE_RAW && self->pending->len >= 3 &&
               memcmp (self->pending->data, "\xEF\xBB\xBF", 3) == 0)
        skip_bom (self, 3);
      else if ((self->mode == MODE_UTF16LE && self->pending->len >= 2 &&
                memcmp (self->pending->data, "\xFF\xFE", 2) == 0) ||
               (self->mode == MODE_UTF16BE && self->pending->len >= 2 &&
                memcmp (self->pending->data, "\xFE\xFF", 2) == 0))
        skip_bom (self, 2);

      decode_pending (self, out);
    }

  while (out->len == start)
    {
      if (self->eof)
        {
          if (self->pending->len > 0)
            {
              decode_pending (self, out);
              continue;
            }
          *eof = TRUE;
          return TRUE;
        }
      if (!read_chunk (self, cancellable, error))
        return FALSE;
      decode_pending (self, out);
    }

  return TRUE;
}
