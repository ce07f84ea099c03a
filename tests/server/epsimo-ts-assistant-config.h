/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-ts-store.h"

G_BEGIN_DECLS

/* The two shapes of an assistant's config, and the tool catalogue. */

typedef struct
{
  const char *type;
  const char *name;
  const char *description;
} EpsimoTsToolInfo;

const EpsimoTsToolInfo *epsimo_ts_tool_catalogue        (guint             *n_tools);
const EpsimoTsToolInfo *epsimo_ts_tool_catalogue_lookup (const char        *type);

gboolean    epsimo_ts_assistant_config_apply  (EpsimoTsAssistant *assistant,
                                               JsonObject        *config,
                                               char             **field,
                                               char             **detail);
JsonObject *epsimo_ts_assistant_config_render (EpsimoTsAssistant *assistant,
                                               gboolean           live);

G_END_DECLS
