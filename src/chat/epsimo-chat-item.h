/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "api/epsimo-message.h"
#include "widgets/epsimo-markdown-renderer.h"

#include "epsimo-tool-call.h"

G_BEGIN_DECLS

typedef enum
{
  EPSIMO_CHAT_ITEM_USER,
  EPSIMO_CHAT_ITEM_ASSISTANT,
  EPSIMO_CHAT_ITEM_TOOL,
  EPSIMO_CHAT_ITEM_NOTE,
} EpsimoChatItemKind;

typedef enum
{
  EPSIMO_CHAT_ITEM_COMPLETE,
  EPSIMO_CHAT_ITEM_SENDING,     /* a user message on its way to the server */
  EPSIMO_CHAT_ITEM_STREAMING,   /* a reply arriving */
  EPSIMO_CHAT_ITEM_STOPPED,     /* a reply the user stopped */
  EPSIMO_CHAT_ITEM_INCOMPLETE,  /* a reply cut off or failed: see the error message */
} EpsimoChatItemState;

#define EPSIMO_TYPE_CHAT_ITEM (epsimo_chat_item_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoChatItem, epsimo_chat_item, EPSIMO, CHAT_ITEM, GObject)

/* One turn of the transcript: a user message, an assistant turn (its tool calls, then its
 * text), a tool result that belongs to no call shown, or a note. It keeps the message's
 * rendered markdown, made once on first use and kept while the item lives, and the view
 * state a recycled row must find again. Properties (notify): "state", "error-message",
 * "retryable", "expanded", "placeholder". */

EpsimoChatItem         *epsimo_chat_item_new               (EpsimoChatItemKind   kind,
                                                            EpsimoMessage       *message);
/* An item standing for a message not fetched yet (no message: get_message() is NULL), so
 * that the transcript knows the whole thread from the start; "placeholder" (notify) turns
 * FALSE when it is filled. */
EpsimoChatItem         *epsimo_chat_item_new_placeholder   (void);
gboolean                epsimo_chat_item_get_placeholder   (EpsimoChatItem      *self);
/* Fills a placeholder in place with what @from holds (kind, message, author, tool calls). */
void                    epsimo_chat_item_fill              (EpsimoChatItem      *self,
                                                            EpsimoChatItem      *from);
/* The size its row last took on screen, so that a row bound to it again takes that size
 * before it is shown (the list then does not move); -1 when not shown at @width. */
void                    epsimo_chat_item_set_shown_size    (EpsimoChatItem      *self,
                                                            int                  width,
                                                            int                  height);
int                     epsimo_chat_item_get_shown_height  (EpsimoChatItem      *self,
                                                            int                  width);
EpsimoChatItemKind      epsimo_chat_item_get_kind          (EpsimoChatItem      *self);
EpsimoMessage          *epsimo_chat_item_get_message       (EpsimoChatItem      *self);
/* The message's text (markdown); never NULL. */
const char             *epsimo_chat_item_get_text          (EpsimoChatItem      *self);
/* Replaces the text (a retried reply starts over). */
void                    epsimo_chat_item_set_text          (EpsimoChatItem      *self,
                                                            const char          *text);
/* Appends a streamed delta; the rendering catches up on the next frame it is shown. */
void                    epsimo_chat_item_append_text       (EpsimoChatItem      *self,
                                                            const char          *delta);
/* Returns: (transfer none): the rendered text, made on first call */
EpsimoMarkdownRenderer *epsimo_chat_item_get_renderer      (EpsimoChatItem      *self);
/* Who wrote it, as shown above it (the assistant's name); may be NULL. */
const char             *epsimo_chat_item_get_author        (EpsimoChatItem      *self);
void                    epsimo_chat_item_set_author        (EpsimoChatItem      *self,
                                                            const char          *author);
EpsimoChatItemState     epsimo_chat_item_get_state         (EpsimoChatItem      *self);
void                    epsimo_chat_item_set_state         (EpsimoChatItem      *self,
                                                            EpsimoChatItemState  state);
/* Why a reply is incomplete; may be NULL. */
const char             *epsimo_chat_item_get_error_message (EpsimoChatItem      *self);
void                    epsimo_chat_item_set_error_message (EpsimoChatItem      *self,
                                                            const char          *message);
/* Whether Retry is offered (the last reply of its thread, incomplete or stopped). */
gboolean                epsimo_chat_item_get_retryable     (EpsimoChatItem      *self);
void                    epsimo_chat_item_set_retryable     (EpsimoChatItem      *self,
                                                            gboolean             retryable);
/* Whether a long message is shown whole. */
gboolean                epsimo_chat_item_get_expanded      (EpsimoChatItem      *self);
void                    epsimo_chat_item_set_expanded      (EpsimoChatItem      *self,
                                                            gboolean             expanded);
/* Whether it arrived in this session (streamed): shown whole, code included. */
gboolean                epsimo_chat_item_get_live          (EpsimoChatItem      *self);
void                    epsimo_chat_item_set_live          (EpsimoChatItem      *self,
                                                            gboolean             live);
/* Returns: (transfer none): the tool calls (EpsimoToolCall), in order */
GListModel             *epsimo_chat_item_get_tool_calls    (EpsimoChatItem      *self);
void                    epsimo_chat_item_add_tool_call     (EpsimoChatItem      *self,
                                                            EpsimoToolCall      *call);
/* Returns: (transfer none) (nullable): the call with @id */
EpsimoToolCall         *epsimo_chat_item_find_tool_call    (EpsimoChatItem      *self,
                                                            const char          *id);
void                    epsimo_chat_item_clear_tool_calls  (EpsimoChatItem      *self);

G_END_DECLS
