/* kontor-duplicates.c
 *
 * How a pair is scored. Every piece of evidence adds a weight to the
 * log-odds that two records are one (as in the Fellegi-Sunter model of
 * record linkage), starting from a prior of -2 (most pairs that share a
 * blocking key are different people), and the score is the logistic
 * function of the sum:
 *
 *   same e-mail (normalised)            +5
 *   same phone (E.164)                  +3 (a switchboard is shared)
 *   same website host (organizations)   +3
 *   same organization (contacts)        +1.5
 *   last name, similarity s             12 (s - 0.83), within -4..+2
 *   first name, if both have one        10 (s - 0.85), within -3..+1.5;
 *                                       initials ("A." and "Anna") +0.5
 *   organization name                   25 (s - 0.85), within -4..+3.5
 *
 * where s is kontor_name_key_similarity(): Jaro-Winkler of the folded or
 * transliterated names, halfway closer to 1 for the same Kölner Phonetik
 * code. So the same full name alone gives 0.82, and a phonetic variant
 * ("Hans Meier", "Hans Meyer") 0.71; with the same phone 0.98, with the
 * same e-mail near 1; a shared e-mail or phone under clearly different
 * names stays low (an info@ address, a switchboard). Contact names are
 * also compared with first and last name swapped (imports that mixed the
 * columns up); organization names without their legal form ("Müller GmbH
 * & Co. KG" is "Müller").
 *
 * How a scan scales. Only records sharing a blocking key are compared:
 * the normalised e-mails, the phones, the website host, the Kölner
 * Phonetik code of the last name (organization: name) and its first three
 * transliterated letters. A block larger than MAX_BLOCK is split by the
 * first letter of the first name (name keys) or the phonetic code of the
 * last name (e-mail, phone and website keys); one still too large is
 * compared as a sorted neighbourhood (each record with the next WINDOW
 * records by name). A pair in several blocks is scored only in the first
 * block that compares it, so no set of seen pairs is kept.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-insights"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "kontor-duplicates.h"
#include "kontor-fold.h"
#include "kontor-phonetic.h"

#define PAGE_SIZE        500
#define MAX_BLOCK        200
#define WINDOW           50
#define CHECK_KEY_MAX    20
#define CHECK_NEIGHBOURS 10
#define CHECK_ORG_MAX    200

#define W_PRIOR          (-2.0)
#define W_EMAIL          5.0
#define W_PHONE          3.0
#define W_WEBSITE        3.0
#define W_SAME_ORG       1.5
#define W_LAST_PIVOT     0.83
#define W_LAST_SCALE     12.0
#define W_LAST_MIN       (-4.0)
#define W_LAST_MAX       2.0
#define W_FIRST_PIVOT    0.85
#define W_FIRST_SCALE    10.0
#define W_FIRST_MIN      (-3.0)
#define W_FIRST_MAX      1.5
#define W_INITIAL        0.5
#define W_ORG_PIVOT      0.85
#define W_ORG_SCALE      25.0
#define W_ORG_MIN        (-4.0)
#define W_ORG_MAX        3.5
#define NAME_REASON_MIN  1.0

G_DEFINE_BOXED_TYPE (KontorDuplicateCandidate, kontor_duplicate_candidate,
                     kontor_duplicate_candidate_copy, kontor_duplicate_candidate_free)

KontorDuplicateCandidate *
kontor_duplicate_candidate_copy (const KontorDuplicateCandidate *self)
{
  KontorDuplicateCandidate *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (KontorDuplicateCandidate, 1);
  copy->id_a = g_strdup (self->id_a);
  copy->id_b = g_strdup (self->id_b);
  copy->score = self->score;
  copy->flags = self->flags;
  copy->reasons = g_strdupv (self->reasons);

  return copy;
}

void
kontor_duplicate_candidate_free (KontorDuplicateCandidate *self)
{
  if (self == NULL)
    return;

  g_free (self->id_a);
  g_free (self->id_b);
  g_strfreev (self->reasons);
  g_free (self);
}

/* ---------------------------------------------------------------------- */
/* What is compared, per kind                                             */

typedef struct
{
  const char         *kind;
  const char         *name_field;
  const char         *first_name_field;
  const char * const *email_fields;
  const char * const *phone_fields;
  const char         *organization_field;
  const char         *website_field;
  gboolean            strip_legal_form;
} Profile;

static const char * const contact_emails[] = { "email", "email_private", NULL };
static const char * const contact_phones[] = { "phone", "mobile", NULL };
static const char * const organization_emails[] = { "email", NULL };
static const char * const organization_phones[] = { "phone", NULL };

static const Profile profiles[] = {
  { "contact", "last_name", "first_name", contact_emails, contact_phones,
    "organization", NULL, FALSE },
  { "organization", "name", NULL, organization_emails, organization_phones,
    NULL, "website", TRUE },
};

