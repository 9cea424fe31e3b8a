/* kontor-vcard.c: vCard 2.1, 3.0 and 4.0 reading, mapping and writing
 *
 * Parsing keeps each property's value as the bytes of the file until the
 * card is complete, because the VERSION that decides how values are
 * escaped may come last (Thunderbird's 2.1 export writes it last), and
 * 2.1 values name their own charset after quoted-printable decoding.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-io"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-decoder-private.h"
#include "kontor-io-private.h"
#include "kontor-uuid.h"
#include "kontor-vcard.h"

/* A property (unfolded) longer than this is refused, which bounds the
 * memory a card can take; 48 MiB of base64 is a 36 MiB photo. */
#define MAX_PROPERTY (48 * 1024 * 1024)
#define FOLD_OCTETS  75

typedef struct
{
  KontorVCardProperty  pub;
  GBytes              *raw;   /* the value as the file held it */
} Property;

struct _KontorVCard
{
  gatomicrefcount  ref_count;
  guint            version;
  guint            line;
  GPtrArray       *properties;   /* Property */
  GPtrArray       *problems;     /* KontorImportProblem */
};

G_DEFINE_BOXED_TYPE (KontorVCard, kontor_vcard, kontor_vcard_ref, kontor_vcard_unref)

static void
param_free (KontorVCardParam *param)
{
  g_free (param->name);
  g_strfreev (param->values);
  g_free (param);
}

void
kontor_vcard_property_free (KontorVCardProperty *prop)
{
  Property *p = (Property *) prop;

  if (prop == NULL)
    return;

  g_free (prop->group);
  g_free (prop->name);
  g_clear_pointer (&prop->params, g_ptr_array_unref);
  g_free (prop->value);
  g_clear_pointer (&prop->data, g_bytes_unref);
  g_free (prop->mime_type);
  g_free (prop->problem);
  g_clear_pointer (&p->raw, g_bytes_unref);
  g_free (p);
}

static Property *
property_new (const char *group,
              const char *name)
{
  Property *p = g_new0 (Property, 1);

  p->pub.group = g_strdup (group);
  p->pub.name = g_ascii_strup (name, -1);
  p->pub.params = g_ptr_array_new_with_free_func ((GDestroyNotify) param_free);
  return p;
}

KontorVCard *
kontor_vcard_new (guint version)
{
  KontorVCard *card = g_new0 (KontorVCard, 1);

  g_atomic_ref_count_init (&card->ref_count);
  card->version = version;
  card->properties = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_vcard_property_free);
  card->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_import_problem_free);
  return card;
}

KontorVCard *
kontor_vcard_ref (KontorVCard *card)
{
  g_return_val_if_fail (card != NULL, NULL);

  g_atomic_ref_count_inc (&card->ref_count);
  return card;
}

void
kontor_vcard_unref (KontorVCard *card)
{
  g_return_if_fail (card != NULL);

  if (g_atomic_ref_count_dec (&card->ref_count))
    {
      g_ptr_array_unref (card->properties);
      g_ptr_array_unref (card->problems);
      g_free (card);
    }
}

guint
kontor_vcard_get_version (KontorVCard *card)
{
  g_return_val_if_fail (card != NULL, 0);
  return card->version;
}

guint
kontor_vcard_get_line (KontorVCard *card)
{
  g_return_val_if_fail (card != NULL, 0);
  return card->line;
}

GPtrArray *
kontor_vcard_get_properties (KontorVCard *card)
{
  g_return_val_if_fail (card != NULL, NULL);
  return card->properties;
}

GPtrArray *
kontor_vcard_get_problems (KontorVCard *card)
{
  g_return_val_if_fail (card != NULL, NULL);
  return card->problems;
}

KontorVCardProperty *
kontor_vcard_get_property (KontorVCard *card,
                           const char  *name)
{
  g_return_val_if_fail (card != NULL, NULL);

  for (guint i = 0; i < card->properties->len; i++)
    {
      KontorVCardProperty *prop = g_ptr_array_index (card->properties, i);

      if (g_ascii_strcasecmp (prop->name, name) == 0)
        return prop;
    }

  return NULL;
}

const char * const *
kontor_vcard_property_get_param (KontorVCardProperty *prop,
                                 const char          *name)
{
  g_return_val_if_fail (prop != NULL, NULL);

  for (guint i = 0; i < prop->params->len; i++)
    {
      KontorVCardParam *param = g_ptr_array_index (prop->params, i);

      if (g_ascii_strcasecmp (param->name, name) == 0)
        return (const char * const *) param->values;
    }

  return NULL;
}

gboolean
kontor_vcard_property_has_type (KontorVCardProperty *prop,
                                const char          *type)
{
  g_return_val_if_fail (prop != NULL, FALSE);

  for (guint i = 0; i < prop->params->len; i++)
    {
      KontorVCardParam *param = g_ptr_array_index (prop->params, i);

      if (g_ascii_strcasecmp (param->name, "TYPE") != 0)
        continue;
      for (guint k = 0; param->values[k]; k++)
        if (g_ascii_strcasecmp (param->values[k], type) == 0)
          return TRUE;
    }

  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Escapes                                                                */

static char *
unescape (const char *text,
          gsize       len,
          guint       version)
{
  GString *s = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '\r' && version == 21 && i + 1 < len && text[i + 1] == '\n')
        continue;   /* quoted-printable =0D=0A: one line break */

      if (c != '\\' || i + 1 >= len)
        {
          g_string_append_c (s, c);
          continue;
        }

      c = text[++i];
      if (version == 21)
        {
          /* 2.1 escapes only the separator */
          if (c != ';')
            g_string_append_c (s, '\\');
          g_string_append_c (s, c);
        }
      else if (c == 'n' || c == 'N')
        g_string_append_c (s, '\n');
      else
        g_string_append_c (s, c);  /* \\ \, \; \: and the unknown \' */
    }

  return g_string_free (s, FALSE);
}

static char *
escape_text (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (s, "\\\\");
          break;
        case ',':
          g_string_append (s, "\\,");
          break;
        case ';':
          g_string_append (s, "\\;");
          break;
        case '\r':
          if (p[1] == '\n')
            p++;
          g_string_append (s, "\\n");
          break;
        case '\n':
          g_string_append (s, "\\n");
          break;
        default:
          g_string_append_c (s, *p);
        }
    }

  return g_string_free (s, FALSE);
}

/* Splits at sep where it is not escaped with a backslash. */
static GStrv
split_unescaped (const char *value,
                 char        sep,
                 guint       version)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *start = value;
  const char *p = value;

  for (; *p; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          continue;
        }
      if (*p == sep)
        {
          g_autofree char *part = unescape (start, p - start, version);

          g_strv_builder_add (builder, part);
          start = p + 1;
        }
    }

  {
    g_autofree char *part = unescape (start, p - start, version);

    g_strv_builder_add (builder, part);
  }

  return g_strv_builder_end (builder);
}

char *
kontor_vcard_property_get_text (KontorVCardProperty *prop)
{
  g_return_val_if_fail (prop != NULL, NULL);

  if (prop->value == NULL)
    return g_strdup ("");
  return unescape (prop->value, strlen (prop->value), prop->version);
}

GStrv
kontor_vcard_property_get_components (KontorVCardProperty *prop)
{
  g_return_val_if_fail (prop != NULL, NULL);

  return split_unescaped (prop->value ? prop->value : "", ';', prop->version);
}

GStrv
kontor_vcard_property_get_list (KontorVCardProperty *prop)
{
  g_return_val_if_fail (prop != NULL, NULL);

  return split_unescaped (prop->value ? prop->value : "", ',', prop->version);
}

/* ---------------------------------------------------------------------- */
/* Building and writing                                                   */

