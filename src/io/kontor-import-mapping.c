/* kontor-import-mapping.c: which column of a file fills which field
 *
 * A header is matched in this order: a field name of the kind as it is
 * (Kontor's own export), Google's "E-mail 1 - Value" pattern, the table of
 * the export the header looks like, field labels, common synonyms (English
 * and German), and last by the words it contains ("Business Phone 2",
 * "Arbeitsadresse Stadt"). Header keys are compared case-folded with
 * everything but letters and digits removed.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-io"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-import-mapping.h"
#include "kontor-io-private.h"

typedef enum
{
  ROLE_IGNORE,
  ROLE_FIELD,
  ROLE_FULL_NAME,
  ROLE_ORGANIZATION,
  ROLE_EMAIL,
  ROLE_PHONE,
  ROLE_URL,
  ROLE_ADDRESS,
  ROLE_BIRTH_YEAR,
  ROLE_BIRTH_MONTH,
  ROLE_BIRTH_DAY,
  ROLE_TAGS,
  ROLE_TYPE,     /* the type label of a group (Google "E-mail 1 - Type") */
} Role;

typedef struct
{
  Role               role;
  char              *field;
  KontorSlotClass    cls;
  KontorAddressPart  part;
  int                group;
} Column;

struct _KontorImportMapping
{
  gatomicrefcount  ref_count;
  GArray          *columns;
  char            *preset;
};

G_DEFINE_BOXED_TYPE (KontorImportMapping, kontor_import_mapping,
                     kontor_import_mapping_ref, kontor_import_mapping_unref)

/* ---------------------------------------------------------------------- */
/* Slots                                                                  */

typedef enum
{
  VALUE_EMAIL,
  VALUE_PHONE,
  VALUE_URL,
} ValueKind;

typedef struct
{
  ValueKind        kind;
  KontorSlotClass  cls;
  char            *text;
  char            *source;
  const char      *placed;
} SlotValue;

typedef struct
{
  int              group;
  KontorSlotClass  cls;
  char            *parts[KONTOR_ADDR_N_PARTS];
  char            *source;
} AddressGroup;

struct _KontorSlots
{
  KontorKind *kind;
  GPtrArray  *values;     /* SlotValue */
  GPtrArray  *addresses;  /* AddressGroup */
};

static void
slot_value_free (SlotValue *v)
{
  g_free (v->text);
  g_free (v->source);
  g_free (v);
}

static void
address_group_free (AddressGroup *g)
{
  for (guint i = 0; i < KONTOR_ADDR_N_PARTS; i++)
    g_free (g->parts[i]);
  g_free (g->source);
  g_free (g);
}

KontorSlots *
_kontor_slots_new (KontorKind *kind)
{
  KontorSlots *slots = g_new0 (KontorSlots, 1);

  slots->kind = g_object_ref (kind);
  slots->values = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_value_free);
  slots->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) address_group_free);
  return slots;
}

void
_kontor_slots_free (KontorSlots *slots)
{
  if (slots == NULL)
    return;
  g_clear_object (&slots->kind);
  g_clear_pointer (&slots->values, g_ptr_array_unref);
  g_clear_pointer (&slots->addresses, g_ptr_array_unref);
  g_free (slots);
}

static void
slots_add (KontorSlots     *slots,
           ValueKind        kind,
           KontorSlotClass  cls,
           const char      *text,
           const char      *source)
{
  SlotValue *v;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (trimmed[0] == '\0')
    return;

  v = g_new0 (SlotValue, 1);
  v->kind = kind;
  v->cls = cls;
  v->text = g_steal_pointer (&trimmed);
  v->source = g_strdup (source);
  g_ptr_array_add (slots->values, v);
}

void
_kontor_slots_add_email (KontorSlots     *slots,
                         KontorSlotClass  cls,
                         const char      *text,
                         const char      *source)
{
  slots_add (slots, VALUE_EMAIL, cls, text, source);
}

void
_kontor_slots_add_phone (KontorSlots     *slots,
                         KontorSlotClass  cls,
                         const char      *text,
                         const char      *source)
{
  slots_add (slots, VALUE_PHONE, cls, text, source);
}

void
_kontor_slots_add_url (KontorSlots     *slots,
                       KontorSlotClass  cls,
                       const char      *text,
                       const char      *source)
{
  slots_add (slots, VALUE_URL, cls, text, source);
}

void
_kontor_slots_add_address (KontorSlots       *slots,
                           int                group,
                           KontorSlotClass    cls,
                           KontorAddressPart  part,
                           const char        *text,
                           const char        *source)
{
  AddressGroup *g = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  g_return_if_fail (part < KONTOR_ADDR_N_PARTS);

  if (trimmed[0] == '\0')
    return;

  for (guint i = 0; i < slots->addresses->len && g == NULL; i++)
    {
      AddressGroup *candidate = g_ptr_array_index (slots->addresses, i);

      if (candidate->group == group)
        g = candidate;
    }

  if (g == NULL)
    {
      g = g_new0 (AddressGroup, 1);
      g->group = group;
      g->cls = cls;
      g->source = g_strdup (source);
      g_ptr_array_add (slots->addresses, g);
    }

  if (g->parts[part] == NULL)
    g->parts[part] = g_steal_pointer (&trimmed);
  else
    {
      /* "Business Street 2" and the like continue the part */
      char *joined = g_strconcat (g->parts[part], ", ", trimmed, NULL);

      g_free (g->parts[part]);
      g->parts[part] = joined;
    }
}

static gboolean
url_host_is (const char *url,
             const char *domain)
{
  g_autofree char *lower = g_ascii_strdown (url, -1);
  const char *host = strstr (lower, "://");
  gsize host_len;
  gsize dlen = strlen (domain);

  host = host ? host + 3 : lower;
  host_len = strcspn (host, "/:?#");

  if (host_len < dlen || strncmp (host + host_len - dlen, domain, dlen) != 0)
    return FALSE;
  return host_len == dlen || host[host_len - dlen - 1] == '.';
}