static const Profile *
find_profile (const char  *kind,
              GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (g_str_equal (profiles[i].kind, kind))
      return &profiles[i];

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("Duplicates are looked for among contacts and organizations, not “%s”"), kind);
  return NULL;
}

/* ---------------------------------------------------------------------- */
/* Normalising                                                            */

char *
kontor_duplicates_normalize_email (const char *text)
{
  g_autofree char *stripped = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GString) local = NULL;
  const char *at;
  const char *domain;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  stripped = g_strstrip (g_strdup (text));
  lower = g_utf8_casefold (stripped, -1);
  at = strrchr (lower, '@');
  if (at == NULL || at == lower || at[1] == '\0')
    return NULL;

  domain = at + 1;
  local = g_string_new_len (lower, at - lower);

  if (g_str_equal (domain, "gmail.com") || g_str_equal (domain, "googlemail.com"))
    {
      const char *plus = strchr (local->str, '+');
      gsize out = 0;

      if (plus != NULL)
        g_string_truncate (local, plus - local->str);
      for (gsize i = 0; i < local->len; i++)
        if (local->str[i] != '.')
          local->str[out++] = local->str[i];
      g_string_truncate (local, out);
      if (local->len == 0)
        return NULL;
      domain = "gmail.com";
    }

  return g_strdup_printf ("%s@%s", local->str, domain);
}

/* "https://www.Example.de:8080/x" -> "example.de" */
static char *
website_host (const char *url)
{
  const char *start = strstr (url, "://");
  gsize len;
  g_autofree char *host = NULL;

  start = start ? start + 3 : url;
  len = strcspn (start, "/:?#");
  if (len == 0)
    return NULL;

  host = g_ascii_strdown (start, len);
  if (g_str_has_prefix (host, "www.") && host[4] != '\0')
    return g_strdup (host + 4);

  return g_steal_pointer (&host);
}

static gboolean
is_legal_form (const char *bare)
{
  static const char * const forms[] = {
    "", "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "gbr", "ug", "ev", "eg", "se", "co", "und",
    "haftungsbeschrankt", "ltd", "llc", "llp", "inc", "corp", "plc", "sa", "sas", "sarl",
    "srl", "spa", "bv", "nv", "ab", "as", "oy", "ek", "kft", "sro", NULL
  };

  return g_strv_contains (forms, bare);
}

/* The organization's name without trailing legal forms and connectors. */
static char *
strip_legal_form (const char *name)
{
  g_auto(GStrv) words = g_strsplit_set (name, " \t", -1);
  guint n = g_strv_length (words);
  GString *out = g_string_new (NULL);

  while (n > 1)
    {
      g_autofree char *folded = kontor_fold (words[n - 1], -1);
      g_autoptr(GString) bare = g_string_new (NULL);

      for (const char *p = folded; *p; p = g_utf8_next_char (p))
        if (g_unichar_isalnum (g_utf8_get_char (p)))
          g_string_append_unichar (bare, g_utf8_get_char (p));
      if (!is_legal_form (bare->str))
        break;
      n--;
    }

  for (guint i = 0; i < n; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }

  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Entries: what a scan keeps of each record                              */

typedef struct
{
  guint block;
  guint pos;
} EntryBlock;

typedef struct
{
  char          *id;
  KontorNameKey *name;       /* last name, or the organization's name */
  KontorNameKey *first;      /* first name, NULL if none */
  GPtrArray     *emails;     /* normalised, distinct */
  GPtrArray     *phones;     /* E.164, distinct */
  char          *organization;
  char          *website;    /* host */
  GArray        *blocks;     /* EntryBlock, by block */
} Entry;

static void
entry_free (Entry *e)
{
  g_free (e->id);
  g_clear_pointer (&e->name, kontor_name_key_free);
  g_clear_pointer (&e->first, kontor_name_key_free);
  g_ptr_array_unref (e->emails);
  g_ptr_array_unref (e->phones);
  g_free (e->organization);
  g_free (e->website);
  g_clear_pointer (&e->blocks, g_array_unref);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Entry, entry_free)

static const char *
string_member (JsonObject *values,
               const char *name)
{
  JsonNode *node;

  if (name == NULL)
    return NULL;
  node = json_object_get_member (values, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node)[0] != '\0' ? json_node_get_string (node) : NULL;
}

static void
add_distinct (GPtrArray *array,
              char      *value)
{
  if (value == NULL)
    return;
  if (g_ptr_array_find_with_equal_func (array, value, g_str_equal, NULL))
    {
      g_free (value);
      return;
    }
  g_ptr_array_add (array, value);
}

static Entry *
entry_new (const Profile *profile,
           const char    *id,
           JsonObject    *values)
{
  Entry *e = g_new0 (Entry, 1);
  const char *name = string_member (values, profile->name_field);
  const char *first = string_member (values, profile->first_name_field);
  const char *website = string_member (values, profile->website_field);

  e->id = g_strdup (id);
  e->emails = g_ptr_array_new_with_free_func (g_free);
  e->phones = g_ptr_array_new_with_free_func (g_free);

  if (name != NULL && profile->strip_legal_form)
    {
      g_autofree char *stripped = strip_legal_form (name);

      e->name = kontor_name_key_new (stripped);
    }
  else
    e->name = kontor_name_key_new (name ? name : "");

  if (first != NULL)
    {
      e->first = kontor_name_key_new (first);
      if (kontor_name_key_is_empty (e->first))
        g_clear_pointer (&e->first, kontor_name_key_free);
    }

  for (guint i = 0; profile->email_fields[i]; i++)
    {
      const char *email = string_member (values, profile->email_fields[i]);

      if (email != NULL)
        add_distinct (e->emails, kontor_duplicates_normalize_email (email));
    }

  for (guint i = 0; profile->phone_fields[i]; i++)
    {
      const char *phone = string_member (values, profile->phone_fields[i]);

      if (phone != NULL)
        add_distinct (e->phones, g_strdup (phone));
    }

  e->organization = g_strdup (string_member (values, profile->organization_field));
  if (website != NULL)
    e->website = website_host (website);

  return e;
}

/* The first n characters of the transliterated, folded name. */
static char *
name_prefix (const KontorNameKey *key,
             guint                n)
{
  const char *text = kontor_name_key_get_folded (key);
  const char *end = text;

  for (guint i = 0; i < n && *end && *end != ' '; i++)
    end = g_utf8_next_char (end);

  return g_strndup (text, end - text);
}

/* The blocking keys of an entry, before big blocks are split. Key types
 * are told apart by their first letter. */
static GPtrArray *
entry_keys (Entry *e)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < e->emails->len; i++)
    g_ptr_array_add (keys, g_strconcat ("e:", g_ptr_array_index (e->emails, i), NULL));
  for (guint i = 0; i < e->phones->len; i++)
    g_ptr_array_add (keys, g_strconcat ("p:", g_ptr_array_index (e->phones, i), NULL));
  if (e->website != NULL)
    g_ptr_array_add (keys, g_strconcat ("w:", e->website, NULL));

  if (!kontor_name_key_is_empty (e->name))
    {
      g_autofree char *prefix = name_prefix (e->name, 3);

      if (kontor_name_key_get_code (e->name)[0] != '\0')
        g_ptr_array_add (keys, g_strconcat ("k:", kontor_name_key_get_code (e->name), NULL));
      g_ptr_array_add (keys, g_strconcat ("n:", prefix, NULL));
    }

  return keys;
}