KontorVCardProperty *
kontor_vcard_add_raw (KontorVCard *card,
                      const char  *group,
                      const char  *name,
                      const char  *value)
{
  Property *p;

  g_return_val_if_fail (card != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  p = property_new (group, name);
  p->pub.value = g_strdup (value ? value : "");
  p->pub.version = card->version;
  g_ptr_array_add (card->properties, p);
  return &p->pub;
}

KontorVCardProperty *
kontor_vcard_add_text (KontorVCard *card,
                       const char  *group,
                       const char  *name,
                       const char  *text)
{
  g_autofree char *escaped = escape_text (text ? text : "");

  return kontor_vcard_add_raw (card, group, name, escaped);
}

KontorVCardProperty *
kontor_vcard_add_components (KontorVCard        *card,
                             const char         *name,
                             const char * const *components,
                             guint               n_components)
{
  g_autoptr(GString) value = g_string_new (NULL);

  for (guint i = 0; i < n_components; i++)
    {
      g_autofree char *escaped = escape_text (components[i] ? components[i] : "");

      if (i > 0)
        g_string_append_c (value, ';');
      g_string_append (value, escaped);
    }

  return kontor_vcard_add_raw (card, NULL, name, value->str);
}

void
kontor_vcard_property_add_param (KontorVCardProperty *prop,
                                 const char          *name,
                                 const char          *value)
{
  KontorVCardParam *param = NULL;

  g_return_if_fail (prop != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  for (guint i = 0; i < prop->params->len && param == NULL; i++)
    {
      KontorVCardParam *candidate = g_ptr_array_index (prop->params, i);

      if (g_ascii_strcasecmp (candidate->name, name) == 0)
        param = candidate;
    }

  if (param == NULL)
    {
      param = g_new0 (KontorVCardParam, 1);
      param->name = g_ascii_strup (name, -1);
      param->values = g_new0 (char *, 1);
      g_ptr_array_add (prop->params, param);
    }

  {
    guint n = g_strv_length (param->values);

    param->values = g_renew (char *, param->values, n + 2);
    param->values[n] = g_strdup (value);
    param->values[n + 1] = NULL;
  }
}

static void
append_param_value (GString    *line,
                    const char *value)
{
  gboolean quote = FALSE;

  for (const char *p = value; *p && !quote; p++)
    quote = *p == ':' || *p == ';' || *p == ',' || *p == '"' || *p == '^' ||
            *p == '\n' || *p == '\r' || *p == ' ';

  if (!quote)
    {
      g_string_append (line, value);
      return;
    }

  /* RFC 6868 */
  g_string_append_c (line, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '^')
        g_string_append (line, "^^");
      else if (*p == '"')
        g_string_append (line, "^'");
      else if (*p == '\n')
        g_string_append (line, "^n");
      else if (*p != '\r')
        g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

/* Folds at FOLD_OCTETS, never inside a UTF-8 sequence. */
static void
append_folded (GString    *out,
               const char *line,
               gsize       len)
{
  gsize start = 0;
  gsize limit = FOLD_OCTETS;

  while (len - start > limit)
    {
      gsize cut = start + limit;

      while (cut > start + 1 && ((guchar) line[cut] & 0xC0) == 0x80)
        cut--;
      g_string_append_len (out, line + start, cut - start);
      g_string_append (out, "\r\n ");
      start = cut;
      limit = FOLD_OCTETS - 1;   /* the space counts */
    }

  g_string_append_len (out, line + start, len - start);
  g_string_append (out, "\r\n");
}

static void
append_property (GString             *out,
                 KontorVCardProperty *prop)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (prop->group != NULL)
    g_string_append_printf (line, "%s.", prop->group);
  g_string_append (line, prop->name);

  for (guint i = 0; i < prop->params->len; i++)
    {
      KontorVCardParam *param = g_ptr_array_index (prop->params, i);

      g_string_append_printf (line, ";%s=", param->name);
      for (guint k = 0; param->values[k]; k++)
        {
          if (k > 0)
            g_string_append_c (line, ',');
          append_param_value (line, param->values[k]);
        }
    }

  g_string_append_c (line, ':');
  if (prop->value != NULL)
    g_string_append (line, prop->value);
  else if (prop->data != NULL)
    {
      g_autofree char *b64 = g_base64_encode (g_bytes_get_data (prop->data, NULL),
                                              g_bytes_get_size (prop->data));
      g_string_append (line, b64);
    }

  append_folded (out, line->str, line->len);
}

char *
kontor_vcard_to_string (KontorVCard *card)
{
  GString *out = g_string_new ("BEGIN:VCARD\r\n");

  g_return_val_if_fail (card != NULL, NULL);

  g_string_append_printf (out, "VERSION:%s\r\n",
                          card->version == 40 ? "4.0" : card->version == 21 ? "2.1" : "3.0");
  for (guint i = 0; i < card->properties->len; i++)
    append_property (out, g_ptr_array_index (card->properties, i));
  g_string_append (out, "END:VCARD\r\n");

  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Decoding values                                                        */

static gboolean
is_binary_property (const char *name)
{
  return g_str_equal (name, "PHOTO") || g_str_equal (name, "LOGO") ||
         g_str_equal (name, "SOUND") || g_str_equal (name, "KEY");
}

static GBytes *
qp_decode (const guint8 *raw,
           gsize         len)
{
  GByteArray *out = g_byte_array_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      guint8 b = raw[i];

      if (b == '=' && i + 2 < len && g_ascii_isxdigit (raw[i + 1]) &&
          g_ascii_isxdigit (raw[i + 2]))
        {
          b = (guint8) (g_ascii_xdigit_value (raw[i + 1]) << 4 | g_ascii_xdigit_value (raw[i + 2]));
          i += 2;
        }
      else if (b == '=' && i + 1 < len && (raw[i + 1] == '\r' || raw[i + 1] == '\n'))
        {
          /* a soft line break that was not joined */
          i++;
          if (raw[i] == '\r' && i + 1 < len && raw[i + 1] == '\n')
            i++;
          continue;
        }
      g_byte_array_append (out, &b, 1);
    }

  return g_byte_array_free_to_bytes (out);
}

/* g_base64_decode() skips what is not base64; garbage must be an error. */
static GBytes *
base64_decode_strict (const char *text,
                      gsize       len)
{
  g_autoptr(GString) clean = g_string_sized_new (len);
  gsize pad = 0;
  guchar *data;
  gsize out_len;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        continue;
      if (c == '=')
        {
          pad++;
          if (pad > 2)
            return NULL;
        }
      else if (pad > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return NULL;
      g_string_append_c (clean, c);
    }

  /* padding says how long the last group is: it must come out even */
  if (clean->len == 0 || clean->len % 4 == 1 || (pad > 0 && clean->len % 4 != 0))
    return NULL;
  while (clean->len % 4 != 0)
    g_string_append_c (clean, '=');

  data = g_base64_decode (clean->str, &out_len);
  return g_bytes_new_take (data, out_len);
}

static const char *
image_type (GBytes *bytes)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (bytes, &len);

  if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
    return "image/jpeg";
  if (len >= 8 && memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (len >= 6 && (memcmp (d, "GIF87a", 6) == 0 || memcmp (d, "GIF89a", 6) == 0))
    return "image/gif";
  if (len >= 12 && memcmp (d, "RIFF", 4) == 0 && memcmp (d + 8, "WEBP", 4) == 0)
    return "image/webp";
  return NULL;
}

static gboolean
charset_is_utf8 (const char *charset)
{
  return g_ascii_strcasecmp (charset, "UTF-8") == 0 || g_ascii_strcasecmp (charset, "UTF8") == 0;
}

static void
set_problem (KontorVCardProperty *prop,
             const char          *message)
{
  if (prop->problem == NULL)
    prop->problem = g_strdup (message);
}

static char *
bytes_to_text (KontorVCardProperty *prop,
               const guint8        *data,
               gsize                len,
               gboolean             utf8_stream,
               const char          *default_charset)
{
  const char * const *declared = kontor_vcard_property_get_param (prop, "CHARSET");
  const char *charset = declared ? declared[0] : default_charset;

  if (utf8_stream || (charset != NULL && charset_is_utf8 (charset)))
    {
      if (g_utf8_validate_len ((const char *) data, len, NULL))
        return g_strndup ((const char *) data, len);
      set_problem (prop, utf8_stream ? _("holds bytes that are not valid in the file’s encoding")
                                     : _("is not valid UTF-8, though its CHARSET says so"));
      return g_utf8_make_valid ((const char *) data, len);
    }

  if (charset != NULL && charset[0] != '\0')
    {
      g_autofree char *upper = g_ascii_strup (charset, -1);
      g_autofree char *converted = NULL;

      if (g_str_equal (upper, "WINDOWS-1252") || g_str_equal (upper, "CP1252"))
        return _kontor_cp1252_to_utf8 (data, len);

      converted = g_convert ((const char *) data, len, "UTF-8", charset, NULL, NULL, NULL);
      if (converted != NULL)
        return g_steal_pointer (&converted);

      {
        g_autofree char *msg = g_strdup_printf (_("cannot be read as %s"), charset);
        set_problem (prop, msg);
      }
    }

  /* the policy for text that names no charset */
  if (g_utf8_validate_len ((const char *) data, len, NULL))
    return g_strndup ((const char *) data, len);
  return _kontor_cp1252_to_utf8 (data, len);
}

static void
decode_data_uri (KontorVCardProperty *prop,
                 const char          *uri,
                 gsize                len)
{
  /* some writers escape the comma: "data:image/png;base64\,iVBOR..." */
  g_autofree char *text = unescape (uri, len, 30);
  const char *comma = strchr (text, ',');
  g_autofree char *meta = NULL;
  GBytes *bytes;

  if (comma == NULL)
    {
      set_problem (prop, _("is a data: URI without data"));
      return;
    }

  meta = g_strndup (text + 5, comma - (text + 5));
  if (g_str_has_suffix (meta, ";base64"))
    {
      meta[strlen (meta) - 7] = '\0';
      bytes = base64_decode_strict (comma + 1, strlen (comma + 1));
    }
  else
    {
      g_autofree char *unescaped = g_uri_unescape_string (comma + 1, NULL);

      bytes = unescaped ? g_bytes_new (unescaped, strlen (unescaped)) : NULL;
    }

  if (bytes == NULL)
    {
      set_problem (prop, _("is not valid base64"));
      return;
    }

  prop->data = bytes;
  if (meta[0] != '\0')
    prop->mime_type = g_ascii_strdown (meta, -1);
}

static void
decode_value (Property   *p,
              guint       version,
              gboolean    utf8_stream,
              const char *default_charset)
{
  KontorVCardProperty *prop = &p->pub;
  const char * const *encoding = kontor_vcard_property_get_param (prop, "ENCODING");
  g_autofree char *enc = encoding ? g_ascii_strup (encoding[0], -1) : NULL;
  g_autoptr(GBytes) bytes = g_bytes_ref (p->raw);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  prop->version = version;

  if (enc != NULL && (g_str_equal (enc, "B") || g_str_equal (enc, "BASE64")))
    {
      GBytes *decoded = base64_decode_strict ((const char *) data, len);

      if (decoded == NULL)
        {
          set_problem (prop, _("is not valid base64"));
          return;
        }
      if (is_binary_property (prop->name))
        {
          prop->data = decoded;
          return;
        }
      g_bytes_unref (bytes);
      bytes = decoded;
      data = g_bytes_get_data (bytes, &len);
    }
  else if (is_binary_property (prop->name) && len > 5 &&
           g_ascii_strncasecmp ((const char *) data, "data:", 5) == 0)
    {
      decode_data_uri (prop, (const char *) data, len);
      return;
    }
  else if (enc != NULL && (g_str_equal (enc, "QUOTED-PRINTABLE") || g_str_equal (enc, "Q")))
    {
      GBytes *decoded = qp_decode (data, len);

      g_bytes_unref (bytes);
      bytes = decoded;
      data = g_bytes_get_data (bytes, &len);
    }

  prop->value = bytes_to_text (prop, data, len, utf8_stream, default_charset);
}

static void
check_image (KontorVCardProperty *prop)
{
  const char *type;

  if (prop->data == NULL ||
      !(g_str_equal (prop->name, "PHOTO") || g_str_equal (prop->name, "LOGO")))
    return;

  type = image_type (prop->data);
  if (type == NULL)
    {
      set_problem (prop, _("is not a JPEG, PNG, GIF or WebP image"));
      g_clear_pointer (&prop->data, g_bytes_unref);
      return;
    }
  g_free (prop->mime_type);
  prop->mime_type = g_strdup (type);
}

/* ---------------------------------------------------------------------- */
/* The reader                                                             */

struct _KontorVCardReader
{
  GObject        parent_instance;

  GInputStream  *stream;
  KontorDecoder *decoder;
  char          *charset;
  gboolean       started;
  gboolean       utf8_stream;

  GString       *buf;
  gsize          pos;
  guint64        buf_base;
  gboolean       eof;
  gboolean       cr_lines;
  guint          line;

  /* one physical line of look-ahead, for folding */
  GString       *next;
  guint          next_line;
  gboolean       next_too_long;
  gboolean       have_next;

  /* a BEGIN:VCARD met inside an open card starts the next card */
  gboolean       begin_pending;
  guint          begin_line;

  guint          n_cards;
  gboolean       stray_text;
  guint          card_line;
};

G_DEFINE_FINAL_TYPE (KontorVCardReader, kontor_vcard_reader, G_TYPE_OBJECT)

enum {
  READER_PROP_0,
  READER_PROP_STREAM,
  READER_N_PROPS
};

static GParamSpec *reader_properties[READER_N_PROPS];

static void
kontor_vcard_reader_dispose (GObject *object)
{
  KontorVCardReader *self = (KontorVCardReader *) object;

  g_clear_object (&self->stream);

  G_OBJECT_CLASS (kontor_vcard_reader_parent_class)->dispose (object);
}

static void
kontor_vcard_reader_finalize (GObject *object)
{
  KontorVCardReader *self = (KontorVCardReader *) object;

  g_clear_pointer (&self->decoder, _kontor_decoder_free);
  g_string_free (self->buf, TRUE);
  g_string_free (self->next, TRUE);
  g_free (self->charset);

  G_OBJECT_CLASS (kontor_vcard_reader_parent_class)->finalize (object);
}

static void
kontor_vcard_reader_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KontorVCardReader *self = KONTOR_VCARD_READER (object);

  switch (prop_id)
    {
    case READER_PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_vcard_reader_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KontorVCardReader *self = KONTOR_VCARD_READER (object);

  switch (prop_id)
    {
    case READER_PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_vcard_reader_class_init (KontorVCardReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_vcard_reader_dispose;
  object_class->finalize = kontor_vcard_reader_finalize;
  object_class->get_property = kontor_vcard_reader_get_property;
  object_class->set_property = kontor_vcard_reader_set_property;

  reader_properties[READER_PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL, G_TYPE_INPUT_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, READER_N_PROPS, reader_properties);
}

static void
kontor_vcard_reader_init (KontorVCardReader *self)
{
  self->buf = g_string_new (NULL);
  self->next = g_string_new (NULL);
  self->line = 1;
}

KontorVCardReader *
kontor_vcard_reader_new (GInputStream *stream)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return g_object_new (KONTOR_TYPE_VCARD_READER, "stream", stream, NULL);
}

void
kontor_vcard_reader_set_charset (KontorVCardReader *self,
                                 const char        *charset)
{
  g_return_if_fail (KONTOR_IS_VCARD_READER (self));
  g_return_if_fail (!self->started);

  g_free (self->charset);
  self->charset = g_strdup (charset);
}

const char *
kontor_vcard_reader_get_encoding (KontorVCardReader *self)
{
  g_return_val_if_fail (KONTOR_IS_VCARD_READER (self), NULL);

  return self->decoder ? _kontor_decoder_get_encoding (self->decoder) : NULL;
}

guint64
kontor_vcard_reader_get_bytes_read (KontorVCardReader *self)
{
  g_return_val_if_fail (KONTOR_IS_VCARD_READER (self), 0);

  return self->decoder ? _kontor_decoder_get_bytes_in (self->decoder) : 0;
}

guint
kontor_vcard_reader_get_card_line (KontorVCardReader *self)
{
  g_return_val_if_fail (KONTOR_IS_VCARD_READER (self), 0);

  return self->card_line;
}

static gboolean
more (KontorVCardReader  *self,
      GCancellable       *cancellable,
      GError            **error)
{
  if (self->pos >= 64 * 1024)
    {
      g_string_erase (self->buf, 0, self->pos);
      self->buf_base += self->pos;
      self->pos = 0;
    }
  return _kontor_decoder_read (self->decoder, self->buf, &self->eof, cancellable, error);
}

static gboolean
reader_start (KontorVCardReader  *self,
              GCancellable       *cancellable,
              GError            **error)
{
  gboolean utf16 = self->charset != NULL &&
                   g_ascii_strncasecmp (self->charset, "UTF-16", 6) == 0;
  const char *encoding;

  self->started = TRUE;
  self->decoder = _kontor_decoder_new (self->stream, utf16 ? self->charset : NULL, TRUE, error);
  if (self->decoder == NULL)
    return FALSE;
  if (utf16)
    g_clear_pointer (&self->charset, g_free);

  if (!more (self, cancellable, error))
    return FALSE;

  encoding = _kontor_decoder_get_encoding (self->decoder);
  self->utf8_stream = encoding != NULL && g_str_has_prefix (encoding, "UTF-16");

  if (memchr (self->buf->str, '\n', self->buf->len) == NULL &&
      memchr (self->buf->str, '\r', self->buf->len) != NULL)
    self->cr_lines = TRUE;

  return TRUE;
}

/* One physical line into into, without its end. Returns 1, 0 at the end
 * of the input, -1 on error. */
static int
read_physical (KontorVCardReader  *self,
               GString            *into,
               guint              *line_no,
               gboolean           *too_long,
               GCancellable       *cancellable,
               GError            **error)
{
  char end_char = self->cr_lines ? '\r' : '\n';

  g_string_truncate (into, 0);
  *too_long = FALSE;

  while (self->pos >= self->buf->len && !self->eof)
    if (!more (self, cancellable, error))
      return -1;
  if (self->pos >= self->buf->len)
    return 0;

  *line_no = self->line++;

  for (;;)
    {
      const char *start = self->buf->str + self->pos;
      gsize avail = self->buf->len - self->pos;
      const char *nl = memchr (start, end_char, avail);
      gsize n = nl ? (gsize) (nl - start) : avail;

      if (!*too_long)
        {
          if (into->len + n > MAX_PROPERTY)
            {
              *too_long = TRUE;
              g_string_truncate (into, 0);
            }
          else
            g_string_append_len (into, start, n);
        }
      self->pos += n;

      if (nl != NULL)
        {
          self->pos++;
          break;
        }
      if (self->eof)
        break;
      if (!more (self, cancellable, error))
        return -1;
    }

  while (into->len > 0 && into->str[into->len - 1] == '\r')
    g_string_truncate (into, into->len - 1);

  return 1;
}

static gboolean
is_quoted_printable (const char *line)
{
  g_autofree char *head = NULL;
  const char *colon = strchr (line, ':');

  if (colon == NULL)
    return FALSE;
  head = g_ascii_strup (line, colon - line);
  return strstr (head, "QUOTED-PRINTABLE") != NULL;
}

static gboolean
line_is (const char *line,
         const char *what)
{
  gsize n = strlen (what);

  if (g_ascii_strncasecmp (line, what, n) != 0)
    return FALSE;
  for (line += n; *line; line++)
    if (*line != ' ' && *line != '\t')
      return FALSE;
  return TRUE;
}

static int
next_logical (KontorVCardReader  *self,
              GString            *logical,
              guint              *line_no,
              gboolean           *too_long,
              GCancellable       *cancellable,
              GError            **error)
{
  gboolean qp;

  if (!self->have_next)
    {
      int r = read_physical (self, self->next, &self->next_line, &self->next_too_long,
                             cancellable, error);
      if (r <= 0)
        return r;
      self->have_next = TRUE;
    }

  g_string_assign (logical, self->next->str);
  *line_no = self->next_line;
  *too_long = self->next_too_long;
  self->have_next = FALSE;
  qp = is_quoted_printable (logical->str);

  for (;;)
    {
      int r = read_physical (self, self->next, &self->next_line, &self->next_too_long,
                             cancellable, error);
      gboolean soft_break;

      if (r < 0)
        return -1;
      if (r == 0)
        break;
      self->have_next = TRUE;

      soft_break = qp && logical->len > 0 && logical->str[logical->len - 1] == '=' &&
                   !line_is (self->next->str, "END:VCARD");
      if (!soft_break && self->next->str[0] != ' ' && self->next->str[0] != '\t')
        break;

      if (logical->len + self->next->len > MAX_PROPERTY || self->next_too_long)
        *too_long = TRUE;
      else if (soft_break)
        {
          g_string_truncate (logical, logical->len - 1);
          g_string_append_len (logical, self->next->str, self->next->len);
        }
      else
        g_string_append_len (logical, self->next->str + 1, self->next->len - 1);
      self->have_next = FALSE;
    }

  if (*too_long)
    g_string_truncate (logical, 0);
  return 1;
}

static char *
param_text (const char *text,
            gsize       len)
{
  /* parameter values are read as UTF-8, or Windows-1252 when not */
  if (g_utf8_validate_len (text, len, NULL))
    return g_strndup (text, len);
  return _kontor_cp1252_to_utf8 ((const guint8 *) text, len);
}

/* RFC 6868: ^n is a line break, ^' a double quote, ^^ a caret. */
static char *
caret_decode (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      char c = *p;

      if (c == '^' && (p[1] == 'n' || p[1] == 'N'))
        c = '\n';
      else if (c == '^' && p[1] == '\'')
        c = '"';
      else if (c == '^' && p[1] == '^')
        c = '^';
      else
        {
          g_string_append_c (s, c);
          continue;
        }
      g_string_append_c (s, c);
      p++;
    }

  return g_string_free (s, FALSE);
}

static void
add_param (Property   *p,
           const char *text,
           gsize       len)
{
  g_autofree char *param = param_text (text, len);
  char *eq = strchr (param, '=');
  g_autofree char *name = NULL;
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  KontorVCardParam *kp;

  if (eq == NULL)
    {
      /* 2.1 writes bare values: "TEL;WORK;VOICE", "NOTE;QUOTED-PRINTABLE" */
      g_autofree char *upper = g_ascii_strup (g_strstrip (param), -1);

      if (upper[0] == '\0')
        return;
      if (g_str_equal (upper, "QUOTED-PRINTABLE") || g_str_equal (upper, "BASE64") ||
          g_str_equal (upper, "B") || g_str_equal (upper, "8BIT") || g_str_equal (upper, "7BIT"))
        name = g_strdup ("ENCODING");
      else
        name = g_strdup ("TYPE");
      g_strv_builder_add (values, upper);
    }
  else
    {
      const char *v = eq + 1;
      const char *start = v;
      gboolean quoted = FALSE;

      *eq = '\0';
      name = g_ascii_strup (g_strstrip (param), -1);

      /* split at commas outside quotes */
      for (const char *q = v;; q++)
        {
          if (*q == '"')
            quoted = !quoted;
          if ((*q == ',' && !quoted) || *q == '\0')
            {
              g_autofree char *one = g_strndup (start, q - start);
              g_autofree char *decoded = NULL;
              char *s = g_strstrip (one);
              gsize n = strlen (s);

              if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
                {
                  s[n - 1] = '\0';
                  s++;
                }
              decoded = caret_decode (s);
              /* TYPE="HOME,VOICE" holds two types in one quoted value */
              if (g_str_equal (name, "TYPE") && strchr (decoded, ',') != NULL)
                {
                  g_auto(GStrv) types = g_strsplit (decoded, ",", -1);

                  for (guint i = 0; types[i]; i++)
                    if (g_strstrip (types[i])[0] != '\0')
                      g_strv_builder_add (values, types[i]);
                }
              else
                g_strv_builder_add (values, decoded);
              start = q + 1;
            }
          if (*q == '\0')
            break;
        }
    }

  /* several TYPE= params are one list */
  for (guint i = 0; i < p->pub.params->len; i++)
    {
      kp = g_ptr_array_index (p->pub.params, i);
      if (g_str_equal (kp->name, name))
        {
          g_auto(GStrv) more_values = g_strv_builder_end (values);

          for (guint k = 0; more_values[k]; k++)
            kontor_vcard_property_add_param (&p->pub, name, more_values[k]);
          return;
        }
    }

  kp = g_new0 (KontorVCardParam, 1);
  kp->name = g_steal_pointer (&name);
  kp->values = g_strv_builder_end (values);
  g_ptr_array_add (p->pub.params, kp);
}

static gboolean
valid_name (const char *name,
            gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '-' && name[i] != '_')
      return FALSE;
  return TRUE;
}

static Property *
parse_property (const char *line,
                gsize       len,
                guint       line_no)
{
  gboolean quoted = FALSE;
  gsize colon = len;
  gsize name_end;
  const char *dot;
  g_autofree char *group = NULL;
  g_autofree char *name = NULL;
  Property *p;

  for (gsize i = 0; i < len; i++)
    {
      if (line[i] == '"')
        quoted = !quoted;
      else if (line[i] == ':' && !quoted)
        {
          colon = i;
          break;
        }
    }
  if (colon == len)
    return NULL;

  name_end = 0;
  while (name_end < colon && line[name_end] != ';')
    name_end++;

  dot = memchr (line, '.', name_end);
  if (dot != NULL)
    {
      /* the group is everything before the last dot */
      const char *last = dot;

      while ((dot = memchr (last + 1, '.', line + name_end - (last + 1))) != NULL)
        last = dot;
      group = g_strndup (line, last - line);
      name = g_strndup (last + 1, line + name_end - (last + 1));
    }
  else
    name = g_strndup (line, name_end);

  g_strstrip (name);
  if (!valid_name (name, strlen (name)))
    return NULL;

  p = property_new (group, name);
  p->pub.line = line_no;

  {
    gsize start = name_end + 1;

    quoted = FALSE;
    for (gsize i = start; i <= colon; i++)
      {
        if (i < colon && line[i] == '"')
          quoted = !quoted;
        if (i == colon || (line[i] == ';' && !quoted))
          {
            if (i > start)
              add_param (p, line + start, i - start);
            start = i + 1;
          }
      }
  }

  p->raw = g_bytes_new (line + colon + 1, len - colon - 1);
  return p;
}

static KontorVCard *
finish_card (KontorVCardReader *self,
             KontorVCard       *card,
             GPtrArray         *props)
{
  guint version = 30;

  for (guint i = 0; i < props->len; i++)
    {
      Property *p = g_ptr_array_index (props, i);

      if (g_str_equal (p->pub.name, "VERSION"))
        {
          gsize raw_len = 0;
          const char *raw = p->raw ? g_bytes_get_data (p->raw, &raw_len) : NULL;
          /* an empty value has no data pointer at all */
          g_autofree char *v = g_strstrip (raw ? g_strndup (raw, raw_len) : g_strdup (""));

          if (g_str_equal (v, "2.1"))
            version = 21;
          else if (g_str_equal (v, "4.0"))
            version = 40;
        }
    }

  card->version = version;

  for (guint i = 0; i < props->len; i++)
    {
      Property *p = g_ptr_array_index (props, i);

      if (g_str_equal (p->pub.name, "VERSION"))
        continue;
      decode_value (p, version, self->utf8_stream, self->charset);
      check_image (&p->pub);
      g_ptr_array_add (card->properties, g_steal_pointer (&props->pdata[i]));
    }

  if (_kontor_decoder_take_bad (self->decoder, self->buf_base + self->pos))
    g_ptr_array_add (card->problems,
                     kontor_import_problem_new (card->line, NULL,
                                                _("the card holds bytes that are not valid in "
                                                  "the file’s encoding"), TRUE));

  return card;
}

KontorVCard *
kontor_vcard_reader_next (KontorVCardReader  *self,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(KontorVCard) card = NULL;
  g_autoptr(GPtrArray) props = NULL;
  g_autoptr(GString) logical = g_string_new (NULL);
  gboolean last_was_empty_agent = FALSE;
  guint agent_depth = 0;

  g_return_val_if_fail (KONTOR_IS_VCARD_READER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!self->started && !reader_start (self, cancellable, error))
    return NULL;

  if (self->begin_pending)
    {
      card = kontor_vcard_new (30);
      card->line = self->begin_line;
      props = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_vcard_property_free);
      self->begin_pending = FALSE;
    }

  for (;;)
    {
      guint line_no = 0;
      gboolean too_long = FALSE;
      gboolean is_begin;
      gboolean is_end;
      Property *p;
      int r = next_logical (self, logical, &line_no, &too_long, cancellable, error);

      if (r < 0)
        return NULL;

      if (r == 0)
        {
          if (card != NULL)
            {
              self->card_line = card->line;
              _kontor_decoder_take_bad (self->decoder, G_MAXUINT64);
              g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_BAD_ROW,
                           _("line %u: the card that starts here has no END:VCARD"),
                           card->line);
              return NULL;
            }
          if (self->n_cards == 0 && self->stray_text)
            {
              self->stray_text = FALSE;
              g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FORMAT,
                                   _("This is not a vCard file: it has no BEGIN:VCARD"));
            }
          return NULL;
        }

      {
        g_autofree char *trimmed = g_strstrip (g_strdup (logical->str));

        if (!too_long && trimmed[0] == '\0')
          continue;
      }

      is_begin = line_is (logical->str, "BEGIN:VCARD");
      is_end = line_is (logical->str, "END:VCARD");

      if (card == NULL)
        {
          if (is_begin)
            {
              card = kontor_vcard_new (30);
              card->line = line_no;
              props = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_vcard_property_free);
              last_was_empty_agent = FALSE;
            }
          else
            self->stray_text = TRUE;
          continue;
        }

      if (agent_depth > 0)
        {
          /* a 2.1 AGENT holds a whole card */
          agent_depth += is_begin;
          agent_depth -= is_end;
          continue;
        }

      if (too_long)
        {
          g_autofree char *limit = g_format_size (MAX_PROPERTY);
          g_autofree char *msg = g_strdup_printf (_("a property is longer than %s"), limit);

          g_ptr_array_add (card->problems, kontor_import_problem_new (line_no, NULL, msg, TRUE));
          continue;
        }

      if (is_begin)
        {
          if (last_was_empty_agent)
            {
              agent_depth = 1;
              continue;
            }
          self->begin_pending = TRUE;
          self->begin_line = line_no;
          self->card_line = card->line;
          g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_BAD_ROW,
                       _("line %u: the card that starts here has no END:VCARD before the "
                         "next BEGIN:VCARD on line %u"), card->line, line_no);
          return NULL;
        }

      if (is_end)
        {
          self->n_cards++;
          self->card_line = card->line;
          finish_card (self, card, props);
          return g_steal_pointer (&card);
        }

      p = parse_property (logical->str, logical->len, line_no);
      if (p == NULL)
        {
          g_autofree char *shown = param_text (logical->str, MIN (logical->len, 40));
          g_autofree char *msg = g_strdup_printf (_("“%s” is not a property"), shown);

          g_ptr_array_add (card->problems, kontor_import_problem_new (line_no, NULL, msg, FALSE));
          continue;
        }

      last_was_empty_agent = g_str_equal (p->pub.name, "AGENT") &&
                             g_bytes_get_size (p->raw) == 0;
      g_ptr_array_add (props, p);
    }
}