static gboolean
slot_free (KontorSlots *slots,
           JsonObject  *values,
           const char  *field)
{
  if (field == NULL || kontor_kind_get_field (slots->kind, field) == NULL)
    return FALSE;
  if (json_object_has_member (values, field))
    return FALSE;

  for (guint i = 0; i < slots->values->len; i++)
    {
      SlotValue *v = g_ptr_array_index (slots->values, i);

      if (g_strcmp0 (v->placed, field) == 0)
        return FALSE;
    }

  return TRUE;
}

/* The field a value goes to if free, and the ones it may fall back to. */
static void
slot_targets (SlotValue   *v,
              const char **preferred,
              const char  *fallback[3])
{
  *preferred = NULL;
  fallback[0] = fallback[1] = fallback[2] = NULL;

  switch (v->kind)
    {
    case VALUE_EMAIL:
      if (v->cls == KONTOR_SLOT_WORK)
        *preferred = "email";
      else if (v->cls == KONTOR_SLOT_HOME)
        *preferred = "email_private";
      fallback[0] = v->cls == KONTOR_SLOT_HOME ? "email_private" : "email";
      fallback[1] = v->cls == KONTOR_SLOT_HOME ? "email" : "email_private";
      break;

    case VALUE_PHONE:
      if (v->cls == KONTOR_SLOT_MOBILE)
        {
          *preferred = "mobile";
          fallback[0] = "mobile";
          fallback[1] = "phone";
        }
      else if (v->cls == KONTOR_SLOT_FAX)
        *preferred = fallback[0] = "fax";
      else if (v->cls == KONTOR_SLOT_PAGER)
        *preferred = fallback[0] = "pager";
      else
        {
          if (v->cls == KONTOR_SLOT_WORK)
            *preferred = "phone";
          fallback[0] = "phone";
        }
      break;

    case VALUE_URL:
      if (url_host_is (v->text, "linkedin.com"))
        *preferred = fallback[0] = "linkedin";
      else if (url_host_is (v->text, "xing.com") || url_host_is (v->text, "xing.de"))
        *preferred = fallback[0] = "xing";
      else
        {
          if (v->cls == KONTOR_SLOT_WORK)
            *preferred = "website";
          fallback[0] = "website";
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

static const char *
value_kind_noun (ValueKind kind)
{
  switch (kind)
    {
    case VALUE_EMAIL:
      return _("e-mail address");
    case VALUE_PHONE:
      return _("phone number");
    case VALUE_URL:
    default:
      return _("web address");
    }
}

static char *
address_text (AddressGroup *g)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (KontorAddressPart p = KONTOR_ADDR_STREET; p < KONTOR_ADDR_N_PARTS; p++)
    if (g->parts[p] != NULL)
      {
        if (s->len > 0)
          g_string_append (s, ", ");
        g_string_append (s, g->parts[p]);
      }

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* One line: the street field is single-line text. */
static char *
one_line (const char *text)
{
  g_auto(GStrv) lines = g_strsplit_set (text, "\r\n", -1);
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; lines[i]; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      if (s->len > 0)
        g_string_append (s, ", ");
      g_string_append (s, lines[i]);
    }

  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
finish_addresses (KontorSlots *slots,
                  JsonObject  *values,
                  guint        line,
                  GPtrArray   *problems)
{
  static const KontorSlotClass rank[] = {
    KONTOR_SLOT_WORK, KONTOR_SLOT_OTHER, KONTOR_SLOT_HOME,
    KONTOR_SLOT_MOBILE, KONTOR_SLOT_FAX, KONTOR_SLOT_PAGER,
  };
  AddressGroup *chosen = NULL;

  if (slots->addresses->len == 0)
    return;

  if (kontor_kind_get_field (slots->kind, "street") == NULL &&
      kontor_kind_get_field (slots->kind, "city") == NULL)
    return;

  for (guint r = 0; r < G_N_ELEMENTS (rank) && chosen == NULL; r++)
    for (guint i = 0; i < slots->addresses->len && chosen == NULL; i++)
      {
        AddressGroup *g = g_ptr_array_index (slots->addresses, i);

        if (g->cls == rank[r])
          chosen = g;
      }

  if (chosen == NULL)
    chosen = g_ptr_array_index (slots->addresses, 0);

  {
    g_autoptr(GString) street = g_string_new (NULL);
    const KontorAddressPart street_parts[] = {
      KONTOR_ADDR_STREET, KONTOR_ADDR_EXTENDED, KONTOR_ADDR_POBOX
    };
    const struct { KontorAddressPart part; const char *field; } simple[] = {
      { KONTOR_ADDR_POSTAL, "postal_code" },
      { KONTOR_ADDR_CITY, "city" },
      { KONTOR_ADDR_REGION, "region" },
      { KONTOR_ADDR_COUNTRY, "country" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (street_parts); i++)
      if (chosen->parts[street_parts[i]] != NULL)
        {
          g_autofree char *l = one_line (chosen->parts[street_parts[i]]);

          if (l[0] == '\0')
            continue;
          if (street->len > 0)
            g_string_append (street, ", ");
          g_string_append (street, l);
        }

    if (street->len > 0)
      _kontor_values_offer (values, "street", street->str, chosen->source, line, problems);
    for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
      if (chosen->parts[simple[i].part] != NULL &&
          kontor_kind_get_field (slots->kind, simple[i].field) != NULL)
        {
          g_autofree char *l = one_line (chosen->parts[simple[i].part]);

          _kontor_values_offer (values, simple[i].field, l, chosen->source, line, problems);
        }
  }

  for (guint i = 0; i < slots->addresses->len; i++)
    {
      AddressGroup *g = g_ptr_array_index (slots->addresses, i);
      g_autofree char *text = NULL;
      g_autofree char *msg = NULL;

      if (g == chosen)
        continue;
      text = address_text (g);
      msg = g_strdup_printf (_("the address “%s” was not imported: a record has one address"),
                             text);
      g_ptr_array_add (problems, kontor_import_problem_new (line, g->source, msg, FALSE));
    }
}

void
_kontor_slots_finish (KontorSlots *slots,
                      JsonObject  *values,
                      guint        line,
                      GPtrArray   *problems)
{
  /* first every value that has a field of its own, then the others in
   * the order of the source */
  for (guint i = 0; i < slots->values->len; i++)
    {
      SlotValue *v = g_ptr_array_index (slots->values, i);
      const char *preferred;
      const char *fallback[3];

      slot_targets (v, &preferred, fallback);
      if (preferred != NULL && slot_free (slots, values, preferred))
        v->placed = preferred;
    }

  for (guint i = 0; i < slots->values->len; i++)
    {
      SlotValue *v = g_ptr_array_index (slots->values, i);
      const char *preferred;
      const char *fallback[3];

      if (v->placed != NULL)
        continue;
      slot_targets (v, &preferred, fallback);
      for (guint k = 0; k < G_N_ELEMENTS (fallback) && fallback[k] && !v->placed; k++)
        if (slot_free (slots, values, fallback[k]))
          v->placed = fallback[k];
    }

  for (guint i = 0; i < slots->values->len; i++)
    {
      SlotValue *v = g_ptr_array_index (slots->values, i);

      if (v->placed != NULL)
        json_object_set_string_member (values, v->placed, v->text);
      else
        {
          g_autofree char *msg = NULL;

          if (v->kind == VALUE_PHONE && (v->cls == KONTOR_SLOT_FAX || v->cls == KONTOR_SLOT_PAGER))
            msg = g_strdup_printf (_("“%s” was not imported: there is no field for fax or "
                                     "pager numbers"), v->text);
          else
            msg = g_strdup_printf (_("“%s” was not imported: no free field for another %s"),
                                   v->text, value_kind_noun (v->kind));
          g_ptr_array_add (problems, kontor_import_problem_new (line, v->source, msg, FALSE));
        }
    }

  finish_addresses (slots, values, line, problems);
}

/* ---------------------------------------------------------------------- */
/* Shared value helpers                                                   */

static gboolean
contains_any (const char         *text,
              const char * const *words)
{
  for (guint i = 0; words[i]; i++)
    if (strstr (text, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

KontorSlotClass
_kontor_slot_class_from_label (const char *label)
{
  static const char * const mobile[] = { "mobile", "mobil", "cell", "handy", "iphone", NULL };
  static const char * const fax[] = { "fax", NULL };
  static const char * const pager[] = { "pager", NULL };
  static const char * const work[] = {
    "work", "business", "office", "company", "main", "arbeit", "geschäft", "büro", "dienst",
    "firma", NULL
  };
  static const char * const home[] = {
    "home", "privat", "private", "personal", "persönlich", NULL
  };
  g_autofree char *folded = NULL;

  if (label == NULL)
    return KONTOR_SLOT_OTHER;

  folded = g_utf8_casefold (label, -1);
  if (contains_any (folded, fax))
    return KONTOR_SLOT_FAX;
  if (contains_any (folded, pager))
    return KONTOR_SLOT_PAGER;
  if (contains_any (folded, mobile))
    return KONTOR_SLOT_MOBILE;
  if (contains_any (folded, work))
    return KONTOR_SLOT_WORK;
  if (contains_any (folded, home))
    return KONTOR_SLOT_HOME;
  return KONTOR_SLOT_OTHER;
}

gboolean
_kontor_values_offer (JsonObject *values,
                      const char *field,
                      const char *text,
                      const char *source,
                      guint       line,
                      GPtrArray  *problems)
{
  const char *existing;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *msg = NULL;

  if (!json_object_has_member (values, field))
    {
      json_object_set_string_member (values, field, text);
      return TRUE;
    }

  existing = json_object_get_string_member_with_default (values, field, "");
  a = g_strstrip (g_strdup (existing));
  b = g_strstrip (g_strdup (text));
  if (g_str_equal (a, b))
    return TRUE;

  msg = g_strdup_printf (_("“%s” was not imported: %s is “%s” already"), b, field, a);
  if (problems != NULL)
    g_ptr_array_add (problems, kontor_import_problem_new (line, source, msg, FALSE));
  return FALSE;
}

void
_kontor_values_apply_full_name (JsonObject *values,
                                const char *full_name)
{
  g_autofree char *full = g_strstrip (g_strdup (full_name));
  const char *last = json_object_get_string_member_with_default (values, "last_name", "");
  const char *first = json_object_get_string_member_with_default (values, "first_name", "");
  g_autofree char *first_trimmed = g_strstrip (g_strdup (first));

  if (full[0] == '\0' || last[0] != '\0')
    return;

  if (first_trimmed[0] != '\0' && g_str_has_prefix (full, first_trimmed) &&
      full[strlen (first_trimmed)] == ' ')
    {
      g_autofree char *rest = g_strstrip (g_strdup (full + strlen (first_trimmed)));

      json_object_set_string_member (values, "last_name", rest);
      return;
    }

  if (g_str_equal (full, first_trimmed))
    json_object_remove_member (values, "first_name");
  json_object_set_string_member (values, "last_name", full);
}

void
_kontor_values_add_tag (JsonObject *values,
                        const char *tag)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (tag));
  JsonArray *tags;

  if (trimmed[0] == '\0')
    return;

  if (!json_object_has_member (values, "tags") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (values, "tags")))
    json_object_set_array_member (values, "tags", json_array_new ());
  tags = json_object_get_array_member (values, "tags");

  for (guint i = 0; i < json_array_get_length (tags); i++)
    if (g_strcmp0 (json_array_get_string_element (tags, i), trimmed) == 0)
      return;

  json_array_add_string_element (tags, trimmed);
}

/* ---------------------------------------------------------------------- */
/* The mapping                                                            */

static void
column_clear (Column *c)
{
  g_clear_pointer (&c->field, g_free);
}

KontorImportMapping *
kontor_import_mapping_new (void)
{
  KontorImportMapping *self = g_new0 (KontorImportMapping, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, (GDestroyNotify) column_clear);
  return self;
}

KontorImportMapping *
kontor_import_mapping_ref (KontorImportMapping *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
kontor_import_mapping_unref (KontorImportMapping *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_array_unref (self->columns);
      g_free (self->preset);
      g_free (self);
    }
}

const char *
kontor_import_mapping_get_preset (KontorImportMapping *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->preset;
}

guint
kontor_import_mapping_get_n_columns (KontorImportMapping *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->columns->len;
}

guint
kontor_import_mapping_get_n_mapped (KontorImportMapping *self)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);

      if (c->role != ROLE_IGNORE && c->role != ROLE_TYPE)
        n++;
    }

  return n;
}

static Column *
column_at (KontorImportMapping *self,
           guint                column)
{
  if (column >= self->columns->len)
    g_array_set_size (self->columns, column + 1);
  return &g_array_index (self->columns, Column, column);
}

void
kontor_import_mapping_set_column (KontorImportMapping *self,
                                  guint                column,
                                  const char          *target)
{
  Column *c;

  g_return_if_fail (self != NULL);

  c = column_at (self, column);
  column_clear (c);
  memset (c, 0, sizeof *c);

  if (target == NULL || g_str_equal (target, KONTOR_MAPPING_IGNORE))
    c->role = ROLE_IGNORE;
  else if (g_str_equal (target, KONTOR_MAPPING_FULL_NAME))
    c->role = ROLE_FULL_NAME;
  else
    {
      c->role = ROLE_FIELD;
      c->field = g_strdup (target);
    }

  g_clear_pointer (&self->preset, g_free);
}

static const char *
class_noun (KontorSlotClass cls)
{
  switch (cls)
    {
    case KONTOR_SLOT_WORK:
      return _("work");
    case KONTOR_SLOT_HOME:
      return _("home");
    case KONTOR_SLOT_MOBILE:
      return _("mobile");
    case KONTOR_SLOT_FAX:
      return _("fax");
    case KONTOR_SLOT_PAGER:
      return _("pager");
    case KONTOR_SLOT_OTHER:
    default:
      return _("other");
    }
}

char *
kontor_import_mapping_describe_column (KontorImportMapping *self,
                                       guint                column)
{
  static const char * const parts[] = {
    "street", "street", "street", "city", "region", "postal_code", "country"
  };
  Column *c;

  g_return_val_if_fail (self != NULL, NULL);

  if (column >= self->columns->len)
    return NULL;
  c = &g_array_index (self->columns, Column, column);

  switch (c->role)
    {
    case ROLE_FIELD:
      return g_strdup (c->field);
    case ROLE_FULL_NAME:
      return g_strdup (_("full name"));
    case ROLE_ORGANIZATION:
      return g_strdup ("organization");
    case ROLE_EMAIL:
      return g_strdup_printf ("email (%s)", class_noun (c->cls));
    case ROLE_PHONE:
      return g_strdup_printf ("phone (%s)", class_noun (c->cls));
    case ROLE_URL:
      return g_strdup_printf ("website (%s)", class_noun (c->cls));
    case ROLE_ADDRESS:
      return g_strdup_printf ("%s (%s)", parts[c->part], class_noun (c->cls));
    case ROLE_BIRTH_YEAR:
    case ROLE_BIRTH_MONTH:
    case ROLE_BIRTH_DAY:
      return g_strdup ("birthday");
    case ROLE_TAGS:
      return g_strdup ("tags");
    case ROLE_TYPE:
      return g_strdup_printf (_("type of group %d"), c->group);
    case ROLE_IGNORE:
    default:
      return NULL;
    }
}

GPtrArray *
kontor_import_mapping_list_fields (KontorImportMapping *self)
{
  GPtrArray *fields = g_ptr_array_new ();

  g_return_val_if_fail (self != NULL, fields);

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);

      if (c->role == ROLE_FIELD)
        g_ptr_array_add (fields, c->field);
    }

  return fields;
}