/* The sub-key that splits a block too big to compare in full. */
static char *
refine_key (const char *key,
            Entry      *e)
{
  if (key[0] == 'k' || key[0] == 'n')
    {
      g_autofree char *initial = e->first ? name_prefix (e->first, 1) : g_strdup ("");

      return g_strconcat (key, "|", initial, NULL);
    }

  return g_strconcat (key, "|", kontor_name_key_get_code (e->name), NULL);
}

/* ---------------------------------------------------------------------- */
/* Scoring a pair                                                         */

/* The log-odds weight of a name similarity s: 0 at pivot, scale per unit
 * of similarity, within min..max. */
static double
similarity_weight (double s,
                   double pivot,
                   double scale,
                   double min,
                   double max)
{
  return CLAMP (scale * (s - pivot), min, max);
}

/* The weight of two first names; "A." and "Anna" agree as initials. */
static double
first_name_weight (const KontorNameKey *a,
                   const KontorNameKey *b,
                   double              *jw,
                   gboolean            *same_code)
{
  const char *ta = kontor_name_key_get_folded (a);
  const char *tb = kontor_name_key_get_folded (b);

  if (g_utf8_strlen (ta, -1) == 1 || g_utf8_strlen (tb, -1) == 1)
    {
      gboolean same = g_utf8_get_char (ta) == g_utf8_get_char (tb);

      *jw = same ? 1.0 : 0.0;
      *same_code = same;
      return same ? W_INITIAL : W_FIRST_MIN;
    }

  return similarity_weight (kontor_name_key_similarity (a, b, jw, same_code),
                            W_FIRST_PIVOT, W_FIRST_SCALE, W_FIRST_MIN, W_FIRST_MAX);
}

/* The weight of last name a against b plus first name a against b. */
static double
person_weight (const KontorNameKey *last_a,
               const KontorNameKey *first_a,
               const KontorNameKey *last_b,
               const KontorNameKey *first_b,
               double              *jw,
               gboolean            *same_code)
{
  double last_jw, first_jw, w;
  gboolean last_same, first_same;

  w = similarity_weight (kontor_name_key_similarity (last_a, last_b, &last_jw, &last_same),
                         W_LAST_PIVOT, W_LAST_SCALE, W_LAST_MIN, W_LAST_MAX);
  w += first_name_weight (first_a, first_b, &first_jw, &first_same);
  *jw = 0.6 * last_jw + 0.4 * first_jw;
  *same_code = last_same && first_same;

  return w;
}

