/* kontor-version-vector.c: dots, sparse version vectors and strict JSON
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kontor-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "kontor-version-vector.h"

typedef struct
{
  guint32 replica;
  guint64 counter;   /* never 0: a missing entry means 0 */
} VvEntry;

struct _KontorVersionVector
{
  GArray *entries;   /* VvEntry, sorted by replica, replicas unique */
};

G_DEFINE_QUARK (kontor-sync-error-quark, kontor_sync_error)

G_DEFINE_BOXED_TYPE (KontorVersionVector, kontor_version_vector,
                     kontor_version_vector_copy, kontor_version_vector_free)

/* Error messages quote names that came from the wire: keep them short and
 * printable whatever they contain. */
static char *
quote_for_message (const char *name)
{
  g_autofree char *head = NULL;
  g_autofree char *escaped = NULL;
  gsize len = strlen (name);

  head = g_strndup (name, MIN (len, 40));
  escaped = g_strescape (head, NULL);

  return g_strdup_printf ("%s%s", escaped, len > 40 ? "…" : "");
}

/* g_string_append_printf() allocates on every call; serialisation is hot. */
static void
append_uint64 (GString *out,
               guint64  value)
{
  char buf[24];
  char *p = buf + sizeof buf;

  *--p = '\0';
  do
    {
      *--p = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value != 0);

  g_string_append (out, p);
}

int
kontor_dot_compare (const KontorDot *a,
                    const KontorDot *b)
{
  g_return_val_if_fail (a != NULL, 0);
  g_return_val_if_fail (b != NULL, 0);

  if (a->counter != b->counter)
    return a->counter < b->counter ? -1 : 1;
  if (a->replica != b->replica)
    return a->replica < b->replica ? -1 : 1;

  return 0;
}

gboolean
kontor_dot_equal (const KontorDot *a,
                  const KontorDot *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return a->replica == b->replica && a->counter == b->counter;
}

KontorVersionVector *
kontor_version_vector_new (void)
{
  KontorVersionVector *vv = g_new0 (KontorVersionVector, 1);

  vv->entries = g_array_new (FALSE, FALSE, sizeof (VvEntry));

  return vv;
}

KontorVersionVector *
kontor_version_vector_copy (const KontorVersionVector *vv)
{
  KontorVersionVector *copy;

  g_return_val_if_fail (vv != NULL, NULL);

  copy = kontor_version_vector_new ();
  if (vv->entries->len > 0)
    g_array_append_vals (copy->entries, vv->entries->data, vv->entries->len);

  return copy;
}

void
kontor_version_vector_free (KontorVersionVector *vv)
{
  if (vv == NULL)
    return;

  g_array_unref (vv->entries);
  g_free (vv);
}

/* Binary search: TRUE if replica has an entry; *index is its position, or
 * where it would be inserted. */
static gboolean
vv_find (const KontorVersionVector *vv,
         guint32                    replica,
         guint                     *index)
{
  guint lo = 0;
  guint hi = vv->entries->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const VvEntry *e = &g_array_index (vv->entries, VvEntry, mid);

      if (e->replica < replica)
        lo = mid + 1;
      else
        hi = mid;
    }

  *index = lo;

  return lo < vv->entries->len
         && g_array_index (vv->entries, VvEntry, lo).replica == replica;
}

guint64
kontor_version_vector_get (const KontorVersionVector *vv,
                           guint32                    replica)
{
  guint index;

  g_return_val_if_fail (vv != NULL, 0);

  if (vv_find (vv, replica, &index))
    return g_array_index (vv->entries, VvEntry, index).counter;

  return 0;
}

void
kontor_version_vector_set (KontorVersionVector *vv,
                           guint32              replica,
                           guint64              counter)
{
  guint index;

  g_return_if_fail (vv != NULL);
  g_return_if_fail (counter <= G_MAXINT64);

  if (vv_find (vv, replica, &index))
    {
      if (counter == 0)
        g_array_remove_index (vv->entries, index);
      else
        g_array_index (vv->entries, VvEntry, index).counter = counter;
    }
  else if (counter != 0)
    {
      VvEntry e = { replica, counter };

      g_array_insert_val (vv->entries, index, e);
    }
}