/* ---------------------------------------------------------------------- */
/* Detection                                                              */

typedef struct
{
  const char       *key;
  Role              role;
  const char       *field;
  KontorSlotClass   cls;
  KontorAddressPart part;
} Spec;

#define F(k, f)        { k, ROLE_FIELD, f, 0, 0 }
#define R(k, r)        { k, r, NULL, 0, 0 }
#define C(k, r, c)     { k, r, NULL, KONTOR_SLOT_ ## c, 0 }
#define A(k, c, p)     { k, ROLE_ADDRESS, NULL, KONTOR_SLOT_ ## c, KONTOR_ADDR_ ## p }

static const Spec google_specs[] = {
  R ("name", ROLE_FULL_NAME),
  F ("givenname", "first_name"),
  F ("familyname", "last_name"),
  R ("groupmembership", ROLE_TAGS),
  R ("labels", ROLE_TAGS),
  R ("organizationname", ROLE_ORGANIZATION),
  F ("organizationtitle", "job_title"),
  { NULL }
};

static const Spec outlook_specs[] = {
  R ("title", ROLE_IGNORE),
  R ("anrede", ROLE_IGNORE),
  C ("emailaddress", ROLE_EMAIL, OTHER),
  C ("email2address", ROLE_EMAIL, OTHER),
  C ("email3address", ROLE_EMAIL, OTHER),
  C ("emailadresse", ROLE_EMAIL, OTHER),
  C ("email2adresse", ROLE_EMAIL, OTHER),
  C ("email3adresse", ROLE_EMAIL, OTHER),
  C ("primaryphone", ROLE_PHONE, WORK),
  C ("companymainphone", ROLE_PHONE, WORK),
  C ("webpage", ROLE_URL, WORK),
  C ("webseite", ROLE_URL, WORK),
  { NULL }
};

