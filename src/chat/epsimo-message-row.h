/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-chat-item.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_MESSAGE_ROW (epsimo_message_row_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoMessageRow, epsimo_message_row, EPSIMO, MESSAGE_ROW, AdwBin)

/* A row of the transcript. Binding an item is nearly free: the row is an empty box of the
 * height it had when last shown, or of the transcript's height for rows not shown yet. The
 * transcript realizes the rows that come on screen (epsimo_message_row_realize()): every
 * part is built on the row's first realization, and only shown or hidden afterwards: the
 * author and time with a Copy button, the tool call cards, the rendered text (the item's
 * own renderer: nothing is parsed again), "Show More" for a long message, and the state of
 * a reply (stopped, incomplete, with Retry through the "chat.retry" action). */

GtkWidget      *epsimo_message_row_new          (void);
/* Binds @item (NULL unbinds: signal handlers are disconnected), not realized. */
void            epsimo_message_row_set_item     (EpsimoMessageRow *self,
                                                 EpsimoChatItem   *item);
EpsimoChatItem *epsimo_message_row_get_item     (EpsimoMessageRow *self);
/* Shows the item for real; FALSE when there was nothing to do (already shown, no item, or
 * a placeholder, which has nothing to show yet). */
gboolean        epsimo_message_row_realize      (EpsimoMessageRow *self);
gboolean        epsimo_message_row_get_realized (EpsimoMessageRow *self);
/* Whether the row was laid out since its item was bound (a recycled row keeps the place it
 * had for another item until then). */
gboolean        epsimo_message_row_get_placed   (EpsimoMessageRow *self);
/* The height a row takes before it is shown (its item never shown at this width). */
void            epsimo_message_row_set_unshown_height (EpsimoMessageRow *self,
                                                       int               height);
/* A guess of the height @item takes at @width, from its text alone. */
int             epsimo_message_row_guess_height       (EpsimoChatItem   *item,
                                                       int               width);

G_END_DECLS
