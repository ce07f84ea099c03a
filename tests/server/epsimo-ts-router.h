/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-ts-request.h"

G_BEGIN_DECLS

/* Finds the handler of a request (404/405 otherwise), checks its token, calls it. */
void epsimo_ts_router_dispatch (EpsimoTsRequest *req);

G_END_DECLS