/* ---------------------------------------------------------------------- */
/* Cards to values                                                        */

void
kontor_vcard_photo_free (KontorVCardPhoto *photo)
{
  if (photo == NULL)
    return;
  g_free (photo->sha256);
  g_clear_pointer (&photo->bytes, g_bytes_unref);
  g_free (photo->mime_type);
  g_free (photo);
}

/* A property as one line of 3.0/4.0 syntax, for keeping it. */
static char *
property_line (KontorVCardProperty *prop)
{
  GString *line = g_string_new (NULL);

  if (prop->group != NULL)
    g_string_append_printf (line, "%s.", prop->group);
  g_string_append (line, prop->name);

  for (guint i = 0; i < prop->params->len; i++)
    {
      KontorVCardParam *param = g_ptr_array_index (prop->params, i);

      /* the value below is decoded already */
      if (g_str_equal (param->name, "ENCODING") || g_str_equal (param->name, "CHARSET"))
        continue;
      g_string_append_printf (line, ";%s=", param->name);
      for (guint k = 0; param->values[k]; k++)
        {
          if (k > 0)
            g_string_append_c (line, ',');
          append_param_value (line, param->values[k]);
        }
    }

  if (prop->data != NULL)
    {
      g_autofree char *b64 = g_base64_encode (g_bytes_get_data (prop->data, NULL),
                                              g_bytes_get_size (prop->data));

      g_string_append_printf (line, ";ENCODING=b:%s", b64);
    }
  else if (prop->version == 21)
    {
      /* 2.1 text has no escapes but may hold decoded line breaks */
      g_autofree char *text = kontor_vcard_property_get_text (prop);

      g_string_append_c (line, ':');
      for (const char *p = text; *p; p++)
        {
          if (*p == '\n')
            g_string_append (line, "\\n");
          else if (*p == '\\')
            g_string_append (line, "\\\\");
          else
            g_string_append_c (line, *p);
        }
    }
  else
    g_string_append_printf (line, ":%s", prop->value ? prop->value : "");

  return g_string_free (line, FALSE);
}