/* The log-odds weight of the names of a and b. FALSE if either has no
 * name, which is no evidence either way. */
static gboolean
name_weight (const Profile *profile,
             Entry         *a,
             Entry         *b,
             double        *weight,
             double        *jw,
             gboolean      *same_code)
{
  double swapped, swapped_jw;
  gboolean swapped_same;

  if (kontor_name_key_is_empty (a->name) || kontor_name_key_is_empty (b->name))
    return FALSE;

  if (profile->first_name_field == NULL)
    {
      *weight = similarity_weight (kontor_name_key_similarity (a->name, b->name, jw, same_code),
                                   W_ORG_PIVOT, W_ORG_SCALE, W_ORG_MIN, W_ORG_MAX);
      return TRUE;
    }

  if (a->first == NULL || b->first == NULL)
    {
      /* a missing first name says nothing */
      *weight = similarity_weight (kontor_name_key_similarity (a->name, b->name, jw, same_code),
                                   W_LAST_PIVOT, W_LAST_SCALE, W_LAST_MIN, W_LAST_MAX);
      return TRUE;
    }

  *weight = person_weight (a->name, a->first, b->name, b->first, jw, same_code);

  /* first and last name swapped, e.g. by an import that mixed up columns */
  swapped = person_weight (a->name, a->first, b->first, b->name, &swapped_jw, &swapped_same);
  if (swapped > *weight)
    {
      *weight = swapped;
      *jw = swapped_jw;
      *same_code = swapped_same;
    }

  return TRUE;
}

static const char *
first_shared (GPtrArray *a,
              GPtrArray *b)
{
  for (guint i = 0; i < a->len; i++)
    if (g_ptr_array_find_with_equal_func (b, g_ptr_array_index (a, i), g_str_equal, NULL))
      return g_ptr_array_index (a, i);

  return NULL;
}

/* The candidate for two entries, or NULL if it scores below threshold or
 * they have nothing in common. */
static KontorDuplicateCandidate *
score_pair (const Profile *profile,
            Entry         *a,
            Entry         *b,
            const char    *id_a,
            const char    *id_b,
            double         threshold)
{
  g_autoptr(GStrvBuilder) reasons = g_strv_builder_new ();
  KontorDuplicateReason flags = KONTOR_DUPLICATE_REASON_NONE;
  KontorDuplicateCandidate *c;
  const char *shared;
  double sum = W_PRIOR;
  double w = 0.0, jw = 0.0;
  gboolean same_code = FALSE;
  double score;

  if ((shared = first_shared (a->emails, b->emails)) != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("same e-mail %s"), shared);

      sum += W_EMAIL;
      flags |= KONTOR_DUPLICATE_REASON_SAME_EMAIL;
      g_strv_builder_add (reasons, text);
    }

  if ((shared = first_shared (a->phones, b->phones)) != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("same phone %s"), shared);

      sum += W_PHONE;
      flags |= KONTOR_DUPLICATE_REASON_SAME_PHONE;
      g_strv_builder_add (reasons, text);
    }

  if (name_weight (profile, a, b, &w, &jw, &same_code))
    {
      sum += w;
      if (w >= NAME_REASON_MIN)
        {
          g_autofree char *text = NULL;

          if (same_code)
            text = g_strdup_printf (_("similar name (Jaro-Winkler %.2f, same Kölner Phonetik "
                                      "code)"), jw);
          else
            text = g_strdup_printf (_("similar name (Jaro-Winkler %.2f)"), jw);
          flags |= KONTOR_DUPLICATE_REASON_SIMILAR_NAME;
          g_strv_builder_add (reasons, text);
        }
    }

  if (a->organization != NULL && g_strcmp0 (a->organization, b->organization) == 0)
    {
      sum += W_SAME_ORG;
      flags |= KONTOR_DUPLICATE_REASON_SAME_ORGANIZATION;
      g_strv_builder_add (reasons, _("same organization"));
    }

  if (a->website != NULL && g_strcmp0 (a->website, b->website) == 0)
    {
      g_autofree char *text = g_strdup_printf (_("same website %s"), a->website);

      sum += W_WEBSITE;
      flags |= KONTOR_DUPLICATE_REASON_SAME_WEBSITE;
      g_strv_builder_add (reasons, text);
    }

  score = 1.0 / (1.0 + exp (-sum));
  if (flags == KONTOR_DUPLICATE_REASON_NONE || score < threshold)
    return NULL;

  c = g_new0 (KontorDuplicateCandidate, 1);
  c->id_a = g_strdup (id_a);
  c->id_b = g_strdup (id_b);
  c->score = score;
  c->flags = flags;
  c->reasons = g_strv_builder_end (reasons);

  return c;
}

