/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-ts-request.h"

G_BEGIN_DECLS

/* The /_control/ API: no auth, never rate-limited or faulted, loopback only. */
void epsimo_ts_control_dispatch (EpsimoTsRequest *req);

G_END_DECLS