/* "_$!<HomePage>!$_" → "HomePage" */
static char *
clean_label (const char *label)
{
  g_autofree char *s = g_strstrip (g_strdup (label));

  if (g_str_has_prefix (s, "_$!<") && g_str_has_suffix (s, ">!$_") && strlen (s) >= 8)
    return g_strndup (s + 4, strlen (s) - 8);
  return g_steal_pointer (&s);
}

static KontorSlotClass
property_class (KontorVCardProperty *prop,
                GHashTable          *labels)
{
  const char *label = prop->group ? g_hash_table_lookup (labels, prop->group) : NULL;

  if (kontor_vcard_property_has_type (prop, "FAX"))
    return KONTOR_SLOT_FAX;
  if (kontor_vcard_property_has_type (prop, "PAGER"))
    return KONTOR_SLOT_PAGER;
  if (kontor_vcard_property_has_type (prop, "CELL") ||
      kontor_vcard_property_has_type (prop, "MOBILE") ||
      kontor_vcard_property_has_type (prop, "IPHONE"))
    return KONTOR_SLOT_MOBILE;
  if (kontor_vcard_property_has_type (prop, "WORK") ||
      kontor_vcard_property_has_type (prop, "MAIN"))
    return KONTOR_SLOT_WORK;
  if (kontor_vcard_property_has_type (prop, "HOME"))
    return KONTOR_SLOT_HOME;
  if (label != NULL)
    return _kontor_slot_class_from_label (label);
  return KONTOR_SLOT_OTHER;
}