static int
compare_candidates (gconstpointer pa,
                    gconstpointer pb)
{
  const KontorDuplicateCandidate *a = *(KontorDuplicateCandidate * const *) pa;
  const KontorDuplicateCandidate *b = *(KontorDuplicateCandidate * const *) pb;
  int cmp;

  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  if ((cmp = g_strcmp0 (a->id_a, b->id_a)) != 0)
    return cmp;
  return g_strcmp0 (a->id_b, b->id_b);
}

/* ---------------------------------------------------------------------- */
/* Scan                                                                   */

typedef struct
{
  GArray   *members;   /* guint: entry index */
  gboolean  windowed;
} Block;

static void
block_free (Block *b)
{
  g_array_unref (b->members);
  g_free (b);
}

typedef struct
{
  const Profile *profile;
  GPtrArray *entries;   /* Entry */
  GPtrArray *blocks;    /* Block, by id */
  double     threshold;
  GPtrArray *results;
} Scan;

static gboolean
report (KontorDuplicatesProgress   progress,
        gpointer                   user_data,
        double                     fraction,
        GError                   **error)
{
  if (progress == NULL || progress (CLAMP (fraction, 0.0, 1.0), user_data))
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("The search for duplicates was cancelled"));
  return FALSE;
}

static gboolean
read_entries (KontorStore               *store,
              const Profile             *profile,
              GPtrArray                 *entries,
              KontorDuplicatesProgress   progress,
              gpointer                   user_data,
              GError                   **error)
{
  g_autoptr(KontorQuery) query = kontor_query_new (profile->kind);
  guint total = 0;

  if (!kontor_store_count (store, query, &total, error))
    return FALSE;

  for (guint offset = 0; ; offset += PAGE_SIZE)
    {
      g_autoptr(GPtrArray) page = kontor_store_query (store, query, offset, PAGE_SIZE, error);

      if (page == NULL)
        return FALSE;

      for (guint i = 0; i < page->len; i++)
        {
          KontorRecord *record = g_ptr_array_index (page, i);

          g_ptr_array_add (entries, entry_new (profile, kontor_record_get_id (record),
                                               kontor_record_get_values (record)));
        }

      if (!report (progress, user_data,
                   total ? 0.5 * entries->len / total : 0.5, error))
        return FALSE;

      if (page->len < PAGE_SIZE)
        break;
    }

  return TRUE;
}

static int
compare_by_name (gconstpointer pa,
                 gconstpointer pb,
                 gpointer      user_data)
{
  GPtrArray *entries = user_data;
  Entry *a = g_ptr_array_index (entries, *(const guint *) pa);
  Entry *b = g_ptr_array_index (entries, *(const guint *) pb);
  int cmp;

  cmp = strcmp (kontor_name_key_get_folded (a->name), kontor_name_key_get_folded (b->name));
  if (cmp != 0)
    return cmp;
  cmp = strcmp (a->first ? kontor_name_key_get_folded (a->first) : "",
                b->first ? kontor_name_key_get_folded (b->first) : "");
  if (cmp != 0)
    return cmp;
  return strcmp (a->id, b->id);
}

static int
compare_entry_blocks (gconstpointer pa,
                      gconstpointer pb)
{
  const EntryBlock *a = pa;
  const EntryBlock *b = pb;

  return (a->block > b->block) - (a->block < b->block);
}

static void
build_blocks (Scan *scan)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) all_keys = NULL;

  all_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  /* how big each raw block would be */
  for (guint i = 0; i < scan->entries->len; i++)
    {
      GPtrArray *keys = entry_keys (g_ptr_array_index (scan->entries, i));

      for (guint k = 0; k < keys->len; k++)
        {
          const char *key = g_ptr_array_index (keys, k);
          gpointer n = g_hash_table_lookup (counts, key);

          g_hash_table_replace (counts, g_strdup (key),
                                GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
        }
      g_ptr_array_add (all_keys, keys);
    }

  for (guint i = 0; i < scan->entries->len; i++)
    {
      Entry *e = g_ptr_array_index (scan->entries, i);
      GPtrArray *keys = g_ptr_array_index (all_keys, i);

      e->blocks = g_array_new (FALSE, FALSE, sizeof (EntryBlock));

      for (guint k = 0; k < keys->len; k++)
        {
          const char *raw = g_ptr_array_index (keys, k);
          g_autofree char *key = NULL;
          gpointer id_plus_one;
          EntryBlock eb;
          Block *block;

          /* a key alone in the whole database compares nothing */
          if (GPOINTER_TO_UINT (g_hash_table_lookup (counts, raw)) < 2)
            continue;

          if (GPOINTER_TO_UINT (g_hash_table_lookup (counts, raw)) > MAX_BLOCK)
            key = refine_key (raw, e);
          else
            key = g_strdup (raw);

          id_plus_one = g_hash_table_lookup (by_key, key);
          if (id_plus_one == NULL)
            {
              block = g_new0 (Block, 1);
              block->members = g_array_new (FALSE, FALSE, sizeof (guint));
              g_ptr_array_add (scan->blocks, block);
              id_plus_one = GUINT_TO_POINTER (scan->blocks->len);
              g_hash_table_insert (by_key, g_steal_pointer (&key), id_plus_one);
            }

          eb.block = GPOINTER_TO_UINT (id_plus_one) - 1;
          block = g_ptr_array_index (scan->blocks, eb.block);

          /* the same key twice in one record (e-mail twice) */
          if (block->members->len > 0 &&
              g_array_index (block->members, guint, block->members->len - 1) == i)
            continue;

          eb.pos = block->members->len;
          g_array_append_val (block->members, i);
          g_array_append_val (e->blocks, eb);
        }

      g_array_sort (e->blocks, compare_entry_blocks);
    }

  /* blocks still too big after the split: sorted neighbourhood */
  for (guint b = 0; b < scan->blocks->len; b++)
    {
      Block *block = g_ptr_array_index (scan->blocks, b);

      if (block->members->len <= MAX_BLOCK)
        continue;

      g_debug ("block of %u records compared as a sorted neighbourhood", block->members->len);
      block->windowed = TRUE;
      g_array_sort_with_data (block->members, compare_by_name, scan->entries);

      for (guint pos = 0; pos < block->members->len; pos++)
        {
          Entry *e = g_ptr_array_index (scan->entries, g_array_index (block->members, guint, pos));

          for (guint k = 0; k < e->blocks->len; k++)
            if (g_array_index (e->blocks, EntryBlock, k).block == b)
              g_array_index (e->blocks, EntryBlock, k).pos = pos;
        }
    }
}