static const Spec thunderbird_specs[] = {
  R ("displayname", ROLE_FULL_NAME),
  C ("primaryemail", ROLE_EMAIL, OTHER),
  C ("secondaryemail", ROLE_EMAIL, OTHER),
  A ("homeaddress", HOME, STREET),
  A ("homeaddress2", HOME, EXTENDED),
  A ("workaddress", WORK, STREET),
  A ("workaddress2", WORK, EXTENDED),
  C ("webpage1", ROLE_URL, WORK),
  C ("webpage2", ROLE_URL, HOME),
  R ("birthyear", ROLE_BIRTH_YEAR),
  R ("birthmonth", ROLE_BIRTH_MONTH),
  R ("birthday", ROLE_BIRTH_DAY),     /* "Birth Day", not "Birthday" */
  R ("organization", ROLE_ORGANIZATION),
  R ("department", ROLE_IGNORE),
  R ("nickname", ROLE_IGNORE),
  R ("screenname", ROLE_IGNORE),
  { NULL }
};

static const Spec linkedin_specs[] = {
  F ("url", "linkedin"),
  F ("profileurl", "linkedin"),
  C ("emailaddress", ROLE_EMAIL, OTHER),
  R ("company", ROLE_ORGANIZATION),
  F ("position", "job_title"),
  R ("connectedon", ROLE_IGNORE),
  { NULL }
};

