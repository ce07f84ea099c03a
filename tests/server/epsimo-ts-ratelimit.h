/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fixed one-minute windows per client key (token or peer address). */

typedef struct _EpsimoTsRateLimit EpsimoTsRateLimit;

typedef struct
{
  guint  limit;
  guint  remaining;
  gint64 reset;
  guint  retry_after;
} EpsimoTsRateInfo;

EpsimoTsRateLimit *epsimo_ts_ratelimit_new       (guint              limit);
void               epsimo_ts_ratelimit_free      (EpsimoTsRateLimit *rl);
void               epsimo_ts_ratelimit_set_limit (EpsimoTsRateLimit *rl,
                                                  guint              limit);
guint              epsimo_ts_ratelimit_get_limit (EpsimoTsRateLimit *rl);
gboolean           epsimo_ts_ratelimit_check     (EpsimoTsRateLimit *rl,
                                                  const char        *key,
                                                  EpsimoTsRateInfo  *info);

G_END_DECLS