static gboolean
components_empty (GStrv comps)
{
  for (guint i = 0; comps[i]; i++)
    if (g_strstrip (comps[i])[0] != '\0')
      return FALSE;
  return TRUE;
}

static gboolean
is_company_card (KontorVCard *card)
{
  KontorVCardProperty *show_as = kontor_vcard_get_property (card, "X-ABSHOWAS");
  KontorVCardProperty *kind = kontor_vcard_get_property (card, "KIND");
  KontorVCardProperty *n = kontor_vcard_get_property (card, "N");
  KontorVCardProperty *fn = kontor_vcard_get_property (card, "FN");
  KontorVCardProperty *org = kontor_vcard_get_property (card, "ORG");
  g_auto(GStrv) org_parts = NULL;
  g_autofree char *fn_text = NULL;

  if (show_as != NULL && show_as->value != NULL &&
      g_ascii_strcasecmp (g_strstrip (show_as->value), "COMPANY") == 0)
    return TRUE;
  if (kind != NULL && kind->value != NULL &&
      (g_ascii_strcasecmp (kind->value, "org") == 0 ||
       g_ascii_strcasecmp (kind->value, "organization") == 0))
    return TRUE;

  if (org == NULL)
    return FALSE;
  org_parts = kontor_vcard_property_get_components (org);
  if (org_parts[0] == NULL || g_strstrip (org_parts[0])[0] == '\0')
    return FALSE;

  /* no person's name, only the company's */
  if (n != NULL)
    {
      g_auto(GStrv) comps = kontor_vcard_property_get_components (n);

      if (!components_empty (comps))
        return FALSE;
    }
  if (fn != NULL)
    {
      fn_text = g_strstrip (kontor_vcard_property_get_text (fn));
      if (fn_text[0] != '\0' && !g_str_equal (fn_text, org_parts[0]))
        return FALSE;
    }

  return TRUE;
}

