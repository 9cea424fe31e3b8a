/* kontor-demo.h: a reproducible DACH B2B demo dataset
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kontor-store.h"

G_BEGIN_DECLS

/* How much to generate. Teams, sales reps, products, pipelines and their
 * stages are always created (reps: one per 25 organizations, at least 3). */
typedef struct
{
  guint64 seed;
  guint   n_organizations;
  guint   n_contacts;
  guint   n_leads;
  guint   n_deals;
  guint   n_activities;
} KontorDemoOptions;

/* Seed 1; scale 1 is 40 organizations, 200 contacts, 60 leads, 120 deals
 * and 400 activities, larger scales multiply every count. Scale 0 counts
 * as 1. */
void     kontor_demo_options_init_default (KontorDemoOptions *opts,
                                           guint              scale);

/* Called every 1,000 records and once at the end. */
typedef void (*KontorDemoProgress) (guint    done,
                                    guint    total,
                                    gpointer user_data);

/* Fills store with generated records. The same options give the same ids
 * and, in a fresh database, the same record states: every choice comes
 * from a GRand seeded with opts->seed, ids from a fixed clock, dates from
 * the fixed reference day 2026-12-01, never from the current time.
 *
 * Records are written in transactions of 10,000 (the WAL stays bounded).
 * On an error the open transaction is rolled back and FALSE returned;
 * batches committed before it stay. */
gboolean kontor_demo_generate             (KontorStore             *store,
                                           const KontorDemoOptions *opts,
                                           KontorDemoProgress       progress,
                                           gpointer                 user_data,
                                           GError                 **error);

G_END_DECLS