guint
kontor_version_vector_size (const KontorVersionVector *vv)
{
  g_return_val_if_fail (vv != NULL, 0);

  return vv->entries->len;
}

gboolean
kontor_version_vector_covers (const KontorVersionVector *vv,
                              const KontorDot           *dot)
{
  g_return_val_if_fail (vv != NULL, FALSE);
  g_return_val_if_fail (dot != NULL, FALSE);

  return kontor_version_vector_get (vv, dot->replica) >= dot->counter;
}

void
kontor_version_vector_merge (KontorVersionVector       *dest,
                             const KontorVersionVector *other)
{
  g_autoptr(GArray) merged = NULL;
  guint i = 0;
  guint j = 0;

  g_return_if_fail (dest != NULL);
  g_return_if_fail (other != NULL);

  if (dest == other || other->entries->len == 0)
    return;

  merged = g_array_sized_new (FALSE, FALSE, sizeof (VvEntry),
                              dest->entries->len + other->entries->len);

  while (i < dest->entries->len || j < other->entries->len)
    {
      const VvEntry *a = i < dest->entries->len ? &g_array_index (dest->entries, VvEntry, i) : NULL;
      const VvEntry *b = j < other->entries->len ? &g_array_index (other->entries, VvEntry, j) : NULL;
      VvEntry e;

      if (b == NULL || (a != NULL && a->replica < b->replica))
        {
          e = *a;
          i++;
        }
      else if (a == NULL || b->replica < a->replica)
        {
          e = *b;
          j++;
        }
      else
        {
          e.replica = a->replica;
          e.counter = MAX (a->counter, b->counter);
          i++;
          j++;
        }

      g_array_append_val (merged, e);
    }

  g_array_unref (dest->entries);
  dest->entries = g_steal_pointer (&merged);
}

KontorVvOrder
kontor_version_vector_compare (const KontorVersionVector *a,
                               const KontorVersionVector *b)
{
  gboolean a_ahead = FALSE;   /* a has an entry above b's */
  gboolean b_ahead = FALSE;
  guint i = 0;
  guint j = 0;

  g_return_val_if_fail (a != NULL, KONTOR_VV_CONCURRENT);
  g_return_val_if_fail (b != NULL, KONTOR_VV_CONCURRENT);

  while (i < a->entries->len || j < b->entries->len)
    {
      const VvEntry *ea = i < a->entries->len ? &g_array_index (a->entries, VvEntry, i) : NULL;
      const VvEntry *eb = j < b->entries->len ? &g_array_index (b->entries, VvEntry, j) : NULL;

      /* Entries are never 0, so an entry on one side only is ahead. */
      if (eb == NULL || (ea != NULL && ea->replica < eb->replica))
        {
          a_ahead = TRUE;
          i++;
        }
      else if (ea == NULL || eb->replica < ea->replica)
        {
          b_ahead = TRUE;
          j++;
        }
      else
        {
          if (ea->counter > eb->counter)
            a_ahead = TRUE;
          else if (eb->counter > ea->counter)
            b_ahead = TRUE;
          i++;
          j++;
        }

      if (a_ahead && b_ahead)
        return KONTOR_VV_CONCURRENT;
    }

  if (a_ahead)
    return KONTOR_VV_AFTER;
  if (b_ahead)
    return KONTOR_VV_BEFORE;

  return KONTOR_VV_EQUAL;
}

gboolean
kontor_version_vector_equal (const KontorVersionVector *a,
                             const KontorVersionVector *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->entries->len != b->entries->len)
    return FALSE;

  for (guint i = 0; i < a->entries->len; i++)
    {
      const VvEntry *ea = &g_array_index (a->entries, VvEntry, i);
      const VvEntry *eb = &g_array_index (b->entries, VvEntry, i);

      if (ea->replica != eb->replica || ea->counter != eb->counter)
        return FALSE;
    }

  return TRUE;
}

