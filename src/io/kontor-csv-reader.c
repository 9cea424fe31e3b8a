/* kontor-csv-reader.c: streaming reader of CSV and similar files
 *
 * The reader keeps a window of decoded text and drops what it has parsed,
 * so its memory is bounded by the largest row (which is bounded too), not
 * by the file.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-io"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-csv-reader.h"
#include "kontor-decoder-private.h"
#include "kontor-io.h"

#define SNIFF_SIZE   (64 * 1024)
#define SNIFF_LINES  50
#define COMPACT_AT   (64 * 1024)

struct _KontorCsvReader
{
  GObject        parent_instance;

  GInputStream  *stream;
  KontorDecoder *decoder;
  char          *encoding;
  char           delimiter;
  gsize          max_record;

  GString       *buf;
  gsize          pos;
  guint64        buf_base;     /* decoded offset of buf->str[0] */
  gboolean       eof;
  gboolean       started;
  gboolean       cr_lines;     /* a file whose lines end in CR alone */
  guint          line;
};

G_DEFINE_FINAL_TYPE (KontorCsvReader, kontor_csv_reader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STREAM,
  PROP_ENCODING,
  PROP_DELIMITER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kontor_csv_reader_dispose (GObject *object)
{
  KontorCsvReader *self = (KontorCsvReader *) object;

  g_clear_object (&self->stream);

  G_OBJECT_CLASS (kontor_csv_reader_parent_class)->dispose (object);
}

static void
kontor_csv_reader_finalize (GObject *object)
{
  KontorCsvReader *self = (KontorCsvReader *) object;

  g_clear_pointer (&self->decoder, _kontor_decoder_free);
  g_string_free (self->buf, TRUE);
  g_free (self->encoding);

  G_OBJECT_CLASS (kontor_csv_reader_parent_class)->finalize (object);
}

static void
kontor_csv_reader_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KontorCsvReader *self = KONTOR_CSV_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;
    case PROP_ENCODING:
      g_value_set_string (value, kontor_csv_reader_get_encoding (self));
      break;
    case PROP_DELIMITER:
      g_value_set_schar (value, self->delimiter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_csv_reader_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KontorCsvReader *self = KONTOR_CSV_READER (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;
    case PROP_ENCODING:
      kontor_csv_reader_set_encoding (self, g_value_get_string (value));
      break;
    case PROP_DELIMITER:
      kontor_csv_reader_set_delimiter (self, g_value_get_schar (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_csv_reader_class_init (KontorCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_csv_reader_dispose;
  object_class->finalize = kontor_csv_reader_finalize;
  object_class->get_property = kontor_csv_reader_get_property;
  object_class->set_property = kontor_csv_reader_set_property;

  properties[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL, G_TYPE_INPUT_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENCODING] =
    g_param_spec_string ("encoding", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELIMITER] =
    g_param_spec_char ("delimiter", NULL, NULL, 0, G_MAXINT8, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_csv_reader_init (KontorCsvReader *self)
{
  self->buf = g_string_sized_new (SNIFF_SIZE);
  self->max_record = KONTOR_CSV_DEFAULT_MAX_RECORD_SIZE;
  self->line = 1;
}

KontorCsvReader *
kontor_csv_reader_new (GInputStream *stream)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return g_object_new (KONTOR_TYPE_CSV_READER, "stream", stream, NULL);
}

void
kontor_csv_reader_set_encoding (KontorCsvReader *self,
                                const char      *encoding)
{
  g_return_if_fail (KONTOR_IS_CSV_READER (self));
  g_return_if_fail (!self->started);

  if (g_strcmp0 (self->encoding, encoding) == 0)
    return;

  g_free (self->encoding);
  self->encoding = g_strdup (encoding);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCODING]);
}

const char *
kontor_csv_reader_get_encoding (KontorCsvReader *self)
{
  g_return_val_if_fail (KONTOR_IS_CSV_READER (self), NULL);

  if (self->decoder != NULL && _kontor_decoder_get_encoding (self->decoder) != NULL)
    return _kontor_decoder_get_encoding (self->decoder);
  return self->encoding;
}

void
kontor_csv_reader_set_delimiter (KontorCsvReader *self,
                                 char             delimiter)
{
  g_return_if_fail (KONTOR_IS_CSV_READER (self));
  g_return_if_fail (!self->started);
  g_return_if_fail (delimiter != '"' && delimiter != '\n' && delimiter != '\r');

  if (self->delimiter == delimiter)
    return;

  self->delimiter = delimiter;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIMITER]);
}

char
kontor_csv_reader_get_delimiter (KontorCsvReader *self)
{
  g_return_val_if_fail (KONTOR_IS_CSV_READER (self), 0);
  return self->delimiter;
}

void
kontor_csv_reader_set_max_record_size (KontorCsvReader *self,
                                       gsize            size)
{
  g_return_if_fail (KONTOR_IS_CSV_READER (self));
  self->max_record = MAX (size, 1);
}

guint64
kontor_csv_reader_get_bytes_read (KontorCsvReader *self)
{
  g_return_val_if_fail (KONTOR_IS_CSV_READER (self), 0);
  return self->decoder ? _kontor_decoder_get_bytes_in (self->decoder) : 0;
}

/* ---------------------------------------------------------------------- */

static void
compact (KontorCsvReader *self)
{
  if (self->pos < COMPACT_AT)
    return;
  g_string_erase (self->buf, 0, self->pos);
  self->buf_base += self->pos;
  self->pos = 0;
}

/* Reads until at least need bytes lie after pos, or the end. */
static gboolean
fill (KontorCsvReader  *self,
      gsize             need,
      GCancellable     *cancellable,
      GError          **error)
{
  while (!self->eof && self->buf->len - self->pos < need)
    {
      compact (self);
      if (!_kontor_decoder_read (self->decoder, self->buf, &self->eof, cancellable, error))
        return FALSE;
    }

  return TRUE;
}

static char
sniff (const char *text,
       gsize       len,
       gboolean    complete)
{
  static const char candidates[] = ",;\t";
  /* counts[c][l]: occurrences of candidate c outside quotes on line l */
  guint counts[G_N_ELEMENTS (candidates) - 1][SNIFF_LINES] = { { 0 } };
  guint n_lines = 0;
  guint line_len = 0;
  gboolean quoted = FALSE;
  char prev = '\n';
  char best = ',';
  guint best_agree = 0;
  guint best_count = 0;

  for (gsize i = 0; i < len && n_lines < SNIFF_LINES; i++)
    {
      char c = text[i];

      if (quoted)
        {
          if (c == '"')
            quoted = FALSE;   /* "" re-opens on the next character */
          prev = c;
          line_len++;
          continue;
        }

      if (c == '"' && (prev == '\n' || prev == '\r' || prev == '"' ||
                       (prev != 0 && strchr (candidates, prev) != NULL)))
        quoted = TRUE;
      else if (c == '\n' || c == '\r')
        {
          if (line_len > 0)
            n_lines++;
          line_len = 0;
          prev = c;
          continue;
        }
      else
        for (guint k = 0; k < G_N_ELEMENTS (candidates) - 1; k++)
          if (c == candidates[k])
            counts[k][n_lines]++;

      line_len++;
      prev = c;
    }

  /* a last line without its end counts only if it is the end of the file */
  if (line_len > 0 && complete && n_lines < SNIFF_LINES)
    n_lines++;

  for (guint k = 0; k < G_N_ELEMENTS (candidates) - 1; k++)
    {
      /* the count most lines agree on, and how many lines do */
      for (guint l = 0; l < n_lines; l++)
        {
          guint count = counts[k][l];
          guint agree = 0;

          if (count == 0)
            continue;
          for (guint m = 0; m < n_lines; m++)
            agree += counts[k][m] == count;

          if (agree > best_agree || (agree == best_agree && count > best_count))
            {
              best = candidates[k];
              best_agree = agree;
              best_count = count;
            }
        }
    }

  return best;
}

static gboolean
start (KontorCsvReader  *self,
       GCancellable     *cancellable,
       GError          **error)
{
  const char *text;

  self->started = TRUE;
  self->decoder = _kontor_decoder_new (self->stream, self->encoding, FALSE, error);
  if (self->decoder == NULL)
    return FALSE;

  if (!fill (self, SNIFF_SIZE, cancellable, error))
    return FALSE;

  text = self->buf->str;
  if (memchr (text, '\n', self->buf->len) == NULL && memchr (text, '\r', self->buf->len) != NULL)
    self->cr_lines = TRUE;

  if (self->delimiter == 0)
    {
      self->delimiter = sniff (text, self->buf->len, self->eof);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIMITER]);
    }

  return TRUE;
}

