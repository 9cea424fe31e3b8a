/* kontor-server-private.h: what the server's handler files share
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kontor-server.h"

G_BEGIN_DECLS

/* Checks the bearer token; answers 401 itself when it fails. */
gboolean             _kontor_server_authenticate (KontorServer      *self,
                                                  SoupServerMessage *msg,
                                                  gint64            *user_id);
KontorServerStorage *_kontor_server_get_storage  (KontorServer      *self);

G_END_DECLS
