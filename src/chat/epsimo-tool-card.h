/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-tool-call.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_TOOL_CARD (epsimo_tool_card_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoToolCard, epsimo_tool_card, EPSIMO, TOOL_CARD, AdwBin)

/* A tool call inside an assistant's turn: the tool's name, its status (running, done,
 * failed) and a one-line summary of its arguments; activating it shows the arguments and
 * the result as highlighted JSON. Collapsed by default; the state is kept on the call. */

GtkWidget      *epsimo_tool_card_new      (void);
void            epsimo_tool_card_set_call (EpsimoToolCard *self,
                                           EpsimoToolCall *call);
EpsimoToolCall *epsimo_tool_card_get_call (EpsimoToolCard *self);

G_END_DECLS
