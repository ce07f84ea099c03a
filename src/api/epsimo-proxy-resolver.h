/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_PROXY_RESOLVER (epsimo_proxy_resolver_get_type ())
G_DECLARE_FINAL_TYPE (EpsimoProxyResolver, epsimo_proxy_resolver,
                      EPSIMO, PROXY_RESOLVER, GObject)

/* How long an answer is kept: the connections' idle time-out, so a proxy setting changed
 * while the app runs applies as soon as the connections it opened have gone. */
#define EPSIMO_PROXY_RESOLVER_KEEP_US (30 * G_USEC_PER_SEC)

EpsimoProxyResolver *epsimo_proxy_resolver_new         (GProxyResolver      *inner,
                                                        gint64               keep_us);
EpsimoProxyResolver *epsimo_proxy_resolver_get_default (void);

void                 epsimo_proxy_resolver_warm        (EpsimoProxyResolver *self,
                                                        const char          *uri);

G_END_DECLS