JsonNode *
kontor_version_vector_to_json (const KontorVersionVector *vv)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (vv != NULL, NULL);

  object = json_object_new ();

  /* JsonObject keeps insertion order, and the entries are sorted. */
  for (guint i = 0; i < vv->entries->len; i++)
    {
      const VvEntry *e = &g_array_index (vv->entries, VvEntry, i);
      char key[16];

      g_snprintf (key, sizeof key, "%" G_GUINT32_FORMAT, e->replica);
      json_object_set_int_member (object, key, (gint64) e->counter);
    }

  return json_node_init_object (json_node_alloc (), object);
}

/* The same text as kontor_sync_json_to_string (kontor_version_vector_to_json
 * (vv)), without building the tree: record serialisation calls this a lot. */
char *
kontor_version_vector_to_string (const KontorVersionVector *vv)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (vv != NULL, NULL);

  out = g_string_sized_new (2 + vv->entries->len * 8);
  g_string_append_c (out, '{');
  for (guint i = 0; i < vv->entries->len; i++)
    {
      const VvEntry *e = &g_array_index (vv->entries, VvEntry, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '"');
      append_uint64 (out, e->replica);
      g_string_append (out, "\":");
      append_uint64 (out, e->counter);
    }
  g_string_append_c (out, '}');

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Only the canonical spelling of a number: no sign, no leading zero, no
 * spaces, so that no two keys name the same replica. */
static gboolean
parse_replica (const char *key,
               guint32    *replica)
{
  guint64 value = 0;
  gsize len = strlen (key);

  if (len == 0 || len > 10)
    return FALSE;
  if (key[0] == '0' && len > 1)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (key[i]))
        return FALSE;
      value = value * 10 + (guint64) (key[i] - '0');
    }

  if (value > G_MAXUINT32)
    return FALSE;

  *replica = (guint32) value;

  return TRUE;
}

KontorVersionVector *
kontor_version_vector_from_json (JsonNode  *node,
                                 GError   **error)
{
  g_autoptr(KontorVersionVector) vv = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("Version vector is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  vv = kontor_version_vector_new ();

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *member = json_object_get_member (object, key);
      guint32 replica;
      gint64 counter;

      if (!parse_replica (key, &replica))
        {
          g_autofree char *quoted = quote_for_message (key);

          g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                       _("Version vector key “%s” is not a replica id "
                         "(a decimal number from 0 to %u without sign or leading zeros)"),
                       quoted, (guint) G_MAXUINT32);
          return NULL;
        }

      if (member == NULL
          || !JSON_NODE_HOLDS_VALUE (member)
          || json_node_get_value_type (member) != G_TYPE_INT64)
        {
          g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                       _("Version vector counter of replica %u is not a JSON integer"),
                       (guint) replica);
          return NULL;
        }

      counter = json_node_get_int (member);
      if (counter < 0)
        {
          g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                       _("Version vector counter of replica %u is negative"),
                       (guint) replica);
          return NULL;
        }

      kontor_version_vector_set (vv, replica, (guint64) counter);
    }

  return g_steal_pointer (&vv);
}

KontorVersionVector *
kontor_version_vector_from_string (const char  *json,
                                   GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = kontor_sync_json_parse (json, error);
  if (node == NULL)
    return NULL;

  return kontor_version_vector_from_json (node, error);
}

/* Strict JSON reader ---------------------------------------------------- */

typedef struct
{
  const char *start;
  const char *pos;
  guint       depth;
} TextReader;

static void
reader_fail (TextReader  *reader,
             GError     **error,
             const char  *what)
{
  g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
               _("Invalid JSON at byte %zu: %s"),
               (gsize) (reader->pos - reader->start), what);
}

static void
reader_skip_space (TextReader *reader)
{
  while (*reader->pos == ' ' || *reader->pos == '\t'
         || *reader->pos == '\n' || *reader->pos == '\r')
    reader->pos++;
}

static JsonNode *read_value (TextReader *reader, GError **error);

