/* kontor-rejected-list.h: changes the server refused, to fix and resend
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_REJECTED_LIST (kontor_rejected_list_get_type ())

G_DECLARE_FINAL_TYPE (KontorRejectedList, kontor_rejected_list, KONTOR, REJECTED_LIST, AdwWindow)

/* Emits "open-record" (id, kind) when the user asks to see the record. */
GtkWidget *kontor_rejected_list_new         (KontorStore        *store);
/* The number of refused changes shown. */
guint      kontor_rejected_list_get_n_items (KontorRejectedList *self);

G_END_DECLS
