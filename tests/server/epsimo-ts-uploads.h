/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "epsimo-ts-multipart.h"

G_BEGIN_DECLS

/* Streams multipart upload bodies through the parser instead of memory. */

void               epsimo_ts_uploads_watch (SoupServerMessage *msg);
EpsimoTsMultipart *epsimo_ts_uploads_get   (SoupServerMessage *msg);

G_END_DECLS