static gboolean
read_hex4 (TextReader *reader,
           gunichar   *out)
{
  gunichar value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (reader->pos[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + (gunichar) digit;
    }

  reader->pos += 4;
  *out = value;

  return TRUE;
}

/* reader->pos is on the opening quote. */
static char *
read_string (TextReader  *reader,
             GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  reader->pos++;

  for (;;)
    {
      guchar c = (guchar) *reader->pos;

      if (c == '\0')
        {
          reader_fail (reader, error, _("unterminated string"));
          return NULL;
        }
      else if (c == '"')
        {
          reader->pos++;
          break;
        }
      else if (c < 0x20)
        {
          reader_fail (reader, error, _("control character in string"));
          return NULL;
        }
      else if (c != '\\')
        {
          /* The whole text is valid UTF-8 already. */
          g_string_append_c (out, (char) c);
          reader->pos++;
          continue;
        }

      reader->pos++;
      switch (*reader->pos)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar ch;

            reader->pos++;
            if (!read_hex4 (reader, &ch))
              {
                reader_fail (reader, error, _("bad \\u escape"));
                return NULL;
              }

            if (ch >= 0xD800 && ch <= 0xDBFF)
              {
                gunichar low;

                if (reader->pos[0] != '\\' || reader->pos[1] != 'u')
                  {
                    reader_fail (reader, error, _("lone surrogate in \\u escape"));
                    return NULL;
                  }
                reader->pos += 2;
                if (!read_hex4 (reader, &low) || low < 0xDC00 || low > 0xDFFF)
                  {
                    reader_fail (reader, error, _("lone surrogate in \\u escape"));
                    return NULL;
                  }
                ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (ch >= 0xDC00 && ch <= 0xDFFF)
              {
                reader_fail (reader, error, _("lone surrogate in \\u escape"));
                return NULL;
              }
            else if (ch == 0)
              {
                reader_fail (reader, error, _("\\u0000 is not allowed in strings"));
                return NULL;
              }

            g_string_append_unichar (out, ch);
            /* read_hex4 has moved past the digits already */
            continue;
          }
        default:
          reader_fail (reader, error, _("unknown escape in string"));
          return NULL;
        }
      reader->pos++;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static JsonNode *
read_number (TextReader  *reader,
             GError     **error)
{
  const char *begin = reader->pos;
  gboolean is_integer = TRUE;
  g_autofree char *token = NULL;

  if (*reader->pos == '-')
    reader->pos++;

  if (*reader->pos == '0')
    reader->pos++;
  else if (*reader->pos >= '1' && *reader->pos <= '9')
    while (g_ascii_isdigit (*reader->pos))
      reader->pos++;
  else
    {
      reader_fail (reader, error, _("bad number"));
      return NULL;
    }

  if (*reader->pos == '.')
    {
      is_integer = FALSE;
      reader->pos++;
      if (!g_ascii_isdigit (*reader->pos))
        {
          reader_fail (reader, error, _("bad number"));
          return NULL;
        }
      while (g_ascii_isdigit (*reader->pos))
        reader->pos++;
    }

  if (*reader->pos == 'e' || *reader->pos == 'E')
    {
      is_integer = FALSE;
      reader->pos++;
      if (*reader->pos == '+' || *reader->pos == '-')
        reader->pos++;
      if (!g_ascii_isdigit (*reader->pos))
        {
          reader_fail (reader, error, _("bad number"));
          return NULL;
        }
      while (g_ascii_isdigit (*reader->pos))
        reader->pos++;
    }

  token = g_strndup (begin, (gsize) (reader->pos - begin));

  if (is_integer)
    {
      gint64 value;

      if (!g_ascii_string_to_signed (token, 10, G_MININT64, G_MAXINT64, &value, NULL))
        {
          reader->pos = begin;
          reader_fail (reader, error, _("integer out of range"));
          return NULL;
        }

      return json_node_init_int (json_node_alloc (), value);
    }
  else
    {
      double value = g_ascii_strtod (token, NULL);

      if (!isfinite (value))
        {
          reader->pos = begin;
          reader_fail (reader, error, _("number out of range"));
          return NULL;
        }

      return json_node_init_double (json_node_alloc (), value);
    }
}

static gboolean
read_literal (TextReader *reader,
              const char *word)
{
  gsize len = strlen (word);

  if (strncmp (reader->pos, word, len) != 0)
    return FALSE;

  reader->pos += len;

  return TRUE;
}

static JsonNode *
read_object (TextReader  *reader,
             GError     **error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  reader->pos++;
  reader_skip_space (reader);

  if (*reader->pos == '}')
    {
      reader->pos++;
      return json_node_init_object (json_node_alloc (), object);
    }

  for (;;)
    {
      g_autofree char *name = NULL;
      JsonNode *value;

      reader_skip_space (reader);
      if (*reader->pos != '"')
        {
          reader_fail (reader, error, _("expected a member name"));
          return NULL;
        }

      name = read_string (reader, error);
      if (name == NULL)
        return NULL;

      if (json_object_has_member (object, name))
        {
          g_autofree char *quoted = quote_for_message (name);
          g_autofree char *what = g_strdup_printf (_("duplicate member “%s”"), quoted);

          reader_fail (reader, error, what);
          return NULL;
        }

      reader_skip_space (reader);
      if (*reader->pos != ':')
        {
          reader_fail (reader, error, _("expected “:”"));
          return NULL;
        }
      reader->pos++;

      value = read_value (reader, error);
      if (value == NULL)
        return NULL;
      json_object_set_member (object, name, value);

      reader_skip_space (reader);
      if (*reader->pos == ',')
        {
          reader->pos++;
          continue;
        }
      if (*reader->pos == '}')
        {
          reader->pos++;
          break;
        }

      reader_fail (reader, error, _("expected “,” or “}”"));
      return NULL;
    }

  return json_node_init_object (json_node_alloc (), object);
}

static JsonNode *
read_array (TextReader  *reader,
            GError     **error)
{
  g_autoptr(JsonArray) array = json_array_new ();

  reader->pos++;
  reader_skip_space (reader);

  if (*reader->pos == ']')
    {
      reader->pos++;
      return json_node_init_array (json_node_alloc (), array);
    }

  for (;;)
    {
      JsonNode *value = read_value (reader, error);

      if (value == NULL)
        return NULL;
      json_array_add_element (array, value);

      reader_skip_space (reader);
      if (*reader->pos == ',')
        {
          reader->pos++;
          continue;
        }
      if (*reader->pos == ']')
        {
          reader->pos++;
          break;
        }

      reader_fail (reader, error, _("expected “,” or “]”"));
      return NULL;
    }

  return json_node_init_array (json_node_alloc (), array);
}

static JsonNode *
read_value (TextReader  *reader,
            GError     **error)
{
  reader_skip_space (reader);

  switch (*reader->pos)
    {
    case '{':
    case '[':
      {
        JsonNode *node;

        if (reader->depth >= KONTOR_SYNC_JSON_MAX_DEPTH)
          {
            reader_fail (reader, error, _("nested too deeply"));
            return NULL;
          }

        reader->depth++;
        if (*reader->pos == '{')
          node = read_object (reader, error);
        else
          node = read_array (reader, error);
        reader->depth--;

        return node;
      }

    case '"':
      {
        g_autofree char *str = read_string (reader, error);

        if (str == NULL)
          return NULL;

        return json_node_init_string (json_node_alloc (), str);
      }

    case 't':
      if (read_literal (reader, "true"))
        return json_node_init_boolean (json_node_alloc (), TRUE);
      break;

    case 'f':
      if (read_literal (reader, "false"))
        return json_node_init_boolean (json_node_alloc (), FALSE);
      break;

    case 'n':
      if (read_literal (reader, "null"))
        return json_node_init_null (json_node_alloc ());
      break;

    case '\0':
      reader_fail (reader, error, _("unexpected end of text"));
      return NULL;

    default:
      if (*reader->pos == '-' || g_ascii_isdigit (*reader->pos))
        return read_number (reader, error);
      break;
    }

  reader_fail (reader, error, _("unexpected character"));

  return NULL;
}

JsonNode *
kontor_sync_json_parse (const char  *json,
                        GError     **error)
{
  TextReader reader = { json, json, 0 };
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (json, -1, NULL))
    {
      g_set_error (error, KONTOR_SYNC_ERROR, KONTOR_SYNC_ERROR_MALFORMED,
                   _("Invalid JSON: the text is not valid UTF-8"));
      return NULL;
    }

  node = read_value (&reader, error);
  if (node == NULL)
    return NULL;

  reader_skip_space (&reader);
  if (*reader.pos != '\0')
    {
      reader_fail (&reader, error, _("trailing characters after the value"));
      return NULL;
    }

  return g_steal_pointer (&node);
}

JsonNode *
_kontor_sync_json_read_at (const char **pos,
                           guint        depth,
                           GError     **error)
{
  TextReader reader = { *pos, *pos, depth };
  JsonNode *node = read_value (&reader, error);

  if (node != NULL)
    *pos = reader.pos;

  return node;
}

gboolean
_kontor_sync_read_uint (const char **pos,
                        guint64      max,
                        guint64     *value)
{
  const char *p = *pos;
  guint64 v = 0;

  if (*p == '0')
    {
      if (g_ascii_isdigit (p[1]))
        return FALSE;
      *value = 0;
      *pos = p + 1;
      return TRUE;
    }
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      guint digit = (guint) (*p - '0');

      if (v > (max - digit) / 10)
        return FALSE;
      v = v * 10 + digit;
    }
  /* a fraction or an exponent makes it a double: not ours */
  if (*p == '.' || *p == 'e' || *p == 'E')
    return FALSE;

  *value = v;
  *pos = p;
  return TRUE;
}