/* TRUE if a block before `block` compares the pair already. */
static gboolean
compared_before (Scan  *scan,
                 Entry *a,
                 Entry *b,
                 guint  block)
{
  guint i = 0, j = 0;

  while (i < a->blocks->len && j < b->blocks->len)
    {
      const EntryBlock *ea = &g_array_index (a->blocks, EntryBlock, i);
      const EntryBlock *eb = &g_array_index (b->blocks, EntryBlock, j);

      if (ea->block >= block || eb->block >= block)
        return FALSE;

      if (ea->block < eb->block)
        i++;
      else if (ea->block > eb->block)
        j++;
      else
        {
          Block *shared = g_ptr_array_index (scan->blocks, ea->block);
          guint distance = ea->pos > eb->pos ? ea->pos - eb->pos : eb->pos - ea->pos;

          if (!shared->windowed || distance <= WINDOW)
            return TRUE;
          i++;
          j++;
        }
    }

  return FALSE;
}

static void
compare_pair (Scan  *scan,
              guint  ia,
              guint  ib,
              guint  block)
{
  Entry *a = g_ptr_array_index (scan->entries, ia);
  Entry *b = g_ptr_array_index (scan->entries, ib);
  KontorDuplicateCandidate *c;

  if (compared_before (scan, a, b, block))
    return;

  if (strcmp (a->id, b->id) > 0)
    {
      Entry *t = a;
      a = b;
      b = t;
    }

  c = score_pair (scan->profile, a, b, a->id, b->id, scan->threshold);
  if (c != NULL)
    g_ptr_array_add (scan->results, c);
}

GPtrArray *
kontor_duplicates_scan (KontorStore               *store,
                        const char                *kind,
                        double                     threshold,
                        KontorDuplicatesProgress   progress,
                        gpointer                   user_data,
                        GError                   **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  g_autoptr(GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_duplicate_candidate_free);
  const Profile *profile;
  Scan scan;

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  profile = find_profile (kind, error);
  if (profile == NULL)
    return NULL;

  if (!read_entries (store, profile, entries, progress, user_data, error))
    return NULL;

  scan.profile = profile;
  scan.entries = entries;
  scan.blocks = blocks;
  scan.threshold = threshold;
  scan.results = results;
  build_blocks (&scan);

  for (guint b = 0; b < blocks->len; b++)
    {
      Block *block = g_ptr_array_index (blocks, b);
      guint n = block->members->len;

      for (guint x = 0; x < n; x++)
        {
          guint last = block->windowed ? MIN (n, x + WINDOW + 1) : n;

          for (guint y = x + 1; y < last; y++)
            compare_pair (&scan, g_array_index (block->members, guint, x),
                          g_array_index (block->members, guint, y), b);
        }

      if ((b % 1024 == 1023) &&
          !report (progress, user_data, 0.5 + 0.5 * (b + 1) / blocks->len, error))
        return NULL;
    }

  g_ptr_array_sort (results, compare_candidates);

  if (!report (progress, user_data, 1.0, error))
    return NULL;

  return g_steal_pointer (&results);
}

/* ---------------------------------------------------------------------- */
/* Check of one record                                                    */