static const Spec apple_specs[] = {
  F ("homepage", "website"),
  { NULL }
};

/* For every export. */
static const Spec generic_specs[] = {
  F ("firstname", "first_name"),
  F ("givenname", "first_name"),
  F ("vorname", "first_name"),
  F ("forename", "first_name"),
  F ("prénom", "first_name"),
  F ("lastname", "last_name"),
  F ("familyname", "last_name"),
  F ("surname", "last_name"),
  F ("nachname", "last_name"),
  F ("familienname", "last_name"),
  R ("name", ROLE_FULL_NAME),
  R ("fullname", ROLE_FULL_NAME),
  R ("displayname", ROLE_FULL_NAME),
  R ("anzeigename", ROLE_FULL_NAME),
  R ("company", ROLE_ORGANIZATION),
  R ("companyname", ROLE_ORGANIZATION),
  R ("organization", ROLE_ORGANIZATION),
  R ("organisation", ROLE_ORGANIZATION),
  R ("organizationname", ROLE_ORGANIZATION),
  R ("firma", ROLE_ORGANIZATION),
  R ("unternehmen", ROLE_ORGANIZATION),
  R ("employer", ROLE_ORGANIZATION),
  F ("jobtitle", "job_title"),
  F ("position", "job_title"),
  F ("berufsbezeichnung", "job_title"),
  F ("funktion", "job_title"),
  F ("organizationtitle", "job_title"),
  F ("birthday", "birthday"),
  F ("geburtstag", "birthday"),
  F ("birthdate", "birthday"),
  F ("dateofbirth", "birthday"),
  F ("geburtsdatum", "birthday"),
  F ("notes", "notes"),
  F ("note", "notes"),
  F ("notizen", "notes"),
  F ("notiz", "notes"),
  F ("comments", "notes"),
  F ("comment", "notes"),
  F ("bemerkungen", "notes"),
  F ("bemerkung", "notes"),
  R ("categories", ROLE_TAGS),
  R ("kategorien", ROLE_TAGS),
  R ("tags", ROLE_TAGS),
  R ("groupmembership", ROLE_TAGS),
  R ("groups", ROLE_TAGS),
  R ("gruppen", ROLE_TAGS),
  F ("linkedin", "linkedin"),
  F ("linkedinurl", "linkedin"),
  F ("linkedinprofile", "linkedin"),
  F ("xing", "xing"),
  F ("xingprofile", "xing"),
  R ("assistantsphone", ROLE_IGNORE),
  R ("assistentstelefon", ROLE_IGNORE),
  { NULL }
};

#undef F
#undef R
#undef C
#undef A

static char *
normalize_key (const char *header)
{
  g_autofree char *folded = NULL;
  GString *key = g_string_new (NULL);

  if (!g_utf8_validate (header, -1, NULL))
    return g_string_free (key, FALSE);

  folded = g_utf8_casefold (header, -1);
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (key, c);
    }

  return g_string_free (key, FALSE);
}

static const Spec *
find_spec (const Spec *specs,
           const char *key)
{
  for (guint i = 0; specs[i].key; i++)
    if (g_str_equal (specs[i].key, key))
      return &specs[i];
  return NULL;
}

/* "E-mail 1 - Value" → base "email", number 1, part "value". */
static gboolean
parse_numbered (const char  *header,
                char       **base,
                guint       *number,
                char       **part)
{
  const char *dash = strstr (header, " - ");
  const char *end;
  const char *digits;
  g_autofree char *left = NULL;

  if (dash == NULL)
    return FALSE;

  end = dash;
  while (end > header && end[-1] == ' ')
    end--;
  digits = end;
  while (digits > header && g_ascii_isdigit (digits[-1]))
    digits--;
  if (digits == end || digits == header || digits[-1] != ' ')
    return FALSE;

  left = g_strndup (header, digits - header);
  *base = normalize_key (left);
  *number = (guint) g_ascii_strtoull (digits, NULL, 10);
  *part = normalize_key (dash + 3);
  return (*base)[0] != '\0' && (*part)[0] != '\0';
}