typedef enum
{
  FIELD_START,
  UNQUOTED,
  QUOTED,
  QUOTE_IN_QUOTED,
} State;

static void
end_field (GPtrArray *fields,
           GString   *field,
           gboolean   oversize)
{
  g_ptr_array_add (fields, oversize ? g_strdup ("") : g_strndup (field->str, field->len));
  g_string_truncate (field, 0);
}

static GStrv
bad_row (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static GStrv
bad_row (GError     **error,
         const char  *format,
         ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_BAD_ROW, msg);
  return NULL;
}

/* A line end at pos (the caller saw '\n' or '\r'): consumes it (CRLF as
 * one) and counts the line. */
static gboolean
take_line_end (KontorCsvReader  *self,
               GCancellable     *cancellable,
               GError          **error)
{
  char c = self->buf->str[self->pos++];

  if (c == '\r')
    {
      if (!fill (self, 1, cancellable, error))
        return FALSE;
      if (self->pos < self->buf->len && self->buf->str[self->pos] == '\n')
        self->pos++;
    }
  self->line++;
  return TRUE;
}

GStrv
kontor_csv_reader_read_row (KontorCsvReader  *self,
                            guint            *line,
                            GCancellable     *cancellable,
                            GError          **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) field = NULL;
  State state = FIELD_START;
  gsize size = 0;
  gboolean oversize = FALSE;
  guint start_line;
  char delim;

  g_return_val_if_fail (KONTOR_IS_CSV_READER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!self->started && !start (self, cancellable, error))
    return NULL;

  delim = self->delimiter ? self->delimiter : ',';

  /* blank lines are no rows */
  for (;;)
    {
      char c;

      if (!fill (self, 1, cancellable, error))
        return NULL;
      if (self->pos >= self->buf->len)
        {
          if (line != NULL)
            *line = self->line;
          return NULL;
        }
      c = self->buf->str[self->pos];
      if (c != '\n' && c != '\r')
        break;
      if (!take_line_end (self, cancellable, error))
        return NULL;
    }

  start_line = self->line;
  if (line != NULL)
    *line = start_line;

  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);

  for (;;)
    {
      char c;

      if (self->pos >= self->buf->len)
        {
          if (!fill (self, 1, cancellable, error))
            return NULL;
          if (self->pos >= self->buf->len)
            break;  /* end of input ends the row */
        }

      c = self->buf->str[self->pos];

      if (!oversize && size > self->max_record)
        {
          oversize = TRUE;
          g_string_truncate (field, 0);
          g_ptr_array_set_size (fields, 0);
        }

      switch (state)
        {
        case FIELD_START:
          if (c == '"')
            {
              state = QUOTED;
              self->pos++;
              continue;
            }
          state = UNQUOTED;
          G_GNUC_FALLTHROUGH;

        case UNQUOTED:
          if (c == delim)
            {
              end_field (fields, field, oversize);
              state = FIELD_START;
              self->pos++;
              continue;
            }
          if (c == '\n' || c == '\r')
            goto row_end;
          break;

        case QUOTED:
          if (c == '"')
            {
              state = QUOTE_IN_QUOTED;
              self->pos++;
              continue;
            }
          if (c == '\n' || (c == '\r' && self->cr_lines))
            {
              /* a line break inside the field: kept as LF */
              self->pos++;
              self->line++;
              if (!oversize)
                g_string_append_c (field, '\n');
              size++;
              continue;
            }
          if (c == '\r')
            {
              if (!fill (self, 2, cancellable, error))
                return NULL;
              if (self->pos + 1 < self->buf->len && self->buf->str[self->pos + 1] == '\n')
                {
                  /* CRLF inside the field becomes LF; a bare CR stays */
                  self->pos++;
                  continue;
                }
            }
          break;

        case QUOTE_IN_QUOTED:
          if (c == '"')
            {
              state = QUOTED;
              break;  /* "" is one quote */
            }
          if (c == delim)
            {
              end_field (fields, field, oversize);
              state = FIELD_START;
              self->pos++;
              continue;
            }
          if (c == '\n' || c == '\r')
            goto row_end;
          /* text after the closing quote: taken as it is */
          state = UNQUOTED;
          break;

        default:
          g_assert_not_reached ();
        }

      if (!oversize)
        g_string_append_c (field, c);
      size++;
      self->pos++;
    }

  /* end of input */
  if (state == QUOTED)
    {
      _kontor_decoder_take_bad (self->decoder, self->buf_base + self->pos);
      return bad_row (error, _("line %u: a quoted field that starts here is not closed "
                               "before the end of the file"), start_line);
    }
  goto finish;