static void
collect (GHashTable *found,
         GPtrArray  *records)
{
  if (records == NULL)
    return;

  for (guint i = 0; i < records->len; i++)
    {
      KontorRecord *r = g_ptr_array_index (records, i);

      if (!g_hash_table_contains (found, kontor_record_get_id (r)))
        g_hash_table_insert (found, g_strdup (kontor_record_get_id (r)), g_object_ref (r));
    }
}

static gboolean
search_into (KontorStore  *store,
             GHashTable   *found,
             const char   *text,
             const char   *kind,
             guint         limit,
             GError      **error)
{
  g_autoptr(GPtrArray) records = kontor_store_search (store, text, kind, limit, error);

  if (records == NULL)
    return FALSE;
  collect (found, records);
  return TRUE;
}

static gboolean
query_into (KontorStore  *store,
            GHashTable   *found,
            KontorQuery  *query,
            guint         limit,
            GError      **error)
{
  g_autoptr(GPtrArray) records = kontor_store_query (store, query, 0, limit, error);

  if (records == NULL)
    return FALSE;
  collect (found, records);
  return TRUE;
}

static gboolean
neighbour_query (KontorStore    *store,
                 GHashTable     *found,
                 const Profile  *profile,
                 KontorQueryOp   op,
                 const char     *name,
                 GError        **error)
{
  g_autoptr(KontorQuery) query = kontor_query_new (profile->kind);
  const char *values[] = { name, NULL };

  kontor_query_add_condition (query, profile->name_field, op, values);
  kontor_query_add_sort (query, profile->name_field, op == KONTOR_QUERY_LT);

  return query_into (store, found, query, CHECK_NEIGHBOURS, error);
}

/* The records whose names sort next to name (but are not equal to it) in
 * the kind's folded name index, CHECK_NEIGHBOURS on either side:
 * "Muller" and "Müller" are neighbours (the index folds accents), and so
 * are most typos after the first letters. Both walk the index from name,
 * one up, one down. */
static gboolean
neighbours_into (KontorStore    *store,
                 GHashTable     *found,
                 const Profile  *profile,
                 const char     *name,
                 GError        **error)
{
  return neighbour_query (store, found, profile, KONTOR_QUERY_GT, name, error) &&
         neighbour_query (store, found, profile, KONTOR_QUERY_LT, name, error);
}

/* The words of an address to look it up in the full-text index, without
 * the top-level domain that nearly every record shares:
 * "nina.neumann@web.de" -> "nina neumann web". */
static char *
email_search_text (const char *email)
{
  g_autofree char *text = g_strdup (email);
  char *dot = strrchr (text, '.');

  if (dot != NULL && strchr (dot, '@') == NULL)
    *dot = '\0';
  for (char *p = text; *p; p++)
    if (*p == '@' || *p == '.' || *p == '+' || *p == '-' || *p == '_')
      *p = ' ';

  return g_steal_pointer (&text);
}

/* "Mueller" -> "Müller": the spelling whose folded form ("muller") sorts
 * where the umlaut spelling does. */