static gboolean
classify_numbered (const char *header,
                   Column     *col)
{
  g_autofree char *base = NULL;
  g_autofree char *part = NULL;
  guint n;
  int base_id;

  if (!parse_numbered (header, &base, &n, &part))
    return FALSE;

  if (g_str_equal (base, "email"))
    base_id = 1;
  else if (g_str_equal (base, "phone"))
    base_id = 2;
  else if (g_str_equal (base, "website"))
    base_id = 3;
  else if (g_str_equal (base, "address"))
    base_id = 4;
  else if (g_str_equal (base, "organization"))
    base_id = 5;
  else
    {
      /* relations, IM, events, custom fields: nothing to fill */
      col->role = ROLE_IGNORE;
      return TRUE;
    }

  col->group = 1000 + base_id * 1000 + (int) MIN (n, 999);

  if (g_str_equal (part, "type") || g_str_equal (part, "label"))
    {
      col->role = base_id == 5 ? ROLE_IGNORE : ROLE_TYPE;
      return TRUE;
    }

  switch (base_id)
    {
    case 1:
    case 2:
    case 3:
      if (!g_str_equal (part, "value"))
        col->role = ROLE_IGNORE;
      else
        col->role = base_id == 1 ? ROLE_EMAIL : base_id == 2 ? ROLE_PHONE : ROLE_URL;
      return TRUE;

    case 4:
      col->role = ROLE_ADDRESS;
      if (g_str_equal (part, "street"))
        col->part = KONTOR_ADDR_STREET;
      else if (g_str_equal (part, "extendedaddress"))
        col->part = KONTOR_ADDR_EXTENDED;
      else if (g_str_equal (part, "pobox"))
        col->part = KONTOR_ADDR_POBOX;
      else if (g_str_equal (part, "city"))
        col->part = KONTOR_ADDR_CITY;
      else if (g_str_equal (part, "region"))
        col->part = KONTOR_ADDR_REGION;
      else if (g_str_equal (part, "postalcode"))
        col->part = KONTOR_ADDR_POSTAL;
      else if (g_str_equal (part, "country"))
        col->part = KONTOR_ADDR_COUNTRY;
      else
        col->role = ROLE_IGNORE;   /* "Formatted" repeats the parts */
      return TRUE;

    case 5:
    default:
      if (n == 1 && g_str_equal (part, "name"))
        col->role = ROLE_ORGANIZATION;
      else if (n == 1 && g_str_equal (part, "title"))
        {
          col->role = ROLE_FIELD;
          col->field = g_strdup ("job_title");
        }
      else
        col->role = ROLE_IGNORE;
      return TRUE;
    }
}

static gboolean
key_ends_with_digit (const char *key)
{
  gsize len = strlen (key);

  return len > 0 && g_ascii_isdigit (key[len - 1]) && key[len - 1] != '1';
}

/* The last resort: what the words of a header say. */
static void
classify_words (const char *key,
                Column     *col)
{
  static const char * const ignore[] = {
    "fax", "pager", "displayname", "anzeigename", "assistant", "assistent", "manager",
    "spouse", "partner", "phonetic", "aussprache", "yomi", NULL
  };
  static const char * const email[] = { "email", "mail", NULL };
  static const char * const mobile[] = { "mobile", "mobil", "cell", "handy", NULL };
  static const char * const phone[] = { "phone", "telefon", "nummer", "number", NULL };
  static const char * const postal[] = { "zip", "postal", "plz", "postleitzahl", "postcode", NULL };
  static const char * const street[] = { "street", "strasse", "address", "adresse", "adr", NULL };
  static const char * const city[] = { "city", "stadt", "town", NULL };
  static const char * const country[] = { "country", NULL };
  static const char * const region[] = {
    "state", "region", "bundesland", "province", "kanton", NULL
  };
  static const char * const web[] = {
    "website", "webpage", "homepage", "webseite", "url", "blog", NULL
  };
  gsize len = strlen (key);

  col->role = ROLE_IGNORE;
  if (len == 0 || contains_any (key, ignore) || g_str_has_suffix (key, "type") ||
      g_str_has_suffix (key, "typ"))
    return;

  col->cls = _kontor_slot_class_from_label (key);

  if (contains_any (key, email))
    col->role = ROLE_EMAIL;
  else if (contains_any (key, mobile))
    {
      col->role = ROLE_PHONE;
      col->cls = KONTOR_SLOT_MOBILE;
    }
  else if (contains_any (key, phone))
    col->role = ROLE_PHONE;
  else if (contains_any (key, web))
    col->role = ROLE_URL;
  else
    {
      col->role = ROLE_ADDRESS;
      if (contains_any (key, postal))
        col->part = KONTOR_ADDR_POSTAL;
      else if (contains_any (key, country) || g_str_has_suffix (key, "land"))
        col->part = KONTOR_ADDR_COUNTRY;
      else if (contains_any (key, region))
        col->part = KONTOR_ADDR_REGION;
      else if (contains_any (key, city) || g_str_has_prefix (key, "ort") ||
               g_str_has_suffix (key, "ort"))
        col->part = KONTOR_ADDR_CITY;
      else if (contains_any (key, street))
        col->part = key_ends_with_digit (key) ? KONTOR_ADDR_EXTENDED : KONTOR_ADDR_STREET;
      else
        col->role = ROLE_IGNORE;
    }

  if (col->role == ROLE_ADDRESS)
    col->group = 1 + (int) col->cls;
}

static void
spec_to_column (const Spec *spec,
                Column     *col)
{
  col->role = spec->role;
  col->field = g_strdup (spec->field);
  col->cls = spec->cls;
  col->part = spec->part;
  if (spec->role == ROLE_ADDRESS)
    col->group = 1 + (int) spec->cls;
}

static KontorField *
find_field_by_label (KontorKind *kind,
                     const char *key)
{
  GPtrArray *fields = kontor_kind_get_fields (kind);

  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      g_autofree char *name_key = normalize_key (kontor_field_get_name (f));
      g_autofree char *label_key = normalize_key (kontor_field_get_label (f));

      if (g_str_equal (key, name_key) || g_str_equal (key, label_key))
        return f;
    }

  return NULL;
}