KontorVersionVector *
_kontor_version_vector_read_canonical (const char **pos)
{
  g_autoptr(KontorVersionVector) vv = kontor_version_vector_new ();
  const char *p = *pos;
  gboolean first = TRUE;
  guint64 last = 0;

  if (*p != '{')
    return NULL;
  p++;
  if (*p == '}')
    {
      *pos = p + 1;
      return g_steal_pointer (&vv);
    }

  for (;;)
    {
      guint64 replica, counter;
      VvEntry e;

      if (*p != '"')
        return NULL;
      p++;
      if (!_kontor_sync_read_uint (&p, G_MAXUINT32, &replica) || p[0] != '"' || p[1] != ':')
        return NULL;
      p += 2;
      if (!_kontor_sync_read_uint (&p, G_MAXINT64, &counter) || counter == 0)
        return NULL;
      if (!first && replica <= last)
        return NULL;
      first = FALSE;
      last = replica;
      e.replica = (guint32) replica;
      e.counter = counter;
      g_array_append_val (vv->entries, e);

      if (*p == ',')
        {
          p++;
          continue;
        }
      if (*p == '}')
        break;
      return NULL;
    }

  *pos = p + 1;
  return g_steal_pointer (&vv);
}

/* Canonical JSON writer ------------------------------------------------- */