row_end:
  if (!take_line_end (self, cancellable, error))
    return NULL;

finish:
  end_field (fields, field, oversize);

  if (_kontor_decoder_take_bad (self->decoder, self->buf_base + self->pos))
    return bad_row (error, _("line %u: holds bytes that are not valid %s text; if the file "
                             "is in another encoding, choose it"),
                    start_line, kontor_csv_reader_get_encoding (self));

  if (oversize)
    {
      g_autofree char *limit = g_format_size (self->max_record);

      return bad_row (error, _("line %u: the row is longer than %s; is a quote not closed?"),
                      start_line, limit);
    }

  g_ptr_array_add (fields, NULL);
  return (GStrv) g_ptr_array_steal (fields, NULL);
}

void
kontor_csv_append_row (GString            *out,
                       const char * const *fields,
                       guint               n_fields,
                       char                delimiter)
{
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *f = fields[i] ? fields[i] : "";
      gsize len = strlen (f);
      gboolean quote = len > 0 && (f[0] == ' ' || f[0] == '\t' || f[len - 1] == ' ' ||
                                   f[len - 1] == '\t');

      for (const char *p = f; *p && !quote; p++)
        quote = *p == delimiter || *p == '"' || *p == '\n' || *p == '\r';

      if (i > 0)
        g_string_append_c (out, delimiter);
      if (!quote)
        {
          g_string_append_len (out, f, len);
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *p = f; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }

  g_string_append (out, "\r\n");
}