static const Spec *
preset_specs (const char *preset)
{
  if (g_strcmp0 (preset, "google") == 0)
    return google_specs;
  if (g_strcmp0 (preset, "outlook") == 0)
    return outlook_specs;
  if (g_strcmp0 (preset, "thunderbird") == 0)
    return thunderbird_specs;
  if (g_strcmp0 (preset, "linkedin") == 0)
    return linkedin_specs;
  if (g_strcmp0 (preset, "apple") == 0)
    return apple_specs;
  return NULL;
}

static void
classify (KontorKind *kind,
          const char *preset,
          const char *header,
          Column     *col)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (header ? header : ""));
  g_autofree char *key = normalize_key (trimmed);
  const Spec *specs = preset_specs (preset);
  const Spec *spec = NULL;
  KontorField *field;

  memset (col, 0, sizeof *col);

  if (key[0] == '\0')
    return;

  /* Kontor's own export, custom fields included */
  if (kontor_kind_get_field (kind, trimmed) != NULL)
    {
      col->role = ROLE_FIELD;
      col->field = g_strdup (trimmed);
      return;
    }

  if (classify_numbered (trimmed, col))
    return;

  if (specs != NULL && (spec = find_spec (specs, key)) != NULL)
    {
      spec_to_column (spec, col);
      return;
    }

  if ((field = find_field_by_label (kind, key)) != NULL)
    {
      col->role = ROLE_FIELD;
      col->field = g_strdup (kontor_field_get_name (field));
      return;
    }

  if ((spec = find_spec (generic_specs, key)) != NULL)
    {
      spec_to_column (spec, col);
      return;
    }

  classify_words (key, col);
}

typedef struct
{
  const char         *name;
  const char * const *keys;
} Preset;

static const char *
detect_preset (KontorKind         *kind,
               const char * const *header)
{
  static const char * const google[] = {
    "givenname", "familyname", "additionalname", "groupmembership", "yominame",
    "namesuffix", "nameprefix", "givennameyomi", "email1value", "phone1value", "email1label",
    "phone1label", NULL
  };
  static const char * const outlook[] = {
    "businessstreet", "businesscity", "businesspostalcode", "businesscountryregion",
    "businessphone", "mobilephone", "emaildisplayname", "email2address", "homestreet",
    "webpage", "strassegeschäftlich", "ortgeschäftlich", "telefongeschäftlich",
    "emailadresse", "email2adresse", "postleitzahlgeschäftlich", NULL
  };
  static const char * const thunderbird[] = {
    "primaryemail", "secondaryemail", "birthyear", "birthmonth", "webpage1", "webpage2",
    "homezipcode", "workzipcode", "mobilenumber", "screenname", "faxnumber", "pagernumber",
    NULL
  };
  static const char * const apple[] = {
    "arbeitsadressestrasse", "arbeitsadressestadt", "privatadressestrasse",
    "ausspracheformvorname", "ausspracheformnachname", "arbeitemail", "privatemail",
    "andereemail", "arbeittelefon", "privattelefon", "hauptnummer", "phoneticfirstname",
    "phoneticlastname", "workemail", "homeemail", NULL
  };
  static const char * const linkedin[] = {
    "connectedon", "connectedon", "connectedon", "connectedon", "position", "url", NULL
  };
  static const Preset presets[] = {
    { "google", google },
    { "outlook", outlook },
    { "thunderbird", thunderbird },
    { "apple", apple },
    { "linkedin", linkedin },
  };
  const char *best = NULL;
  guint best_score = 0;
  guint n_fields = 0;
  guint n_nonempty = 0;

  for (guint i = 0; header[i]; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (header[i]));

      if (trimmed[0] == '\0')
        continue;
      n_nonempty++;
      if (kontor_kind_get_field (kind, trimmed) != NULL)
        n_fields++;
    }

  if (n_fields >= 2 && n_fields == n_nonempty)
    return "kontor";

  for (guint p = 0; p < G_N_ELEMENTS (presets); p++)
    {
      guint score = 0;

      for (guint i = 0; header[i]; i++)
        {
          g_autofree char *key = normalize_key (header[i]);

          for (guint k = 0; presets[p].keys[k]; k++)
            if (g_str_equal (key, presets[p].keys[k]))
              score++;
        }

      if (score > best_score)
        {
          best = presets[p].name;
          best_score = score;
        }
    }

  return best;
}

KontorImportMapping *
kontor_import_mapping_detect (KontorKind         *kind,
                              const char * const *header)
{
  KontorImportMapping *self;
  const char *preset;
  gboolean is_org_kind;
  KontorField *org_field;

  g_return_val_if_fail (KONTOR_IS_KIND (kind), NULL);
  g_return_val_if_fail (header != NULL, NULL);

  self = kontor_import_mapping_new ();
  preset = detect_preset (kind, header);
  self->preset = g_strdup (preset);

  is_org_kind = g_str_equal (kontor_kind_get_name (kind), "organization");
  org_field = kontor_kind_get_field (kind, "organization");

  for (guint i = 0; header[i]; i++)
    {
      Column *col = column_at (self, i);

      classify (kind, preset, header[i], col);

      /* the same role means different fields in different kinds */
      if (col->role == ROLE_ORGANIZATION && is_org_kind)
        {
          col->role = ROLE_FIELD;
          col->field = g_strdup ("name");
        }
      else if (col->role == ROLE_ORGANIZATION && org_field == NULL)
        col->role = ROLE_IGNORE;
      else if (col->role == ROLE_FULL_NAME && kontor_kind_get_field (kind, "last_name") == NULL)
        col->role = ROLE_IGNORE;
      else if ((col->role == ROLE_BIRTH_YEAR || col->role == ROLE_BIRTH_MONTH ||
                col->role == ROLE_BIRTH_DAY) && kontor_kind_get_field (kind, "birthday") == NULL)
        col->role = ROLE_IGNORE;
      else if (col->role == ROLE_TAGS && kontor_kind_get_field (kind, "tags") == NULL)
        col->role = ROLE_IGNORE;
      else if (col->role == ROLE_FIELD && kontor_kind_get_field (kind, col->field) == NULL)
        {
          g_clear_pointer (&col->field, g_free);
          col->role = ROLE_IGNORE;
        }
    }

  return self;
}

