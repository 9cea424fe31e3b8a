/* kontor-deal-board.h: the deals of one pipeline, a column per stage
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kontor-store.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_DEAL_BOARD (kontor_deal_board_get_type ())
G_DECLARE_FINAL_TYPE (KontorDealBoard, kontor_deal_board, KONTOR, DEAL_BOARD, AdwBin)

/* Properties: "store" (construct only), "pipeline-id", "today" (ISO date
 * the cards' "Today"/"Tomorrow" refer to; NULL for the real today).
 * Signals: "open-record" (const char *kind, const char *id) when a card is
 * activated. Each column widget carries the object data "kontor-stage-id"
 * and each card "kontor-deal-id" (for tests and accessibility tools). */
GtkWidget   *kontor_deal_board_new          (KontorStore     *store);
KontorStore *kontor_deal_board_get_store    (KontorDealBoard *self);
/* The shown pipeline's id (NULL when there is none). */
const char  *kontor_deal_board_get_pipeline (KontorDealBoard *self);
void         kontor_deal_board_set_pipeline (KontorDealBoard *self,
                                             const char      *pipeline_id);
/* Re-reads pipelines, stages and deals. The board follows the store's
 * "changed" signal by itself; this is for callers that know better. */
void         kontor_deal_board_reload       (KontorDealBoard *self);
/* Moves a deal to another stage of its pipeline (a store edit with an
 * outbox entry; a stage with a won/lost outcome also sets the status). */
gboolean     kontor_deal_board_move_deal    (KontorDealBoard *self,
                                             const char      *deal_id,
                                             const char      *stage_id,
                                             GError         **error);

G_END_DECLS
