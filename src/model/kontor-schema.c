/* kontor-schema.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-model"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-schema.h"

struct _KontorSchema
{
  GObject     parent_instance;
  GPtrArray  *kinds;   /* KontorKind, display order */
  GHashTable *by_name; /* borrowed */
};

G_DEFINE_FINAL_TYPE (KontorSchema, kontor_schema, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define REQ KONTOR_FIELD_FLAG_REQUIRED
#define IDX KONTOR_FIELD_FLAG_INDEXED
#define SRCH KONTOR_FIELD_FLAG_SEARCHABLE
#define TITLE KONTOR_FIELD_FLAG_TITLE

typedef struct
{
  const char      *name;
  const char      *label;
  KontorFieldType  type;
  KontorFieldFlags flags;
  const char      *extra;   /* choices or reference kinds, '|'-separated */
} FieldSpec;

typedef struct
{
  const char      *name;
  const char      *label;
  const char      *plural;
  const FieldSpec *fields;
} KindSpec;

#define ADDRESS_FIELDS \
  { "street", N_("Street"), KONTOR_FIELD_TEXT, SRCH, NULL }, \
  { "postal_code", N_("Postal code"), KONTOR_FIELD_TEXT, IDX, NULL }, \
  { "city", N_("City"), KONTOR_FIELD_TEXT, IDX | SRCH, NULL }, \
  { "region", N_("Region"), KONTOR_FIELD_TEXT, IDX, NULL }, \
  { "country", N_("Country"), KONTOR_FIELD_TEXT, IDX, NULL }

static const FieldSpec organization_fields[] = {
  { "name", N_("Name"), KONTOR_FIELD_TEXT, REQ | IDX | SRCH | TITLE, NULL },
  { "industry", N_("Industry"), KONTOR_FIELD_TEXT, IDX | SRCH, NULL },
  { "website", N_("Website"), KONTOR_FIELD_URL, SRCH, NULL },
  { "email", N_("E-mail"), KONTOR_FIELD_EMAIL, SRCH, NULL },
  { "phone", N_("Phone"), KONTOR_FIELD_PHONE, SRCH, NULL },
  ADDRESS_FIELDS,
  { "employees", N_("Employees"), KONTOR_FIELD_INTEGER, IDX, NULL },
  { "annual_revenue", N_("Annual revenue"), KONTOR_FIELD_MONEY, IDX, NULL },
  { "year_established", N_("Year established"), KONTOR_FIELD_INTEGER, 0, NULL },
  { "parent", N_("Parent organization"), KONTOR_FIELD_REFERENCE, 0, "organization" },
  { "owner", N_("Owner"), KONTOR_FIELD_REFERENCE, IDX, "user" },
  { "notes", N_("Notes"), KONTOR_FIELD_LONG_TEXT, SRCH, NULL },
  { NULL }
};

static const FieldSpec contact_fields[] = {
  { "first_name", N_("First name"), KONTOR_FIELD_TEXT, IDX | SRCH | TITLE, NULL },
  { "last_name", N_("Last name"), KONTOR_FIELD_TEXT, REQ | IDX | SRCH | TITLE, NULL },
  { "organization", N_("Organization"), KONTOR_FIELD_REFERENCE, IDX, "organization" },
  { "job_title", N_("Job title"), KONTOR_FIELD_TEXT, SRCH, NULL },
  { "email", N_("E-mail"), KONTOR_FIELD_EMAIL, IDX | SRCH, NULL },
  { "email_private", N_("Private e-mail"), KONTOR_FIELD_EMAIL, SRCH, NULL },
  { "phone", N_("Phone"), KONTOR_FIELD_PHONE, SRCH, NULL },
  { "mobile", N_("Mobile"), KONTOR_FIELD_PHONE, SRCH, NULL },
  { "website", N_("Website"), KONTOR_FIELD_URL, 0, NULL },
  { "linkedin", N_("LinkedIn"), KONTOR_FIELD_URL, 0, NULL },
  { "xing", N_("XING"), KONTOR_FIELD_URL, 0, NULL },
  ADDRESS_FIELDS,
  { "birthday", N_("Birthday"), KONTOR_FIELD_DATE, 0, NULL },
  { "lifecycle", N_("Lifecycle stage"), KONTOR_FIELD_CHOICE, IDX,
    "subscriber|lead|opportunity|customer|evangelist|other" },
  { "score", N_("Score"), KONTOR_FIELD_INTEGER, IDX, NULL },
  { "tags", N_("Tags"), KONTOR_FIELD_MULTI_CHOICE, 0, NULL },
  { "owner", N_("Owner"), KONTOR_FIELD_REFERENCE, IDX, "user" },
  { "photo", N_("Photo"), KONTOR_FIELD_BLOB, 0, NULL },
  { "notes", N_("Notes"), KONTOR_FIELD_LONG_TEXT, SRCH, NULL },
  { NULL }
};

static const FieldSpec lead_fields[] = {
  { "title", N_("Title"), KONTOR_FIELD_TEXT, REQ | IDX | SRCH | TITLE, NULL },
  { "first_name", N_("First name"), KONTOR_FIELD_TEXT, SRCH, NULL },
  { "last_name", N_("Last name"), KONTOR_FIELD_TEXT, IDX | SRCH, NULL },
  { "company", N_("Company"), KONTOR_FIELD_TEXT, IDX | SRCH, NULL },
  { "email", N_("E-mail"), KONTOR_FIELD_EMAIL, SRCH, NULL },
  { "phone", N_("Phone"), KONTOR_FIELD_PHONE, SRCH, NULL },
  { "source", N_("Source"), KONTOR_FIELD_CHOICE, IDX,
    "website|social_media|email|event|referral|cold_call|partner|other" },
  { "status", N_("Status"), KONTOR_FIELD_CHOICE, IDX,
    "new|contacted|qualified|disqualified|converted" },
  { "score", N_("Score"), KONTOR_FIELD_INTEGER, IDX, NULL },
  { "region", N_("Region"), KONTOR_FIELD_TEXT, IDX, NULL },
  { "estimated_value", N_("Estimated value"), KONTOR_FIELD_MONEY, IDX, NULL },
  { "contact", N_("Contact"), KONTOR_FIELD_REFERENCE, 0, "contact" },
  { "organization", N_("Organization"), KONTOR_FIELD_REFERENCE, 0, "organization" },
  { "owner", N_("Owner"), KONTOR_FIELD_REFERENCE, IDX, "user" },
  { "notes", N_("Notes"), KONTOR_FIELD_LONG_TEXT, SRCH, NULL },
  { NULL }
};

static const FieldSpec deal_fields[] = {
  { "title", N_("Title"), KONTOR_FIELD_TEXT, REQ | IDX | SRCH | TITLE, NULL },
  { "pipeline", N_("Pipeline"), KONTOR_FIELD_REFERENCE, REQ | IDX, "pipeline" },
  { "stage", N_("Stage"), KONTOR_FIELD_REFERENCE, REQ | IDX, "stage" },
  { "status", N_("Status"), KONTOR_FIELD_CHOICE, IDX, "open|won|lost" },
  { "value", N_("Value"), KONTOR_FIELD_MONEY, IDX, NULL },
  { "probability", N_("Probability (%)"), KONTOR_FIELD_INTEGER, 0, NULL },
  { "close_date", N_("Expected close date"), KONTOR_FIELD_DATE, IDX, NULL },
  { "engaged_date", N_("Engaged on"), KONTOR_FIELD_DATE, 0, NULL },
  { "organization", N_("Organization"), KONTOR_FIELD_REFERENCE, IDX, "organization" },
  { "contact", N_("Contact"), KONTOR_FIELD_REFERENCE, IDX, "contact" },
  { "lead", N_("Lead"), KONTOR_FIELD_REFERENCE, 0, "lead" },
  { "product", N_("Product"), KONTOR_FIELD_REFERENCE, IDX, "product" },
  { "owner", N_("Owner"), KONTOR_FIELD_REFERENCE, IDX, "user" },
  { "region", N_("Region"), KONTOR_FIELD_TEXT, IDX, NULL },
  { "notes", N_("Notes"), KONTOR_FIELD_LONG_TEXT, SRCH, NULL },
  { NULL }
};

static const FieldSpec pipeline_fields[] = {
  { "name", N_("Name"), KONTOR_FIELD_TEXT, REQ | IDX | SRCH | TITLE, NULL },
  { "position", N_("Position"), KONTOR_FIELD_INTEGER, IDX, NULL },
  { "currency", N_("Currency"), KONTOR_FIELD_TEXT, 0, NULL },
  { NULL }
};

static const FieldSpec stage_fields[] = {
  { "name", N_("Name"), KONTOR_FIELD_TEXT, REQ | IDX | SRCH | TITLE, NULL },
  { "pipeline", N_("Pipeline"), KONTOR_FIELD_REFERENCE, REQ | IDX, "pipeline" },
  { "position", N_("Position"), KONTOR_FIELD_INTEGER, IDX, NULL },
  { "probability", N_("Probability (%)"), KONTOR_FIELD_INTEGER, 0, NULL },
  { "outcome", N_("Outcome"), KONTOR_FIELD_CHOICE, 0, "open|won|lost" },
  { NULL }
};

static const FieldSpec activity_fields[] = {
  { "type", N_("Type"), KONTOR_FIELD_CHOICE, REQ | IDX, "task|call|meeting|note" },
  { "subject", N_("Subject"), KONTOR_FIELD_TEXT, REQ | IDX | SRCH | TITLE, NULL },
  { "due", N_("Due"), KONTOR_FIELD_DATETIME, IDX, NULL },
  { "start", N_("Start"), KONTOR_FIELD_DATETIME, IDX, NULL },
  { "end", N_("End"), KONTOR_FIELD_DATETIME, 0, NULL },
  { "all_day", N_("All day"), KONTOR_FIELD_BOOLEAN, 0, NULL },
  { "done", N_("Done"), KONTOR_FIELD_BOOLEAN, IDX, NULL },
  { "location", N_("Location"), KONTOR_FIELD_TEXT, SRCH, NULL },
  { "contact", N_("Contact"), KONTOR_FIELD_REFERENCE, IDX, "contact" },
  { "organization", N_("Organization"), KONTOR_FIELD_REFERENCE, IDX, "organization" },
  { "deal", N_("Deal"), KONTOR_FIELD_REFERENCE, IDX, "deal" },
  { "lead", N_("Lead"), KONTOR_FIELD_REFERENCE, IDX, "lead" },
  { "owner", N_("Owner"), KONTOR_FIELD_REFERENCE, IDX, "user" },
  { "body", N_("Description"), KONTOR_FIELD_LONG_TEXT, SRCH, NULL },
  { NULL }
};

/* A spoken note (issue 6): the audio is an Ogg/Opus file stored by content
 * hash (blob), linked like an activity to what it is about. */
static const FieldSpec voice_note_fields[] = {
  { "title", N_("Title"), KONTOR_FIELD_TEXT, IDX | SRCH | TITLE, NULL },
  { "recorded_at", N_("Recorded"), KONTOR_FIELD_DATETIME, REQ | IDX, NULL },
  { "duration_ms", N_("Duration (ms)"), KONTOR_FIELD_INTEGER, 0, NULL },
  { "audio", N_("Audio"), KONTOR_FIELD_BLOB, REQ, NULL },
  { "contact", N_("Contact"), KONTOR_FIELD_REFERENCE, IDX, "contact" },
  { "organization", N_("Organization"), KONTOR_FIELD_REFERENCE, IDX, "organization" },
  { "deal", N_("Deal"), KONTOR_FIELD_REFERENCE, IDX, "deal" },
  { "lead", N_("Lead"), KONTOR_FIELD_REFERENCE, IDX, "lead" },
  { "activity", N_("Activity"), KONTOR_FIELD_REFERENCE, IDX, "activity" },
  { "owner", N_("Recorded by"), KONTOR_FIELD_REFERENCE, IDX, "user" },
  { "transcript", N_("Transcript"), KONTOR_FIELD_LONG_TEXT, SRCH, NULL },
  { NULL }
};

static const FieldSpec product_fields[] = {
  { "name", N_("Name"), KONTOR_FIELD_TEXT, REQ | IDX | SRCH | TITLE, NULL },
  { "code", N_("Product code"), KONTOR_FIELD_TEXT, IDX | SRCH, NULL },
  { "series", N_("Series"), KONTOR_FIELD_TEXT, IDX, NULL },
  { "price", N_("Price"), KONTOR_FIELD_MONEY, IDX, NULL },
  { "description", N_("Description"), KONTOR_FIELD_LONG_TEXT, SRCH, NULL },
  { NULL }
};

static const FieldSpec user_fields[] = {
  { "name", N_("Name"), KONTOR_FIELD_TEXT, REQ | IDX | SRCH | TITLE, NULL },
  { "email", N_("E-mail"), KONTOR_FIELD_EMAIL, SRCH, NULL },
  { "role", N_("Role"), KONTOR_FIELD_CHOICE, IDX, "rep|manager|admin|marketing|service" },
  { "team", N_("Team"), KONTOR_FIELD_REFERENCE, IDX, "team" },
  { "manager", N_("Manager"), KONTOR_FIELD_REFERENCE, IDX, "user" },
  { "region", N_("Region"), KONTOR_FIELD_TEXT, IDX, NULL },
  { "phone", N_("Phone"), KONTOR_FIELD_PHONE, 0, NULL },
  { NULL }
};

static const FieldSpec team_fields[] = {
  { "name", N_("Name"), KONTOR_FIELD_TEXT, REQ | IDX | SRCH | TITLE, NULL },
  { "region", N_("Region"), KONTOR_FIELD_TEXT, IDX, NULL },
  { "manager", N_("Manager"), KONTOR_FIELD_REFERENCE, 0, "user" },
  { NULL }
};

static const FieldSpec custom_field_fields[] = {
  { "kind", N_("Kind"), KONTOR_FIELD_TEXT, REQ | IDX, NULL },
  { "name", N_("Name"), KONTOR_FIELD_TEXT, REQ | IDX | TITLE, NULL },
  { "label", N_("Label"), KONTOR_FIELD_TEXT, REQ, NULL },
  { "type", N_("Type"), KONTOR_FIELD_CHOICE, REQ,
    "text|long_text|integer|decimal|money|boolean|date|datetime|choice|multi_choice|"
    "reference|email|phone|url" },
  { "choices", N_("Choices"), KONTOR_FIELD_MULTI_CHOICE, 0, NULL },
  { "ref_kinds", N_("Refers to"), KONTOR_FIELD_MULTI_CHOICE, 0, NULL },
  { "required", N_("Required"), KONTOR_FIELD_BOOLEAN, 0, NULL },
  { NULL }
};

/* One merge of two records (duplicates, K2): what both looked like
 * before, which references moved, so that it can be undone. A kind of its
 * own so the history syncs like any data; see src/insights/kontor-merge.h. */
static const FieldSpec merge_history_fields[] = {
  { "survivor", N_("Kept record"), KONTOR_FIELD_REFERENCE, REQ | IDX, NULL },
  { "merged", N_("Merged record"), KONTOR_FIELD_REFERENCE, REQ | IDX, NULL },
  { "before_survivor", N_("Kept record before the merge"), KONTOR_FIELD_LONG_TEXT, 0, NULL },
  { "before_other", N_("Merged record before the merge"), KONTOR_FIELD_LONG_TEXT, 0, NULL },
  { "moved_links", N_("Moved references"), KONTOR_FIELD_LONG_TEXT, 0, NULL },
  { "undone", N_("Undone"), KONTOR_FIELD_BOOLEAN, IDX, NULL },
  { NULL }
};

static const KindSpec builtin_kinds[] = {
  { "contact", N_("Contact"), N_("Contacts"), contact_fields },
  { "organization", N_("Organization"), N_("Organizations"), organization_fields },
  { "lead", N_("Lead"), N_("Leads"), lead_fields },
  { "deal", N_("Deal"), N_("Deals"), deal_fields },
  { "activity", N_("Activity"), N_("Activities"), activity_fields },
  { "voice_note", N_("Voice note"), N_("Voice notes"), voice_note_fields },
  { "pipeline", N_("Pipeline"), N_("Pipelines"), pipeline_fields },
  { "stage", N_("Stage"), N_("Stages"), stage_fields },
  { "product", N_("Product"), N_("Products"), product_fields },
  { "user", N_("Sales rep"), N_("Sales reps"), user_fields },
  { "team", N_("Team"), N_("Teams"), team_fields },
  { KONTOR_KIND_CUSTOM_FIELD, N_("Custom field"), N_("Custom fields"), custom_field_fields },
  { "merge_history", N_("Merge"), N_("Merge history"), merge_history_fields },
};

static void
kontor_schema_finalize (GObject *object)
{
  KontorSchema *self = (KontorSchema *) object;

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->kinds, g_ptr_array_unref);

  G_OBJECT_CLASS (kontor_schema_parent_class)->finalize (object);
}

