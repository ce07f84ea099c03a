/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "epsimo-ts-util.h"
#include "epsimo-ts-store.h"
#include "epsimo-ts-tokens.h"
#include "epsimo-ts-ratelimit.h"
#include "epsimo-ts-faults.h"
#include "epsimo-ts-reqlog.h"

G_BEGIN_DECLS

typedef struct _EpsimoTsRuns EpsimoTsRuns;

/* Everything one running test server knows; passed to every handler. */
typedef struct
{
  SoupServer        *soup;
  EpsimoTsDialect    dialect;
  guint              stream_delay_ms;
  EpsimoTsStore     *store;
  EpsimoTsTokens    *tokens;
  EpsimoTsRateLimit *ratelimit;
  EpsimoTsFaults    *faults;
  EpsimoTsRequestLog *log;
  EpsimoTsRuns      *runs;
} EpsimoTsServer;

typedef struct
{
  EpsimoTsDialect dialect;
  gint64          token_ttl;
  guint           rate_limit;
  guint           stream_delay_ms;
  guint           delay_ms;
} EpsimoTsServerOptions;

EpsimoTsServer *epsimo_ts_server_new      (const EpsimoTsServerOptions *options);
gboolean        epsimo_ts_server_listen   (EpsimoTsServer              *srv,
                                           guint                        port,
                                           guint                       *out_port,
                                           GError                     **error);
void            epsimo_ts_server_shutdown (EpsimoTsServer              *srv);
void            epsimo_ts_server_free     (EpsimoTsServer              *srv);

G_END_DECLS