static char *
umlaut_spelling (const char *name)
{
  static const struct { const char *from, *to; } pairs[] = {
    { "ae", "ä" }, { "oe", "ö" }, { "ue", "ü" }, { "Ae", "Ä" }, { "Oe", "Ö" }, { "Ue", "Ü" },
  };
  g_autoptr(GString) out = g_string_new (name);

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    g_string_replace (out, pairs[i].from, pairs[i].to, 0);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
keys_shared (GPtrArray *a,
             GPtrArray *b)
{
  return first_shared (a, b) != NULL;
}

GPtrArray *
kontor_duplicates_check (KontorStore  *store,
                         const char   *kind,
                         const char   *id,
                         JsonObject   *values,
                         double        threshold,
                         GError      **error)
{
  g_autoptr(GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_duplicate_candidate_free);
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                       g_free, g_object_unref);
  g_autoptr(JsonObject) clean = json_object_new ();
  g_autoptr(Entry) probe = NULL;
  g_autoptr(GPtrArray) probe_keys = NULL;
  g_autoptr(GList) members = NULL;
  const Profile *profile;
  KontorKind *schema_kind;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  profile = find_profile (kind, error);
  if (profile == NULL)
    return NULL;
  schema_kind = kontor_schema_require_kind (kontor_store_get_schema (store), kind, error);
  if (schema_kind == NULL)
    return NULL;

  /* the stored form of each value: phones as E.164, e-mail domains lower
   * case; a value that does not parse cannot match anything stored */
  members = json_object_get_members (values);
  for (GList *l = members; l; l = l->next)
    {
      KontorField *field = kontor_kind_get_field (schema_kind, l->data);
      JsonNode *normalized;

      if (field == NULL)
        continue;
      normalized = kontor_field_normalize (field, json_object_get_member (values, l->data),
                                           kontor_store_get_parse_context (store), NULL);
      if (normalized != NULL)
        json_object_set_member (clean, l->data, normalized);
    }

  probe = entry_new (profile, id, clean);
  probe_keys = entry_keys (probe);

  for (guint i = 0; profile->email_fields[i]; i++)
    {
      const char *email = string_member (clean, profile->email_fields[i]);
      g_autofree char *text = NULL;

      if (email == NULL)
        continue;

      /* an indexed e-mail field is one index lookup; the others (a
       * contact's private address) are found through the words */
      for (guint j = 0; profile->email_fields[j]; j++)
        {
          KontorField *field = kontor_kind_get_field (schema_kind, profile->email_fields[j]);
          g_autoptr(KontorQuery) query = NULL;
          const char *match[] = { email, NULL };

          if (field == NULL || !kontor_field_has_flag (field, KONTOR_FIELD_FLAG_INDEXED))
            continue;
          query = kontor_query_new (profile->kind);
          kontor_query_add_condition (query, profile->email_fields[j], KONTOR_QUERY_EQ, match);
          if (!query_into (store, found, query, CHECK_KEY_MAX, error))
            return NULL;
        }

      text = email_search_text (email);
      if (!search_into (store, found, text, kind, CHECK_KEY_MAX, error))
        return NULL;
    }

  for (guint i = 0; i < probe->phones->len; i++)
    {
      const char *phone = g_ptr_array_index (probe->phones, i);

      /* the index holds the digits after '+' as a word of their own */
      if (!search_into (store, found, phone[0] == '+' ? phone + 1 : phone, kind, CHECK_KEY_MAX,
                        error))
        return NULL;
    }

  if (!kontor_name_key_is_empty (probe->name))
    {
      const char *name = string_member (clean, profile->name_field);
      const char *first = string_member (clean, profile->first_name_field);
      g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) folded = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *text = NULL;
      g_autofree char *umlauts = umlaut_spelling (name);

      /* the same name, whatever its umlaut spelling (the full-text index
       * has both, and "Müller" finds "Muller", "Müller" and "Mueller"),
       * and for a person the same first three letters of the first
       * name: a few records even among hundreds of Müllers */
      if (profile->first_name_field == NULL)
        text = g_strdup (umlauts);
      else if (first != NULL)
        {
          const char *end = first;
          g_autofree char *full = g_strdup_printf ("%s %s", first, umlauts);

          for (guint n = 0; n < 3 && *end; n++)
            end = g_utf8_next_char (end);
          text = g_strdup_printf ("%.*s %s", (int) (end - first), first, umlauts);

          /* the whole first name too: the three letters may be shared by
           * more records than a search returns ("Frank", "Franziska") */
          if (!g_str_equal (full, text) &&
              !search_into (store, found, full, kind, CHECK_KEY_MAX, error))
            return NULL;
        }
      if (text != NULL && !search_into (store, found, text, kind, CHECK_KEY_MAX, error))
        return NULL;

      /* names that sort next to it: as written, transliterated
       * ("Müller" -> "Mueller") and with umlauts ("Mueller" -> "Müller") */
      g_ptr_array_add (forms, g_strdup (name));
      g_ptr_array_add (forms, kontor_fold_transliterate (name, -1));
      g_ptr_array_add (forms, umlaut_spelling (name));

      for (guint i = 0; i < forms->len; i++)
        {
          const char *form = g_ptr_array_index (forms, i);
          char *key = kontor_fold (form, -1);

          if (g_ptr_array_find_with_equal_func (folded, key, g_str_equal, NULL))
            {
              g_free (key);
              continue;
            }
          g_ptr_array_add (folded, key);
          if (!neighbours_into (store, found, profile, form, error))
            return NULL;
        }
    }

  /* colleagues: an index lookup that finds spellings no prefix does
   * ("Meier", "Mayr") */
  if (probe->organization != NULL)
    {
      g_autoptr(KontorQuery) query = kontor_query_new (profile->kind);
      const char *org[] = { probe->organization, NULL };

      kontor_query_add_condition (query, profile->organization_field, KONTOR_QUERY_EQ, org);
      if (!query_into (store, found, query, CHECK_ORG_MAX, error))
        return NULL;
    }

  g_hash_table_iter_init (&iter, found);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      KontorRecord *record = value;
      g_autoptr(Entry) other = NULL;
      g_autoptr(GPtrArray) other_keys = NULL;
      KontorDuplicateCandidate *c;

      if (!g_str_equal (kontor_record_get_kind (record), kind) ||
          g_strcmp0 (kontor_record_get_id (record), id) == 0)
        continue;

      other = entry_new (profile, kontor_record_get_id (record), kontor_record_get_values (record));
      other_keys = entry_keys (other);

      /* the same rule as a scan: only records sharing a key are pairs */
      if (!keys_shared (probe_keys, other_keys))
        continue;

      c = score_pair (profile, probe, other, id, kontor_record_get_id (record), threshold);
      if (c != NULL)
        g_ptr_array_add (results, c);
    }

  g_ptr_array_sort (results, compare_candidates);

  return g_steal_pointer (&results);
}