static void
kontor_schema_class_init (KontorSchemaClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kontor_schema_finalize;

  /* Emitted with the kind's name when its fields changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static KontorField *
field_from_spec (const FieldSpec *spec)
{
  KontorField *field = kontor_field_new (spec->name, spec->label, spec->type, spec->flags);

  if (spec->extra != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (spec->extra, "|", -1);

      if (spec->type == KONTOR_FIELD_REFERENCE)
        kontor_field_set_ref_kinds (field, (const char * const *) parts);
      else
        kontor_field_set_choices (field, (const char * const *) parts);
    }

  return field;
}

static void
kontor_schema_init (KontorSchema *self)
{
  self->kinds = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (builtin_kinds); i++)
    {
      const KindSpec *ks = &builtin_kinds[i];
      KontorKind *kind = kontor_kind_new (ks->name, ks->label, ks->plural);

      for (const FieldSpec *fs = ks->fields; fs->name; fs++)
        {
          g_autoptr(KontorField) field = field_from_spec (fs);
          kontor_kind_add_field (kind, field);
        }

      g_ptr_array_add (self->kinds, kind);
      g_hash_table_insert (self->by_name, (gpointer) kontor_kind_get_name (kind), kind);
    }
}

KontorSchema *
kontor_schema_new (void)
{
  return g_object_new (KONTOR_TYPE_SCHEMA, NULL);
}

KontorKind *
kontor_schema_get_kind (KontorSchema *self,
                        const char   *name)
{
  g_return_val_if_fail (KONTOR_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->by_name, name);
}

KontorKind *
kontor_schema_require_kind (KontorSchema  *self,
                            const char    *name,
                            GError       **error)
{
  KontorKind *kind = kontor_schema_get_kind (self, name);

  if (kind == NULL)
    g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_KIND,
                 _("Unknown kind “%s”"), name);

  return kind;
}

GPtrArray *
kontor_schema_list_kinds (KontorSchema *self)
{
  g_return_val_if_fail (KONTOR_IS_SCHEMA (self), NULL);

  return self->kinds;
}

static KontorField *
find_by_definition (KontorSchema  *self,
                    const char    *definition_id,
                    KontorKind   **kind_out)
{
  for (guint i = 0; i < self->kinds->len; i++)
    {
      KontorKind *kind = g_ptr_array_index (self->kinds, i);
      GPtrArray *fields = kontor_kind_get_fields (kind);

      for (guint j = 0; j < fields->len; j++)
        {
          KontorField *f = g_ptr_array_index (fields, j);
          const char *def = kontor_field_get_definition_id (f);

          if (def != NULL && g_str_equal (def, definition_id))
            {
              *kind_out = kind;
              return f;
            }
        }
    }

  return NULL;
}

static GStrv
strv_member (JsonObject *obj,
             const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (e));
    }

  return g_strv_builder_end (builder);
}

KontorField *
kontor_schema_apply_definition (KontorSchema  *self,
                                const char    *definition_id,
                                JsonObject    *definition,
                                GError       **error)
{
  const char *kind_name;
  const char *name;
  const char *label;
  const char *type_name;
  KontorFieldType type;
  KontorKind *kind;
  KontorKind *old_kind = NULL;
  KontorField *existing;
  KontorField *old;
  KontorFieldFlags flags = KONTOR_FIELD_FLAG_CUSTOM | KONTOR_FIELD_FLAG_INDEXED;
  g_autoptr(KontorField) field = NULL;
  g_auto(GStrv) choices = NULL;
  g_auto(GStrv) ref_kinds = NULL;

  g_return_val_if_fail (KONTOR_IS_SCHEMA (self), NULL);
  g_return_val_if_fail (definition_id != NULL, NULL);
  g_return_val_if_fail (definition != NULL, NULL);

  kind_name = json_object_get_string_member_with_default (definition, "kind", "");
  name = json_object_get_string_member_with_default (definition, "name", "");
  label = json_object_get_string_member_with_default (definition, "label", name);
  type_name = json_object_get_string_member_with_default (definition, "type", "text");

  kind = kontor_schema_require_kind (self, kind_name, error);
  if (kind == NULL)
    return NULL;

  if (g_str_equal (kind_name, KONTOR_KIND_CUSTOM_FIELD))
    {
      g_set_error_literal (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                           _("Custom fields cannot be added to custom field definitions"));
      return NULL;
    }

  if (!kontor_field_name_is_valid (name))
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                   _("“%s” is not a valid field name: use a–z, 0–9 and _, starting "
                     "with a letter"), name);
      return NULL;
    }

  if (!kontor_field_type_from_string (type_name, &type) || type == KONTOR_FIELD_BLOB)
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                   _("“%s” is not a field type"), type_name);
      return NULL;
    }

  existing = kontor_kind_get_field (kind, name);
  if (existing != NULL &&
      g_strcmp0 (kontor_field_get_definition_id (existing), definition_id) != 0)
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_EXISTS,
                   _("A %s already has a field “%s”"), kind_name, name);
      return NULL;
    }

  choices = strv_member (definition, "choices");
  ref_kinds = strv_member (definition, "ref_kinds");

  if (type == KONTOR_FIELD_REFERENCE && ref_kinds != NULL)
    {
      for (guint i = 0; ref_kinds[i]; i++)
        if (kontor_schema_require_kind (self, ref_kinds[i], error) == NULL)
          return NULL;
    }

  if (json_object_get_boolean_member_with_default (definition, "required", FALSE))
    flags |= KONTOR_FIELD_FLAG_REQUIRED;
  if (type == KONTOR_FIELD_TEXT || type == KONTOR_FIELD_LONG_TEXT ||
      type == KONTOR_FIELD_EMAIL || type == KONTOR_FIELD_PHONE)
    flags |= KONTOR_FIELD_FLAG_SEARCHABLE;
  if (type == KONTOR_FIELD_LONG_TEXT || type == KONTOR_FIELD_MULTI_CHOICE)
    flags &= ~KONTOR_FIELD_FLAG_INDEXED;

  field = kontor_field_new (name, label, type, flags);
  kontor_field_set_definition_id (field, definition_id);
  if (type == KONTOR_FIELD_CHOICE || type == KONTOR_FIELD_MULTI_CHOICE)
    kontor_field_set_choices (field, (const char * const *) choices);
  if (type == KONTOR_FIELD_REFERENCE)
    kontor_field_set_ref_kinds (field, (const char * const *) ref_kinds);

  /* a redefinition may rename the field or move it to another kind */
  old = find_by_definition (self, definition_id, &old_kind);
  if (old != NULL)
    kontor_kind_remove_field (old_kind, kontor_field_get_name (old));

  kontor_kind_add_field (kind, field);

  if (old_kind != NULL && old_kind != kind)
    g_signal_emit (self, signals[CHANGED], 0, kontor_kind_get_name (old_kind));
  g_signal_emit (self, signals[CHANGED], 0, kind_name);

  return field;
}

gboolean
kontor_schema_remove_definition (KontorSchema *self,
                                 const char   *definition_id)
{
  KontorKind *kind = NULL;
  KontorField *field;
  g_autofree char *kind_name = NULL;

  g_return_val_if_fail (KONTOR_IS_SCHEMA (self), FALSE);

  field = find_by_definition (self, definition_id, &kind);
  if (field == NULL)
    return FALSE;

  kind_name = g_strdup (kontor_kind_get_name (kind));
  kontor_kind_remove_field (kind, kontor_field_get_name (field));
  g_signal_emit (self, signals[CHANGED], 0, kind_name);

  return TRUE;
}
