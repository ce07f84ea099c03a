/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-ts-store.h"

G_BEGIN_DECLS

/* JSON representations of the stored objects, as the API sends them. */

JsonObject *epsimo_ts_render_user_info     (EpsimoTsUser      *user);
JsonObject *epsimo_ts_render_balance       (EpsimoTsUser      *user);
JsonObject *epsimo_ts_render_project       (EpsimoTsProject   *project);
JsonObject *epsimo_ts_render_assistant     (EpsimoTsAssistant *assistant,
                                            gboolean           live);
JsonObject *epsimo_ts_render_thread        (EpsimoTsThread    *thread,
                                            gboolean           with_messages);
JsonObject *epsimo_ts_render_message       (EpsimoTsMessage   *message);
JsonObject *epsimo_ts_render_live_message  (EpsimoTsMessage   *message);
JsonObject *epsimo_ts_render_state_values  (EpsimoTsThread    *thread,
                                           gboolean           with_messages);
GBytes     *epsimo_ts_render_live_messages_text (EpsimoTsThread *thread);
JsonObject *epsimo_ts_render_file          (EpsimoTsFile      *file);
const char *epsimo_ts_live_type_for_role   (const char        *role);

void        epsimo_ts_set_time_member      (JsonObject        *obj,
                                            const char        *member,
                                            gint64             usec);
void        epsimo_ts_set_node_or_empty    (JsonObject        *obj,
                                            const char        *member,
                                            JsonNode          *node,
                                            JsonNodeType       empty_type);

G_END_DECLS
