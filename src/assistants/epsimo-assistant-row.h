/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "api/epsimo-assistant.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_ASSISTANT_ROW (epsimo_assistant_row_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoAssistantRow, epsimo_assistant_row, EPSIMO, ASSISTANT_ROW, AdwBin)

/* One assistant in the list: name, model, number of tools, a Public badge, and buttons
 * for "assistants.duplicate" and "assistants.delete". Follows the assistant's changes. */
GtkWidget       *epsimo_assistant_row_new           (void);
void             epsimo_assistant_row_set_assistant (EpsimoAssistantRow *self,
                                                     EpsimoAssistant    *assistant);
EpsimoAssistant *epsimo_assistant_row_get_assistant (EpsimoAssistantRow *self);

G_END_DECLS