static void
note_problem (GPtrArray           *problems,
              KontorVCardProperty *prop,
              const char          *field,
              gboolean             fatal)
{
  g_autofree char *msg = NULL;

  if (prop->problem == NULL)
    return;
  msg = g_strdup_printf ("%s %s", prop->name, prop->problem);
  g_ptr_array_add (problems, kontor_import_problem_new (prop->line, field, msg, fatal));
}

static gboolean
is_preferred (KontorVCardProperty *prop)
{
  return kontor_vcard_property_has_type (prop, "PREF") ||
         kontor_vcard_property_get_param (prop, "PREF") != NULL;
}

static gboolean
has_field (KontorKind *kind,
           const char *name)
{
  return kontor_kind_get_field (kind, name) != NULL;
}

/* BDAY as written by any version: "1996-04-15", "19960415",
 * "1996-04-15T201243+04:00"; NULL (and a reason) for one without year. */
static char *
birthday_text (const char  *text,
               const char **reason)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  char *t;

  *reason = NULL;
  if (g_str_has_prefix (trimmed, "--"))
    {
      *reason = _("a birthday without a year cannot be stored");
      return NULL;
    }

  t = strchr (trimmed, 'T');
  if (t != NULL)
    *t = '\0';
  if (strlen (trimmed) == 8 && strspn (trimmed, "0123456789") == 8)
    return g_strdup_printf ("%.4s-%.2s-%.2s", trimmed, trimmed + 4, trimmed + 6);
  return g_steal_pointer (&trimmed);
}

