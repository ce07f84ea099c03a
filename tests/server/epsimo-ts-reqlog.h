/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The last requests the API saw (not /_control/), for tests to inspect. */

typedef struct _EpsimoTsRequestLog EpsimoTsRequestLog;

EpsimoTsRequestLog *epsimo_ts_reqlog_new     (guint               capacity);
void                epsimo_ts_reqlog_free    (EpsimoTsRequestLog *log);
void                epsimo_ts_reqlog_record  (EpsimoTsRequestLog *log,
                                              SoupServerMessage  *msg,
                                              const char         *path);
void                epsimo_ts_reqlog_clear   (EpsimoTsRequestLog *log);
JsonArray          *epsimo_ts_reqlog_to_json (EpsimoTsRequestLog *log);

G_END_DECLS
