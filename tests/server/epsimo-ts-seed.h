/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-ts-store.h"

G_BEGIN_DECLS

/* Demo data (--demo) and the bulk seeding of the control API. */

#define EPSIMO_TS_DEMO_EMAIL "demo@epsimo.test"
#define EPSIMO_TS_DEMO_PASSWORD "epsimo-demo"

EpsimoTsUser      *epsimo_ts_seed_demo              (EpsimoTsStore   *store);
GPtrArray         *epsimo_ts_seed_projects          (EpsimoTsStore   *store,
                                                     EpsimoTsUser    *user,
                                                     guint            count);
EpsimoTsAssistant *epsimo_ts_seed_default_assistant (EpsimoTsStore   *store,
                                                     EpsimoTsProject *project);
GPtrArray         *epsimo_ts_seed_threads           (EpsimoTsStore   *store,
                                                     EpsimoTsProject *project,
                                                     const char      *assistant_id,
                                                     guint            count);
void               epsimo_ts_seed_messages          (EpsimoTsThread  *thread,
                                                     guint            count);

G_END_DECLS
