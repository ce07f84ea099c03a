/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-ts-server.h"

G_BEGIN_DECLS

/* Streamed runs of the scripted assistant (the route handlers are in
 * epsimo-ts-routes.h). */

EpsimoTsRuns *epsimo_ts_runs_new          (void);
void          epsimo_ts_runs_stop_all     (EpsimoTsRuns *runs);
void          epsimo_ts_runs_free         (EpsimoTsRuns *runs);
guint         epsimo_ts_runs_count_active (EpsimoTsRuns *runs);
JsonArray    *epsimo_ts_runs_to_json      (EpsimoTsRuns *runs);

G_END_DECLS
