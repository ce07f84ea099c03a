/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-chat-item.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_MESSAGE_ROW (epsimo_message_row_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoMessageRow, epsimo_message_row, EPSIMO, MESSAGE_ROW, AdwBin)

/* A row of the transcript. Every part is built once (the list's setup) and only shown or
 * hidden when an item is bound: the author and time with a Copy button, the tool call
 * cards, the rendered text (the item's own renderer: nothing is parsed on bind), "Show
 * More" for a long message, and the state of a reply (stopped, incomplete, with Retry
 * through the "chat.retry" action). */

GtkWidget      *epsimo_message_row_new      (void);
/* Binds @item (NULL unbinds: signal handlers are disconnected). */
void            epsimo_message_row_set_item (EpsimoMessageRow *self,
                                             EpsimoChatItem   *item);
EpsimoChatItem *epsimo_message_row_get_item (EpsimoMessageRow *self);

G_END_DECLS