JsonObject *
kontor_vcard_to_values (KontorVCard        *card,
                        KontorSchema       *schema,
                        const char         *kind_name,
                        char              **out_kind,
                        KontorVCardPhoto  **photo_out,
                        GPtrArray         **problems_out)
{
  g_autoptr(GPtrArray) problems =
    g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_import_problem_free);
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) consumed = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();
  g_autoptr(GPtrArray) multi = g_ptr_array_new ();
  g_autoptr(JsonArray) extra = json_array_new ();
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autoptr(KontorVCardPhoto) photo = NULL;
  g_autoptr(KontorSlots) slots = NULL;
  g_autofree char *fn_text = NULL;
  const char *target = kind_name;
  gboolean to_org;
  KontorKind *kind;
  GPtrArray *props;

  g_return_val_if_fail (card != NULL, NULL);
  g_return_val_if_fail (KONTOR_IS_SCHEMA (schema), NULL);
  g_return_val_if_fail (kind_name != NULL, NULL);

  props = card->properties;

  for (guint i = 0; i < card->problems->len; i++)
    {
      KontorImportProblem *p = g_ptr_array_index (card->problems, i);

      g_ptr_array_add (problems, kontor_import_problem_new (p->line, p->field, p->message,
                                                           p->fatal));
    }

  if (g_str_equal (kind_name, "contact") && is_company_card (card))
    target = "organization";
  to_org = g_str_equal (target, "organization");

  kind = kontor_schema_get_kind (schema, target);
  if (kind == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("Unknown kind “%s”"), target);

      g_ptr_array_add (problems, kontor_import_problem_new (card->line, NULL, msg, TRUE));
      if (problems_out != NULL)
        *problems_out = g_steal_pointer (&problems);
      return NULL;
    }
  slots = _kontor_slots_new (kind);

  for (guint i = 0; i < props->len; i++)
    {
      KontorVCardProperty *prop = g_ptr_array_index (props, i);

      if (prop->group != NULL && g_str_equal (prop->name, "X-ABLABEL") && prop->value != NULL)
        {
          g_autofree char *text = kontor_vcard_property_get_text (prop);

          g_hash_table_insert (labels, g_strdup (prop->group), clean_label (text));
          g_hash_table_add (consumed, prop);
        }
    }

  /* names first: they decide what FN means */
  {
    KontorVCardProperty *n = kontor_vcard_get_property (card, "N");
    KontorVCardProperty *fn = kontor_vcard_get_property (card, "FN");
    KontorVCardProperty *org = kontor_vcard_get_property (card, "ORG");

    if (fn != NULL)
      {
        fn_text = g_strstrip (kontor_vcard_property_get_text (fn));
        g_hash_table_add (consumed, fn);
      }

    if (to_org)
      {
        g_auto(GStrv) org_parts = org ? kontor_vcard_property_get_components (org) : NULL;
        const char *name = org_parts && org_parts[0] && g_strstrip (org_parts[0])[0]
                           ? org_parts[0] : fn_text;

        if (name != NULL && name[0] != '\0' && has_field (kind, "name"))
          {
            json_object_set_string_member (values, "name", name);
            if (org != NULL)
              {
                note_problem (problems, org, "name", TRUE);
                g_hash_table_add (consumed, org);
              }
            else if (fn != NULL)
              note_problem (problems, fn, "name", TRUE);
          }
        if (n != NULL)
          g_hash_table_add (consumed, n);
      }
    else
      {
        if (n != NULL)
          {
            g_auto(GStrv) comps = kontor_vcard_property_get_components (n);
            guint count = g_strv_length (comps);

            if (count > 0 && g_strstrip (comps[0])[0] != '\0' && has_field (kind, "last_name"))
              json_object_set_string_member (values, "last_name", comps[0]);
            if (count > 1 && g_strstrip (comps[1])[0] != '\0' && has_field (kind, "first_name"))
              json_object_set_string_member (values, "first_name", comps[1]);
            note_problem (problems, n, "last_name", TRUE);
            g_hash_table_add (consumed, n);
          }
        if (fn_text != NULL && has_field (kind, "last_name") &&
            !json_object_has_member (values, "last_name"))
          {
            _kontor_values_apply_full_name (values, fn_text);
            note_problem (problems, fn, "last_name", TRUE);
          }
      }
  }

  for (guint i = 0; i < props->len; i++)
    {
      KontorVCardProperty *prop = g_ptr_array_index (props, i);
      const char *name = prop->name;
      gboolean used = TRUE;

      if (g_hash_table_contains (consumed, prop))
        continue;

      if (g_str_equal (name, "PRODID") || g_str_equal (name, "REV") ||
          g_str_equal (name, "X-ABSHOWAS") || g_str_equal (name, "KIND") ||
          g_str_equal (name, "X-ABLABEL"))
        ;
      else if (g_str_equal (name, "ORG") && !to_org && has_field (kind, "organization") &&
               !json_object_has_member (values, KONTOR_VCARD_ORGANIZATION))
        {
          g_auto(GStrv) parts = kontor_vcard_property_get_components (prop);

          if (parts[0] != NULL && g_strstrip (parts[0])[0] != '\0')
            {
              json_object_set_string_member (values, KONTOR_VCARD_ORGANIZATION, parts[0]);
              note_problem (problems, prop, "organization", TRUE);
            }
        }
      else if (g_str_equal (name, "TITLE") && has_field (kind, "job_title") &&
               !json_object_has_member (values, "job_title"))
        {
          g_autofree char *text = kontor_vcard_property_get_text (prop);

          json_object_set_string_member (values, "job_title", text);
          note_problem (problems, prop, "job_title", TRUE);
        }
      else if (g_str_equal (name, "EMAIL") || g_str_equal (name, "TEL") ||
               g_str_equal (name, "URL"))
        g_ptr_array_add (multi, prop);
      else if (g_str_equal (name, "ADR"))
        g_ptr_array_add (addresses, prop);
      else if (g_str_equal (name, "X-SOCIALPROFILE") &&
               (kontor_vcard_property_has_type (prop, "linkedin") ||
                kontor_vcard_property_has_type (prop, "xing")))
        {
          const char *field = kontor_vcard_property_has_type (prop, "linkedin") ? "linkedin"
                                                                                : "xing";
          g_autofree char *text = kontor_vcard_property_get_text (prop);

          if (has_field (kind, field))
            _kontor_values_offer (values, field, text, name, prop->line, problems);
          else
            used = FALSE;
        }
      else if (g_str_equal (name, "BDAY") && has_field (kind, "birthday") &&
               !json_object_has_member (values, "birthday"))
        {
          g_autofree char *text = kontor_vcard_property_get_text (prop);
          const char *reason;
          g_autofree char *date = birthday_text (text, &reason);

          if (date != NULL)
            {
              json_object_set_string_member (values, "birthday", date);
              note_problem (problems, prop, "birthday", TRUE);
            }
          else
            {
              g_autofree char *msg = g_strdup_printf ("“%s”: %s", text, reason);

              g_ptr_array_add (problems, kontor_import_problem_new (prop->line, "birthday", msg,
                                                                   FALSE));
              used = FALSE;
            }
        }
      else if (g_str_equal (name, "NOTE") && has_field (kind, "notes"))
        {
          g_autofree char *text = kontor_vcard_property_get_text (prop);

          if (notes->len > 0)
            g_string_append (notes, "\n\n");
          g_string_append (notes, text);
          note_problem (problems, prop, "notes", TRUE);
        }
      else if (g_str_equal (name, "CATEGORIES") && has_field (kind, "tags"))
        {
          g_auto(GStrv) tags = kontor_vcard_property_get_list (prop);

          for (guint k = 0; tags[k]; k++)
            _kontor_values_add_tag (values, tags[k]);
          note_problem (problems, prop, "tags", TRUE);
        }
      else if (g_str_equal (name, "PHOTO") && has_field (kind, "photo") && photo == NULL &&
               (prop->data != NULL || prop->problem != NULL))
        {
          if (prop->data == NULL)
            note_problem (problems, prop, "photo", TRUE);
          else
            {
              photo = g_new0 (KontorVCardPhoto, 1);
              photo->bytes = g_bytes_ref (prop->data);
              photo->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, prop->data);
              photo->mime_type = g_strdup (prop->mime_type);
              json_object_set_string_member (values, "photo", photo->sha256);
            }
        }
      else if (g_str_equal (name, "UID") && !json_object_has_member (values, KONTOR_VCARD_ID))
        {
          g_autofree char *text = g_strstrip (kontor_vcard_property_get_text (prop));
          const char *id = text;

          if (g_ascii_strncasecmp (id, "urn:uuid:", 9) == 0)
            id += 9;
          /* a Kontor record's id (UUIDv7) names the record; other UIDs are
           * kept like any property */
          if (kontor_uuid_is_valid (id) && id[14] == '7')
            json_object_set_string_member (values, KONTOR_VCARD_ID, id);
          else
            used = FALSE;
        }
      else if (g_str_has_prefix (name, "X-KONTOR-"))
        {
          g_autofree char *field = g_ascii_strdown (name + strlen ("X-KONTOR-"), -1);
          g_autofree char *text = kontor_vcard_property_get_text (prop);

          g_strdelimit (field, "-", '_');
          if (has_field (kind, field) && !json_object_has_member (values, field))
            {
              json_object_set_string_member (values, field, text);
              note_problem (problems, prop, field, TRUE);
            }
          else
            used = FALSE;
        }
      else
        used = FALSE;

      if (!used)
        {
          g_autofree char *line = property_line (prop);

          json_array_add_string_element (extra, line);
          note_problem (problems, prop, NULL, FALSE);
        }
    }

  /* the preferred values first, for the slots to find */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < multi->len; i++)
      {
        KontorVCardProperty *prop = g_ptr_array_index (multi, i);
        g_autofree char *text = NULL;
        KontorSlotClass cls;

        if (is_preferred (prop) != (pass == 0))
          continue;
        text = kontor_vcard_property_get_text (prop);
        cls = property_class (prop, labels);
        if (prop->name[0] == 'E')
          _kontor_slots_add_email (slots, cls, text, prop->name);
        else if (prop->name[0] == 'T')
          _kontor_slots_add_phone (slots, cls, text, prop->name);
        else
          _kontor_slots_add_url (slots, cls, text, prop->name);
        note_problem (problems, prop, NULL, FALSE);
      }

  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < addresses->len; i++)
      {
        KontorVCardProperty *prop = g_ptr_array_index (addresses, i);
        g_auto(GStrv) comps = NULL;
        KontorSlotClass cls;

        if (is_preferred (prop) != (pass == 0))
          continue;
        comps = kontor_vcard_property_get_components (prop);
        cls = property_class (prop, labels);
        for (guint k = 0; comps[k] && k < KONTOR_ADDR_N_PARTS; k++)
          {
            static const KontorAddressPart order[] = {
              KONTOR_ADDR_POBOX, KONTOR_ADDR_EXTENDED, KONTOR_ADDR_STREET, KONTOR_ADDR_CITY,
              KONTOR_ADDR_REGION, KONTOR_ADDR_POSTAL, KONTOR_ADDR_COUNTRY
            };

            _kontor_slots_add_address (slots, (int) (pass * 1000 + i), cls, order[k], comps[k],
                                       "ADR");
          }
        note_problem (problems, prop, "street", TRUE);
      }

  if (notes->len > 0)
    json_object_set_string_member (values, "notes", notes->str);

  _kontor_slots_finish (slots, values, card->line, problems);

  if (json_array_get_length (extra) > 0)
    json_object_set_array_member (values, KONTOR_VCARD_EXTRA, g_steal_pointer (&extra));

  if (out_kind != NULL)
    *out_kind = g_strdup (target);
  if (photo_out != NULL)
    *photo_out = g_steal_pointer (&photo);
  if (problems_out != NULL)
    *problems_out = g_steal_pointer (&problems);

  return g_steal_pointer (&values);
}

/* ---------------------------------------------------------------------- */
/* Values to cards                                                        */

