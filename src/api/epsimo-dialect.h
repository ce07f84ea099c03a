/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * EpsimoDialect:
 * @EPSIMO_DIALECT_UNKNOWN: not yet found out for this server
 * @EPSIMO_DIALECT_LIVE: the paths and payloads of the official SDK (the live backend)
 * @EPSIMO_DIALECT_REFERENCE: the published API reference
 *
 * Which of the two wire dialects (shared/api/wire-protocol.md) a server speaks.
 */
typedef enum
{
  EPSIMO_DIALECT_UNKNOWN,
  EPSIMO_DIALECT_LIVE,
  EPSIMO_DIALECT_REFERENCE,
} EpsimoDialect;

G_END_DECLS