/* ---------------------------------------------------------------------- */
/* Applying                                                               */

static void
add_split (KontorSlots     *slots,
           Role             role,
           KontorSlotClass  cls,
           const char      *text,
           const char      *source)
{
  /* Google keeps several values in one cell, separated by " ::: " */
  g_auto(GStrv) parts = g_strsplit (text, " ::: ", -1);

  for (guint i = 0; parts[i]; i++)
    {
      if (role == ROLE_EMAIL)
        _kontor_slots_add_email (slots, cls, parts[i], source);
      else if (role == ROLE_PHONE)
        _kontor_slots_add_phone (slots, cls, parts[i], source);
      else
        _kontor_slots_add_url (slots, cls, parts[i], source);
    }
}

static void
add_tags (JsonObject *values,
          const char *text)
{
  g_auto(GStrv) groups = g_strsplit (text, " ::: ", -1);

  for (guint i = 0; groups[i]; i++)
    {
      const char *g = g_strstrip (groups[i]);
      g_auto(GStrv) tags = NULL;

      /* Google marks its own groups with "* "; "My Contacts" is every
       * contact, no tag */
      if (g_str_has_prefix (g, "* "))
        g += 2;
      if (g_str_equal (g, "My Contacts"))
        continue;

      tags = g_strsplit_set (g, ",;", -1);
      for (guint k = 0; tags[k]; k++)
        _kontor_values_add_tag (values, tags[k]);
    }
}

JsonObject *
kontor_import_mapping_apply (KontorImportMapping *self,
                             KontorKind          *kind,
                             const char * const  *row,
                             const char * const  *header,
                             guint                line,
                             GPtrArray           *problems)
{
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(KontorSlots) slots = _kontor_slots_new (kind);
  g_autoptr(GHashTable) group_class = g_hash_table_new (NULL, NULL);
  guint n_row = g_strv_length ((GStrv) row);
  guint n_header = header ? g_strv_length ((GStrv) header) : 0;
  const char *full_name = NULL;
  char *birth[3] = { NULL, NULL, NULL };
  g_autofree char *birth_source = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row != NULL, NULL);

  for (guint i = 0; i < self->columns->len && i < n_row; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);

      if (c->role == ROLE_TYPE && row[i][0] != '\0')
        g_hash_table_insert (group_class, GINT_TO_POINTER (c->group),
                             GINT_TO_POINTER (_kontor_slot_class_from_label (row[i]) + 1));
    }

  for (guint i = 0; i < self->columns->len && i < n_row; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);
      const char *text = row[i];
      g_autofree char *trimmed = g_strstrip (g_strdup (text));
      g_autofree char *fallback_source = NULL;
      const char *source;
      KontorSlotClass cls = c->cls;
      gpointer typed;

      if (trimmed[0] == '\0' || c->role == ROLE_IGNORE || c->role == ROLE_TYPE)
        continue;

      if (i < n_header && header[i][0] != '\0')
        source = header[i];
      else
        source = fallback_source = g_strdup_printf (_("column %u"), i + 1);

      if (c->group > 0 && (typed = g_hash_table_lookup (group_class, GINT_TO_POINTER (c->group))))
        cls = GPOINTER_TO_INT (typed) - 1;

      switch (c->role)
        {
        case ROLE_FIELD:
          _kontor_values_offer (values, c->field, text, source, line, problems);
          break;
        case ROLE_FULL_NAME:
          if (full_name == NULL)
            full_name = text;
          break;
        case ROLE_ORGANIZATION:
          _kontor_values_offer (values, "_organization", trimmed, source, line, problems);
          break;
        case ROLE_EMAIL:
        case ROLE_PHONE:
        case ROLE_URL:
          add_split (slots, c->role, cls, text, source);
          break;
        case ROLE_ADDRESS:
          _kontor_slots_add_address (slots, c->group, cls, c->part, text, source);
          break;
        case ROLE_BIRTH_YEAR:
        case ROLE_BIRTH_MONTH:
        case ROLE_BIRTH_DAY:
          g_free (birth[c->role - ROLE_BIRTH_YEAR]);
          birth[c->role - ROLE_BIRTH_YEAR] = g_strdup (trimmed);
          g_free (birth_source);
          birth_source = g_strdup (source);
          break;
        case ROLE_TAGS:
          add_tags (values, text);
          break;
        case ROLE_TYPE:
        case ROLE_IGNORE:
        default:
          break;
        }
    }

  if (full_name != NULL)
    _kontor_values_apply_full_name (values, full_name);

  if (birth[0] || birth[1] || birth[2])
    {
      if (birth[0] && birth[1] && birth[2])
        {
          g_autofree char *date = g_strdup_printf ("%s-%s%s-%s%s", birth[0],
                                                   strlen (birth[1]) == 1 ? "0" : "", birth[1],
                                                   strlen (birth[2]) == 1 ? "0" : "", birth[2]);
          _kontor_values_offer (values, "birthday", date, birth_source, line, problems);
        }
      else
        g_ptr_array_add (problems,
                         kontor_import_problem_new (line, "birthday",
                                                    _("a birthday without year, month or day "
                                                      "was not imported"), FALSE));
    }

  for (guint i = 0; i < G_N_ELEMENTS (birth); i++)
    g_free (birth[i]);

  _kontor_slots_finish (slots, values, line, problems);

  return g_steal_pointer (&values);
}