static void
write_string (GString    *out,
              const char *str)
{
  g_string_append_c (out, '"');

  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", (guint) c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }

  g_string_append_c (out, '"');
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same bits
 * (%.17g always does), so equal doubles always give the same text and
 * 0.1 stays "0.1". */
static void
write_double (GString *out,
              double   value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_critical ("A non-finite double has no JSON form; writing null");
      g_string_append (out, "null");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      double back;

      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      back = g_ascii_strtod (buf, NULL);
      if (memcmp (&back, &value, sizeof value) == 0)
        break;
    }

  g_string_append (out, buf);

  /* Keep it a double when read back: "1" would come back as an integer. */
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
write_node (GString  *out,
            JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        for (const GList *l = members; l != NULL; l = l->next)
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            write_string (out, l->data);
            g_string_append_c (out, ':');
            write_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint len = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < len; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          {
            gint64 value = json_node_get_int (node);

            if (value < 0)
              {
                g_string_append_c (out, '-');
                /* -(value + 1) + 1 cannot overflow, even for G_MININT64 */
                append_uint64 (out, (guint64) -(value + 1) + 1);
              }
            else
              {
                append_uint64 (out, (guint64) value);
              }
          }
          break;
        case G_TYPE_DOUBLE:
          write_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          if (json_node_get_string (node) != NULL)
            write_string (out, json_node_get_string (node));
          else
            g_string_append (out, "null");
          break;
        default:
          g_critical ("JSON value of type %s has no JSON form; writing null",
                      g_type_name (json_node_get_value_type (node)));
          g_string_append (out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
kontor_sync_json_to_string (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  write_node (out, node);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