static const char *
string_member (JsonObject *values,
               const char *name)
{
  JsonNode *node = json_object_get_member (values, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node)[0] ? json_node_get_string (node) : NULL;
}

static void
add_typed (KontorVCard *card,
           const char  *name,
           const char  *value,
           const char  *type,
           gboolean     escape)
{
  KontorVCardProperty *prop;

  if (value == NULL)
    return;
  prop = escape ? kontor_vcard_add_text (card, NULL, name, value)
                : kontor_vcard_add_raw (card, NULL, name, value);
  if (type != NULL)
    {
      g_auto(GStrv) types = g_strsplit (type, ",", -1);

      for (guint i = 0; types[i]; i++)
        kontor_vcard_property_add_param (prop, "TYPE", types[i]);
    }
}

static void
add_phone (KontorVCard *card,
           const char  *number,
           const char  *type)
{
  KontorVCardProperty *prop;

  if (number == NULL)
    return;

  if (card->version == 40)
    {
      g_autofree char *uri = g_strconcat ("tel:", number, NULL);

      prop = kontor_vcard_add_raw (card, NULL, "TEL", uri);
      kontor_vcard_property_add_param (prop, "VALUE", "uri");
    }
  else
    prop = kontor_vcard_add_text (card, NULL, "TEL", number);

  {
    g_auto(GStrv) types = g_strsplit (type, ",", -1);

    for (guint i = 0; types[i]; i++)
      kontor_vcard_property_add_param (prop, "TYPE", types[i]);
  }
}

KontorVCard *
kontor_vcard_new_from_values (KontorKind *kind,
                              const char *id,
                              JsonObject *values,
                              guint       version,
                              const char *organization,
                              GBytes     *photo,
                              const char *extra_field)
{
  static const char * const handled[] = {
    "first_name", "last_name", "name", "organization", "job_title", "email", "email_private",
    "phone", "mobile", "website", "linkedin", "xing", "street", "postal_code", "city",
    "region", "country", "birthday", "notes", "photo", "tags", NULL
  };
  g_autoptr(KontorVCard) card = kontor_vcard_new (version == 40 ? 40 : 30);
  gboolean is_org = g_str_equal (kontor_kind_get_name (kind), "organization");
  g_autofree char *title = kontor_kind_format_title (kind, values);
  GPtrArray *fields = kontor_kind_get_fields (kind);

  g_return_val_if_fail (KONTOR_IS_KIND (kind), NULL);
  g_return_val_if_fail (values != NULL, NULL);

  if (is_org)
    {
      const char *name = string_member (values, "name");

      if (card->version == 40)
        kontor_vcard_add_raw (card, NULL, "KIND", "org");
      kontor_vcard_add_text (card, NULL, "FN", name ? name : title);
      if (card->version == 30)
        kontor_vcard_add_raw (card, NULL, "N", ";;;;");
      if (name != NULL)
        {
          const char *org[] = { name };

          kontor_vcard_add_components (card, "ORG", org, 1);
        }
      kontor_vcard_add_raw (card, NULL, "X-ABSHOWAS", "COMPANY");
    }
  else
    {
      const char *n[] = {
        string_member (values, "last_name"), string_member (values, "first_name"), "", "", ""
      };

      kontor_vcard_add_text (card, NULL, "FN", title);
      kontor_vcard_add_components (card, "N", n, G_N_ELEMENTS (n));
      if (organization != NULL && organization[0] != '\0')
        {
          const char *org[] = { organization };

          kontor_vcard_add_components (card, "ORG", org, 1);
        }
    }

  add_typed (card, "TITLE", string_member (values, "job_title"), NULL, TRUE);
  add_typed (card, "EMAIL", string_member (values, "email"), "work", TRUE);
  add_typed (card, "EMAIL", string_member (values, "email_private"), "home", TRUE);
  add_phone (card, string_member (values, "phone"), "work,voice");
  add_phone (card, string_member (values, "mobile"), "cell");
  add_typed (card, "URL", string_member (values, "website"), "work", FALSE);
  add_typed (card, "X-SOCIALPROFILE", string_member (values, "linkedin"), "linkedin", FALSE);
  add_typed (card, "X-SOCIALPROFILE", string_member (values, "xing"), "xing", FALSE);

  {
    const char *adr[] = {
      "", "", string_member (values, "street"), string_member (values, "city"),
      string_member (values, "region"), string_member (values, "postal_code"),
      string_member (values, "country")
    };

    if (adr[2] || adr[3] || adr[4] || adr[5] || adr[6])
      {
        KontorVCardProperty *prop = kontor_vcard_add_components (card, "ADR", adr,
                                                                 G_N_ELEMENTS (adr));
        kontor_vcard_property_add_param (prop, "TYPE", "work");
      }
  }

  {
    const char *bday = string_member (values, "birthday");

    if (bday != NULL && card->version == 40 && strlen (bday) == 10)
      {
        g_autofree char *basic = g_strdup_printf ("%.4s%.2s%.2s", bday, bday + 5, bday + 8);

        kontor_vcard_add_raw (card, NULL, "BDAY", basic);
      }
    else if (bday != NULL)
      kontor_vcard_add_raw (card, NULL, "BDAY", bday);
  }

  add_typed (card, "NOTE", string_member (values, "notes"), NULL, TRUE);

  {
    JsonNode *tags = json_object_get_member (values, "tags");

    if (tags != NULL && JSON_NODE_HOLDS_ARRAY (tags) &&
        json_array_get_length (json_node_get_array (tags)) > 0)
      {
        JsonArray *array = json_node_get_array (tags);
        g_autoptr(GString) list = g_string_new (NULL);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            g_autofree char *escaped = escape_text (json_array_get_string_element (array, i));

            if (i > 0)
              g_string_append_c (list, ',');
            g_string_append (list, escaped);
          }
        kontor_vcard_add_raw (card, NULL, "CATEGORIES", list->str);
      }
  }

  if (photo != NULL && image_type (photo) != NULL)
    {
      const char *mime = image_type (photo);
      g_autofree char *b64 = g_base64_encode (g_bytes_get_data (photo, NULL),
                                              g_bytes_get_size (photo));

      if (card->version == 40)
        {
          g_autofree char *uri = g_strdup_printf ("data:%s;base64,%s", mime, b64);

          kontor_vcard_add_raw (card, NULL, "PHOTO", uri);
        }
      else
        {
          g_autofree char *type = g_ascii_strup (strchr (mime, '/') + 1, -1);
          KontorVCardProperty *prop = kontor_vcard_add_raw (card, NULL, "PHOTO", b64);

          kontor_vcard_property_add_param (prop, "ENCODING", "b");
          kontor_vcard_property_add_param (prop, "TYPE", type);
        }
    }
  else if (string_member (values, "photo") != NULL)
    kontor_vcard_add_raw (card, NULL, "X-KONTOR-PHOTO", string_member (values, "photo"));

  if (id != NULL)
    {
      g_autofree char *uid = card->version == 40 ? g_strconcat ("urn:uuid:", id, NULL)
                                                 : g_strdup (id);

      kontor_vcard_add_raw (card, NULL, "UID", uid);
    }

  /* every other field, custom ones included */
  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      const char *fname = kontor_field_get_name (f);
      JsonNode *node = json_object_get_member (values, fname);
      g_autofree char *text = NULL;
      g_autofree char *prop_name = NULL;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
          g_strv_contains (handled, fname) || g_strcmp0 (fname, extra_field) == 0)
        continue;

      text = kontor_field_format (f, node);
      if (text[0] == '\0')
        continue;
      prop_name = g_ascii_strup (fname, -1);
      g_strdelimit (prop_name, "_", '-');
      {
        g_autofree char *full = g_strconcat ("X-KONTOR-", prop_name, NULL);

        kontor_vcard_add_text (card, NULL, full, text);
      }
    }

  /* properties an import kept without a field for them */
  if (extra_field != NULL && string_member (values, extra_field) != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (string_member (values, extra_field), "\n", -1);

      for (guint i = 0; lines[i]; i++)
        {
          Property *p = parse_property (lines[i], strlen (lines[i]), 0);

          if (p == NULL)
            continue;
          p->pub.value = g_strndup (g_bytes_get_data (p->raw, NULL), g_bytes_get_size (p->raw));
          p->pub.version = card->version;
          g_ptr_array_add (card->properties, p);
        }
    }

  return g_steal_pointer (&card);
}
