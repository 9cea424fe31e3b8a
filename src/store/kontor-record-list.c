/* kontor-record-list.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-store"

#include "config.h"

#include "kontor-record-list.h"

/* Pages kept in memory: a screenful needs one or two. */
#define MAX_PAGES 8

struct _KontorRecordList
{
  GObject      parent_instance;
  KontorStore *store;
  KontorQuery *query;
  GHashTable  *pages;     /* page index -> GPtrArray of KontorRecord */
  GQueue       lru;       /* page indexes, most recent first */
  GError      *error;
  guint        n_items;
  guint        pages_loaded;
  gulong       changed_id;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KontorRecordList, kontor_record_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return KONTOR_TYPE_RECORD;
}

static guint
get_n_items (GListModel *model)
{
  return KONTOR_RECORD_LIST (model)->n_items;
}

static GPtrArray *
load_page (KontorRecordList *self,
           guint             page)
{
  GPtrArray *rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  if (rows != NULL)
    {
      g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
      return rows;
    }

  g_clear_error (&self->error);
  rows = kontor_store_query (self->store, self->query, page * KONTOR_RECORD_LIST_PAGE_SIZE,
                             KONTOR_RECORD_LIST_PAGE_SIZE, &self->error);
  if (rows == NULL)
    return NULL;

  self->pages_loaded++;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), rows);
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));

  while (g_queue_get_length (&self->lru) > MAX_PAGES)
    {
      gpointer oldest = g_queue_pop_tail (&self->lru);
      g_hash_table_remove (self->pages, oldest);
    }

  return rows;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  KontorRecordList *self = KONTOR_RECORD_LIST (model);
  guint page = position / KONTOR_RECORD_LIST_PAGE_SIZE;
  guint index = position % KONTOR_RECORD_LIST_PAGE_SIZE;
  GPtrArray *rows;

  if (position >= self->n_items)
    return NULL;

  rows = load_page (self, page);
  if (rows == NULL || index >= rows->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (rows, index));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
refresh (KontorRecordList *self)
{
  guint old_n = self->n_items;
  guint new_n = 0;

  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  g_clear_error (&self->error);

  if (!kontor_store_count (self->store, self->query, &new_n, &self->error))
    new_n = 0;

  self->n_items = new_n;
  if (old_n != 0 || new_n != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);
  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
on_store_changed (KontorStore      *store,
                  const char       *kind,
                  KontorRecordList *self)
{
  if (g_strcmp0 (kind, kontor_query_get_kind (self->query)) == 0)
    refresh (self);
}

static void
kontor_record_list_dispose (GObject *object)
{
  KontorRecordList *self = (KontorRecordList *) object;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_record_list_parent_class)->dispose (object);
}

static void
kontor_record_list_finalize (GObject *object)
{
  KontorRecordList *self = (KontorRecordList *) object;

  g_clear_pointer (&self->query, kontor_query_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->lru);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (kontor_record_list_parent_class)->finalize (object);
}

static void
kontor_record_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KontorRecordList *self = KONTOR_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_record_list_class_init (KontorRecordListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_record_list_dispose;
  object_class->finalize = kontor_record_list_finalize;
  object_class->get_property = kontor_record_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_record_list_init (KontorRecordList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->lru);
}

KontorRecordList *
kontor_record_list_new (KontorStore *store,
                        KontorQuery *query)
{
  KontorRecordList *self;

  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  self = g_object_new (KONTOR_TYPE_RECORD_LIST, NULL);
  self->store = g_object_ref (store);
  self->query = kontor_query_ref (query);
  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed), self);
  refresh (self);

  return self;
}

KontorQuery *
kontor_record_list_get_query (KontorRecordList *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_LIST (self), NULL);
  return self->query;
}

void
kontor_record_list_set_query (KontorRecordList *self,
                              KontorQuery      *query)
{
  g_return_if_fail (KONTOR_IS_RECORD_LIST (self));
  g_return_if_fail (query != NULL);

  kontor_query_ref (query);
  g_clear_pointer (&self->query, kontor_query_unref);
  self->query = query;
  refresh (self);
}

const GError *
kontor_record_list_get_error (KontorRecordList *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_LIST (self), NULL);
  return self->error;
}

guint
kontor_record_list_get_pages_loaded (KontorRecordList *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_LIST (self), 0);
  return self->pages_loaded;
}
